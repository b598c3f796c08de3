"""The one place that wires the stages together: plan → media → render → write → report."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Container, Iterator, MutableMapping
from dataclasses import replace
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from . import exportfile, golive, sitestore, state, targets
from .collect import Outcome, Sources, collect
from .config import Config
from .convert import title_text
from .convert.sourcemarkup import HTML
from .document import Rendered, render_item
from .fetch import FetchPolicy, Resolver, make_session, system_resolver
from .golive import GoLive
from .lock import SiteLock
from .media import MediaIndex
from .mediaplan import BUNDLE, NONE, MediaLinks, MediaPlan, Place, place_files, plan_media
from .models import Item, SiteIndex
from .parallel import Workers, ordered_map
from .plan import Entry, Plan, Projection, iter_items, scan
from .plugins.woocommerce import PRODUCT
from .report import BrokenMedia, Draft, MediaSummary, Report, Scheduled
from .settings import Settings
from .site import stage
from .site.archives import archive_urls
from .site.config import embeds_in
from .spool import Spool
from .update import Changes, Updater, incomplete_export
from .uploads import Uploads
from .write import UnsafePathError, atomic_write, durable_step, remove_stale_temp_files, safe_join
from .wxr import ReadOptions

Progress = Callable[[int, int], None]  # (items done, items to do)


class MediaProgress(Protocol):
    def start(self, total: int) -> None: ...
    def done(self, outcome: Outcome) -> None: ...
    def finish(self) -> None: ...


def run(
    config: Config,
    progress: Progress | None = None,
    media_progress: MediaProgress | None = None,
    resolver: Resolver = system_resolver,
) -> Report:
    """Migrate `config.exports` into `config.output`. Raises wxr.ExportError on unreadable input,
    uploads.UploadsError on an unreadable --uploads, state.ManifestError on a damaged manifest,
    PruneRefused on a prune over an incomplete export and lock.FolderBusy when another run uses
    the folder: all before anything is written. An OSError while writing (a full disk, a read-only
    file) leaves the manifest recording exactly the files written so far (see state.settle)."""
    if config.dry_run:  # reads nothing of the folder and writes nothing: no lock
        return _run(config, progress, media_progress, resolver, None)
    with SiteLock(config.output) as site_lock:
        try:
            return _run(config, progress, media_progress, resolver, site_lock)
        except _FolderChanged:  # another run wrote the new folder while this one read the exports
            return _run(config, progress, media_progress, resolver, site_lock)


class _FolderChanged(Exception):
    """The folder got a manifest between this run's start and its first write."""


def _run(
    config: Config,
    progress: Progress | None,
    media_progress: MediaProgress | None,
    resolver: Resolver,
    site_lock: SiteLock | None,
) -> Report:
    """run() under the folder's lock (None: a dry run, which takes none)."""
    report = Report(
        exports=[str(p) for p in config.exports], output=str(config.output), dry_run=config.dry_run
    )
    uploads = Uploads.open(config.uploads) if config.uploads is not None else None
    manifest = state.Manifest() if config.dry_run else state.load(config.output)
    with manifest:  # closed however the run ends: what it did not commit is rolled back
        run_key = _run_key(config) if _replayable(config) else ""
        if run_key and _replay(config, manifest, run_key, report):
            if manifest.upgraded is not None:  # a version 1 manifest: converted once, then gone
                state.finish(config.output, manifest)
            return report  # the very same inputs as the last run, and every file still in place
        journal = state.Journal(config.output, manifest)
        try:
            _migrate(
                config,
                uploads,
                manifest,
                journal,
                run_key,
                report,
                progress,
                media_progress,
                resolver,
                site_lock,
            )
        except OSError:
            journal.close()
            manifest.close()  # its changes go: settle reads the last manifest and the journal again
            if not config.dry_run:
                state.settle(config.output)
            raise
        finally:
            journal.close()
    return report


def _migrate(
    config: Config,
    uploads: Uploads | None,
    manifest: state.Manifest,
    journal: state.Journal,
    run_key: str,
    report: Report,
    progress: Progress | None,
    media_progress: MediaProgress | None,
    resolver: Resolver,
    site_lock: SiteLock | None,
) -> None:
    """run()'s work once the manifest is read and the run cannot be answered from it."""
    with contextlib.ExitStack() as cleanup:
        scratch = _scratch_folder(config)
        workers = None
        if config.jobs > 1:  # started before the scan grows this process: forked, they stay small
            workers = cleanup.enter_context(Workers(config.jobs, scratch))
        read = ReadOptions(salvage=config.salvage)
        # Pass 2 reads the items pass 1 kept, unless go-live files need every item with its comments.
        spool = None if golive.needs_items(config.settings) else cleanup.enter_context(Spool(scratch))
        # The site index and the plan's per-item tables: on disk, written as pass 1 reads, read by
        # this process and the workers (see sitestore.py). Closed before the file is deleted.
        # A re-run holds the folder's lock already: a killed run's temp files are swept now,
        # before this run makes its own there (the sweep would take them too).
        swept = site_lock is not None and site_lock.held
        if swept:
            remove_stale_temp_files(config.output)
        store = sitestore.Store(_scratch_file(cleanup, scratch, ".index."))
        cleanup.callback(store.close)
        # Reads every file to the end: broken XML stops us here (unless salvaging).
        plan = scan(
            config.exports,
            read,
            config.fix_mojibake,
            bundles=config.media == BUNDLE,
            media=config.media != NONE,
            spool=spool,
            held={name: site.paths for name, site in manifest.sites.items()},  # views: read as asked
            custom_fields=config.settings.custom_fields,
            store=store,
        )
        plan = targets.place(plan, config.settings)  # Jekyll paths; Hugo URLs when `url` is omitted
        archives = archive_urls(
            plan.index, plan.terms_used, config.settings, store.table("archive_urls", tuple_keys=True)
        )
        plan = replace(plan, index=replace(plan.index, archive_urls=archives))
        report.skipped.update(plan.skipped)
        report.warnings.extend(plan.warnings)
        report.repairs.extend(plan.repairs)
        report.salvaged.extend(plan.salvaged)
        if not config.settings.currency and plan.has_type(PRODUCT):
            report.warn(0, "currency", "WooCommerce products, but no currency: set [woocommerce] currency")
        report.languages = [
            {"code": x.code, "name": x.name, "locale": x.locale, "default": x.default, "items": x.items}
            for x in plan.languages
        ]
        if config.allow_hosts:  # their files go through the media step like the site's own uploads
            plan.index = replace(plan.index, media_hosts=frozenset(h.lower() for h in config.allow_hosts))

        site_name = plan.index.base_urls[0] if plan.index.base_urls else ""
        site = manifest.site(site_name)
        updater = Updater(config.output, site, report.changes, journal, site_name, force=config.force)
        _carry_history(plan, updater)
        if config.prune and not config.force and not config.dry_run:
            reason = incomplete_export(site, exportfile.file_names(config.exports), _ids(plan))
            if reason:
                raise PruneRefused(f"--prune refused: {reason} (nothing deleted; --force to prune anyway)")
        if site_lock is not None:
            if site_lock.claim():  # a first run: the folder is locked as it is created
                raise _FolderChanged
            state.remove_leftovers(config.output, manifest)  # a move an interrupted run made
            if not swept:
                remove_stale_temp_files(config.output)
        if not config.dry_run:
            manifest.clear_last_run()  # this run's keys are noted as it settles them

        links = None
        if config.media != NONE:
            links = _media(config, plan, uploads, report, media_progress, resolver, manifest, journal)
        context = _context_hash(config, plan, links)
        go_live = GoLive(plan, config.settings, links)  # comments, redirect maps, Disqus map
        total, done = len(plan.entries), 0

        def item_done() -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        # Settle every item that has not changed since the last run from pass 1's facts alone: it is
        # neither read again nor converted. Only the others go through pass 2 and the converters.
        def item_source(ordinal: int, entry: Entry) -> str:
            return _source_hash(context, plan.digests[ordinal], entry)

        embeds: set[str] = set()  # the embeds the files call, for the site's privacy settings
        html_files: set[int] = set()  # the files whose Markdown keeps raw HTML (goldmark's unsafe)
        to_convert = Ordinals()
        for entry, digest, draft, scheduled in plan.rows():  # in ordinal order
            report.items[entry.post_type] += 1
            if draft is not None:
                status, title, password = draft
                report.drafts.append(Draft(entry.item_id, status, title, entry.path, password))
            elif scheduled is not None:
                report.scheduled.append(Scheduled(entry.item_id, scheduled, entry.path, entry.day))
            kept = None
            if not config.dry_run:
                manifest.note_last_run(site_name, entry.item_id)
                kept = updater.can_skip(entry.item_id, _source_hash(context, digest, entry), entry.path)
            if kept is None:
                to_convert.add(entry.ordinal)
            else:
                _note(report, entry.item_id, entry.path, kept.notes)
                embeds.update(kept.notes.get("embeds", ()))
                if kept.notes.get("html"):
                    html_files.add(entry.item_id)
                item_done()

        def pass_two() -> Iterator[tuple[Item, Entry, str]]:
            if not to_convert and not go_live.needs_items:
                return  # a re-run over the same export: nothing left to read
            if spool is not None:  # pass 1 kept the items: no need to parse the exports again
                for entry, digest, _draft, _scheduled in plan.rows():
                    if entry.ordinal in to_convert:
                        yield spool.get(entry.ordinal), entry, _source_hash(context, digest, entry)
                return
            # Comments only when a go-live file needs them: otherwise they are not read, nor sent to workers.
            comments = go_live.needs_comments
            items = iter_items(config.exports, read, config.fix_mojibake, comments=comments)
            for ordinal, item in enumerate(items):
                entry = plan.entries.get(ordinal)
                if entry is None:
                    continue
                if not config.dry_run:
                    for path, text in go_live.add(item, entry):
                        _write_generated(config, path, text, item.id, report)
                if ordinal in to_convert:
                    yield item, entry, item_source(ordinal, entry)

        # Workers only for items to convert (a re-run may have none); without them, here: jobs=1.
        index, converters = plan.index, workers if to_convert else None
        if converters is not None:  # they read the index from the store's file (see sitestore.py)
            index = store.publish(index)
        shared = (index, links, config.settings)
        for (item, entry, source), rendered in ordered_map(
            _render, pass_two(), jobs=1, shared=shared, describe=_describe, workers=converters
        ):
            found = {
                "shortcodes": rendered.unknown_shortcodes,
                "raw_html": rendered.raw_html,
                "warnings": rendered.warnings,
                "markup": () if rendered.markup == HTML else (rendered.markup,),  # HTML: the usual
                "embeds": embeds_in(rendered.text),
                "html": ["raw"] if rendered.keeps_html else [],  # remembered: a re-run skips the item
                "not_migrated": rendered.not_migrated,
            }
            notes = {k: list(v) for k, v in found.items() if v}
            _note(report, item.id, entry.path, notes)
            embeds.update(notes.get("embeds", ()))
            if rendered.keeps_html:
                html_files.add(item.id)
            if not config.dry_run:
                data = rendered.text.encode("utf-8")
                updater.apply(item.id, entry.path, entry.url, list(entry.aliases), source, data, notes)
            item_done()
        if workers is not None:
            workers.close()  # before their files go (see _scratch_file)
        stage.write_site(config, plan, manifest, report, embeds, html_files)
        if not config.dry_run:
            stage.write_pages(config, plan, links, manifest, journal, site_name, report)
            for path, text in go_live.finish():
                _write_generated(config, path, text, 0, report)
            if not plan.salvaged:  # a salvaged export is partial: nothing in it is "gone", nothing pruned
                updater.gone(_ids(plan), prune=config.prune)
            site.exports = exportfile.file_names(config.exports)
            broken_media = report.media is not None and report.media.broken
            if run_key and not plan.salvaged and not go_live.needs_items and not broken_media:
                # The report's lists that grow with the export go in as rows, read one at a time.
                snapshot = json.dumps(report.snapshot(), ensure_ascii=False)
                last = state.LastRun(run_key, site_name, report.media is not None, snapshot)
                manifest.set_last_run(last, report.snapshot_rows())
            else:
                manifest.clear_last_run()  # the keys noted: not a run a re-run may replay
            state.finish(config.output, manifest, journal)


def _render(
    item: Item, entry: Entry, _source: str, index: SiteIndex, links: MediaLinks | None, settings: Settings
) -> Rendered:
    """One item's file (in a worker process when --jobs > 1: everything here must pickle)."""
    return render_item(item, entry, index, links.for_item(item.id) if links else None, settings)


def _describe(task: tuple[Item, Entry, str]) -> str:
    item, entry, _ = task
    return f"{item.source}:{item.line}: item {item.id} ({entry.path})"


def _scratch_file(cleanup: contextlib.ExitStack, folder: Path | None, prefix: str) -> Path:
    """A new temporary file's path, deleted when `cleanup` closes (a killed run's is removed by
    the next run's stale-file sweep when it is in the site's state folder)."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(name)  # sqlite creates its own file
    cleanup.callback(_unlink, Path(name))
    return Path(name)


def _unlink(path: Path) -> None:
    # OSError: on Windows a file a process still has open cannot go; /tmp or the sweep will take it.
    with contextlib.suppress(OSError):
        path.unlink()


def _scratch_folder(config: Config) -> Path | None:
    """Where a run's temporary files go (the spool, the workers' index): the site's state folder
    when there is one already (a re-run), as /tmp is often in RAM. A first run creates nothing
    before its exports are known to be readable: /tmp it is."""
    folder = config.output / state.STATE_DIR
    return folder if not config.dry_run and folder.is_dir() else None


def _replayable(config: Config) -> bool:
    """May this run be answered from the last one? Not when it is asked to change things."""
    return not (config.dry_run or config.force or config.prune or config.salvage)


# Options that change how a run goes, not what it writes.
_NOT_SHAPING = ("exports", "output", "quiet", "verbose", "report_path", "jobs", "jobs_http", "force", "prune")


def _run_key(config: Config) -> str:
    """A hash of every input that shapes a run's files: the exports' bytes, the tool, the options."""
    shaping = {
        f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in _NOT_SHAPING
    }
    parts = [state.tool_fingerprint(), repr(sorted((k, repr(v)) for k, v in shaping.items()))]
    for export in config.exports:
        with open(export, "rb") as f:
            parts.append(f"{Path(export).name}:{hashlib.file_digest(f, 'sha256').hexdigest()}")
    return state.sha256("\0".join(parts).encode("utf-8"))


def _replay(config: Config, manifest: state.Manifest, run_key: str, report: Report) -> bool:
    """Answer a re-run over the same inputs from the manifest, reading no export: True when done.

    Every media file must still be there as written (size and mtime); items are settled as the
    full path would settle them (unchanged, or deleted by the user). Anything else: False, and the
    run goes the full way. Records are read a page at a time, in key order (none held)."""
    last = manifest.last_run()
    if last is None or last.key != run_key or last.site not in manifest.sites:
        return False
    if last.media:
        for _key, media in manifest.media.items():
            try:
                info = safe_join(config.output, media.path).stat()
            except (OSError, UnsafePathError):
                return False
            if (info.st_size, info.st_mtime_ns) != (media.size, media.mtime_ns):
                return False
    pages = [name for name in manifest.last_run_tables() if name != last.site]
    if manifest.last_run_missing(last.site) or not stage.in_place(config, manifest):
        return False
    if any(manifest.last_run_missing(name) for name in pages):
        return False
    try:
        rows = ((name, json.loads(row)) for name, row in manifest.last_run_rows())
        report.restore(json.loads(last.report), rows)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"damaged manifest: last_run.report ({type(exc).__name__}: {exc})"
        raise state.damaged(state.manifest_path(config.output), what) from None
    _settle_replayed(config, manifest, last.site, report.changes)
    for name in pages:
        _settle_replayed(config, manifest, name, report.site_pages)
    remove_stale_temp_files(config.output)
    return True


def _settle_replayed(config: Config, manifest: state.Manifest, table: str, changes: Changes) -> None:
    """Report a replayed run's files of one manifest table as the full way would: each still there
    (unchanged) or deleted by the user; the table's other files gone from the export."""
    real_root = os.path.realpath(config.output)  # once, not per file: half of a replay's time at 10k
    for key, path in manifest.last_run_records(table):
        if not safe_join(config.output, path, real_root).is_file():
            changes.deleted_by_user.append((key, path))
        else:
            changes.unchanged += 1
    changes.gone += manifest.not_in_last_run(table)


class PruneRefused(Exception):
    """--prune over an export that looks incomplete (exit 2, nothing deleted)."""


def _ids(plan: Plan) -> Container[int]:
    return plan.item_ids()


class Ordinals:
    """A set of ordinals (dense, from 0): one byte each, not a set's ~60."""

    def __init__(self) -> None:
        self._flags = bytearray()
        self._count = 0

    def add(self, ordinal: int) -> None:
        if ordinal >= len(self._flags):
            self._flags.extend(bytes(ordinal + 1 - len(self._flags)))
        if not self._flags[ordinal]:
            self._flags[ordinal] = 1
            self._count += 1

    def __contains__(self, ordinal: int) -> bool:
        return ordinal < len(self._flags) and bool(self._flags[ordinal])

    def __len__(self) -> int:
        return self._count


def _carry_history(plan: Plan, updater: Updater) -> None:
    """Items renamed since the last run keep their old URLs: as aliases, and for links to them."""
    index = plan.index
    by_path = index.targets_by_path
    assert isinstance(by_path, MutableMapping)  # a table of the store (plan.scan)
    for ordinal, entry in plan.entries.items():  # rows rewritten in the loop keep their place
        old = updater.history(entry.item_id, entry.url)
        if not old:
            continue
        aliases = tuple(dict.fromkeys([*entry.aliases, *old]))
        plan.entries[ordinal] = replace(entry, aliases=aliases)
        target = index.targets.get(entry.item_id)
        if target is not None:
            for url in old:
                by_path.setdefault(url, target)


def _context_hash(config: Config, plan: Plan, links: MediaLinks | None) -> str:
    """Everything besides the item itself that shapes an item's file: the tool, the options that
    change output, and the site index (link targets, attachments, authors, terms) and media links.
    When any of it changes, every item is converted again: correct first, fast when nothing moved."""
    index = plan.index
    # Fed to the hash a row at a time: one repr of the whole index was tens of MB at 10k posts.
    digest = hashlib.sha256()

    def add(text: str) -> None:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")

    add(state.tool_fingerprint())
    add(config.media)
    add(repr(config.settings))
    tables = [getattr(index, name) for name in SiteIndex.TABLES]
    for table in [*tables, links.places if links else {}]:
        for key, value in sitestore.sorted_items(table):  # from the file, in key order
            add(repr((key, value)))
        add("")  # the end of a table
    add(repr((sorted(index.site_hosts), index.base_urls, index.utc_offset_minutes, index.generator)))
    add(repr((index.site_title, index.site_tagline, sorted(index.acf_fields.items()))))
    add(repr(sorted(index.media_hosts)))
    add(repr(index.languages))  # Polylang's: whether items get a translationKey
    return digest.hexdigest()


def _source_hash(context: str, item_digest: str, entry: Entry) -> str:
    return state.sha256(f"{context}\0{item_digest}\0{entry!r}".encode())


def _note(report: Report, item_id: int, path: str, notes: dict[str, list[str]]) -> None:
    for markup in notes.get("markup", ()):
        report.source_markup[item_id] = markup
    for name in notes.get("shortcodes", ()):
        report.unknown_shortcodes[name] += 1
        report.warn(item_id, "unknown-shortcode", f"[{name}] kept as it was", path)
    for what in notes.get("raw_html", ()):
        report.warn(item_id, "raw-html", f"kept as raw HTML: {what}", path)
    for message in notes.get("warnings", ()):
        report.warn(item_id, "conversion", message, path)
    for url in notes.get("not_migrated", ()):
        report.warn(item_id, "link-not-migrated", f"{url}: not in the export, left on the old host", path)


def _media(
    config: Config,
    plan: Plan,
    uploads: Uploads | None,
    report: Report,
    media_progress: MediaProgress | None,
    resolver: Resolver,
    manifest: state.Manifest,
    journal: state.Journal,
) -> MediaLinks:
    """Plan the media, get (or, in a dry run, check) every file, and report what could not be had."""
    index = plan.index
    extra_hosts = frozenset(h.lower() for h in config.allow_hosts)
    base_url = index.base_urls[0] if index.base_urls else ""
    media_index = MediaIndex(index.attachments.values(), index.site_hosts, base_url)
    media = plan_media(plan.media_refs, index.attachments, media_index, extra_hosts)
    paths = plan.by_item_id(attrgetter("path"))  # views of the plan's tables, looked up per file's users
    page_urls = Projection(index.targets, attrgetter("url"))
    drafts = plan.by_item_id(attrgetter("path"), where=attrgetter("draft"))
    static_dir = targets.layout(config.settings).static_dir
    places = place_files(media, config.media, paths, page_urls, drafts, static_dir)

    dests: dict[str, Path] | None = None
    unsafe: dict[str, Outcome] = {}
    if not config.dry_run:
        dests = {}
        for key, place in places.items():
            try:
                dests[key] = safe_join(config.output, place.target)
            except UnsafePathError as exc:
                unsafe[key] = Outcome(key, False, "", "unsafe-path", message=str(exc))
    policy = FetchPolicy(
        allowed_hosts=frozenset(media_index.hosts | extra_hosts),
        allow_private=config.allow_private,
        max_bytes=config.max_file_size,
    )
    online = not config.offline and not (config.dry_run and uploads is not None)
    sources = Sources(
        uploads=uploads,
        session=make_session(policy, pool_size=config.jobs_http) if online else None,
        policy=policy,
        resolve=resolver,
        jobs=config.jobs_http,
    )
    files = [f for key, f in media.files.items() if key not in unsafe]
    if media_progress:
        media_progress.start(len(media.files))
    try:
        known = {}  # the files the manifest has at their place: asked a key at a time
        for key, place in places.items():
            m = manifest.media.get(key)
            if m is not None and m.path == place.target:
                known[key] = (m.size, m.sha256)
        on_done = media_progress.done if media_progress else None
        outcomes = collect(files, dests, sources, known=known, on_done=on_done)
    finally:
        if sources.session is not None:
            sources.session.close()
        if media_progress:
            media_progress.finish()
    outcomes.update(unsafe)
    _report_media(media, outcomes, places, plan, report)
    if not config.dry_run:
        _record_media(config, media, outcomes, places, manifest, journal, report)
    here = {key: places[key] for key, outcome in outcomes.items() if outcome.ok}
    return MediaLinks(media_index, here, extra_hosts)


def _record_media(
    config: Config,
    media: MediaPlan,
    outcomes: dict[str, Outcome],
    places: dict[str, Place],
    manifest: state.Manifest,
    journal: state.Journal,
    report: Report,
) -> None:
    """Remember each file's hash (so re-runs skip it); with --prune, delete files no post uses now."""
    records = {}
    for key, outcome in outcomes.items():
        if outcome.ok and outcome.sha256:
            try:
                mtime = safe_join(config.output, places[key].target).stat().st_mtime_ns
            except (OSError, UnsafePathError):
                continue
            records[key] = state.MediaState(
                media.files[key].url, places[key].target, outcome.size, outcome.sha256, mtime
            )
    journal.media({k: m for k, m in records.items() if manifest.media.get(k) != m})
    manifest.media.update(records)
    if not config.prune:
        return
    for key, old in manifest.media.items():  # a walk by key: deleting as it goes is fine
        if key in media.files:
            continue
        try:
            target = safe_join(config.output, old.path)
        except UnsafePathError:
            continue
        if state.file_hash(target) == old.sha256:
            journal.media_delete(key, old.path, old.sha256)
            target.unlink()
            durable_step()
            report.changes.pruned.append(old.path)
        del manifest.media[key]


def _report_media(
    media: MediaPlan, outcomes: dict[str, Outcome], places: dict[str, Place], plan: Plan, report: Report
) -> None:
    index = plan.index
    origin = index.base_urls[0] if index.base_urls else ""
    old_urls = plan.by_item_id(lambda e: origin + e.url if e.url else "")
    summary = MediaSummary(files=len(media.files))
    for outcome in outcomes.values():
        summary.count(outcome.source if outcome.ok else "failed")
    for ref in media.refs:
        outcome = outcomes[ref.key]
        target = index.targets.get(ref.item_id)
        title = title_text(target.title) if target else ""
        if ref.how == "guessed":
            summary.guessed.append((ref.item_id, ref.url))
            report.warn(
                ref.item_id,
                "media-guessed",
                f"{ref.url}: no attachment metadata; original guessed by dropping -WxH",
                places[ref.key].target,
            )
        if outcome.ok:
            continue
        if ref.how in ("size", "guessed"):
            summary.thumbnails_without_original += 1
        summary.broken.append(
            BrokenMedia(
                ref.item_id,
                title,
                old_urls.get(ref.item_id, ""),
                ref.url,
                outcome.error,
                outcome.status,
                outcome.message,
                ref.attachment_id,
            )
        )
        report.warn(ref.item_id, "media", f"{ref.url}: {outcome.message or outcome.error}; URL kept")
    summary.hotlinked = list(media.hotlinked)
    summary.site_files = list(media.site_files)
    summary.broken.sort()
    report.media = summary


def _write_generated(config: Config, path: str, text: str, item_id: int, report: Report) -> None:
    """Go-live files (comment data, redirect maps): regenerated whole on every run, never edited."""
    try:
        target = safe_join(config.output, path)
    except UnsafePathError as exc:
        report.warn(item_id, "unsafe-path", f"not written: {exc}", path)
        return
    atomic_write(target, text.encode("utf-8"))

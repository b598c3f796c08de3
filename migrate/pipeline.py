"""The one place that wires the stages together: plan → media → render → write → report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from .collect import Outcome, Sources, collect
from .config import Config
from .convert import decode_entities
from .document import render_item
from .fetch import FetchPolicy, Resolver, make_session, system_resolver
from .media import MediaIndex
from .mediaplan import BUNDLE, NONE, MediaLinks, MediaPlan, Place, place_files, plan_media
from .plan import Plan, iter_items, scan
from .report import BrokenMedia, Draft, MediaSummary, Report
from .uploads import Uploads
from .write import UnsafePathError, atomic_write, safe_join

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
    """Migrate `config.exports` into `config.output`. Raises wxr.ExportError on unreadable input
    and uploads.UploadsError on an unreadable --uploads, before anything is written."""
    report = Report(
        exports=[str(p) for p in config.exports], output=str(config.output), dry_run=config.dry_run
    )
    uploads = Uploads.open(config.uploads) if config.uploads is not None else None
    plan = scan(config.exports, bundles=config.media == BUNDLE)  # broken XML stops us here
    report.skipped.update(plan.skipped)
    report.warnings.extend(plan.warnings)
    links = None
    if config.allow_hosts:  # their files go through the media step like the site's own uploads
        plan.index = replace(plan.index, media_hosts=frozenset(h.lower() for h in config.allow_hosts))
    if config.media != NONE:
        links = _media(config, plan, uploads, report, media_progress, resolver)

    total, done = len(plan.entries), 0
    for ordinal, item in enumerate(iter_items(config.exports)):
        entry = plan.entries.get(ordinal)
        if entry is None:
            continue
        rendered = render_item(item, entry, plan.index, links.for_item(item.id) if links else None)
        report.items[entry.post_type] += 1
        if entry.draft:
            report.drafts.append(
                Draft(
                    item.id, item.status, decode_entities(item.title).strip(), entry.path, bool(item.password)
                )
            )
        for name in rendered.unknown_shortcodes:
            report.unknown_shortcodes[name] += 1
            report.warn(item.id, "unknown-shortcode", f"[{name}] kept as it was", entry.path)
        for what in rendered.raw_html:
            report.warn(item.id, "raw-html", f"kept as raw HTML: {what}", entry.path)
        for message in rendered.warnings:
            report.warn(item.id, "conversion", message, entry.path)
        if not config.dry_run:
            _write(config, entry.path, rendered.text, item.id, report)
        done += 1
        if progress:
            progress(done, total)
    return report


def _media(
    config: Config,
    plan: Plan,
    uploads: Uploads | None,
    report: Report,
    media_progress: MediaProgress | None,
    resolver: Resolver,
) -> MediaLinks:
    """Plan the media, get (or, in a dry run, check) every file, and report what could not be had."""
    index = plan.index
    extra_hosts = frozenset(h.lower() for h in config.allow_hosts)
    base_url = index.base_urls[0] if index.base_urls else ""
    media_index = MediaIndex(index.attachments.values(), index.site_hosts, base_url)
    media = plan_media(plan.media_refs, index.attachments, media_index, extra_hosts)
    paths = {e.item_id: e.path for e in plan.entries.values()}
    page_urls = {i: t.url for i, t in index.targets.items()}
    drafts = [e.item_id for e in plan.entries.values() if e.draft]
    places = place_files(media, config.media, paths, page_urls, drafts)

    targets: dict[str, Path] | None = None
    unsafe: dict[str, Outcome] = {}
    if not config.dry_run:
        targets = {}
        for key, place in places.items():
            try:
                targets[key] = safe_join(config.output, place.target)
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
        outcomes = collect(files, targets, sources, on_done=media_progress.done if media_progress else None)
    finally:
        if sources.session is not None:
            sources.session.close()
        if media_progress:
            media_progress.finish()
    outcomes.update(unsafe)
    _report_media(media, outcomes, places, plan, report)
    here = {key: places[key] for key, outcome in outcomes.items() if outcome.ok}
    return MediaLinks(media_index, here, extra_hosts)


def _report_media(
    media: MediaPlan, outcomes: dict[str, Outcome], places: dict[str, Place], plan: Plan, report: Report
) -> None:
    index = plan.index
    origin = index.base_urls[0] if index.base_urls else ""
    old_urls = {e.item_id: (origin + e.url if e.url else "") for e in plan.entries.values()}
    summary = MediaSummary(files=len(media.files))
    for outcome in outcomes.values():
        summary.count(outcome.source if outcome.ok else "failed")
    for ref in media.refs:
        outcome = outcomes[ref.key]
        target = index.targets.get(ref.item_id)
        title = decode_entities(target.title).strip() if target else ""
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
    summary.broken.sort()
    report.media = summary


def _write(config: Config, path: str, text: str, item_id: int, report: Report) -> None:
    try:
        target = safe_join(config.output, path)
    except UnsafePathError as exc:  # e.g. a folder in the output that links outside it
        report.warn(item_id, "unsafe-path", f"not written: {exc}", path)
        return
    if atomic_write(target, text.encode("utf-8")):
        report.files_written += 1
    else:
        report.files_unchanged += 1

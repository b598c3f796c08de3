"""What a run did: counts, lists, and the warnings that need a person to look.

The pipeline fills one Report; the CLI prints `summary()` to stderr and writes `to_dict()` as JSON
for `--report`. Both are deterministic (sorted), so two runs over the same export compare equal.
Its lists that grow with the export (warnings, drafts, scheduled posts, new and updated files) are
kept on disk, not in memory (see reportrows.py); the JSON report is written a row at a time.

Exit code 1 means "a person must act": something was not carried over (a media file, an item, a
file), or is waiting for a decision (a conflict in `incoming/`, titles that look double-encoded).
Warnings about what the tool did on purpose and as documented (raw HTML or a shortcode kept, a
path given `-<id>`) are listed but do not make it 1: nearly every real export has some, and an
exit code that is always 1 tells nobody anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from . import state
from .convert.sourcemarkup import HTML, MARKUPS
from .filemode import give_usual_mode
from .models import Repair, Salvage
from .reportrows import RowFile, Rows, iter_json, materialized, path_rows
from .update import Changes
from .write import durable_step

REPORT_VERSION = 1

# Warning kinds that need a person's action (exit 1); every other kind is for information.
NEEDS_ACTION = {
    "media": "a media file could not be had: the post still links to the old host",
    "duplicate-id": "an item was not migrated: another item has its id",
    "unsafe-path": "a file was not written: its path would leave the output folder",
    "mojibake": "a title or term looks double-encoded: check it, or re-run with --fix-mojibake",
}


@dataclass(frozen=True, order=True)
class Warning:
    """Something the run finished despite. Kinds in NEEDS_ACTION make the exit code 1."""

    item_id: int
    kind: str  # short machine-readable kind: unknown-shortcode, raw-html, path-collision, …
    message: str
    path: str = ""


@dataclass(frozen=True, order=True)
class Draft:
    item_id: int
    status: str
    title: str
    path: str
    password: bool = False


@dataclass(frozen=True, order=True)
class Scheduled:
    """A post WordPress would publish at its date: written with that date, no `draft`."""

    item_id: int
    title: str
    path: str
    day: str = ""  # its local date, YYYY-MM-DD


@dataclass(frozen=True, order=True)
class BrokenMedia:
    """One media reference that cannot be had: the post keeps the URL, the report says why."""

    item_id: int
    title: str
    page_url: str  # the post's old absolute permalink
    url: str  # the reference as written
    error: str  # http, timeout, dns, tls, connection, refused-host, refused-address, missing, …
    status: int = 0  # HTTP status when there was one
    message: str = ""
    attachment_id: int = 0


@dataclass
class MediaSummary:
    files: int = 0  # distinct files the posts use
    by_source: Counter[str] = field(default_factory=Counter)  # uploads, download, present, checked, failed
    broken: list[BrokenMedia] = field(default_factory=list)
    hotlinked: list[tuple[int, str]] = field(default_factory=list)  # (post id, URL on another host)
    # (post id, URL) of files on the site's own host outside wp-content/uploads, fetched like uploads
    site_files: list[tuple[int, str]] = field(default_factory=list)
    guessed: list[tuple[int, str]] = field(default_factory=list)  # no metadata: -WxH stripped
    thumbnails_without_original: int = 0

    def count(self, source: str) -> None:
        self.by_source[source] += 1

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "by_source": dict(sorted(self.by_source.items())),
            "broken": [b.__dict__ for b in sorted(self.broken)],
            "hotlinked": [{"item_id": i, "url": u} for i, u in self.hotlinked],
            "site_files": [{"item_id": i, "url": u} for i, u in self.site_files],
            "guessed": [{"item_id": i, "url": u} for i, u in self.guessed],
            "thumbnails_without_original": self.thumbnails_without_original,
        }

    def broken_report(self) -> list[str]:
        """The broken-media report, grouped by post (printed on stdout)."""
        refs = len(self.broken)
        posts = sorted({b.item_id for b in self.broken})
        if not refs:
            lines = [f"No broken media: all {self.files} files can be had."]
        else:
            lines = [f"Broken media: {refs} references in {len(posts)} posts"]
            current = None
            for b in sorted(self.broken):
                if b.item_id != current:
                    current = b.item_id
                    lines += ["", f"post {b.item_id}: {b.title}" + (f" <{b.page_url}>" if b.page_url else "")]
                why = f"HTTP {b.status}" if b.status else b.error
                att = f" (attachment {b.attachment_id})" if b.attachment_id else ""
                lines.append(f"  {why:<16} {b.url}{att}")
                if b.message and b.message != why:
                    lines.append(f"  {'':<16} {b.message}")
            lines.append("")
        lines.append(f"hot-linked images on other hosts: {len(self.hotlinked)}")
        lines.append(f"the site's own files outside wp-content/uploads: {len(self.site_files)}")
        lines.append(f"thumbnails whose original is missing: {self.thumbnails_without_original}")
        lines.append(f"originals guessed without attachment metadata: {len(self.guessed)}")
        return lines


@dataclass
class Report:
    exports: list[str] = field(default_factory=list)
    output: str = ""
    dry_run: bool = False
    written: Counter[str] = field(default_factory=Counter)  # post type → files written
    items: Counter[str] = field(default_factory=Counter)  # post type → items migrated
    changes: Changes = field(init=False)  # the items' files (new and updated: Rows, see __post_init__)
    # Term pages and the authors' data file (migrate/site/): counted apart from the items, whose
    # ids they do not share (a term page's `item_id` here is its term id, the authors' file's 0).
    site_pages: Changes = field(default_factory=Changes)
    skipped: Counter[str] = field(default_factory=Counter)  # "type" or "type (status)" → count
    drafts: Rows[Draft] = field(init=False)  # these grow with the export: on disk (reportrows.py)
    scheduled: Rows[Scheduled] = field(init=False)
    warnings: Warnings = field(init=False)
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)
    media: MediaSummary | None = None  # None when media were left alone (--media none)
    # item id → "textile" or "markdown" for bodies not written in HTML (see convert/sourcemarkup.py)
    source_markup: dict[int, str] = field(default_factory=dict)
    site: list[str] = field(default_factory=list)  # what the run did about the site's files (site/)
    site_written: list[str] = field(default_factory=list)  # the site's files this run wrote (site/)
    # Polylang's languages, default first: {"code", "name", "locale", "default", "items"} each
    languages: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rows = RowFile()
        self.changes = Changes(new=path_rows(self._rows), updated=path_rows(self._rows))
        self.drafts = _rows_of(self._rows, Draft, _draft)
        self.scheduled = _rows_of(self._rows, Scheduled)
        self.warnings = Warnings(self._rows)

    def close(self) -> None:
        """Let the report's rows go (its temporary file is deleted); it cannot be read after."""
        self._rows.close()

    @property
    def files_written(self) -> int:
        c = self.changes
        return len(c.new) + len(c.updated) + len(c.moved) + len(c.recreated)

    @property
    def files_unchanged(self) -> int:
        return self.changes.unchanged

    # Lossless mends to the exports' bytes (PHP warnings skipped, forbidden characters dropped…).
    # They do not change the exit code: nothing was lost, and the run is as good as a clean one.
    repairs: list[Repair] = field(default_factory=list)
    salvaged: list[Salvage] = field(default_factory=list)  # --salvage: broken exports, items lost

    def warn(self, item_id: int, kind: str, message: str, path: str = "") -> None:
        self.warnings.append(Warning(item_id, kind, message, path))

    @property
    def exit_code(self) -> int:
        return 1 if self.needs_action() else 0

    def needs_action(self) -> list[str]:
        """Why the exit code is 1, one phrase each ([] when it is 0)."""
        reasons = []
        conflicts = len(self.changes.conflicts) + len(self.site_pages.conflicts)
        if conflicts:
            reasons.append(f"{conflicts} conflicts to merge from .wxr-migrate/incoming/")
        if self.salvaged:
            unread = sum(len(s.unread) for s in self.salvaged)
            reasons.append(f"{len(self.salvaged)} broken exports salvaged, {unread} items not read")
        kinds = {kind: n for kind, n in self.warnings.kinds.items() if kind in NEEDS_ACTION and n}
        reasons += [f"{n} × {kind}: {NEEDS_ACTION[kind]}" for kind, n in sorted(kinds.items())]
        return reasons

    def to_dict(self) -> dict[str, object]:
        """The JSON report as one object (tests; `write_json` writes it without building it)."""
        return materialized(self._document())

    def _document(self) -> dict[str, object]:
        """The JSON report, with each Rows in place of its list (reportrows.iter_json writes them)."""
        return {
            "version": REPORT_VERSION,
            "exports": self.exports,
            "output": self.output,
            "dry_run": self.dry_run,
            "items": dict(sorted(self.items.items())),
            "files": {"written": self.files_written, "unchanged": self.files_unchanged},
            "changes": self.changes.to_dict(),
            "site_pages": self.site_pages.to_dict(),
            "skipped": dict(sorted(self.skipped.items())),
            "drafts": self.drafts,
            "scheduled": self.scheduled,
            "unknown_shortcodes": dict(sorted(self.unknown_shortcodes.items())),
            "media": self.media.to_dict() if self.media else None,
            "source_markup": self.source_markup_dict(),
            "site": {"notes": self.site, "written": self.site_written},
            "languages": self.languages,
            "warnings": self.warnings,
            "repairs": [
                {"export": r.source, "line": r.line, "kind": r.kind, "message": r.message, "count": r.count}
                for r in sorted(self.repairs)
            ],
            "salvage": [
                {
                    "export": s.source,
                    "error": s.error,
                    "unread": [
                        {"line": u.line, "item_id": u.id, "post_type": u.post_type, "title": u.title}
                        for u in s.unread
                    ],
                }
                for s in self.salvaged
            ],
            "needs_action": self.needs_action(),
            "exit_code": self.exit_code,
        }

    def snapshot(self) -> dict[str, object]:
        """What an unchanged re-run reports again without reading the export (pipeline's fast path):
        the counts and short lists; the lists that grow with the export are `snapshot_rows()`."""
        data = self._document()
        keep = ("items", "skipped", "unknown_shortcodes", "repairs", "media")
        keep += ("source_markup", "site", "languages")  # Textile/Markdown bodies; site files; Polylang
        return {key: data[key] for key in keep}

    def snapshot_rows(self) -> Iterator[tuple[str, str]]:
        """The snapshot's per-item lists, a row at a time: (list, the row as JSON), sorted."""
        for name in state.LAST_RUN_LISTS:
            rows: Rows = getattr(self, name)
            for row in rows:
                yield name, json.dumps(rows.to_json(row), ensure_ascii=False)

    def restore(self, snap: dict, rows: Iterable[tuple[str, dict]]) -> None:
        """The counts and lists of `snapshot()` and the rows of `snapshot_rows()` (decoded), for a run
        that found nothing changed: every media file is present, every item unchanged (the caller
        fills `changes`)."""
        self.items = Counter(snap["items"])
        self.skipped = Counter(snap["skipped"])
        for name, row in rows:
            kind = _LIST_ROWS[name]  # KeyError: not a list of the snapshot (a damaged manifest)
            getattr(self, name).append(kind(**row))
        self.unknown_shortcodes = Counter(snap["unknown_shortcodes"])
        markups = snap.get("source_markup") or {"items": []}
        self.source_markup = {m["item_id"]: m["markup"] for m in markups["items"]}
        self.site = list((snap.get("site") or {}).get("notes", []))
        self.languages = list(snap.get("languages") or [])
        self.repairs = [
            Repair(r["export"], r["line"], r["kind"], r["message"], r["count"]) for r in snap["repairs"]
        ]
        media = snap["media"]
        if media is not None:
            files = media["files"]
            self.media = MediaSummary(
                files=files,
                by_source=Counter({"present": files} if files else {}),
                hotlinked=[(h["item_id"], h["url"]) for h in media["hotlinked"]],
                site_files=[(h["item_id"], h["url"]) for h in media.get("site_files", [])],
                guessed=[(g["item_id"], g["url"]) for g in media["guessed"]],
            )

    def source_markup_counts(self) -> dict[str, int]:
        """Items by the markup their body was converted from; HTML is every item not listed."""
        counts = Counter(self.source_markup.values())
        counts[HTML] = sum(self.items.values()) - sum(counts.values())
        return {markup: counts.get(markup, 0) for markup in sorted(MARKUPS)}

    def source_markup_dict(self) -> dict[str, object]:
        return {
            "counts": self.source_markup_counts(),
            "items": [{"item_id": i, "markup": m} for i, m in sorted(self.source_markup.items())],
        }

    def write_json(self, path: Path) -> None:
        """The JSON report written as it is encoded (the per-item lists a row at a time) into a temp
        file beside `path`, synced and renamed over it: on disk when this returns, never half there."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
        try:
            with open(fd, "w", encoding="utf-8", newline="") as out:
                out.writelines(iter_json(self._document()))
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            give_usual_mode(tmp)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            with contextlib.suppress(OSError):  # a file system that cannot sync a folder
                os.fsync(folder)
        finally:
            os.close(folder)
        durable_step()

    def _change_lines(self, verbose: bool, c: Changes | None = None, what: str = "") -> list[str]:
        c = c or self.changes
        counts = [
            (len(c.new), "new"),
            (len(c.updated), "updated"),
            (c.unchanged, "unchanged"),
            (len(c.moved), "moved"),
            (len(c.recreated), "recreated"),
            (len(c.conflicts), "conflicts"),
            (len(c.deleted_by_user), "deleted by you"),
            (len(c.gone), "gone from the export"),
            (len(c.pruned), "pruned"),
        ]
        lines = [what + ", ".join(f"{n} {kind}" for n, kind in counts if n or kind == "unchanged")]
        for conflict in sorted(c.conflicts):
            lines.append(
                f"  conflict: {conflict.path} ({conflict.reason}); new version in {conflict.incoming}"
            )
        for item_id, path in sorted(c.deleted_by_user):
            lines.append(f"  deleted by you, not recreated (--force to): {path} (item {item_id})")
        shown = sorted(c.gone) if verbose else sorted(c.gone)[:20]
        for item_id, path in shown:
            kept = "" if path in c.pruned else " (kept; --prune deletes unedited files)"
            lines.append(f"  gone from the export: item {item_id} {path}{kept}")
        if len(shown) < len(c.gone):
            lines.append(f"  … {len(c.gone) - len(shown)} more gone (--verbose or --report)")
        for old, new in sorted(c.moved) if verbose else ():
            lines.append(f"  moved: {old} → {new}")
        for backup in sorted(c.backups):
            lines.append(f"  edited file saved as {backup}")
        return lines

    def media_report(self) -> list[str]:
        """The broken-media report (stdout): grouped by post, with the counts a dry run promises."""
        lines = self.media.broken_report() if self.media is not None else ["media not checked (--media none)"]
        lines.append(f"shortcodes left as they were: {sum(self.unknown_shortcodes.values())}")
        return lines

    def summary(self, verbose: bool = False) -> list[str]:
        """Human-readable lines for stderr."""
        lines = []
        posts, pages = self.items.get("post", 0), self.items.get("page", 0)
        others = sum(n for t, n in self.items.items() if t not in ("post", "page"))
        head = f"{posts} posts, {pages} pages"
        if others:
            kinds = ", ".join(f"{n} {t}" for t, n in sorted(self.items.items()) if t not in ("post", "page"))
            head += f", {others} other ({kinds})"
        head += f", {len(self.drafts)} drafts"
        if self.scheduled:
            head += f", {len(self.scheduled)} scheduled"
        lines.append(head)
        if self.dry_run:
            lines.append("dry run: nothing written")
        else:
            lines.extend(self._change_lines(verbose))
            pages = self.site_pages
            if pages.new or pages.updated or pages.unchanged or pages.moved or pages.conflicts or pages.gone:
                lines.extend(self._change_lines(verbose, pages, "term pages and authors' data: "))
        if self.media is not None:
            sources = ", ".join(f"{n} {k}" for k, n in sorted(self.media.by_source.items()))
            count = len({url for _, url in self.media.site_files})
            own = f"; the site's own outside wp-content/uploads: {count}" if count else ""
            lines.append(f"media: {self.media.files} files ({sources or 'none'}){own}")
        if self.languages:
            each = ", ".join(
                f"{x['code']}{' (default)' if x['default'] else ''} {x['items']}" for x in self.languages
            )
            lines.append(f"languages: {each}")
        if self.skipped:
            skipped = ", ".join(f"{n} {k}" for k, n in sorted(self.skipped.items()))
            lines.append(f"skipped {sum(self.skipped.values())}: {skipped}")
        if self.source_markup:
            counts = self.source_markup_counts()
            found = ", ".join(f"{n} {m}" for m, n in counts.items() if n and m != HTML)
            lines.append(f"source markup: {found} (converted as such), {counts[HTML]} html")
        if self.site_written:
            what = "would write" if self.dry_run else "wrote"
            lines.append(f"site: {what} {_listed(self.site_written)}")
        lines += [f"site: {line}" for line in self.site]
        not_migrated = self.warnings.kinds["link-not-migrated"]
        if not_migrated:
            lines.append(
                f"links to pages not migrated: {not_migrated} "
                "(left absolute on the old host: the export has no such page)"
            )
        if self.unknown_shortcodes:
            names = ", ".join(f"[{k}] ×{n}" for k, n in sorted(self.unknown_shortcodes.items()))
            lines.append(f"shortcodes kept as they were: {names}")
        if verbose:
            for d in self.drafts:
                lock = ", password" if d.password else ""
                lines.append(f"  draft {d.item_id} ({d.status}{lock}): {d.title} → {d.path}")
            for s in self.scheduled:
                lines.append(
                    f"  scheduled {s.item_id} for {s.day or 'an unknown date'}: {s.title} → {s.path}"
                )
        lines += self._repair_lines(verbose)
        lines += self._salvage_lines(verbose)
        if self.warnings:
            acting = sum(n for kind, n in self.warnings.kinds.items() if kind in NEEDS_ACTION)
            lines.append(f"{len(self.warnings)} warnings ({acting} need action):")
            shown = 0
            for w in self.warnings.acting_first(limit=-1 if verbose else 20):
                where = f" {w.path}" if w.path else ""
                lines.append(f"  item {w.item_id}{where}: {w.kind}: {w.message}")
                shown += 1
            if shown < len(self.warnings):
                lines.append(f"  … {len(self.warnings) - shown} more (--verbose or --report)")
        for reason in self.needs_action():
            lines.append(f"needs action: {reason}")
        return lines

    def _repair_lines(self, verbose: bool) -> list[str]:
        if not self.repairs:
            return []
        lines = [f"{len(self.repairs)} repairs (nothing lost):"]
        shown = sorted(self.repairs) if verbose else sorted(self.repairs)[:20]
        lines += [f"  {r.source}:{r.line}: {r.kind}: {r.message}" for r in shown]
        if len(shown) < len(self.repairs):
            lines.append(f"  … {len(self.repairs) - len(shown)} more (--verbose or --report)")
        return lines

    def _salvage_lines(self, verbose: bool) -> list[str]:
        lines = []
        for s in self.salvaged:
            lines.append(f"salvaged {s.error}")
            lines.append(f"  {len(s.unread)} items could not be read:")
            shown = s.unread if verbose else s.unread[:20]
            for u in shown:
                kind = f" ({u.post_type})" if u.post_type else ""
                ident = f"item {u.id}" if u.id else "an item without id"
                lines.append(f"  {ident}{kind} at line {u.line}: {u.title or '(no title)'}")
            if len(shown) < len(s.unread):
                lines.append(f"  … {len(s.unread) - len(shown)} more (--verbose or --report)")
        return lines


class Warnings(Rows[Warning]):
    """The run's warnings on disk, counted by kind as they come (what the summary and the exit
    code need without reading them)."""

    def __init__(self, file: RowFile) -> None:
        columns = ("item_id", "kind", "message", "path")
        super().__init__(file, columns, attrgetter(*columns), _made(Warning), vars)
        self.kinds: Counter[str] = Counter()

    def append(self, value: Warning) -> None:
        super().append(value)
        self.kinds[value.kind] += 1

    def acting_first(self, limit: int = -1) -> Iterator[Warning]:
        """Sorted, those that need action (NEEDS_ACTION) first; at most `limit` (-1: all)."""
        kinds = tuple(NEEDS_ACTION)
        return self.ordered(f"kind NOT IN ({', '.join('?' * len(kinds))})", kinds, limit)


def _made(kind: type) -> object:
    def made(row: tuple) -> object:
        return kind(*row)

    return made


def _draft(row: tuple) -> Draft:
    return Draft(*row[:4], bool(row[4]))  # stored as 0 or 1


def _rows_of(file: RowFile, kind: type, make: object = None) -> Rows:
    """Rows of the dataclass `kind`, a column per field; in JSON, its fields by name."""
    columns = tuple(f.name for f in fields(kind))
    return Rows(file, columns, attrgetter(*columns), make or _made(kind), vars)


# The snapshot's lists (state.LAST_RUN_LISTS), Report attributes by name: the class of their rows.
_LIST_ROWS = {"drafts": Draft, "scheduled": Scheduled, "warnings": Warning}


def _listed(paths: list[str]) -> str:
    """`hugo.toml, themes/wxr-starter/ (12 files)`: the theme's files counted, not listed."""
    shown = [p for p in paths if not p.startswith("themes/")]
    themes = Counter("/".join(p.split("/", 2)[:2]) + "/" for p in paths if p.startswith("themes/"))
    return ", ".join([*shown, *(f"{t} ({n} file{'s' if n > 1 else ''})" for t, n in sorted(themes.items()))])

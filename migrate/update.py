"""Re-runs: decide, per item, whether to write, skip, move or set aside — never destroying an edit.

The rule: the tool only replaces or deletes bytes it wrote itself. A file whose bytes differ from
what the manifest says the tool last wrote there is the user's; a new version for it goes to
`.wxr-migrate/incoming/<path>` and the run reports a conflict. `--force` overwrites after saving
the edited file under `.wxr-migrate/backups/<path>`.

Every change to an item's record is journaled (see state.py) before the file operation it stands
for — or, when it claims no new bytes, after what it follows — so a killed run is finished by the
next one as if it had not been interrupted.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from .reportrows import Rows
from .state import STATE_DIR, ItemState, Journal, SiteTable, file_hash, remove_empty_parents, sha256
from .write import atomic_write, durable_step, safe_join, sync_written

Drop = tuple[str, str] | None  # the old file a move deletes: (path, sha256)
PRUNE_MISSING_LIMIT = 0.20  # more known items missing than this: the export looks incomplete
_PART = re.compile(r"^(?P<stem>.+)\.(?P<n>\d{3})\.xml$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Conflict:
    item_id: int
    path: str  # the file the user edited (left as it is)
    incoming: str  # where the tool's new version was written instead
    reason: str


@dataclass
class Changes:
    """What a run did to the files, for the summary and the JSON report."""

    # A report's are Rows (reportrows.py): they grow with the export
    new: list[str] | Rows[str] = field(default_factory=list)
    updated: list[str] | Rows[str] = field(default_factory=list)
    unchanged: int = 0
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    conflicts: list[Conflict] = field(default_factory=list)
    deleted_by_user: list[tuple[int, str]] = field(default_factory=list)
    recreated: list[str] = field(default_factory=list)
    gone: list[tuple[int, str]] = field(default_factory=list)  # in the manifest, not in the export
    pruned: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "new": _sorted(self.new),
            "updated": _sorted(self.updated),
            "unchanged": self.unchanged,
            "moved": [{"from": a, "to": b} for a, b in sorted(self.moved)],
            "conflicts": [c.__dict__ for c in sorted(self.conflicts)],
            "deleted_by_user": [{"item_id": i, "path": p} for i, p in sorted(self.deleted_by_user)],
            "recreated": sorted(self.recreated),
            "gone_from_export": [{"item_id": i, "path": p} for i, p in sorted(self.gone)],
            "pruned": sorted(self.pruned),
            "backups": sorted(self.backups),
        }


def _sorted(paths: list[str] | Rows[str]) -> list[str] | Rows[str]:
    """Sorted paths: Rows (a report's, on disk) are read sorted, as they are written out."""
    return paths if isinstance(paths, Rows) else sorted(paths)


class Updater:
    """Applies one run's files to a site folder, following its manifest (`site`, updated in place)."""

    def __init__(
        self,
        site_dir: Path,
        site: SiteTable,
        changes: Changes,
        journal: Journal,
        site_name: str,
        force: bool = False,
    ) -> None:
        self.root = site_dir
        self.site = site
        self.changes = changes
        self.journal = journal
        self.site_name = site_name
        self.force = force

    # -- before converting ------------------------------------------------------------------

    def can_skip(self, item_id: int, source: str, path: str) -> ItemState | None:
        """True when converting the item again cannot change anything on disk.

        Its inputs are those of the last run and its file is where the tool put it. The file is then
        either as the tool wrote it, edited by hand (kept), or deleted by the user (reported).
        """
        state = self.site.items.get(item_id)
        if state is None or state.source != source or state.path != path:
            return None
        target = self._target(path)
        if not target.is_file():
            if self.force:
                return None  # --force recreates it
            self.changes.deleted_by_user.append((item_id, path))
        elif self.force and file_hash(target) != state.written:
            return None  # edited by hand: --force overwrites it (after a backup), as it says
        else:
            self.changes.unchanged += 1  # as the tool wrote it, or edited and kept (no --force)
        return state

    def history(self, item_id: int, url: str) -> list[str]:
        """Old URLs of an item the export renamed: its URL last time and the aliases it had then."""
        state = self.site.items.get(item_id)
        if state is None:
            return []
        old = [*state.aliases, state.url] if state.url and state.url != url else list(state.aliases)
        return [u for u in dict.fromkeys(old) if u and u != url]

    # -- after converting --------------------------------------------------------------------

    def apply(
        self,
        item_id: int,
        path: str,
        url: str,
        aliases: list[str],
        source: str,
        data: bytes,
        notes: dict[str, list[str]] | None = None,
    ) -> None:
        digest = sha256(data)
        state = self.site.items.get(item_id)
        target = self._target(path)
        on_disk = file_hash(target)
        record = ItemState(path, source, digest, url, aliases, notes or {})

        if state is not None and state.path != path:
            self._move(item_id, state, record, data)
            return
        if on_disk == digest:  # already these bytes (an interrupted run wrote them, or a no-op)
            self.changes.unchanged += 1
            if record != state:
                self._record(item_id, record)
            return
        if state is None:
            if on_disk is None:
                self._write(item_id, record, data)
                self.changes.new.append(path)
            else:
                self._conflict(item_id, path, record, data, "a file the tool did not write is in the way")
            return
        if on_disk is None:
            if not self.force:
                self.changes.deleted_by_user.append((item_id, path))
                self._set(item_id, _with_source(state, source))  # the deletion stands until --force
                return
            self._write(item_id, record, data)
            self.changes.recreated.append(path)
        elif on_disk == state.written:
            self._write(item_id, record, data)
            self.changes.updated.append(path)
        else:
            self._conflict(item_id, path, record, data, "edited since the last run")

    def _move(self, item_id: int, state: ItemState, record: ItemState, data: bytes) -> None:
        old_target, new_target = self._target(state.path), self._target(record.path)
        old_disk, new_disk = file_hash(old_target), file_hash(new_target)
        if old_disk is None and new_disk == record.written:
            # The tool's own bytes at the new place (a move an earlier run made): the move is done.
            self._record(item_id, record)
            self.changes.moved.append((state.path, record.path))
            return
        if old_disk is None and new_disk is not None:
            # The user already moved their edited file to the new place: it stays theirs.
            self._set(item_id, _with_written(record, state.written))
            self.changes.unchanged += 1
            return
        if old_disk is None and not self.force:
            self.changes.deleted_by_user.append((item_id, state.path))
            self._set(item_id, _with_source(state, record.source))
            return
        if old_disk not in (None, state.written) and not self.force:
            self._conflict(item_id, state.path, record, data, f"edited, and moved to {record.path}")
            return
        if new_disk is not None and new_disk != record.written and not self.force:
            self._conflict(item_id, record.path, record, data, "a file the tool did not write is in the way")
            return
        if old_disk not in (None, state.written):
            self._backup(state.path)
        if new_disk is not None and new_disk != record.written:
            self._backup(record.path)
        drop = (state.path, old_disk) if old_disk is not None else None
        self._write(item_id, record, data, drop)
        if old_disk is not None:
            sync_written()  # the journal and the new file on disk before the old one goes (state.py)
            old_target.unlink()
            durable_step()
            remove_empty_parents(old_target.parent, self.root)
        self.changes.moved.append((state.path, record.path))

    def _conflict(self, item_id: int, path: str, record: ItemState, data: bytes, reason: str) -> None:
        if self.force:
            self._backup(path)
            self._write(item_id, record, data)
            self.changes.updated.append(path)
            return
        incoming = f"{STATE_DIR}/incoming/{path}"
        atomic_write(self._target(incoming), data)
        self.changes.conflicts.append(Conflict(item_id, path, incoming, reason))
        state = self.site.items.get(item_id)
        if state is not None and state.path == record.path:
            # Reported once: later runs over the same export leave the edited file alone quietly.
            self._set(item_id, _with_written(record, state.written))

    def _backup(self, path: str) -> None:
        backup = f"{STATE_DIR}/backups/{path}"
        source = self._target(path)
        atomic_write(self._target(backup), source.read_bytes(), sync=True)  # before the edit is replaced
        self.changes.backups.append(backup)

    # -- items gone from the export ----------------------------------------------------------

    def gone(self, seen: Container[int], prune: bool) -> None:
        for item_id, state in self.site.items.items():  # a walk by id: deleting as it goes is fine
            if item_id in seen:
                continue
            self.changes.gone.append((item_id, state.path))
            if not prune:
                continue
            target = self._target(state.path)
            on_disk = file_hash(target)
            if on_disk == state.written:
                self.journal.delete(self.site_name, item_id, state.path, on_disk)
                target.unlink()
                durable_step()
                remove_empty_parents(target.parent, self.root)
                self.changes.pruned.append(state.path)
                del self.site.items[item_id]
            elif on_disk is None:
                del self.site.items[item_id]  # already deleted by the user: forget it
                self.journal.forget(self.site_name, item_id)

    def _target(self, path: str) -> Path:
        return safe_join(self.root, path)

    def _write(self, item_id: int, record: ItemState, data: bytes, drop: Drop = None) -> None:
        """Journal the item's new record (and the old file a move deletes), then write its file."""
        self.journal.write(self.site_name, item_id, record, drop)
        atomic_write(self._target(record.path), data)
        self.site.items[item_id] = record

    def _record(self, item_id: int, record: ItemState) -> None:
        """A new record for bytes already on disk."""
        self.journal.write(self.site_name, item_id, record)
        self.site.items[item_id] = record

    def _set(self, item_id: int, record: ItemState) -> None:
        """A new record that claims no new bytes, journaled after what it follows."""
        self.site.items[item_id] = record
        self.journal.set(self.site_name, item_id, record)


def _with_source(state: ItemState, source: str) -> ItemState:
    return ItemState(state.path, source, state.written, state.url, state.aliases, state.notes)


def _with_written(record: ItemState, written: str) -> ItemState:
    return ItemState(record.path, record.source, written, record.url, record.aliases, record.notes)


def incomplete_export(site: SiteTable, exports: list[str], seen: Container[int]) -> str:
    """Why the given export looks like part of the site ("" when it looks whole): prune must not run."""
    parts: dict[str, set[int]] = {}
    for name in exports:
        m = _PART.match(name)
        if m:
            parts.setdefault(m["stem"], set()).add(int(m["n"]))
    for stem, numbers in sorted(parts.items()):
        missing = sorted(set(range(max(numbers) + 1)) - numbers)
        if missing:
            return f"part {missing[0]:03d} of the split export {stem}.NNN.xml was not given"
    last_exports = site.exports
    if last_exports and len(exports) < len(last_exports):
        return f"the last run read {len(last_exports)} export files, this one {len(exports)}"
    known = len(site.items)
    if known:
        missing_count = sum(1 for item_id in site.items if item_id not in seen)
        if missing_count > PRUNE_MISSING_LIMIT * known:
            return f"{missing_count} of {known} known items are missing from this export"
    return ""

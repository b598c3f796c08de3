"""The manifest that makes re-runs safe: what the tool wrote, from what, with which bytes.

`SITE_DIR/.wxr-migrate/manifest.sqlite`, a store on disk that a run updates record by record. Per
item (keyed by site and post id): the file's path, its old URL and aliases, a hash of everything
that shapes its output (`source`), and a hash of the bytes last written (`written`). Comparing the
bytes on disk with `written` tells a hand edit from the tool's own file; comparing `source` tells
whether the item must be converted again at all. Per media file: its URL, path, size and hash.
Files that are not items but that users may edit too are tables of their own, named after the
site: its term pages `SITE#terms:TAXONOMY` keyed by term id, its authors' data file `SITE#authors`
(key 0).

Why SQLite and not the JSON file of version 1 (`manifest.json`): that file had to be held whole in
memory during a run and written whole at its end, the run's memory peak at 100k posts (several KB
per item in the main process). The store is read and written a record at a time through small
Mapping views (`Manifest.site(name).items`, `.paths`, `media`, `site_files`), in key order, so a
run never holds its records. A run's changes go into ONE write transaction, opened when the
manifest is read (rollback journal, `synchronous=FULL`, a bounded page cache): saving the manifest
is its COMMIT — atomic and durable, with no copy of the manifest in memory. A run killed before
it leaves SQLite's hot journal, which the next open rolls back to the last committed run. A dry run,
or a folder with no manifest yet, reads an empty store in memory; the file is created (inside the
same transaction) only by the first change after the manifest is read, so a dry run or refused
input never creates it. A `manifest.json` of version 1 is read once, whole, converted into the
store, and removed only after the store holding it is committed.

A run changes files long before it commits, and a kill loses the uncommitted changes, so every
change to the manifest is first appended to `SITE_DIR/.wxr-migrate/journal` (one JSON line): a
file's new record before the file is written, moved or deleted, a record that claims no bytes after
what it follows. A run killed at any instruction leaves the manifest of the last whole run plus a
journal of what came after; the next run replays it — a record is taken when the bytes on disk show
its file operation happened — so a file at an item's new path with the hash of the tool's output is
known to be the tool's, not the user's. The journal names the committed manifest it follows (the
store's id and generation, a counter each commit raises; for a `manifest.json`, a hash of its
bytes), so one left behind by a run killed just after the commit is not replayed twice.

Durability is batched: files and journal lines are not fsynced one by one (a SIGKILL loses nothing
the page cache holds). `finish` makes every file written and the journal durable at once, then
commits: a manifest on disk never claims bytes the disk lacks. A power cut mid-run may lose the
last journal lines and leave recent files empty or old; the next run takes a file as the tool's
only when its bytes are exactly the tool's, so such a file is kept as the user's (a conflict),
never overwritten. Before a file the tool wrote is deleted (a move's old file, a prune), what was
written so far, the journal included, is synced first, so a deletion never reaches the disk before
the record and the new file that stand for it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path

from . import __version__
from .write import UnsafePathError, durable_step, safe_join, sync_written, written

STATE_DIR = ".wxr-migrate"
STORE = "manifest.sqlite"
MANIFEST = "manifest.json"  # version 1: read once and converted into the store
JOURNAL = "journal"
MANIFEST_VERSION = 1  # the JSON shape (`dump`, and the version 1 file)
STORE_VERSION = 2  # 2: the last run's per-item report lists are rows (last_run_rows)
_AFRESH = "(move it away to start afresh)"
_PAGE = 512  # rows per query when a table is walked in key order
_CACHE_KIB = 4096  # SQLite's page cache: a big run's changes spill to the file, not to memory

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sites (name TEXT PRIMARY KEY, exports TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE items (
    site TEXT NOT NULL, id INTEGER NOT NULL, path TEXT NOT NULL, source TEXT NOT NULL,
    written TEXT NOT NULL, url TEXT NOT NULL, aliases TEXT NOT NULL, notes TEXT NOT NULL,
    PRIMARY KEY (site, id)) WITHOUT ROWID;
CREATE TABLE media (
    key TEXT PRIMARY KEY, url TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, mtime_ns INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE site_files (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE last_run (key TEXT NOT NULL, site TEXT NOT NULL, media INTEGER NOT NULL, report TEXT NOT NULL);
CREATE TABLE last_run_keys (tbl TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;
"""
# Version 2's: the last run's report rows (see LAST_RUN_LISTS; version 1 stores get it by _upgrade)
_ROWS_TABLE = "CREATE TABLE last_run_rows (n INTEGER PRIMARY KEY, list TEXT NOT NULL, row TEXT NOT NULL)"
_SCHEMA += _ROWS_TABLE + ";\n"
_TABLES = ("meta", "sites", "items", "media", "site_files", "last_run", "last_run_keys", "last_run_rows")
# Version 1 stores lack the last table; opened, they are upgraded (see _upgrade).
_TABLES_1 = frozenset(_TABLES[:-1])
# The last run's report lists that grow with the export: a row each in last_run_rows, not in the
# snapshot's JSON (Report.snapshot_rows), so that neither is ever one big string.
LAST_RUN_LISTS = ("drafts", "scheduled", "warnings")


class ManifestError(Exception):
    """The manifest exists but cannot be trusted (a usage error: exit 2, nothing written)."""


@dataclass
class ItemState:
    path: str  # relative to the site folder
    source: str  # hash of the item and of everything else that shapes its file
    written: str  # sha256 of the bytes the tool last wrote there
    url: str = ""  # the URL the item had (its old permalink path), for aliases after a rename
    aliases: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # the conversion's report lines, replayed


@dataclass
class MediaState:
    url: str
    path: str  # relative to the site folder
    size: int
    sha256: str
    mtime_ns: int = 0  # when it was written: size and mtime unchanged → the hash still holds


@dataclass(frozen=True)
class LastRun:
    """The last run that a re-run with the very same inputs may replay without reading the export.
    Its keys are rows (`Manifest.last_run_keys`): the post ids under the site's name, the term pages'
    and authors' file's keys under their tables' names (see site/stage.write_pages)."""

    key: str  # hash of the inputs
    site: str
    media: bool  # every media record was checked by that run (a re-run checks them all again)
    report: str  # Report.snapshot() as JSON; its LAST_RUN_LISTS are rows (`last_run_rows`)


def manifest_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / STORE


def json_manifest_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / MANIFEST


def journal_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / JOURNAL


def damaged(path: Path, what: str) -> ManifestError:
    return ManifestError(f"{path}: {what} {_AFRESH}")


def _connect(target: str | Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), durable commits, a bounded cache."""
    db = sqlite3.connect(target, isolation_level=None, timeout=5)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
    return db


def _create_tables(db: sqlite3.Connection) -> None:
    # One statement at a time: executescript would commit the open transaction first.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _new_store(db: sqlite3.Connection) -> None:
    """The tables of an empty manifest (inside the caller's transaction)."""
    _create_tables(db)
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("version", str(STORE_VERSION)),
            ("generator", f"wxr-migrate {__version__}"),
            ("store", secrets.token_hex(8)),
            ("generation", "0"),
        ],
    )


class Manifest:
    """The manifest store of one site folder, read and changed in one open transaction.

    `Manifest()`: an empty store in memory that is never saved (a dry run). `load(site_dir)` opens a
    folder's. Close it (`close`, or `with`) when the run ends: what was not committed is rolled back.
    """

    def __init__(self, db: sqlite3.Connection | None = None, path: Path | None = None) -> None:
        self._in_memory = db is None
        if db is None:
            db = _connect(":memory:")
            db.execute("BEGIN")
            _new_store(db)
        self._db = db
        self.path = path  # the store's file; None: never saved
        self._lazy = False  # the first change creates the file (see the module's docstring)
        # What the store on disk held when read ("" when there was none: the journal follows that),
        # how much of the journal follows it, the files an interrupted move left at their old path,
        # and a version 1 file to remove once the store holding it is committed.
        self.base = ""
        self.journal_size = 0
        self.leftovers: list[tuple[str, str]] = []
        self.upgraded: Path | None = None
        self.sites = _Sites(self)
        self.media = _media_table(self)
        self.site_files = _site_files_table(self)

    # -- queries (a damaged file is a ManifestError, a full disk an OSError) ----------------------

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _one(self, sql: str, params: tuple = ()) -> tuple | None:
        try:
            return self._db.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _change(self, sql: str, params: tuple = ()) -> int:
        """Run a change in the open transaction; how many rows it changed."""
        if self._lazy:
            self._create_file()
        try:
            return self._db.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> Exception:
        where = self.path or Path(":memory:")
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))
        if isinstance(exc, sqlite3.OperationalError):
            return OSError(errno.EIO, f"manifest store: {exc}", str(where))
        return damaged(where, f"damaged manifest: {exc}")

    def _create_file(self) -> None:
        """The first change of a folder with no store yet: create the file in a write transaction
        of its own and move what the memory store holds (a version 1 manifest, a replayed journal)."""
        self._lazy = False
        memory = self._db
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Created here with the mode open() gives (SQLite's own is 0644 whatever the umask; its
        # journal takes the database's mode).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666))
        try:
            db = _connect(self.path)
            db.execute("BEGIN IMMEDIATE")
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                db.execute(f"DROP TABLE {name}")  # noqa: S608 - an empty rolled-back store's own tables
            _create_tables(db)
            for table in _TABLES:
                columns = len(memory.execute(f"SELECT * FROM {table} LIMIT 0").description)  # noqa: S608
                marks = ", ".join("?" * columns)
                rows = memory.execute(f"SELECT * FROM {table}")  # noqa: S608
                db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        memory.close()
        self._db = db
        self._in_memory = False

    # -- the store's identity ---------------------------------------------------------------------

    def _meta(self, name: str) -> str:
        row = self._one("SELECT value FROM meta WHERE name = ?", (name,))
        return row[0] if row else ""

    def identity(self) -> str:
        """What a journal that follows this store names: its id and committed generation."""
        return f"{self._meta('store')}:{self._meta('generation')}"

    def commit(self) -> None:
        """Save the manifest: raise the generation and COMMIT (durable when this returns). A store
        in memory (a dry run) is never saved."""
        if self.path is None:
            return
        if self._lazy:
            self._create_file()
        generation = int(self._meta("generation") or 0) + 1
        self._change("UPDATE meta SET value = ? WHERE name = 'generation'", (str(generation),))
        self._change("UPDATE meta SET value = ? WHERE name = 'generator'", (f"wxr-migrate {__version__}",))
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        durable_step()
        self._db.execute("BEGIN IMMEDIATE")  # a store stays open for changes until it is closed
        self.base = self.identity()

    def close(self) -> None:
        """Roll back what was not committed and let the file go."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- tables -----------------------------------------------------------------------------------

    def site(self, name: str) -> SiteTable:
        """One table of item records (a site's, or its term pages' or authors' file's)."""
        return SiteTable(self, name)

    # -- the last run -----------------------------------------------------------------------------

    def last_run(self) -> LastRun | None:
        row = self._one("SELECT key, site, media, report FROM last_run")
        return LastRun(row[0], row[1], bool(row[2]), row[3]) if row else None

    def clear_last_run(self) -> None:
        """This run is not the last one a re-run may replay (until `set_last_run`)."""
        if any(self._one(f"SELECT 1 FROM {table}") for table in _LAST_RUN_TABLES):  # noqa: S608
            for table in _LAST_RUN_TABLES:
                self._change(f"DELETE FROM {table}")  # noqa: S608

    def note_last_run(self, table: str, key: int) -> None:
        """One key this run settled in `table` (kept as the last run's by `set_last_run`)."""
        self._change("INSERT OR IGNORE INTO last_run_keys VALUES (?, ?)", (table, key))

    def set_last_run(self, last: LastRun, rows: Iterable[tuple[str, str]] = ()) -> None:
        """Keep `last` and its report's per-item `rows` ((list, row as JSON), read one at a time)."""
        self._change("DELETE FROM last_run")
        self._change("DELETE FROM last_run_rows")
        self._change(
            "INSERT INTO last_run VALUES (?, ?, ?, ?)", (last.key, last.site, int(last.media), last.report)
        )
        try:
            self._db.executemany("INSERT INTO last_run_rows (list, row) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def last_run_rows(self) -> Iterator[tuple[str, str]]:
        """The last run's report rows, (list, row as JSON), as `set_last_run` was given them."""
        sql = "SELECT n, list, row FROM last_run_rows WHERE n > ? ORDER BY n LIMIT ?"
        return ((name, row) for _n, name, row in _walk(self, sql, (), 0))

    def last_run_tables(self) -> list[str]:
        """The tables the last run noted keys of, by name."""
        return [name for (name,) in self._rows("SELECT DISTINCT tbl FROM last_run_keys ORDER BY tbl")]

    def last_run_keys(self, table: str) -> Iterator[int]:
        return (key for key, _ in self._walk_last_run(table))

    def last_run_missing(self, table: str) -> int:
        """How many keys the last run noted in `table` have no record there."""
        row = self._one(
            "SELECT count(*) FROM last_run_keys AS k LEFT JOIN items AS i ON i.site = k.tbl AND i.id = k.id"
            " WHERE k.tbl = ? AND i.id IS NULL",
            (table,),
        )
        return row[0]

    def last_run_records(self, table: str) -> Iterator[tuple[int, str]]:
        """(key, path) of the records of the keys the last run noted in `table`, by key."""
        return ((key, path) for key, path in self._walk_last_run(table) if path is not None)

    def not_in_last_run(self, table: str) -> Iterator[tuple[int, str]]:
        """(key, path) of the records of `table` the last run did not note, by key."""
        sql = (
            "SELECT i.id, i.path FROM items AS i WHERE i.site = ? AND i.id > ? AND NOT EXISTS"
            " (SELECT 1 FROM last_run_keys AS k WHERE k.tbl = i.site AND k.id = i.id) ORDER BY i.id LIMIT ?"
        )
        return _walk(self, sql, (table,), _SMALLEST_ID)

    def _walk_last_run(self, table: str) -> Iterator[tuple[int, str | None]]:
        sql = (
            "SELECT k.id, i.path FROM last_run_keys AS k LEFT JOIN items AS i ON i.site = k.tbl"
            " AND i.id = k.id WHERE k.tbl = ? AND k.id > ? ORDER BY k.id LIMIT ?"
        )
        return _walk(self, sql, (table,), _SMALLEST_ID)

    # -- the version 1 shape ----------------------------------------------------------------------

    def _last_report(self, last: LastRun) -> dict[str, object]:
        """The last run's snapshot whole, its rows in their lists (version 1 held it so)."""
        report = json.loads(last.report)
        for name, row in self.last_run_rows():
            report.setdefault(name, []).append(json.loads(row))
        return report

    def to_dict(self) -> dict[str, object]:
        """The manifest as version 1's `manifest.json` held it (sorted): for tests and debugging."""
        data: dict[str, object] = {
            "version": MANIFEST_VERSION,
            "generator": self._meta("generator"),
            "sites": {
                name: {"exports": site.exports, "items": {str(i): asdict(s) for i, s in site.items.items()}}
                for name, site in self.sites.items()
            },
            "media": {k: asdict(m) for k, m in self.media.items()},
            "last_run": {},
        }
        last = self.last_run()
        if last is not None:
            tables = [t for t in self.last_run_tables() if t != last.site]
            data["last_run"] = {
                "key": last.key,
                "site": last.site,
                "ids": list(self.last_run_keys(last.site)),
                "media": list(self.media) if last.media else [],
                "report": self._last_report(last),
                **({"pages": {t: list(self.last_run_keys(t)) for t in tables}} if tables else {}),
            }
        if self.site_files:
            data["site_files"] = dict(self.site_files.items())
        return data


def _walk(manifest: Manifest, sql: str, params: tuple, first: object) -> Iterator[tuple]:
    """Rows of `sql` (which takes the last key seen and a limit as its last parameters), a page at a
    time: a table is walked in key order without holding it, and may change meanwhile."""
    last = first
    while True:
        rows = manifest._rows(sql, (*params, last, _PAGE))
        yield from rows
        if len(rows) < _PAGE:
            return
        last = rows[-1][0]


_SMALLEST_ID = -(2**63)
_LAST_RUN_TABLES = ("last_run", "last_run_keys", "last_run_rows")


class _Items(MutableMapping[int, ItemState]):
    """The records of one table, by key (post id, term id), over the store: nothing held."""

    def __init__(self, manifest: Manifest, site: str) -> None:
        self._m, self._site = manifest, site

    def __getitem__(self, key: int) -> ItemState:
        row = self._m._one(
            "SELECT path, source, written, url, aliases, notes FROM items WHERE site = ? AND id = ?",
            (self._site, key),
        )
        if row is None:
            raise KeyError(key)
        return _item_row(row)

    def __setitem__(self, key: int, item: ItemState) -> None:
        self._m._change("INSERT OR IGNORE INTO sites VALUES (?, '[]')", (self._site,))
        self._m._change(
            "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._site,
                key,
                item.path,
                item.source,
                item.written,
                item.url,
                json.dumps(item.aliases, ensure_ascii=False),
                json.dumps(item.notes, ensure_ascii=False, sort_keys=True),
            ),
        )

    def __delitem__(self, key: int) -> None:
        if not self._m._change("DELETE FROM items WHERE site = ? AND id = ?", (self._site, key)):
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return self._m._one("SELECT 1 FROM items WHERE site = ? AND id = ?", (self._site, key)) is not None

    def __iter__(self) -> Iterator[int]:
        sql = "SELECT id FROM items WHERE site = ? AND id > ? ORDER BY id LIMIT ?"
        return (row[0] for row in _walk(self._m, sql, (self._site,), _SMALLEST_ID))

    def __len__(self) -> int:
        return self._m._one("SELECT count(*) FROM items WHERE site = ?", (self._site,))[0]

    def items(self) -> Iterator[tuple[int, ItemState]]:  # type: ignore[override] - a walk, not a view
        sql = (
            "SELECT id, path, source, written, url, aliases, notes FROM items"
            " WHERE site = ? AND id > ? ORDER BY id LIMIT ?"
        )
        return ((row[0], _item_row(row[1:])) for row in _walk(self._m, sql, (self._site,), _SMALLEST_ID))

    def values(self) -> Iterator[ItemState]:  # type: ignore[override]
        return (item for _, item in self.items())


def _item_row(row: tuple) -> ItemState:
    return ItemState(row[0], row[1], row[2], row[3], json.loads(row[4]), json.loads(row[5]))


class _Paths(Mapping[int, str]):
    """Each record's path, by key: what plan.scan asks the last run for (see pipeline)."""

    def __init__(self, manifest: Manifest, site: str) -> None:
        self._m, self._site = manifest, site

    def __getitem__(self, key: int) -> str:
        row = self._m._one("SELECT path FROM items WHERE site = ? AND id = ?", (self._site, key))
        if row is None:
            raise KeyError(key)
        return row[0]

    def __iter__(self) -> Iterator[int]:
        return iter(_Items(self._m, self._site))

    def __len__(self) -> int:
        return len(_Items(self._m, self._site))

    def items(self) -> Iterator[tuple[int, str]]:  # type: ignore[override]
        sql = "SELECT id, path FROM items WHERE site = ? AND id > ? ORDER BY id LIMIT ?"
        return _walk(self._m, sql, (self._site,), _SMALLEST_ID)


class SiteTable:
    """One table of the manifest: its records (`items`), their paths, the exports last read."""

    def __init__(self, manifest: Manifest, name: str) -> None:
        self._m, self.name = manifest, name
        self.items = _Items(manifest, name)
        self.paths = _Paths(manifest, name)

    @property
    def exports(self) -> list[str]:
        row = self._m._one("SELECT exports FROM sites WHERE name = ?", (self.name,))
        return json.loads(row[0]) if row else []

    @exports.setter
    def exports(self, names: list[str]) -> None:
        self._m._change(
            "INSERT OR REPLACE INTO sites VALUES (?, ?)",
            (self.name, json.dumps(list(names), ensure_ascii=False)),
        )


class _Sites(Mapping[str, SiteTable]):
    """The tables by name (a handful: the site's and its pages')."""

    def __init__(self, manifest: Manifest) -> None:
        self._m = manifest

    def __getitem__(self, name: str) -> SiteTable:
        if self._m._one("SELECT 1 FROM sites WHERE name = ?", (name,)) is None:
            raise KeyError(name)
        return SiteTable(self._m, name)

    def __iter__(self) -> Iterator[str]:
        return iter([name for (name,) in self._m._rows("SELECT name FROM sites ORDER BY name")])

    def __len__(self) -> int:
        return self._m._one("SELECT count(*) FROM sites")[0]


class _Keyed(MutableMapping[str, object]):
    """A table keyed by a string (`media` by key, `site_files` by path), over the store."""

    def __init__(self, manifest: Manifest, table: str, key: str, columns: str, kind: type | None) -> None:
        self._m, self._kind = manifest, kind  # the records' type (None: the one column as it is)
        self._get = f"SELECT {columns} FROM {table} WHERE {key} = ?"  # noqa: S608 - names of ours
        self._set = f"INSERT OR REPLACE INTO {table} VALUES (?, {', '.join('?' * len(columns.split(',')))})"  # noqa: S608
        self._del = f"DELETE FROM {table} WHERE {key} = ?"  # noqa: S608
        self._walk = f"SELECT {key}, {columns} FROM {table} WHERE {key} > ? ORDER BY {key} LIMIT ?"  # noqa: S608
        self._count = f"SELECT count(*) FROM {table}"  # noqa: S608

    def _value(self, row: tuple) -> object:
        return self._kind(*row) if self._kind is not None else row[0]

    def __getitem__(self, key: str) -> object:
        row = self._m._one(self._get, (key,))
        if row is None:
            raise KeyError(key)
        return self._value(row)

    def __setitem__(self, key: str, value: object) -> None:
        if self.get(key) != value:
            fields = astuple(value) if self._kind is not None else (value,)
            self._m._change(self._set, (key, *fields))

    def __delitem__(self, key: str) -> None:
        if not self._m._change(self._del, (key,)):
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return self._m._one(self._get, (key,)) is not None

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in _walk(self._m, self._walk, (), ""))

    def __len__(self) -> int:
        return self._m._one(self._count)[0]

    def items(self) -> Iterator[tuple[str, object]]:  # type: ignore[override] - a walk, not a view
        return ((row[0], self._value(row[1:])) for row in _walk(self._m, self._walk, (), ""))


def _media_table(manifest: Manifest) -> MutableMapping[str, MediaState]:
    """The media records, by key (path below the site root URL)."""
    return _Keyed(manifest, "media", "key", "url, path, size, sha256, mtime_ns", MediaState)


def _site_files_table(manifest: Manifest) -> MutableMapping[str, str]:
    """The site's files the tool wrote (configuration, menus data, theme): path → sha256."""
    return _Keyed(manifest, "site_files", "path", "sha256", None)


# -- opening a folder's manifest ------------------------------------------------------------------


def load(site_dir: Path) -> Manifest:
    """The manifest of `site_dir` with what an interrupted run journaled after it, or an empty one
    for a folder the tool never wrote to, open in a write transaction (close it when done).
    Raises ManifestError for anything it cannot trust."""
    manifest = _open(site_dir)
    try:
        _replay_journal(site_dir, manifest)
    except BaseException:
        manifest.close()
        raise
    manifest._lazy = manifest._in_memory  # from now on, the first change creates the file
    return manifest


def dump(site_dir: Path) -> dict[str, object]:
    """The committed manifest of `site_dir` in version 1's JSON shape, sorted (no journal replayed):
    what tests compare, and a way to look inside (`python -c 'from migrate import state; ...'`)."""
    with _open(site_dir) as manifest:
        return manifest.to_dict()


def _open(site_dir: Path) -> Manifest:
    path, old = manifest_path(site_dir), json_manifest_path(site_dir)
    if path.is_file():
        db = None
        try:
            db = _connect(path)
            db.execute("BEGIN IMMEDIATE")  # rolls back what a killed run left (its hot journal)
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables:
                if tables != set(_TABLES) and tables != _TABLES_1:
                    raise damaged(path, "damaged manifest: not a wxr-migrate manifest store")
                version = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
                if tables == _TABLES_1 and version == ("1",):
                    _upgrade(db)
                    version = (str(STORE_VERSION),)
                if version is None or version[0] != str(STORE_VERSION):
                    raise damaged(
                        path,
                        f"manifest store version {version and version[0]!r}, this tool reads {STORE_VERSION}",
                    )
                manifest = Manifest(db, path)
                manifest.base = manifest.identity()
                if old.exists():
                    manifest.upgraded = old  # converted by a run killed before it could remove it
                return manifest
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            raise damaged(path, f"damaged manifest: {exc}") from None
        except BaseException:
            if db is not None:
                db.close()
            raise
        db.close()  # an empty store (a first run killed before its commit): as if none
    manifest = Manifest()
    manifest.path = path
    try:
        raw = old.read_bytes()
    except FileNotFoundError:
        return manifest
    except OSError as exc:
        manifest.close()
        raise ManifestError(f"{old}: cannot read: {exc.strerror}") from None
    try:
        _convert(site_dir, old, raw, manifest)
    except BaseException:
        manifest.close()
        raise
    manifest.base = sha256(raw)
    manifest.upgraded = old
    return manifest


def _upgrade(db: sqlite3.Connection) -> None:
    """A version 1 store made version 2, in the run's transaction (committed with it, or rolled
    back: a dry look, `dump`, leaves the file as it was). Its last run is not kept: version 1 held
    the report's snapshot as one JSON string, and a re-run after it is the first of a new tool (its
    run key, which hashes the tool's source, differs anyway): it converts and compares as usual."""
    db.execute(_ROWS_TABLE)
    db.execute("DELETE FROM last_run")
    db.execute("DELETE FROM last_run_keys")
    db.execute("UPDATE meta SET value = ? WHERE name = 'version'", (str(STORE_VERSION),))


# -- the strict reader of version 1's manifest.json ----------------------------------------------


class _Bad(Exception):
    """One field that is not what the manifest format says (its place and what is wrong)."""


def _convert(site_dir: Path, path: Path, raw: bytes, manifest: Manifest) -> None:
    """Check a version 1 manifest whole, then put its records into `manifest` (the store)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise damaged(path, f"damaged manifest: not UTF-8 (byte {exc.start})") from None
    except ValueError as exc:
        raise damaged(path, f"damaged manifest: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise damaged(path, "damaged manifest: not a JSON object")
    if data.get("version") != MANIFEST_VERSION or isinstance(data.get("version"), bool):
        raise damaged(path, f"manifest version {data.get('version')!r}, this tool reads {MANIFEST_VERSION}")
    try:
        _manifest_of(site_dir, data, manifest)
    except _Bad as exc:
        raise damaged(path, f"damaged manifest: {exc}") from None


def _manifest_of(root: Path, data: dict, manifest: Manifest) -> None:
    _keys(data, "", required=("version", "sites"), optional=("generator", "media", "last_run", "site_files"))
    _typed(data.get("generator", ""), str, "generator")
    for name, site in _typed(data["sites"], dict, "sites").items():
        where = f"sites.{name}"
        _typed(site, dict, where)
        _keys(site, where, required=("items",), optional=("exports",))
        table = manifest.site(name)
        table.exports = _strings(site.get("exports", []), f"{where}.exports")
        for key, item in _typed(site["items"], dict, f"{where}.items").items():
            table.items[_item_id(key, f"{where}.items")] = _item_of(root, item, f"{where}.items.{key}")
    for key, media in _typed(data.get("media", {}), dict, "media").items():
        manifest.media[key] = _media_of(root, media, f"media.{key}")
    _last_run_of(data.get("last_run") or {}, manifest)
    for path, digest in _typed(data.get("site_files", {}), dict, "site_files").items():
        # A path below the folder; not resolved: a user may link hugo.toml to a shared file.
        parts = path.split("/")
        if not path or "\\" in path or "\x00" in path or any(p in ("", ".", "..") for p in parts):
            raise _Bad(f"site_files: unsafe path {path!r}")
        manifest.site_files[path] = _typed(digest, str, f"site_files.{path}")


def _item_of(root: Path, data: object, where: str) -> ItemState:
    _typed(data, dict, where)
    _keys(data, where, required=("path", "source", "written"), optional=("url", "aliases", "notes"))
    notes = _typed(data.get("notes", {}), dict, f"{where}.notes")
    return ItemState(
        path=_inside(root, data["path"], f"{where}.path"),
        source=_typed(data["source"], str, f"{where}.source"),
        written=_typed(data["written"], str, f"{where}.written"),
        url=_typed(data.get("url", ""), str, f"{where}.url"),
        aliases=_strings(data.get("aliases", []), f"{where}.aliases"),
        notes={kind: _strings(lines, f"{where}.notes.{kind}") for kind, lines in notes.items()},
    )


def _media_of(root: Path, data: object, where: str) -> MediaState:
    _typed(data, dict, where)
    _keys(data, where, required=("url", "path", "size", "sha256"), optional=("mtime_ns",))
    return MediaState(
        url=_typed(data["url"], str, f"{where}.url"),
        path=_inside(root, data["path"], f"{where}.path"),
        size=_typed(data["size"], int, f"{where}.size"),
        sha256=_typed(data["sha256"], str, f"{where}.sha256"),
        mtime_ns=_typed(data.get("mtime_ns", 0), int, f"{where}.mtime_ns"),
    )


def _last_run_of(data: object, manifest: Manifest) -> None:
    _typed(data, dict, "last_run")
    if not data:
        return
    _keys(data, "last_run", required=("key", "site", "ids", "media", "report"), optional=("pages",))
    key = _typed(data["key"], str, "last_run.key")
    site = _typed(data["site"], str, "last_run.site")
    for n, item_id in enumerate(_typed(data["ids"], list, "last_run.ids")):
        manifest.note_last_run(site, _typed(item_id, int, f"last_run.ids[{n}]"))
    media = _strings(data["media"], "last_run.media")
    report = _typed(data["report"], dict, "last_run.report")  # its fields: checked when replayed (pipeline)
    for name, keys in _typed(data.get("pages", {}), dict, "last_run.pages").items():
        for n, page in enumerate(_typed(keys, list, f"last_run.pages.{name}")):
            manifest.note_last_run(name, _typed(page, int, f"last_run.pages.{name}[{n}]"))
    head = {name: value for name, value in report.items() if name not in LAST_RUN_LISTS}
    rows = (
        (name, json.dumps(row, ensure_ascii=False))
        for name in LAST_RUN_LISTS
        for row in _typed(report.get(name, []), list, f"last_run.report.{name}")
    )
    manifest.set_last_run(LastRun(key, site, bool(media), json.dumps(head, ensure_ascii=False)), rows)


_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def _typed(value: object, kind: type, where: str):  # noqa: ANN202 - returns `value`, of type `kind`
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Bad(f"{where} is {json.dumps(value, ensure_ascii=False)[:60]}, not {_TYPE_NAMES[kind]}")
    return value


def _strings(value: object, where: str) -> list[str]:
    for n, text in enumerate(_typed(value, list, where)):
        _typed(text, str, f"{where}[{n}]")
    return list(value)


def _keys(data: dict, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    place = f"{where}: " if where else ""
    for key in required:
        if key not in data:
            raise _Bad(f"{place}{key!r} is missing")
    for key in data:
        if key not in required and key not in optional:
            raise _Bad(f"{place}unknown field {key!r}")


def _item_id(key: str, where: str) -> int:
    if not key.isascii() or not key.isdigit():
        raise _Bad(f"{where}: {key!r} is not a post id")
    return int(key)


def _inside(root: Path, value: object, where: str) -> str:
    try:
        safe_join(root, _typed(value, str, where))
    except UnsafePathError as exc:
        raise _Bad(f"{where}: {exc}") from None
    return value


# -- the journal ----------------------------------------------------------------------------------


class Journal:
    """Appends this run's manifest changes to `.wxr-migrate/journal` (synced with the files: see
    the module's docstring).

    Opened on the first record, so a run that changes nothing writes nothing. Records go after what
    an earlier interrupted run journaled (the manifest has not been committed since), or start a new
    journal naming the manifest they follow."""

    def __init__(self, site_dir: Path, manifest: Manifest) -> None:
        self.path = journal_path(site_dir)
        self.manifest = manifest
        self.fd: int | None = None

    def write(self, site: str, item_id: int, item: ItemState, drop: tuple[str, str] | None = None) -> None:
        """Before writing or moving `item`'s file: taken when its bytes are at `item.path`.
        `drop`: the old (path, sha256) the move deletes after writing the new file."""
        self._append({"op": "write", "site": site, "id": item_id, "item": asdict(item), "drop": drop})

    def set(self, site: str, item_id: int, item: ItemState) -> None:
        """After a change of `item`'s record that claims no new bytes (a conflict, a deletion noted)."""
        self._append({"op": "set", "site": site, "id": item_id, "item": asdict(item)})

    def delete(self, site: str, item_id: int, path: str, sha: str) -> None:
        """Before deleting an item's file (prune): taken when the file no longer has `sha`.
        On disk when this returns, with everything written so far (see the module's docstring)."""
        self._append({"op": "delete", "site": site, "id": item_id, "path": path, "sha": sha})
        sync_written()

    def forget(self, site: str, item_id: int) -> None:
        """After dropping an item whose file the user deleted from the manifest."""
        self._append({"op": "forget", "site": site, "id": item_id})

    def media(self, records: dict[str, MediaState]) -> None:
        """After the media files are in place: their records."""
        if records:
            self._append({"op": "media", "media": {k: asdict(m) for k, m in sorted(records.items())}})

    def media_delete(self, key: str, path: str, sha: str) -> None:
        """Before deleting a media file no post uses (prune): taken when the file no longer has `sha`.
        On disk when this returns, with everything written so far."""
        self._append({"op": "media-delete", "key": key, "path": path, "sha": sha})
        sync_written()

    def _append(self, record: dict[str, object]) -> None:
        if self.fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
            # Only what the manifest's journal holds is kept: a torn last line, or a journal that
            # follows another manifest (one committed after it), goes.
            os.ftruncate(self.fd, self.manifest.journal_size)
            if self.manifest.journal_size == 0:
                self._line({"begin": self.manifest.base})
        self._line(record)
        durable_step()

    def _line(self, record: dict[str, object]) -> None:
        data = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        rest = memoryview(data)
        while rest:  # a short write (a disk filling up) goes on until it raises
            rest = rest[os.write(self.fd, rest) :]
        written(self.path)
        self.manifest.journal_size += len(data)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def finish(site_dir: Path, manifest: Manifest, journal: Journal | None = None) -> None:
    """Make every file written durable, commit the manifest, then drop what it now holds: the
    journal, and a version 1 manifest it was converted from."""
    if journal is not None:
        journal.close()
    sync_written()
    manifest.commit()
    if manifest.upgraded is not None:
        with contextlib.suppress(FileNotFoundError):
            manifest.upgraded.unlink()
        manifest.upgraded = None
    with contextlib.suppress(FileNotFoundError):
        journal_path(site_dir).unlink()
    manifest.journal_size = 0


def settle(site_dir: Path) -> None:
    """After an I/O error mid-run (the run's own store closed, its changes rolled back): commit a
    manifest recording exactly what is on disk (the last one and the journal since), finishing an
    interrupted move. On a disk still full this may fail too; the journal then stays and the next
    run replays it. No journal: nothing recorded changed."""
    if not journal_path(site_dir).exists():
        return
    with contextlib.suppress(OSError, ManifestError), load(site_dir) as manifest:
        remove_leftovers(site_dir, manifest)
        manifest.clear_last_run()
        finish(site_dir, manifest)


def remove_leftovers(site_dir: Path, manifest: Manifest) -> None:
    """Delete the old files of moves an interrupted run made (still with the bytes it checked)."""
    if manifest.leftovers:
        os.sync()  # the killed run's new files and journal, before the old files go (rare: one call)
    for path, sha in manifest.leftovers:
        target = safe_join(site_dir, path)
        if file_hash(target) == sha:
            target.unlink()
            durable_step()
            remove_empty_parents(target.parent, site_dir)
    manifest.leftovers = []


def _replay_journal(site_dir: Path, manifest: Manifest) -> None:
    """Apply to `manifest` what the journal after it records (an interrupted run's changes)."""
    path = journal_path(site_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror}") from None
    whole = raw[: raw.rfind(b"\n") + 1]  # a last line without its newline was torn by a kill
    lines = whole.splitlines()
    try:
        begin = json.loads(lines[0]) if lines else {}
        if not isinstance(begin, dict) or begin.get("begin") != manifest.base:
            return  # follows another manifest: one committed after it, that already holds it
        manifest.journal_size = len(whole)
        manifest.clear_last_run()  # what it changed was not that run's
        for n, line in enumerate(lines[1:], start=2):
            try:
                record = json.loads(line.decode("utf-8"))
            except ValueError as exc:
                raise _Bad(f"line {n}: not JSON ({exc})") from None
            _replay(site_dir, manifest, record, f"line {n}")
    except (_Bad, ValueError) as exc:
        raise damaged(path, f"damaged journal: {exc}") from None


def _replay(root: Path, manifest: Manifest, record: object, where: str) -> None:
    """One journal record: taken when the bytes on disk show its file operation happened."""
    _typed(record, dict, where)
    op = record.get("op")
    if op == "media":
        for key, media in _typed(record.get("media"), dict, f"{where}.media").items():
            manifest.media[key] = _media_of(root, media, f"{where}.media.{key}")
        return
    if op == "media-delete":
        path = _inside(root, record.get("path"), f"{where}.path")
        if file_hash(safe_join(root, path)) != _typed(record.get("sha"), str, f"{where}.sha"):
            manifest.media.pop(_typed(record.get("key"), str, f"{where}.key"), None)
        return
    site = manifest.site(_typed(record.get("site"), str, f"{where}.site"))
    item_id = _typed(record.get("id"), int, f"{where}.id")
    if op == "write":
        item = _item_of(root, record.get("item"), f"{where}.item")
        if file_hash(safe_join(root, item.path)) != item.written:
            return  # killed before the file was written: the record before it stands
        site.items[item_id] = item
        drop = record.get("drop")
        if drop is not None:
            if len(_strings(drop, f"{where}.drop")) != 2:
                raise _Bad(f"{where}.drop is not [path, sha256]")
            manifest.leftovers.append((_inside(root, drop[0], f"{where}.drop"), drop[1]))
    elif op == "set":
        site.items[item_id] = _item_of(root, record.get("item"), f"{where}.item")
    elif op == "delete":
        path = _inside(root, record.get("path"), f"{where}.path")
        if file_hash(safe_join(root, path)) != _typed(record.get("sha"), str, f"{where}.sha"):
            site.items.pop(item_id, None)
    elif op == "forget":
        site.items.pop(item_id, None)
    else:
        raise _Bad(f"{where}: unknown op {op!r}")


def remove_empty_parents(folder: Path, root: Path) -> None:
    """Remove folders left empty by a move or prune, up to (not including) the site folder."""
    root = root.resolve()
    while folder.resolve() != root and root in folder.resolve().parents:
        with contextlib.suppress(OSError):
            folder.rmdir()  # fails, harmlessly, when the folder is not empty
        if folder.exists():
            return
        folder = folder.parent


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    """sha256 of a file's bytes, or None when there is no such file."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@functools.cache
def tool_fingerprint() -> str:
    """The tool as re-runs compare it: its version and a hash of its own source.

    A file is made again when what shapes it changes; the tool's code is part of that. The version
    alone misses converter changes that keep it (a checkout, a patched install), and a re-run over
    a folder written before such a change would keep the old bytes, unlike a fresh run."""
    return source_digest(Path(__file__).parent, __version__)


def source_digest(package: Path, version: str) -> str:
    """sha256 over `version` and every `.py` file below `package` (relative path and bytes)."""
    digest = hashlib.sha256(version.encode("utf-8"))
    for path in sorted(package.rglob("*.py")):
        digest.update(b"\0" + path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()

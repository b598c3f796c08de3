"""The site index in an SQLite file, for worker processes: each looks up what an item needs.

At 10k posts the index is ~20 MB of Python objects. Held in every worker, that is one copy per
core on top of the main process's own. Workers start before the index exists (see parallel.py)
and read it from a file instead: a lookup is one indexed SELECT and an unpickle, a few dozen
per post, and a worker's memory no longer grows with the site.

`stored(index, path)` writes the tables and returns a SiteIndex whose tables read that file. It
pickles as the path alone; each process opens the file once, read-only, on first use.
"""

from __future__ import annotations

import ast
import pickle
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .models import Attachment, SiteIndex

# The file holds SiteIndex.TABLES, and the grouping of attachments by parent.
TABLES = SiteIndex.TABLES
_GROUPS = "attachments_by_parent"
_CACHE_ROWS = 2048  # looked-up rows kept per table (a post's links often repeat)
_CACHE_KIB = 1024  # SQLite's page cache per connection

_connections: dict[str, sqlite3.Connection] = {}  # in this process, by file


def _key(key: Any) -> str:
    # Keys are ints, strs and tuples of them: their reprs are equal exactly when they are. (Not
    # their pickles: a tuple holding one string object twice pickles the second as a reference.)
    return repr(key)


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _connection(path: str) -> sqlite3.Connection:
    db = _connections.get(path)
    if db is None:
        db = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
        db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        _connections[path] = db
    return db


class StoredTable(Mapping[Any, Any]):
    """A read-only mapping over one table of the file."""

    def __init__(self, path: str, table: str, size: int) -> None:
        self._path, self._table, self._size = path, table, size
        self._cache: dict[Any, Any] = {}

    def __getstate__(self) -> tuple[str, str, int]:
        return self._path, self._table, self._size

    def __setstate__(self, state: tuple[str, str, int]) -> None:
        self.__init__(*state)  # type: ignore[misc]

    def __getitem__(self, key: Any) -> Any:
        try:
            return self._cache[key]
        except KeyError:
            pass
        query = f"SELECT value FROM {self._table} WHERE key = ?"  # noqa: S608 - our own table names
        row = _connection(self._path).execute(query, (_key(key),)).fetchone()
        if row is None:
            raise KeyError(key)
        value = pickle.loads(row[0])  # noqa: S301 - written by this run, read by its workers
        if len(self._cache) >= _CACHE_ROWS:
            self._cache.clear()
        self._cache[key] = value
        return value

    def __iter__(self) -> Iterator[Any]:
        query = f"SELECT key FROM {self._table} ORDER BY rowid"  # noqa: S608 - our own table names
        for (key,) in _connection(self._path).execute(query):
            yield ast.literal_eval(key)

    def __len__(self) -> int:
        return self._size


@dataclass(frozen=True)
class StoredSiteIndex(SiteIndex):
    """A SiteIndex whose tables are in the file (see the module doc)."""

    groups: Mapping[int, list[Attachment]] = field(default_factory=dict)

    @property  # type: ignore[override]
    def attachments_by_parent(self) -> Mapping[int, list[Attachment]]:
        return self.groups


def stored(index: SiteIndex, path: Path) -> StoredSiteIndex:
    """Write `index`'s tables to a new SQLite file at `path`; the same index, read from there."""
    db = sqlite3.connect(path)
    try:
        tables: dict[str, Mapping[Any, Any]] = {name: getattr(index, name) for name in TABLES}
        tables[_GROUPS] = index.attachments_by_parent
        for name, table in tables.items():
            db.execute(f"CREATE TABLE {name} (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            rows = ((_key(k), _pickle(v)) for k, v in table.items())
            db.executemany(f"INSERT INTO {name} VALUES (?, ?)", rows)  # noqa: S608 - our own names
        db.commit()
    finally:
        db.close()
    where = str(path)
    values = {f.name: getattr(index, f.name) for f in fields(SiteIndex)}  # the small ones stay as they are
    values.update({name: StoredTable(where, name, len(getattr(index, name))) for name in TABLES})
    groups = StoredTable(where, _GROUPS, len(index.attachments_by_parent))
    return StoredSiteIndex(**values, groups=groups)


def close_all() -> None:
    """Close this process's connections (before the files are deleted)."""
    for db in _connections.values():
        db.close()
    _connections.clear()


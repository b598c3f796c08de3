"""The site index and the plan's per-item tables in one scratch SQLite file, not in memory.

At 100k posts the index (link targets, attachments, attachment pages) and the plan (entries,
digests, drafts…) were ~2 KB per item of Python objects in the main process, and the workers had
to be sent the index as a second copy written once pass 1 ended. Now pass 1 writes each table
into a scratch file as it reads (`Table`: a writable mapping whose writes go in batches, one
`executemany` per batch, all in one transaction), the main process's lookups and iterations read
that file (a bounded cache of rows; iteration in the order keys were first added, like a dict),
and the workers read the very same file (`StoredTable`, read-only): nothing is serialized twice.

The file is scratch: written by this run, read by this run, deleted when it ends (see
pipeline._scratch_file). So `journal_mode=OFF` and `synchronous=OFF`: a crash loses it either
way, and there is nothing to roll back to. Keys are ints and strs as SQLite stores them (an int
key sorts as a number, a str key in code point order, as Python sorts them); the few tables keyed
by tuples (terms, archive URLs: per term, not per item) are written whole by `publish` with repr
keys. Values are pickles. Some tables carry an extra indexed column for a lookup other than by
key: an attachment's parent (`attachments_by_parent`) and its page's path (`attachment_pages`),
an entry's item id.
"""

from __future__ import annotations

import ast
import pickle
import sqlite3
from collections.abc import Callable, ItemsView, Iterator, Mapping, MutableMapping, ValuesView
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from .models import SiteIndex

TABLES = SiteIndex.TABLES
TUPLE_KEYED = frozenset({"terms", "archive_urls"})  # SiteIndex tables keyed by (kind, slug)
_CACHE_ROWS = 2048  # looked-up rows kept per table (a post's links often repeat)
_CACHE_KIB = 2048  # SQLite's page cache per connection
_BATCH = 1000  # rows written per executemany
_CHUNK = 512  # rows read per query when iterating

_connections: dict[str, sqlite3.Connection] = {}  # read-only ones, in worker processes, by file

Column = Callable[[Any], Any]  # an extra column's value, computed from the row's value


def _pickle(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle(data: bytes) -> Any:
    return pickle.loads(data)  # noqa: S301 - written by this run, read by it and its workers


load = _unpickle  # a value column's value, for queries of more than one table (Store.execute)


def _connection(path: str) -> sqlite3.Connection:
    db = _connections.get(path)
    if db is None:
        db = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
        db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        _connections[path] = db
    return db


class _Rows(Mapping[Any, Any]):
    """Reads of one table (`key` unique, `value` a pickle, maybe extra columns)."""

    _name: str
    _tuple_keys: bool = False  # keys are tuples, stored as their reprs

    def __init__(self) -> None:
        self._cache: dict[Any, Any] = {}
        self._size: int | None = None  # rows, once counted (converters ask `if not table` often)

    def _db(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _sync(self) -> None:
        """Make pending writes visible to reads (nothing to do for a read-only table)."""

    def _key(self, key: Any) -> Any:
        # Tuples of strs: their reprs are equal exactly when they are. (Not their pickles: a
        # tuple holding one string object twice pickles the second as a reference.)
        return repr(key) if self._tuple_keys else key

    def _unkey(self, key: Any) -> Any:
        return ast.literal_eval(key) if self._tuple_keys else key

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        self._sync()
        return self._db().execute(sql.replace("{t}", self._name), args)

    def __getitem__(self, key: Any) -> Any:
        try:
            return self._cache[key]
        except (KeyError, TypeError):
            pass
        row = self._query("SELECT value FROM {t} WHERE key = ?", (self._key(key),)).fetchone()
        if row is None:
            raise KeyError(key)
        value = _unpickle(row[0])
        if len(self._cache) >= _CACHE_ROWS:
            self._cache.clear()
        self._cache[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        if key in self._cache:
            return True
        return self._query("SELECT 1 FROM {t} WHERE key = ?", (self._key(key),)).fetchone() is not None

    def _rows(self, what: str) -> Iterator[tuple[Any, ...]]:
        """(rowid, *what) of every row, in the order the keys were first added, a chunk at a time
        (no cursor stays open, so the loop's body may write to the table)."""
        last = -1
        while True:
            sql = f"SELECT rowid, {what} FROM {{t}} WHERE rowid > ? ORDER BY rowid LIMIT {_CHUNK}"  # noqa: S608
            rows = self._query(sql, (last,)).fetchall()
            yield from rows
            if len(rows) < _CHUNK:
                return
            last = rows[-1][0]

    def __iter__(self) -> Iterator[Any]:
        for _, key in self._rows("key"):
            yield self._unkey(key)

    def items(self) -> ItemsView[Any, Any]:
        return _Items(self)

    def values(self) -> ValuesView[Any]:
        return _Values(self)

    def __len__(self) -> int:
        if self._size is None:
            self._size = self._query("SELECT count(*) FROM {t}").fetchone()[0]
        return self._size

    def sorted_items(self) -> Iterator[tuple[Any, Any]]:
        """(key, value) in key order, as `sorted(mapping.items())` gives them."""
        if self._tuple_keys:
            yield from sorted(self.items())
            return
        for key, value in self._query("SELECT key, value FROM {t} ORDER BY key"):
            yield key, _unpickle(value)

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """SQL over this table, named `{t}` in `sql` (its pending writes written first)."""
        return self._query(sql, args)

    def find(self, column: str, value: Any) -> list[Any]:
        """The values of the rows whose extra `column` is `value`, in the order they were added."""
        sql = f"SELECT value FROM {{t}} WHERE {column} = ? ORDER BY rowid"  # noqa: S608 - our names
        return [_unpickle(v) for (v,) in self._query(sql, (value,))]

    def grouped(self, column: str) -> Grouped:
        """The values grouped by an extra column: {column value: [values]} read from the file."""
        return Grouped(self, column)


class _Items(ItemsView[Any, Any]):
    _mapping: _Rows

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        rows = self._mapping
        for _, key, value in rows._rows("key, value"):
            yield rows._unkey(key), _unpickle(value)


class _Values(ValuesView[Any]):
    _mapping: _Rows

    def __iter__(self) -> Iterator[Any]:
        for _, value in self._mapping._rows("value"):
            yield _unpickle(value)


class Grouped(Mapping[Any, list[Any]]):
    """A table's rows by the value of one of its extra columns (an attachment's parent)."""

    def __init__(self, rows: _Rows, column: str) -> None:
        self._rows, self._column = rows, column

    def __getitem__(self, key: Any) -> list[Any]:
        found = self._rows.find(self._column, key)
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[Any]:
        sql = f"SELECT {self._column} FROM {{t}} GROUP BY {self._column} ORDER BY min(rowid)"  # noqa: S608
        for (key,) in self._rows._query(sql).fetchall():
            yield key

    def __len__(self) -> int:
        sql = f"SELECT count(DISTINCT {self._column}) FROM {{t}}"  # noqa: S608 - our own names
        count: int = self._rows._query(sql).fetchone()[0]
        return count


class StoredTable(_Rows):
    """A read-only table of a published file, as a worker process reads it: it pickles as the
    file's path and the table's name, and each process opens the file once, read-only."""

    def __init__(self, path: str, table: str, tuple_keys: bool = False) -> None:
        super().__init__()
        self._path, self._name, self._tuple_keys = path, table, tuple_keys

    def __reduce__(self) -> tuple[type[StoredTable], tuple[str, str, bool]]:
        return StoredTable, (self._path, self._name, self._tuple_keys)

    def _db(self) -> sqlite3.Connection:
        return _connection(self._path)


class Table(_Rows, MutableMapping[Any, Any]):
    """A table the main process writes and reads (see the module doc). Writes wait in a batch;
    any read of the table writes the batch first."""

    def __init__(
        self, store: Store, name: str, columns: Mapping[str, Column], tuple_keys: bool = False
    ) -> None:
        super().__init__()
        self._store, self._name, self._columns = store, name, dict(columns)
        self._tuple_keys = tuple_keys
        self._pending: dict[Any, tuple[Any, bool]] = {}  # key → (value, replace it if there)
        names = ", ".join(["key", "value", *self._columns])
        marks = ", ".join("?" * (2 + len(self._columns)))
        sets = ", ".join(f"{c} = excluded.{c}" for c in ["value", *self._columns])
        # One statement for `table[key] = value` and `add` (the last `?`: replace when there);
        # a replaced row keeps its rowid, so it keeps its place in the iteration order.
        self._insert = (
            f"INSERT INTO {name} ({names}) VALUES ({marks}) ON CONFLICT(key) DO UPDATE SET {sets} WHERE ?"  # noqa: S608
        )

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """A worker gets the file's table, read-only (the store is committed before: `publish`);
        a table of a store in memory, which no other process can read, is sent as a dict."""
        if self._store.path == ":memory:":
            return dict, (list(self.items()),)
        return StoredTable, (self._store.path, self._name, self._tuple_keys)

    @property
    def store(self) -> Store:
        return self._store

    def _db(self) -> sqlite3.Connection:
        return self._store.db

    def _sync(self) -> None:
        if self._pending:
            self.flush()

    def flush(self) -> None:
        columns = list(self._columns.values())
        rows = [
            (self._key(key), _pickle(value), *(c(value) for c in columns), replace_it)
            for key, (value, replace_it) in self._pending.items()
        ]
        self._pending.clear()
        self._store.db.executemany(self._insert, rows)

    def _put(self, key: Any, value: Any, replace_it: bool) -> None:
        self._size = None
        if replace_it:
            self._pending[key] = (value, True)
            self._cache.pop(key, None)
        elif key not in self._pending:
            self._pending[key] = (value, False)
        if len(self._pending) >= _BATCH:
            self.flush()

    def __setitem__(self, key: Any, value: Any) -> None:
        self._put(key, value, True)

    def add(self, key: Any, value: Any) -> None:
        """`setdefault` that reads nothing: the value is written unless the key is there already."""
        self._put(key, value, False)

    def __delitem__(self, key: Any) -> None:
        self._cache.pop(key, None)
        self._size = None
        if self._query("DELETE FROM {t} WHERE key = ?", (self._key(key),)).rowcount == 0:
            raise KeyError(key)


class Store:
    """The run's scratch SQLite file (`path`; ":memory:" when no other process needs it, as in
    tests and library use of plan.scan), opened for writing by the main process."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self.path = str(path)
        self.db = sqlite3.connect(self.path)
        # Scratch: thrown away when the run ends, also after a crash. No journal, no fsync.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        self._tables: dict[str, Table] = {}

    def table(self, name: str, tuple_keys: bool = False, **columns: Column) -> Table:
        """A new empty table; `columns`: extra indexed columns, each computed from a row's value.
        `tuple_keys`: keyed by tuples of strs (stored as their reprs)."""
        if name in self._tables:
            raise ValueError(f"table {name} exists")
        extra = "".join(f", {c}" for c in columns)
        self.db.execute(f"CREATE TABLE {name} (key PRIMARY KEY, value BLOB NOT NULL{extra})")
        for column in columns:
            self.db.execute(f"CREATE INDEX {name}_{column} ON {name} ({column})")
        table = self._tables[name] = Table(self, name, columns, tuple_keys)
        return table

    def drop(self, name: str) -> None:
        """Delete a table made by `table` (one a step needed only while it ran)."""
        self._tables.pop(name)
        self.db.execute(f"DROP TABLE {name}")

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """SQL over the tables, their pending writes written first."""
        self.flush()
        return self.db.execute(sql, args)

    def chunks(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """The rows of `sql`, whose first column is a rowid and which has `WHERE rowid > ?
        ORDER BY rowid LIMIT ?` (in its own words), a chunk at a time: no cursor stays open."""
        last = -1
        while True:
            rows = self.execute(sql, (last, _CHUNK)).fetchall()
            yield from rows
            if len(rows) < _CHUNK:
                return
            last = rows[-1][0]

    def flush(self) -> None:
        for table in self._tables.values():
            table._sync()

    def publish(self, index: SiteIndex) -> SiteIndex:
        """Commit every table so that workers can read the file; `index`'s tables that are still
        plain dicts (per term and per author: small) are written too. The index a worker gets:
        it pickles as the file's path and the tables' names."""
        self.flush()
        out: dict[str, Any] = {}
        for name in TABLES:
            table = getattr(index, name)
            if isinstance(table, Table):
                continue
            stored_name = f"published_{name}"
            if stored_name not in self._tables:
                tuples = name in TUPLE_KEYED
                self.db.execute(f"CREATE TABLE {stored_name} (key PRIMARY KEY, value BLOB NOT NULL)")
                rows = ((repr(k) if tuples else k, _pickle(v)) for k, v in table.items())
                self.db.executemany(f"INSERT INTO {stored_name} VALUES (?, ?)", rows)  # noqa: S608
                self._tables[stored_name] = Table(self, stored_name, {}, tuples)
            out[name] = StoredTable(self.path, stored_name, self._tables[stored_name]._tuple_keys)
        self.db.commit()
        return replace(index, **out)

    def close(self) -> None:
        self.db.close()


def sorted_items(table: Mapping[Any, Any]) -> Iterator[tuple[Any, Any]]:
    """`sorted(table.items())`, read in key order from the file when `table` is one of its tables."""
    if isinstance(table, _Rows):
        return table.sorted_items()
    return iter(sorted(table.items()))


def stored(index: SiteIndex, path: Path) -> SiteIndex:
    """`index` written whole to a new SQLite file at `path`, read back from there (as workers
    read it): for an index built without a store (tests, library use)."""
    store = Store(path)
    try:
        values = {f.name: getattr(index, f.name) for f in fields(SiteIndex)}
        for name in TABLES:
            columns: dict[str, Column] = {}
            if name == "attachments":
                columns = {"parent": _parent}
            table = dict(getattr(index, name))
            if name in TUPLE_KEYED:
                continue  # publish writes those
            copy = store.table(name, **columns)
            for key, value in table.items():
                copy[key] = value
            values[name] = copy
        published = store.publish(SiteIndex(**values))
    finally:
        store.close()
    return pickle.loads(pickle.dumps(published))


def _parent(attachment: Any) -> int:
    parent: int = attachment.parent
    return parent


def close_all() -> None:
    """Close this process's read-only connections (before the files are deleted)."""
    for db in _connections.values():
        db.close()
    _connections.clear()

"""The report's lists that grow with the export, kept in a temporary SQLite file, not in memory.

Issue 16 point 2: at 100k posts a run's report held ~400 bytes per item in the main process (its
warnings, ~0.9 per item on a typical export, the paths of new and updated files, the drafts), and
its end built the whole JSON report and the last run's snapshot as single strings. Each such list
is a `Rows`: appended to like a list, counted, and read back only in sorted order — the order the
summary, the JSON report and the snapshot use — one row at a time from a SQLite cursor.

The rows live in a private temporary database (`sqlite3.connect("")`): SQLite keeps it in its page
cache (bounded below) and spills the rest to a file it creates in its temp folder (SQLITE_TMPDIR or
TMPDIR, else /var/tmp) and unlinks at once, so it is gone however the process ends, killed
included. Not the run's scratch store (sitestore.py): the report outlives it (the CLI prints and
writes the report after the run returns) and a replayed re-run or a dry run has none. The file is
created by the first row, so a report with no rows (most tests, small exports) opens nothing; a
report made before the workers are forked has no connection to carry into them.

Sorted as Python sorts: the rows' fields compared in turn (dataclasses with `order=True` compare
so). Numbers compare as numbers; strings under SQLite's BINARY collation compare their UTF-8 bytes,
which sort as their code points do, as Python's `str` comparison does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_CACHE_KIB = 1024  # SQLite's page cache for the rows: more spills to the temp file
_BATCH = 256  # rows appended before they are inserted, in one executemany


class RowFile:
    """The temporary database a report's lists share (created with the first row, see above)."""

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._tables = 0

    def new_table(self, columns: tuple[str, ...]) -> str:
        if self._db is None:
            # check_same_thread: the report is filled from the main thread, closed from wherever
            self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
            self._db.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            self._db.execute("PRAGMA journal_mode=OFF")  # scratch rows: nothing to roll back
            self._db.execute("PRAGMA synchronous=OFF")
        self._tables += 1
        name = f"rows_{self._tables}"
        self._db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
        return name

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None  # a table was made
        return self._db

    def close(self) -> None:
        """Let the rows go (SQLite deletes the file). Rows read after this fail."""
        if self._db is not None:
            self._db.close()
            self._db = None


class Rows(Generic[T]):
    """A list kept in a RowFile: `append`, `extend`, `len`; iterating gives the rows sorted.

    `columns` names the fields of a row (`split` turns a value into them, `make` turns them back);
    `to_json` is what a row is in the JSON report (write_json writes the rows one at a time)."""

    def __init__(
        self,
        file: RowFile,
        columns: tuple[str, ...],
        split: Callable[[T], tuple],
        make: Callable[[tuple], T],
        to_json: Callable[[T], object],
    ) -> None:
        self._file = file
        self.columns = columns
        self._split, self._make, self.to_json = split, make, to_json
        self._table = ""
        self._pending: list[tuple] = []
        self._count = 0

    def append(self, value: T) -> None:
        self._pending.append(self._split(value))
        self._count += 1
        if len(self._pending) >= _BATCH:
            self._flush()

    def extend(self, values: Iterable[T]) -> None:
        for value in values:
            self.append(value)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return self.ordered()

    def __repr__(self) -> str:
        return f"<Rows {', '.join(self.columns)}: {self._count}>"

    def ordered(self, first: str = "", params: tuple = (), limit: int = -1) -> Iterator[T]:
        """The rows sorted; by the SQL expression `first` (over the columns, `params` bound) before
        the columns when given; at most `limit` of them (-1: all)."""
        self._flush()
        if not self._table:
            return iter(())
        order = ", ".join((first, *self.columns) if first else self.columns)
        sql = f"SELECT {', '.join(self.columns)} FROM {self._table} ORDER BY {order} LIMIT ?"  # noqa: S608
        return map(self._make, self._file.db.execute(sql, (*params, limit)))

    def _flush(self) -> None:
        if not self._pending:
            return
        if not self._table:
            self._table = self._file.new_table(self.columns)
        marks = ", ".join("?" * len(self.columns))
        self._file.db.executemany(f"INSERT INTO {self._table} VALUES ({marks})", self._pending)  # noqa: S608
        self._pending.clear()


def path_rows(file: RowFile) -> Rows[str]:
    """A list of file paths (a run's new or updated files)."""
    return Rows(file, ("path",), _one_column, _first, _same)


def _one_column(value: str) -> tuple[str]:
    return (value,)


def _first(row: tuple) -> object:
    return row[0]


def _same(value: object) -> object:
    return value


def iter_json(value: object, depth: int = 0) -> Iterator[str]:
    """`json.dumps(value, indent=2, ensure_ascii=False, default=str)` in pieces, with each `Rows`
    an array written a row at a time: the same bytes, without the document as one string. A dict
    holding Rows is written key by key; everything else is json's own `iterencode`, its lines
    indented to `depth` (a JSON text's only newlines are its own: a string's are escaped)."""
    newline = "\n" + "  " * depth
    if isinstance(value, Rows):
        if not value:
            yield "[]"
            return
        separator = "[" + newline + "  "
        for row in value:
            yield separator
            yield from iter_json(value.to_json(row), depth + 1)
            separator = "," + newline + "  "
        yield newline + "]"
    elif isinstance(value, dict) and _holds_rows(value):
        separator = "{" + newline + "  "
        for key, item in value.items():
            # json writes a key that is not a string as the JSON of its value, quoted
            name = key if isinstance(key, str) else _ENCODER.encode(key)
            yield separator + _ENCODER.encode(name) + ": "
            yield from iter_json(item, depth + 1)
            separator = "," + newline + "  "
        yield newline + "}"
    else:
        for chunk in _ENCODER.iterencode(value):
            yield chunk.replace("\n", newline) if depth else chunk


_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, default=str)


def _holds_rows(value: dict) -> bool:
    return any(isinstance(v, Rows) or (isinstance(v, dict) and _holds_rows(v)) for v in value.values())


def materialized(value: object) -> object:
    """`value` with each Rows made the list of what it is in JSON (`Report.to_dict`)."""
    if isinstance(value, Rows):
        return [value.to_json(row) for row in value]
    if isinstance(value, dict) and _holds_rows(value):
        return {key: materialized(item) for key, item in value.items()}
    return value

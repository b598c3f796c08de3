"""Items kept from the first pass for the second, so the exports are parsed once, not twice.

Pass 1 must read every export to its end before anything is converted (links need the whole site
index). Instead of parsing the XML again in pass 2, the items pass 1 built are pickled into an
unnamed temporary file and read back by position: a fraction of the cost of parsing, in the one
process that feeds every worker. Memory stays flat: only (offset, length) pairs are kept.
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

from .models import Item


class Spool:
    """An append-only store of items by ordinal, in a temporary file deleted when closed."""

    def __init__(self, folder: Path | None = None) -> None:
        """`folder`: where the file goes (default: the system's temporary folder). The site's
        own disk is better for big exports: /tmp is often a RAM disk."""
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - closed by close()
        self._where: dict[int, tuple[int, int]] = {}
        self._size = 0

    def add(self, ordinal: int, item: Item) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._size)
        self._file.write(data)
        self._where[ordinal] = (self._size, len(data))
        self._size += len(data)

    def __contains__(self, ordinal: int) -> bool:
        return ordinal in self._where

    def get(self, ordinal: int) -> Item:
        offset, length = self._where[ordinal]
        self._file.seek(offset)  # written to the end in pass 1, read in pass 2: never both at once
        data = self._file.read(length)
        if len(data) != length:
            raise OSError(f"spool file cut short at item {ordinal}")
        item: Item = pickle.loads(data)  # noqa: S301 - our own file, written by this process
        return item

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

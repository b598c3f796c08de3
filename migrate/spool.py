"""Items kept from the first pass for the second, so the exports are parsed once, not twice.

Pass 1 must read every export to its end before anything is converted (links need the whole site
index). Instead of parsing the XML again in pass 2, the items pass 1 built are pickled into an
unnamed temporary file and read back by position: a fraction of the cost of parsing, in the one
process that feeds every worker. Memory stays nearly flat: a compact array of each kept item's
ordinal and offset (16 bytes an item, where a dict of (offset, length) tuples took ~150).
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from bisect import bisect_left
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
        # Item k (in the order added, which is ordinal order) is at offsets[k]..offsets[k + 1].
        self._ordinals = array("q")
        self._offsets = array("q", [0])

    def add(self, ordinal: int, item: Item) -> None:
        if self._ordinals and ordinal <= self._ordinals[-1]:
            raise ValueError(f"spool: item {ordinal} added after item {self._ordinals[-1]}")
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._offsets[-1])
        self._file.write(data)
        self._ordinals.append(ordinal)
        self._offsets.append(self._offsets[-1] + len(data))

    def _position(self, ordinal: int) -> int:
        """Where `ordinal` is among the items added, -1 when it is not one of them."""
        k = bisect_left(self._ordinals, ordinal)
        return k if k < len(self._ordinals) and self._ordinals[k] == ordinal else -1

    def __contains__(self, ordinal: int) -> bool:
        return self._position(ordinal) >= 0

    def get(self, ordinal: int) -> Item:
        k = self._position(ordinal)
        if k < 0:
            raise KeyError(ordinal)
        offset, length = self._offsets[k], self._offsets[k + 1] - self._offsets[k]
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

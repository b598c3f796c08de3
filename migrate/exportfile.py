"""Where an export's bytes come from: a plain file, a gzip-compressed one, or a zip of exports.

WordPress.com hands its export out as a `.zip`, and `wp export | gzip` or a host's backup gives
`.xml.gz`: both are read as they are, streamed through the same repair filter and parser as a
plain file, so nothing is unpacked to disk and memory stays flat. What a file is comes from its
first bytes (the gzip and zip signatures), not its name, so a misnamed file reads too.

A zip is a set of exports of one site (a split export, zipped): every `.xml` member, in name order,
named `ARCHIVE.zip/MEMBER.xml` in messages and the report. macOS's `__MACOSX/` and `._*` entries
are left out; a member whose name would be a path trick (absolute, `..`, a backslash, NUL) or that
is encrypted is refused. The zip's declared sizes are checked by `zipfile` itself (a member longer
than it says, or with a bad CRC, fails to read), and the decompressed bytes meet the reader's own
limits (see wxr.ReadOptions and repair.HEAD_LIMIT), so a zip or gzip bomb costs time, not memory.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members; an empty one
MAX_MEMBERS = 10_000  # more `.xml` members than any split export has: refused as hostile
# What a damaged compressed stream raises while it is read (gzip: EOFError when cut off; zlib.error
# for bytes that do not inflate; zipfile: BadZipFile for a bad CRC).
DAMAGED = (EOFError, zlib.error, zipfile.BadZipFile, gzip.BadGzipFile)
_READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


class ArchiveError(Exception):
    """A compressed export that cannot be read as one (the message follows `FILE: `)."""


@dataclass(frozen=True)
class Part:
    """One export to read: a file, or one member of a zip."""

    name: str  # how messages and the report name it: the path, or `ARCHIVE.zip/MEMBER.xml`
    path: str  # the file on disk
    member: str = ""  # the zip member, "" for a plain or gzip file
    compressed: bool = False  # gzip

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The export's bytes, decompressed as they are read."""
        with open(self.path, "rb") as raw:
            if self.member:
                with zipfile.ZipFile(raw) as archive, archive.open(self.member) as stream:
                    yield stream  # type: ignore[misc]
            elif self.compressed:
                with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                    yield io.BufferedReader(_UpToTheCut(stream))  # type: ignore[misc]
            else:
                yield raw


class _UpToTheCut(io.RawIOBase):
    """A gzip stream that ends where its data ends when the file was cut off (an interrupted
    download), instead of raising EOFError: the parser then names the item the export ends in,
    as for a cut plain file, and --salvage keeps the items before it. Bytes that do not inflate
    still raise (zlib.error)."""

    def __init__(self, stream: gzip.GzipFile) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer (memoryview, bytearray)
        try:
            data = self._stream.read1(len(buffer))  # read() would drop what it had when the cut comes
        except EOFError:  # "Compressed file ended before the end-of-stream marker was reached"
            return 0
        buffer[: len(data)] = data
        return len(data)


def parts(path: str | os.PathLike[str]) -> list[Part]:
    """The exports a given file holds. Raises OSError when it cannot be opened, ArchiveError for
    a zip that cannot be used."""
    name = os.fspath(path)
    with open(name, "rb") as raw:
        magic = raw.read(4)
        if magic.startswith(GZIP_MAGIC):
            return [Part(name, name, compressed=True)]
        if magic in ZIP_MAGICS:
            return [Part(f"{name}/{m}", name, member=m) for m in _members(raw)]
    return [Part(name, name)]


def _members(raw: BinaryIO) -> list[str]:
    try:
        with zipfile.ZipFile(raw) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(f"not a readable zip archive ({exc})") from None
    members = []
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name)
        if info.is_dir() or pure.parts[:1] == ("__MACOSX",) or pure.name.startswith("._"):
            continue
        if not name.lower().endswith(".xml"):
            continue
        if "\\" in name or "\x00" in name or pure.is_absolute() or ".." in pure.parts:
            raise ArchiveError(f"the zip member {name!r} has an unsafe name; refused")
        if info.flag_bits & 0x1:
            raise ArchiveError(f"the zip member {name!r} is encrypted; unpack it first")
        if info.compress_type not in _READABLE:
            raise ArchiveError(f"the zip member {name!r} uses a compression zipfile cannot read; unpack it")
        members.append(name)
    if not members:
        raise ArchiveError("not a WordPress export (a zip archive with no .xml file in it)")
    if len(members) > MAX_MEMBERS:
        raise ArchiveError(f"a zip archive with {len(members)} .xml files, over {MAX_MEMBERS}; refused")
    return sorted(members)


_SNIFF = 64 * 1024  # WordPress writes its namespace on the <rss> tag, within the first lines
_SUFFIXES = (".xml", ".gz", ".zip")


def find_exports(folder: str | os.PathLike[str]) -> list[str]:
    """Names of the files in `folder` that are WordPress exports (plain, gzip or zip), sorted:
    what `wxr-migrate init` writes as `exports`. A file is one when its first bytes name
    WordPress's export namespace."""
    found = []
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.lower().endswith(_SUFFIXES) and entry.is_file() and _names_wordpress(entry.path):
                found.append(entry.name)
    return found


def _names_wordpress(path: str) -> bool:
    try:
        for part in parts(path):
            with part.open() as stream:
                if b"wordpress.org/export/" in stream.read(_SNIFF):
                    return True
    except (OSError, ArchiveError, *DAMAGED):
        pass
    return False


def file_names(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The file name of every export the given files hold (a zip's members by their own names):
    what `--prune` compares with the last run to tell a whole split export from a part of it."""
    names = []
    for path in paths:
        try:
            found = [PurePosixPath(p.member).name if p.member else Path(p.path).name for p in parts(path)]
        except (OSError, ArchiveError):
            found = [Path(path).name]
        names += found
    return names

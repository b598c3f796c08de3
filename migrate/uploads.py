"""A local copy of `wp-content/uploads` (a folder, a .zip or a .tar.gz from a hosting backup).

Files found here are copied instead of downloaded. Archive members are matched on the part of
their name below `wp-content/uploads/` (or `uploads/`, or the whole name for an archive of the
folder's contents), so `backup/public_html/wp-content/uploads/2011/10/a.png` answers `2011/10/a.png`.
Tar archives are read in one streaming pass: gzip cannot seek, so random access would re-read them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tarfile
import tempfile
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from .fetch import content_mismatch
from .filemode import give_usual_mode
from .write import written

_CHUNK = 64 * 1024
_ROOTS = ("wp-content/uploads/", "uploads/")


class UploadsError(Exception):
    """The uploads folder or archive cannot be read at all (a usage error, exit 2)."""


@dataclass(frozen=True)
class Copied:
    """What happened to one wanted file. `error` is "" when it was found (and copied, unless checking)."""

    upload_path: str
    size: int = 0
    sha256: str = ""
    error: str = ""  # "missing", "too-large", "wrong-content", "unreadable"
    message: str = ""
    unchanged: bool = False  # the target already held these bytes: not rewritten


def relative_name(member: str) -> str:
    """An archive member's or file's path below the uploads root."""
    name = member.replace("\\", "/").lstrip("./")
    for root in _ROOTS:
        at = name.find(root)
        if at == 0 or (at > 0 and name[at - 1] == "/"):
            return name[at + len(root) :]
    return name


class Uploads(ABC):
    """Open with `Uploads.open(path)`; then `take(wanted)` copies or checks many files at once."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @staticmethod
    def open(path: Path) -> Uploads:
        if path.is_dir():
            return _Folder(path)
        name = path.name.lower()
        if not path.is_file():
            raise UploadsError(f"{path}: no such folder or archive")
        if name.endswith(".zip"):
            if not zipfile.is_zipfile(path):
                raise UploadsError(f"{path}: not a readable zip archive")
            return _Zip(path)
        if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
            if not tarfile.is_tarfile(path):
                raise UploadsError(f"{path}: not a readable tar archive")
            return _Tar(path)
        raise UploadsError(f"{path}: --uploads takes a folder, a .zip or a .tar.gz")

    def take(self, wanted: Mapping[str, Path | None], max_bytes: int) -> dict[str, Copied]:
        """For each upload path: copy it to its target (atomically), or only check it (target None)."""
        found: dict[str, Copied] = {}
        for upload_path, size, opener in self._members(set(wanted)):
            if upload_path in found:
                continue
            found[upload_path] = _take_one(upload_path, size, opener, wanted[upload_path], max_bytes)
        for upload_path in wanted:
            found.setdefault(upload_path, Copied(upload_path, error="missing", message="not in --uploads"))
        return found

    @abstractmethod
    def _members(self, wanted: set[str]) -> Iterator[tuple[str, int, Callable[[], IO[bytes]]]]:
        """(upload path, size, opener) for each wanted file present, in the source's own order."""


class _Folder(Uploads):
    def _members(self, wanted: set[str]) -> Iterator[tuple[str, int, Callable[[], IO[bytes]]]]:
        roots = [self.path, self.path / "wp-content" / "uploads", self.path / "uploads"]
        for upload_path in sorted(wanted):
            for root in roots:
                candidate = root / upload_path
                # The upload path was made safe by the caller; a symlink may still lead out of the
                # folder, which is the user's own backup: reading it is fine, writing is never here.
                if candidate.is_file():
                    yield upload_path, candidate.stat().st_size, partial(candidate.open, "rb")
                    break


class _Zip(Uploads):
    def _members(self, wanted: set[str]) -> Iterator[tuple[str, int, Callable[[], IO[bytes]]]]:
        with zipfile.ZipFile(self.path) as archive:
            for info in archive.infolist():
                name = relative_name(info.filename)
                if not info.is_dir() and name in wanted:
                    yield name, info.file_size, lambda i=info: archive.open(i)


class _Tar(Uploads):
    def _members(self, wanted: set[str]) -> Iterator[tuple[str, int, Callable[[], IO[bytes]]]]:
        with tarfile.open(self.path, "r|*") as archive:
            for info in archive:
                name = relative_name(info.name)
                if info.isfile() and name in wanted:
                    stream = archive.extractfile(info)
                    if stream is not None:
                        yield name, info.size, lambda s=stream: s


def _take_one(
    upload_path: str, size: int, opener: Callable[[], IO[bytes]], target: Path | None, max_bytes: int
) -> Copied:
    if size > max_bytes:
        return Copied(upload_path, size, error="too-large", message=f"{size} bytes is over the cap")
    try:
        with opener() as source:
            head = source.read(64)
            mismatch = content_mismatch(upload_path, head)
            if mismatch:
                return Copied(upload_path, size, error="wrong-content", message=mismatch)
            if target is None:
                return Copied(upload_path, size)
            digest, replaced = _copy(head, source, target)
    except (OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        return Copied(upload_path, size, error="unreadable", message=str(exc))
    return Copied(upload_path, size, digest, unchanged=not replaced)


def _copy(head: bytes, source: IO[bytes], target: Path) -> tuple[str, bool]:
    """Copy to a temp file beside `target`, rename: (SHA-256, was the target replaced?). Synced
    with the other files at the end of the run (write.sync_written).

    A target that already holds the same bytes is left alone (its mtime too), like every write here.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".part")
    digest = hashlib.sha256(head)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(head)
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if target.is_file() and file_sha256(target) == digest.hexdigest():
            os.unlink(tmp)
            return digest.hexdigest(), False
        give_usual_mode(tmp)
        os.replace(tmp, target)
        written(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return digest.hexdigest(), True


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()

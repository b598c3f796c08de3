"""One run per site folder: an advisory lock on `SITE_DIR/.wxr-migrate/lock`.

Two runs into one folder (a second terminal, a cron job) would remove each other's temp files and
record each other's files as "deleted by you". So a run holds an exclusive lock on this file while
it reads and writes the folder, and a second run is refused with one line naming the first (its
pid and start time are written into the file for that line).

The lock is `fcntl.flock` (POSIX) or `msvcrt.locking` (Windows): the kernel releases it when the
holding process dies however it dies, so the lock of a killed run is simply taken over. The file
itself stays: removing it would let a run that opened it just before hold a lock on a file no
longer there while a third run locks a new one.

A folder the tool never wrote to is locked only when the run is about to write there (`claim`):
exports are read and checked first, and refused input leaves such a folder exactly as it was.
Forked worker processes close their inherited copy of the lock's file, so a worker that outlives
its parent for a moment never keeps a dead run's lock.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

from .state import MANIFEST, STATE_DIR, STORE

LOCK_FILE = "lock"
_WINDOWS_LOCK_OFFSET = 1 << 20  # msvcrt locks are mandatory: lock a byte past the pid and time

_held: set[int] = set()  # descriptors of the locks this process holds (closed in forked children)


class FolderBusy(Exception):
    """Another run holds the folder's lock (exit 2). `str()` is the one line to print."""


def lock_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / LOCK_FILE


class SiteLock:
    """The lock of one site folder for one run: taken at once when the folder has the tool's state
    folder, else at `claim()`, before the first write. Release it with `release()` or `with`."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self._fd: int | None = None
        if (site_dir / STATE_DIR).is_dir():
            self._take()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def claim(self) -> bool:
        """Take the lock before the first write, creating the folders. True when the folder gained
        a manifest since the run started (another run wrote it meanwhile): its plan is out of date."""
        if self.held:
            return False
        self._take()
        folder = self.site_dir / STATE_DIR
        return (folder / STORE).exists() or (folder / MANIFEST).exists()

    def _take(self) -> None:
        path = lock_path(self.site_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask applies, as for open()
        try:
            if not _try_lock(fd):
                raise FolderBusy(
                    f"another wxr-migrate run ({_holder(fd)}) is using {self.site_dir}; "
                    "wait for it or stop it"
                )
            started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"pid {os.getpid()}, started {started}\n".encode())
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        _held.add(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _held.discard(fd)
        os.close(fd)  # closing the last descriptor releases the lock (both flock and msvcrt)

    def __enter__(self) -> SiteLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _holder(fd: int) -> str:
    """`pid N, started …` from the lock file (the holder writes it just after locking)."""
    for _ in range(20):
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").strip()
        if text:
            return text
        time.sleep(0.01)
    return "pid unknown"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _close_in_child() -> None:
    # flock belongs to the open file, which a forked child shares: the child must not keep it.
    for fd in list(_held):
        os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)

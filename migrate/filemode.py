"""The mode a new file gets: what a plain `open()` would give it, `0o666 & ~umask`.

Every file here is written through `tempfile.mkstemp`, which creates it owner-only (0600) on
purpose, and then renamed into place as it is. Hugo and Jekyll copy a file's mode into the built
site, so a web server running as another user answered 403 for every image (and for the whole
site when Apache could not read `.htaccess`). So each temp file is given the usual mode before
the rename.

The umask can only be read by setting it (`os.umask` is process-wide, and threads download media
while files are written), so it is read once: from `/proc/self/status` on Linux, else by setting
and restoring it, which the CLI does at start-up before any thread or worker exists.
"""

from __future__ import annotations

import functools
import os


@functools.cache
def umask() -> int:
    """The process's umask, read once."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    return 0o666 & ~umask()


def give_usual_mode(path: str | os.PathLike[str]) -> None:
    """Set a temp file's mode to what `open()` would have created it with (before its rename)."""
    os.chmod(path, new_file_mode())

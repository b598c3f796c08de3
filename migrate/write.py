"""Serialize documents (front matter + Markdown) and write files atomically.

YAML goes through python-frontmatter with a PyYAML dumper tuned for what Hugo reads: Hugo parses
YAML 1.2, PyYAML writes YAML 1.1, so strings that either version would read as something else
(`Yes`, `1.0`, `null`, `0o17`, `1e3`) are quoted, and strings with line breaks are double-quoted
so that no line of the front matter can ever be a bare `---`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import frontmatter
import yaml

from .filemode import give_usual_mode


class Timestamp(str):
    """An RFC 3339 date written unquoted (`date: 2011-10-03T13:20:25Z`), as Hugo sites do."""


class _Dumper(yaml.SafeDumper):
    pass


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's emitter: the same text as `_Dumper` (see `_libyaml_agrees`), several times faster."""


# Plain scalars a YAML 1.2 core-schema reader would not take as strings, beyond what PyYAML's 1.1
# resolver already quotes.
_YAML12_NON_STRING = re.compile(
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |[yYnN]|~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$""",
    re.VERBOSE,
)
_NEEDS_DOUBLE_QUOTES = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]")
_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_OUTSIDE_BMP = re.compile("[\U00010000-\U0010ffff]")
_NO_WRAPPING = 2**31 - 1  # a width both emitters take (libyaml wants an int)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _NEEDS_DOUBLE_QUOTES.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if _YAML12_NON_STRING.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_timestamp(dumper: yaml.SafeDumper, value: Timestamp) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value), style="")


for _dumper in (_Dumper, _FastDumper):
    _dumper.add_representer(str, _represent_str)
    _dumper.add_representer(Timestamp, _represent_timestamp)


def _libyaml_agrees(metadata: dict[str, object]) -> bool:
    """Does libyaml write this front matter exactly as PyYAML does?

    It does not for characters outside the BMP (emoji: libyaml escapes them) nor for keys that are
    not plain words (it lays some out as complex keys). For the rest, tests check they agree.
    """
    for key, value in metadata.items():
        if not _SIMPLE_KEY.fullmatch(key):
            return False
        for v in value if isinstance(value, list) else (value,):
            if isinstance(v, str) and _OUTSIDE_BMP.search(v):
                return False
    return True


# Options shared by front matter and data files (comments): the same quoting everywhere.
_YAML_OPTIONS: dict = {
    "sort_keys": False,
    "width": _NO_WRAPPING,
    "allow_unicode": True,
    "default_flow_style": False,
}


def post_of(metadata: dict[str, object], body: str) -> frontmatter.Post:
    """A python-frontmatter Post. Not `Post(body, **metadata)`: a key named `content`, `handler`
    or `self` (a custom taxonomy can be called that) would be taken for one of its arguments."""
    post = frontmatter.Post(body.rstrip("\n"))
    post.metadata.update(metadata)
    return post


def render_document(metadata: dict[str, object], body: str) -> str:
    """The file's text: `---`, YAML in the given key order, `---`, a blank line, the body."""
    post = post_of(metadata, body)
    dumper = _FastDumper if _libyaml_agrees(metadata) else _Dumper
    return frontmatter.dumps(post, Dumper=dumper, **_YAML_OPTIONS) + "\n"


def dump_yaml(data: object) -> str:
    """A YAML document (data files), quoted the same way as front matter."""
    return yaml.dump(data, Dumper=_Dumper, **_YAML_OPTIONS)


class UnsafePathError(ValueError):
    """A path that would land outside the output folder."""


def safe_join(root: Path, relative: str, real_root: str | None = None) -> Path:
    """`root / relative`, refusing anything that escapes `root` (`..`, absolute, links out).
    `real_root`: `os.path.realpath(root)`, from a caller that joins many paths to one root."""
    if not relative or "\x00" in relative or "\\" in relative:
        raise UnsafePathError(f"unsafe path {relative!r}")
    rel = Path(relative)
    if rel.is_absolute() or any(part in ("..", ".", "") for part in rel.parts):
        raise UnsafePathError(f"unsafe path {relative!r}")
    target = root / rel
    real_root = real_root or os.path.realpath(root)
    real_target = os.path.realpath(target)
    if os.path.commonpath([real_root, real_target]) != real_root:
        raise UnsafePathError(f"path {relative!r} resolves outside {root}")
    return target


def atomic_write(path: Path, data: bytes, *, sync: bool = False) -> bool:
    """Write `data` to `path` unless it already holds exactly those bytes. True if written.

    A temp file in the same folder is written and renamed over the target, so a reader (or a run
    killed half-way) only ever sees the old file or the new one, never a mix. The file is made
    durable later, with every other one, by `sync_written` (a kill loses nothing the page cache
    holds; only a power cut could); `sync=True`: now (fsync before the rename, then its folder),
    for a file that must be on disk before the next step (the manifest, a backup).
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        give_usual_mode(tmp)  # mkstemp's 0600 would make the built site unreadable to a web server
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if sync:
        _fsync_folder(str(path.parent))
    else:
        written(path)
    durable_step()
    return True


# Files renamed into place (or appended to) since the last sync_written, and their folders.
_unsynced_lock = threading.Lock()
_unsynced: set[str] = set()
_SYNC_THREADS = 8  # fsyncs wait on the disk, not the CPU: a few at once let it merge them
# Files noted before they are synced as one batch, without waiting for the end of the run: the set
# of names stays this small whatever the export's size (100k posts would hold ~20 MB of paths), and
# a file synced sooner than the end is no less safe.
SYNC_BATCH = 4096


def written(path: str | os.PathLike[str]) -> None:
    """Note a file this process wrote without fsync: `sync_written` makes it durable (by the end of
    the run, or as soon as SYNC_BATCH files are waiting)."""
    with _unsynced_lock:
        _unsynced.add(os.fspath(path))
        full = len(_unsynced) >= SYNC_BATCH
    if full:
        sync_written()


def sync_written() -> int:
    """fsync every file noted by `written` since the last call, then their folders (which hold
    the renames), from a small thread pool; how many files. One durable step when any."""
    with _unsynced_lock:
        files = sorted(_unsynced)
        _unsynced.clear()
    if not files:
        return 0
    folders = sorted({os.path.dirname(f) for f in files})
    # Each thread syncs a share of the names in turn: one task per thread, not one future per file
    # (a future is ~1.5 KB: 100k of them were the main process's peak at the end of a 100k run).
    threads = min(_SYNC_THREADS, len(files))
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(_fsync_each, [(_fsync_file, files[i::threads]) for i in range(threads)]))
        list(pool.map(_fsync_each, [(_fsync_folder, folders[i::threads]) for i in range(threads)]))
    durable_step()
    return len(files)


def _fsync_each(task: tuple[Callable[[str], None], list[str]]) -> None:
    sync, paths = task
    for path in paths:
        sync(path)


def _fsync_file(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return  # deleted since (a move's old file, a temp copy): nothing left to keep
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:
        return  # removed since, left empty by a move
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # a file system that cannot sync a folder: as durable as it makes them
            raise
    finally:
        os.close(fd)


# Test hook: WXR_MIGRATE_TEST_KILL_AT=N makes the process SIGKILL itself right after its Nth
# durable step (a file written or deleted, a journal line written, the written files synced), so
# that tests can stop a real run at chosen points of its writes, deterministically. Unset (always,
# outside tests): no-op.
_KILL_AT = int(os.environ.get("WXR_MIGRATE_TEST_KILL_AT", "0") or 0)
_steps = 0


def durable_step() -> None:
    """Count one durable change to the output folder (see the test hook above)."""
    global _steps
    _steps += 1
    if _KILL_AT and _steps >= _KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)


def durable_steps() -> int:
    """How many durable steps this process has made: what a test spreads its kill points over."""
    return _steps


def remove_stale_temp_files(root: Path) -> int:
    """Delete temp files a killed run left (`.<name>.<random>.tmp` / `.part`). Returns how many."""
    removed = 0
    if not root.is_dir():
        return 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if name.startswith(".") and name.endswith((".tmp", ".part")) and name.count(".") >= 3:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    return removed

"""The manifest that makes re-runs safe: what the tool wrote, from what, with which bytes.

`SITE_DIR/.wxr-migrate/manifest.json`, written atomically at the end of a run. Per item (keyed by
site and post id): the file's path, its old URL and aliases, a hash of everything that shapes its
output (`source`), and a hash of the bytes last written (`written`). Comparing the bytes on disk
with `written` tells a hand edit from the tool's own file; comparing `source` tells whether the
item must be converted again at all. Per media file: its URL, path, size and hash. Files that are
not items but that users may edit too are tables of their own, named after the site: its term
pages `SITE#terms:TAXONOMY` keyed by term id, its authors' data file `SITE#authors` (key 0).

A run changes files long before it saves the manifest, so every change to the manifest is first
appended to `SITE_DIR/.wxr-migrate/journal` (one JSON line): a file's new record before
the file is written, moved or deleted, a record that claims no bytes after what it follows. A run
killed at any instruction leaves the manifest of the last whole run plus a journal of what came
after; the next run replays it — a record is taken when the bytes on disk show its file operation
happened — so a file at an item's new path with the hash of the tool's output is known to be the
tool's, not the user's. The journal names the manifest it follows (a hash of its bytes), so one
left behind by a run killed just after saving the manifest is not replayed twice.

Durability is batched: files and journal lines are not fsynced one by one (a SIGKILL loses nothing
the page cache holds). `finish` makes every file written and the journal durable at once, then
saves the manifest (fsynced): a manifest on disk never claims bytes the disk lacks. A power cut
mid-run may lose the last journal lines and leave recent files empty or old; the next run takes a
file as the tool's only when its bytes are exactly the tool's, so such a file is kept as the
user's (a conflict), never overwritten. Before a file the tool wrote is deleted (a move's old
file, a prune), what was written so far, the journal included, is synced first, so a deletion
never reaches the disk before the record and the new file that stand for it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .write import UnsafePathError, atomic_write, durable_step, safe_join, sync_written, written

STATE_DIR = ".wxr-migrate"
MANIFEST = "manifest.json"
JOURNAL = "journal"
MANIFEST_VERSION = 1
_AFRESH = "(move it away to start afresh)"


class ManifestError(Exception):
    """The manifest exists but cannot be trusted (a usage error: exit 2, nothing written)."""


@dataclass
class ItemState:
    path: str  # relative to the site folder
    source: str  # hash of the item and of everything else that shapes its file
    written: str  # sha256 of the bytes the tool last wrote there
    url: str = ""  # the URL the item had (its old permalink path), for aliases after a rename
    aliases: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # the conversion's report lines, replayed


@dataclass
class MediaState:
    url: str
    path: str  # relative to the site folder
    size: int
    sha256: str
    mtime_ns: int = 0  # when it was written: size and mtime unchanged → the hash still holds


@dataclass
class SiteState:
    exports: list[str] = field(default_factory=list)  # file names of the export(s) last used
    items: dict[int, ItemState] = field(default_factory=dict)


@dataclass
class Manifest:
    sites: dict[str, SiteState] = field(default_factory=dict)
    media: dict[str, MediaState] = field(default_factory=dict)  # by key (path below the site root URL)
    # The last run that a re-run with the very same inputs may replay without reading the export:
    # {"key": hash of the inputs, "site", "ids": post ids, "media": keys, "report": Report.snapshot(),
    #  "pages": {table: keys} of the term pages and authors' file (see pipeline._site_pages)}
    last_run: dict[str, object] = field(default_factory=dict)
    # The site's files the tool wrote (configuration, menus data, theme): path → sha256 (site/writer.py)
    site_files: dict[str, str] = field(default_factory=dict)
    # Not saved: what the manifest file held when read (sha256 of its bytes, "" when there was none),
    # how much of the journal follows it, and the files an interrupted move left at their old path.
    base: str = field(default="", repr=False, compare=False)
    journal_size: int = field(default=0, repr=False, compare=False)
    leftovers: list[tuple[str, str]] = field(default_factory=list, repr=False, compare=False)

    def site(self, name: str) -> SiteState:
        return self.sites.setdefault(name, SiteState())

    def to_json(self) -> str:
        data = {
            "version": MANIFEST_VERSION,
            "generator": f"wxr-migrate {__version__}",
            "sites": {
                name: {
                    "exports": site.exports,
                    "items": {str(i): asdict(s) for i, s in sorted(site.items.items())},
                }
                for name, site in sorted(self.sites.items())
            },
            "media": {k: asdict(m) for k, m in sorted(self.media.items())},
            "last_run": self.last_run,
        }
        if self.site_files:
            data["site_files"] = dict(sorted(self.site_files.items()))
        # json.dump writes piece by piece; json.dumps would first hold every piece in one list
        # (millions of small strings for a big site, several times the text's own size).
        text = io.StringIO()
        json.dump(data, text, indent=1, ensure_ascii=False, sort_keys=False)
        text.write("\n")
        return text.getvalue()


def manifest_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / MANIFEST


def journal_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / JOURNAL


def damaged(path: Path, what: str) -> ManifestError:
    return ManifestError(f"{path}: {what} {_AFRESH}")


def load(site_dir: Path) -> Manifest:
    """The manifest of `site_dir` with what an interrupted run journaled after it, or an empty one
    for a folder the tool never wrote to. Raises ManifestError for anything it cannot trust."""
    path = manifest_path(site_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        manifest = Manifest()
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror}") from None
    else:
        manifest = _parse(site_dir, path, raw)
        manifest.base = sha256(raw)
    _replay_journal(site_dir, manifest)
    return manifest


def save(site_dir: Path, manifest: Manifest) -> bool:
    """Replace the manifest, durably (on disk when this returns)."""
    return atomic_write(manifest_path(site_dir), manifest.to_json().encode("utf-8"), sync=True)


# -- the strict reader ----------------------------------------------------------------------------


class _Bad(Exception):
    """One field that is not what the manifest format says (its place and what is wrong)."""


def _parse(site_dir: Path, path: Path, raw: bytes) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise damaged(path, f"damaged manifest: not UTF-8 (byte {exc.start})") from None
    except ValueError as exc:
        raise damaged(path, f"damaged manifest: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise damaged(path, "damaged manifest: not a JSON object")
    if data.get("version") != MANIFEST_VERSION or isinstance(data.get("version"), bool):
        raise damaged(path, f"manifest version {data.get('version')!r}, this tool reads {MANIFEST_VERSION}")
    try:
        return _manifest_of(site_dir, data)
    except _Bad as exc:
        raise damaged(path, f"damaged manifest: {exc}") from None


def _manifest_of(root: Path, data: dict) -> Manifest:
    _keys(data, "", required=("version", "sites"), optional=("generator", "media", "last_run", "site_files"))
    _typed(data.get("generator", ""), str, "generator")
    manifest = Manifest()
    for name, site in _typed(data["sites"], dict, "sites").items():
        where = f"sites.{name}"
        _typed(site, dict, where)
        _keys(site, where, required=("items",), optional=("exports",))
        exports = _strings(site.get("exports", []), f"{where}.exports")
        items = {}
        for key, item in _typed(site["items"], dict, f"{where}.items").items():
            items[_item_id(key, f"{where}.items")] = _item_of(root, item, f"{where}.items.{key}")
        manifest.sites[name] = SiteState(exports=exports, items=items)
    for key, media in _typed(data.get("media", {}), dict, "media").items():
        manifest.media[key] = _media_of(root, media, f"media.{key}")
    manifest.last_run = _last_run_of(data.get("last_run") or {})
    for path, digest in _typed(data.get("site_files", {}), dict, "site_files").items():
        # A path below the folder; not resolved: a user may link hugo.toml to a shared file.
        parts = path.split("/")
        if not path or "\\" in path or "\x00" in path or any(p in ("", ".", "..") for p in parts):
            raise _Bad(f"site_files: unsafe path {path!r}")
        manifest.site_files[path] = _typed(digest, str, f"site_files.{path}")
    return manifest


def _item_of(root: Path, data: object, where: str) -> ItemState:
    _typed(data, dict, where)
    _keys(data, where, required=("path", "source", "written"), optional=("url", "aliases", "notes"))
    notes = _typed(data.get("notes", {}), dict, f"{where}.notes")
    return ItemState(
        path=_inside(root, data["path"], f"{where}.path"),
        source=_typed(data["source"], str, f"{where}.source"),
        written=_typed(data["written"], str, f"{where}.written"),
        url=_typed(data.get("url", ""), str, f"{where}.url"),
        aliases=_strings(data.get("aliases", []), f"{where}.aliases"),
        notes={kind: _strings(lines, f"{where}.notes.{kind}") for kind, lines in notes.items()},
    )


def _media_of(root: Path, data: object, where: str) -> MediaState:
    _typed(data, dict, where)
    _keys(data, where, required=("url", "path", "size", "sha256"), optional=("mtime_ns",))
    return MediaState(
        url=_typed(data["url"], str, f"{where}.url"),
        path=_inside(root, data["path"], f"{where}.path"),
        size=_typed(data["size"], int, f"{where}.size"),
        sha256=_typed(data["sha256"], str, f"{where}.sha256"),
        mtime_ns=_typed(data.get("mtime_ns", 0), int, f"{where}.mtime_ns"),
    )


def _last_run_of(data: object) -> dict[str, object]:
    _typed(data, dict, "last_run")
    if not data:
        return {}
    _keys(data, "last_run", required=("key", "site", "ids", "media", "report"), optional=("pages",))
    _typed(data["key"], str, "last_run.key")
    _typed(data["site"], str, "last_run.site")
    for n, item_id in enumerate(_typed(data["ids"], list, "last_run.ids")):
        _typed(item_id, int, f"last_run.ids[{n}]")
    _strings(data["media"], "last_run.media")
    _typed(data["report"], dict, "last_run.report")  # its fields: checked when replayed (pipeline)
    for name, keys in _typed(data.get("pages", {}), dict, "last_run.pages").items():
        for n, key in enumerate(_typed(keys, list, f"last_run.pages.{name}")):
            _typed(key, int, f"last_run.pages.{name}[{n}]")
    return dict(data)


_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def _typed(value: object, kind: type, where: str):  # noqa: ANN202 - returns `value`, of type `kind`
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Bad(f"{where} is {json.dumps(value, ensure_ascii=False)[:60]}, not {_TYPE_NAMES[kind]}")
    return value


def _strings(value: object, where: str) -> list[str]:
    for n, text in enumerate(_typed(value, list, where)):
        _typed(text, str, f"{where}[{n}]")
    return list(value)


def _keys(data: dict, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    place = f"{where}: " if where else ""
    for key in required:
        if key not in data:
            raise _Bad(f"{place}{key!r} is missing")
    for key in data:
        if key not in required and key not in optional:
            raise _Bad(f"{place}unknown field {key!r}")


def _item_id(key: str, where: str) -> int:
    if not key.isascii() or not key.isdigit():
        raise _Bad(f"{where}: {key!r} is not a post id")
    return int(key)


def _inside(root: Path, value: object, where: str) -> str:
    try:
        safe_join(root, _typed(value, str, where))
    except UnsafePathError as exc:
        raise _Bad(f"{where}: {exc}") from None
    return value


# -- the journal ----------------------------------------------------------------------------------


class Journal:
    """Appends this run's manifest changes to `.wxr-migrate/journal` (synced with the files: see
    the module's docstring).

    Opened on the first record, so a run that changes nothing writes nothing. Records go after what
    an earlier interrupted run journaled (the manifest has not been saved since), or start a new
    journal naming the manifest they follow."""

    def __init__(self, site_dir: Path, manifest: Manifest) -> None:
        self.path = journal_path(site_dir)
        self.manifest = manifest
        self.fd: int | None = None

    def write(self, site: str, item_id: int, item: ItemState, drop: tuple[str, str] | None = None) -> None:
        """Before writing or moving `item`'s file: taken when its bytes are at `item.path`.
        `drop`: the old (path, sha256) the move deletes after writing the new file."""
        self._append({"op": "write", "site": site, "id": item_id, "item": asdict(item), "drop": drop})

    def set(self, site: str, item_id: int, item: ItemState) -> None:
        """After a change of `item`'s record that claims no new bytes (a conflict, a deletion noted)."""
        self._append({"op": "set", "site": site, "id": item_id, "item": asdict(item)})

    def delete(self, site: str, item_id: int, path: str, sha: str) -> None:
        """Before deleting an item's file (prune): taken when the file no longer has `sha`.
        On disk when this returns, with everything written so far (see the module's docstring)."""
        self._append({"op": "delete", "site": site, "id": item_id, "path": path, "sha": sha})
        sync_written()

    def forget(self, site: str, item_id: int) -> None:
        """After dropping an item whose file the user deleted from the manifest."""
        self._append({"op": "forget", "site": site, "id": item_id})

    def media(self, records: dict[str, MediaState]) -> None:
        """After the media files are in place: their records."""
        if records:
            self._append({"op": "media", "media": {k: asdict(m) for k, m in sorted(records.items())}})

    def media_delete(self, key: str, path: str, sha: str) -> None:
        """Before deleting a media file no post uses (prune): taken when the file no longer has `sha`.
        On disk when this returns, with everything written so far."""
        self._append({"op": "media-delete", "key": key, "path": path, "sha": sha})
        sync_written()

    def _append(self, record: dict[str, object]) -> None:
        if self.fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
            # Only what the manifest's journal holds is kept: a torn last line, or a journal that
            # follows another manifest (one saved after it), goes.
            os.ftruncate(self.fd, self.manifest.journal_size)
            if self.manifest.journal_size == 0:
                self._line({"begin": self.manifest.base})
        self._line(record)
        durable_step()

    def _line(self, record: dict[str, object]) -> None:
        data = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        rest = memoryview(data)
        while rest:  # a short write (a disk filling up) goes on until it raises
            rest = rest[os.write(self.fd, rest) :]
        written(self.path)
        self.manifest.journal_size += len(data)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def finish(site_dir: Path, manifest: Manifest, journal: Journal | None = None) -> None:
    """Make every file written durable, save the manifest, then drop the journal it now holds."""
    if journal is not None:
        journal.close()
    sync_written()
    save(site_dir, manifest)
    with contextlib.suppress(FileNotFoundError):
        journal_path(site_dir).unlink()
    manifest.journal_size = 0


def settle(site_dir: Path) -> None:
    """After an I/O error mid-run: save a manifest recording exactly what is on disk (the last one
    and the journal since), finishing an interrupted move. On a disk still full this may fail too;
    the journal then stays and the next run replays it. No journal: nothing recorded changed."""
    if not journal_path(site_dir).exists():
        return
    with contextlib.suppress(OSError, ManifestError):
        manifest = load(site_dir)
        remove_leftovers(site_dir, manifest)
        manifest.last_run = {}
        finish(site_dir, manifest)


def remove_leftovers(site_dir: Path, manifest: Manifest) -> None:
    """Delete the old files of moves an interrupted run made (still with the bytes it checked)."""
    if manifest.leftovers:
        os.sync()  # the killed run's new files and journal, before the old files go (rare: one call)
    for path, sha in manifest.leftovers:
        target = safe_join(site_dir, path)
        if file_hash(target) == sha:
            target.unlink()
            durable_step()
            remove_empty_parents(target.parent, site_dir)
    manifest.leftovers = []


def _replay_journal(site_dir: Path, manifest: Manifest) -> None:
    """Apply to `manifest` what the journal after it records (an interrupted run's changes)."""
    path = journal_path(site_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror}") from None
    whole = raw[: raw.rfind(b"\n") + 1]  # a last line without its newline was torn by a kill
    lines = whole.splitlines()
    try:
        begin = json.loads(lines[0]) if lines else {}
        if not isinstance(begin, dict) or begin.get("begin") != manifest.base:
            return  # follows another manifest: one saved after it, that already holds it
        manifest.journal_size = len(whole)
        manifest.last_run = {}  # what it changed was not that run's
        for n, line in enumerate(lines[1:], start=2):
            try:
                record = json.loads(line.decode("utf-8"))
            except ValueError as exc:
                raise _Bad(f"line {n}: not JSON ({exc})") from None
            _replay(site_dir, manifest, record, f"line {n}")
    except (_Bad, ValueError) as exc:
        raise damaged(path, f"damaged journal: {exc}") from None


def _replay(root: Path, manifest: Manifest, record: object, where: str) -> None:
    """One journal record: taken when the bytes on disk show its file operation happened."""
    _typed(record, dict, where)
    op = record.get("op")
    if op == "media":
        for key, media in _typed(record.get("media"), dict, f"{where}.media").items():
            manifest.media[key] = _media_of(root, media, f"{where}.media.{key}")
        return
    if op == "media-delete":
        path = _inside(root, record.get("path"), f"{where}.path")
        if file_hash(safe_join(root, path)) != _typed(record.get("sha"), str, f"{where}.sha"):
            manifest.media.pop(_typed(record.get("key"), str, f"{where}.key"), None)
        return
    site = manifest.site(_typed(record.get("site"), str, f"{where}.site"))
    item_id = _typed(record.get("id"), int, f"{where}.id")
    if op == "write":
        item = _item_of(root, record.get("item"), f"{where}.item")
        if file_hash(safe_join(root, item.path)) != item.written:
            return  # killed before the file was written: the record before it stands
        site.items[item_id] = item
        drop = record.get("drop")
        if drop is not None:
            if len(_strings(drop, f"{where}.drop")) != 2:
                raise _Bad(f"{where}.drop is not [path, sha256]")
            manifest.leftovers.append((_inside(root, drop[0], f"{where}.drop"), drop[1]))
    elif op == "set":
        site.items[item_id] = _item_of(root, record.get("item"), f"{where}.item")
    elif op == "delete":
        path = _inside(root, record.get("path"), f"{where}.path")
        if file_hash(safe_join(root, path)) != _typed(record.get("sha"), str, f"{where}.sha"):
            site.items.pop(item_id, None)
    elif op == "forget":
        site.items.pop(item_id, None)
    else:
        raise _Bad(f"{where}: unknown op {op!r}")


def remove_empty_parents(folder: Path, root: Path) -> None:
    """Remove folders left empty by a move or prune, up to (not including) the site folder."""
    root = root.resolve()
    while folder.resolve() != root and root in folder.resolve().parents:
        with contextlib.suppress(OSError):
            folder.rmdir()  # fails, harmlessly, when the folder is not empty
        if folder.exists():
            return
        folder = folder.parent


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    """sha256 of a file's bytes, or None when there is no such file."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@functools.cache
def tool_fingerprint() -> str:
    """The tool as re-runs compare it: its version and a hash of its own source.

    A file is made again when what shapes it changes; the tool's code is part of that. The version
    alone misses converter changes that keep it (a checkout, a patched install), and a re-run over
    a folder written before such a change would keep the old bytes, unlike a fresh run."""
    return source_digest(Path(__file__).parent, __version__)


def source_digest(package: Path, version: str) -> str:
    """sha256 over `version` and every `.py` file below `package` (relative path and bytes)."""
    digest = hashlib.sha256(version.encode("utf-8"))
    for path in sorted(package.rglob("*.py")):
        digest.update(b"\0" + path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()

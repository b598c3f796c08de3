"""The manifest that makes re-runs safe: what the tool wrote, from what, with which bytes.

`SITE_DIR/.wxr-migrate/manifest.json`, written atomically after the files it records. Per item
(keyed by site and post id): the file's path, its old URL and aliases, a hash of everything that
shapes its output (`source`), and a hash of the bytes last written (`written`). Comparing the bytes
on disk with `written` tells a hand edit from the tool's own file; comparing `source` tells whether
the item must be converted again at all. Per media file: its URL, path, size and hash.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .write import atomic_write

STATE_DIR = ".wxr-migrate"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


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
    # {"key": hash of the inputs, "site", "ids": post ids, "media": keys, "report": Report.snapshot()}
    last_run: dict[str, object] = field(default_factory=dict)

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
        # json.dump writes piece by piece; json.dumps would first hold every piece in one list
        # (millions of small strings for a big site, several times the text's own size).
        text = io.StringIO()
        json.dump(data, text, indent=1, ensure_ascii=False, sort_keys=False)
        text.write("\n")
        return text.getvalue()


def manifest_path(site_dir: Path) -> Path:
    return site_dir / STATE_DIR / MANIFEST


def load(site_dir: Path) -> Manifest:
    """The manifest of `site_dir`, or an empty one for a folder the tool never wrote to."""
    path = manifest_path(site_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text)
        if data.get("version") != MANIFEST_VERSION:
            raise ManifestError(
                f"{path}: manifest version {data.get('version')!r}, this tool reads {MANIFEST_VERSION}"
            )
        manifest = Manifest()
        for name, site in data["sites"].items():
            manifest.sites[name] = SiteState(
                exports=list(site.get("exports", [])),
                items={int(i): ItemState(**s) for i, s in site["items"].items()},
            )
        manifest.media = {k: MediaState(**m) for k, m in data.get("media", {}).items()}
        manifest.last_run = dict(data.get("last_run") or {})
    except ManifestError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(f"{path}: damaged manifest ({exc}); move it away to start afresh") from None
    return manifest


def save(site_dir: Path, manifest: Manifest) -> bool:
    return atomic_write(manifest_path(site_dir), manifest.to_json().encode("utf-8"))


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

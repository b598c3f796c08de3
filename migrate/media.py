"""Media references → the attachment's original file. Planning only: pure, no network.

WordPress serves one upload under many URLs: resized copies (`name-300x225.png`, every `srcset`
candidate), Jetpack/Photon forms (`i0.wp.com/host/…`, `?w=300`, `?resize=…`), http and https, with
and without `www.`. `MediaIndex.resolve` maps each of them to the one original the attachment item
describes, so a migrated site stores each file once and links to the full-size image.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from . import phpserial
from .models import Attachment

UPLOADS = "/wp-content/uploads/"
_PHOTON_HOST = re.compile(r"^i[0-9]\.wp\.com$")
_SIZE_SUFFIX = re.compile(r"-(\d+)x(\d+)(\.[A-Za-z0-9]+)$")


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a media reference leads."""

    url: str  # absolute URL of the original file
    upload_path: str  # path below wp-content/uploads, e.g. "2011/10/boston-photo-avion.png"
    attachment_id: int  # 0 when no attachment item describes the file
    how: str  # "original", "size" (from metadata), "guessed" (stripped -WxH, no metadata), "unknown"


def _site_key(url: str) -> tuple[str, str] | None:
    """(host, uploads-relative path) of a media URL, Photon and size queries undone."""
    parts = urlsplit(html.unescape(url.strip()))
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if _PHOTON_HOST.match(host):  # i0.wp.com/example.com/wp-content/… → example.com/wp-content/…
        inner_host, _, rest = path.lstrip("/").partition("/")
        host, path = inner_host.lower(), "/" + rest
    marker = path.find(UPLOADS)
    if marker < 0:
        # wordpress.com serves uploads from <blog>.files.wordpress.com/<y>/<m>/<file>
        if host.endswith(".files.wordpress.com"):
            return host, path.lstrip("/")
        return None
    return host, path[marker + len(UPLOADS) :]


class MediaIndex:
    """Lookup tables from every known form of an upload's path to its attachment."""

    def __init__(self, attachments: Iterable[Attachment], site_hosts: Iterable[str], base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.hosts = {h.lower() for h in site_hosts}
        self.site_hosts = frozenset(self.hosts)  # the site's own: its files outside uploads are fetched too
        self.by_path: dict[str, Attachment] = {}
        self.by_size: dict[str, Attachment] = {}
        self.without_metadata: set[int] = set()
        for att in sorted(attachments, key=lambda a: a.id):
            key = _site_key(att.url)
            if key is None:
                continue
            self.hosts.add(key[0])
            path = att.attached_file.lstrip("/") or key[1]
            self.by_path.setdefault(path, att)
            self.by_path.setdefault(key[1], att)
            if att.sizes is None:
                self.without_metadata.add(att.id)
                continue
            folder = posixpath.dirname(path)
            for name in att.sizes:
                self.by_size.setdefault(posixpath.join(folder, name) if folder else name, att)
        self.hosts |= {h[4:] if h.startswith("www.") else "www." + h for h in list(self.hosts)}

    def resolve(self, url: str) -> Resolved | None:
        """The original behind a media URL, or None when the URL is not one of the site's uploads."""
        key = _site_key(url)
        if key is None or key[0] not in self.hosts and key[0] != "":
            return None
        path = key[1]
        att = self.by_path.get(path)
        if att is not None:
            return Resolved(att.url, path, att.id, "original")
        att = self.by_size.get(path)
        if att is not None:
            return Resolved(att.url, self._path_of(att), att.id, "size")
        stripped = _SIZE_SUFFIX.sub(r"\3", path)
        if stripped != path:
            att = self.by_path.get(stripped)
            if att is not None and att.id in self.without_metadata:
                return Resolved(att.url, stripped, att.id, "guessed")
            if att is None:
                return Resolved(self._url_for(stripped), stripped, 0, "guessed")
        return Resolved(self._url_for(path), path, 0, "unknown")

    def site_file(self, url: str) -> str | None:
        """The absolute URL of a file on the site's own host outside uploads (`/img/a.png`,
        `/files/guide.pdf`, root-relative or absolute), or None: another host, or no file name
        (a page, a folder, a script)."""
        parts = urlsplit(html.unescape(url.strip()))
        host = (parts.hostname or "").lower()
        if host not in self.site_hosts and (host or not parts.path.startswith("/") or url.startswith("//")):
            return None
        if not _FILE_NAME.search(parts.path) or _PAGE_EXT.search(parts.path):
            return None
        if host:
            return url.strip()
        origin = urlsplit(self.base_url)
        return f"{origin.scheme}://{origin.netloc}{url.strip()}" if origin.netloc else None

    def _path_of(self, att: Attachment) -> str:
        key = _site_key(att.url)
        return att.attached_file.lstrip("/") or (key[1] if key else "")

    def _url_for(self, path: str) -> str:
        return f"{self.base_url}{UPLOADS}{path}"


def attachment_metadata(raw: str) -> dict[str, Any]:
    """`sizes` and `filesize` for an Attachment, from its raw `_wp_attachment_metadata`:
    the resized copies' file names (None when the metadata is missing or unreadable) and the
    original's size in bytes (0 when unknown)."""
    data = _php_dict(raw)
    if data is None:
        return {"sizes": None, "filesize": 0}
    names = []
    sizes = data.get("sizes")
    if isinstance(sizes, dict):
        for size in sizes.values():
            if isinstance(size, dict) and isinstance(size.get("file"), str):
                names.append(size["file"])
    filesize = data.get("filesize")
    return {"sizes": tuple(names), "filesize": filesize if isinstance(filesize, int) and filesize > 0 else 0}


def _php_dict(raw: str) -> dict[Any, Any] | None:
    """A PHP-serialized array, or None when the text is empty, unreadable or not an array."""
    if not raw.strip():
        return None
    try:
        data = phpserial.loads(raw)
    except phpserial.PHPSerialError:
        return None
    return data if isinstance(data, dict) else None


# --- Which media a post uses ------------------------------------------------------------------------

# Any absolute, protocol-relative or uploads-relative URL in a body. A superset on purpose (links,
# srcset candidates, shortcode attributes, block JSON): `MediaIndex.resolve` decides what is media.
_URL_CHARS = r"""[^\s"'<>()\[\]{}|\\^`]+"""
# Two scans, each starting with a literal the regex engine can skip to: far faster than one regex
# with an optional scheme, tried at every position of every body.
_ABSOLUTE = re.compile(r"//" + _URL_CHARS)
_UPLOADS_PATH = re.compile(r"(?<![\w.-])/?wp-content/uploads/" + _URL_CHARS)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
_IDS_ATTR = re.compile(r"""\b(?:ids|include)\s*=\s*["']?([\d,\s]+)""", re.IGNORECASE)
_BLOCK_IDS = re.compile(r'<!--\s*wp:[\w/-]+\s+\{[^}]*?"(?:id|ids|mediaId)"\s*:\s*\[?([\d,\s]+)')
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|ico|heic)$", re.IGNORECASE)
_TRAILING = ".,;:!?*_'\""
# Kept from pass 1: uploads, wordpress.com files, Photon, and anything that ends like a file name.
_MEDIA_HINT = re.compile(
    r"wp-content/uploads/|\.files\.wordpress\.com/|//i\d\.wp\.com/|\.[A-Za-z0-9]{2,5}(?:[?#]|$)"
)
_PAGE_EXT = re.compile(r"\.(?:html?|php|aspx?|jsp|cgi)(?:[?#]|$)", re.IGNORECASE)
_FILE_NAME = re.compile(r"/[^/]*[^/.]\.[A-Za-z0-9]{2,5}$")  # a last segment with an extension
# Root-relative links and sources in attributes (`src="/img/a.png"`): the site's own files.
_ROOT_RELATIVE = re.compile(r"""\b(?:src|href|poster)\s*=\s*["']?(/(?!/)[^\s"'<>()]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ItemRefs:
    """The media one post names, as written: found in pass 1, resolved once all attachments are known."""

    urls: tuple[str, ...] = ()
    attachment_ids: tuple[int, ...] = ()  # [gallery ids=…], Gutenberg "id", the featured image
    parent_gallery: bool = False  # a [gallery] with no ids: the post's own attached images

    def __bool__(self) -> bool:
        return bool(self.urls or self.attachment_ids or self.parent_gallery)


def item_refs(
    content: str, thumbnail_id: str = "", more_urls: Iterable[str] = (), more_ids: Iterable[int] = ()
) -> ItemRefs:
    """Media references in a body (and its `_thumbnail_id`, and the files its postmeta names:
    `more_urls`, `more_ids`: SEO images, custom fields, a product's gallery). Pure, cheap: regexes only."""
    text = html.unescape(content) if "&" in content else content
    urls = dict.fromkeys(
        url
        for url in (found.rstrip(_TRAILING) for found in _urls(text))
        if _MEDIA_HINT.search(url) and not _PAGE_EXT.search(url)
    )
    ids: dict[int, None] = {}
    parent_gallery = False
    for m in _GALLERY.finditer(text):
        found = _IDS_ATTR.search(m.group(1))
        if found:
            ids.update(dict.fromkeys(int(x) for x in re.findall(r"\d+", found.group(1))))
        else:
            parent_gallery = True
    for m in _BLOCK_IDS.finditer(text):
        ids.update(dict.fromkeys(int(x) for x in re.findall(r"\d+", m.group(1))))
    if thumbnail_id.strip().isdigit():
        ids[int(thumbnail_id.strip())] = None
    urls.update(dict.fromkeys(more_urls))
    ids.update(dict.fromkeys(more_ids))
    return ItemRefs(tuple(urls), tuple(ids), parent_gallery)


def _urls(text: str) -> list[str]:
    """Absolute (scheme or protocol-relative) and uploads-relative URLs, in the order they come."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for m in _ABSOLUTE.finditer(text):
        start = m.start()
        for scheme in ("https:", "http:"):
            if text.startswith(scheme, start - len(scheme)):
                start -= len(scheme)
                break
        found.append((start, text[start : m.end()]))
        spans.append((m.start(), m.end()))
    if "wp-content/uploads/" in text:
        for m in _UPLOADS_PATH.finditer(text):
            if not any(a <= m.start() < b for a, b in spans):  # a path inside an absolute URL
                found.append((m.start(), m.group(0)))
    if "=" in text:
        found += [(m.start(1), m.group(1)) for m in _ROOT_RELATIVE.finditer(text)]
    return [url for _, url in sorted(found)]


def is_image_url(url: str) -> bool:
    return bool(_IMAGE_FILE.search(urlsplit(url).path))

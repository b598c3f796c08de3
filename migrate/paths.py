"""Slugs and output paths: pure functions, no file system access.

Every path the tool writes is built from these, so "inside the output folder, on every OS" is
enforced here once: no separators, no `..`, no control characters, no Windows reserved names, and a
bounded length per segment.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*#%\s]+')
_TITLE_JUNK = re.compile(r"[^\w\-]+")
_DASHES = re.compile(r"-{2,}")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
_DROPPED_CATEGORIES = frozenset({"Cf", "Cs", "Co", "So"})
MAX_SEGMENT_BYTES = 200  # leaves room for "-<id>", ".md" and ".incoming" under the 255-byte limit


def clean_slug(raw: str) -> str:
    """A WordPress slug made safe as one path segment ("" when nothing usable is left).

    Percent-encoding is decoded (`%c2%bf` → `¿`) and the result NFC-normalized, so file names and
    URLs read as the author wrote them.
    """
    text = unicodedata.normalize("NFC", unquote(raw, errors="replace"))
    # Invisible format characters (U+202E turns `hello-w‮orld` around on screen: a spoofing trick)
    # and symbols such as emoji are not letters; Hugo drops them from URLs, so a file keeping them
    # would be served at a URL other than the one links to it are given.
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    text = _UNSAFE.sub("-", text)
    text = _DASHES.sub("-", text).strip("-. ")
    return _truncate(text)


def slug_from_title(title: str) -> str:
    """What WordPress would have made of a title: lower case, words joined by dashes."""
    text = unicodedata.normalize("NFC", title).lower()
    text = _TITLE_JUNK.sub("-", text)
    return clean_slug(text)


def _truncate(segment: str) -> str:
    data = segment.encode("utf-8")
    if len(data) <= MAX_SEGMENT_BYTES:
        return segment
    return data[:MAX_SEGMENT_BYTES].decode("utf-8", errors="ignore").rstrip("-. ")


def item_slug(slug: str, title: str, item_id: int) -> str:
    """The slug to use: the exported one, else one from the title, else the id."""
    result = clean_slug(slug) or slug_from_title(title) or str(item_id)
    # Windows reserves the name whatever follows the first dot: `aux.md` is AUX as well.
    stem, dot, rest = result.partition(".")
    if stem.rstrip(" ").lower() in _WINDOWS_RESERVED:
        result = f"{stem}-{item_id}{dot}{rest}"
    return result


def permalink_path(link: str) -> str:
    """The path of a pretty permalink, decoded and NFC-normalized; "" for `?p=ID` style links.

    `http://www.stackops.com/2011/10/03/en-la-openstack/` → `/2011/10/03/en-la-openstack/`.
    """
    if not link:
        return ""
    parts = urlsplit(link)
    if parts.query or not parts.path or parts.path == "/":
        return ""
    path = unicodedata.normalize("NFC", unquote(parts.path, errors="replace"))
    segments = [s for s in path.split("/") if s]
    if any(s in (".", "..") or _has_control(s) for s in segments):
        return ""
    return "/" + "/".join(segments) + ("/" if path.endswith("/") else "")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def collision_key(path: str) -> str:
    """Two paths that one case-insensitive file system would treat as the same file."""
    return unicodedata.normalize("NFC", path).casefold()


def with_suffix(path: str, item_id: int) -> str:
    """`posts/novedades.md` → `posts/novedades-12.md`: the deterministic way out of a collision."""
    stem, dot, ext = path.rpartition(".")
    return f"{stem}-{item_id}.{ext}" if dot else f"{path}-{item_id}"

"""Links inside a body: to the site itself → paths on the new site; uploads → absolute files.

Runs on HTML attributes (href, src, srcset, poster) before html2text, so every later step sees final
URLs. External links are never changed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from ..models import LinkTarget, SiteIndex
from .entities import unescape_attribute

T = TypeVar("T")
UPLOADS = "/wp-content/uploads/"
_WPCOM_FILES = re.compile(r"(^|\.)files\.wordpress\.com$")
_PHOTON = re.compile(r"^i[0-9]\.wp\.com$")
_NOT_WEB = ("mailto:", "tel:", "javascript:", "data:", "#", "sms:", "ftp:", "news:", "irc:")
_URL_ATTR = re.compile(
    r"""(\s(?:href|src|srcset|poster)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
# A start tag (`<[A-Za-z][^>]*>`) with a URL attribute in it: most tags have none, and are not
# worth a call. Tags cannot overlap, so this finds the same tags with URLs as scanning every tag.
_URL_TAG = re.compile(r"<[A-Za-z](?=[^>]*?\s(?i:href|src|srcset|poster)\s*=)[^>]*>")
_ID_QUERY = ("p", "page_id", "attachment_id")
# `/category/news/`, `/news/category/parent/child/` (a custom base; the last slug names the term),
# `/tag/x/`, `/author/jo/`: WordPress's archive pages (their kind → SiteIndex.archive_urls' kind).
_ARCHIVE = re.compile(r"/(category|tag|author)/(?:[^/]+/)*?([^/]+)/?$", re.IGNORECASE)
_ARCHIVE_KINDS = {"category": "category", "tag": "post_tag", "author": "author"}
_NUMERIC = re.compile(r"(?:^|/)archives/([0-9]+)/?$")  # the "numeric" permalink structure
_FEEDS = frozenset({"/feed", "/feed/rss2", "/feed/atom", "/feed/rss", "/rss", "/atom"})
FEED = ("feed", "")  # SiteIndex.archive_urls' key of the site's feed (site/archives.py)
# A dated permalink (`/2011/10/03/slug/`, `/blog/2011/10/slug/`): its slug, when only one post's
# dated permalink ends with it, finds that post even if the link has the date wrong.
DATED = re.compile(r"(?:^|/)[12][0-9]{3}/(?:[01][0-9]/){1,2}([^/]+)/?$")
DATED_KIND = "dated"
_ATTACHMENT_PAGE = re.compile(r"^(/.+?)/attachment/[^/]+/?$")  # WordPress's attachment page URL
# A path that names a file rather than a page (pages end in "/", ".html" or ".php", or have no dot).
_FILE_PATH = re.compile(r"\.(?!html?$|php$)[A-Za-z0-9]{1,5}$", re.IGNORECASE)


def rewrite_url(
    url: str,
    index: SiteIndex,
    media_url: Callable[[str], str] | None = None,
    *,
    embedded: bool = False,
    not_migrated: Callable[[str], None] | None = None,
) -> str:
    """The URL a link in the body should have on the new site.

    - `http(s)://[www.]site/2011/10/03/slug/#c` → the target's URL (if a known permalink) or the path;
    - `?p=12`, `?page_id=12` (absolute or root-relative) → the item's new URL, `#fragment` kept;
    - an attachment page (`?attachment_id=12`, or its old permalink) → the attachment's file, since
      the new site has no attachment pages;
    - uploads stay absolute on the original host (host-stripped ones get the site's first base URL),
      or go through `media_url` when the media step provides one;
    - other files on the site (`src` of an image from the theme folder, a link to `/files/a.zip`)
      go through `media_url` too (the media step fetches them to the same path), else stay
      absolute on the old host: the new site has nothing to serve them at a stripped path;
    - an archive page the new site has too (`/category/x/`, a custom base's `/news/category/x/`,
      `/tag/x/`, `/author/x/`, `/feed/`: SiteIndex.archive_urls) → its URL there; a numeric
      permalink (`/archives/51`, `/blog/archives/51`) → post 51's URL; a dated permalink with the
      date wrong whose slug is unique → that post; `<permalink>/attachment/x/` of an attachment
      not in the export → the post it belongs to; the site's home → `/`;
    - any other page of the old site stays absolute on it: the export does not hold it, so the
      new site has nothing at that path (a root-relative link would point nowhere). It is passed
      to `not_migrated`, so the run can report the links to pages that were not migrated;
    - anything else (external, mailto, relative) is returned unchanged.
    """
    raw = url.strip()
    if not raw or raw.lower().startswith(_NOT_WEB):
        return url
    raw = raw.replace(" ", "%20")  # a space would end the Markdown link destination
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. "http://[broken"
        return url
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return url
    if host and host not in index.site_hosts:
        if _WPCOM_FILES.search(host) or _PHOTON.match(host) or host in index.media_hosts:
            return media_url(raw) if media_url else raw
        return raw
    path = parts.path
    if not host and not path.startswith("/"):
        if not path.startswith("wp-content/uploads/"):
            return url  # relative link: nothing to resolve it against
        path = "/" + path
    suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
    if UPLOADS in path:
        if not host and not index.base_urls:
            return path + suffix  # no site URL known to make it absolute with
        absolute = raw if host else _site_origin(index) + path + suffix
        return media_url(absolute) if media_url else absolute
    fragment = "#" + parts.fragment if parts.fragment else ""
    if parts.query and _is_front(path, index):
        target, is_file = _by_query(parts.query, index, media_url)
        if target:
            return target if is_file else target + fragment
    target_url = _by_path(path, index)
    if target_url:
        return target_url + fragment
    attachment_id = _lookup(path, index.attachment_pages)
    if attachment_id is not None and attachment_id in index.attachments:
        file_url = index.attachments[attachment_id].url  # the new site has no attachment pages
        return media_url(file_url) if media_url else file_url
    if (embedded or _FILE_PATH.search(path)) and index.base_urls:
        absolute = raw if host else _site_origin(index) + path + suffix
        return media_url(absolute) if media_url else absolute
    archive = _archive(path, index) or _attachment_parent(path, index)
    if archive:
        return archive + fragment
    if not index.base_urls:
        return (path or "/") + suffix  # no old site known to keep it absolute on
    if _home(path, index) and not _names_item(parts.query):
        return "/" + suffix  # the home page, maybe with a search query
    absolute = raw if host else _site_origin(index) + path + suffix
    if not_migrated is not None:
        not_migrated(absolute)
    return absolute


def _names_item(query: str) -> bool:
    """Does a query name an item (`?p=12`)? One the export lacks is not the home page."""
    return any(v and v[0].strip().isdigit() for k, v in parse_qs(query).items() if k in _ID_QUERY)


def _home(path: str, index: SiteIndex) -> bool:
    """Is `path` the old site's home page (or the host's root above it)?"""
    path = path.rstrip("/")
    return path == "" or any(urlsplit(b).path.rstrip("/") == path for b in index.base_urls)


def _archive(path: str, index: SiteIndex) -> str:
    """The new URL of an archive page or numeric permalink at `path` ("" if none)."""
    found = _NUMERIC.search(path)
    if found:
        target = index.targets.get(int(found.group(1)))
        return target.url if target else ""
    if not index.archive_urls:
        return ""
    if _feed_path(path, index):
        return index.archive_urls.get(FEED, "")
    decoded = unicodedata.normalize("NFC", unquote(path, errors="replace"))
    found = _ARCHIVE.search(decoded)
    if found:
        kind = _ARCHIVE_KINDS[found.group(1).lower()]
        return index.archive_urls.get((kind, found.group(2).lower()), "")
    found = DATED.search(decoded)
    return index.archive_urls.get((DATED_KIND, found.group(1).lower()), "") if found else ""


def _attachment_parent(path: str, index: SiteIndex) -> str:
    """`<post's permalink>/attachment/<slug>/`, an attachment the export does not hold: the post it
    was uploaded to, which shows it ("" when that post is not known either)."""
    found = _ATTACHMENT_PAGE.search(path)
    target = _lookup(found.group(1), index.targets_by_path) if found else None
    return target.url if target else ""


def _feed_path(path: str, index: SiteIndex) -> bool:
    rest = path
    for base in index.base_urls:
        prefix = urlsplit(base).path.rstrip("/")
        if prefix and path.startswith(prefix + "/"):
            rest = path[len(prefix) :]
    return rest.rstrip("/") in _FEEDS


def _site_origin(index: SiteIndex) -> str:
    if not index.base_urls:
        return ""
    parts = urlsplit(index.base_urls[0])
    return f"{parts.scheme}://{parts.netloc}"


def _is_front(path: str, index: SiteIndex) -> bool:
    """Is `path` the site's front script (where `?p=ID` links point)?"""
    path = path.rstrip("/")
    if path.endswith("/index.php"):
        path = path[: -len("/index.php")]
    return path == "" or any(urlsplit(b).path.rstrip("/") == path for b in index.base_urls)


def _by_query(query: str, index: SiteIndex, media_url: Callable[[str], str] | None) -> tuple[str, bool]:
    """(new URL, is it a file?) for `p=`, `page_id=` and `attachment_id=` queries."""
    values = parse_qs(query)
    for key in _ID_QUERY:
        found = values.get(key)
        if not found or not found[0].strip().isdigit():
            continue
        item_id = int(found[0])
        if key == "attachment_id" and item_id in index.attachments:
            file_url = index.attachments[item_id].url
            return (media_url(file_url) if media_url else file_url), True
        target: LinkTarget | None = index.targets.get(item_id)
        if target:
            return target.url, False
    return "", False


def _by_path(path: str, index: SiteIndex) -> str:
    target = _lookup(path, index.targets_by_path)
    return target.url if target else ""


def _lookup(path: str, table: Mapping[str, T]) -> T | None:
    """`table`'s entry for an old permalink path, with or without its trailing slash."""
    if not table or not path or path == "/":
        return None
    key = unicodedata.normalize("NFC", unquote(path, errors="replace"))
    for candidate in (key, key + "/" if not key.endswith("/") else key.rstrip("/")):
        found = table.get(candidate)
        if found is not None:
            return found
    return None


def _rewrite_srcset(value: str, rewrite: Callable[[str], str]) -> str:
    out = []
    for candidate in value.split(","):
        bits = candidate.strip().split(None, 1)
        if bits:
            out.append(" ".join([rewrite(bits[0]), *bits[1:]]))
    return ", ".join(out)


def rewrite_html(
    markup: str,
    index: SiteIndex,
    media_url: Callable[[str], str] | None = None,
    not_migrated: Callable[[str], None] | None = None,
) -> str:
    """`markup` with href/src/srcset/poster attribute values passed through `rewrite_url`."""

    def attr(m: re.Match[str]) -> str:
        value = unescape_attribute(next(v for v in m.group(2, 3, 4) if v is not None))
        name = m.group(1).strip().split("=")[0].strip().lower()
        embedded = name != "href"  # src, srcset, poster: the page shows this file itself

        def rewrite(url: str) -> str:
            return rewrite_url(url, index, media_url, embedded=embedded, not_migrated=not_migrated)

        new = _rewrite_srcset(value, rewrite) if name == "srcset" else rewrite(value)
        return m.group(1) + '"' + html.escape(new, quote=True) + '"'

    def tag(m: re.Match[str]) -> str:
        return _URL_ATTR.sub(attr, m.group(0))

    return _URL_TAG.sub(tag, markup)

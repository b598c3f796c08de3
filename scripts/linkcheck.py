"""Check every internal link and image of a built site (Hugo's `public/`) against the files there.

    python scripts/linkcheck.py PUBLIC_DIR [--base-url URL]

A migrated site must not point nowhere: the old host is about to be switched off, so a link that
resolves only there is a broken link on the new site. Every `href`, `src` and `srcset` of every
HTML file under PUBLIC_DIR is read with lxml. A root-relative or relative URL, or an absolute one
on the site's own base URL, is internal: it must name a file that was built (a folder means its
`index.html`; percent-encoding is decoded; query and fragment are ignored). Anything else (other
hosts, `mailto:`) is external and only counted. Broken ones are printed by page, images apart
(an `<img>`, `<source>`, `<video>`… that shows nothing); exit 1 when any is broken.

Broken in the source, counted apart: a broken reference written as a *relative* URL. The migration
rewrites every absolute and root-relative link to the old site (to the new page, or left absolute
on the old host) and leaves relative ones as WordPress had them; each page keeps its old
permalink, so a relative URL resolves to the same path it did on the old site, and nothing the
export holds (item, term, media file) is there: it was broken there too. Three shapes, each named
with its reason (`SOURCE_REASONS`): text in an `href` (words and spaces, no `/`), a host name
without `http://` (`www.example.org/x`, `bit.ly/abc`: the browser reads it as a path), and any
other relative path (`../2007/…` from an old permalink, a Word paste's `{E251…}.dat`,
`../wp-includes/…/trans.gif`, a file of WordPress itself, not content). Root-relative and
absolute ones are never put there: those are the migration's to get right.

Used by tests/test_site_build.py and scripts/site_corpus.py through `check()`.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

# Elements whose `src`/`srcset` is something shown on the page: a broken one is a missing image.
MEDIA_TAGS = frozenset({"img", "source", "video", "audio", "track", "embed", "picture", "input"})
UNKNOWN_SITE = "http://site.invalid/"  # stands for the site when its base URL is not given
NOT_LINKS = ("mailto:", "tel:", "javascript:", "data:", "about:", "sms:", "geo:", "news:")
TEXT, NO_SCHEME, RELATIVE = (
    "text in href",
    "host name without http://",
    "relative path, nothing there on the old site either",
)
SOURCE_REASONS = (TEXT, NO_SCHEME, RELATIVE)
# `www.example.org/…`, `bit.ly/3YHV1c2`: a host name (a dot, a top-level domain) then a path.
_HOST_AS_PATH = re.compile(r"^(?:www\.[^/]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Broken:
    page: str  # the HTML file, relative to PUBLIC_DIR
    url: str  # as written in the page
    image: bool  # from a media element's src/srcset (else a link)
    reason: str = ""  # broken in the source: one of SOURCE_REASONS ("": the migration's fault)


@dataclass
class Result:
    pages: int = 0
    internal: int = 0  # internal references checked (each occurrence)
    external: int = 0  # references to other hosts or non-HTTP schemes, not checked
    broken: list[Broken] = field(default_factory=list)  # the migration's: must be none
    in_source: list[Broken] = field(default_factory=list)  # broken in WordPress already (see above)

    @property
    def missing_images(self) -> list[Broken]:
        return [b for b in self.broken if b.image]

    @property
    def broken_links(self) -> list[Broken]:
        return [b for b in self.broken if not b.image]


def references(html: bytes) -> list[tuple[str, bool]]:
    """(URL, is it media?) of every href, src and each srcset candidate of one HTML document."""
    if not html.strip():
        return []
    root = lxml.html.document_fromstring(html)
    found: list[tuple[str, bool]] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        media = element.tag in MEDIA_TAGS
        for name in ("href", "src"):
            value = element.get(name)
            if value is not None:
                found.append((value.strip(), media and name == "src"))
        srcset = element.get("srcset")
        if srcset:
            # "a.png 1x, b.png 2x": each candidate is a URL, then an optional descriptor.
            for candidate in srcset.split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    found.append((url, True))
    return found


def target(url: str, page_url: str, base_url: str) -> str | None:
    """The site path (decoded, starting with "/") a URL found on `page_url` points at, or None
    when it leaves the site. `base_url`: the site's own absolute URL. A URL on the site's host but
    outside the base URL's folder gives "": the site cannot serve it."""
    if url.lower().startswith(NOT_LINKS):
        return None
    base = urlsplit(base_url)
    parts = urlsplit(urljoin(page_url, url))
    if parts.scheme not in ("", "http", "https"):
        return None
    base_path = base.path.rstrip("/") + "/"
    if parts.netloc.lower() != base.netloc.lower():
        return None
    path = parts.path or "/"
    # Hugo prefixes the base URL's folder (https://host/blog/) to the pages it links: the files are
    # at the root of public/.
    if not (path + "/").startswith(base_path):
        return ""
    return unquote("/" + path[len(base_path) :])


def resolves(public: Path, path: str) -> bool:
    """Does the site path name a file that was built?"""
    local = public / path.lstrip("/")
    if path.endswith("/") or local.is_dir():
        local = local / "index.html"
    try:
        return local.resolve().is_relative_to(public.resolve()) and local.is_file()
    except OSError:  # a name too long for the file system
        return False


def check(public: Path, base_url: str = "") -> Result:
    """Every reference of every HTML page under `public`, in path order."""
    result = Result()
    site = base_url or UNKNOWN_SITE
    for html in sorted(public.rglob("*.html")):
        rel = html.relative_to(public).as_posix()
        page_url = site.rstrip("/") + "/" + rel  # where a browser reads it: relative URLs join to it
        result.pages += 1
        for url, media in references(html.read_bytes()):
            if not url or url.startswith("#"):
                continue  # the page itself
            local = target(url, page_url, site)
            if local is None:
                result.external += 1
                continue
            result.internal += 1
            if not local or not resolves(public, local):
                reason = source_reason(url)
                (result.in_source if reason else result.broken).append(Broken(rel, url, media, reason))
    return result


def source_reason(url: str) -> str:
    """Why a broken reference was broken in the source already ("" when it is not: see above)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return ""  # absolute or root-relative: the migration wrote it
    path = unquote(parts.path)
    if any(ch.isspace() for ch in path) and "/" not in path:
        return TEXT
    if _HOST_AS_PATH.match(path):
        return NO_SCHEME
    return RELATIVE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the internal links and images of a built site.")
    parser.add_argument("public", type=Path, help="the built site (Hugo: public/)")
    parser.add_argument(
        "--base-url", default="", help="the site's baseURL: absolute links to it are internal"
    )
    args = parser.parse_args(argv)
    if not args.public.is_dir():
        print(f"linkcheck: {args.public}: not a folder", file=sys.stderr)
        return 2
    result = check(args.public, args.base_url)
    by_page: dict[str, list[Broken]] = {}
    for broken in result.broken:
        by_page.setdefault(broken.page, []).append(broken)
    for broken in result.in_source:
        by_page.setdefault(broken.page, []).append(broken)
    for page, items in sorted(by_page.items()):
        print(page)
        for b in items:
            what = "missing image" if b.image else "broken link"
            print(f"  {what}: {b.url}" + (f" (broken in the source: {b.reason})" if b.reason else ""))
    print(
        f"{result.pages} pages: {result.internal} internal references, "
        f"{len(result.broken_links)} broken links, {len(result.missing_images)} missing images, "
        f"{len(result.in_source)} broken in the source; {result.external} external (not checked)"
    )
    return 1 if result.broken else 0


if __name__ == "__main__":
    sys.exit(main())

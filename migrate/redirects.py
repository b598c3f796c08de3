"""Old WordPress URLs → new ones, and the server files that answer them (nginx, Netlify, Apache).

Pure: the plan (paths, URLs, aliases, attachments, terms) and the terms that published items use
go in, text comes out. Rules, each only when the old URL is not already a page of the new site:
- `_wp_old_slug` paths and changed permalinks (the entries' aliases) → the page;
- `?p=ID` (any type) and `?page_id=ID` (pages) → the page; drafts have no page and no redirect;
- `?attachment_id=ID` and attachment pages → the parent page when it is published, else the file
  where the new site has it, else (`--media none`, a file that could not be had) its old absolute
  URL: never a local path where nothing was written;
- `/category/parent/child/` (and `/category/child/`), `/tag/slug/` → the term's archive page, and
  their `/feed/` → the term's feed; `/feed/` → the site's feed;
- `/author/<login>/` (and the nicename WordPress would have made of the login) → the home page,
  their `/feed/` → the site's feed: the new site has no author pages (no `authors` taxonomy; the
  authors are data, see site/authors.py).
Paths are kept decoded, as nginx and Apache match them; each format encodes what it must.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import quote, unquote, urlsplit

from .convert import decode_entities
from .models import ItemTerm, LinkTarget, SiteIndex, Term
from .paths import permalink_path, slug_from_title
from .plan import Plan
from .plan import published as is_published
from .settings import taxonomy_key
from .targets import Layout

_ARCHIVES = {"category": "category", "post_tag": "tag"}  # WordPress's default bases
_HEADER = "Redirects from the old WordPress URLs, written by wxr-migrate from the export."


@dataclass(frozen=True, order=True)
class Redirect:
    old: str  # root-relative path, decoded ("/2011/10/03/openstack-boston/")
    query: str  # "" or "p=2078": the old URL is `old` + "?" + query
    new: str  # root-relative URL on the new site, decoded, or an absolute URL


def build(
    plan: Plan,
    used_terms: Iterable[ItemTerm],
    layout: Layout,
    file_link: Callable[[str], str] | None = None,
) -> list[Redirect]:
    """Every redirect, sorted, one per old URL, none from a URL the new site serves as a page.
    `file_link`: a media URL → its link on the new site, the URL unchanged when the file is not
    there (mediaplan.MediaLinks.link); None when no media were written."""
    index = plan.index
    root = _root(index)
    pages = _PageUrls(index.targets)
    published = plan.by_item_id(attrgetter("item_id"), where=is_published)  # a view: looked up per attachment
    found: list[Redirect] = []
    for entry in plan.entries.values():
        if entry.draft:
            continue
        new = index.targets[entry.item_id].url
        found += [Redirect(alias, "", new) for alias in entry.aliases]
        found.append(Redirect(root, f"p={entry.item_id}", new))
        if entry.post_type == "page":
            found.append(Redirect(root, f"page_id={entry.item_id}", new))
    for attachment in index.attachments.values():
        parent = attachment.parent in published and index.targets[attachment.parent].url
        new = parent or _file_url(attachment.url, file_link)
        if not new:
            continue
        found.append(Redirect(root, f"attachment_id={attachment.id}", new))
        page = permalink_path(attachment.link)
        if page:
            found.append(Redirect(page, "", new))
    found += _term_redirects(index, used_terms, layout, root)
    found += _author_redirects(index, layout, root)
    found.append(Redirect(root + "feed/", "", layout.feed))
    unique: dict[tuple[str, str], Redirect] = {}
    for r in sorted(found):
        if (r.query or r.old not in pages) and r.old != r.new:
            unique.setdefault((r.old, r.query), r)
    return list(unique.values())


class _PageUrls:
    """The URLs the new site serves as pages: a query of the targets' indexed `url` column when
    they are a table of the run's SQLite file (sitestore.py), else a set."""

    def __init__(self, targets: Mapping[int, LinkTarget]) -> None:
        self._find = getattr(targets, "find", None)
        self._urls = None if self._find is not None else {t.url for t in targets.values()}

    def __contains__(self, url: str) -> bool:
        if self._urls is not None:
            return url in self._urls
        return bool(self._find("url", url))


def _root(index: SiteIndex) -> str:
    """The blog's path on the old site: "/" or "/blog/"."""
    path = urlsplit(index.base_urls[0]).path if index.base_urls else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _file_url(url: str, file_link: Callable[[str], str] | None) -> str:
    """Where a file is on the new site (decoded, like every path here), else its old absolute URL."""
    if not urlsplit(url).path:
        return ""
    link = file_link(url) if file_link is not None else url
    return url if link == url or link.startswith(("http://", "https://")) else unquote(link)


def _term_redirects(index: SiteIndex, used: Iterable[ItemTerm], layout: Layout, root: str) -> list[Redirect]:
    out: list[Redirect] = []
    for term in sorted(set(used), key=lambda t: (t.taxonomy, t.slug, t.name)):
        base = _ARCHIVES.get(term.taxonomy)
        if base is None or not term.slug:
            continue
        key, name = taxonomy_key(term.taxonomy), decode_entities(term.name).strip()
        page, feed = layout.term_url(key, name), layout.term_feed(key, name)
        olds = {f"{root}{base}/{term.slug}/"}
        if term.taxonomy == "category":
            olds.add(f"{root}{base}/{'/'.join(_category_chain(index.terms, term.slug))}/")
        for old in sorted(olds):
            out += [Redirect(old, "", page), Redirect(old + "feed/", "", feed)]
    return out


def _author_redirects(index: SiteIndex, layout: Layout, root: str) -> list[Redirect]:
    out: list[Redirect] = []
    for login in sorted(index.authors):
        for name in sorted({login, slug_from_title(login)} - {""}):
            if "/" not in name and name not in (".", ".."):
                out += [
                    Redirect(f"{root}author/{name}/", "", "/"),
                    Redirect(f"{root}author/{name}/feed/", "", layout.feed),
                ]
    return out


def _category_chain(terms: dict[tuple[str, str], Term], slug: str) -> list[str]:
    """`child` → ["parent", "child"], following `category_parent` (guarded against cycles)."""
    chain = [slug]
    parent = terms.get(("category", slug))
    while parent and parent.parent and parent.parent not in chain and len(chain) < 32:
        chain.insert(0, parent.parent)
        parent = terms.get(("category", parent.parent))
    return chain


def encode(url: str) -> str:
    """A URL as it goes in a Location header. Our paths are decoded: everything but a few safe
    characters is percent-encoded (`?`, `#`, `;`, `$`, quotes and spaces included). Absolute URLs
    (files elsewhere) are already encoded, and kept but for spaces."""
    if url.startswith(("http://", "https://")):
        return url.replace(" ", "%20")
    return quote(url, safe="/~@!*+,=:&")


def nginx(redirects: list[Redirect]) -> str:
    lines = [
        f"# {_HEADER}",
        "# Include it inside the site's server { } block: include …/redirects/nginx.conf;",
    ]
    for r in redirects:
        if not r.query:
            lines.append(
                f"location = {_nginx_string(r.old)} {{ return 301 {_nginx_string(encode(r.new))}; }}"
            )
    by_root: dict[str, list[Redirect]] = {}
    for r in redirects:
        if r.query:
            by_root.setdefault(r.old, []).append(r)
    for old, group in by_root.items():
        lines.append(f"location = {_nginx_string(old)} {{")
        for r in group:
            name, _, value = r.query.partition("=")
            lines.append(f'    if ($arg_{name} = "{value}") {{ return 301 {_nginx_string(encode(r.new))}; }}')
        lines.append("}")
    return "\n".join(lines) + "\n"


def _nginx_string(text: str) -> str:
    if re.fullmatch(r"[\w/.:%~@+,!*()'=&?#-]+", text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def netlify(redirects: list[Redirect]) -> str:
    """`_redirects`: `301!` (forced), since an old path may hold a Hugo alias page or the home page."""
    lines = [f"# {_HEADER}"]
    for r in redirects:
        query = f"  {r.query}" if r.query else ""
        lines.append(f"{encode(r.old)}{query}  {encode(r.new)}  301!")
    return "\n".join(lines) + "\n"


def apache(redirects: list[Redirect]) -> str:
    """`.htaccess` for mod_rewrite. Patterns match the decoded path without its leading `/`;
    targets are already encoded (NE), with `%` escaped so it is not read as a back-reference."""
    lines = [f"# {_HEADER}", "RewriteEngine On"]
    for r in redirects:
        pattern = "^" + re.escape(r.old.lstrip("/")).replace("\\ ", "\\x20") + "$"
        target = encode(r.new).replace("%", "\\%")
        if r.query:
            name, _, value = r.query.partition("=")
            lines.append(f"RewriteCond %{{QUERY_STRING}} (?:^|&){re.escape(name)}={re.escape(value)}(?:&|$)")
            lines.append(f"RewriteRule {pattern} {target} [R=301,L,NE,QSD]")
        else:
            lines.append(f"RewriteRule {pattern} {target} [R=301,L,NE]")
    return "\n".join(lines) + "\n"


FORMATS = {"nginx": nginx, "netlify": netlify, "apache": apache}


def files(redirects: list[Redirect], formats: Iterable[str], layout: Layout) -> list[tuple[str, str]]:
    """(path in the site folder, text) for each format asked for."""
    static = layout.static_dir + "/" if layout.static_dir else ""
    where = {
        "nginx": "redirects/nginx.conf",
        "netlify": f"{static}_redirects",
        "apache": f"{static}.htaccess",
    }
    return [(where[name], FORMATS[name](redirects)) for name in formats]

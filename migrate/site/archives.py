"""The old site's archive pages that the new site has too, so links to them resolve.

A post links to `/category/news/`, `/tag/x/`, `/author/jo/` or `/feed/` as often as to another
post. None of these is an item, so the permalink table (SiteIndex.targets_by_path) does not know
them; yet the new site has a page for most: a term's list page (Hugo makes one for every term a
published item uses, and for every term given an `_index.md`, see terms.py), the home page for
an author (the redirects send author archives there, see redirects.py) and the site's feed. This
table, `SiteIndex.archive_urls`, maps (kind, slug) to that page's URL, for
convert/links.py to resolve such links and site/menus.py to leave out an entry to a term with no
page. A term no published item uses and no `_index.md` describes has no page: it is not listed,
so a link to it stays on the old host and is reported (links.rewrite_url).

Kinds: a WordPress taxonomy (`category`, `post_tag`, custom ones) with the term's slug;
`author` with a login or the nicename WordPress makes of it; `feed` with "" (the site's feed);
`dated` with the slug of a dated permalink (`/2011/10/03/slug/`) no other one ends with.
"""

from __future__ import annotations

import contextlib
from collections.abc import MutableMapping
from operator import itemgetter

from .. import targets
from ..convert.links import DATED, DATED_KIND, FEED
from ..document import term_name, terms_key
from ..models import ItemTerm, SiteIndex
from ..paths import slug_from_title
from ..settings import Settings
from ..sitestore import Store, Table

_DATED = "dated_slugs"  # the scratch table _dated_slugs groups in


def archive_urls(
    index: SiteIndex,
    used: set[ItemTerm],
    settings: Settings,
    out: MutableMapping[tuple[str, str], str] | None = None,
) -> MutableMapping[tuple[str, str], str]:
    """(kind, slug) → URL on the new site of every archive page it has (see the module's doc).
    `used`: the terms of the items written (a term only drafts use is counted in: a known gap).
    `out`: where they go (a table of the run's SQLite file: dated slugs are one per post)."""
    layout = targets.layout(settings)
    out = {} if out is None else out
    described = {
        (t.taxonomy, t.slug)
        for t in index.terms.values()
        if t.id and layout.name == "hugo" and (t.description.strip() or t.parent)
    }
    published = {(t.taxonomy, t.slug): t for t in sorted(used, key=lambda t: (t.taxonomy, t.slug, t.name))}
    declared = {k: ItemTerm(t.taxonomy, t.slug, t.name) for k, t in index.terms.items()}
    for key in sorted(described | set(published)):
        term = published.get(key) or declared.get(key)
        if term is None:
            continue
        taxonomy = terms_key(term.taxonomy)
        name = term_name(settings.term_name(term))
        url = layout.term_url(taxonomy, name) if taxonomy and name else ""
        if url and not url.endswith("//"):  # a name Hugo makes nothing of has no page
            out[key] = url
    for login in sorted(index.authors):
        for name in {login, slug_from_title(login)} - {""}:
            out[("author", name)] = "/"
    out[FEED] = layout.feed
    _dated_slugs(index, out)
    return out


def _dated_slugs(index: SiteIndex, out: MutableMapping[tuple[str, str], str]) -> None:
    """("dated", slug) → URL, into `out`, for each slug only one dated permalink ends with: a
    link that gets the date wrong (`/2011/10/04/slug/` for `/2011/10/03/slug/`, a post redated
    after the link was written) finds it, as WordPress's own guess by slug would. An ambiguous
    slug: none.

    A dated site has one such slug per post: they are grouped in a table of the run's scratch
    file (the one `targets_by_path` is in; one in memory for an index of plain dicts), not in a
    dict of sets (~370 B per post at 100k posts), and read back a chunk at a time."""
    by_path = index.targets_by_path
    own = not isinstance(by_path, Table)  # an index of plain dicts: a store of our own, closed after
    store = Store() if own else by_path.store
    dated = store.table(_DATED, slug=itemgetter(0), url=itemgetter(1))
    try:
        for n, (path, target) in enumerate(by_path.items()):
            match = DATED.search(path)
            if match:
                dated[n] = (match.group(1).lower(), target.url)
        # SQLite compares TEXT as UTF-8 bytes: code point order, the order Python sorts strs in.
        sql = (
            f"SELECT slug, min(url) FROM {_DATED} GROUP BY slug"  # noqa: S608
            " HAVING count(DISTINCT url) = 1 ORDER BY slug"
        )
        with contextlib.closing(store.execute(sql)) as rows:  # closed before the table is dropped
            while chunk := rows.fetchmany(512):
                for slug, url in chunk:
                    out[DATED_KIND, slug] = url
    finally:
        if own:
            store.close()
        else:
            store.drop(_DATED)

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
`author` with a login or the nicename WordPress makes of it; `feed` with "" (the site's feed).
"""

from __future__ import annotations

from .. import targets
from ..convert.links import FEED
from ..document import term_name, terms_key
from ..models import ItemTerm, SiteIndex
from ..paths import slug_from_title
from ..settings import Settings


def archive_urls(index: SiteIndex, used: set[ItemTerm], settings: Settings) -> dict[tuple[str, str], str]:
    """(kind, slug) → URL on the new site of every archive page it has (see the module's doc).
    `used`: the terms of the items written (a term only drafts use is counted in: a known gap)."""
    layout = targets.layout(settings)
    out: dict[tuple[str, str], str] = {}
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
    return out

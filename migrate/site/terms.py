"""Term pages: `content/<taxonomy>/<term>/_index.md` for the terms WordPress described.

Hugo builds a list page for every term the content uses, titled with the bare name; an `_index.md`
in that page's folder gives it a title, a `description` (plain text, as themes put it in
`<meta name="description">`), `term_id` and `term_slug` (WordPress's; Hugo reads a `slug` key as
the page's URL, which would move it away from the term's) and the description as Markdown for the
page's text, and what the SEO plugins kept for the term (`seo`, `images`, the SEO description
first; plugins/seo.py). One is written only for a term that has a description, a parent or SEO
data: for the others it would say nothing Hugo does not know. Its folder is the one Hugo gives
the term (`Layout.term_url` of the name the items' front matter carries, `[taxonomies]` renames
applied), so page and term are one.

Users may edit these pages: the pipeline applies them with the Updater, like items, in the manifest
under the site's name + `#terms:<taxonomy>` (`TABLE`), keyed by WordPress term id — unique within a
taxonomy, while sites older than WordPress 4.2 may share one id between a category and a tag.

Jekyll: none. jekyll-archives makes its term pages from its layouts and reads no per-term file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import targets
from ..convert import convert_body, plain_text, summarize
from ..convert.sourcemarkup import is_wordpress_com
from ..document import term_name, terms_key
from ..models import ItemTerm, SiteIndex, Term
from ..plugins import polylang, seo
from ..settings import Settings

TABLE = "#terms:"  # the manifest's table of a taxonomy's pages: site name + TABLE + taxonomy


@dataclass(frozen=True, order=True)
class TermPage:
    taxonomy: str
    term_id: int
    path: str  # e.g. "content/categories/openstack/_index.md"
    text: str


def term_pages(
    index: SiteIndex, settings: Settings, media_url: Callable[[str], str] | None = None
) -> tuple[list[TermPage], list[tuple[int, str]]]:
    """The pages to write (sorted), and (term id, message) for terms that get none though they
    would: no term id to key them by, or another term with the same page (renames merged them)."""
    if settings.target == "jekyll":
        return [], []
    layout = targets.layout(settings)
    pages: list[TermPage] = []
    problems: list[tuple[int, str]] = []
    taken: dict[str, Term] = {}
    for term in sorted(index.terms.values(), key=lambda t: (t.taxonomy, t.id, t.slug)):
        key = terms_key(term.taxonomy)
        if index.languages and term.taxonomy == polylang.LANGUAGE:
            continue  # Polylang's languages: their descriptions are its settings, not a page
        name = _name(term, settings)
        parent = _parent(term, index, settings)
        found = seo.term_seo(term, index)
        if not key or not name or not (term.description.strip() or parent or found.front_matter()):
            continue
        url = layout.term_url(key, name)
        if url.endswith("//"):
            continue  # a name Hugo makes nothing of (emoji only): no page of its own to describe
        path = f"content{url}_index.md"
        if not term.id:
            problems.append((0, f"{term.taxonomy} {term.slug!r}: no term id in the export; no page written"))
            continue
        first = taken.setdefault(path.casefold(), term)
        if first is not term:
            problems.append(
                (term.id, f"{term.taxonomy} {term.slug!r} has the page of {first.slug!r}: {path}")
            )
            continue
        pages.append(
            TermPage(
                term.taxonomy, term.id, path, _text(term, name, parent, found, index, settings, media_url)
            )
        )
    return sorted(pages), problems


def _name(term: Term, settings: Settings) -> str:
    return term_name(settings.term_name(ItemTerm(term.taxonomy, term.slug, term.name)))


def _parent(term: Term, index: SiteIndex, settings: Settings) -> str:
    """The parent term's name, for a hierarchical taxonomy's child term ("" for the others)."""
    parent = index.terms.get((term.taxonomy, term.parent)) if term.parent else None
    return _name(parent, settings) if parent is not None and parent is not term else ""


def _text(
    term: Term,
    name: str,
    parent: str,
    found: seo.Seo,
    index: SiteIndex,
    settings: Settings,
    media_url: Callable[[str], str] | None,
) -> str:
    """The page's text; `found`: what the SEO plugins kept for the term (its termmeta)."""
    body = convert_body(
        term.description,
        index,
        media_url=media_url,
        shortcodes=settings.shortcodes,
        target=settings.target,
        wordpress_com=is_wordpress_com(index.generator),
    ).markdown
    meta: dict[str, object] = {"title": name}
    if found.images:
        meta["images"] = [media_url(url) if media_url else url for url in found.images]
    description = found.description or summarize(plain_text(body))
    if description:
        meta["description"] = description
    if found.front_matter():
        meta["seo"] = found.front_matter()
    meta["term_id"] = term.id
    meta["term_slug"] = term.slug  # not `slug`: Hugo would serve the page at that URL instead
    if parent:
        meta["parent"] = parent
    return targets.render(settings.apply_keys(meta), body, settings)

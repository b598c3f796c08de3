"""WordPress menus → Hugo menus (`[menus]` in hugo.toml) or Jekyll data (`_data/menus.yml`).

A menu is a `nav_menu` term; its entries are `nav_menu_item` items whose postmeta say what they
point at (`_menu_item_type`: post_type, taxonomy or custom; `_menu_item_object_id`: the post or
term id; `_menu_item_url` for custom links), where they sit (`_menu_item_menu_item_parent`,
`menu_order`) and, in the item's own title, a label that overrides the target's.

Each entry becomes `{name, pageRef | url, weight, identifier, parent}`: posts and pages by the
`pageRef` of their content file (Hugo resolves it to the page's URL, and knows the current page),
terms by their term page's URL, custom links to the old site made root-relative (to the migrated
page when the path is one), other custom links kept as they are. `identifier` is
`menu-item-<id>`, `parent` the parent's identifier. An entry whose target is a draft, is missing
from the export or cannot be placed is left out and reported; its children move up to the
nearest ancestor kept.

Which menu is the theme's main one: WXR does not say which menu sat in the theme's primary
location (that is a theme_mod, not exported). The rule: a site with one menu → `main`; else the
first menu whose slug or name is, in this order, primary, main, header, top, navigation (as a
word: `primary-menu`, `Main Menu`); else the menu with most entries (ties: the first slug in
alphabetical order). The other menus keep their slug as their name (one slugged `main` that is
not the main menu becomes `main-wp`).

A Polylang site (plugins/polylang.py) has one set of menus per language: which language a menu
is in is a Polylang option WXR does not export, so it is the language of most of the pages it
links to (the default language when it links to none). Hugo gets each language's menus under
`[languages.<code>.menus]`, the main one chosen among that language's menus by the rule above;
a `pageRef` names the page without its language (`/posts/bonjour`, not `/posts/bonjour.fr`),
which Hugo resolves in the menu's language. Jekyll has no languages: its menus stay one list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..convert import decode_entities, title_text
from ..models import Item, ItemTerm, MenuItem, SiteIndex, Term
from ..settings import Settings, taxonomy_key

if TYPE_CHECKING:
    from ..targets import Layout

MAIN = "main"
PRIMARY_WORDS = ("primary", "main", "header", "top", "navigation")


def menu_item(item: Item) -> MenuItem:
    """The menu entry a `nav_menu_item` item holds."""
    menu = next((t for t in item.terms if t.taxonomy == "nav_menu"), None)
    return MenuItem(
        id=item.id,
        menu=unquote(menu.slug).strip() if menu else "",  # non-Latin slugs are exported percent-encoded
        menu_name=decode_entities(menu.name).strip() if menu else "",
        kind=item.meta("_menu_item_type").strip(),
        object=item.meta("_menu_item_object").strip(),
        object_id=_int(item.meta("_menu_item_object_id")),
        url=item.meta("_menu_item_url").strip(),
        parent=_int(item.meta("_menu_item_menu_item_parent")),
        order=item.menu_order,
        title=title_text(item.title),
        status=item.status,
    )


def _int(text: str) -> int:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else 0


@dataclass(frozen=True)
class LeftOut:
    """A menu entry not carried over, and why (reported as a warning)."""

    item_id: int
    menu: str
    reason: str


@dataclass
class Menus:
    """The site's menus by Hugo menu name, each a list of entries in (weight, id) order."""

    menus: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)
    # A Polylang site's menus, by language code then Hugo menu name (`menus` is then empty).
    languages: dict[str, dict[str, list[dict[str, object]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """What resolving menu entries needs to know of the migrated site."""

    index: SiteIndex
    paths: Mapping[int, str]  # post id → content file path (content/posts/x.md), published items only
    drafts: Container[int]  # post ids of items written as drafts
    layout: Layout
    settings: Settings
    # Polylang: post id → its file's language ("" for the default one), and the default's code.
    languages: Mapping[int, str] = field(default_factory=dict)
    default_language: str = ""


def build(items: list[MenuItem], site: Site) -> Menus:
    """Every menu of the export, resolved against the migrated site."""
    out = Menus()
    by_menu: dict[str, list[MenuItem]] = {}
    for item in items:
        if item.status != "publish":
            continue  # a draft entry (unsaved Customizer changes): not on the live menu
        if not item.menu:
            out.left_out.append(LeftOut(item.id, "", "belongs to no menu"))
            continue
        by_menu.setdefault(item.menu, []).append(item)
    for language, group in _by_language(by_menu, site).items():
        names = menu_names(group)
        for slug in sorted(group):
            entries, left_out = _menu(group[slug], site)
            out.left_out += [LeftOut(x.item_id, names[slug], x.reason) for x in left_out]
            if entries and language:
                out.languages.setdefault(language, {})[names[slug]] = entries
            elif entries:
                out.menus[names[slug]] = entries
    out.left_out.sort(key=lambda x: (x.menu, x.item_id))
    return out


def _by_language(by_menu: dict[str, list[MenuItem]], site: Site) -> dict[str, dict[str, list[MenuItem]]]:
    """The menus by language ("" for a site without languages, and for Jekyll)."""
    if not site.default_language or site.layout.name != "hugo":
        return {"": by_menu}
    out: dict[str, dict[str, list[MenuItem]]] = {}
    for slug in sorted(by_menu):
        out.setdefault(menu_language(by_menu[slug], site), {})[slug] = by_menu[slug]
    return dict(sorted(out.items()))


def menu_language(items: list[MenuItem], site: Site) -> str:
    """The language of most of the migrated pages a menu links to; the default one on a tie or
    when it links to none."""
    default = site.default_language
    found = Counter(
        site.languages.get(item.object_id) or default
        for item in items
        if item.kind == "post_type" and item.object_id in site.paths
    )
    return min(found, key=lambda code: (-found[code], code != default, code)) if found else default


def menu_names(by_menu: dict[str, list[MenuItem]]) -> dict[str, str]:
    """Menu slug → Hugo menu name: the main menu (see the module's docstring) is `main`."""
    if not by_menu:
        return {}
    slugs = sorted(by_menu)
    # Most entries; on a tie the first slug: max() keeps the first of equal keys, slugs are sorted.
    main = slugs[0] if len(slugs) == 1 else _by_word(by_menu) or max(slugs, key=lambda s: len(by_menu[s]))
    names = {}
    for slug in slugs:
        if slug == main:
            names[slug] = MAIN
        else:
            names[slug] = slug + "-wp" if slug == MAIN else slug
    return names


def _by_word(by_menu: dict[str, list[MenuItem]]) -> str:
    for word in PRIMARY_WORDS:
        pattern = re.compile(rf"(?:^|[^a-z0-9]){word}(?:[^a-z0-9]|$)")
        for slug in sorted(by_menu):
            name = by_menu[slug][0].menu_name.lower()
            if pattern.search(slug.lower()) or pattern.search(name):
                return slug
    return ""


def _menu(items: list[MenuItem], site: Site) -> tuple[list[dict[str, object]], list[LeftOut]]:
    resolved: dict[int, dict[str, object]] = {}
    left_out: list[LeftOut] = []
    for item in items:
        entry, reason = _entry(item, site)
        if entry is None:
            left_out.append(LeftOut(item.id, item.menu, reason))
        else:
            resolved[item.id] = entry
    parents = {item.id: item.parent for item in items}
    out = []
    for item in sorted(items, key=lambda i: (i.order, i.id)):
        entry = resolved.get(item.id)
        if entry is None:
            continue
        parent, hops = parents.get(item.id, 0), 0
        while parent and parent not in resolved and hops < 64:  # hops: guards against cycles
            parent, hops = parents.get(parent, 0), hops + 1
        if parent and parent in resolved and parent != item.id:
            entry["parent"] = f"menu-item-{parent}"
        out.append(entry)
    return out, left_out


def _entry(item: MenuItem, site: Site) -> tuple[dict[str, object] | None, str]:
    """A Hugo menu entry for `item`, or None and why it is left out."""
    index = site.index
    if item.kind == "post_type":
        target = index.targets.get(item.object_id)
        what = f"{item.object or 'post'} {item.object_id}"
        if item.object_id in site.drafts:
            return None, f"points at {what}, a draft"
        if target is None or item.object_id not in site.paths:
            return None, f"points at {what}, not in the export (or not migrated)"
        name = item.title or title_text(target.title)
        path, language = site.paths[item.object_id], site.languages.get(item.object_id, "")
        ref = _page_ref(path, language) if site.layout.name == "hugo" else ""
        link = {"pageRef": ref} if ref else {"url": target.url}
        return _made(item, name or target.url, link), ""
    if item.kind == "taxonomy":
        term = next(
            (t for t in index.terms.values() if t.id == item.object_id and t.taxonomy == item.object), None
        )
        what = f"{item.object or 'term'} {item.object_id}"
        if term is None:
            return None, f"points at {what}, not in the export"
        key = taxonomy_key(term.taxonomy)
        name = site.settings.term_name(_as_item_term(term))
        if not name:
            return None, f"points at {what}, dropped by the config's [taxonomies]"
        if index.archive_urls and (term.taxonomy, term.slug) not in index.archive_urls:
            return None, f"points at {what} ({term.slug}), which no published item uses: it has no page"
        label = item.title or decode_entities(name).strip()
        return _made(item, label, {"url": site.layout.term_url(key, decode_entities(name).strip())}), ""
    if item.kind == "custom":
        if not item.url:
            return None, "a custom link without a URL"
        return _made(item, item.title or item.url, {"url": _custom_url(item.url, site)}), ""
    return None, f"points at a {item.kind or 'missing'} type ({item.object}) the new site has no page for"


def _as_item_term(term: Term) -> ItemTerm:
    return ItemTerm(term.taxonomy, term.slug, term.name)


def _made(item: MenuItem, name: str, link: dict[str, str]) -> dict[str, object]:
    return {"name": name, **link, "weight": item.order, "identifier": f"menu-item-{item.id}"}


def _page_ref(path: str, language: str = "") -> str:
    """The pageRef of a content file: `content/posts/a.md` → `/posts/a`, a bundle's folder; a
    file in another language, `content/posts/a.fr.md`, is `/posts/a` too (in its language's menu)."""
    rel = path.removeprefix("content/").removesuffix(f".{language}.md" if language else ".md")
    rel = rel.removesuffix("/index")
    return "/" + rel if path.startswith("content/") else ""


def _custom_url(url: str, site: Site) -> str:
    """A custom link: to the old site → root-relative (the migrated page's URL when it is one)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in site.index.site_hosts:
        return url
    path = parts.path or "/"
    target = site.index.targets_by_path.get(path) or site.index.targets_by_path.get(path.rstrip("/") + "/")
    if target is not None and target.id in site.paths:
        path = target.url
    return (
        path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    )

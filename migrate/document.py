"""One item → the text of its Markdown file. Pure: same item and index, same bytes.

Front matter keeps WordPress's identity for the item (id, guid, Disqus thread, old permalink) so
comments, analytics and links survive the move. Keys come in one fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from . import targets
from .convert import convert_body, decode_entities, plain_text, summarize, title_text
from .convert.sourcemarkup import HTML, is_wordpress_com
from .models import Item, ItemTerm, SiteIndex
from .plan import Entry, parse_wp_date, utc_offset
from .plugins import fields, polylang, seo, woocommerce
from .settings import WRITTEN_KEYS, Settings, taxonomy_key
from .write import Timestamp

MediaURL = Callable[[str], str]

# Taxonomies that are WordPress plumbing rather than ways readers browse a site.
_INTERNAL_TAXONOMIES = frozenset(
    {"post_format", "nav_menu", "link_category", "wp_theme", "wp_template_part_area"}
    | woocommerce.INTERNAL_TAXONOMIES  # in the `product` map
    | polylang.GROUP_TAXONOMIES  # in `translationKey`
)
# A custom taxonomy named like a key the tool writes is not written (it would replace that key).
_RESERVED_KEYS = WRITTEN_KEYS - {"categories", "tags"} | {"type", "slug"}


@dataclass(frozen=True)
class Rendered:
    path: str
    text: str
    unknown_shortcodes: tuple[str, ...]
    raw_html: tuple[str, ...]
    warnings: tuple[str, ...]
    markup: str = HTML  # the source markup the body was converted from (sourcemarkup.py)
    keeps_html: bool = False  # the body holds raw HTML: the site needs goldmark's `unsafe`
    not_migrated: tuple[str, ...] = ()  # links to pages of the old site the export does not hold


def render_item(
    item: Item,
    entry: Entry,
    index: SiteIndex,
    media_url: MediaURL | None = None,
    settings: Settings | None = None,
) -> Rendered:
    """`media_url` maps an uploads URL to its link on the new site (None: links stay absolute)."""
    settings = settings or Settings()
    if settings.terms:
        item = replace(item, terms=settings.map_terms(item.terms))
    body = convert_body(
        item.content,
        index,
        post_id=item.id,
        media_url=media_url,
        shortcodes=settings.shortcodes,
        target=settings.target,
        source_markup=settings.source_markup,
        wordpress_com=is_wordpress_com(index.generator),
    )
    meta, warnings = _front_matter(item, entry, index, body.markdown, media_url, settings)
    meta = targets.front_matter(meta, entry, settings)
    return Rendered(
        path=entry.path,
        text=targets.render(meta, body.markdown, settings),
        unknown_shortcodes=body.unknown_shortcodes,
        raw_html=body.raw_html,
        warnings=(*body.warnings, *warnings),
        markup=body.markup,
        keeps_html=body.keeps_html,
        not_migrated=body.not_migrated,
    )


def _front_matter(
    item: Item,
    entry: Entry,
    index: SiteIndex,
    body_markdown: str,
    media_url: MediaURL | None,
    settings: Settings,
) -> tuple[dict[str, object], tuple[str, ...]]:
    """The front matter with the plugins' data (SEO, the chosen custom fields), and warnings."""
    found = seo.post_seo(item, index, lambda: _description(item, body_markdown))
    meta = front_matter(item, entry, index, body_markdown, media_url, found, settings.currency)
    warnings = list(found.warnings)
    for key, value in fields.custom_fields(item, index, settings.custom_fields, media_url).items():
        if key in meta:  # a custom taxonomy of that name
            warnings.append(f"custom field {key}: not written, the front matter already has {key}")
        else:
            meta[key] = value
    return meta, tuple(warnings)


def front_matter(
    item: Item,
    entry: Entry,
    index: SiteIndex,
    body_markdown: str,
    media_url: MediaURL | None = None,
    found: seo.Seo | None = None,
    currency: str = "",
) -> dict[str, object]:
    """The item's front matter, keys in a fixed order. `found`: its SEO plugins' data;
    `currency`: the shop's, for WooCommerce products (WXR does not export it)."""
    found = found or seo.Seo()
    meta: dict[str, object] = {"title": title_text(item.title)}
    date = format_date(item.post_date, item.post_date_gmt, index.utc_offset_minutes)
    if date:
        meta["date"] = date
    lastmod = format_date(item.post_modified, item.post_modified_gmt, index.utc_offset_minutes)
    if lastmod and lastmod != date:
        meta["lastmod"] = lastmod
    if entry.draft:
        meta["draft"] = True
    author = index.authors.get(item.creator)
    if author or item.creator:
        meta["author"] = decode_entities(author.display_name if author else item.creator)
    for key, names in terms_by_key(item.terms, polylang.LANGUAGE if index.languages else "").items():
        meta[key] = names
    meta["id"] = item.id
    if item.guid:
        meta["guid"] = item.guid
    if entry.url:
        meta["url"] = entry.url
    if entry.aliases:
        meta["aliases"] = list(entry.aliases)
    translation_key = polylang.translation_key(item) if index.languages else ""
    if translation_key:
        meta["translationKey"] = translation_key
    image = _featured_image(item, index)
    if image:
        meta["image"] = media_url(image) if media_url else image
    if found.images:  # Hugo's own `images` (its OpenGraph and Twitter card templates read them)
        meta["images"] = [media_url(url) if media_url else url for url in found.images]
    description = found.description or _description(item, body_markdown)
    if description:
        meta["description"] = description
    if found.front_matter():
        meta["seo"] = found.front_matter()
    if item.post_type == "post":
        meta["section"] = "post"
    if item.post_type == "page" and item.menu_order:
        meta["weight"] = item.menu_order
    if item.sticky:
        meta["sticky"] = True
    threads = list(dict.fromkeys(v.strip() for v in item.meta_all("dsq_thread_id") if v.strip()))
    if threads:
        meta["dsq_thread_id"] = threads
        # The identifier and URL the WordPress Disqus plugin registered the thread under.
        meta["disqus_identifier"] = f"{item.id} {item.guid}"
        if item.link:
            meta["disqus_url"] = item.link
    product = woocommerce.front_matter(item, index.variations.get(item.id, ()), index, media_url, currency)
    if product:
        meta.pop("product", None)  # a taxonomy of that name: a product's map wins, in its place
        meta["product"] = product
    return meta


def format_date(local: str, gmt: str, offset_minutes: int | None) -> Timestamp | None:
    """RFC 3339 in the item's own UTC offset: `2008-05-21T01:13:00+03:00`, `Z` when it is UTC.

    The local column is the time WordPress showed, and its permalinks and archives used; the offset
    is what it saved with it (local − GMT), so the instant is the GMT column's and a theme shows the
    day WordPress showed (in UTC, late-evening posts of a European blog fall on the previous day).
    Each item has its own offset: summer and winter time differ, and sites change time zone.

    Unpublished drafts carry `0000-00-00 00:00:00` as their GMT date; their local date is then all
    there is, and the offset is the site's usual one (`offset_minutes`, worked out from its
    published items), or none at all when no item has one. A GMT date with no local date, or with
    one no time zone explains, is written in UTC.
    """
    when = parse_wp_date(local)
    offset = utc_offset(local, gmt)
    if when is None or offset is None:
        utc = parse_wp_date(gmt)
        if utc is not None:
            return _rfc3339(utc, timedelta(0))
        if when is None:
            return None
        if offset_minutes is None:
            return Timestamp(when.isoformat(timespec="seconds"))
        offset = timedelta(minutes=offset_minutes)
    return _rfc3339(when, offset)


def _rfc3339(when: datetime, offset: timedelta) -> Timestamp:
    text = when.replace(tzinfo=timezone(offset)).isoformat(timespec="seconds")
    return Timestamp(text.removesuffix("+00:00") + "Z" if not offset else text)


def terms_key(taxonomy: str) -> str:
    """The front matter key (Hugo's taxonomy) a WordPress taxonomy's terms go under; "" for the
    taxonomies that are WordPress plumbing and those whose name is another front matter key."""
    if taxonomy in _INTERNAL_TAXONOMIES:
        return ""
    key = taxonomy_key(taxonomy)
    return "" if key in _RESERVED_KEYS else key


def term_name(name: str) -> str:
    """A term's name as front matter and term pages write it."""
    return decode_entities(name).strip()


def terms_by_key(terms: Iterable[ItemTerm], internal: str = "") -> dict[str, list[str]]:
    """Term names by front matter key (categories, tags, then custom taxonomies by name);
    `internal`: one more taxonomy to leave out (Polylang's `language`, on a site that has it)."""
    out: dict[str, list[str]] = {}
    for term in terms:
        key = terms_key(term.taxonomy)
        if not key or term.taxonomy == internal:
            continue
        name = term_name(term.name)
        if name and name not in out.setdefault(key, []):
            out[key].append(name)
    ordered = {k: out[k] for k in ("categories", "tags") if out.get(k)}
    ordered.update({k: v for k, v in sorted(out.items()) if k not in ordered and v})
    return ordered


def _featured_image(item: Item, index: SiteIndex) -> str:
    thumb = item.meta("_thumbnail_id").strip()
    if not thumb.isdigit():
        return ""
    attachment = index.attachments.get(int(thumb))
    return attachment.url if attachment else ""


def _description(item: Item, body_markdown: str) -> str:
    if item.excerpt.strip():
        return summarize(plain_text(decode_entities(item.excerpt)))
    if item.password:
        return ""  # the text is behind a password: a description would publish it
    return summarize(plain_text(body_markdown))

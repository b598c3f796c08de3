"""First pass: read every export once, decide what each item becomes, and index the site.

Nothing is converted or written here. The pass reads every file to the end, so broken XML is
found before the first file is written; it keeps only small records (ids, slugs, links,
attachments), so memory does not grow with the size of post bodies.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any, TypeVar
from urllib.parse import urlsplit

from . import mojibake
from .convert import title_text
from .media import ItemRefs, attachment_metadata, item_refs
from .models import (
    AcfField,
    Attachment,
    Author,
    Channel,
    Item,
    ItemTerm,
    LinkTarget,
    MenuItem,
    Repair,
    Salvage,
    SiteIndex,
    Term,
)
from .paths import collision_key, item_slug, permalink_path, with_suffix
from .plugins import acf, fields, polylang, seo, woocommerce
from .report import Warning
from .site.menus import menu_item
from .sitestore import Store, Table, load
from .spool import Spool
from .wxr import ReadOptions, iter_records

# Post types that are WordPress internals or belong to plugins' machinery, never content.
SKIP_TYPES = frozenset(
    {
        "attachment",
        "nav_menu_item",
        "revision",
        "oembed_cache",
        "custom_css",
        "user_request",
        "scheduled-action",
        "wpcf7_contact_form",
        "jp_pay_order",
        "jp_pay_product",
        "feedback",
    }
)
SKIP_PREFIXES = ("wp_", "customize_", "acf-", "shop_", "elementor_")
SKIP_STATUSES = frozenset({"trash", "auto-draft", "inherit"})
# `future` (scheduled) is not among them: the item keeps its future date and no `draft: true`, so
# the site publishes it when the date comes (Hugo and Jekyll leave future-dated pages out until a
# build after that date), as WordPress would have.
DRAFT_STATUSES = frozenset({"draft", "pending", "private"})
SCHEDULED = "future"
NO_DATE = "0000-00-00 00:00:00"
_MAX_UTC_OFFSET = timedelta(hours=14)  # the farthest any time zone is from UTC (Kiribati, +14:00)


@dataclass(frozen=True, slots=True)
class Entry:
    """What one item becomes: a file at `path` (relative to the site folder)."""

    ordinal: int  # position among all items of all exports: the key shared by both passes
    item_id: int
    post_type: str
    path: str  # e.g. "content/posts/en-la-openstack-conference-en-boston.md"
    url: str  # the old permalink's path, kept as the page's URL; "" when there was none
    aliases: tuple[str, ...]
    draft: bool
    day: str = ""  # the local publication date, YYYY-MM-DD ("" if unknown): Jekyll's file names
    language: str = ""  # Polylang: the file's language when it is not the site's default (`slug.fa.md`)


class ItemIds(Container[int]):
    """Item ids, read in ascending order, as a sorted array: 8 bytes each where a set takes ~60
    (asked once per manifest record at the end of a run: `in` by bisection)."""

    def __init__(self, ascending: Iterable[int]) -> None:
        self._ids = array("q", ascending)

    def __contains__(self, item_id: object) -> bool:
        if not isinstance(item_id, int):
            return False
        at = bisect_left(self._ids, item_id)
        return at < len(self._ids) and self._ids[at] == item_id

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class Plan:
    """What pass 1 found. Its per-item tables (`entries`, `digests`…, and the index's link targets
    and attachments) are tables of the run's scratch SQLite file (sitestore.Table), not dicts:
    read them as mappings, a row at a time; `entry_of` finds an entry by item id."""

    index: SiteIndex
    entries: MutableMapping[int, Entry]  # by ordinal
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[Warning] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    media_refs: MutableMapping[int, ItemRefs] = field(default_factory=dict)  # by post id, with media only
    digests: MutableMapping[int, str] = field(default_factory=dict)  # by ordinal: hash of the item as read
    drafts: MutableMapping[int, tuple[str, str, bool]] = field(default_factory=dict)  # → status, title, pw
    scheduled: MutableMapping[int, str] = field(default_factory=dict)  # ordinal → title: published when due
    repairs: list[Repair] = field(default_factory=list)
    salvaged: list[Salvage] = field(default_factory=list)
    menu_items: list[MenuItem] = field(default_factory=list)  # nav_menu_item, in export order
    terms_used: set[ItemTerm] = field(default_factory=set)  # the terms of the items that become files
    languages: list[polylang.Language] = field(default_factory=list)  # Polylang's, default first

    def entry_of(self, item_id: int) -> Entry | None:
        """The entry of the item with this id (its file), None when it has none."""
        entries = self.entries
        if isinstance(entries, Table):
            found = entries.find("item_id", item_id)
            return found[0] if found else None
        return next((e for e in entries.values() if e.item_id == item_id), None)

    def by_item_id(
        self, value: Callable[[Entry], T], where: Callable[[Entry], bool] | None = None
    ) -> ByItemId[T]:
        """item id → `value(entry)`, for the entries `where` accepts: a view of the entries table
        (a lookup reads one row), for stages that look items up by id."""
        return ByItemId(self, value, where)

    def item_ids(self) -> ItemIds:
        """The ids of the items that become files."""
        entries = self.entries
        if isinstance(entries, Table):
            return ItemIds(i for (i,) in entries.query("SELECT item_id FROM {t} ORDER BY item_id"))
        return ItemIds(sorted(e.item_id for e in entries.values()))

    def has_type(self, post_type: str) -> bool:
        """Does some item of this post type become a file?"""
        entries = self.entries
        if isinstance(entries, Table):
            return (
                entries.query("SELECT 1 FROM {t} WHERE post_type = ? LIMIT 1", (post_type,)).fetchone()
                is not None
            )
        return any(e.post_type == post_type for e in entries.values())

    def rows(self) -> Iterator[tuple[Entry, str, tuple[str, str, bool] | None, str | None]]:
        """Every entry in ordinal order with its digest, its draft facts and its scheduled title
        (None when it is not one): one query over the tables joined, not three lookups an item."""
        entries = self.entries
        if not isinstance(entries, Table):
            for ordinal, entry in entries.items():
                yield entry, self.digests[ordinal], self.drafts.get(ordinal), self.scheduled.get(ordinal)
            return
        sql = (
            "SELECT e.rowid, e.value, d.value, r.value, s.value"
            " FROM entries e JOIN digests d ON d.key = e.key"
            " LEFT JOIN drafts r ON r.key = e.key LEFT JOIN scheduled s ON s.key = e.key"
            " WHERE e.rowid > ? ORDER BY e.rowid LIMIT ?"
        )
        for _, entry, digest, draft, scheduled in entries.store.chunks(sql):
            yield (
                load(entry),
                load(digest),
                None if draft is None else load(draft),
                None if scheduled is None else load(scheduled),
            )


T = TypeVar("T")
K = TypeVar("K")


class ByItemId(Mapping[int, T]):
    """See Plan.by_item_id."""

    def __init__(
        self, plan: Plan, value: Callable[[Entry], T], where: Callable[[Entry], bool] | None
    ) -> None:
        self._plan, self._value, self._where = plan, value, where

    def __getitem__(self, item_id: int) -> T:
        entry = self._plan.entry_of(item_id)
        if entry is None or (self._where is not None and not self._where(entry)):
            raise KeyError(item_id)
        return self._value(entry)

    def __iter__(self) -> Iterator[int]:
        for entry in self._plan.entries.values():
            if self._where is None or self._where(entry):
                yield entry.item_id

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Projection(Mapping[K, T]):
    """`{key: value(row) for key, row in table.items()}`, computed at each lookup instead."""

    def __init__(self, table: Mapping[K, Any], value: Callable[[Any], T]) -> None:
        self._table, self._value = table, value

    def __getitem__(self, key: K) -> T:
        return self._value(self._table[key])

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def __iter__(self) -> Iterator[K]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


@dataclass
class _Found:
    """Per-item facts pass 1 keeps for later stages (small: no bodies), in the store's tables."""

    media_refs: MutableMapping[int, ItemRefs]
    digests: MutableMapping[int, str]
    drafts: MutableMapping[int, tuple[str, str, bool]]
    scheduled: MutableMapping[int, str]
    spool: Spool | None = None  # where the items that become files are kept for pass 2
    acf_fields: dict[str, AcfField] = field(default_factory=dict)  # ACF's definitions, by key
    # Items with chosen custom fields: their ACF media are known once every definition is read.
    field_items: dict[int, Item] = field(default_factory=dict)
    custom_fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    menu_items: list[MenuItem] = field(default_factory=list)
    terms_used: set[ItemTerm] = field(default_factory=set)
    variations: dict[int, list[Item]] = field(default_factory=dict)  # WooCommerce: by product id
    # Polylang, as the items show it (an export of posts only declares no terms in its channel):
    languages: dict[str, str] = field(default_factory=dict)  # code → name
    translated: bool = False  # some item has a `post_translations` group


@dataclass(frozen=True, slots=True)
class _Seen:
    ordinal: int
    id: int
    post_type: str
    slug: str
    title: str
    link: str
    parent: int
    draft: bool
    old_slugs: tuple[str, ...]
    has_media: bool
    day: str
    language: str = ""  # Polylang's language code ("" when the item has none)


def is_draft(item: Item) -> bool:
    return item.status in DRAFT_STATUSES or bool(item.password)


def skip_reason(item: Item) -> str:
    """Why an item is not written ("" when it is): its type, or type and status."""
    t = item.post_type
    if t == woocommerce.VARIATION and item.status not in SKIP_STATUSES:
        return woocommerce.FOLDED
    if t in SKIP_TYPES or t.startswith(SKIP_PREFIXES):
        return t
    if item.status in SKIP_STATUSES:
        return f"{t} ({item.status})"
    return ""


def iter_items(
    exports: Sequence[os.PathLike[str] | str],
    options: ReadOptions | None = None,
    fix_mojibake: bool = False,
    *,
    comments: bool = True,
) -> Iterator[Item]:
    """Every item of every export, in order: the order `Entry.ordinal` counts in.
    `comments=False`: items without their comments (cheaper to read and to send to workers)."""
    for path in exports:
        for record in iter_records(path, options, comments=comments):
            if isinstance(record, Item):
                yield mojibake.fix_item(record) if fix_mojibake else record


def scan(
    exports: Sequence[os.PathLike[str] | str],
    options: ReadOptions | None = None,
    fix_mojibake: bool = False,
    bundles: bool = False,
    media: bool = True,
    spool: Spool | None = None,
    held: Mapping[str, Mapping[int, str]] | None = None,
    custom_fields: Mapping[str, Mapping[str, str]] | None = None,
    store: Store | None = None,
) -> Plan:
    """Read every export to its end and plan the site. `fix_mojibake`: repair double-encoded
    UTF-8 in titles, terms and text (without it, titles and terms that have it are warned about).
    `bundles`: posts and pages that use media become `<slug>/index.md` page bundles.
    `media=False` (no media step will run): bodies are not scanned for media and attachments'
    metadata is not read, which only the media step uses. `spool`: every item that becomes a file
    is kept there (by ordinal), so that pass 2 need not parse the exports again. `held`: by site
    (its first base URL), the paths the last run gave each item id (the manifest's): an item that
    had the clean name of a path two items want keeps it (see `_resolve_collisions`).
    `custom_fields` (Settings.custom_fields): the chosen ACF image, file and gallery fields' files
    are media too. `store`: the scratch SQLite file the per-item tables go to as they are read
    (default: one in memory, for callers that send no index to other processes)."""
    store = store if store is not None else Store()
    authors: dict[str, Author] = {}
    terms: dict[tuple[str, str], Term] = {}
    attachments = store.table("attachments", parent=attrgetter("parent"), page=_page)
    channels: list[Channel] = []
    seen = store.table("seen")  # by ordinal: what placing the items needs (_place)
    ids: set[int] = set()
    skipped: Counter[str] = Counter()
    warnings: list[Warning] = []
    offsets: Counter[int] = Counter()
    found = _Found(
        store.table("media_refs"),
        store.table("digests"),
        store.table("drafts"),
        store.table("scheduled"),
        spool=spool,
        custom_fields=custom_fields or {},
    )
    repairs: list[Repair] = []
    salvaged: list[Salvage] = []
    ordinal = 0
    for path in exports:
        for record in iter_records(path, options, comments=False):  # planning needs no comments
            if isinstance(record, Item):
                record = _mojibake(record, fix_mojibake, repairs, warnings)
                _take_item(record, ordinal, seen, ids, attachments, skipped, warnings, offsets, found, media)
                ordinal += 1
            elif isinstance(record, Author):
                authors.setdefault(record.login, record)
            elif isinstance(record, Term):
                name = mojibake.fix(record.name) if fix_mojibake else record.name
                terms.setdefault((record.taxonomy, record.slug), dataclasses.replace(record, name=name))
            elif isinstance(record, Channel):
                channels.append(record)
            elif isinstance(record, Repair):
                repairs.append(record)
            elif isinstance(record, Salvage):
                salvaged.append(record)

    _fold_variations(seen, found, skipped, warnings, media)
    if not (found.translated or polylang.is_polylang(terms)):  # a `language` taxonomy of the site's own
        for s in seen.values():
            if s.language:
                seen[s.ordinal] = replace(s, language="")
    known = {("language", code): Term("language", code, name) for code, name in found.languages.items()}
    languages = _languages(seen, {**known, **terms}, channels)
    default_language = next((lang.code for lang in languages if lang.default), "")
    base_urls = _base_urls(channels)
    last_paths = (held or {}).get(base_urls[0] if base_urls else "", {})
    entries = store.table("entries", item_id=attrgetter("item_id"), post_type=attrgetter("post_type"))
    targets, by_path = store.table("targets", url=attrgetter("url")), store.table("targets_by_path")
    _place(seen, warnings, store, entries, targets, by_path, bundles, default_language, last_paths)
    index = SiteIndex(
        site_hosts=_site_hosts(base_urls),
        base_urls=base_urls,
        authors=authors,
        terms=terms,
        attachments=attachments,
        targets=targets,
        targets_by_path=by_path,
        attachment_pages=_attachment_pages(store, store.table("attachment_pages")),
        utc_offset_minutes=_usual_offset(offsets),
        generator=next((ch.generator.strip() for ch in channels if ch.generator.strip()), ""),
        variations={parent: tuple(found.variations[parent]) for parent in sorted(found.variations)},
        languages=tuple(lang.code for lang in languages),
        site_title=next((ch.title.strip() for ch in channels if ch.title.strip()), ""),
        site_tagline=next((ch.description.strip() for ch in channels if ch.description.strip()), ""),
        acf_fields=found.acf_fields,
    )
    if media:
        _field_media(found, index)
    return Plan(
        index,
        entries,
        skipped,
        warnings,
        channels,
        found.media_refs,
        found.digests,
        found.drafts,
        found.scheduled,
        repairs,
        salvaged,
        found.menu_items,
        found.terms_used,
        languages,
    )


def _fold_variations(
    seen: MutableMapping[int, _Seen],
    found: _Found,
    skipped: Counter[str],
    warnings: list[Warning],
    media: bool,
) -> None:
    """WooCommerce variations into their products: a product's file shows them, so its digest
    covers them (a re-run converts it again when one changes) and their images are its media.
    A variation whose product is not written is reported, counted apart, and dropped."""
    products = {s.id: s.ordinal for s in seen.values() if s.post_type == woocommerce.PRODUCT}
    for orphan in woocommerce.orphans(found.variations, products):
        skipped[woocommerce.FOLDED] -= 1
        skipped[f"{woocommerce.VARIATION} (no product)"] += 1
        if not skipped[woocommerce.FOLDED]:
            del skipped[woocommerce.FOLDED]
        title = title_text(orphan.title)
        message = (
            f"variation {orphan.id} ({title}): its product {orphan.parent} is not among the items written"
        )
        warnings.append(Warning(orphan.id, "orphan-variation", message))
    for parent in [p for p in found.variations if p not in products]:
        del found.variations[parent]
    for parent, variations in found.variations.items():
        variations.sort(key=lambda v: (v.menu_order, v.id))
        s = seen[products[parent]]
        digest = hashlib.sha256(found.digests[s.ordinal].encode())
        for variation in variations:
            digest.update(repr(replace(variation, source="", line=0)).encode())
        found.digests[s.ordinal] = digest.hexdigest()
        images = tuple(i for i in map(woocommerce.variation_image, variations) if i)
        if images and media:
            _add_media_ids(found, parent, images)
            seen[products[parent]] = replace(s, has_media=True)


def _languages(
    seen: Mapping[int, _Seen], terms: dict[tuple[str, str], Term], channels: list[Channel]
) -> list[polylang.Language]:
    """Polylang's languages with their item counts; [] for a one-language site."""
    counts, prefixed = polylang.count((s.language, permalink_path(s.link)) for s in seen.values())
    if not counts:
        return []
    channel_language = next((ch.language for ch in channels if ch.language.strip()), "")
    return polylang.languages(terms, counts, prefixed, channel_language)


def _mojibake(item: Item, fix: bool, repairs: list[Repair], warnings: list[Warning]) -> Item:
    """Report double-encoded UTF-8 in a content item's title and terms; fix it when asked."""
    if skip_reason(item):
        return mojibake.fix_item(item) if fix else item
    for what, text, fixed in mojibake.findings(item):
        if fix:
            message = f"item {item.id}: {what} {text!r} read as {fixed!r} (double-encoded UTF-8)"
            repairs.append(Repair(item.source, item.line, "mojibake", message))
        else:
            message = f"{what} {text!r} looks double-encoded: is it {fixed!r}? (--fix-mojibake)"
            warnings.append(Warning(item.id, "mojibake", message))
    return mojibake.fix_item(item) if fix else item


def _take_item(
    item: Item,
    ordinal: int,
    seen: MutableMapping[int, _Seen],
    ids: set[int],
    attachments: Table,
    skipped: Counter[str],
    warnings: list[Warning],
    offsets: Counter[int],
    found: _Found,
    media: bool = True,
) -> None:
    if item.post_type == "attachment":
        attachments.add(item.id, _attachment(item, media))
    elif item.post_type == "nav_menu_item":  # not content: kept for the site's menus (site/menus.py)
        found.menu_items.append(menu_item(item))
    definition = acf.definition(item)
    if definition is not None:
        found.acf_fields.setdefault(definition.key, definition)
    reason = skip_reason(item)
    if reason == woocommerce.FOLDED:
        found.variations.setdefault(item.parent, []).append(woocommerce.kept_variation(item))
    if reason:
        skipped[reason] += 1
        return
    if item.id in ids:
        skipped["duplicate id"] += 1
        warnings.append(Warning(item.id, "duplicate-id", f"item {item.id} appears twice; the first was kept"))
        return
    ids.add(item.id)
    found.terms_used.update(item.terms)
    if media:
        seo_urls, seo_ids = seo.image_refs(item.postmeta)
        more_ids = (*seo_ids, *woocommerce.image_ids(item))
        refs = item_refs(item.content, item.meta("_thumbnail_id"), seo_urls, more_ids)
    else:
        refs = None
    if media and fields.chosen(found.custom_fields, item.post_type):
        found.field_items[item.id] = replace(item, content="", comments=())
    if refs:
        found.media_refs[item.id] = refs
    # Where the item sits in the file (source, line) changes when others are added: not its content.
    found.digests[ordinal] = hashlib.sha256(repr(replace(item, source="", line=0)).encode()).hexdigest()
    if is_draft(item):
        found.drafts[ordinal] = (item.status, title_text(item.title), bool(item.password))
    elif item.status == SCHEDULED:
        found.scheduled[ordinal] = title_text(item.title)
    if item.status == "publish":
        offset = _offset_minutes(item.post_date, item.post_date_gmt)
        if offset is not None:
            offsets[offset] += 1
    seen[ordinal] = _Seen(
        ordinal=ordinal,
        id=item.id,
        post_type=item.post_type,
        slug=item.slug,
        title=item.title,
        link=item.link,
        parent=item.parent,
        draft=is_draft(item),
        old_slugs=tuple(s for s in item.meta_all("_wp_old_slug") if s.strip()),
        has_media=bool(refs),
        day=_day(item),
        language=polylang.item_language(item),
    )
    for term in item.terms:
        if term.taxonomy == polylang.LANGUAGE and term.slug:
            found.languages.setdefault(term.slug, term.name)
        found.translated = found.translated or term.taxonomy == polylang.POST_TRANSLATIONS
    if found.spool is not None:
        found.spool.add(ordinal, item)


def _field_media(found: _Found, index: SiteIndex) -> None:
    """Add the files of the chosen ACF image, file and gallery fields to their items' media."""
    for item_id, item in found.field_items.items():
        ids = fields.media_ids(item, index, found.custom_fields)
        if ids:
            _add_media_ids(found, item_id, ids)


def _add_media_ids(found: _Found, item_id: int, ids: Sequence[int]) -> None:
    """More attachments an item shows (besides its body's), after those pass 1 found, once each."""
    refs = found.media_refs.get(item_id, ItemRefs())
    merged = tuple(dict.fromkeys((*refs.attachment_ids, *ids)))
    found.media_refs[item_id] = replace(refs, attachment_ids=merged)


def _attachment_pages(store: Store, found: Table) -> Table:
    """Attachment pages' old permalink paths → attachment id (the lowest, if two share one),
    written into `found`: one query of the attachments' indexed `page` column."""
    query = "SELECT page, min(key) FROM attachments WHERE page != '' GROUP BY page ORDER BY min(key)"
    for page, attachment_id in store.execute(query):
        found[page] = attachment_id
    return found


def _page(attachment: Attachment) -> str:
    return permalink_path(attachment.link)


def published(entry: Entry) -> bool:
    """Is the entry's item published (not a draft)?"""
    return not entry.draft


def _attachment(item: Item, media: bool = True) -> Attachment:
    return Attachment(
        id=item.id,
        url=item.attachment_url or item.guid,
        title=item.title,
        caption=item.excerpt,
        alt=item.meta("_wp_attachment_image_alt"),
        attached_file=item.meta("_wp_attached_file"),
        **(attachment_metadata(item.meta("_wp_attachment_metadata")) if media else {}),
        parent=item.parent,
        link=item.link,
    )


def _day(item: Item) -> str:
    when = parse_wp_date(item.post_date) or parse_wp_date(item.post_date_gmt)
    return when.strftime("%Y-%m-%d") if when else ""


# WordPress writes every date in this form: `fromisoformat` reads it ~40× faster than `strptime`,
# which stays for anything else it accepts (unpadded numbers: "2011-1-3 9:05:00").
_WP_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def parse_wp_date(text: str) -> datetime | None:
    if not text or text.startswith("0000"):
        return None
    try:
        if _WP_DATE.fullmatch(text):
            return datetime.fromisoformat(text)
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def utc_offset(local: str, gmt: str) -> timedelta | None:
    """The UTC offset WordPress saved a date with: its local column minus its GMT column.

    None when either is missing (drafts have no GMT date) or the difference is no time zone's
    (beyond ±14 h, or not whole minutes: a date edited in the database by hand)."""
    a, b = parse_wp_date(local), parse_wp_date(gmt)
    if a is None or b is None:
        return None
    offset = a - b
    if abs(offset) > _MAX_UTC_OFFSET or offset % timedelta(minutes=1):
        return None
    return offset


def _offset_minutes(local: str, gmt: str) -> int | None:
    offset = utc_offset(local, gmt)
    return None if offset is None else offset // timedelta(minutes=1)


def _usual_offset(offsets: Counter[int]) -> int | None:
    if not offsets:
        return None
    # Most frequent; ties broken towards the smaller offset so the answer never depends on order.
    return min(offsets, key=lambda m: (-offsets[m], abs(m), m))


def _base_urls(channels: list[Channel]) -> tuple[str, ...]:
    urls: list[str] = []
    for ch in channels:
        for url in (ch.base_blog_url, ch.link, ch.base_site_url):
            url = url.strip().rstrip("/")
            if url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
    return tuple(urls)


def _site_hosts(base_urls: tuple[str, ...]) -> frozenset[str]:
    hosts: set[str] = set()
    for url in base_urls:
        host = (urlsplit(url).hostname or "").lower()
        if host:
            hosts.add(host)
            hosts.add(host[4:] if host.startswith("www.") else "www." + host)
    return frozenset(hosts)


def _place(
    seen: Mapping[int, _Seen],
    warnings: list[Warning],
    store: Store,
    entries: MutableMapping[int, Entry],
    targets: MutableMapping[int, LinkTarget],
    by_path: Table,
    bundles: bool = False,
    default_language: str = "",
    held: Mapping[int, str] | None = None,
) -> None:
    """Give every item a unique file path and its URL on the new site, into `entries` (by
    ordinal) and `targets` (by id); `by_path`: old permalink paths → targets, current URLs
    first, then old slugs (links to a post's old URL in other posts go straight to its new
    one). Items in another language than `default_language`
    (Polylang) get it in their file name: `slug.fa.md`. `held`: the paths of the last run.

    Per item, only tables of `store` (the wanted paths, the folders they make, the permalinks
    taken): in memory, the pages (for their parents' slugs) and the items that collide."""
    pages = {s.id: s for s in seen.values() if s.post_type == "page"}
    page_slugs = {i: item_slug(s.slug, s.title, s.id) for i, s in pages.items()}
    # ordinal → (path wanted, without the language; the file's language; the slug)
    wanted = store.table("wanted_paths", ckey=_wanted_key)
    for s in seen.values():
        slug = item_slug(s.slug, s.title, s.id)
        language = s.language if s.language != default_language else ""
        wanted[s.ordinal] = (_content_path(s, slug, pages, page_slugs), language, slug)
    moved = _resolve_collisions(seen, wanted, warnings, held or {})
    folders = _folders(store, wanted, moved) if bundles else None

    urls_taken = store.table("permalinks_taken")  # old permalink path → the item that has it
    aliased: list[tuple[tuple[str, ...], LinkTarget]] = []  # items with old slugs only
    for s, (path_wanted, language, slug) in zip(seen.values(), wanted.values(), strict=True):
        path = moved.get(s.ordinal) or polylang.file_path(path_wanted, language)
        if folders is not None and s.has_media:
            path = _as_bundle(path, language, folders)
        url = permalink_path(s.link)
        if url and url in urls_taken:
            warnings.append(
                Warning(
                    s.id,
                    "url-collision",
                    f"permalink {url} is also item {urls_taken[url]}'s; Hugo's default URL is used",
                    path,
                )
            )
            url = ""
        if url:
            urls_taken[url] = s.id
        aliases = _old_slug_aliases(url, s.old_slugs, slug)
        entries[s.ordinal] = Entry(s.ordinal, s.id, s.post_type, path, url, aliases, s.draft, s.day, language)
        target = targets[s.id] = LinkTarget(s.id, s.post_type, url or hugo_url(path, language), s.title)
        if url:
            by_path[url] = target
        if aliases:
            aliased.append((aliases, target))
    for aliases, target in aliased:
        for alias in aliases:
            by_path.add(alias, target)


def _wanted_key(wanted: tuple[str, str, str]) -> str:
    """The collision key of a wanted path with its language (see _resolve_collisions)."""
    path, language, _slug = wanted
    return collision_key(polylang.file_path(path, language))


def _content_path(s: _Seen, slug: str, pages: dict[int, _Seen], page_slugs: dict[int, str]) -> str:
    if s.post_type == "post":
        return f"content/posts/{slug}.md"
    if s.post_type == "page":
        parents: list[str] = []
        parent, hops = s.parent, 0
        while parent in pages and parent != s.id and hops < 32:  # hops: guards against cycles
            parents.append(page_slugs[parent])
            parent, hops = pages[parent].parent, hops + 1
        return "/".join(["content", *reversed(parents), f"{slug}.md"])
    section = item_slug(s.post_type, "", 0).lower() or "other"
    return f"content/{section}/{slug}.md"


def _resolve_collisions(
    seen: Mapping[int, _Seen],
    wanted: Table,
    warnings: list[Warning],
    held: Mapping[int, str],
) -> dict[int, str]:
    """Items wanting the same path (case-insensitively) get `-<id>` but one, which keeps it: the
    item that had it in the last run (`held`: the last run's paths by id; its file stays where
    the user may have edited it, unless that path was a collision's way out),
    else a published item before a draft (a draft has no public URL to lose), then the lowest id.
    `wanted` paths have no language: it goes after any `-<id>` (`news-12.fr.md`).

    Returns the new paths of the items moved (by ordinal); the others keep the path they want.
    The colliding keys come from one query of `wanted`'s indexed `ckey` column, in the order
    their first item was read, as a dict of all the keys would have listed them."""
    colliding = "SELECT ckey FROM {t} GROUP BY ckey HAVING count(*) > 1 ORDER BY min(rowid)"
    taken_now: set[str] = set()  # the keys of the paths given here (all others: `wanted`'s)

    def taken(key: str) -> bool:
        there = wanted.query("SELECT 1 FROM {t} WHERE ckey = ? LIMIT 1", (key,)).fetchone()
        return key in taken_now or there is not None

    moved: dict[int, str] = {}
    for (key,) in wanted.query(colliding).fetchall():
        same = wanted.query("SELECT key FROM {t} WHERE ckey = ? ORDER BY rowid", (key,)).fetchall()
        group = [seen[o] for (o,) in same]
        group.sort(key=lambda s: (not _held_clean(held, s.id), s.draft, s.id))
        for s in group[1:]:
            path_wanted, language, _ = wanted[s.ordinal]
            path = with_suffix(path_wanted, s.id)
            while taken(collision_key(polylang.file_path(path, language))):
                path = with_suffix(path, s.id)
            path = polylang.file_path(path, language)
            taken_now.add(collision_key(path))
            moved[s.ordinal] = path
            warnings.append(
                Warning(
                    s.id,
                    "path-collision",
                    f"{polylang.file_path(path_wanted, language)} is item {group[0].id}'s; written as {path}",
                    path,
                )
            )
    return moved


def _held_clean(last_paths: Mapping[int, str], item_id: int) -> bool:
    """Did the item have a path in the last run that was not a collision's way out (`…-<id>.md`,
    `…-<id>/index.md`)?"""
    path = last_paths.get(item_id)
    return path is not None and not path.removesuffix(".md").removesuffix("/index").endswith(f"-{item_id}")


def _folders(store: Store, wanted: Mapping[int, tuple[str, str, str]], moved: dict[int, str]) -> Table:
    """The collision keys of every folder that holds content: a table of its own."""
    folders = store.table("content_folders")
    for ordinal, (path_wanted, language, _slug) in wanted.items():
        path = moved.get(ordinal) or polylang.file_path(path_wanted, language)
        for i, ch in enumerate(path):
            if ch == "/":
                folders.add(collision_key(path[:i]), 0)
    return folders


def _as_bundle(path: str, language: str, folders: Mapping[str, int]) -> str:
    """`a/slug.md` → `a/slug/index.md` for an item with media, unless other content lives in
    `a/slug/` (a page with child pages: a leaf bundle would swallow them as resources).
    `a/slug.fa.md` (another language, see plugins/polylang.py) → `a/slug/index.fa.md`."""
    ending = f".{language}.md" if language else ".md"
    if collision_key(path[: -len(ending)]) in folders:
        return path
    return path[: -len(ending)] + "/index" + ending


def _old_slug_aliases(url: str, old_slugs: tuple[str, ...], slug: str) -> tuple[str, ...]:
    """Old permalinks from `_wp_old_slug`: the current URL with its last segment swapped."""
    if not url or not old_slugs:
        return ()
    head, _, _last = url.rstrip("/").rpartition("/")
    out: list[str] = []
    for old in old_slugs:
        cleaned = item_slug(old, "", 0)
        alias = f"{head}/{cleaned}/"
        if cleaned and cleaned != slug and alias != url and alias not in out:
            out.append(alias)
    return tuple(out)


def hugo_url(path: str, language: str = "") -> str:
    """The URL Hugo gives a content file that has no `url`: its path, lower-cased, as a folder;
    below `/<language>/` for a file in another language than the default (`slug.fa.md`)."""
    ending = f".{language}.md" if language else ".md"
    rel = path.removeprefix("content/").removesuffix(ending).removesuffix("/index")
    return (f"/{language.lower()}/" if language else "/") + rel.lower() + "/"

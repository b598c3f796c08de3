"""Records read from a WXR export.

Plain frozen dataclasses: the reader (`wxr.py`) builds them, everything downstream only reads them.
Text fields hold what the XML holds after parsing (CDATA unwrapped, XML escapes undone); decoding
WordPress's own HTML entities is the converters' job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Author:
    login: str
    display_name: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True, slots=True)
class Term:
    """A category, tag or custom taxonomy term declared in the channel."""

    taxonomy: str  # "category", "post_tag", or a custom taxonomy name
    slug: str
    name: str
    parent: str = ""  # parent term's slug ("" for top level)
    description: str = ""
    id: int = 0  # wp:term_id (menu items name their taxonomy targets by it); 0 when not exported
    meta: tuple[tuple[str, str], ...] = ()  # `wp:termmeta` (WordPress 4.4+): SEO plugins keep theirs here


@dataclass(frozen=True, slots=True)
class ItemTerm:
    """A term attached to one item (`<category domain="…" nicename="…">Name</category>`)."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: str  # local time, "YYYY-MM-DD HH:MM:SS"
    date_gmt: str
    content: str
    approved: str  # "1", "0", "spam", "trash"
    type: str  # "", "comment", "pingback", "trackback"
    parent: int
    user_id: int
    meta: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Item:
    """One `<item>`: a post, page, attachment, menu item, custom post type…"""

    id: int
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""  # author login
    content: str = ""
    excerpt: str = ""
    post_date: str = ""  # site-local time, "YYYY-MM-DD HH:MM:SS"
    post_date_gmt: str = ""  # UTC; "0000-00-00 00:00:00" for unpublished drafts
    post_modified: str = ""
    post_modified_gmt: str = ""
    slug: str = ""  # wp:post_name, as exported (may be percent-encoded or empty)
    status: str = ""
    parent: int = 0
    menu_order: int = 0
    password: str = ""
    sticky: bool = False
    attachment_url: str = ""
    terms: tuple[ItemTerm, ...] = ()
    postmeta: tuple[tuple[str, str], ...] = ()
    comments: tuple[Comment, ...] = ()
    source: str = ""  # the export file this item came from
    line: int = 0  # line of `<item>` in that file

    def meta(self, key: str) -> str:
        """First value of a postmeta key, or ""."""
        for k, v in self.postmeta:
            if k == key:
                return v
        return ""

    def meta_all(self, key: str) -> list[str]:
        return [v for k, v in self.postmeta if k == key]


@dataclass(frozen=True, slots=True)
class MenuItem:
    """A `nav_menu_item`: one entry of a WordPress menu (see site/menus.py). Small: no body."""

    id: int
    menu: str  # slug of the `nav_menu` term it belongs to ("" when it names none)
    menu_name: str
    kind: str  # _menu_item_type: post_type, taxonomy, custom (post_type_archive…)
    object: str  # _menu_item_object: page, post, category, post_tag, custom…
    object_id: int  # _menu_item_object_id: a post id or a term id
    url: str  # _menu_item_url (custom links)
    parent: int  # _menu_item_menu_item_parent: the parent menu item's id, 0 at the top
    order: int  # menu_order
    title: str  # the item's own title: overrides its target's when not empty
    status: str = "publish"


@dataclass(frozen=True, slots=True)
class Channel:
    """The export's `<channel>` header. Emitted after its items (streaming reads it last)."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    generator: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """What other items need to know about an attachment item."""

    id: int
    url: str  # absolute URL of the original file
    title: str = ""
    caption: str = ""  # the attachment's excerpt
    alt: str = ""  # _wp_attachment_image_alt
    attached_file: str = ""  # _wp_attached_file, relative to uploads
    # From _wp_attachment_metadata, parsed once when read (the raw PHP-serialized text is large and
    # held for every attachment of the site): the resized copies' file names, None when the
    # metadata is missing or unreadable; and the original's size in bytes, 0 when unknown.
    sizes: tuple[str, ...] | None = None
    filesize: int = 0
    parent: int = 0
    link: str = ""  # the attachment page's old permalink


@dataclass(frozen=True, slots=True)
class AcfField:
    """One Advanced Custom Fields definition: an `acf-field` item of the export.

    ACF stores a post's value under `name` and the definition's key under `_name`; repeater rows
    and group members are `name_0_sub` / `name_sub`, defined by fields whose parent is this one."""

    key: str  # wp:post_name, `field_…`
    name: str  # the excerpt: the meta key the value is stored under
    type: str  # text, number, true_false, image, file, gallery, repeater, group, …
    id: int = 0
    parent: int = 0  # the field group's id, or the repeater's / group's field id
    order: int = 0  # menu_order among its siblings


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where an item lives on the new site, for resolving links to it."""

    id: int
    post_type: str
    url: str  # root-relative URL on the new site (ends with "/")
    title: str = ""


@dataclass(frozen=True)
class SiteIndex:
    """Everything one item's conversion needs to know about the rest of the site.

    Built in one streaming pass over every export file, before any item is converted, so links,
    galleries and featured images resolve across split exports.
    """

    site_hosts: frozenset[str] = frozenset()  # lower-case host names of the site, www twins included
    base_urls: tuple[str, ...] = ()
    authors: Mapping[str, Author] = field(default_factory=dict)  # by login
    terms: Mapping[tuple[str, str], Term] = field(default_factory=dict)  # by (taxonomy, slug)
    attachments: Mapping[int, Attachment] = field(default_factory=dict)
    targets: Mapping[int, LinkTarget] = field(default_factory=dict)  # by post id
    targets_by_path: Mapping[str, LinkTarget] = field(default_factory=dict)  # by old permalink path
    # Attachment pages' old permalink paths → attachment id: the new site has no such pages, so
    # links to them go to the file instead.
    attachment_pages: Mapping[str, int] = field(default_factory=dict)
    # Archive pages the new site has: (taxonomy, slug), ("author", name), ("feed", "") → URL
    # (site/archives.py), so a link to `/category/x/` resolves like one to a post.
    archive_urls: Mapping[tuple[str, str], str] = field(default_factory=dict)
    utc_offset_minutes: int | None = None  # site's offset, derived from published items
    generator: str = ""  # the export's <generator> (http://wordpress.com/ for WordPress.com)
    site_title: str = ""  # the channel's <title>: SEO plugins' %%sitename%%
    site_tagline: str = ""  # the channel's <description>: SEO plugins' %%sitedesc%%
    # ACF's field definitions (`acf-field` items), by field key (`field_639c3bff28f62`).
    acf_fields: dict[str, AcfField] = field(default_factory=dict)
    # The fields above that are tables of the site (keyed lookups), in a fixed order.
    TABLES: ClassVar[tuple[str, ...]] = (
        "targets",
        "targets_by_path",
        "attachment_pages",
        "archive_urls",
        "attachments",
        "authors",
        "terms",
    )

    @cached_property
    def attachments_by_parent(self) -> Mapping[int, list[Attachment]]:
        """`attachments` grouped by the item they were uploaded to (`[gallery]` without ids lists
        its post's own), built on first use so a big site's galleries do not each scan them all.
        When `attachments` is a table of the run's SQLite file (sitestore.py), a query of it by
        its indexed `parent` column: nothing is built."""
        grouped = getattr(self.attachments, "grouped", None)
        if grouped is not None:
            by_parent_column: Mapping[int, list[Attachment]] = grouped("parent")
            return by_parent_column
        by_parent: dict[int, list[Attachment]] = {}
        for attachment in self.attachments.values():
            by_parent.setdefault(attachment.parent, []).append(attachment)
        return by_parent

    media_hosts: frozenset[str] = frozenset()  # other hosts whose files are fetched (--allow-host)
    # WooCommerce: each product's variations (by product id), kept by pass 1 for its file. Not one
    # of TABLES: it is small, and a product's digest already covers its variations (plan.py).
    variations: dict[int, tuple[Item, ...]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()  # Polylang's language codes, default first; () for one language


@dataclass(frozen=True, slots=True, order=True)
class Repair:
    """Something the reader mended in an export's bytes before parsing, losing nothing."""

    source: str  # the export file
    line: int  # line in the original file it touched (the first, when it touched several)
    kind: str  # before-xml-declaration, control-character, namespace, mojibake
    message: str
    count: int = 1


@dataclass(frozen=True, slots=True, order=True)
class UnreadItem:
    """An item of a broken export that `--salvage` could not read, found by a raw text scan."""

    source: str
    line: int  # line of its `<item>`
    id: int  # 0 when the scan found no `<wp:post_id>`
    title: str
    post_type: str = ""


@dataclass(frozen=True, slots=True)
class Salvage:
    """What `--salvage` made of an export the parser could not read to its end."""

    source: str
    error: str  # the one-line `FILE:LINE:COL: message` the run would have stopped with
    unread: tuple[UnreadItem, ...] = ()

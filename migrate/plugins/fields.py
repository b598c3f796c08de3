"""Custom fields the user chose (`[custom_fields]`, `--field`) → front matter keys.

WordPress keeps much of a site's data in postmeta, mixed with its own and its plugins' bookkeeping
(`_edit_lock`, `_oembed_…`). Nothing is carried unless named: the user picks keys (with the
`fields` command's list) and the front matter name each goes under, for every post type or for
one. Values are typed by what they hold (values.py); ACF fields by their definition (acf.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..models import Item, SiteIndex
from . import acf, seo
from .values import typed

ALL_TYPES = ""  # the key in Settings.custom_fields for fields chosen for every post type

# Keys WordPress and its plugins keep for themselves: WordPress hides `_`-prefixed keys from its
# own custom-field box (is_protected_meta), and the others are bookkeeping of plugins and themes
# seen in real exports (the corpus). Listed as internal by `fields`; written only when named.
_INTERNAL = re.compile(
    r"^(?:_|dsq_|rank_math_|wp-smush|wp-smpro|amazon_polly_|akismet_|jabber_|ast-|astra-|stick-header"
    r"|adv-header|theme-transparent-header|site-(?:sidebar|content)-layout$|site-post-title$|optml_"
    r"|ampforwp|activitypub_|timeline_notification$|geo_public$|publish_post_category$|spay_email$"
    r"|classic-editor-remember$|wp_featherlight|discourse_|enclosure$|footnotes$)"
)


# Postmeta the tool reads already, and the front matter key it goes to.
_WRITTEN_AS = {"_thumbnail_id": "image", "_wp_old_slug": "aliases", "dsq_thread_id": "dsq_thread_id"}


def is_internal(key: str) -> bool:
    return bool(_INTERNAL.match(key))


def parse_choice(text: str) -> tuple[str, str]:
    """`KEY` or `KEY=FM_KEY` (the `--field` syntax) → (meta key, front matter key)."""
    key, _, name = text.partition("=")
    key, name = key.strip(), name.strip()
    return key, name or key


def chosen(custom_fields: Mapping[str, Mapping[str, str]], post_type: str) -> dict[str, str]:
    """meta key → front matter key for one post type: the fields for every type, then its own."""
    return {**custom_fields.get(ALL_TYPES, {}), **custom_fields.get(post_type, {})}


def custom_fields(
    item: Item,
    index: SiteIndex,
    custom: Mapping[str, Mapping[str, str]],
    media_url: Callable[[str], str] | None,
) -> dict[str, object]:
    """The chosen fields' values for one item, by front matter key, in the order they were chosen."""
    wanted = chosen(custom, item.post_type)
    if not wanted:
        return {}
    meta: dict[str, str] = {}
    for key, text in item.postmeta:
        meta.setdefault(key, text)

    def link(attachment_id: int) -> str:
        attachment = index.attachments.get(attachment_id)
        if attachment is None:
            return ""
        return media_url(attachment.url) if media_url else attachment.url

    out: dict[str, object] = {}
    for key, name in wanted.items():
        definition = acf.field_of(meta, key, index)
        if definition is not None:
            value = acf.value(meta, key, definition, index, link)
        elif key in meta and meta[key].strip():
            value = typed(meta[key])
        else:
            value = None
        if value is not None and value != "":
            out[name] = value
    return out


def media_ids(item: Item, index: SiteIndex, custom: Mapping[str, Mapping[str, str]]) -> list[int]:
    """Attachment ids the chosen ACF image, file and gallery fields of an item hold."""
    wanted = list(chosen(custom, item.post_type))
    if not wanted:
        return []
    meta: dict[str, str] = {}
    for key, text in item.postmeta:
        meta.setdefault(key, text)
    return acf.media_ids(meta, wanted, index)


@dataclass
class KeyStats:
    """One postmeta key across an export, for the `fields` command."""

    count: int = 0
    sample: str = ""
    post_types: Counter[str] = field(default_factory=Counter)
    acf_type: str = ""


def key_stats(items: Iterable[Item], index: SiteIndex) -> dict[str, KeyStats]:
    """Every postmeta key of the content items (those that become files), with counts and a sample."""
    stats: dict[str, KeyStats] = {}
    for item in items:
        meta: dict[str, str] = {}
        for key, text in item.postmeta:
            meta.setdefault(key, text)
        for key, text in meta.items():
            entry = stats.setdefault(key, KeyStats())
            entry.count += 1
            entry.post_types[item.post_type] += 1
            if not entry.sample and text.strip():
                entry.sample = text
            definition = acf.field_of(meta, key, index)
            if definition is not None and not entry.acf_type:
                entry.acf_type = definition.type
    return stats


def describe(key: str, entry: KeyStats) -> str:
    """What a key is, for the `fields` list: internal, read by the SEO step, an ACF field."""
    if key in _WRITTEN_AS:
        return f"internal (written as {_WRITTEN_AS[key]})"
    if key in seo.KEYS or key.startswith(("_yoast_wpseo_", "rank_math_", "_aioseo", "_seopress_")):
        return "seo (written as seo.*)" if key in seo.KEYS else "internal (seo plugin)"
    if entry.acf_type:
        return f"acf {entry.acf_type}"
    if is_internal(key):
        return "internal"
    return ""

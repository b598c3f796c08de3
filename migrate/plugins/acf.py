"""Advanced Custom Fields: values read by their field name, shaped by their definition.

ACF stores a post's value under its field name (`galeria`) and the definition's key under the
same name with an underscore (`_galeria` → `field_639c3bff28f62`). The definitions are
`acf-field` items of the export (the type in their PHP-serialized content, the name in their
excerpt, the parent group or field in post_parent); pass 1 reads them into the site index.
Repeaters store a row count under their name and each row's sub-fields as `name_0_sub`; groups
store `name_sub`. They become lists of maps and maps; image, file and gallery fields (attachment
ids) become the attachments' links on the new site.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .. import phpserial
from ..models import AcfField, Item, SiteIndex
from .values import as_list, typed

FIELD_TYPE = "acf-field"
MEDIA_TYPES = frozenset({"image", "file", "gallery"})
_TEXT_TYPES = frozenset(
    {"text", "textarea", "wysiwyg", "email", "url", "password", "oembed", "color_picker", "date_picker"}
)
_LIST_TYPES = frozenset(
    {"checkbox", "select", "relationship", "post_object", "page_link", "taxonomy", "user"}
)

Link = Callable[[int], str]  # attachment id → its link on the new site ("" when unknown)


def definition(item: Item) -> AcfField | None:
    """The field an `acf-field` item defines (None for anything else, or one without a name)."""
    if item.post_type != FIELD_TYPE or not item.slug.startswith("field_") or not item.excerpt.strip():
        return None
    try:
        settings = phpserial.loads(item.content) if item.content.strip() else {}
    except phpserial.PHPSerialError:
        settings = {}
    kind = settings.get("type", "") if isinstance(settings, dict) else ""
    return AcfField(
        key=item.slug,
        name=item.excerpt.strip(),
        type=kind if isinstance(kind, str) else "",
        id=item.id,
        parent=item.parent,
        order=item.menu_order,
    )


def field_of(meta: Mapping[str, str], name: str, index: SiteIndex) -> AcfField | None:
    """The definition a post's `name` value was saved with (its `_name` reference)."""
    ref = meta.get("_" + name, "").strip()
    return index.acf_fields.get(ref) if ref.startswith("field_") else None


def value(meta: Mapping[str, str], name: str, field: AcfField, index: SiteIndex, link: Link) -> object:
    """The value of ACF field `field`, stored under `name` in a post's `meta` (None: no value)."""
    raw = meta.get(name)
    if field.type in ("repeater", "group"):
        subs = sorted(
            (f for f in index.acf_fields.values() if f.parent == field.id and f.id),
            key=lambda f: (f.order, f.key),
        )
        if field.type == "group":
            return _row(meta, name, subs, index, link)
        count = typed(raw or "")
        rows = [
            _row(meta, f"{name}_{i}", subs, index, link)
            for i in range(count if isinstance(count, int) else 0)
        ]
        return [row for row in rows if row is not None] or None
    if raw is None or not raw.strip():
        return None
    if field.type in MEDIA_TYPES:
        ids = [
            int(v) for v in (as_list(raw) if field.type == "gallery" else [raw]) if str(v).strip().isdigit()
        ]
        links = [link(i) for i in ids]
        if field.type == "gallery":
            return [x for x in links if x] or None
        return links[0] if links and links[0] else typed(raw)
    if field.type == "true_false":
        return raw.strip() == "1"
    if field.type in _TEXT_TYPES:
        return raw
    if field.type in _LIST_TYPES and raw.strip().startswith("a:"):
        return as_list(raw)
    return typed(raw)


def _row(
    meta: Mapping[str, str], prefix: str, subs: list[AcfField], index: SiteIndex, link: Link
) -> dict[str, object] | None:
    row: dict[str, object] = {}
    for sub in subs:
        found = value(meta, f"{prefix}_{sub.name}", sub, index, link)
        if found is not None:
            row[sub.name] = found
    return row or None


def media_ids(meta: Mapping[str, str], names: list[str], index: SiteIndex) -> list[int]:
    """Attachment ids held by the chosen fields' image, file and gallery fields, repeater rows and
    group members included: pass 1 hands them to the media step."""
    ids: list[int] = []
    for key, raw in meta.items():
        if not any(key == n or key.startswith(n + "_") for n in names):
            continue
        field = field_of(meta, key, index)
        if field is None or field.type not in MEDIA_TYPES:
            continue
        values = as_list(raw) if field.type == "gallery" else [raw]
        ids.extend(int(v) for v in values if str(v).strip().isdigit())
    return ids

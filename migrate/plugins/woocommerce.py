"""WooCommerce products: the shop data a `product` item keeps in postmeta, as one `product` map.

A product page on a static site needs what WooCommerce shows next to the text: prices (regular,
sale and the sale's dates), SKU, stock, weight and size, the image gallery, the attributes
(colour, size…) and, for a variable product, each variation a buyer picks from. WordPress keeps
them in postmeta (`_price`, `_sku`, `_product_attributes` PHP-serialized…) and in taxonomies
(`product_type`, the `pa_*` attribute terms); variations are `product_variation` items of their
own whose parent is the product. They are folded into their product here: a variation is no page.

Pure: the item, its variations (kept by pass 1, see plan.scan) and the site index in; plain data
out, in a fixed key order. The shop's currency is a site option that WXR does not export: it comes
from the config file (`[woocommerce] currency`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from .. import phpserial
from ..convert import decode_entities
from ..models import Item, SiteIndex

PRODUCT = "product"
VARIATION = "product_variation"
FOLDED = f"{VARIATION} (in its product)"  # how pass 1 counts the variations it keeps for their product
# Taxonomies WooCommerce uses as plumbing: their data is in the `product` map, not a term list.
INTERNAL_TAXONOMIES = frozenset({"product_type", "product_visibility", "product_shipping_class"})
ATTRIBUTE_TAXONOMY_PREFIX = "pa_"
_VARIATION_ATTRIBUTE = "attribute_"


def is_variation(item: Item) -> bool:
    return item.post_type == VARIATION


def gallery_ids(item: Item) -> tuple[int, ...]:
    """The attachment ids of `_product_image_gallery` ("32,33"), in the shop's order."""
    ids = (part.strip() for part in item.meta("_product_image_gallery").split(","))
    return tuple(dict.fromkeys(int(part) for part in ids if part.isdigit()))


def image_ids(item: Item) -> tuple[int, ...]:
    """Every image a product shows besides its body: the gallery (the featured image, like any
    item's, is `_thumbnail_id`)."""
    return gallery_ids(item) if item.post_type == PRODUCT else ()


def kept_variation(item: Item) -> Item:
    """What pass 1 keeps of a variation for its product: no body, no comments."""
    return replace(item, content="", excerpt="", comments=())


def variation_image(variation: Item) -> int:
    thumb = variation.meta("_thumbnail_id").strip()
    return int(thumb) if thumb.isdigit() else 0


def front_matter(
    item: Item,
    variations: Sequence[Item],
    index: SiteIndex,
    media_url: Callable[[str], str] | None = None,
    currency: str = "",
) -> dict[str, object]:
    """The `product` map of a product item ({} for any other item)."""
    if item.post_type != PRODUCT:
        return {}
    link = media_url or (lambda url: url)
    out: dict[str, object] = {}
    kind = next((t.slug for t in item.terms if t.taxonomy == "product_type" and t.slug), "")
    if kind:
        out["type"] = kind
    out.update(_offer(item, index, link))
    if currency:
        out["currency"] = currency
    shipping = next((t.name for t in item.terms if t.taxonomy == "product_shipping_class" and t.name), "")
    if shipping:
        out["shipping_class"] = decode_entities(shipping).strip()
    for key in ("weight", "length", "width", "height"):
        value = _number(item.meta(f"_{key}"))
        if value is not None:
            out[key] = value
    gallery = [url for url in (_image(i, index) for i in gallery_ids(item)) if url]
    if gallery:
        out["gallery"] = [link(url) for url in gallery]
    attributes = _attributes(item, index)
    if attributes:
        out["attributes"] = attributes
    # A variation names a global attribute's value by its term slug: the product has those terms.
    names = {(t.taxonomy, t.slug): t.name for t in item.terms}
    names.update({key: term.name for key in names if (term := index.terms.get(key))})
    listed = [
        _variation(v, names, index, link) for v in sorted(variations, key=lambda v: (v.menu_order, v.id))
    ]
    if listed:
        out["variations"] = listed
    return out


def _offer(item: Item, index: SiteIndex, link: Callable[[str], str]) -> dict[str, object]:
    """Price, SKU and stock: what a product and each of its variations have alike."""
    out: dict[str, object] = {}
    sku = item.meta("_sku").strip()
    if sku:
        out["sku"] = sku
    # A variable product has one `_price` row per distinct variation price: it sells "from" the lowest.
    prices = [p for p in (_number(v) for v in item.meta_all("_price")) if p is not None]
    if prices:
        out["price"] = min(prices)
    for key in ("regular_price", "sale_price"):
        value = _number(item.meta(f"_{key}"))
        if value is not None:
            out[key] = value
    if "sale_price" in out:
        for key in ("from", "to"):
            when = _date(item.meta(f"_sale_price_dates_{key}"))
            if when:
                out[f"sale_{key}"] = when
    status = item.meta("_stock_status").strip()
    if status:
        out["stock_status"] = status
    if item.meta("_manage_stock").strip() == "yes":
        stock = _number(item.meta("_stock"))
        if stock is not None:
            out["stock"] = int(stock)
    if item.post_type == VARIATION:
        image = _image(variation_image(item), index)
        if image:
            out["image"] = link(image)
    return out


def _variation(
    variation: Item, names: dict[tuple[str, str], str], index: SiteIndex, link: Callable[[str], str]
) -> dict[str, object]:
    """One variation: its id, the attribute values that pick it (one left out matches any
    value), then its own price, SKU, stock and image."""
    out: dict[str, object] = {"id": variation.id}
    attributes: dict[str, str] = {}
    for key, value in variation.postmeta:
        if not key.startswith(_VARIATION_ATTRIBUTE) or not value.strip():
            continue
        taxonomy = key.removeprefix(_VARIATION_ATTRIBUTE)
        if taxonomy.startswith(ATTRIBUTE_TAXONOMY_PREFIX):
            term = index.terms.get((taxonomy, value))
            name = names.get((taxonomy, value)) or (term.name if term else value)
            attributes.setdefault(_attribute_name(taxonomy), decode_entities(name).strip())
        else:
            attributes.setdefault(taxonomy, decode_entities(value).strip())
    if attributes:
        out["attributes"] = attributes
    out.update(_offer(variation, index, link))
    if variation.status != "publish":
        out["enabled"] = False  # WooCommerce's "Enabled" box unticked: the variation is private
    return out


def _attributes(item: Item, index: SiteIndex) -> list[dict[str, object]]:
    """`_product_attributes`, in the shop's order: each attribute's name and values, whether the
    page shows it, and whether variations are picked by it. Values of a global attribute (`pa_*`)
    are the product's terms in that taxonomy, by name."""
    raw = item.meta("_product_attributes")
    try:
        table = phpserial.loads(raw) if raw.strip() else {}
    except phpserial.PHPSerialError:
        return []
    if not isinstance(table, dict):
        return []
    rows = [row for row in table.values() if isinstance(row, dict)]
    rows.sort(key=lambda row: _int(row.get("position")))
    out: list[dict[str, object]] = []
    for row in rows:
        name = str(row.get("name", "")).strip()
        if not name:
            continue
        if _int(row.get("is_taxonomy")):
            values = _term_names(item, name)
            label = _attribute_name(name)
        else:
            values = [
                v for v in (decode_entities(p).strip() for p in str(row.get("value", "")).split("|")) if v
            ]
            label = decode_entities(name)
        if not values:
            continue
        out.append(
            {
                "name": label,
                "values": values,
                "visible": bool(_int(row.get("is_visible"))),
                "variation": bool(_int(row.get("is_variation"))),
            }
        )
    return out


def _term_names(item: Item, taxonomy: str) -> list[str]:
    names = (decode_entities(t.name).strip() for t in item.terms if t.taxonomy == taxonomy)
    return list(dict.fromkeys(n for n in names if n))


def _attribute_name(taxonomy: str) -> str:
    """`pa_color` → `color`: the attribute's slug (its label lives in a table WXR does not export)."""
    return taxonomy.removeprefix(ATTRIBUTE_TAXONOMY_PREFIX)


def _image(attachment_id: int, index: SiteIndex) -> str:
    attachment = index.attachments.get(attachment_id) if attachment_id else None
    return attachment.url if attachment else ""


def _number(text: str) -> int | float | None:
    """A price, weight or count as WooCommerce stores it ("18", "11.05"): int when whole."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() and "e" not in text.lower() else value


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _date(text: str) -> str:
    """A sale date: WooCommerce stores a Unix timestamp (older versions a date) → `YYYY-MM-DD`."""
    text = text.strip()
    if text.isdigit():
        try:
            return datetime.fromtimestamp(int(text), UTC).strftime("%Y-%m-%d")
        except (OverflowError, OSError, ValueError):
            return ""
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").strftime("%Y-%m-%d")
    except ValueError:
        return ""


def orphans(variations: dict[int, list[Item]], products: Iterable[int]) -> list[Item]:
    """Variations whose product is not in the export (or is not written): reported, never pages."""
    have = set(products)
    return [v for parent in sorted(variations) if parent not in have for v in variations[parent]]

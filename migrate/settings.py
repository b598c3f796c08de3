"""What a run writes beyond the defaults: target, front matter format, go-live files, and the
config file's tables (front matter renames, taxonomy renames and merges, a shortcode table).

Pure data and pure functions: the CLI (or a library caller) builds one `Settings`; `from_tables`
checks the config file's `[front_matter]`, `[taxonomies.*]` and `[shortcodes]` tables.
"""

from __future__ import annotations

import copyreg
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .convert import decode_entities
from .models import ItemTerm

TARGETS = ("hugo", "jekyll")
FRONT_MATTER_FORMATS = ("yaml", "toml")
REDIRECT_FORMATS = ("nginx", "netlify", "apache")
COMMENT_MODES = ("none", "data")
# Comments left out unless asked for: by type (pingback, trackback) or by status.
COMMENT_EXTRAS = ("pingback", "trackback", "pending", "spam", "trash")
SHORTCODE_ACTIONS = ("keep", "drop")  # anything else in the table is a template
TABLES = ("front_matter", "taxonomies", "shortcodes", "custom_fields", "woocommerce")

_EMPTY: Mapping[str, str] = MappingProxyType({})
_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
# Front matter keys the tool writes itself (for Hugo and Jekyll): a custom field may not take one.
WRITTEN_KEYS = frozenset(
    {
        "title",
        "date",
        "lastmod",
        "draft",
        "author",
        "categories",
        "tags",
        "id",
        "guid",
        "url",
        "aliases",
        "image",
        "images",
        "description",
        "seo",
        "section",
        "weight",
        "sticky",
        "dsq_thread_id",
        "disqus_identifier",
        "disqus_url",
        "translationKey",
        "permalink",
        "redirect_from",
        "wordpress_id",
        "published",
        "render_with_liquid",
    }
)


def _read_only(table: dict[str, object]) -> Mapping[str, object]:
    return MappingProxyType(table)


def _pickle_proxy(proxy: MappingProxyType[str, object]) -> tuple[object, tuple[dict[str, object]]]:
    return _read_only, (dict(proxy),)


# Settings go to worker processes by pickle, and their tables are read-only views.
copyreg.pickle(MappingProxyType, _pickle_proxy)


class SettingsError(ValueError):
    """A config table that cannot be used; `str()` is one line saying where and why."""


@dataclass(frozen=True)
class Settings:
    target: str = "hugo"
    front_matter: str = "yaml"
    redirects: tuple[str, ...] = ()
    new_base_url: str = ""  # for the Disqus URL map; "" writes none
    comments: str = "none"
    comments_private: bool = False
    comments_include: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)  # front matter key → new key
    omit: frozenset[str] = frozenset()  # front matter keys left out
    # front matter taxonomy key ("categories", "tags", "genre") → {WordPress name or slug: new name}
    terms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    shortcodes: Mapping[str, str] = field(default_factory=dict)  # name → "keep" | "drop" | template
    source_markup: str = "auto"  # what bodies are written in: auto (detected), html, textile, markdown
    currency: str = ""  # [woocommerce] currency: the shop's (ISO 4217), written with each product
    # postmeta carried to front matter: post type ("" for every type) → {meta key: front matter key}
    custom_fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def map_terms(self, terms: Iterable[ItemTerm]) -> tuple[ItemTerm, ...]:
        """An item's terms with the config's renames and merges applied; "" drops a term."""
        out: list[ItemTerm] = []
        for term in terms:
            name = self.term_name(term)
            if name:
                out.append(term if name == term.name else ItemTerm(term.taxonomy, term.slug, name))
        return tuple(out)

    def term_name(self, term: ItemTerm) -> str:
        table = self.terms.get(taxonomy_key(term.taxonomy), _EMPTY)
        if not table:
            return term.name
        for wanted in (decode_entities(term.name).strip(), term.slug):
            if wanted in table:
                return table[wanted]
        return term.name

    def apply_keys(self, meta: dict[str, object]) -> dict[str, object]:
        """Front matter with the config's key renames and omissions, order kept."""
        if not self.rename and not self.omit:
            return meta
        return {self.rename.get(k, k): v for k, v in meta.items() if k not in self.omit}


def taxonomy_key(taxonomy: str) -> str:
    """The front matter key of a WordPress taxonomy."""
    return {"category": "categories", "post_tag": "tags"}.get(taxonomy, taxonomy)


def from_tables(tables: Mapping[str, object], where: str) -> dict[str, object]:
    """`Settings` keyword arguments from the config file's tables, checked. `where` names the file."""
    out: dict[str, object] = {}
    front = _table(tables.get("front_matter", {}), f"{where}: [front_matter]")
    for key in front:
        if key not in ("rename", "omit"):
            raise SettingsError(f"{where}: [front_matter] has no setting {key!r} (use rename, omit)")
    if "rename" in front:
        rename = _strings(front["rename"], f"{where}: [front_matter] rename", allow_empty=False)
        targets = list(rename.values())
        if len(set(targets)) != len(targets):
            raise SettingsError(f"{where}: [front_matter] rename gives two keys the same name")
        out["rename"] = MappingProxyType(rename)
    if "omit" in front:
        omit = front["omit"]
        if not isinstance(omit, list) or not all(isinstance(k, str) and k for k in omit):
            raise SettingsError(f"{where}: [front_matter] omit must be a list of key names")
        out["omit"] = frozenset(omit)
    taxonomies = _table(tables.get("taxonomies", {}), f"{where}: [taxonomies]")
    out["terms"] = MappingProxyType(
        {
            key: MappingProxyType(_strings(value, f"{where}: [taxonomies.{key}]", allow_empty=True))
            for key, value in taxonomies.items()
        }
    )
    shortcodes = _strings(tables.get("shortcodes", {}), f"{where}: [shortcodes]", allow_empty=False)
    out["shortcodes"] = MappingProxyType(shortcodes)
    shop = _table(tables.get("woocommerce", {}), f"{where}: [woocommerce]")
    for key, value in shop.items():
        if key != "currency":
            raise SettingsError(f"{where}: [woocommerce] has no setting {key!r} (use currency)")
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            raise SettingsError(f'{where}: [woocommerce] currency must be a three-letter code like "EUR"')
        out["currency"] = value
    if "custom_fields" in tables:
        out["custom_fields"] = custom_fields(tables["custom_fields"], f"{where}: [custom_fields]")
    return out


def custom_fields(table: object, where: str) -> Mapping[str, object]:
    """`[custom_fields]`: `meta_key = "front_matter_key"` for every post type, and a sub-table per
    post type (`[custom_fields.product]`)."""
    per_type: dict[str, dict[str, str]] = {"": {}}
    for key, value in _table(table, where).items():
        if isinstance(value, Mapping):
            per_type[key] = _field_names(value, f"{where[:-1]}.{key}]")
        else:
            per_type[""].update(_field_names({key: value}, where))
    return MappingProxyType({k: MappingProxyType(v) for k, v in per_type.items() if v})


def with_chosen(
    custom: Mapping[str, Mapping[str, str]], chosen: Iterable[tuple[str, str]]
) -> Mapping[str, object]:
    """`custom` (from the config file) with the `--field` choices added to every type's fields."""
    every = {**custom.get("", {}), **_field_names(dict(chosen), "--field")}
    return MappingProxyType({**custom, "": MappingProxyType(every)} if every else dict(custom))


def _field_names(table: Mapping[str, object], where: str) -> dict[str, str]:
    names = _strings(table, where, allow_empty=False)
    for key, name in names.items():
        if not key:
            raise SettingsError(f"{where}: an empty postmeta key")
        if not _FRONT_MATTER_KEY.match(name):
            raise SettingsError(f"{where}: {key} = {name!r}: a front matter key is letters, digits, - and _")
        if name in WRITTEN_KEYS:
            raise SettingsError(f"{where}: {key} = {name!r}: {name} is a key the tool writes itself")
    return names


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise SettingsError(f"{where} must be a table")
    return value


def _strings(value: object, where: str, *, allow_empty: bool) -> dict[str, str]:
    table = _table(value, where)
    for key, text in table.items():
        if not isinstance(text, str) or not (text or allow_empty):
            raise SettingsError(f"{where}: {key} must be a {'' if allow_empty else 'non-empty '}string")
    return dict(table)  # type: ignore[arg-type]

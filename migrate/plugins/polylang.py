"""Polylang: which language each item is in, which items translate each other, the site's languages.

Polylang keeps languages as taxonomies: every item has a `language` term (slug `en`, name
`English`, description a PHP-serialized `locale`/`rtl`/`flag_code` array), and the items that
translate each other share a `post_translations` term (slug `pll_…`, description `{lang: id}`).
Terms get the same treatment (`term_language`, `term_translations`). Hugo's multilingual mode
needs three things from that: the language of each file, a `translationKey` shared by the
translations of one page, and the list of languages for `hugo.toml`.

Translation by file name (`slug.fa.md` beside `slug.md`), not one content folder per language:
the page tree, the path collision rules, media bundles and the manifest's paths stay what they
are for a one-language site, so turning Polylang on in a site migrated earlier moves only the
other languages' files; Hugo needs no `contentDir` per language. Items of the default language
keep their plain file names. Every item of a multilingual site gets a `translationKey` (its
group's, or `wp-<id>` when it has no translation), so Hugo never links two pages that merely share
a file name.

The default language is a site option WXR does not export. It is found from the permalinks:
Polylang leaves the default language out of URLs (`/slug/` beside `/fa/slug/`), so it is the
language whose items' URLs do not start with their language code; failing that, the language
of the channel's `<language>`, then the language with the most items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import phpserial
from ..convert import decode_entities
from ..models import Item, Term

LANGUAGE = "language"
POST_TRANSLATIONS = "post_translations"
# Polylang's plumbing, never a front matter term list. (`language` alone may be any site's own
# taxonomy: it is Polylang's only on a site that `is_polylang`.)
GROUP_TAXONOMIES = frozenset({POST_TRANSLATIONS, "term_language", "term_translations"})
INTERNAL_TAXONOMIES = GROUP_TAXONOMIES | {LANGUAGE}


@dataclass(frozen=True, slots=True)
class Language:
    """One of the site's languages, as Hugo's `[languages.<code>]` wants it."""

    code: str  # Polylang's slug: "en", "fa", "pt-br"
    name: str  # as the language names itself: "English", "فارسی"
    locale: str = ""  # "fa-IR" (Polylang's "fa_IR" in BCP 47 form)
    rtl: bool = False
    weight: int = 0  # 1 for the default language, then by code
    default: bool = False
    items: int = 0  # items written in it
    in_folder: bool = False  # its old permalinks start with `/<code>/`


def is_polylang(terms: Mapping[tuple[str, str], Term]) -> bool:
    """Do the export's terms show Polylang: its translation taxonomies, or a `language` term with
    Polylang's details (a locale)? A site whose own taxonomy is called `language` shows neither."""
    return any(
        taxonomy in GROUP_TAXONOMIES or (taxonomy == LANGUAGE and "locale" in _details(term.description))
        for (taxonomy, _slug), term in terms.items()
    )


def item_language(item: Item) -> str:
    """The item's language code, or "" when Polylang gave it none."""
    return next((t.slug for t in item.terms if t.taxonomy == LANGUAGE and t.slug), "")


def translation_key(item: Item) -> str:
    """What Hugo links an item's translations by: its `post_translations` group, else its own id
    ("" for an item with no language: a one-language site writes none)."""
    if not item_language(item):
        return ""
    group = next((t.slug for t in item.terms if t.taxonomy == POST_TRANSLATIONS and t.slug), "")
    return group or f"wp-{item.id}"


def languages(
    terms: Mapping[tuple[str, str], Term],
    counts: Mapping[str, int],
    prefixed: Mapping[str, int],
    channel_language: str = "",
) -> list[Language]:
    """The site's languages, default first. `counts`: items per language code; `prefixed`: of
    those, how many have a permalink starting with `/<code>/`; `channel_language`: the export's
    `<language>` (`en-US`)."""
    codes = sorted({slug for (taxonomy, slug) in terms if taxonomy == LANGUAGE} | set(counts))
    if not codes:
        return []
    default = _default(codes, counts, prefixed, terms, channel_language)
    ordered = [default, *(c for c in codes if c != default)]
    out = []
    for weight, code in enumerate(ordered, start=1):
        term = terms.get((LANGUAGE, code))
        details = _details(term.description if term else "")
        out.append(
            Language(
                code=code,
                name=decode_entities(term.name).strip() if term and term.name.strip() else code,
                locale=str(details.get("locale", "")).replace("_", "-"),
                rtl=bool(details.get("rtl")),
                weight=weight,
                default=code == default,
                items=counts.get(code, 0),
                in_folder=bool(prefixed.get(code)),
            )
        )
    return out


def _default(
    codes: list[str],
    counts: Mapping[str, int],
    prefixed: Mapping[str, int],
    terms: Mapping[tuple[str, str], Term],
    channel_language: str,
) -> str:
    # Polylang's "hide the default language in URLs": one language's URLs never have the prefix
    # while the others' do.
    bare = [c for c in codes if counts.get(c) and not prefixed.get(c)]
    if len(bare) == 1 and any(prefixed.values()):
        return bare[0]
    wanted = channel_language.strip().replace("_", "-").lower()
    for code in codes:
        term = terms.get((LANGUAGE, code))
        locale = str(_details(term.description if term else "").get("locale", "")).replace("_", "-").lower()
        if wanted and locale == wanted:
            return code
    return min(codes, key=lambda c: (-counts.get(c, 0), c))


def _details(description: str) -> dict[object, object]:
    """The language term's description: `a:3:{s:6:"locale";s:5:"fa_IR";s:3:"rtl";i:1;…}`."""
    try:
        value = phpserial.loads(description) if description.strip() else {}
    except phpserial.PHPSerialError:
        return {}
    return value if isinstance(value, dict) else {}


def count(items: Iterable[tuple[str, str]]) -> tuple[Counter[str], Counter[str]]:
    """(items per language, of them those whose old permalink starts with `/<code>/`) from
    (language, permalink path) pairs."""
    counts: Counter[str] = Counter()
    prefixed: Counter[str] = Counter()
    for code, url in items:
        if not code:
            continue
        counts[code] += 1
        if url.lower().startswith(f"/{code.lower()}/"):
            prefixed[code] += 1
    return counts, prefixed


def file_path(path: str, code: str) -> str:
    """`content/posts/slug.md` → `content/posts/slug.fa.md` (Hugo's translation by file name)."""
    return f"{path.removesuffix('.md')}.{code}.md" if code else path


def hugo_config(languages: Iterable[Language]) -> dict[str, object]:
    """The `hugo.toml` keys for the languages (Hugo ≥ 0.158 names: `label`, `locale`, `direction`):
    `defaultContentLanguage` and one `[languages.<code>]` table each ({} for a one-language site).
    The default language's home page is where Polylang served it: the site root, or `/<code>/`
    when its permalinks had the language too."""
    languages = list(languages)
    default = next((lang for lang in languages if lang.default), None)
    if default is None:
        return {}
    tables: dict[str, object] = {}
    for lang in languages:
        table: dict[str, object] = {"label": lang.name, "weight": lang.weight}
        if lang.locale:
            table["locale"] = lang.locale
        if lang.rtl:
            table["direction"] = "rtl"
        tables[lang.code] = table
    return {
        "defaultContentLanguage": default.code,
        "defaultContentLanguageInSubdir": default.in_folder,
        "languages": tables,
    }

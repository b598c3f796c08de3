"""SEO plugins' per-post (and per-term) data → the front matter keys a theme's `<head>` reads.

Yoast, Rank Math, All in One SEO (4.x `_aioseo_*` and the older `_aioseop_*`) and SEOPress keep a
page's search title, meta description, canonical URL, robots flag, focus keyword and social image
in postmeta (termmeta for terms). Sites that used one lose their search snippets in a move unless
those are carried: this module reads them, first plugin with a value wins (in the order above).

Titles and descriptions hold the plugins' variables (`%%title%% %%sep%% %%sitename%%`,
`#post_title`, `%title%`): they are replaced with the values WordPress would have shown. A value
holding a variable this module cannot know (`%%currentyear%%` would change the output every
year; `%%cf_price%%` reads data we do not have) is dropped with a warning rather than written
half-replaced. Pure: same item and site, same answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import phpserial
from ..convert import decode_entities, plain_text, summarize, title_text
from ..models import Item, SiteIndex, Term

SEPARATOR = "-"  # every one of the four plugins' default title separator


@dataclass(frozen=True)
class Plugin:
    """Where one plugin keeps each value, and how its variables are written."""

    name: str
    title: tuple[str, ...] = ()
    description: tuple[str, ...] = ()  # the first is the meta description; the rest (social) fall back
    canonical: tuple[str, ...] = ()
    keyword: tuple[str, ...] = ()
    images: tuple[str, ...] = ()  # image URLs
    image_ids: tuple[str, ...] = ()  # attachment ids of the same images
    noindex: Callable[[Mapping[str, str]], bool] = lambda _meta: False
    variable: re.Pattern[str] = re.compile(r"%%([A-Za-z0-9_\-]+)%%")
    names: Mapping[str, str] = field(default_factory=dict)  # the plugin's variable → ours


def _is(key: str, *values: str) -> Callable[[Mapping[str, str]], bool]:
    return lambda meta: meta.get(key, "").strip().lower() in values


def _rank_math_noindex(meta: Mapping[str, str]) -> bool:
    robots = _php(meta.get("rank_math_robots", ""))
    return "noindex" in (robots.values() if isinstance(robots, dict) else ())


def _aioseop_image(meta: Mapping[str, str]) -> str:
    settings = _php(meta.get("_aioseop_opengraph_settings", ""))
    image = settings.get("aioseop_opengraph_settings_image", "") if isinstance(settings, dict) else ""
    return image if isinstance(image, str) else ""


def _yoast(*names: str) -> tuple[str, ...]:
    return tuple(f"_yoast_wpseo_{name}" for name in names)


_YOAST = {
    "title": "title",
    "sitename": "sitename",
    "sitedesc": "sitedesc",
    "sep": "sep",
    "excerpt": "excerpt",
    "excerpt_only": "excerpt_only",
    "category": "category",
    "primary_category": "category",
    "tag": "tag",
    "date": "date",
    "name": "author",
    "page": "page",
    "pagenumber": "page",
    "pagetotal": "page",
    "focuskw": "keyword",
    "term_title": "term",
    "term_description": "term_description",
    "category_description": "term_description",
    "tag_description": "term_description",
    "pt_single": "post_type",
}
PLUGINS = (
    Plugin(
        "Yoast SEO",
        title=_yoast("title"),
        description=_yoast("metadesc", "opengraph-description", "twitter-description"),
        canonical=_yoast("canonical"),
        keyword=_yoast("focuskw"),
        images=_yoast("opengraph-image", "twitter-image"),
        image_ids=_yoast("opengraph-image-id", "twitter-image-id"),
        noindex=_is("_yoast_wpseo_meta-robots-noindex", "1"),
        names=_YOAST,
    ),
    Plugin(
        "Rank Math",
        variable=re.compile(r"%([A-Za-z0-9_]+)(?:\([^()%]*\))?%"),  # %title%, %customfield(name)%
        names={**_YOAST, "term": "term", "post_author": "author", "keywords": "keyword"},
        noindex=_rank_math_noindex,  # "noindex" in the serialized rank_math_robots
        title=("rank_math_title",),
        description=(
            "rank_math_description",
            "rank_math_facebook_description",
            "rank_math_twitter_description",
        ),
        canonical=("rank_math_canonical_url",),
        keyword=("rank_math_focus_keyword",),
        images=("rank_math_facebook_image", "rank_math_twitter_image"),
        image_ids=("rank_math_facebook_image_id", "rank_math_twitter_image_id"),
    ),
    Plugin(
        "All in One SEO",
        title=("_aioseo_title", "_aioseop_title"),
        description=(
            "_aioseo_description",
            "_aioseop_description",
            "_aioseo_og_description",
            "_aioseo_twitter_description",
        ),
        canonical=("_aioseo_canonical_url", "_aioseop_custom_link"),
        keyword=("_aioseo_keyphrases", "_aioseo_keywords", "_aioseop_keywords"),
        images=("_aioseo_og_image_custom_url", "_aioseo_twitter_image_custom_url"),
        noindex=lambda meta: (
            _is("_aioseop_noindex", "on", "1")(meta) or _is("_aioseo_robots_noindex", "1")(meta)
        ),
        # `#post_title`; a bare `#word` in a title is more often a hashtag: only the known ones and
        # unknown ones with an underscore (all of AIOSEO's multi-word tags) count as variables.
        variable=re.compile(r"#([a-z]+(?:_[a-z]+)*)\b"),
        names={
            "post_title": "title",
            "site_title": "sitename",
            "blog_title": "sitename",
            "tagline": "sitedesc",
            "separator_sa": "sep",
            "post_excerpt": "excerpt",
            "post_excerpt_only": "excerpt_only",
            "post_content": "excerpt",
            "categories": "category",
            "post_date": "date",
            "author_name": "author",
            "author_first_name": "author",
            "page_number": "page",
            "taxonomy_title": "term",
            "taxonomy_description": "term_description",
        },
    ),
    Plugin(
        "SEOPress",
        title=("_seopress_titles_title",),
        description=("_seopress_titles_desc", "_seopress_social_fb_desc", "_seopress_social_twitter_desc"),
        canonical=("_seopress_robots_canonical",),
        keyword=("_seopress_analysis_target_kw",),
        images=("_seopress_social_fb_img", "_seopress_social_twitter_img"),
        image_ids=("_seopress_social_fb_img_attachment_id",),
        noindex=_is("_seopress_robots_index", "yes"),  # SEOPress's "yes" means: do not index
        names={
            "post_title": "title",
            "sitetitle": "sitename",
            "tagline": "sitedesc",
            "sep": "sep",
            "post_excerpt": "excerpt",
            "post_date": "date",
            "post_author": "author",
            "post_category": "category",
            "_category_title": "category",
            "post_tag": "tag",
            "term_title": "term",
            "term_description": "term_description",
            "page": "page",
            "target_keyword": "keyword",
        },
    ),
)
# Every postmeta key read here: what the `fields` command calls handled by the SEO step.
KEYS = frozenset(
    key
    for p in PLUGINS
    for key in (*p.title, *p.description, *p.canonical, *p.keyword, *p.images, *p.image_ids)
) | {"rank_math_robots", "_aioseop_opengraph_settings", "_aioseop_noindex", "_aioseo_robots_noindex"}
KEYS |= {"_yoast_wpseo_meta-robots-noindex", "_seopress_robots_index"}


@dataclass(frozen=True)
class Seo:
    """What the SEO plugins said about one post or term. Empty strings: nothing said."""

    title: str = ""
    description: str = ""
    canonical: str = ""
    noindex: bool = False
    keyword: str = ""
    images: tuple[str, ...] = ()  # absolute URLs as the plugin kept them (the media step maps them)
    warnings: tuple[str, ...] = ()

    def front_matter(self) -> dict[str, object]:
        """The `seo` map: title, canonical, noindex, keyword (only those that are set)."""
        out: dict[str, object] = {}
        for key in ("title", "canonical", "keyword"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.noindex:
            out["noindex"] = True
        return out


def post_seo(item: Item, index: SiteIndex, description: Callable[[], str] = str) -> Seo:
    """An item's SEO data. `description()`: the item's own (excerpt or start of text), for
    `%%excerpt%%` (only worked out for items with SEO data)."""
    meta = _first_values(item.postmeta)
    if not any(key in meta for key in KEYS):
        return Seo()
    categories = [t.name for t in item.terms if t.taxonomy == "category"]
    tags = [t.name for t in item.terms if t.taxonomy == "post_tag"]
    author = index.authors.get(item.creator)
    values = {
        "title": title_text(item.title),
        "excerpt": description(),
        "excerpt_only": summarize(plain_text(decode_entities(item.excerpt))) if item.excerpt.strip() else "",
        "category": decode_entities(categories[0]) if categories else "",
        "tag": ", ".join(decode_entities(t) for t in tags),
        "date": item.post_date[:10] if item.post_date[:4].isdigit() and item.post_date[:4] != "0000" else "",
        "author": decode_entities(author.display_name if author else item.creator),
        "post_type": item.post_type,
    }
    return _read(meta, index, values, _attachment_urls(index))


def term_seo(term: Term, index: SiteIndex) -> Seo:
    """A term's SEO data, from its `wp:termmeta` (Rank Math, SEOPress and Yoast's per-term keys;
    Yoast 14+ keeps term data in an option the export leaves out). For the term pages."""
    meta = _first_values(term.meta)
    if not any(key in meta for key in KEYS):
        return Seo()
    values = {
        "term": decode_entities(term.name),
        "title": decode_entities(term.name),
        "term_description": summarize(plain_text(decode_entities(term.description))),
    }
    return _read(meta, index, values, _attachment_urls(index))


def image_refs(meta: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(image URLs, attachment ids) the SEO plugins name in one item's postmeta: pass 1 hands them
    to the media step with the body's own."""
    found = _first_values(meta)
    urls = [found.get(k, "").strip() for p in PLUGINS for k in p.images]
    urls.append(_aioseop_image(found).strip())
    ids = [found.get(k, "").strip() for p in PLUGINS for k in p.image_ids]
    return tuple(dict.fromkeys(u for u in urls if u.startswith(("http://", "https://", "//")))), tuple(
        dict.fromkeys(int(i) for i in ids if i.isdigit())
    )


def _first_values(meta: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in meta:
        out.setdefault(key, value)
    return out


def _attachment_urls(index: SiteIndex) -> Callable[[str], str]:
    def url(text: str) -> str:
        text = text.strip()
        attachment = index.attachments.get(int(text)) if text.isdigit() else None
        return attachment.url if attachment else ""

    return url


def _read(
    meta: Mapping[str, str], index: SiteIndex, values: dict[str, str], attachment_url: Callable[[str], str]
) -> Seo:
    values = {
        **values,
        "sitename": decode_entities(index.site_title).strip(),
        "sitedesc": decode_entities(index.site_tagline).strip(),
        "sep": SEPARATOR,
        "page": "",  # one page of a paged post: the migrated file is the whole post
    }
    warnings: list[str] = []
    title = description = canonical = keyword = ""
    noindex = False
    images: list[str] = []
    for plugin in PLUGINS:
        plugin_values = {**values, "keyword": _keyword(_first(meta, plugin.keyword))}
        if not title:
            title = _expand(plugin, "title", _first(meta, plugin.title), plugin_values, warnings)
        if not description:
            for key in plugin.description:
                description = _expand(plugin, "description", meta.get(key, ""), plugin_values, warnings)
                if description:
                    break
        canonical = canonical or _first(meta, plugin.canonical)
        keyword = keyword or plugin_values["keyword"]
        noindex = noindex or plugin.noindex(meta)
        for key in plugin.images:
            images.append(meta.get(key, "").strip())
        for key in plugin.image_ids:
            images.append(attachment_url(meta.get(key, "")))
        if plugin.name == "All in One SEO":
            images.append(_aioseop_image(meta).strip())
    return Seo(
        title=title,
        description=description,
        canonical=canonical if canonical.startswith(("http://", "https://", "/")) else "",
        noindex=noindex,
        keyword=keyword,
        images=tuple(dict.fromkeys(u for u in images if u.startswith(("http://", "https://", "//")))),
        warnings=tuple(warnings),
    )


def _first(meta: Mapping[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = meta.get(key, "").strip()
        if value:
            return value
    return ""


def _keyword(raw: str) -> str:
    """The focus keyword (Rank Math and AIOSEO keep several, comma-separated or as JSON: the first)."""
    if raw.startswith(("{", "[")):
        match = re.search(r'"keyphrase"\s*:\s*"([^"]*)"', raw)
        raw = match.group(1) if match else ""
    return " ".join(raw.split(",")[0].split())


def _expand(plugin: Plugin, what: str, text: str, values: Mapping[str, str], warnings: list[str]) -> str:
    """`text` with the plugin's variables replaced; "" (and a warning) when one is unknown."""
    if not text.strip():
        return ""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        ours = plugin.names.get(name)
        if ours is None or ours not in values:
            if plugin.name == "All in One SEO" and "_" not in name:
                return match.group(0)  # a hashtag, not a variable
            unknown.append(match.group(0))
            return ""
        return values[ours]

    expanded = plugin.variable.sub(replace, text)
    if unknown:
        named = ", ".join(unknown)
        warnings.append(f"{plugin.name} {what} {text.strip()!r} dropped: unknown variable {named}")
        return ""
    expanded = " ".join(decode_entities(expanded).split())
    # A variable that came out empty (%%page%% on a one-page post) leaves its separator dangling.
    sep = re.escape(SEPARATOR)
    expanded = re.sub(rf"^(?:{sep}\s*)+|(?:\s*{sep})+$", "", expanded)
    expanded = re.sub(rf"{sep}(\s*{sep})+", SEPARATOR, expanded)
    return expanded.strip()


def _php(text: str) -> object:
    if not text.strip().startswith("a:"):
        return None
    try:
        return phpserial.loads(text)
    except phpserial.PHPSerialError:
        return None

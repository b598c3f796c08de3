"""The site's configuration: `hugo.toml` (Jekyll: `_config.yml`), from the export and the content.

Written when the folder has no configuration of its own (Hugo's lookup: `hugo.toml|yaml|yml|json`,
`config.toml|yaml|yml|json`, a `config/` folder; Jekyll: `_config.yml|yaml|toml`). The tool
replaces a configuration only while it holds the bytes the tool wrote (the manifest records them);
one the user wrote or edited is never touched: the run reports the keys it lacks that the content
needs (`markup.goldmark.renderer.unsafe` when files keep raw HTML, custom taxonomies, menus, the
theme, the Disqus shortname) and writes the whole suggestion to `.wxr-migrate/hugo.suggested.toml`
(Jekyll: `.wxr-migrate/_config.suggested.yml`).

The contract with the theme (what `themes/wxr-starter/` may read from the configuration):

| key                        | what it holds                                                      |
|----------------------------|--------------------------------------------------------------------|
| `title`                    | the channel's title, plain text                                    |
| `params.description`       | the channel's description (tagline), plain text                    |
| `params.mainSections`      | `["posts"]`: the section the home page lists                       |
| `pagination.pagerSize`     | 10, WordPress's default posts per page                             |
| `menus.main`               | the main menu (site/menus.py); other menus by their slug           |
| `services.disqus.shortname`| with `--disqus-shortname NAME` only                                |
| `languages.<code>`         | a Polylang site's languages and their menus (plugins/polylang.py)  |

Decisions written out explicitly rather than left to Hugo's defaults:
- `summaryLength = 55`: WordPress's excerpt length in words (Hugo's default is 70).
- Typographer on (`markup.goldmark.extensions.typographer.disable = false`): WordPress's
  wptexturize made quotes curly and `--` a dash when it showed a post; the stored text has the
  straight ones, so Hugo's typographer shows what readers saw.
- `unsafe = true` only when some file keeps raw HTML (Hugo would drop it otherwise).
- No `[markup.goldmark.parser.attribute]`: the converters never write `{…}` attribute syntax and
  escape a literal `{` in headings, so Hugo's defaults read every file right.
- Embeds: YouTube in privacy-enhanced mode (youtube-nocookie.com), Vimeo and X with Do Not Track,
  Instagram in its simple (no-script) form, each only when some file embeds it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import tomli_w
import yaml

from ..convert import decode_entities, plain_text
from ..convert.guarded import guarded
from ..document import terms_by_key
from ..models import Channel, ItemTerm
from ..plugins import polylang
from ..settings import Settings
from ..write import dump_yaml

HUGO_CONFIG = "hugo.toml"
JEKYLL_CONFIG = "_config.yml"
HUGO_SUGGESTED = "hugo.suggested.toml"
JEKYLL_SUGGESTED = "_config.suggested.yml"
# Hugo's own lookup order for a site's configuration (a `config/` folder counts too).
HUGO_LOOKUP = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
JEKYLL_LOOKUP = ("_config.yml", "_config.yaml", "_config.toml")
THEME = "wxr-starter"
PAGER_SIZE = 10  # WordPress's default posts_per_page
SUMMARY_LENGTH = 55  # WordPress's default excerpt_length, in words
MAIN_SECTIONS = ("posts",)
# Embeds the converters write (convert/embeds.py) → Hugo's privacy settings for them.
EMBED_PRIVACY = {
    "youtube": {"privacyEnhanced": True},
    "vimeo": {"enableDNT": True},
    "x": {"enableDNT": True},
    "instagram": {"simple": True},
}
# Asked of every file the run converts: skipped without `{{<`, and written to start with a `{`
# (not a look-behind) so the regex engine skips to it: `(?<![\\{])\{\{<…`, tests/test_site.py.
_EMBED_CALL = guarded(r"\{(?<![\\{]\{)\{<\s*(youtube|vimeo|x|instagram)\s", "{{<")


def embeds_in(markdown: str) -> list[str]:
    """The embed shortcodes a file calls (sorted), for the privacy settings."""
    return sorted(set(_EMBED_CALL.findall(markdown)))


@dataclass
class SiteFacts:
    """What the configuration is made of: the export's channel, the options, and what the content
    uses (gathered from every item's notes, converted this run or not)."""

    channels: list[Channel] = field(default_factory=list)
    base_urls: tuple[str, ...] = ()
    terms_used: set[ItemTerm] = field(default_factory=set)
    raw_html_files: int = 0  # files that keep raw HTML
    embeds: set[str] = field(default_factory=set)
    menus: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    theme: bool = False  # the starter theme is written
    disqus_shortname: str = ""
    languages: list[polylang.Language] = field(default_factory=list)  # Polylang's, default first
    language_menus: dict[str, dict[str, list[dict[str, object]]]] = field(default_factory=dict)  # by code


def _channel_text(channels: list[Channel], name: str) -> str:
    for channel in channels:
        text = plain_text(decode_entities(getattr(channel, name))).strip()
        if text:
            return " ".join(text.split())
    return ""


def base_url(facts: SiteFacts, settings: Settings) -> str:
    """`--new-base-url`, else the old site's, with a trailing slash ("/" when neither is known)."""
    url = settings.new_base_url or (facts.base_urls[0] if facts.base_urls else "")
    return url.rstrip("/") + "/"


def taxonomies(facts: SiteFacts, settings: Settings) -> dict[str, str]:
    """Hugo's `[taxonomies]`: singular → the front matter key (category, tag, and every custom one)."""
    internal = polylang.LANGUAGE if facts.languages else ""  # in the file names, not a taxonomy
    keys = ["categories", "tags", *terms_by_key(settings.map_terms(facts.terms_used), internal)]
    out: dict[str, str] = {}
    for key in dict.fromkeys(keys):
        written = next(iter(settings.apply_keys({key: True})), "")
        if written:
            out[{"categories": "category", "tags": "tag"}.get(key, key)] = written
    return out


def hugo_config(facts: SiteFacts, settings: Settings) -> dict[str, object]:
    config: dict[str, object] = {"baseURL": base_url(facts, settings)}
    language = _channel_text(facts.channels, "language")
    if language:
        config["locale"] = language  # Hugo 0.158 renamed languageCode (deprecated: a warning)
    config["title"] = _channel_text(facts.channels, "title") or "My blog"
    if facts.theme:
        config["theme"] = THEME
    config["summaryLength"] = SUMMARY_LENGTH
    description = _channel_text(facts.channels, "description")
    params: dict[str, object] = {"description": description} if description else {}
    config["params"] = {**params, "mainSections": list(MAIN_SECTIONS)}
    config["pagination"] = {"pagerSize": PAGER_SIZE}
    config["taxonomies"] = taxonomies(facts, settings)
    goldmark: dict[str, object] = {}
    if facts.raw_html_files:
        goldmark["renderer"] = {"unsafe": True}
    goldmark["extensions"] = {"typographer": {"disable": False}}
    config["markup"] = {"goldmark": goldmark}
    privacy = {name: dict(EMBED_PRIVACY[name]) for name in sorted(facts.embeds) if name in EMBED_PRIVACY}
    if privacy:
        config["privacy"] = privacy
    if facts.disqus_shortname:
        config["services"] = {"disqus": {"shortname": facts.disqus_shortname}}
    if facts.menus:
        config["menus"] = {name: entries for name, entries in sorted(facts.menus.items())}
    config.update(_languages(facts))
    return config


def _languages(facts: SiteFacts) -> dict[str, object]:
    """`defaultContentLanguage` and `[languages.<code>]`, each with its menus ({} for one language)."""
    table = polylang.hugo_config(facts.languages)
    for code, language in table.get("languages", {}).items():  # type: ignore[union-attr]
        menus = facts.language_menus.get(code)
        if menus:
            language["menus"] = {name: entries for name, entries in sorted(menus.items())}
    return table


def jekyll_config(facts: SiteFacts, settings: Settings) -> dict[str, object]:
    url = urlsplit(base_url(facts, settings))
    config: dict[str, object] = {"title": _channel_text(facts.channels, "title") or "My blog"}
    description = _channel_text(facts.channels, "description")
    if description:
        config["description"] = description
    config["url"] = f"{url.scheme}://{url.netloc}" if url.netloc else ""
    config["baseurl"] = url.path.rstrip("/")
    language = _channel_text(facts.channels, "language")
    if language:
        config["lang"] = language
    config["excerpt_separator"] = "<!--more-->"
    config["paginate"] = PAGER_SIZE
    config["plugins"] = ["jekyll-feed", "jekyll-redirect-from", "jekyll-archives"]
    keys = taxonomies(facts, settings)
    archives = [k for k in ("categories", "tags") if k in keys.values()]
    config["jekyll-archives"] = {"enabled": archives} if archives else {}
    if facts.disqus_shortname:
        config["disqus"] = {"shortname": facts.disqus_shortname}
    return config


def render_hugo(config: dict[str, object]) -> str:
    return (
        "# Written by wxr-migrate; yours to edit (a re-run never overwrites an edited file).\n"
        + tomli_w.dumps(config)
    )


def render_jekyll(config: dict[str, object]) -> str:
    return (
        "# Written by wxr-migrate; yours to edit (a re-run never overwrites an edited file).\n"
        + dump_yaml(config)
    )


def find_existing(root: Path, target: str) -> str:
    """The site's configuration file (or `config` folder) relative to `root`, "" when it has none."""
    names = JEKYLL_LOOKUP if target == "jekyll" else (*HUGO_LOOKUP, "config")
    for name in names:
        path = root / name
        if path.is_file() or (name == "config" and path.is_dir()):
            return name
    return ""


def needed_keys(config: dict[str, object]) -> list[str]:
    """The dotted keys of `config` the content cannot do without (the rest are conveniences)."""
    out = []
    goldmark = config.get("markup", {}).get("goldmark", {})  # type: ignore[union-attr]
    if goldmark.get("renderer", {}).get("unsafe"):
        out.append("markup.goldmark.renderer.unsafe")
    for singular in config.get("taxonomies", {}):  # type: ignore[union-attr]
        if singular not in ("category", "tag"):
            out.append(f"taxonomies.{singular}")
    for name in config.get("menus", {}):  # type: ignore[union-attr]
        out.append(f"menus.{name}")
    if "defaultContentLanguage" in config:
        out.append("defaultContentLanguage")
    for code, language in config.get("languages", {}).items():  # type: ignore[union-attr]
        out.append(f"languages.{code}")
        out += [f"languages.{code}.menus.{name}" for name in language.get("menus", {})]
    if "theme" in config:
        out.append("theme")
    if "services" in config:
        out.append("services.disqus.shortname")
    if "disqus" in config:
        out.append("disqus.shortname")
    return out


def read_existing(root: Path, name: str) -> dict[str, object] | None:
    """An existing configuration's keys (lower-cased: Hugo's are case-insensitive), None when it
    cannot be read (a `config/` folder, a file that does not parse)."""
    path = root / name
    try:
        if name.endswith(".toml"):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        elif name.endswith((".yaml", ".yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        elif name.endswith(".json"):
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            return None
    except (OSError, ValueError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return _lower(data) if isinstance(data, dict) else None


def _lower(data: object) -> object:
    if isinstance(data, dict):
        return {str(k).lower(): _lower(v) for k, v in data.items()}
    return data


def lacking(existing: dict[str, object] | None, needed: Iterable[str]) -> list[str]:
    """The needed keys `existing` does not set (all of them when it could not be read)."""
    out = []
    for key in needed:
        node: object = existing
        for part in key.lower().split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or node is False:
            out.append(key)
    return out

"""Hugo or Jekyll: where files go, what the front matter keys are called, which format it is in.

Pure functions over the plan and one document's front matter. The plan is made for Hugo
(`content/…`); `place` moves it for the target and for settings that change URLs, before anything
is rendered, so links, reports and redirect maps all see the final paths and URLs.

Jekyll: posts are `_posts/YYYY-MM-DD-slug.md` (the local publication day), drafts
`_drafts/slug.md`, pages and other types at their path from the site root. `permalink` (always
written, so every URL is known) replaces `url`, `redirect_from` (jekyll-redirect-from) replaces
`aliases`, `wordpress_id` replaces `id` (Jekyll's own `page.id` hides a front matter `id`),
`published: false` replaces `draft: true`, and `layout` is `post` or `page`. Media keep the
`wp-content/uploads/…` path of the old site: Jekyll copies folders that do not start with `_` as
they are, and the old URLs of images keep working.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import MutableMapping
from dataclasses import dataclass, replace

from .plan import Entry, Plan, hugo_url
from .settings import Settings, SettingsError
from .tomlfm import render_toml_document
from .write import render_document


@dataclass(frozen=True)
class Layout:
    name: str
    url_key: str  # the front matter key holding the page's URL
    data_dir: str  # comments go to DATA_DIR/comments/ID.yaml
    static_dir: str  # files served as they are ("" is the site root)
    feed: str  # the new site's main feed

    def term_url(self, key: str, name: str) -> str:
        """A taxonomy term's archive page on the new site (`key`: categories, tags…)."""
        if self.name == "jekyll":  # jekyll-archives' defaults: /category/:name/, /tag/:name/
            return f"/{_JEKYLL_ARCHIVES.get(key, key)}/{jekyll_slugify(name)}/"
        return f"/{key}/{hugo_urlize(name)}/"

    def term_feed(self, key: str, name: str) -> str:
        """A term's feed; Jekyll has none, so its archive page."""
        url = self.term_url(key, name)
        return url if self.name == "jekyll" else url + "index.xml"


HUGO = Layout("hugo", "url", "data", "static", "/index.xml")
JEKYLL = Layout("jekyll", "permalink", "_data", "", "/feed.xml")  # jekyll-feed's default
_JEKYLL_ARCHIVES = {"categories": "category", "tags": "tag"}
_JEKYLL_NOT_ALNUM = re.compile(r"[^\w]+|_+")
_HUGO_KEPT = frozenset("./\\_#+~-@")
_JEKYLL_KEYS = {"url": "permalink", "aliases": "redirect_from", "id": "wordpress_id"}


def hugo_urlize(name: str) -> str:
    """The path segment Hugo makes of a term name (checked against Hugo 0.168 in the tests):
    letters, digits, marks and `./\\_#+~-@` kept, each space a `-`, the rest dropped, lower case."""
    out: list[str] = []
    for i, ch in enumerate(name):
        kind = unicodedata.category(ch)
        if ch.isspace():
            out.append("-")
        elif ch in _HUGO_KEPT or kind[0] in "LM" or kind == "Nd" or _percent_escape(name, i):
            out.append(ch)
    return "".join(out).lower()


def _percent_escape(name: str, i: int) -> bool:
    return name[i] == "%" and bool(re.fullmatch(r"[0-9a-fA-F]{2}", name[i + 1 : i + 3]))


def jekyll_slugify(name: str) -> str:
    """Jekyll's `slugify` (default mode): runs of non-alphanumerics become `-`, lower case."""
    return _JEKYLL_NOT_ALNUM.sub("-", name).strip("-").lower()


def layout(settings: Settings) -> Layout:
    return JEKYLL if settings.target == "jekyll" else HUGO


def check(settings: Settings) -> None:
    """Refuse settings that would leave page URLs unknown."""
    if settings.target == "jekyll" and "permalink" in settings.omit:
        raise SettingsError(
            "[front_matter] omit: permalink is needed for Jekyll (its own URLs depend on _config.yml)"
        )


def place(plan: Plan, settings: Settings) -> Plan:
    """The plan with the target's paths and, when `url` is omitted, Hugo's own URLs.

    Without `url` a page moves to its section URL (`/posts/slug/`): links in bodies follow it and
    the old permalink becomes an alias, so it still answers.
    """
    jekyll = settings.target == "jekyll"
    moved = not jekyll and "url" in settings.omit
    if not jekyll and not moved:
        return plan
    # The plan's tables are rewritten in place, a row at a time (they are the run's SQLite file).
    targets = plan.index.targets
    assert isinstance(targets, MutableMapping) and isinstance(plan.index.targets_by_path, MutableMapping)
    for ordinal, entry in plan.entries.items():
        if moved:
            new_url = hugo_url(entry.path, entry.language)
            aliases = entry.aliases + ((entry.url,) if entry.url and entry.url != new_url else ())
            entry = replace(entry, url=new_url, aliases=aliases)
            targets[entry.item_id] = replace(targets[entry.item_id], url=new_url)
        else:
            url = targets[entry.item_id].url  # the old permalink, else Hugo's path URL
            entry = replace(entry, path=jekyll_path(entry), url=url)
        plan.entries[ordinal] = entry
    by_path = plan.index.targets_by_path
    for path, target in by_path.items():
        by_path[path] = targets[target.id]
    return plan


def jekyll_path(entry: Entry) -> str:
    """`content/posts/slug.md` → `_posts/2011-10-03-slug.md` (or `_drafts/slug.md`); pages and
    other types keep their path below the site root."""
    rel = entry.path.removeprefix("content/")
    if entry.post_type != "post":
        return rel
    name = rel.rpartition("/")[2]
    if entry.draft:
        return f"_drafts/{name}"
    return f"_posts/{entry.day or '1970-01-01'}-{name}"


def front_matter(meta: dict[str, object], entry: Entry, settings: Settings) -> dict[str, object]:
    """Hugo's front matter as the target names it, then the config's renames and omissions."""
    if settings.target == "jekyll":
        meta = _jekyll(meta, entry)
    elif "url" in settings.omit:
        meta.pop("url", None)  # `place` moved the page; it stays at Hugo's URL
    return settings.apply_keys(meta)


def _jekyll(meta: dict[str, object], entry: Entry) -> dict[str, object]:
    out: dict[str, object] = {"layout": "post" if entry.post_type == "post" else "page"}
    for key, value in meta.items():
        if key == "section":
            continue
        if key == "draft":
            out["published"] = False
        else:
            out[_JEKYLL_KEYS.get(key, key)] = value
    return out


def render(meta: dict[str, object], body: str, settings: Settings) -> str:
    """The file's text in the chosen front matter format."""
    if settings.target == "jekyll" and ("{{" in body or "{%" in body):
        meta = {**meta, "render_with_liquid": False}  # Liquid would run `{{ … }}` in the text
    if settings.front_matter == "toml":
        return render_toml_document(meta, body)
    return render_document(meta, body)

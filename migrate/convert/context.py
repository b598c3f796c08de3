"""The per-document state the converters share: site index, tokens, and what to report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..models import SiteIndex
from . import hugo, links
from .placeholders import Placeholders


@dataclass
class Context:
    """Made fresh for each body by `convert_body`; tests build one with `Context.for_text`."""

    index: SiteIndex
    store: Placeholders
    post_id: int = 0
    media_url: Callable[[str], str] | None = None
    warnings: list[str] = field(default_factory=list)
    unknown_shortcodes: set[str] = field(default_factory=set)
    raw_html: list[str] = field(default_factory=list)
    # Links to pages of the old site the export does not hold, left absolute on it (links.py).
    not_migrated: list[str] = field(default_factory=list)
    shortcode_rules: Mapping[str, str] = field(default_factory=dict)  # the config's [shortcodes]
    # "hugo" or "jekyll": the generator whose syntax the body is written in. Jekyll files that hold
    # `{{` or `{%` get `render_with_liquid: false` (targets.render), so nothing needs escaping there.
    target: str = "hugo"
    # Is a newline in the text a line break? In classic-editor posts it is (wpautop makes it `<br>`);
    # in block-editor posts, whose HTML is final, it is a space like any other.
    line_breaks: bool = True

    @classmethod
    def for_text(
        cls,
        text: str,
        index: SiteIndex | None = None,
        *,
        post_id: int = 0,
        media_url: Callable[[str], str] | None = None,
    ) -> Context:
        return cls(index or SiteIndex(), Placeholders(text), post_id, media_url)

    @property
    def hugo(self) -> bool:
        return self.target != "jekyll"

    def escape_prose(self, text: str) -> str:
        """Markdown text with literal `{{<`/`{{%` made safe from Hugo (see hugo.escape_prose)."""
        return hugo.escape_prose(text) if self.hugo else text

    def escape_raw_html(self, markup: str) -> str:
        return hugo.escape_raw_html(markup) if self.hugo else markup

    def url(self, url: str, *, embedded: bool = False) -> str:
        """A URL from the body as it should read on the new site (see `links.rewrite_url`)."""
        return links.rewrite_url(
            url, self.index, self.media_url, embedded=embedded, not_migrated=self.link_not_migrated
        )

    def rewrite_html(self, markup: str) -> str:
        """`markup` with its URL attributes as they should read on the new site."""
        return links.rewrite_html(markup, self.index, self.media_url, self.link_not_migrated)

    def link_not_migrated(self, url: str) -> None:
        if url not in self.not_migrated:
            self.not_migrated.append(url)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def keep_raw(self, description: str) -> None:
        if description not in self.raw_html:
            self.raw_html.append(description)

"""HTML that Markdown cannot say, and HTML that must not survive.

- `<iframe>`, `<video>`, `<audio>`, `<object>`/`<embed>`: a YouTube/Vimeo player becomes Hugo's
  shortcode; anything else is kept as raw HTML (Hugo needs `markup.goldmark.renderer.unsafe`) and
  listed in the report, so someone can look at it.
- `<script>`/`<style>`: dropped with a warning (a migrated page should not run old widgets' code).
- `<!--more-->` is Hugo's summary divider too: kept on a line of its own. `<!--nextpage-->` (post
  pagination) has no Hugo equivalent: removed with a warning.
"""

from __future__ import annotations

import html
import re

from . import embeds, hugo
from .context import Context
from .tags import attrs

_SCRIPT_STYLE = re.compile(r"<(script|style)\b([^>]*)>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->", re.IGNORECASE)
_NEXTPAGE = re.compile(r"<!--nextpage-->", re.IGNORECASE)
_EMBEDDED = re.compile(
    r"<(iframe|video|audio|object)\b[^>]*>.*?</\1\s*>|<embed\b[^>]*>", re.IGNORECASE | re.DOTALL
)
_URLS = re.compile(r"""(?:src|data|value|movie)\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def drop_scripts(markup: str, ctx: Context) -> str:
    def drop(m: re.Match[str]) -> str:
        src = attrs(f"<{m.group(1)}{m.group(2)}>").get("src", "")
        ctx.warn(f"<{m.group(1).lower()}>{' ' + src if src else ''} dropped")
        return ""

    return _SCRIPT_STYLE.sub(drop, markup)


def protect_more(markup: str, ctx: Context) -> str:
    if "<!--" not in markup:
        return markup
    if _NEXTPAGE.search(markup):
        ctx.warn("<!--nextpage--> page breaks removed: Hugo has no paged posts")
        markup = _NEXTPAGE.sub("\n\n", markup)
    return _MORE.sub(lambda m: ctx.store.block("<!--more-->"), markup)


def protect_embedded(markup: str, ctx: Context) -> str:
    """Players and media elements → a Hugo shortcode, or raw HTML tokens listed in `ctx.raw_html`."""

    def replace(m: re.Match[str]) -> str:
        element = m.group(0)
        tag = (m.group(1) or "embed").lower()
        urls = _URLS.findall(element)
        for url in urls:
            call = embeds.provider_shortcode(url)
            if call:
                return ctx.store.block(call)
        ctx.keep_raw(f"{tag} {html.unescape(urls[0])}" if urls else tag)
        kept = _BLANK_LINES.sub("\n", element.strip())  # a blank line would end the HTML block
        return ctx.store.block(hugo.escape_raw_html(kept))

    return _EMBEDDED.sub(replace, markup)

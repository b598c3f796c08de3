"""HTML that Markdown cannot say, and HTML that must not survive.

- `<iframe>`, `<video>`, `<audio>`, `<object>`/`<embed>`: a YouTube/Vimeo player becomes Hugo's
  shortcode (a Dailymotion one the provider's current player); anything else is kept as raw HTML
  (Hugo needs `markup.goldmark.renderer.unsafe`) and listed in the report, so someone can look at it.
- `<script>`/`<style>`: dropped with a warning (a migrated page should not run old widgets' code).
- `<!--more-->` is Hugo's summary divider too: kept on a line of its own, after the link it was
  written in (`<a><img><!--more--></a>`: a divider inside would split the link in two paragraphs).
  `<!--nextpage-->` (post pagination) has no Hugo equivalent: removed with a warning.
- `keeps_html`: does the finished Markdown hold raw HTML at all (gallery wrappers, `<sup>`, a table
  kept as HTML, not only the players listed above)? The site's hugo.toml needs `unsafe` then, or
  Hugo drops it; asked of the text itself so nothing a converter keeps can be missed.
"""

from __future__ import annotations

import html
import re

from . import embeds
from .context import Context
from .guarded import guarded
from .tags import attrs, pair_up, replace_pairs

_SCRIPT_OPEN = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</(script|style)\s*>", re.IGNORECASE)
_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->", re.IGNORECASE)
# A divider with no `<a` between it and the next `</a>`: it is inside that link.
_MORE_IN_LINK = re.compile(
    r"(<!--more(?:\s[^>]*?)?-->)((?:[^<]|<(?!a\b|/a\s*>)[^<>]*>)*</a\s*>)", re.IGNORECASE
)
_NEXTPAGE = re.compile(r"<!--nextpage-->", re.IGNORECASE)
_PLAYER_OPEN = re.compile(r"<(iframe|video|audio|object|embed)\b[^>]*>", re.IGNORECASE)
_PLAYER_CLOSE = re.compile(r"</(iframe|video|audio|object)\s*>", re.IGNORECASE)
# Code Goldmark prints as text: fenced blocks, then code spans (a run of backticks to the same run).
# Each starts with a character, not a look-behind, so that the regex engine can skip to it (the
# same matches as the forms in tests/test_convert_body.py), and is skipped when the text lacks it.
_FENCED = guarded(
    r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)",
    "```",
    "~~~",
    flags=re.MULTILINE | re.DOTALL,
)
_CODE_SPAN = guarded(r"(`(?<!``)`*)(?!`).+?(?<!`)\1(?!`)", "`", flags=re.DOTALL)
# What CommonMark reads as raw HTML: an open or close tag, a comment, a declaration or a
# processing instruction. Not `\<` (escaped), not `{{<` (a shortcode), not `<https://…>`
# (an autolink: no space, `/` or `>` right after its scheme).
_RAW_HTML = re.compile(
    r"<(?<![\\{]<)(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|!--|![A-Za-z]|\?)", re.DOTALL
)
_EMBED = re.compile(r"<embed\b[^>]*>", re.IGNORECASE)
_URLS = re.compile(r"""(?:src|data|value|movie)\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def _tag_name(m: re.Match[str]) -> str:
    return m.group(1).lower()


def drop_scripts(markup: str, ctx: Context) -> str:
    if "<s" not in markup and "<S" not in markup:
        return markup

    def drop(m: re.Match[str], _inner: str, _close: re.Match[str]) -> str:
        src = attrs(m.group(0)).get("src", "")
        ctx.warn(f"<{m.group(1).lower()}>{' ' + src if src else ''} dropped")
        return ""

    pairs = pair_up(markup, _SCRIPT_OPEN, _SCRIPT_CLOSE, _tag_name, _tag_name)
    markup = replace_pairs(markup, pairs, drop)
    # An unclosed <script> would make html2text drop all the text after it: drop the tag only.
    return _SCRIPT_OPEN.sub("", markup)


def protect_more(markup: str, ctx: Context) -> str:
    if "<!--" not in markup:
        return markup
    if _NEXTPAGE.search(markup):
        ctx.warn("<!--nextpage--> page breaks removed: Hugo has no paged posts")
        markup = _NEXTPAGE.sub("\n\n", markup)
    if "</a" in markup or "</A" in markup:
        markup = _MORE_IN_LINK.sub(r"\2\1", markup)
    return _MORE.sub(lambda m: ctx.store.block("<!--more-->"), markup)


def protect_embedded(markup: str, ctx: Context) -> str:
    """Players and media elements → a Hugo shortcode, or raw HTML tokens listed in `ctx.raw_html`."""
    if "<" not in markup:
        return markup

    def keep(element: str, tag: str) -> str:
        urls = _URLS.findall(element)
        for url in urls:
            call = embeds.provider_embed(html.unescape(url), ctx)
            if call:
                return ctx.store.block(call)
        ctx.keep_raw(f"{tag} {html.unescape(urls[0])}" if urls else tag)
        kept = _BLANK_LINES.sub("\n", element.strip())  # a blank line would end the HTML block
        return ctx.store.block(ctx.escape_raw_html(kept))

    def element(m: re.Match[str], inner: str, close: re.Match[str]) -> str:
        return keep(m.group(0) + inner + close.group(0), m.group(1).lower())

    pairs = pair_up(markup, _PLAYER_OPEN, _PLAYER_CLOSE, _tag_name, _tag_name)
    markup = replace_pairs(markup, pairs, element)
    return _EMBED.sub(lambda m: keep(m.group(0), "embed"), markup)  # the void <embed> on its own


def keeps_html(markdown: str) -> bool:
    """Does Markdown text hold raw HTML outside code (Hugo drops it unless `unsafe` is set)?"""
    if "<" not in markdown:
        return False
    text = _CODE_SPAN.sub("", _FENCED.sub("", markdown)).replace("<!--more-->", "")  # Hugo's divider
    return _RAW_HTML.search(text) is not None

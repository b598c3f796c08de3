"""Gutenberg (block editor) bodies: block comments out, the few blocks that need it rendered.

A body is a block body when it holds `<!-- wp:… -->` comments. WordPress then skips wpautop, so the
HTML is already final; the comments are markup for the editor only and go. Self-closing dynamic
blocks (`<!-- wp:latest-posts /-->`) are rendered by PHP at view time, so they vanish with them.

A cover block shows its text over a background image. From WordPress 5.7 on the image is an
`<img>`, which converts like any image; before, and with a fixed or repeated background, it is
only a CSS `background-image` (the block's `url` attribute), which Markdown cannot keep: such a
cover gets that image as an `<img>` before its text, so neither is lost.
"""

from __future__ import annotations

import html
import json
import re

from . import embeds
from .autop import wpautop
from .context import Context

# WordPress's block parser grammar, simplified: `<!-- wp:ns/name {"json"} /-->`, openers and closers.
_BLOCK_COMMENT = re.compile(
    r"<!--\s+/?wp:(?:[a-z][a-z0-9_-]*/)?[a-z][a-z0-9_-]*\s+(?:\{[^<>]*?\}\s+)?/?-->"
)
_IS_BLOCKS = re.compile(r"<!--\s+/?wp:[a-z]")
# render_block_core_shortcode() is `wpautop($content)`: the Shortcode block gets paragraphs.
_SHORTCODE_BLOCK = re.compile(r"<!--\s+wp:shortcode\s+-->(.*?)<!--\s+/wp:shortcode\s+-->", re.DOTALL)
_EMBED_WRAPPER = re.compile(
    r"<div class=\"wp-block-embed__wrapper\">\s*(https?://[^\s<>\"]+)\s*</div>", re.IGNORECASE
)


# A cover block's comment (its attributes) and the opening tag of its element.
_COVER = re.compile(r"<!--\s+wp:cover\s+(\{[^<>]*?\})?\s*-->(\s*<div\b[^>]*>)")
_BACKGROUND_IMAGE = re.compile(r"""background-image\s*:\s*url\(\s*["']?([^"')]+)""", re.IGNORECASE)
_SHOWN_MEDIA = re.compile(r"<(?:img|video)\b", re.IGNORECASE)


def is_block_content(markup: str) -> bool:
    return _IS_BLOCKS.search(markup) is not None


def strip_block_comments(markup: str) -> str:
    return _BLOCK_COMMENT.sub("", markup)


def convert_blocks(markup: str, ctx: Context) -> str:
    """Block comments removed; Shortcode blocks autop'd; embed blocks → embeds or links; cover
    blocks whose image is only a CSS background get it as an image."""
    markup = _SHORTCODE_BLOCK.sub(lambda m: wpautop(m.group(1)), markup)
    if "wp:cover" in markup:
        markup = _COVER.sub(lambda m: _cover(m, markup), markup)
    markup = _EMBED_WRAPPER.sub(lambda m: ctx.store.block(embeds.embed_markdown(m.group(1), ctx)), markup)
    return strip_block_comments(markup)


def _cover(m: re.Match[str], markup: str) -> str:
    """A cover's opening with its background image added as an `<img>` when it shows none."""
    following = markup.find("<!--", m.end())  # its inner blocks, or its end
    own = m.group(2) + markup[m.end() : following if following >= 0 else len(markup)]
    if _SHOWN_MEDIA.search(own):
        return m.group(0)  # an <img> (WordPress ≥ 5.7) or a <video> background: already shown
    try:
        attrs = json.loads(m.group(1) or "{}")
    except ValueError:
        attrs = {}
    attrs = attrs if isinstance(attrs, dict) else {}
    background = _BACKGROUND_IMAGE.search(own)
    url = html.unescape(background.group(1)).strip() if background else ""
    if not url and attrs.get("backgroundType", "image") == "image" and isinstance(attrs.get("url"), str):
        url = attrs["url"]
    if not url:
        return m.group(0)  # a colour only
    alt = attrs.get("alt") if isinstance(attrs.get("alt"), str) else ""
    return m.group(0) + f'<img src="{html.escape(url)}" alt="{html.escape(alt)}">'

"""Gutenberg (block editor) bodies: block comments out, the few blocks that need it rendered.

A body is a block body when it holds `<!-- wp:… -->` comments. WordPress then skips wpautop, so the
HTML is already final; the comments are markup for the editor only and go. Self-closing dynamic
blocks (`<!-- wp:latest-posts /-->`) are rendered by PHP at view time, so they vanish with them.
"""

from __future__ import annotations

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


def is_block_content(markup: str) -> bool:
    return _IS_BLOCKS.search(markup) is not None


def strip_block_comments(markup: str) -> str:
    return _BLOCK_COMMENT.sub("", markup)


def convert_blocks(markup: str, ctx: Context) -> str:
    """Block comments removed; Shortcode blocks autop'd; embed blocks → embeds or links."""
    markup = _SHORTCODE_BLOCK.sub(lambda m: wpautop(m.group(1)), markup)
    markup = _EMBED_WRAPPER.sub(lambda m: ctx.store.block(embeds.embed_markdown(m.group(1), ctx)), markup)
    return strip_block_comments(markup)

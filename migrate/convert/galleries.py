"""Galleries (`[gallery]` shortcodes, Gutenberg gallery blocks) → a `<div class="gallery">` of figures.

WordPress shows a gallery as a grid of images, each with its caption: the attachment's excerpt for
`[gallery]`, the image's `<figcaption>` in a block. Markdown has no grid; a block's `<ul>` of images
read as a bulleted list, and plain images lost their captions. So each image is the figure it
stands for (figures.py: Hugo's `figure` shortcode, or a `<figure>` for Jekyll), and the gallery is a
`<div class="gallery">` around them that a theme can lay out as a grid. For Hugo the figures sit
between blank lines inside the div (raw HTML, as iframes are: goldmark ends an HTML block at a
blank line, so the shortcodes and the gallery's own caption, a paragraph at the end, are Markdown
again); for Jekyll the whole gallery is HTML, which kramdown passes through.

Links: an image linked to its attachment page (WordPress's default) goes to the image file instead,
since the new site has no attachment pages (links.py); one linked to its file keeps that link; one
not linked gets none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import figures
from .context import Context
from .tags import strip_tags

# The block's outer element: `<figure class="wp-block-gallery …">` (WordPress ≥ 5.3, and the nested
# image blocks of ≥ 5.9) or `<ul class="wp-block-gallery …">` (5.0–5.2).
_GALLERY_OPEN = re.compile(
    r"""<(figure|ul)\b[^>]*?\bclass\s*=\s*["'][^"']*\bwp-block-gallery\b[^>]*>""", re.IGNORECASE
)

_FIGURE_OR_LIST = re.compile(r"<(/?)(figure|ul)\b[^>]*>", re.IGNORECASE)


def gallery_markup(items: Sequence[str], caption_html: str, ctx: Context) -> str:
    """The gallery of `items` (figures from `figures.figure_markup`) with the gallery's caption."""
    if ctx.hugo:
        caption = figures.caption_markdown(caption_html, ctx)
        return "\n\n".join(['<div class="gallery">', *items, *([caption] if caption else []), "</div>"])
    caption = figures.caption_html_line(caption_html, ctx)
    caption_line = [f'<p class="gallery-caption">{caption}</p>'] if caption else []
    return "\n".join(['<div class="gallery">', *items, *caption_line, "</div>"])


def convert_galleries(markup: str, ctx: Context) -> str:
    """Every Gutenberg gallery (its HTML, block comments or not) → one gallery token."""
    if "wp-block-gallery" not in markup:
        return markup
    closing = _closing_tags(markup)
    out: list[str] = []
    pos = 0
    for m in _GALLERY_OPEN.finditer(markup):
        close = closing.get(m.start())
        if m.start() < pos or close is None:
            continue  # inside a gallery already converted, or never closed (left as it is)
        out += [markup[pos : m.start()], _gallery(markup[m.end() : close.start()], ctx)]
        pos = close.end()
    out.append(markup[pos:])
    return "".join(out)


def _gallery(inner: str, ctx: Context) -> str:
    items: list[str] = []
    for m in figures.INNERMOST_FIGURE.finditer(inner):
        item = _image(m.group(2), ctx)
        if item:
            items.append(item)
    if not items:
        ctx.warn("gallery with no images left out")
        return ""
    own_caption = figures.FIGCAPTION.search(figures.INNERMOST_FIGURE.sub("", inner))
    return ctx.store.block(gallery_markup(items, own_caption.group(1) if own_caption else "", ctx))


def _image(figure_inner: str, ctx: Context) -> str | None:
    """One image's figure: its `<img>`, the link around it and its `<figcaption>`."""
    caption = figures.FIGCAPTION.search(figure_inner)
    rest = figure_inner[: caption.start()] + figure_inner[caption.end() :] if caption else figure_inner
    parts = figures.split_image(rest)
    if parts is None:
        return None
    caption_html = caption.group(1) if caption and strip_tags(caption.group(1)).strip() else ""
    return figures.figure_call(parts[0], parts[1], caption_html, ctx)


def _closing_tags(markup: str) -> dict[int, re.Match[str]]:
    """Where each `<figure>`/`<ul>` starts → the tag that closes it (galleries nest figures in a
    figure), found in one pass with a stack per tag name; unclosed elements are left out."""
    open_at: dict[str, list[int]] = {"figure": [], "ul": []}
    closing: dict[int, re.Match[str]] = {}
    for m in _FIGURE_OR_LIST.finditer(markup):
        stack = open_at[m.group(2).lower()]
        if not m.group(1):
            stack.append(m.start())
        elif stack:
            closing[stack.pop()] = m
    return closing

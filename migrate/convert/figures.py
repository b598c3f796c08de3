"""Images with captions (`[caption]`, `<figure>` + `<figcaption>`) → Hugo's built-in `figure`.

`{{< figure src="THUMB" alt="…" caption="…" link="FULL" >}}`: src is the image WordPress showed,
link only when the image was wrapped in a link. The caption is Markdown (Hugo markdownifies it), so
links and emphasis in it survive. Jekyll has no such shortcode: there the figure is written as the
HTML `<figure>` it stands for, its caption as HTML on one line (kramdown passes HTML blocks through).
"""

from __future__ import annotations

import html
import re

from . import hugo, markdown
from .context import Context
from .entities import collapse_double_encoding, decode_entities
from .tags import IMG, attrs, has_tag, strip_tags

_MAX_NESTING = 6
# A <figure> with no <figure> inside it: galleries nest figures, innermost are done first.
INNERMOST_FIGURE = re.compile(r"<figure\b([^>]*)>((?:(?!<figure\b|</figure\s*>).)*)</figure\s*>", re.I | re.S)
_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a\s*>", re.I)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption\s*>", re.I | re.S)


def caption_markdown(caption_html: str, ctx: Context) -> str:
    """A caption's HTML as one line of Markdown, links rewritten, `{{<` escaped, tokens restored."""
    if not caption_html.strip():
        return ""
    text = markdown.inline_markdown(_caption_links(caption_html, ctx), ctx.store.prefix)
    return ctx.store.restore(ctx.store.map_text(text, ctx.escape_prose))


def _caption_links(caption_html: str, ctx: Context) -> str:
    """A caption's HTML with entities collapsed once and its links rewritten for the new site."""
    return ctx.rewrite_html(collapse_double_encoding(caption_html))


def figure_call(img_tag: str, href: str, caption_html: str, ctx: Context) -> str | None:
    """The figure for one `<img>` tag, or None if it has no src."""
    img = attrs(img_tag)
    src = img.get("src", "").strip()
    if not src:
        return None
    return figure_markup(src, decode_entities(img.get("alt", "")).strip(), href, caption_html, ctx)


def figure_markup(src: str, alt: str, href: str, caption_html: str, ctx: Context) -> str:
    """One image as the target's figure: `src` and `href` as found (rewritten here), `alt` as text."""
    if not ctx.hugo:
        return _figure_html(ctx.url(src), alt, href, caption_html, ctx)
    return hugo.shortcode(
        "figure",
        markdown=("caption",),
        src=ctx.url(src),
        alt=alt,
        caption=caption_markdown(caption_html, ctx),
        link=ctx.url(href) if href.strip() else "",
    )


def caption_html_line(caption_html: str, ctx: Context) -> str:
    """A caption's HTML for a Jekyll body: links rewritten, on one line ("" when empty)."""
    if not caption_html.strip():
        return ""
    return " ".join(ctx.store.restore(_caption_links(caption_html, ctx)).split())


def _figure_html(src: str, alt: str, href: str, caption_html: str, ctx: Context) -> str:
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if href.strip():
        image = f'<a href="{html.escape(ctx.url(href))}">{image}</a>'
    caption = caption_html_line(caption_html, ctx)
    return f"<figure>{image}" + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>"


def split_image(fragment: str) -> tuple[str, str, str] | None:
    """(img tag, link href, the rest) when `fragment` holds exactly one image, else None."""
    images = IMG.findall(fragment)
    if len(images) != 1:
        return None
    linked = _LINKED_IMG.search(fragment)
    if linked:
        href = attrs(linked.group(0)).get("href", "")
        return images[0], href, fragment[: linked.start()] + fragment[linked.end() :]
    start = fragment.find(images[0])
    return images[0], "", fragment[:start] + fragment[start + len(images[0]) :]


def _figure(m: re.Match[str], ctx: Context) -> str:
    inner = m.group(2)
    caption = FIGCAPTION.search(inner)
    if not caption or not strip_tags(caption.group(1)).strip():
        return m.group(0)  # an image without caption: html2text's plain ![alt](src) is right
    parts = split_image(inner[: caption.start()] + inner[caption.end() :])
    if parts is None or strip_tags(parts[2]).strip():
        return m.group(0)  # not a captioned image (a table, a video, several images…)
    call = figure_call(parts[0], parts[1], caption.group(1), ctx)
    return ctx.store.block(call) if call else m.group(0)


def convert_figures(markup: str, ctx: Context) -> str:
    """Every `<figure>` holding one image and a `<figcaption>` → a figure shortcode token."""
    if not has_tag(markup, "figure"):
        return markup
    for _ in range(_MAX_NESTING):
        converted = INNERMOST_FIGURE.sub(lambda m: _figure(m, ctx), markup)
        if converted == markup:
            break
        markup = converted
    return markup

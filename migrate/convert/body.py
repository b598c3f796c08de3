"""One post body: WordPress HTML → Hugo Markdown. The only place the steps meet.

Order matters: code is protected first (nothing may touch it), shortcodes next (they hold raw text
and HTML that autop must not break), galleries (before anything sees their figures one by one),
then WordPress's own paragraphs (classic editor only), block cleanup, links, what Markdown cannot
say kept as HTML (after links, so its links are rewritten too), tables, html2text; tokens come back
last, after Hugo's `{{<` escaping of the prose.

A body written in Textile or Markdown (see sourcemarkup.py) takes another road: Textile stands in
for wpautop (fromtextile.py), Markdown is kept as written (frommarkdown.py).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..models import SiteIndex
from . import (
    blocks,
    code,
    figures,
    frommarkdown,
    fromtextile,
    galleries,
    htmlblock,
    markdown,
    rawhtml,
    shortcodes,
    tables,
)
from .autop import wpautop
from .context import Context
from .entities import collapse_double_encoding
from .sourcemarkup import HTML, MARKDOWN, TEXTILE, choose


@dataclass(frozen=True)
class BodyResult:
    markdown: str  # ends with exactly one newline, or "" for an empty body
    unknown_shortcodes: tuple[str, ...] = ()  # names kept verbatim, sorted, unique
    raw_html: tuple[str, ...] = ()  # short descriptions of raw HTML kept ("iframe https://…")
    warnings: tuple[str, ...] = ()
    markup: str = HTML  # what the body was converted as: html, textile or markdown
    keeps_html: bool = False  # the Markdown holds raw HTML (Hugo needs `unsafe`, see rawhtml.py)
    not_migrated: tuple[str, ...] = ()  # links to old pages the export lacks, left absolute (links.py)


def convert_body(
    html_text: str,
    index: SiteIndex,
    *,
    post_id: int = 0,
    media_url: Callable[[str], str] | None = None,
    shortcodes: Mapping[str, str] | None = None,
    target: str = "hugo",
    source_markup: str = HTML,
    wordpress_com: bool = False,
) -> BodyResult:
    """Convert one `content:encoded` body. Deterministic; never raises.

    `shortcodes`: the config's table, name → "keep", "drop" or a template (see shortcodes.py).
    `target`: "hugo" (shortcodes, `{{<` escaped) or "jekyll" (plain HTML for figures and players).
    `source_markup`: "html" (the default: comments, excerpts), "textile", "markdown" or "auto"
    (detected; `wordpress_com`: the export is WordPress.com's, always HTML, see sourcemarkup.py)."""
    if not html_text or not html_text.strip():
        return BodyResult("")
    text = html_text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    markup = choose(source_markup, text, wordpress_com=wordpress_com)
    ctx = Context.for_text(text, index, post_id=post_id, media_url=media_url)
    ctx.shortcode_rules = shortcodes or {}
    ctx.target = target
    try:
        result = _convert(text, ctx, markup)
    except Exception as error:  # noqa: BLE001 - a body must never stop a migration
        return _fallback(text, error, ctx, markup)
    return BodyResult(
        markdown=result + "\n" if result else "",
        unknown_shortcodes=tuple(sorted(ctx.unknown_shortcodes)),
        raw_html=tuple(ctx.raw_html),
        warnings=tuple(ctx.warnings),
        markup=markup,
        keeps_html=rawhtml.keeps_html(result),
        not_migrated=tuple(ctx.not_migrated),
    )


def _convert(text: str, ctx: Context, markup: str = HTML) -> str:
    if markup == MARKDOWN:
        return frommarkdown.keep_markdown(text, ctx)
    is_blocks = markup == HTML and blocks.is_block_content(text)
    ctx.line_breaks = not is_blocks
    text = code.protect_code(text, ctx)
    text = rawhtml.drop_scripts(text, ctx)
    text = rawhtml.protect_more(text, ctx)
    text = shortcodes.convert_shortcodes(text, ctx)
    text = galleries.convert_galleries(text, ctx)
    if markup == TEXTILE:  # Textile's own code (`@x@`, `bc.`) comes out as HTML code: protected too
        text = code.protect_code(fromtextile.textile_to_html(text, ctx), ctx)
    else:
        text = blocks.convert_blocks(text, ctx) if is_blocks else wpautop(text)
    text = collapse_double_encoding(text)
    text = figures.convert_figures(text, ctx)
    text = ctx.rewrite_html(text)
    text = rawhtml.protect_embedded(text, ctx)
    text = htmlblock.keep_reversed_lists(text, ctx)
    text = tables.convert_tables(text, ctx)
    text = markdown.html_to_markdown(ctx.store.unwrap_paragraphs(text), ctx.store.prefix, ctx.store.has_block)
    text = ctx.store.map_text(text, ctx.escape_prose)
    return ctx.store.restore(text).strip("\n")


def _fallback(text: str, error: Exception, ctx: Context, markup: str) -> BodyResult:
    """The body as plain text, so nothing is lost, with a warning saying conversion failed."""
    plain = ctx.escape_prose(markdown.escape_text(html.unescape(text)))
    return BodyResult(
        markdown=plain.strip("\n") + "\n" if plain.strip() else "",
        warnings=(f"conversion failed ({type(error).__name__}: {error}); body kept as escaped text",),
        markup=markup,
    )

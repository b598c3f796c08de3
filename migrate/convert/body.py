"""One post body: WordPress HTML → Hugo Markdown. The only place the steps meet.

Order matters: code is protected first (nothing may touch it), shortcodes next (they hold raw text
and HTML that autop must not break), then WordPress's own paragraphs (classic editor only), block
cleanup, links, html2text; tokens come back last, after Hugo's `{{<` escaping of the prose.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..models import SiteIndex
from . import blocks, code, figures, links, markdown, rawhtml, shortcodes
from .autop import wpautop
from .context import Context
from .entities import collapse_double_encoding


@dataclass(frozen=True)
class BodyResult:
    markdown: str  # ends with exactly one newline, or "" for an empty body
    unknown_shortcodes: tuple[str, ...] = ()  # names kept verbatim, sorted, unique
    raw_html: tuple[str, ...] = ()  # short descriptions of raw HTML kept ("iframe https://…")
    warnings: tuple[str, ...] = ()


def convert_body(
    html_text: str,
    index: SiteIndex,
    *,
    post_id: int = 0,
    media_url: Callable[[str], str] | None = None,
    shortcodes: Mapping[str, str] | None = None,
    target: str = "hugo",
) -> BodyResult:
    """Convert one `content:encoded` body. Deterministic; never raises.

    `shortcodes`: the config's table, name → "keep", "drop" or a template (see shortcodes.py).
    `target`: "hugo" (shortcodes, `{{<` escaped) or "jekyll" (plain HTML for figures and players)."""
    if not html_text or not html_text.strip():
        return BodyResult("")
    text = html_text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    ctx = Context.for_text(text, index, post_id=post_id, media_url=media_url)
    ctx.shortcode_rules = shortcodes or {}
    ctx.target = target
    try:
        result = _convert(text, ctx)
    except Exception as error:  # noqa: BLE001 - a body must never stop a migration
        return _fallback(text, error, ctx)
    return BodyResult(
        markdown=result + "\n" if result else "",
        unknown_shortcodes=tuple(sorted(ctx.unknown_shortcodes)),
        raw_html=tuple(ctx.raw_html),
        warnings=tuple(ctx.warnings),
    )


def _convert(text: str, ctx: Context) -> str:
    is_blocks = blocks.is_block_content(text)
    text = code.protect_code(text, ctx)
    text = rawhtml.drop_scripts(text, ctx)
    text = rawhtml.protect_more(text, ctx)
    text = shortcodes.convert_shortcodes(text, ctx)
    text = blocks.convert_blocks(text, ctx) if is_blocks else wpautop(text)
    text = collapse_double_encoding(text)
    text = figures.convert_figures(text, ctx)
    text = links.rewrite_html(text, ctx.index, ctx.media_url)
    text = rawhtml.protect_embedded(text, ctx)
    text = markdown.html_to_markdown(ctx.store.unwrap_paragraphs(text), ctx.store.prefix)
    text = ctx.store.map_text(text, ctx.escape_prose)
    return ctx.store.restore(text).strip("\n")


def _fallback(text: str, error: Exception, ctx: Context) -> BodyResult:
    """The body as plain text, so nothing is lost, with a warning saying conversion failed."""
    plain = ctx.escape_prose(markdown.escape_text(html.unescape(text)))
    return BodyResult(
        markdown=plain.strip("\n") + "\n" if plain.strip() else "",
        warnings=(f"conversion failed ({type(error).__name__}: {error}); body kept as escaped text",),
    )

"""Textile bodies → the HTML WordPress's Textile plugins showed, through the `textile` package.

Those plugins ran Textile where WordPress runs `wpautop`, so this stands in for it in the body
pipeline: code and shortcodes are tokens by then (Textile would curl the quotes of their attributes),
and what Textile makes (paragraphs, `<a>`, `<h2>`, `<blockquote>`, lists, `<img>`, `<code>`) goes
on through the same steps as any HTML body. Two things are made deterministic or kept that the
HTML steps would lose:
- footnotes (`text[1]` … `fn1. note`): Textile's ids embed a random uuid and html2text would drop
  the anchors, so they become Markdown footnotes (`[^1]`, `[^1]: note`), which Hugo renders;
- Textile is given no random link prefix at all, so the same body gives the same bytes every run.
"""

from __future__ import annotations

import re

import textile

from .autop import wpautop
from .context import Context

_FOOTNOTE_REF = re.compile(r'<sup class="footnote"[^>]*>(?:<a\b[^>]*>)?(\d+)(?:</a>)?</sup>')
_INDENT = re.compile(r"^\t+(?=<)", re.MULTILINE)  # Textile's pretty-printing, which html2text keeps
_FOOTNOTE = re.compile(r'<p class="footnote"[^>]*>(?:<a\b[^>]*>)?<sup>(\d+)</sup>(?:</a>)?\s*')


def textile_to_html(text: str, ctx: Context) -> str:
    """HTML for a Textile body (tokens in it pass through as words)."""
    parser = textile.Textile(html_type="html5")
    parser.linkPrefix = ""  # else a random uuid, in every footnote id
    try:
        markup = _INDENT.sub("", parser.parse(text))
    except Exception as error:  # noqa: BLE001 - the package's own bugs: `"x":a://[` (ValueError
        # from urlsplit), `0"":>` (AttributeError): read the body as HTML rather than fail it
        ctx.warn(f"Textile could not be read ({error}); body read as HTML")
        return wpautop(text)
    markup = _FOOTNOTE_REF.sub(lambda m: ctx.store.inline(f"[^{m.group(1)}]"), markup)
    return _FOOTNOTE.sub(lambda m: "<p>" + ctx.store.inline(f"[^{m.group(1)}]:") + " ", markup)

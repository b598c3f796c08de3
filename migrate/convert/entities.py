"""HTML character references: WordPress text is often encoded twice.

Old WordPress versions (and plugins that escaped on save) stored `&amp;#8230;` or `&amp;amp;` where
`&#8230;`/`&amp;` was meant, so one decoding pass leaves visible references behind. Decoding to a
fixed point (bounded, so hostile input cannot loop) gives the text the author saw.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

# Enough for any real multiple encoding (`&amp;amp;amp;amp;` is four levels); bounds the work.
_MAX_PASSES = 8

# `&amp;` followed by something that is itself a character reference.
_DOUBLE_ENCODED = re.compile(r"&amp;(#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")


def decode_entities(text: str) -> str:
    """Decode character references, double-encoded ones included (titles, names, excerpts).

    `&#8220;Diablo&#8221; vs &amp;amp; m&amp;aacute;s` → `“Diablo” vs & más`. Tags are left alone.
    """
    for _ in range(_MAX_PASSES):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _collapse(match: re.Match[str]) -> str:
    ref = match.group(1)
    if ref.startswith("#") or ref in html5:
        return "&" + ref
    return match.group(0)  # `&amp;foo;` with no such entity is literal text: keep it


def collapse_double_encoding(markup: str) -> str:
    """HTML with `&amp;#8230;`, `&amp;amp;` … reduced to one level of encoding.

    For markup (not text): after this, one HTML parse yields the decoded text, with `&lt;`/`&amp;`
    still protecting real markup characters. Not for code, where `&amp;lt;` may be meant literally.
    """
    if "&amp;" not in markup:
        return markup
    for _ in range(_MAX_PASSES):
        collapsed = _DOUBLE_ENCODED.sub(_collapse, markup)
        if collapsed == markup:
            break
        markup = collapsed
    return markup

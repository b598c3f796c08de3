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

# `&amp;` followed by something that is itself a character reference, with its `;` (WordPress always
# writes one; without it, `&amp;#9a` is the text "&#9a", not a tab).
_DOUBLE_ENCODED = re.compile(r"&amp;(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")


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


# A named reference in an attribute value, with what ends it: `;`, `=` or anything else.
_NAMED_IN_ATTRIBUTE = re.compile(r"&([A-Za-z][A-Za-z0-9]*)([;=]?)")


def unescape_attribute(value: str) -> str:
    """An attribute value as a browser reads it: html.unescape, except HTML5's rule for attributes
    that a name without its `;` followed by `=` or a letter or digit is text (`?a=1&copy=2` keeps
    `&copy=2`; in text it would be `©=2`). Names and what they stand for are the stdlib's."""
    if "&" not in value:
        return value

    def guard(m: re.Match[str]) -> str:
        name, end = m.group(1), m.group(2)
        if (end == ";" and name + ";" in html5) or (end != "=" and name in html5):
            return m.group(0)  # a reference: html.unescape decodes it
        return "&amp;" + m.group(0)[1:]

    return html.unescape(_NAMED_IN_ATTRIBUTE.sub(guard, value))


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

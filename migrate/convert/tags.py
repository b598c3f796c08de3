"""Tiny HTML helpers shared by the converters (regex-level: bodies are fragments, often malformed)."""

from __future__ import annotations

import html
import re

# An attribute inside a start tag: name, then an optional double-, single- or un-quoted value.
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?""")
_TAG_NAME = re.compile(r"<\s*([A-Za-z][\w:-]*)")
TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, names lower-cased, values entity-decoded; first one wins."""
    name = _TAG_NAME.match(tag)
    rest = tag[name.end() :] if name else tag
    rest = rest.rstrip(">").rstrip("/")
    found: dict[str, str] = {}
    for m in _ATTR.finditer(rest):
        key = m.group(1).lower()
        value = next((v for v in m.group(2, 3, 4) if v is not None), "")
        found.setdefault(key, html.unescape(value))
    return found


def strip_tags(markup: str) -> str:
    return TAG.sub("", markup)


def escape_attr(value: str) -> str:
    return html.escape(value, quote=True)

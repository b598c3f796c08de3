"""Double-encoded UTF-8 ("mojibake"): `CafÃ©` is `Café` whose UTF-8 bytes were once read as
Windows-1252 (MySQL's `latin1`) and encoded to UTF-8 again, typically by a database migration.

Only a run of characters that are exactly the Windows-1252 reading of one well-formed UTF-8
sequence is changed, and only when its bytes decode as UTF-8, so correct text, mixed text and text
in other scripts stay as they are.
"""

from __future__ import annotations

import codecs
import dataclasses
import re

from .models import Item

_HANDLER = "wxr-migrate-latin1"


def _c1_as_latin1(error: UnicodeError) -> tuple[bytes, int]:
    # Five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) have no Windows-1252 character; MySQL's latin1
    # reads them as the C1 controls U+0081…, which Latin-1 maps back to the same byte.
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    if any(ord(c) > 0xFF for c in chunk):
        raise error
    return chunk.encode("latin-1"), error.end


codecs.register_error(_HANDLER, _c1_as_latin1)

# What the bytes 0x80–0xBF (UTF-8 continuation bytes) look like once read as Windows-1252.
_CONTINUATION = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0))
_C = "[" + re.escape(_CONTINUATION) + "]"
_SEQUENCE = re.compile(f"[\u00c2-\u00df]{_C}|[\u00e0-\u00ef]{_C}{{2}}|[\u00f0-\u00f4]{_C}{{3}}")


def _decode(match: re.Match[str]) -> str:
    try:
        return match.group().encode("cp1252", errors=_HANDLER).decode("utf-8")
    except UnicodeError:
        return match.group()


def fix(text: str) -> str:
    """`text` with every double-encoded UTF-8 sequence decoded once (`CafÃ©` → `Café`)."""
    return text if text.isascii() else _SEQUENCE.sub(_decode, text)


def findings(item: Item) -> list[tuple[str, str, str]]:
    """(what, text, fixed text) for the item's title and terms that look double-encoded."""
    found = []
    for what, text in [("title", item.title)] + [(f"{t.taxonomy} term", t.name) for t in item.terms]:
        fixed = fix(text)
        if fixed != text:
            found.append((what, text, fixed))
    return found


def fix_item(item: Item) -> Item:
    """The item with its title, terms, text and excerpt fixed."""
    return dataclasses.replace(
        item,
        title=fix(item.title),
        content=fix(item.content),
        excerpt=fix(item.excerpt),
        terms=tuple(dataclasses.replace(t, name=fix(t.name)) for t in item.terms),
    )

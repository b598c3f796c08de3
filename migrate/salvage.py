"""`--salvage`: name the items of a broken export that the parser could not reach.

The XML parser stops at the first fatal error, so whatever follows it cannot be read as XML. A
plain text scan of the raw lines from the broken item on still finds each `<item>`'s id, type and
title (WordPress writes each on a line of its own), which is enough to tell a person exactly what
did not make it across.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import BinaryIO

from .models import UnreadItem

_TOKEN = re.compile(
    rb"<item[\s>]|</item>"
    rb"|<(title|wp:post_id|wp:post_type)>\s*(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?\s*</\1>"
)


def unread_items(
    open_export: Callable[[], AbstractContextManager[BinaryIO]],
    from_line: int,
    source: str,
    encoding: str = "utf-8",
    limit: int = 0,
) -> tuple[UnreadItem, ...]:
    """Every item whose `<item>` starts on `from_line` or later (the first `limit`, if given), by
    line, id, type and title. `open_export` gives the export's bytes (decompressed: see exportfile)."""
    found: list[UnreadItem] = []
    current: dict[str, str] | None = None
    start = 0
    with open_export() as raw:
        for number, line in enumerate(raw, 1):
            if number < from_line or (current is None and b"<item" not in line):
                continue
            for m in _TOKEN.finditer(line):
                token = m.group(0)
                if token.startswith(b"<item"):
                    current, start = {}, number
                elif token == b"</item>":
                    if current is not None:
                        found.append(_unread(current, start, source))
                    current = None
                    if len(found) == limit:
                        return tuple(found)
                elif current is not None:
                    current.setdefault(m.group(1).decode(), m.group(2).decode(encoding, "replace"))
    if current is not None:  # the file ends inside this item
        found.append(_unread(current, start, source))
    return tuple(found)


def _unread(fields: dict[str, str], line: int, source: str) -> UnreadItem:
    post_id = fields.get("wp:post_id", "").strip()
    return UnreadItem(
        source=source,
        line=line,
        id=int(post_id) if post_id.isdigit() else 0,
        title=html.unescape(fields.get("title", "")).strip(),
        post_type=fields.get("wp:post_type", "").strip(),
    )

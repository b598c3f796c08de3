"""What a person can do about an XML error: libxml2's words plus where it is and a likely cause.

Pure functions over the parser's message; the reader adds the file, line and column.
"""

from __future__ import annotations

SALVAGE = "; --salvage migrates the items read before it"

# (words in libxml2's message, the likely cause, whether --salvage can help)
_CAUSES: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (
        ("']]>' not allowed", "CData section not finished", "mismatch: encoded line"),
        "a ']]>' in the text (often an inline script's `// ]]>`) ended its CDATA section early",
        True,
    ),
    (
        ("EntityRef: expecting ';'", "xmlParseEntityRef: no name"),
        "an '&' that starts no entity: the text was not escaped, or was cut short (like '&am')",
        True,
    ),
    (
        ("Text node too long", "CData section too big", "huge text node"),
        "one text over 10,000,000 bytes; refused: no post is that long, the file is damaged or hostile",
        False,
    ),
    (
        ("Excessive depth",),
        "elements nested over 256 levels deep; refused: WXR needs fewer than 10",
        False,
    ),
    (
        ("amplification", "entity reference loop", "Detected an entity"),
        "entity expansion; refused",
        False,
    ),
    (
        ("Namespace prefix",),
        "the prefix is not one this tool knows, so it cannot declare it for you: declare it on <rss>",
        True,
    ),
    (
        ("Opening and ending tag mismatch",),
        "a tag is closed that is not the one open: the file was edited or damaged",
        True,
    ),
)


def explain(message: str, item: str, at_end: bool) -> tuple[str, bool]:
    """(message with its hint, whether --salvage can recover items before the error).

    `item` names the item the error is inside ("" when it is outside every item); `at_end` is true
    when the error is at the end of the file, which is what a cut-off export looks like.
    """
    if at_end:
        inside = item or "the <channel>, after the last complete item"
        return f"{message}; the file ends inside {inside}: was the export cut off?", True
    where = f" in {item}" if item else ""
    for words, cause, salvageable in _CAUSES:
        if any(w in message for w in words):
            return f"{message}{where}; {cause}", salvageable
    return f"{message}{where}", True

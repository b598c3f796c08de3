"""Emphasis that CommonMark closes, or none: what keeps `**` off the page.

html2text writes `*`/`**` wherever `<em>`/`<strong>` stand, so `<strong>Title&nbsp;</strong>`,
`<em> </em>` or `a<em>"b"</em>c` printed their asterisks. Two steps around it make every written
pair work: before html2text, spaces and line breaks just inside an inline tag move outside it
(`hoist_spaces`); html2text then writes stand-ins (`marker`) instead of the markers, and after it
`settle_emphasis` writes each pair only where CommonMark reads the opening run as left-flanking and
the closing one as right-flanking, within one paragraph; elsewhere the text stays, without markers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_INLINE = r"(?:em|i|u|strong|b|del|s|strike)"
# Spaces and line breaks: what may not touch the inside of an emphasis marker.
_GAP = r"(?:\s|<br\b[^>]*>)+"
_SPACE_AFTER_OPEN = re.compile(r"(<" + _INLINE + r"(?:\s[^>]*)?>)(" + _GAP + ")", re.IGNORECASE)
_SPACE_BEFORE_CLOSE = re.compile(r"(?<!\s)(" + _GAP + r")(</" + _INLINE + r"\s*>)", re.IGNORECASE)
# Is there any such gap? Starts with a literal `<`, so it is quick to rule out (most bodies).
_ANY_SPACE_BEFORE_CLOSE = re.compile(r"<(?:(?<=\s<)|(?<=[/r\"']><))/" + _INLINE + r"\s*>", re.IGNORECASE)
# The converter's stand-in for an emphasis marker: open or close, and the pair's number.
EMPHASIS_MARKER = re.compile("\x1b([oc])([0-9]+)\x1b")
_NBSP_REFERENCE = re.compile(r"&(?:nbsp|#0*160|#[xX]0*[aA]0)(?![0-9A-Za-z]);?")
_BLANK_LINE = re.compile(r"\n[ \t>]*\n")


def char_kind(char: str) -> str:
    """CommonMark's classes for delimiter runs: whitespace, punctuation or other. Text-node edges
    count as punctuation (what is next to them is unknown), which errs towards escaping."""
    if not char:
        return "p"
    if char.isspace():
        return "w"
    return "p" if unicodedata.category(char)[0] in "PS" else "o"


def hoist_spaces(markup: str) -> str:
    """`<em> a </em>` → ` <em>a</em> `, `<b>a<br></b>` → `<b>a</b><br>`: emphasis markers must
    touch their text (a closing one after a line break cannot close), and html2text
    would otherwise strip those spaces and guess where to put one back. U+00A0 counts as a space, so
    its references are read first: `<strong>Title&nbsp;</strong>` is a bold title and a space."""
    if "&" in markup:
        markup = _NBSP_REFERENCE.sub("\xa0", markup)
    for _ in range(3):  # nested inline tags: each pass moves spaces out by one level
        moved = _SPACE_AFTER_OPEN.sub(r"\2\1", markup)
        if _ANY_SPACE_BEFORE_CLOSE.search(moved):
            moved = _SPACE_BEFORE_CLOSE.sub(r"\2\1", moved)
        if moved == markup:
            break
        markup = moved
    return markup


def _side(char: str) -> str:
    """`char_kind` for the text next to a marker; the start or end of the text is a line's edge."""
    return char_kind(char) if char else "w"


def settle_emphasis(
    text: str, marks: list[str], tokens: str = "", has_block: Callable[[str], bool] | None = None
) -> str:
    """Emphasis markers written where they work, and dropped (their text kept) where they would not.

    `text` holds stand-ins (`EMPHASIS_MARKER`) for pair number N's markers `marks[N]`. A pair is
    written only when both markers are there, it holds some text and no blank line (paragraphs do not
    share emphasis), and CommonMark reads the opening
    run as left-flanking and the closing one as right-flanking: `**Title **`, `<strong> </strong>`
    or `a<em>"b"</em>c` would print their asterisks. Markers with no text between them form one
    delimiter run, so what flanks a run is the text on either side of all of it. A pair closed
    and the same kind reopened right there (`<b>a</b><b>b</b>`) is written as one.

    `tokens`: the prefix of placeholder tokens in `text` (see placeholders.py). What they stand for
    (a code span, a shortcode, raw HTML) starts and ends with punctuation, so that is what they count
    as next to a marker: `word**`code`**` cannot open. `has_block`: does a text hold a block token
    (a code block, an embed)? Emphasis around one would be split by its blank lines: dropped too.
    """
    if "\x1b" not in text:
        return text
    parts = EMPHASIS_MARKER.split(text)  # text, o/c, number, text, o/c, number, …, text
    texts = parts[::3]
    markers = [(parts[i], int(parts[i + 1])) for i in range(1, len(parts), 3)]
    # markers[k] stands between texts[k] and texts[k + 1].
    where: dict[tuple[str, int], int] = {}
    for k, marker in enumerate(markers):
        where.setdefault(marker, k)
    dropped: set[int] = set()
    for k in range(len(markers) - 1):  # `**a****b**` → `**ab**`: close A, open B, same kind
        (side, a), (next_side, b) = markers[k], markers[k + 1]
        if (side, next_side) == ("c", "o") and not texts[k + 1] and marks[a] == marks[b]:
            close_b = where.get(("c", b))
            if where.get(("c", a)) == k and where.get(("o", b)) == k + 1 and close_b is not None:
                dropped.update((k, k + 1))
                markers[close_b] = ("c", a)
                where[("c", a)] = close_b
                del where[("o", b)], where[("c", b)]

    # Each marker's run, as the index of the text before it and of the text after it (one pass each
    # way, so long runs of markers stay linear).
    run_before = list(range(len(markers)))
    for k in range(1, len(markers)):
        if not texts[k]:
            run_before[k] = run_before[k - 1]
    run_after = [k + 1 for k in range(len(markers))]
    for k in range(len(markers) - 2, -1, -1):
        if not texts[k + 1]:
            run_after[k] = run_after[k + 1]

    def around(k: int) -> tuple[str, str]:
        """The characters before and after the delimiter run holding markers[k]."""
        before, after = texts[run_before[k]], texts[run_after[k]]
        if tokens and (tokens in before or tokens in after):
            token_before = re.search(re.escape(tokens) + r"[0-9]+X$", before)
            token_after = after.startswith(tokens) and re.match(re.escape(tokens) + r"[0-9]+X", after)
            return ("p" if token_before else _side(before[-1:])), ("p" if token_after else _side(after[:1]))
        return _side(before[-1:]), _side(after[:1])

    keep: set[int] = set()
    for (side, pair), k in where.items():
        close = where.get(("c", pair))
        inside = "".join(texts[k + 1 : close + 1]) if side == "o" and close is not None else ""
        if not inside.strip() or _BLANK_LINE.search(inside) or (has_block and has_block(inside)):
            continue  # nothing to emphasize, or the pair would be in two paragraphs
        before, after = around(k)
        opens = after != "w" and (after != "p" or before in "wp")
        before, after = around(close)
        closes = before != "w" and (before != "p" or after in "wp")
        if opens and closes:
            keep.update((k, close))
    out = [texts[0]]
    for k, (_side_name, pair) in enumerate(markers):
        if k in keep and k not in dropped:
            out.append(marks[pair])
        out.append(texts[k + 1])
    return "".join(out)


def marker(start: bool, pair: int) -> str:
    """The stand-in html2text writes for pair number `pair`'s opening or closing marker."""
    return f"\x1b{'o' if start else 'c'}{pair}\x1b"

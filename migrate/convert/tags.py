"""Tiny HTML helpers shared by the converters (regex-level: bodies are fragments, often malformed)."""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable

from .entities import unescape_attribute

# An attribute inside a start tag: name, then an optional double-, single- or un-quoted value.
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?""")
_TAG_NAME = re.compile(r"<\s*([A-Za-z][\w:-]*)")
TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ELEMENT_TAGS: dict[str, re.Pattern[str]] = {}  # outer_elements' patterns, by element name
_TAG_STARTS: dict[str, re.Pattern[str]] = {}  # has_tag's patterns, by element name
_KELVIN = "\u212a"  # lower-cases to k


def attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, names lower-cased, values entity-decoded; first one wins."""
    name = _TAG_NAME.match(tag)
    rest = tag[name.end() :] if name else tag
    rest = rest.rstrip(">").rstrip("/")
    found: dict[str, str] = {}
    for m in _ATTR.finditer(rest):
        key = m.group(1).lower()
        value = next((v for v in m.group(2, 3, 4) if v is not None), "")
        found.setdefault(key, unescape_attribute(value))
    return found


def has_tag(markup: str, name: str) -> bool:
    """`"<" + name in markup.lower()` for a lower-case ASCII `name`, without lower-casing a copy of
    the text (slow for long non-ASCII texts): the characters whose lower() is an ASCII letter are
    that letter in either case, and the Kelvin sign for k (İ lowers to two characters)."""
    pattern = _TAG_STARTS.get(name)
    if pattern is None:
        classes = "".join(f"[{c}{c.upper()}{_KELVIN if c == 'k' else ''}]" for c in name)
        pattern = _TAG_STARTS[name] = re.compile("<" + classes)
    return pattern.search(markup) is not None


def strip_tags(markup: str) -> str:
    return TAG.sub("", markup)


def escape_attr(value: str) -> str:
    return html.escape(value, quote=True)


def pair_up(
    markup: str,
    opener: re.Pattern[str],
    closer: re.Pattern[str],
    open_key: Callable[[re.Match[str]], str],
    close_key: Callable[[re.Match[str]], str],
) -> list[tuple[re.Match[str], re.Match[str]]]:
    """Each opening tag with the first closing tag of the same kind after it, left to right.

    Like `<x>(.*?)</x>` but linear: with a regex, every unclosed opener would rescan to the end.
    Openers inside an earlier pair are skipped; openers without a closer are left out.
    """
    closers: dict[str, list[re.Match[str]]] = {}
    for m in closer.finditer(markup):
        closers.setdefault(close_key(m), []).append(m)
    if not closers:
        return []  # no opener is closed
    starts = {key: [m.start() for m in found] for key, found in closers.items()}
    pairs: list[tuple[re.Match[str], re.Match[str]]] = []
    pos = 0
    for m in opener.finditer(markup):
        key = open_key(m)
        if m.start() < pos or key not in starts:
            continue
        i = bisect.bisect_left(starts[key], m.end())
        if i < len(starts[key]):
            close = closers[key][i]
            pairs.append((m, close))
            pos = close.end()
    return pairs


def replace_pairs(
    markup: str,
    pairs: list[tuple[re.Match[str], re.Match[str]]],
    replace: Callable[[re.Match[str], str, re.Match[str]], str],
) -> str:
    """`markup` with each (opener, inner text, closer) replaced by `replace(...)`."""
    out: list[str] = []
    pos = 0
    for open_match, close_match in pairs:
        inner = markup[open_match.end() : close_match.start()]
        out += [markup[pos : open_match.start()], replace(open_match, inner, close_match)]
        pos = close_match.end()
    out.append(markup[pos:])
    return "".join(out)


def outer_elements(
    markup: str, name: str, wanted: Callable[[str], bool] = lambda start_tag: True
) -> list[tuple[int, int]]:
    """(start, end) of each outermost `<name …>…</name>` whose start tag is `wanted`, elements of the
    same name nested in it included. One never closed is left out."""
    pattern = _ELEMENT_TAGS.get(name)
    if pattern is None:
        pattern = _ELEMENT_TAGS[name] = re.compile(rf"<(/?){re.escape(name)}\b[^>]*>", re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for m in pattern.finditer(markup):
        if not m.group(1):
            if depth == 0:
                if not wanted(m.group(0)):
                    continue
                start = m.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, m.end()))
    return spans

"""Alphanumeric stand-ins for finished Markdown that later steps must not touch.

Code blocks, Hugo shortcodes, kept WordPress shortcodes and raw HTML are swapped for tokens like
`WxrQx12X` before autop and html2text run (html2text escapes or re-wraps what it does not know), and
swapped back at the end. Block tokens may land inside list items or blockquotes: their later lines
get the same container prefix, so a fenced code block stays inside its list item.

A token may also carry its value as HTML (code as `<code>`/`<pre>`), for the elements kept as raw
HTML blocks (a table Markdown cannot say): inside those, Markdown is not read, so a fenced block or
backquotes would show as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SEPARATOR = "\x00"  # marks where a blank line must separate a block from its neighbours
_MAX_DEPTH = 8  # values may hold tokens (a caption with inline code); bounded so nothing can loop
# Leading list markers / blockquote markers of a Markdown line, and the indentation of a list item's
# later paragraphs.
_CONTAINER = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$))*[ \t]*")


class Placeholders:
    """Token table for one document. Not shared between documents."""

    def __init__(self, source: str) -> None:
        # A prefix that does not occur in the input, so every occurrence later is one of ours.
        prefix = "WxrQx"
        while prefix in source:
            prefix = prefix[:-1] + "Qx"
        self.prefix = prefix
        self._pattern = re.compile(re.escape(prefix) + r"(\d+)X")
        self._in_paragraph = re.compile(r"<p>\s*(" + re.escape(prefix) + r"\d+X)\s*</p>")
        self._values: list[tuple[str, bool]] = []  # (markdown, is_block)
        self._html: dict[int, str] = {}  # token number → its value as HTML, where that differs

    def block(self, markdown: str, html: str | None = None) -> str:
        """Token for block content (code block, figure, embed): surrounded by blank lines.

        `html`: the same content as HTML, when the Markdown value would not work inside raw HTML."""
        return "\n\n" + self._add(markdown, True, html) + "\n\n"

    def inline(self, markdown: str, html: str | None = None) -> str:
        return self._add(markdown, False, html)

    def _add(self, markdown: str, block: bool, html: str | None = None) -> str:
        self._values.append((markdown, block))
        if html is not None:
            self._html[len(self._values) - 1] = html
        return f"{self.prefix}{len(self._values) - 1}X"

    def tokens(self, text: str) -> list[str]:
        return [m.group(0) for m in self._pattern.finditer(text)] if self.prefix in text else []

    def has_block(self, text: str) -> bool:
        """Does `text` hold a block token (directly)?"""
        return any(self._values[int(m.group(1))][1] for m in self._pattern.finditer(text))

    def value(self, token: str) -> str:
        """A token's Markdown with the tokens inside it restored."""
        m = self._pattern.fullmatch(token)
        return self.restore(self._values[int(m.group(1))][0]) if m else token

    def as_html(self, markup: str) -> str:
        """`markup` (HTML) with every token replaced by its HTML form, or by its value when that is
        already at home in HTML (raw HTML, Hugo shortcodes, plain text)."""
        for _ in range(_MAX_DEPTH):
            if self.prefix not in markup:
                break
            markup = self._pattern.sub(
                lambda m: self._html.get(int(m.group(1)), self._values[int(m.group(1))][0]), markup
            )
        return markup

    def unwrap_paragraphs(self, markup: str) -> str:
        """`<p>TOKEN</p>` → the bare token: html2text breaks a list item at a `<p>` inside it, and a
        token needs no paragraph of its own (restore puts blank lines around blocks)."""
        if self.prefix not in markup:
            return markup
        return self._in_paragraph.sub(r" \1 ", markup)

    def map_text(self, text: str, function: Callable[[str], str]) -> str:
        """Apply `function` to the text between tokens, leaving the tokens as they are."""
        if self.prefix not in text:
            return function(text)
        parts = self._pattern.split(text)  # text, number, text, number, …, text
        return "".join(
            function(part) if i % 2 == 0 else f"{self.prefix}{part}X" for i, part in enumerate(parts)
        )

    def restore(self, text: str) -> str:
        if self.prefix not in text:
            return text
        for _ in range(_MAX_DEPTH):
            if self.prefix not in text:
                break
            lines: list[str] = []
            prefix = self.prefix
            for line in text.split("\n"):
                if prefix in line:  # most lines hold no token: kept without a call
                    lines.extend(self._restore_line(line))
                else:
                    lines.append(line)
            text = "\n".join(lines)
        return _settle(text)

    def _restore_line(self, line: str) -> list[str]:
        if self.prefix not in line:
            return [line]
        for _ in range(_MAX_DEPTH):  # inline values may hold further tokens
            expanded = self._pattern.sub(self._inline_value, line)
            if expanded == line:
                break
            line = expanded
        blocks = [m for m in self._pattern.finditer(line) if self._values[int(m.group(1))][1]]
        if not blocks:
            return [line]
        lead = line[: blocks[0].start()]
        container = _CONTAINER.match(lead).group(0)  # type: ignore[union-attr]
        cont = "".join(c if c == ">" else " " for c in container)
        separator = _SEPARATOR + cont.rstrip()
        out: list[str] = []
        first = lead
        if lead.strip() and len(container) < len(lead.rstrip()):
            out.append(lead.rstrip())  # text before the block stays a line of its own
            first = cont
        previous = None
        for m in blocks:
            if previous is not None:
                between = line[previous.end() : m.start()].strip()
                if between:  # text between two blocks: a paragraph of its own
                    out += [separator, cont + between]
                first = cont
            value_lines = self._values[int(m.group(1))][0].split("\n")
            out.append(separator)
            # Code lines are kept exactly (no stripping); only empty lines lose the container's spaces.
            out.append(first + value_lines[0] if value_lines[0] else first.rstrip())
            out.extend(cont + v if v else cont.rstrip() for v in value_lines[1:])
            out.append(separator)
            previous = m
        trail = line[blocks[-1].end() :].strip()
        if trail:
            out.append(cont + trail)
        return out

    def _inline_value(self, m: re.Match[str]) -> str:
        value, block = self._values[int(m.group(1))]
        return m.group(0) if block else value


def _settle(text: str) -> str:
    """Turn separator marks into blank lines where a block touches other text; drop the rest."""
    if _SEPARATOR not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line.startswith(_SEPARATOR):
            out.append(line)
            continue
        j = i + 1
        while j < len(lines) and lines[j].startswith(_SEPARATOR):
            j += 1
        after = lines[j] if j < len(lines) else None
        if out and out[-1].strip(" >") and after is not None and after.strip(" >"):
            out[-1] = out[-1].rstrip(" ") if out[-1].endswith("  ") else out[-1]  # no hard break there
            out.append(line[1:])
    return "\n".join(out)

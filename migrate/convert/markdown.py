"""HTML → Markdown with html2text, configured once here, plus Markdown-safe text escaping.

html2text's callbacks are called from libxml2's tokenizer (htmlevents.py), not from `html.parser`.
Character references are decoded by that parser with HTML5's rules, not by html2text: its own
handler reads any `&word` as a reference and writes unknown ones back with a
`;` added (`Q&A` → `Q&A;`, `?page=2&order=asc` → `?page=2ℴ=asc`). A bare `&` is the character `&`,
as browsers read it.

html2text's own escaping is either too little (`escape_snob` off: `a *b*`, `<div>` from `&lt;div&gt;`
or `# x` at a paragraph start become markup) or far too much (on: every `.`, `!`, `(`). So text nodes
are escaped here instead, knowing the whole text node: only what Markdown would read as syntax.
Emphasis markers go through emphasis.py, which writes only pairs that CommonMark closes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.entities import html5

import html2text

from . import htmlevents
from .emphasis import EMPHASIS_MARKER, char_kind, hoist_spaces, marker, settle_emphasis
from .tags import BR

# A backslash that Markdown would read as an escape: before any ASCII punctuation (html2text's own
# matcher misses `=`, `:`, `<`, `|` and others, so `a\=b` lost its backslash).
_BACKSLASH_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# Delimiter runs: emphasis, and Hugo's strikethrough, which takes `~` as well as `~~`.
_EMPHASIS_RUN = re.compile(r"\*+|_+|~+")
# A `<` that ends a text node is escaped too: the next node may go on with a tag name
# (`SerialNumbered<span>&lt;</span><span>T</span>`, code highlighted a token a span).
_TAG_START = re.compile(r"<(?=[A-Za-z/!?]|$)")
_BRACKET_CLOSE = re.compile(r"\](?=\()")
_REFERENCE_DEFINITION = re.compile(r"^(\s*)\[(?=[^\]]+\]:)")
_FOOTNOTE = re.compile(r"\[(?=\^)")
# Block syntax that only counts at the start of a line: headings, quotes, list items, rules, and
# Hugo's definition lists (`term` then `: definition`).
_LINE_START = re.compile(r"^(\s*)(?:([#>+=])|([-:])(?=[\s-]|$)|(\d{1,9})([.)])(?=\s|$))")
# A line so far that the next text still begins: indentation, quote marks, list markers, and the `: `
# of a definition (a `#` after it would make a heading inside the definition).
_LINE_SO_FAR = re.compile(r"[ \t>]*(?:(?:[-*+:]|\d{1,9}[.)])[ \t]+)*$")
# A post is a fragment of a page's body: a browser ignores these tags there (parse errors). html2text
# goes quiet from `<head>` or a stray `</head>` to the next `<body>`, dropping the rest of the post.
_DOCUMENT_TAGS = frozenset({"html", "head", "body"})
# What a destination may not hold unbracketed (CommonMark): spaces, controls, `(`, `)`, `<`, `>`.
_NEEDS_BRACKETS = re.compile(r"[ \x00-\x1f\x7f()<>]")
_NOT_AUTOLINK = re.compile(r"[ \x00-\x1f\x7f<>\\]|&(?=#?[A-Za-z0-9]+;)")
_URL_NOISE = re.compile(r"[\t\n\r]")
# The converter's stand-in for a finished link destination, title or alt text (see _Converter.link_parts).
_LINK_PART = re.compile("\x1a([0-9]+)\x1a")
_EMPHASIS_MARKS = {"em": "*", "i": "*", "u": "*", "strong": "**", "b": "**"}
_HEADING_END = re.compile(r"(?<![\\#])#+(?=[ \t]*$)")  # not one escaped already (line start)
_BLANK_RUN = re.compile(r"\n{3,}")
# Every step of escape_text needs one of these characters, or block syntax at the start.
_SYNTAX_CHAR = re.compile(r"[\\`*_<\[\]~|{&]")
# `&` that Markdown would read as a character reference (`&copy;`, `&#169;`): escaped, it stays text.
_REFERENCE_LIKE = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|([A-Za-z][A-Za-z0-9]{0,31});)")
# html2text's stand-in for U+00A0: it folds the character itself into a space, not the stand-in.
_NBSP = "&nbsp_place_holder;"
# The tags html2text's handle_tag does anything for (html2text 2025.4; `h1`…`h9` are its headings).
# Any other tag only sets `current_tag`, ends `lastWasList` and lets out a held-back `[`: see
# _Converter.handle_tag, which also takes <p>, <div> and <br> the short way (a third of all tags).
_HTML2TEXT_TAGS = frozenset(
    ("p", "div", "br", "hr", "head", "style", "script", "body", "blockquote", "em", "i", "u", "strong")
    + ("b", "del", "strike", "s", "kbd", "code", "tt", "abbr", "q", "a", "img", "dl", "dt", "dd", "ol")
    + ("ul", "li", "table", "tr", "td", "th", "pre", "sup", "sub")
    + tuple(f"h{n}" for n in range(1, 10))
)
_PARAGRAPH_TAGS = frozenset(("p", "div"))
# The tags _Converter.handle_starttag / handle_endtag do something of their own for, and those it counts.
_OWN_START_TAGS = frozenset(("a", "abbr", "acronym", "br", "dl", "dt", "dd", "li", "img", *_EMPHASIS_MARKS))
_OWN_END_TAGS = frozenset(("a", "abbr", "acronym", "dl", "dt", "dd", "li", "ul", "ol", *_EMPHASIS_MARKS))
_COUNTED_TAGS = frozenset(("a", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"))
# What html2text's `o` makes of a run of white space in text (it compiles its pattern on each call).
_WHITESPACE_RUN = re.compile(r"\s+")


def _may_delimit(text: str, start: int, end: int) -> bool:
    """Could the run of `*`, `_` or `~` at `text[start:end]` open or close emphasis (CommonMark rules)?"""
    before = char_kind(text[start - 1] if start else "")
    after = char_kind(text[end] if end < len(text) else "")
    left = after != "w" and (after != "p" or before in "wp")
    right = before != "w" and (before != "p" or after in "wp")
    if text[start] in "*~":
        return left or right
    return (left and (not right or before == "p")) or (right and (not left or after == "p"))


def _line_start(m: re.Match[str]) -> str:
    if m.group(4):
        return m.group(1) + m.group(4) + "\\" + m.group(5)
    return m.group(1) + "\\" + (m.group(2) or m.group(3))


def escape_text(
    text: str,
    *,
    in_link: bool = False,
    in_table: bool = False,
    in_heading: bool = False,
    line_start: bool = True,
) -> str:
    """Backslash-escape the characters in a text node that Markdown would read as syntax.

    Ordinary punctuation stays as it is: `snake_case`, `3 * 4`, `[done]`, `1.5`, `(a)`, `a - b` need
    no escaping. `line_start`: the text begins a line, where `# `, `> `, `- `, `1. ` are syntax.
    """
    if _is_plain(text):
        return text
    text = _BACKSLASH_ESCAPE.sub(r"\\\\", text)  # a literal \ before punctuation
    if text.endswith("\\"):  # what follows the text node (`]`, a marker) would be escaped by it
        text += "\\"
    text = text.replace("`", "\\`")

    first = len(text) - len(text.lstrip())  # a `*` here starts a line: a bullet

    def delimiter(m: re.Match[str]) -> str:
        run = m.group(0)
        if _may_delimit(text, m.start(), m.end()) or (line_start and run[0] == "*" and m.start() <= first):
            return "".join("\\" + c for c in run)
        return run

    text = _EMPHASIS_RUN.sub(delimiter, text)
    text = _TAG_START.sub(r"\\<", text)
    text = _escape_references(text)
    if in_link:
        text = text.replace("[", "\\[").replace("]", "\\]")
    else:
        text = _BRACKET_CLOSE.sub(r"\\]", text)
        text = _FOOTNOTE.sub(r"\\[", text)
        if line_start:
            text = _REFERENCE_DEFINITION.sub(r"\1\\[", text, count=1)
    if line_start:
        text = _LINE_START.sub(_line_start, text, count=1)
    if in_table:
        text = text.replace("|", "\\|")
    if in_heading:
        text = text.replace("{", "\\{")  # Hugo reads `## Title {#id .class}` as attributes
        text = _HEADING_END.sub(r"\\\g<0>", text, count=1)  # `## C #` would lose its `#`: a closing run
    return text


def _escape_references(text: str) -> str:
    """`\\&` where Markdown would decode a reference: a number, or a name HTML5 has (`&copy;`)."""
    if "&" not in text:
        return text
    return _REFERENCE_LIKE.sub(lambda m: "&" if m.group(1) and m.group(1) + ";" not in html5 else "\\&", text)


def link_destination(url: str) -> str:
    """`url` as a Markdown link or image destination that reads back as the same URL.

    Tabs and newlines are dropped, as browsers do in URLs; `\\` and reference-like `&` are escaped;
    a URL with spaces, parentheses, `<`, `>` or control characters goes in `<…>` (CommonMark), where
    only those brackets need escaping."""
    url = _URL_NOISE.sub("", url).strip(" ")
    url = _escape_references(url.replace("\\", "\\\\"))
    if _NEEDS_BRACKETS.search(url):
        return "<" + url.replace("<", "\\<").replace(">", "\\>") + ">"
    return url


def link_title(title: str) -> str:
    """A link title as ` "…"` (with the space), or "" for none."""
    title = " ".join(title.split())
    if not title:
        return ""
    title = _escape_references(title.replace("\\", "\\\\").replace('"', '\\"'))
    return f' "{title}"'


def image_alt(alt: str) -> str:
    """Alt text for `![…]`: on one line, escaped like link text (a backtick there would open a code
    span running past the image)."""
    return escape_text(" ".join(alt.split()), in_link=True, line_start=False)


def collapse_whitespace(text: str) -> str:
    """Every run of white space (`\\s`, as html2text's `o` takes it) as one space."""
    if text.isprintable() and "  " not in text:  # the one printable white space is " ": no runs
        return text
    return _WHITESPACE_RUN.sub(" ", text)


def _is_plain(text: str) -> bool:
    """Would escape_text return `text` as it is, whatever its flags? (Most text nodes: prose.)"""
    return (
        _SYNTAX_CHAR.search(text) is None
        and _LINE_START.match(text) is None
        and not text.rstrip(" \t").endswith("#")
    )


class _Converter(html2text.HTML2Text):
    """html2text with whole-text-node escaping (see `escape_text`).

    html2text hands text over in pieces (every entity is a piece of its own), so pieces are buffered
    until the next tag and escaped together.
    """

    def __init__(self) -> None:
        super().__init__(bodywidth=0)
        self._pending: list[str] = []
        self._links = 0
        self._cells = 0
        self._headings = 0
        # Open list items and definitions, innermost last: (lists open when it started, the
        # indentation of its later lines, blockquotes open when it started).
        self._items: list[tuple[int, str, int]] = []
        self._marker = False  # html2text is writing a list marker: its own indentation is right
        self._after_definition = False
        self.emphasis_marks: list[str] = []  # emphasis pair number → `*` or `**`
        # Finished link destinations and alt texts: html2text gets a stand-in for each, since it
        # would write them with its own escaping (spaces, `(`, backticks and `&` unhandled).
        self.link_parts: list[str] = []
        self._open_marks: dict[str, list[int]] = {}  # tag → pairs opened and not yet closed

    def handle(self, data: str) -> str:
        """html2text's `handle`, tokenized by libxml2: references arrive decoded, so html2text's
        handle_entityref/handle_charref are never called."""
        self.start = True
        htmlevents.feed(self, data)
        return self.optwrap(self.finish())

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if self.pre or self.code:
            self._flush()
            super().handle_data(data.replace("\xa0", _NBSP), entity_char)
        else:
            self._pending.append(data)

    def _flush(self) -> None:
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending = []
        href = self.maybe_automatic_link
        # Text equal to its link's URL becomes `<URL>`, where nothing is escaped (`/~user`).
        autolink = href == text and self.absolute_url_matcher.match(text) and not _NOT_AUTOLINK.search(text)
        if not autolink and not _is_plain(text):  # else skip working out where the text stands
            text = escape_text(
                text,
                in_link=self._links > 0,
                in_table=self._cells > 0,
                in_heading=self._headings > 0,
                line_start=self._at_line_start(),
            )
        text = text.replace("\xa0", _NBSP)
        if href is not None and _NOT_AUTOLINK.search(href):
            # `<URL>` takes the URL literally, and ends at a space or `>`: write `[text](URL)`.
            self.o("[")
            self.maybe_automatic_link = None
            self.empty_link = False
        # entity_char=True below: the text is escaped already, html2text must not escape it again.
        if self.stressed:
            # First text inside <em>/<strong>: html2text strips it. Spaces next to the tags were
            # moved outside (hoist_spaces); one before a nested tag must stay: `*a **b***`.
            self._write_text(text)
            if text[-1:].isspace():
                self.space = True
            return
        # html2text would add a space after `*bar*` in `<em>bar</em>baz`; none was there. Where the
        # marker cannot close without one, settle_emphasis drops the emphasis instead.
        self.preceding_stressed = False
        self._write_text(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DOCUMENT_TAGS:
            return
        if tag == "a" and self._links:
            # An <a> inside an unclosed <a> ends it first, as a browser's parser does
            # (`<a href=1>old<a> <a href=2>posts</a>`: two links, not one bracket left open).
            self.handle_endtag("a")
        if self._pending:
            self._flush()
        if tag in _COUNTED_TAGS:
            self._count(tag, 1)
        if tag not in _OWN_START_TAGS:  # most tags: <p>, <span>, <strong>, …
            super().handle_starttag(tag, attrs)
            return
        if tag in ("abbr", "acronym"):
            # html2text would append `*[ABBR]: title` lines to the document (PHP Markdown Extra,
            # which Hugo does not read): keep the element, Markdown has no equivalent.
            title = dict(attrs).get("title")
            self._open_link_text()  # inside <a>
            quoted = html.escape(title, quote=False).replace('"', "&quot;") if title else ""
            self.o(f'<abbr title="{quoted}">' if title else "<abbr>")
            return
        if tag == "br" and self._links and self._last_output().endswith("  \n"):
            return  # a second line break in a row would be a blank line, ending the link's paragraph
        if tag in ("dl", "dt", "dd"):
            self._definition_tag(tag, start=True)
            return
        if tag == "li":
            self._close_items(len(self.list))  # an unclosed <li> before this one
            self._marker = True
            super().handle_starttag(tag, attrs)
            self._marker = False
            self._items.append((len(self.list), self._item_indent(), self.blockquote))
            return
        if tag == "br" and self._items and not self.blockquote:
            # A hard break whose next line is indented by o(), so it stays inside the list item.
            if self.p_p and self.br_toggle:
                self.p_p = 2  # a second <br>: an empty line, which Markdown can only say as a new paragraph
            else:
                self.soft_br()
            return
        if tag == "img":
            attrs = self._image_attrs(attrs)
        elif tag == "a" and dict(attrs).get("href") is not None:
            self._escape_bang()
        if tag in _EMPHASIS_MARKS:
            # html2text puts a space before the marker after a letter (`foo _bar_`), adding a
            # character; `*` emphasis works inside words, and settle_emphasis drops what cannot work.
            self.preceding_data = ""
            self._open_marks.setdefault(tag, []).append(len(self.emphasis_marks))
            self._emphasis(tag, attrs, start=True, pair=len(self.emphasis_marks))
            self.emphasis_marks.append(_EMPHASIS_MARKS[tag])
            return
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DOCUMENT_TAGS:
            return
        if self._pending:
            self._flush()
        if tag in _COUNTED_TAGS:
            self._count(tag, -1)
        if tag not in _OWN_END_TAGS:
            super().handle_endtag(tag)
            return
        if tag in ("abbr", "acronym"):
            self.o("</abbr>")
            return
        if tag in ("dl", "dt", "dd"):
            self._definition_tag(tag, start=False)
            return
        if tag in ("li", "ul", "ol") and self._items:
            self.br_toggle = ""  # a <br> ending an item breaks nothing: no trailing hard break
        if tag == "a" and self.astack and self.astack[-1] and self.astack[-1].get("href") is not None:
            link = self.astack[-1]
            href = link["href"] or ""
            link["href"] = self._link_part(link_destination(href) + link_title(link.get("title") or ""))
            link["title"] = None
        if tag in _EMPHASIS_MARKS:
            opened = self._open_marks.get(tag)
            pair = opened.pop() if opened else len(self.emphasis_marks)  # a stray end tag: a pair of its own
            if pair == len(self.emphasis_marks):
                self.emphasis_marks.append(_EMPHASIS_MARKS[tag])
            self._emphasis(tag, [], start=False, pair=pair)
            return
        super().handle_endtag(tag)
        if tag == "li":
            self._close_items(len(self.list))
        elif tag in ("ul", "ol"):
            self._close_items(len(self.list) + 1)  # and the items of this list left unclosed

    def _close_items(self, depth: int) -> None:
        """Forget the open items that started with `depth` or more lists open."""
        while self._items and self._items[-1][0] >= depth:
            self._items.pop()

    def _item_indent(self) -> str:
        """The indentation of a list item's later lines: its marker's width past html2text's indent."""
        indent = self.list_code_indent
        if self.list and self.list[-1].name == "ol":  # html2text counted 3 for "N. ", N may be 10+
            indent = indent[:-3] + " " * (len(str(self.list[-1].num)) + 2)
        return indent

    def _continuation(self) -> str:
        """What starts a new line inside the innermost open item (quote marks included)."""
        _, indent, quotes = self._items[-1]
        outer = ">" * quotes + (" " if quotes else "")
        inner = ">" * (self.blockquote - quotes) + (" " if self.blockquote > quotes else "")
        return outer + indent + inner

    def _definition_tag(self, tag: str, *, start: bool) -> None:
        """`<dl>` as goldmark's (and kramdown's) definition list: the term on its line, then
        `: definition`; a blank line before each term that follows a definition."""
        if tag == "dl":
            self.p()
            self._after_definition = False
        elif tag == "dt" and start:
            if self._after_definition:
                self.p()
            else:
                self.pbr()
            self._after_definition = False
        elif tag == "dd" and start:
            self.pbr()
            self.o(": ")  # indented by o() when the list is inside a list item
            self.start = True  # the definition's first paragraph goes on the marker's line
            enclosing = self._items[-1][1] if self._items else ""
            self._items.append((len(self.list), enclosing + "  ", self.blockquote))
        elif tag == "dd":
            self.pbr()
            if self._items:
                self._items.pop()
            self._after_definition = True
        else:
            self.pbr()

    def o(self, data: str, puredata: bool = False, force: bool | str = False) -> None:
        """html2text's output, with the later lines of a list item indented under its marker, so a
        paragraph, heading or list after a blank line stays inside the item instead of ending the list."""
        if self.p_p and self._items and not (self._marker or self.pre or self.start or self.quiet):
            if puredata:
                data = collapse_whitespace(data).removeprefix(" ")  # as html2text does
            if data.strip():
                newlines, self.p_p = self.p_p, 0
                self.out((self.br_toggle + "\n" + self._continuation()) * newlines)
                self.br_toggle = ""
                self.space = False
                puredata = False
        self._write(data, puredata, force)

    # The three methods below do what html2text's own do (handle_tag, o, handle_data), for the
    # configuration converter() sets, with less Python per call: they are most of the converter's
    # time. tests/test_convert_markdown.py puts html2text's back and compares (fast == slow).

    def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
        """html2text's handle_tag, the short way for <p>, <div>, <br>, emphasis and the tags it ignores."""
        if tag in _HTML2TEXT_TAGS:
            if tag in _PARAGRAPH_TAGS:  # a held-back `[` waits for what the paragraph holds
                self.current_tag = tag
                if not self.astack and not self.split_next_td:
                    self.p()
                self.lastWasList = False
            elif tag == "br":
                self.current_tag = tag
                if start:
                    self._open_link_text()
                    self.o("  \n> " if self.blockquote > 0 else "  \n")
                self.lastWasList = False
            elif tag in _EMPHASIS_MARKS and not (start and self.preceding_data):  # else a space first
                self.current_tag = tag
                if start:
                    self._open_link_text()
                self.o(self.strong_mark if _EMPHASIS_MARKS[tag] == "**" else self.emphasis_mark)
                if start:
                    self.stressed = True
                self.lastWasList = False
            else:
                super().handle_tag(tag, attrs, start)
            return
        self.current_tag = tag
        if start:
            self._open_link_text()
        self.lastWasList = False

    def _open_link_text(self) -> None:
        """html2text holds a link's `[` back, in case the text is the URL (`<URL>`): out with it."""
        if self.maybe_automatic_link is not None:
            self.o("[")
            self.maybe_automatic_link = None
            self.empty_link = False

    def _write(self, data: str, puredata: bool = False, force: bool | str = False) -> None:
        """html2text's `o` (indentation and white space), without the branches this configuration
        never takes: Google Docs, `mark_code`, fenced `<pre>`, reference links, abbreviations."""
        if self.quiet:
            return
        if puredata and not self.pre:
            data = collapse_whitespace(data)
            if data and data[0] == " ":
                self.space = True
                data = data[1:]
        if not data and not force:
            return
        if self.startpre and not data.startswith("\n") and not data.startswith("\r\n"):
            data = "\n" + data
        bq = ">" * self.blockquote
        if self.blockquote and not (force and data and data[0] == ">"):
            bq += " "
        if self.pre:
            if self.list:
                bq += self.list_code_indent
            bq += "    "
            data = data.replace("\n", "\n" + bq)
            self.pre_indent = bq
        if self.startpre:
            self.startpre = False
            if self.list:
                data = data.lstrip("\n" + self.pre_indent)
        if self.start:
            self.space = False
            self.p_p = 0
            self.start = False
        if force == "end":
            self.p_p = 0
            self.out("\n")
            self.space = False
        if self.p_p:
            self.out((self.br_toggle + "\n" + bq) * self.p_p)
            self.space = False
            self.br_toggle = ""
        if self.space:
            if not self.lastWasNL:
                self.out(" ")
            self.space = False
        self.p_p = 0
        self.outtextlist.append(data)  # html2text's out(): outtextf
        if data:
            self.lastWasNL = data[-1] == "\n"
        self.outcount += 1

    def _write_text(self, text: str) -> None:
        """html2text's handle_data for text escaped already (entity_char), the short way for text
        outside <style>, not first in an emphasis (`stressed`) and not a link's first text."""
        if self.style or self.stressed or self.preceding_stressed or self.maybe_automatic_link is not None:
            super().handle_data(text, True)
        elif text:
            self.preceding_data = text
            self.o(text, True)

    def _link_part(self, markdown: str) -> str:
        self.link_parts.append(markdown)
        return f"\x1a{len(self.link_parts) - 1}\x1a"

    def _image_attrs(self, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """`<img>` attributes with src and alt as stand-ins for their finished Markdown."""
        finish = {"src": link_destination, "alt": image_alt}
        return [(k, self._link_part(finish[k](v or "")) if k in finish else v) for k, v in attrs]

    def _escape_bang(self) -> None:
        """`Wow!` right before a link: `![` would make the link an image, so the `!` is escaped."""
        if self.space or self.p_p:
            return  # a space or a line break will come between
        for i in range(len(self.outtextlist) - 1, -1, -1):
            last = self.outtextlist[i]
            if last:
                body = last[:-1]
                if last.endswith("!") and (len(body) - len(body.rstrip("\\"))) % 2 == 0:
                    self.outtextlist[i] = body + "\\!"
                return

    def _emphasis(self, tag: str, attrs: list[tuple[str, str | None]], *, start: bool, pair: int) -> None:
        """html2text's handling of an emphasis tag, writing a marker that names its pair instead of
        `*`/`**`: whether the pair can be Markdown is known only once the text around both is."""
        self.emphasis_mark = self.strong_mark = marker(start, pair)
        try:
            if start:
                super().handle_starttag(tag, attrs)
            else:
                super().handle_endtag(tag)
        finally:
            self.emphasis_mark, self.strong_mark = "*", "**"

    def _last_output(self) -> str:
        return next((s for s in reversed(self.outtextlist) if s), "")

    def _at_line_start(self) -> bool:
        """Will the next text begin a line (or a list item / quote, where block syntax counts too)?
        Emphasis markers before it do not count: settle_emphasis may drop them (`<em>\n># a</em>`)."""
        if self.p_p or not self.outtextlist:
            return True
        tail = EMPHASIS_MARKER.sub("", "".join(self.outtextlist[-8:]))
        return _LINE_SO_FAR.fullmatch(tail[tail.rfind("\n") + 1 :]) is not None

    def _count(self, tag: str, step: int) -> None:
        if tag == "a":
            self._links = max(0, self._links + step)
        elif tag in ("td", "th"):
            self._cells = max(0, self._cells + step)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._headings = max(0, self._headings + step)

    def close(self) -> None:
        super().close()
        self._flush()


def converter() -> html2text.HTML2Text:
    """A fresh, configured html2text instance (it keeps state: one per document)."""
    h = _Converter()
    h.unicode_snob = True  # keep “ ” … é as characters, not ASCII look-alikes
    h.escape_snob = False
    h.body_width = 0  # no hard wrapping
    h.inline_links = True
    h.wrap_links = False
    h.protect_links = False
    h.skip_internal_links = False  # `#section` links are real links in a post
    h.use_automatic_links = True
    h.ignore_images = False
    h.images_to_alt = False
    h.ignore_emphasis = False
    h.emphasis_mark = "*"  # `_` does not work inside words (`foo<em>bar</em>`)
    h.strong_mark = "**"
    h.ul_item_mark = "-"
    h.mark_code = False
    h.pad_tables = False
    h.single_line_break = False
    h.include_sup_sub = True  # E = MC<sup>2</sup>: Markdown has no superscript, the meaning needs it
    return h


_MARKER = r"(?:[-+*]|[0-9]{1,9}[.)])"
_MARKER_THEN_MARKER = re.compile(r"^([ \t]*" + _MARKER + r")[ \t]{2,}(?=" + _MARKER + r"[ \t])", re.M)


def tidy(text: str) -> str:
    """html2text's output without stray whitespace: blank lines collapsed, no trailing spaces.

    A hard line break (two trailing spaces) is kept only where another line of the same paragraph
    follows. Lines holding only whitespace (`<p>&nbsp;</p>`) become blank. A list item whose first
    content is a list (`<li><ol><li>`) gets one space between the two markers: html2text indents the
    inner one as if on a line of its own, and five spaces after a marker start an indented code block.
    """
    if "  " in text:
        text = _MARKER_THEN_MARKER.sub(r"\1 ", text)
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip():
            out.append("")
            continue
        stripped = line.rstrip(" \t")
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.endswith("  ") and following.strip():
            stripped += "  "
        out.append(stripped)
    return _BLANK_RUN.sub("\n\n", "\n".join(out)).strip("\n")


def html_to_markdown(markup: str, tokens: str = "", has_block: Callable[[str], bool] | None = None) -> str:
    """Markdown for an HTML fragment (tokens in it pass through untouched; `tokens` is their prefix
    and `has_block` tells block tokens, see settle_emphasis)."""
    if "\x1a" in markup or "\x1b" in markup:  # the stand-ins' characters; XML has neither
        markup = markup.replace("\x1a", "\ufffd").replace("\x1b", "\ufffd")
    h = converter()
    text = h.handle(hoist_spaces(markup))
    if h.link_parts:
        text = _LINK_PART.sub(lambda m: h.link_parts[int(m.group(1))], text)
    return tidy(settle_emphasis(text, h.emphasis_marks, tokens, has_block))


def inline_markdown(markup: str, tokens: str = "") -> str:
    """Markdown for a short fragment (a caption) on a single line."""
    text = html_to_markdown(BR.sub(" ", markup), tokens)
    return " ".join(text.split())

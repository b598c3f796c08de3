"""html2text's callbacks driven by libxml2's HTML tokenizer (C) instead of Python's `html.parser`.

html2text's conversion logic is a set of callbacks (`handle_starttag`, `handle_endtag`,
`handle_data`); `html.parser`, which calls them, tokenizes in pure Python and was most of the
converter's time. lxml's HTML parser calls a parser *target* from libxml2's tokenizer (HTML5
tokenization since libxml2 2.14: references decoded with HTML5's table and rules, as
`html.unescape` does for `html.parser`). What libxml2 does differently, and how it is met here:

- it adds `<html>`, `<head>`, `<body>`, which are not passed on (a post is a fragment of a
  body); but where a post has one of those tags (a tutorial's `<head>` written unescaped) its old
  tree builder ends the paragraph, or the body, and then drops the text's `</p>`: so those tags are
  taken out of the markup before it is parsed, and the text around them stays one paragraph, as a
  browser shows it;
- text comes in pieces (every reference is a piece of its own): the pieces are joined here, so
  html2text sees one text run per run, as `html.parser` with `convert_charrefs` gave it;
- it repairs nesting as a browser's parser does (`<b><i>x</b></i>` ends `<i>` first; an end tag
  with nothing open to end is dropped; `<p>` ends before a block): html2text then writes what the
  browser showed instead of following the tags as written;
- it ends a `<p>` where the source did not (before a block, at `</li>`, at the end), and drops a
  `</p>` with no paragraph open, which a browser shows as an empty paragraph (HTML5 makes one;
  `<h3>Title</p> <pre>`: the code below the title, not on its line). html2text reads `</p>` as a
  paragraph break, so it gets the `</p>`s the source wrote, as html.parser gave them, and no
  other: every `</p>` is followed by a marker comment, the marker is the paragraph's end, and
  libxml2's own ends of `p` are not passed on (a `<p>` left open before `</li>` would otherwise
  make a blank line between list items);
- an attribute written without a value arrives as `""` (`html.parser`: None): html2text reads both
  as empty;
- comments, processing instructions, `<![CDATA[…]]>` and the doctype are not text to either;
- `<title>`, `<textarea>` hold text only, and `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`,
  `<plaintext>` raw text, as in a browser (`html.parser`: only `<script>` and `<style>`).

scripts/compare_converters.py converts every body of the corpus both ways and lists what differs.
"""

from __future__ import annotations

import re
import threading
from typing import Protocol

from lxml import etree

_DOCUMENT_TAG = re.compile(r"</?(?:html|head|body)(?=[\s/>])[^>]*>", re.IGNORECASE)
_P_END = re.compile(r"</p(?=[\s/>])[^>]*>", re.IGNORECASE)
# After every `</p>`: a comment, or text where libxml2 reads none (`<textarea>`). The converter
# takes U+001A out of markup before it comes here (its own stand-ins use it): it is unique.
_P_END_MARK = "\x1ap"
# The document's tags: the source's are taken out before parsing, so these are libxml2's own.
_IMPLIED = frozenset(("html", "head", "body"))


class Handler(Protocol):
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None: ...
    def handle_endtag(self, tag: str) -> None: ...
    def handle_data(self, data: str) -> None: ...


class _Target:
    """lxml parser target forwarding to an html.parser-style handler, text runs joined."""

    def __init__(self) -> None:
        self._handler: Handler | None = None
        self._text: list[str] = []

    def _flush(self) -> None:
        text = "".join(self._text)
        self._text = []
        self._handler.handle_data(text)  # type: ignore[union-attr]

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self._text:
            self._flush()
        if tag not in _IMPLIED:
            # lxml passes an empty mapping of its own for a tag without attributes: its items()
            # is Python (collections.abc), a dict's is not
            self._handler.handle_starttag(tag, list(attrib.items()) if attrib else [])  # type: ignore[union-attr]

    def end(self, tag: str) -> None:
        if self._text:
            self._flush()
        if tag not in _IMPLIED and tag != "p":  # the source's `</p>`s come as markers (see comment)
            self._handler.handle_endtag(tag)  # type: ignore[union-attr]

    def data(self, data: str) -> None:
        if "\x1a" in data:  # raw text (`<textarea>`, `<script>`): the markers are not the post's
            data = data.replace("<!--" + _P_END_MARK + "-->", "")
        self._text.append(data)

    def comment(self, text: str) -> None:
        if self._text:
            self._flush()  # html.parser ended the text run at a comment too
        if text == _P_END_MARK:
            self._handler.handle_endtag("p")  # type: ignore[union-attr]

    def close(self) -> None:
        if self._text:
            self._flush()


class _Parser(threading.local):
    """One parser per thread, reused: making one inspects the target's methods, which took as long
    as tokenizing a typical post (an lxml parser is reusable after close(), not shareable)."""

    def __init__(self) -> None:
        self.renew()

    def renew(self) -> None:
        self.target = _Target()
        self.parser = etree.HTMLParser(target=self.target, no_network=True, remove_comments=False)


_PARSER = _Parser()


def feed(handler: Handler, markup: str) -> None:
    """Tokenize `markup` with libxml2 and call `handler`'s callbacks for it, start to end."""
    if "<" in markup:
        markup = _DOCUMENT_TAG.sub("", markup)
        markup = _P_END.sub("</p><!--" + _P_END_MARK + "-->", markup)
    target, parser = _PARSER.target, _PARSER.parser
    target._handler, target._text = handler, []
    try:
        parser.feed(markup)
        parser.close()
    except BaseException:
        _PARSER.renew()  # a parser stopped part-way by an exception is not fit for the next post
        raise
    finally:
        target._handler = None

"""Elements kept as raw HTML blocks, for what Markdown cannot say (a table with merged cells, a
count-down list: `<ol reversed>`).

Inside a raw HTML block goldmark (and kramdown) read no Markdown, and a blank line ends the block:
so the element is serialized by lxml (balanced tags, text escaped), its tokens are put back as HTML
(code as `<code>`, not backquotes), no line is left blank, and `{{<` in its text cannot start a
shortcode.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from .context import Context
from .tags import attrs, outer_elements

# A newline that would leave a blank line (which ends an HTML block in Markdown). Between tags it is
# dropped; in a `<pre>` it is written `&#10;`, the same character to HTML, so the code keeps its lines.
_BEFORE_BLANK = re.compile(r"\n[ \t]*(?=\n)")
_PRE = re.compile(r"(<pre\b.*?</pre\s*>)", re.IGNORECASE | re.DOTALL)


def parse_element(markup: str) -> lxml_html.HtmlElement | None:
    """The single element `markup` holds (one `<table>…</table>`, say), parsed; None if it is not one."""
    try:
        found = lxml_html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    elements = [f for f in found if not isinstance(f, str)]
    strays = [f for f in found if isinstance(f, str) and f.strip()]
    return elements[0] if len(elements) == 1 and not strays else None


def parse_content(markup: str) -> lxml_html.HtmlElement | None:
    """`markup` parsed as the content of one element (a `<div>` made for it); None if unparsable."""
    try:
        return lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def serialize(element: lxml_html.HtmlElement) -> str:
    """An element as HTML, without its tail text."""
    return lxml_html.tostring(element, encoding="unicode", method="html", with_tail=False)


def keep_html(markup: str, ctx: Context, description: str) -> str:
    """A block token holding `markup` (balanced HTML) as a raw HTML block, listed in the report."""
    ctx.keep_raw(description)
    parts = _PRE.split(ctx.store.as_html(ctx.escape_raw_html(markup.strip())))
    for i, part in enumerate(parts):
        parts[i] = _BEFORE_BLANK.sub("&#10;" if i % 2 else "", part)
    return ctx.store.block("".join(parts))


def keep_reversed_lists(markup: str, ctx: Context) -> str:
    """Each `<ol reversed>` as raw HTML: Markdown numbers a list upwards only."""
    if "reversed" not in markup:
        return markup
    out: list[str] = []
    pos = 0
    for start, end in outer_elements(markup, "ol", lambda tag: "reversed" in attrs(tag)):
        element = parse_element(markup[start:end])
        if element is not None:
            out += [markup[pos:start], keep_html(serialize(element), ctx, "ol reversed")]
            pos = end
    out.append(markup[pos:])
    return "".join(out)

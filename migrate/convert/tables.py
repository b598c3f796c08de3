"""Tables: a pipe table when Markdown can say the table exactly, else the table as raw HTML.

html2text writes every table as a pipe table, and many come out wrong: an empty header cell leaves
the header one cell short (goldmark then reads a paragraph), a `<br>` in a cell splits the row,
merged cells shift every cell after them, a one-column table's `---` turns its first row into a
heading, and a cell holding a list or code cannot be said at all. A pipe table is written here only
when it is exactly the table: every row the same number of cells, no merged cells, no nested table,
caption or footer, cells holding inline content only, and a header row (`<thead>`, a row of `<th>`,
or a first row that is bold all through). Anything else stays HTML, which renders as it did.
"""

from __future__ import annotations

import html
import re

from lxml import html as lxml_html

from . import htmlblock, markdown
from .context import Context
from .tags import has_tag, outer_elements

# Elements that make a cell's content more than one line of inline Markdown.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre",
    "section", "table", "ul",
})
_BOLD = frozenset({"strong", "b"})
_HARD_BREAK = re.compile(r" {2}\n")
_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def convert_tables(markup: str, ctx: Context) -> str:
    """Every table → a pipe-table token or a raw HTML token (see the module docstring)."""
    if not has_tag(markup, "table"):
        return markup
    out: list[str] = []
    pos = 0
    for start, end in outer_elements(markup, "table"):
        out += [markup[pos:start], _table(markup[start:end], ctx)]
        pos = end
    out.append(markup[pos:])
    return "".join(out)


def _table(markup: str, ctx: Context) -> str:
    table = htmlblock.parse_element(markup)
    if table is None or table.tag != "table":
        return markup  # not one well-formed table: html2text does what it can
    rows = _pipe_rows(table, ctx)
    if rows is None:
        return htmlblock.keep_html(htmlblock.serialize(table), ctx, "table")
    header, *body = rows
    lines = [_row(header), _row(["---"] * len(header)), *(_row(cells) for cells in body)]
    return ctx.store.block("\n".join(lines))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rows(table: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The table's own rows in order (`<thead>`, then `<tbody>` or bare rows)."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody"):
            rows += [row for row in child if row.tag == "tr"]
    return rows


def _pipe_rows(table: lxml_html.HtmlElement, ctx: Context) -> list[list[str]] | None:
    """The cells' Markdown row by row, header first, or None when a pipe table cannot say the table."""
    if any(child.tag in ("caption", "tfoot") for child in table) or table.find(".//table") is not None:
        return None
    rows = _rows(table)
    cells = [[c for c in row if c.tag in ("td", "th")] for row in rows]
    if not rows or any(len(row) != len(cells[0]) for row in cells) or not cells[0]:
        return None
    if any(isinstance(child.tag, str) and child.tag not in ("td", "th") for row in rows for child in row):
        return None  # an element besides cells in a row: not a plain grid
    for row in cells:
        for cell in row:
            if cell.get("colspan", "1").strip() != "1" or cell.get("rowspan", "1").strip() != "1":
                return None
            if any(e.tag in _BLOCK_TAGS for e in cell.iterdescendants() if not _sole_paragraph(cell, e)):
                return None
    thead = table.find("thead")
    header_rows = len([r for r in thead if r.tag == "tr"]) if thead is not None else 0
    if header_rows > 1 or (header_rows == 0 and not _is_header(cells[0])):
        return None
    if any(c.tag == "th" for row in cells[1:] for c in row):
        return None  # row headers: Markdown has no such cell
    converted: list[list[str]] = []
    for i, row in enumerate(cells):
        texts = [_cell_markdown(c, ctx, unbold=i == 0 and header_rows == 0) for c in row]
        if None in texts:
            return None
        converted.append([text or "" for text in texts])
    return converted


def _sole_paragraph(cell: lxml_html.HtmlElement, element: lxml_html.HtmlElement) -> bool:
    """Is `element` a `<p>` that is all the cell holds (WordPress's autop adds them)? Then it is inline."""
    return (
        element.tag == "p"
        and element.getparent() is cell
        and len(cell) == 1
        and not (cell.text or "").strip()
        and not (element.tail or "").strip()
    )


def _is_header(cells: list[lxml_html.HtmlElement]) -> bool:
    """A first row that reads as a header: all `<th>`, or every non-empty cell bold all through."""
    if all(c.tag == "th" for c in cells):
        return True
    filled = [c for c in cells if c.text_content().strip()]
    return bool(filled) and all(_all_bold(c) for c in filled)


def _all_bold(cell: lxml_html.HtmlElement) -> bool:
    children = [c for c in cell if isinstance(c.tag, str) and c.tag != "br"]
    return (
        len(children) == 1
        and children[0].tag in _BOLD
        and not (cell.text or "").strip()
        and not (children[0].tail or "").strip()
    )


def _inner_html(cell: lxml_html.HtmlElement, *, unbold: bool) -> str:
    node = cell
    if len(cell) == 1 and cell[0].tag == "p" and _sole_paragraph(cell, cell[0]):
        node = cell[0]
    if unbold and _all_bold(node):  # a header cell is bold already
        node = next(c for c in node if isinstance(c.tag, str) and c.tag != "br")
    parts = [lxml_html.tostring(child, encoding="unicode", method="html") for child in node]
    return html.escape(node.text or "", quote=False) + "".join(parts)


def _cell_markdown(cell: lxml_html.HtmlElement, ctx: Context, *, unbold: bool) -> str | None:
    """One cell as one line of Markdown, `|` escaped, `<br>` kept; None if it holds a block token."""
    inner = _inner_html(cell, unbold=unbold)
    if ctx.store.has_block(inner):
        return None
    text = markdown.html_to_markdown(inner)
    text = " ".join(_HARD_BREAK.sub("<br>", text).split())
    for token in ctx.store.tokens(text):
        value = ctx.store.value(token)
        if "|" in value:
            text = text.replace(token, ctx.store.inline(escape_pipes(value)), 1)
    return escape_pipes(text)


def escape_pipes(text: str) -> str:
    """Every `|` not already escaped gets a backslash: in a table row even one inside a code span or
    a link splits the cell (GFM reads the row's cells before anything else)."""
    return _PIPE.sub(lambda m: m.group(1) + "\\|", text)

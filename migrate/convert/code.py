"""Code first: `<pre>`, inline `<code>` and code shortcodes become finished Markdown tokens.

Done before anything else so no later step (shortcodes, autop, entity decoding, html2text escaping,
link rewriting) can touch code text. The text is exact: HTML in `<pre>`/`<code>` is decoded once
(`&amp;&amp;` → `&&`), and so is `[code]` content, which WordPress editors often saved escaped.

Code is the text a reader saw: a `<pre>` whose lines are `<div>`s (pasted from an editor) keeps one
line per `<div>`; highlighter plugins (SyntaxHighlighter, Crayon, GeSHi, Windows Live Writer's
snippets) that print a table with a gutter of line numbers beside the code give the code alone; a
`<code>` that spans lines is a code block, since a code span would join them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from lxml import html as lxml_html

from . import htmlblock, hugo
from .context import Context
from .tags import BR, attrs, has_tag, outer_elements, pair_up, replace_pairs, strip_tags

# SyntaxHighlighter Evolved brush shortcodes (`[php]…[/php]`) besides `[code]`/`[sourcecode]`.
_BRUSHES = (
    "as3", "actionscript3", "bash", "shell", "coldfusion", "cf", "clojure", "clj", "cpp", "c",
    "c-sharp", "csharp", "css", "delphi", "pas", "pascal", "diff", "patch", "erl", "erlang", "fsharp",
    "go", "golang", "groovy", "haskell", "java", "jfx", "javafx", "js", "jscript", "javascript",
    "latex", "tex", "matlab", "objc", "obj-c", "perl", "pl", "php", "plain", "text", "ps", "powershell",
    "py", "python", "r", "splus", "rails", "rb", "ror", "ruby", "sass", "scss", "scala", "sql", "swift",
    "ts", "typescript", "vb", "vbnet", "xml", "xhtml", "xslt", "html", "yaml",
)
_CODE_SHORTCODES = ("sourcecode", "code", "source", *_BRUSHES)
# Brush names Chroma (Hugo's highlighter) does not know, mapped to ones it does.
_LANG_ALIASES = {
    "jscript": "javascript",
    "shell": "bash",
    "ror": "ruby",
    "rails": "ruby",
    "jfx": "java",
    "javafx": "java",
    "cf": "cfm",
    "coldfusion": "cfm",
    "xhtml": "html",
    "xslt": "xml",
    "vb": "vbnet",
    "ps": "powershell",
    "c-sharp": "csharp",
    "plain": "text",
    "patch": "diff",
    "splus": "r",
    "pas": "pascal",
    "golang": "go",
}
_LANG_OK = re.compile(r"[A-Za-z0-9_+#.-]{1,32}")
_CLASS_LANG = re.compile(r"(?:^|\s)(?:language|lang)-([A-Za-z0-9_+#.-]+)")
_BRUSH_LANG = re.compile(r"brush\s*:\s*([A-Za-z0-9_+#.-]+)")

_SHORTCODE_NAMES = "|".join(re.escape(n) for n in sorted(_CODE_SHORTCODES, key=len, reverse=True))
_OPEN = re.compile(
    # Every alternative starts with a literal `<` or `[`, so the regex engine jumps between those.
    # A Gutenberg block comment right before <pre> may carry the language: {"language":"python"}.
    r"<(?:(?P<comment>!--\s+wp:[a-z][a-z0-9_/-]*\s+(?P<json>\{[^<>]*?\})\s+-->\s*)<)?"
    r"(?P<pre>pre)\b(?P<pre_attrs>[^>]*)>"
    # Shortcode names are case-sensitive in WordPress; the closing tag must match the opening one.
    r"|\[(?-i:(?P<sc>" + _SHORTCODE_NAMES + r")(?![\w-])(?P<sc_attrs>[^\]]*)\])"
    r"|<(?P<tag>code|tt|kbd|samp)\b[^>]*>",
    re.IGNORECASE,
)
_CLOSE = re.compile(
    r"</(?P<tag>pre|code|tt|kbd|samp)\s*>|(?-i:\[/(?P<sc>" + _SHORTCODE_NAMES + r")\])", re.IGNORECASE
)
# A <pre> holding nothing but one code shortcode (WordPress.com posts pasted from another blog).
_WHOLE_SHORTCODE = re.compile(
    r"\[(?P<sc>" + _SHORTCODE_NAMES + r")(?![\w-])(?P<sc_attrs>[^\]]*)\](?P<body>.*)\[/(?P=sc)\]", re.DOTALL
)
# Links in code: an <a> start tag with an href, or an end tag; one link that is a code span's whole.
_LINK_TAG = re.compile(r"<a\s[^>]*\bhref\s*=[^>]*>|</a\s*>", re.IGNORECASE)
_HELD = re.compile("\ue000([0-9]+)\ue001")
_ONE_LINK = re.compile(
    r"(?P<open><a\s[^>]*\bhref\s*=[^>]*>)(?P<body>(?:(?!</?a\b).)*)</a\s*>", re.DOTALL | re.IGNORECASE
)
# Code tags left after protection are unmatched: html2text would stay in code mode to the end.
_STRAY = re.compile(r"</?(?:pre|code|tt|kbd|samp)\b[^>]*>", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")
_INNER_CODE = re.compile(r"\s*<code\b[^>]*>", re.IGNORECASE)
_SC_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
# Inside <pre>, tags that put what follows on a line of its own.
_LINE_TAG = re.compile(r"<(?:div|p|li|tr|table|h[1-6]|blockquote)\b", re.IGNORECASE)
_LINE_BLOCKS = frozenset({
    "address", "article", "blockquote", "dd", "div", "dl", "dt", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "li", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
_BR_LINE = re.compile(r"<br\s*/?>[ \t]*\n?", re.IGNORECASE)
_TRAILING_BLANK_LINES = re.compile(r"(?:\n[^\S\n]*)+\Z")  # a last table row with a space in it
_LINE_NUMBERS = re.compile(r"[\d\s.:]*\d[\d\s.:]*")
# What says a table with a column of numbers is a highlighter's, not a table of data.
_HIGHLIGHTER_CLASS = re.compile(
    r"syntaxhighlighter|crayon|wp_syntax|geshi|enlighter|gutter|line_?num|code", re.IGNORECASE
)
_MONOSPACE = re.compile(r"font-family\s*:[^;\"']*(?:courier|mono|consolas|menlo|monaco)", re.IGNORECASE)
_LAST_START_TAG = re.compile(r"(<[A-Za-z][^>]*>)(?:\s|<br\s*/?>)*\Z", re.IGNORECASE)


def language(name: str) -> str:
    """A fence info string for a language name: alias-mapped, and only if it is a plain word."""
    name = name.strip().lower()
    name = _LANG_ALIASES.get(name, name)
    return name if _LANG_OK.fullmatch(name) else ""


def fence(code: str, lang: str = "") -> str:
    """A fenced code block around `code`, with a fence longer than any backtick run inside."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{lang}\n{code}\n{marks}"


def code_span(code: str) -> str:
    code = code.replace("\n", " ")
    if not code:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    marks = "`" * (longest + 1)
    pad = " " if code[0] in "` " or code[-1] in "` " else ""
    return f"{marks}{pad}{code}{pad}{marks}"


def _pre_language(block_json: str | None, pre_attrs: str, body: str) -> str:
    if block_json:
        try:
            data = json.loads(block_json)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for key in ("language", "lang"):
                if isinstance(data.get(key), str) and language(data[key]):
                    return language(data[key])
    inner = _INNER_CODE.match(body)
    for tag in (f"<pre {pre_attrs}>", inner.group(0) if inner else ""):
        found = attrs(tag)
        for key in ("lang", "data-lang", "data-language"):
            if language(found.get(key, "")):
                return language(found[key])
        m = _CLASS_LANG.search(found.get("class", "")) or _BRUSH_LANG.search(found.get("class", ""))
        if m and language(m.group(1)):
            return language(m.group(1))
    return ""


def pre_text(body: str) -> str:
    """The text a browser shows for the inside of `<pre>`: breaks kept, tags dropped, decoded once."""
    element = htmlblock.parse_content(body) if _LINE_TAG.search(body) else None
    if element is not None:
        text = _TRAILING_BLANK_LINES.sub("", shown_text(element, _gutter_cells(element)))
    else:
        text = html.unescape(strip_tags(BR.sub("\n", body)))
    text = text.replace("\r\n", "\n")
    if text.startswith("\n"):  # HTML ignores a newline right after <pre>
        text = text[1:]
    return text.rstrip("\n")


def shown_text(root: lxml_html.HtmlElement, skip: Callable[[lxml_html.HtmlElement], bool]) -> str:
    """The text of `root`'s content as a browser lays it out in a `<pre>`: its own newlines, a line
    break for each `<br>`, and block elements (`<div>`, table rows) on lines of their own. A `<br>`
    ending a line that a block ends anyway adds no empty line, as on screen."""
    parts: list[str] = []

    def line_ended() -> bool:
        last = next((p for p in reversed(parts) if p), "")
        return not last or last.endswith("\n")

    def walk(element: lxml_html.HtmlElement) -> None:
        block = element.tag in _LINE_BLOCKS
        if block and not line_ended():
            parts.append("\n")
        if element.tag == "br":
            parts.append("\n")
        elif element.tag in ("td", "th") and element.getprevious() is not None and not line_ended():
            parts.append(" ")  # cells side by side
        parts.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str) and not skip(child):
                walk(child)
            parts.append(child.tail or "")
        if block and not line_ended():
            parts.append("\n")

    parts.append(root.text or "")
    for child in root:
        if isinstance(child.tag, str) and not skip(child):
            walk(child)
        parts.append(child.tail or "")
    return "".join(parts)


def _gutter_cells(root: lxml_html.HtmlElement) -> Callable[[lxml_html.HtmlElement], bool]:
    """Which cells under `root` are line-number gutters: the first of two cells in every row of a
    table whose first cells hold only numbers."""
    gutters: set[lxml_html.HtmlElement] = set()
    for table in root.iter("table"):
        cells = _gutter_and_code(table)
        if cells:
            gutters.update(gutter for gutter, _ in cells)
    return lambda element: element in gutters


_Cell = lxml_html.HtmlElement


def _gutter_and_code(table: lxml_html.HtmlElement) -> list[tuple[_Cell, _Cell]]:
    """[(gutter cell, code cell)] per row when `table` is a line-numbered code table, else []."""
    if any(inner is not table for inner in table.iter("table")):
        return []
    rows = [[c for c in row if c.tag in ("td", "th")] for row in table.iter("tr")]
    if not rows or any(len(cells) != 2 for cells in rows):
        return []
    numbers = " ".join(cells[0].text_content() for cells in rows)
    return [(cells[0], cells[1]) for cells in rows] if _LINE_NUMBERS.fullmatch(numbers) else []


def _lines_only(table: lxml_html.HtmlElement) -> list[tuple[None, _Cell]]:
    """[(None, cell)] per row when every row of `table` is one cell: a code listing without numbers
    if the table is a highlighter's or set in a monospace font (see `_code_table`)."""
    if any(inner is not table for inner in table.iter("table")):
        return []
    rows = [[c for c in row if c.tag in ("td", "th")] for row in table.iter("tr")]
    if len(rows) < 2 or any(len(cells) != 1 for cells in rows):
        return []
    return [(None, cells[0]) for cells in rows]


def _code_table(markup: str, before: str, ctx: Context) -> str | None:
    """A line-numbered code table (or a one-column table of code lines in a monospace font) → a code
    block token of the code alone, or None if `markup` is not one. `before`: the markup before it,
    whose last tag may be the highlighter's wrapper."""
    table = htmlblock.parse_element(markup)
    if table is None or table.tag != "table":
        return None
    cells: list[tuple[_Cell | None, _Cell]] = [*_gutter_and_code(table)] or _lines_only(table)
    if not cells:
        return None
    wrapper = _LAST_START_TAG.search(before[-500:])
    if wrapper and wrapper.group(1)[1:4].lower() == "pre":
        return None  # the <pre>'s own text (see pre_text), which must not hold a code block token
    wrapper_attrs = attrs(wrapper.group(1)) if wrapper else {}
    styled = [wrapper_attrs, *(dict(e.attrib) for e in table.iter() if isinstance(e.tag, str))]
    classes = " ".join(found.get("class", "") for found in styled)
    monospace = any(_MONOSPACE.search(found.get("style", "")) for found in styled)
    has_code = any(code.find(".//pre") is not None or code.find(".//code") is not None for _, code in cells)
    numbered = cells[0][0] is not None
    if not (_HIGHLIGHTER_CLASS.search(classes) or monospace or (has_code and numbered)):
        return None  # a numbered table of data, or a one-column layout table
    gutters = {gutter for gutter, _ in cells}
    text = "\n".join(shown_text(code, gutters.__contains__).strip("\n") for _, code in cells)
    if not text.strip():
        return None
    return _block(ctx, text.rstrip(), _class_language(classes))


def _class_language(classes: str) -> str:
    """The language a highlighter's class names say: `brush: php`, `language-php`, or a brush name
    on its own (`syntaxhighlighter php`, GeSHi's `<pre class="php">`)."""
    m = _CLASS_LANG.search(classes) or _BRUSH_LANG.search(classes)
    if m and language(m.group(1)):
        return language(m.group(1))
    return next((language(word) for word in classes.split() if word.lower() in _BRUSHES), "")


def protect_code_tables(markup: str, ctx: Context) -> str:
    """Every line-numbered code table (see `_code_table`) → a code block token."""
    if not has_tag(markup, "table"):
        return markup
    out: list[str] = []
    pos = 0
    for start, end in outer_elements(markup, "table"):
        block = _code_table(markup[start:end], markup[max(0, start - 500) : start], ctx)
        if block is not None:
            out += [markup[pos:start], block]
            pos = end
    out.append(markup[pos:])
    return "".join(out)


def _code_lines(body: str, line_breaks: bool) -> str:
    """The lines of a `<code>` outside `<pre>`: a `<br>` ends one, and so does a newline where it is
    a line break (classic editor), but not the newline right after a `<br>` (wpautop adds no second
    `<br>` there). In the block editor a newline is a space."""
    if not line_breaks:
        body = body.replace("\n", " ")
    return html.unescape(strip_tags(_BR_LINE.sub("\n", body)))


def _sc_language(name: str, attr_text: str) -> str:
    found = {}
    for m in _SC_ATTR.finditer(attr_text):
        found.setdefault(m.group(1).lower(), next(v for v in m.group(2, 3, 4) if v is not None))
    if name in ("code", "sourcecode", "source"):
        return language(found.get("language") or found.get("lang") or "")
    return language(name)


def _block(ctx: Context, code: str, lang: str) -> str:
    escaped = hugo.escape_code(code) if ctx.hugo else code
    if escaped is None:
        ctx.warn("code with an unterminated {{< kept as raw HTML so Hugo does not run it")
        return ctx.store.block(hugo.code_html(code, lang, block=True))
    return ctx.store.block(fence(escaped, lang), html=hugo.code_html(code, lang, block=True))


def _open_kind(m: re.Match[str]) -> str:
    return (m.group("pre") or m.group("tag") or "").lower() or "[" + m.group("sc")


def _close_kind(m: re.Match[str]) -> str:
    return (m.group("tag") or "").lower() or "[" + m.group("sc")


def _pre_with_links(body: str, lang: str, ctx: Context) -> str:
    """A `<pre>` with links in it (a command with its download link): Markdown code cannot hold a
    link, so the block stays HTML, its text exact and escaped, its links rewritten like any other."""
    tags: list[str] = []

    def hold(m: re.Match[str]) -> str:
        tags.append(m.group(0))
        return f"\ue000{len(tags) - 1}\ue001"

    text = html.escape(pre_text(_LINK_TAG.sub(hold, body)).strip("\n"), quote=False)
    if ctx.hugo:
        text = text.replace("{", "&#123;")  # no `{{<` for Hugo to run
    text = _HELD.sub(lambda m: tags[int(m.group(1))], text)
    cls = f' class="language-{html.escape(lang)}"' if lang else ""
    ctx.keep_raw("pre with links")
    markup = ctx.rewrite_html(f"<pre><code{cls}>{text}</code></pre>")
    return ctx.store.block(markup)


def protect_code(markup: str, ctx: Context) -> str:
    """Replace every code block/span and code shortcode in `markup` with a placeholder token."""
    markup = protect_code_tables(markup, ctx)

    def replace(m: re.Match[str], body: str, _close: re.Match[str]) -> str:
        if m.group("pre"):
            pre_attrs = m.group("pre_attrs")
            if "wp-block-verse" in pre_attrs:  # poetry, not code: keep its lines as line breaks
                return "<p>" + BR.sub("\n", body).strip("\n").replace("\n", "<br />\n") + "</p>"
            lang = _pre_language(m.group("json"), pre_attrs, body)
            if _LINK_TAG.search(body) and not _WHOLE_SHORTCODE.fullmatch(pre_text(body).strip()):
                return _pre_with_links(body, lang, ctx)
            text = pre_text(body)
            wrapped = _WHOLE_SHORTCODE.fullmatch(text.strip())
            if wrapped:  # `<pre>[sourcecode lang=x]…[/sourcecode]</pre>`: the shortcode ran inside it
                lang = _sc_language(wrapped.group("sc"), wrapped.group("sc_attrs")) or lang
                text = wrapped.group("body").strip("\n")  # decoded once, as any [code] content
            # The block comment (its `<` is outside the group) is the Gutenberg step's to remove.
            keep = "<" + m.group("comment") if m.group("comment") else ""
            return keep + (_block(ctx, text, lang) if text.strip() else "")
        if m.group("sc"):
            text = html.unescape(body).replace("\r\n", "\n").strip("\n")
            lang = _sc_language(m.group("sc"), m.group("sc_attrs"))
            return _block(ctx, text.rstrip(), lang) if text.strip() else ""
        if ("\n" in body.strip() and ctx.line_breaks) or BR.search(body):
            # Lines a code span would join: a code block (the language as a <pre> would say it).
            lines = _code_lines(body, ctx.line_breaks).strip("\n")
            return _block(ctx, lines, _pre_language(None, "", m.group(0) + body))
        link = _ONE_LINK.fullmatch(body.strip())
        if link:  # `<code><a href>x</a></code>`: Markdown says it as a link around the code span
            return link.group("open") + protect_code(f"<code>{link.group('body')}</code>", ctx) + "</a>"
        text = html.unescape(strip_tags(BR.sub("\n", body)))
        escaped = hugo.escape_code(text) if ctx.hugo else text
        if escaped is None:
            return ctx.store.inline(hugo.code_html(text, "", block=False))
        return ctx.store.inline(code_span(escaped), html=hugo.code_html(text, "", block=False))

    pairs = pair_up(markup, _OPEN, _CLOSE, _open_kind, _close_kind)
    return _STRAY.sub("", replace_pairs(markup, pairs, replace))

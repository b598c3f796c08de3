"""Code first: `<pre>`, inline `<code>` and code shortcodes become finished Markdown tokens.

Done before anything else so no later step (shortcodes, autop, entity decoding, html2text escaping,
link rewriting) can touch code text. The text is exact: HTML in `<pre>`/`<code>` is decoded once
(`&amp;&amp;` → `&&`), and so is `[code]` content, which WordPress editors often saved escaped.
"""

from __future__ import annotations

import html
import json
import re

from . import hugo
from .context import Context
from .tags import BR, attrs, pair_up, replace_pairs, strip_tags

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
# Code tags left after protection are unmatched: html2text would stay in code mode to the end.
_STRAY = re.compile(r"</?(?:pre|code|tt|kbd|samp)\b[^>]*>", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")
_INNER_CODE = re.compile(r"\s*<code\b[^>]*>", re.IGNORECASE)
_SC_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")


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
    text = html.unescape(strip_tags(BR.sub("\n", body))).replace("\r\n", "\n")
    if text.startswith("\n"):  # HTML ignores a newline right after <pre>
        text = text[1:]
    return text.rstrip("\n")


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


def protect_code(markup: str, ctx: Context) -> str:
    """Replace every code block/span and code shortcode in `markup` with a placeholder token."""

    def replace(m: re.Match[str], body: str, _close: re.Match[str]) -> str:
        if m.group("pre"):
            pre_attrs = m.group("pre_attrs")
            if "wp-block-verse" in pre_attrs:  # poetry, not code: keep its lines as line breaks
                return "<p>" + BR.sub("\n", body).strip("\n").replace("\n", "<br />\n") + "</p>"
            lang = _pre_language(m.group("json"), pre_attrs, body)
            text = pre_text(body)
            # The block comment (its `<` is outside the group) is the Gutenberg step's to remove.
            keep = "<" + m.group("comment") if m.group("comment") else ""
            return keep + (_block(ctx, text, lang) if text.strip() else "")
        if m.group("sc"):
            text = html.unescape(body).replace("\r\n", "\n").strip("\n")
            lang = _sc_language(m.group("sc"), m.group("sc_attrs"))
            return _block(ctx, text.rstrip(), lang) if text.strip() else ""
        text = html.unescape(strip_tags(BR.sub("\n", body)))
        escaped = hugo.escape_code(text) if ctx.hugo else text
        if escaped is None:
            return ctx.store.inline(hugo.code_html(text, "", block=False))
        return ctx.store.inline(code_span(escaped), html=hugo.code_html(text, "", block=False))

    pairs = pair_up(markup, _OPEN, _CLOSE, _open_kind, _close_kind)
    return _STRAY.sub("", replace_pairs(markup, pairs, replace))

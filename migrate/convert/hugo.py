"""Hugo shortcode syntax: calls we emit, and escaping of `{{<`/`{{%` that must print, not run.

Hugo expands shortcodes before Markdown rendering, in code fences too, and an unterminated `{{<` is a
build error. Behaviour checked against Hugo 0.168:
- prose: `{\\{<` (Markdown backslash escape) is not a shortcode delimiter and renders `{{<`;
- code: `{{</* x */>}}` renders exactly `{{< x >}}` (Hugo's documented escape), in fences too. It
  needs a closing `>}}`, so code with an unterminated `{{<` is given as raw HTML with `&#123;`;
- shortcode parameters: "…" cannot hold `\\` or `"` safely (Hugo reads escape sequences in them and
  rejects unknown ones; a trailing backslash breaks the lexer), while `raw` strings hold anything but
  backquotes (tested: quotes, backslashes, `>}}`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

_BRACE_OPENER = re.compile(r"\{(?=\{[<%])")
_BRACE_PAIR = re.compile(r"(?<=\{)\{")
_SIMPLE_POSITIONAL = re.compile(r"[\w.:/?=&%-]+")
_OPENERS = (("{{<", ">}}"), ("{{%", "%}}"))
_INLINE_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "*_`[]\\!~|"})


def shortcode(name: str, *positional: str, markdown: Collection[str] = (), **named: str) -> str:
    """`{{< name a b key="v" >}}`; empty named values are left out.

    `markdown` names the parameters Hugo renders as Markdown (figure's caption): their text must
    already be prose-escaped by the caller (see `escape_prose`).
    """
    parts = [name]
    parts += [p if _SIMPLE_POSITIONAL.fullmatch(p) else quote_param(p) for p in positional]
    parts += [
        f"{key}={quote_param(value, markdown=key in markdown)}" for key, value in named.items() if value
    ]
    return "{{< " + " ".join(parts) + " >}}"


def quote_param(value: str, *, markdown: bool = False) -> str:
    """Quote a shortcode parameter value so Hugo reads back exactly `value`.

    `markdown`: the value is Markdown, so a backquote may become `&#96;` when nothing else works.
    """
    value = " ".join(value.split("\n"))  # no parameter form survives a raw newline reliably
    if not any(c in value for c in '"\\'):
        return f'"{value}"'
    if "`" in value:
        # Quotes or backslashes and backquotes together (rare): backquotes become look-alikes so
        # the raw form still works. In Markdown an entity keeps the character.
        look_alike = "&#96;" if markdown else "\u2018"
        value = value.replace("\\`" if markdown else "`", look_alike).replace("`", look_alike)
    return f"`{value}`"


def escape_prose(text: str) -> str:
    """Markdown text in which a literal `{{<`/`{{%` prints instead of calling a shortcode.

    Every `{` right after a `{` is escaped, so no `{{` is left at all: text ending in `{{` may be
    followed by a token whose value starts with `<` (raw HTML).
    """
    if "{{" not in text:
        return text
    return _BRACE_PAIR.sub(r"\\{", text)


def escape_code(code: str) -> str | None:
    """Code text with each `{{<…>}}`/`{{%…%}}` in Hugo's comment form; None if one is unterminated."""
    if "{{" not in code:
        return code
    out: list[str] = []
    pos = 0
    following = {opener: code.find(opener) for opener, _ in _OPENERS}  # next occurrence of each
    while True:
        for opener in following:
            if 0 <= following[opener] < pos:
                following[opener] = code.find(opener, pos)
        found = [(at, opener) for opener, at in following.items() if at >= 0]
        if not found:
            break
        start, opener = min(found)
        closer = dict(_OPENERS)[opener]
        end = code.find(closer, start + 3)
        if end < 0:
            return None
        out += [code[pos:start], opener + "/*" + code[start + 3 : end] + "*/" + closer]
        pos = end + 3
    out.append(code[pos:])
    return "".join(out)


def escape_raw_html(markup: str) -> str:
    """Raw HTML kept in Markdown: `{` as `&#123;` where it would open a shortcode."""
    if "{{" not in markup:
        return markup
    return _BRACE_OPENER.sub("&#123;", markup)


def code_html(code: str, lang: str, *, block: bool) -> str:
    """Code as raw HTML, for the rare code Hugo's escapes cannot express (unterminated `{{<`)."""
    text = html.escape(code, quote=False).replace("{", "&#123;")
    if not block:
        # Inline HTML content is still parsed as Markdown: neutralise its punctuation too.
        return "<code>" + text.translate(_INLINE_ENTITIES) + "</code>"
    cls = f' class="language-{html.escape(lang)}"' if lang else ""
    return f"<pre><code{cls}>{text}</code></pre>"

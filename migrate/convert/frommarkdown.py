"""Markdown bodies (Markdown plugins that store what the author typed) are kept as Markdown.

Converting them to HTML and back would only lose the author's own formatting, and escaping them as
text (what the HTML path does to `*` and `#`) would lose all of it. What any body needs still runs,
on the prose only, never inside code:
- code (fenced, indented, inline spans, and HTML `<pre>`/`<code>` or `[code]` shortcodes) is set
  aside first, exactly as written, with Hugo's `{{</* */>}}` escape where it holds `{{<`;
- WordPress shortcodes (`[caption]`, `[gallery]`, `[youtube]`…), bare embed URLs, `<!--more-->`,
  scripts, iframes: the same steps as for HTML bodies;
- links: `[text](url)`, `![alt](url)`, `[id]: url` definitions, `<http://…>` autolinks and the
  href/src of inline HTML go through the same rewriting as HTML links (old permalinks and `?p=`
  to the new URLs, uploads to the media step's files);
- `{{<` in prose is escaped so Hugo prints it.
Nothing else is touched: no `wpautop` (these plugins replace it), no escaping, entities as written.
"""

from __future__ import annotations

import re

from . import code, hugo, rawhtml, shortcodes
from .context import Context
from .entities import collapse_double_encoding

_FENCE_OPEN = re.compile(r"^(?P<lead>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_INDENTED = re.compile(r"^(?: {4}|\t)")
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.DOTALL)
# [text](destination …): the text may hold one level of brackets (an image inside a link).
_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<space>[ \t]*)"
    r"(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
)
_REF_DEF = re.compile(r"^(?P<lead> {0,3}\[[^\[\]\n]+\]:[ \t]*)(?P<dest><[^<>\n]*>|\S+)", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>", re.IGNORECASE)


def keep_markdown(text: str, ctx: Context) -> str:
    """The Markdown body as Hugo should read it (see the module docstring)."""
    text = protect_code(text, ctx)
    text = code.protect_code(text, ctx)
    text = rawhtml.drop_scripts(text, ctx)
    text = rawhtml.protect_more(text, ctx)
    text = shortcodes.convert_shortcodes(text, ctx)
    text = collapse_double_encoding(text)
    text = rewrite_links(text, ctx)
    text = rawhtml.protect_embedded(text, ctx)
    text = ctx.store.map_text(text, ctx.escape_prose)
    text = _BLANK_RUN.sub("\n\n", text)  # block tokens bring blank lines of their own; code is a token
    return ctx.store.restore(text).strip("\n")


def _code_token(ctx: Context, written: str, inner: str, lang: str, *, block: bool) -> str:
    """A token for code exactly as `written`, or Hugo-escaped; raw HTML if `{{<` is unterminated."""
    if not ctx.hugo:
        return ctx.store.inline(written)
    escaped = hugo.escape_code(written)
    if escaped is not None:
        return ctx.store.inline(escaped)
    ctx.warn("code with an unterminated {{< kept as raw HTML so Hugo does not run it")
    return ctx.store.inline(hugo.code_html(inner, lang, block=block))


def protect_code(text: str, ctx: Context) -> str:
    """Markdown code blocks and spans → tokens holding them as written."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    blank_before = True
    in_list = False
    while i < len(lines):
        line = lines[i]
        opening = _FENCE_OPEN.match(line)
        if opening and not (opening.group("fence")[0] == "`" and "`" in opening.group("info")):
            fence = opening.group("fence")
            closing = re.compile(r"^[ \t>]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
            end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines) - 1)
            lead = opening.group("lead")
            written = "\n".join([line[len(lead) :], *lines[i + 1 : end + 1]])
            inner = "\n".join(v[len(lead) :] if v.startswith(lead) else v for v in lines[i + 1 : end])
            lang = code.language(opening.group("info").split()[0]) if opening.group("info").split() else ""
            out.append(lead + _code_token(ctx, written, inner, lang, block=True))
            i, blank_before = end + 1, False
            continue
        if blank_before and not in_list and _INDENTED.match(line):
            end = i
            while end + 1 < len(lines) and (_INDENTED.match(lines[end + 1]) or not lines[end + 1].strip()):
                end += 1
            while not lines[end].strip():
                end -= 1
            written = "\n".join(lines[i : end + 1])
            inner = "\n".join(re.sub(r"^(?: {4}|\t)", "", v) for v in lines[i : end + 1])
            out.append(_code_token(ctx, written, inner, "", block=True))
            i, blank_before = end + 1, False
            continue
        if line.strip():
            if _LIST_ITEM.match(line):
                in_list = True
            elif not line[:1].isspace():
                in_list = False
        blank_before = not line.strip()
        out.append(line)
        i += 1
    return _CODE_SPAN.sub(
        lambda m: _code_token(ctx, m.group(0), m.group(2).strip(), "", block=False), "\n".join(out)
    )


def rewrite_links(text: str, ctx: Context) -> str:
    """Link and image destinations, definitions, autolinks and HTML attributes, rewritten."""

    def destination(dest: str, *, embedded: bool) -> str:
        bracketed = dest.startswith("<") and dest.endswith(">")
        url = dest[1:-1] if bracketed else dest
        new = ctx.url(url, embedded=embedded)
        if new == url:
            return dest
        return f"<{new}>" if bracketed or any(c in new for c in " ()") else new

    def inline(m: re.Match[str]) -> str:
        inner = _INLINE_LINK.sub(inline, m.group("text"))  # an image inside a link's text
        dest = destination(m.group("dest"), embedded=bool(m.group("bang")))
        return f"{m.group('bang')}[{inner}]({m.group('space')}{dest}"

    def autolink(m: re.Match[str]) -> str:
        new = ctx.url(m.group(1))
        if new == m.group(1):
            return m.group(0)
        return f"<{new}>" if "://" in new else f"[{m.group(1)}]({new})"

    text = _INLINE_LINK.sub(inline, text)
    text = _REF_DEF.sub(lambda m: m.group("lead") + destination(m.group("dest"), embedded=False), text)
    text = _AUTOLINK.sub(autolink, text)
    return ctx.rewrite_html(text)

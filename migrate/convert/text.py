"""Plain text from Markdown and from titles, and the ≤160-character summary used as the `description`."""

from __future__ import annotations

import html
import re
from html.entities import html5

from .entities import decode_entities
from .guarded import guarded
from .tags import BR, strip_tags

_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t>]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
# Bounded lengths: unclosed delimiters must not make a long text quadratic.
_HUGO_SHORTCODE = re.compile(r"\{\{[<%].{0,4000}?[>%]\}\}", re.DOTALL)
# What Jekyll bodies have instead of Hugo's figure and x shortcodes (see figures.py, embeds.py).
_HTML_EMBED = re.compile(
    r'<figure>.{0,8000}?</figure>|<blockquote class="twitter-tweet">.{0,2000}?</blockquote>', re.DOTALL
)
_WP_SHORTCODE = re.compile(r"\[/?[a-zA-Z][\w-]*(?:\s[^\]\n]*)?/?\](?![(\[])")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# `\![x](u)` is `!` and a link. Each pattern here starts with a character, not a look-behind, so the
# regex engine can skip to where that character is.
_IMAGE = re.compile(r"!(?<!\\!)\[[^\]\[]*\]\([^()\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\[]*)\]\([^()\n]{0,2000}\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE_SPAN = re.compile(r"(`+)(.{1,1000}?)\1")
_LINE_MARKUP = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+)?", re.MULTILINE)
_RULE = guarded(r"^[ \t]*(?:[-*_][ \t]*){3,}$|^[ \t|:-]*-{3,}[ \t|:-]*$", "-", "*", "_", flags=re.MULTILINE)
# `*`, `**` or `***` (longest first), the same with `_`, or `~~`: each alternative starts with its
# literal, so the regex engine can skip to the next marker instead of trying every position.
_EMPHASIS = guarded(
    r"(\*(?:\*\*?)?|~~)(?=\S)(.{1,1000}?)(?<=\S)\1"
    # `_` emphasis never starts or ends inside a word: `http://x/v_show/id_1` keeps its underscores
    # (the look-behind, after the first `_`, looks at the character before it).
    r"|(_(?<![^\W_]_)(?:__?)?)(?=\S)(.{1,1000}?)(?<=\S)\3(?![^\W_])",
    "*",
    "~~",
    "_",
)
# A backslash escape, or a character reference as Markdown reads one (only with its `;`): decoded in one
# pass, so `\&copy;` (the text "&copy;") is not decoded a second time into "©".
_ESCAPE_OR_REFERENCE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]{0,31}));"
)
_TRAILING_FRAGMENT = " \t,;:-–—([{/\"'“‘«¿¡|"


def _drop_comments(text: str) -> str:
    """`<!-- … -->` removed (with str.find: a regex would rescan to the end for each unclosed one)."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out += [text[pos:start], " "]
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body: no markup, shortcodes, code blocks or HTML."""
    text = markdown
    if "```" in text or "~~~" in text:
        text = _FENCE.sub(" ", text)
    if "{{" in text:
        text = _HUGO_SHORTCODE.sub(" ", text)
    text = _drop_comments(text)
    if "<figure>" in text or "twitter-tweet" in text:
        text = _HTML_EMBED.sub(" ", text)
    if "](" in text:
        text = _IMAGE.sub(" ", text)
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub(" ", text)
    if "[" in text:
        text = _WP_SHORTCODE.sub(" ", text)
    if "`" in text:
        text = _CODE_SPAN.sub(lambda m: m.group(2).strip(), text)
    text = _RULE.sub(" ", text)
    text = _LINE_MARKUP.sub("", text)
    for _ in range(3):  # nested emphasis: ***a*** → a
        if not _EMPHASIS.could_match(text):
            break
        stripped = _EMPHASIS.pattern.sub(lambda m: m.group(2) if m.group(1) else m.group(4), text)
        if stripped == text:
            break
        text = stripped
    text = text.replace("|", " ")
    if "\\" in text or "&" in text:
        text = _ESCAPE_OR_REFERENCE.sub(_unescape, text)
    return " ".join(text.split())


def _unescape(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    name = m.group(2)
    if name is not None and name + ";" not in html5:
        return m.group(0)  # `&word;` that names no character is text
    return html.unescape(m.group(0))


def title_text(title: str) -> str:
    """A WordPress title as the words its page showed: `Title <em>With</em> <b>Markup</b>` →
    `Title With Markup`. Themes print titles as HTML, while front matter titles are text that
    Hugo and Jekyll escape, so tags go first and entities are decoded after: `&lt;b&gt;` written
    as text in WordPress stays the text `<b>`."""
    if "<" in title:
        title = strip_tags(BR.sub(" ", title))
    return decode_entities(title).strip()


def summarize(text: str, limit: int = 160) -> str:
    """`text` (whitespace collapsed) cut at a word boundary to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    # No space in reach (CJK, one huge word): cut at the limit rather than return nothing.
    cut = cut[:space] if space > limit // 3 else text[:limit]
    return cut.rstrip(_TRAILING_FRAGMENT) or cut.strip()

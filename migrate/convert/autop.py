"""A port of WordPress's `wpautop()` (wp-includes/formatting.php, WordPress 6.x).

Classic-editor posts are stored without `<p>`: WordPress adds paragraphs when it renders them, so
the migration must too, or every post becomes one paragraph. Kept faithful statement by statement,
so the output matches what readers saw. PCRE's `\\s` is ASCII-only while Python's matches U+00A0 and
friends, so `_S` stands in for it: a non-breaking space is text and must never be dropped.
"""

from __future__ import annotations

import re

from .guarded import guarded

_S = r"[ \t\n\r\f\v]"
# Patterns that start with `_S*` only ever match from the start of a whitespace run (the leftmost
# match); saying so keeps them linear on long runs of spaces instead of retrying at every space.
_RUN = r"(?<![ \t\n\r\f\v])"
_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)

# wp_html_split(): comments (to `-->`), CDATA (to `]]>`), or ordinary tags.
_HTML_SPLIT = re.compile(r"(<(?:!--.*?(?:-->|\Z)|!\[CDATA\[.*?(?:\]\]>|\Z)|[^>]*>?))", re.DOTALL)

_BR_BR = guarded(r"<br" + _S + r"*/?>" + _S + r"*<br" + _S + r"*/?>", "<br")
_BLOCK_OPEN = re.compile(r"(<" + _ALLBLOCKS + r"[" + _S[1:-1] + r"/>])")
_BLOCK_CLOSE = re.compile(r"(</" + _ALLBLOCKS + r">)")
_HR = guarded(r"(<hr" + _S + r"*?/?>)", "<hr")
_OPTION_BEFORE = re.compile(_RUN + _S + r"*<option")
_OPTION_AFTER = re.compile(r"</option>" + _S + r"*")
_OBJECT_OPEN = re.compile(r"(<object[^>]*>)" + _S + r"*")
_OBJECT_CLOSE = re.compile(_RUN + _S + r"*</object>")
_PARAM_EMBED = re.compile(_RUN + _S + r"*(</?(?:param|embed)[^>]*>)" + _S + r"*")
_AV_OPEN = re.compile(r"([<\[](?:audio|video)[^>\]]*[>\]])" + _S + r"*")
_AV_CLOSE = re.compile(_RUN + _S + r"*([<\[]/(?:audio|video)[>\]])")
_SOURCE_TRACK = re.compile(_RUN + _S + r"*(<(?:source|track)[^>]*>)" + _S + r"*")
_FIGCAPTION_OPEN = re.compile(_RUN + _S + r"*(<figcaption[^>]*>)")
_FIGCAPTION_CLOSE = re.compile(r"</figcaption>" + _S + r"*")
_MANY_NL = re.compile(r"\n\n+")
_PARAGRAPHS = re.compile(r"\n" + _S + r"*\n")
_EMPTY_P = re.compile(r"<p>" + _S + r"*</p>")
_UNCLOSED_P = guarded(r"<p>([^<]+)</(div|address|form)>", "</div>", "</address>", "</form>")
_P_AROUND_BLOCK = re.compile(r"<p>" + _S + r"*(</?" + _ALLBLOCKS + r"[^>]*>)" + _S + r"*</p>")
_P_AROUND_LI = guarded(r"<p>(<li.+?)</p>", "<li")
_P_BLOCKQUOTE = guarded(r"<p><blockquote([^>]*)>", "<p><", "<P><", flags=re.IGNORECASE)
_P_BEFORE_BLOCK = re.compile(r"<p>" + _S + r"*(</?" + _ALLBLOCKS + r"[^>]*>)")
_P_AFTER_BLOCK = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)" + _S + r"*</p>")
_PRESERVE = guarded(r"<(script|style|svg|math).*?</\1>", "<s", "<math", flags=re.DOTALL)
# PHP: `(?<!<br />)\s*\n`, including its quirk of matching one character after a `<br />`: a match
# starts where a whitespace run starts, not after `<br />`, or one character after a `<br />`.
# Written to begin with its first character (a newline or a space) and look behind from there, so
# that the regex engine skips to the next whitespace instead of trying every position. The same
# matches as `(?:_RUN(?<!<br />)|(?<=<br />_S))(?:[ \t\r\f\v]*+\n)++` (tests/test_convert_autop.py).
_WHITESPACE_START = r"(?:(?<!" + _S + _S + r")(?<!<br />" + _S + r")|(?<=<br />" + _S + _S + r"))"
_NEWLINE_TO_BR = re.compile(
    r"(?:\n" + _WHITESPACE_START + r"|[ \t\r\f\v]" + _WHITESPACE_START + r"[ \t\r\f\v]*+\n)"
    r"(?:[ \t\r\f\v]*+\n)*+"
)
_BR_AFTER_BLOCK = guarded(r"(</?" + _ALLBLOCKS + r"[^>]*>)" + _S + r"*<br />", "<br />")
_BR_BEFORE_BLOCK = guarded(r"<br />(" + _S + r"*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", "<br />")
_TRAILING_BR = guarded(r"\n</p>$", "\n</p>")


def _replace_in_html_tags(text: str, needle: str, replacement: str) -> str:
    """wp_replace_in_html_tags(): replace inside tags and comments only, never in text."""
    parts = _HTML_SPLIT.split(text)
    for i in range(1, len(parts), 2):
        if needle in parts[i]:
            parts[i] = parts[i].replace(needle, replacement)
    return "".join(parts)


def _trim_newlines(text: str) -> str:
    return text.strip("\n")


def wpautop(text: str, br: bool = True) -> str:
    """Paragraphs and line breaks for classic-editor HTML, exactly as WordPress renders them."""
    if text.strip(" \t\n\r\0\x0b") == "":
        return ""
    text = text + "\n"  # "Just to make things a little easier, pad the end."

    pre_tags: dict[str, str] = {}
    if "<pre" in text:  # <pre> is never touched: set aside, put back at the end
        parts = text.split("</pre>")
        last = parts.pop()
        rebuilt = []
        for i, part in enumerate(parts):
            start = part.find("<pre")
            if start < 0:  # malformed HTML
                rebuilt.append(part)
                continue
            name = f"<pre wp-pre-tag-{i}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            rebuilt.append(part[:start] + name)
        text = "".join(rebuilt) + last

    text = _BR_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(lambda m: "\n\n" + m.group(1), text)
    text = _BLOCK_CLOSE.sub(lambda m: m.group(1) + "\n\n", text)
    text = _HR.sub(lambda m: m.group(1) + "\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_in_html_tags(text, "\n", " <!-- wpnl --> ")

    if "<option" in text:
        text = _OPTION_BEFORE.sub("<option", text)
        text = _OPTION_AFTER.sub("</option>", text)
    if "</object>" in text:
        text = _OBJECT_OPEN.sub(r"\1", text)
        text = _OBJECT_CLOSE.sub("</object>", text)
        text = _PARAM_EMBED.sub(r"\1", text)
    if "<source" in text or "<track" in text:
        text = _AV_OPEN.sub(r"\1", text)
        text = _AV_CLOSE.sub(r"\1", text)
        text = _SOURCE_TRACK.sub(r"\1", text)
    if "<figcaption" in text:
        text = _FIGCAPTION_OPEN.sub(r"\1", text)
        text = _FIGCAPTION_CLOSE.sub("</figcaption>", text)

    text = _MANY_NL.sub("\n\n", text)
    paragraphs = [p for p in _PARAGRAPHS.split(text) if p]
    text = "".join("<p>" + _trim_newlines(p) + "</p>\n" for p in paragraphs)

    text = _EMPTY_P.sub("", text)
    text = _UNCLOSED_P.sub(r"<p>\1</p></\2>", text)
    text = _P_AROUND_BLOCK.sub(r"\1", text)
    text = _P_AROUND_LI.sub(r"\1", text)
    text = _P_BLOCKQUOTE.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK.sub(r"\1", text)
    text = _P_AFTER_BLOCK.sub(r"\1", text)

    if br:
        text = _PRESERVE.sub(lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _NEWLINE_TO_BR.sub("<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _TRAILING_BR.sub("</p>", text)

    for name, original in pre_tags.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text

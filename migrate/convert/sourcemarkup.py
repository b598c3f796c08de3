"""Which markup a post body is written in: HTML (what WordPress stores), Textile or Markdown.

Plugins (Textile 2, Textile Wrapper, Markdown on Save, WP-Markdown, PHP Markdown Extra) let authors
write Textile or Markdown that WordPress keeps as typed in `post_content` and renders on display,
in place of `wpautop`. Such a body read as HTML loses its links and headings and gets its `*` and
`#` escaped, so it must be converted as what it is. The export does not say which plugins the site
had, so the body itself has to tell, and a false positive (an HTML post mangled as Textile) is far
worse than a miss (a Textile post escaped as text, still readable). So only strong signals count,
several of them, in prose (code, HTML comments and enclosing shortcodes are looked past), and
anything that says "HTML" wins:

- never for Gutenberg posts (block comments: the block editor stores HTML), nor for a body with
  `<p>` tags (the visual editor and wpautop's output; these plugins replace wpautop);
- never on WordPress.com (`generator` http(s)://wordpress.com/): it runs no Textile plugin, and its
  Markdown (Jetpack's, self-hosted sites' too) is stored as the HTML it renders to, with the Markdown in
  `post_content_filtered`, which WXR does not export; the `_wpcom_is_markdown` postmeta it leaves
  behind therefore means nothing here. Posts imported there from elsewhere (Posterous…) may hold
  `[text][1]` lines that WordPress.com always showed as text.

Textile: at least two strong signals — `"text":url` links, block signatures at a line start
(`h2. `, `bq. `, `p(class). `, `fn1. `, `bc. `; not a bare `p. `, as in "p. 12 says"),
`!image.png!` — or one and a Textile phrase (`*strong*`, `_em_`) when the body has no inline HTML
formatting of its own.

Markdown: at least two different kinds of strong signal among `[text](url)`, `![alt](url)`,
`[text][id]` with its `[id]: url` definition, `## ` or underlined headings (between blank lines:
`# apt-get …` lines are a shell session), fenced code blocks and `**strong**` (three kinds when
the prose also has inline HTML formatting, `<a>`, `<strong>`…), and nothing that shows WordPress
treated the text as HTML: entity-encoded quote markers (`&gt; ` at a line start) or reference
definitions whose URL WordPress made a link (`[1]: <a href="…">…</a>`, `make_clickable` on text it
displayed as it was).

Signals of both: HTML. WordPress.com is the only site-level hint: a blog's posts tend to share one
markup, but a site-wide vote would let a few Textile posts turn an HTML look-alike into Textile.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .guarded import guarded

HTML = "html"
TEXTILE = "textile"
MARKDOWN = "markdown"
AUTO = "auto"
MARKUPS = (HTML, TEXTILE, MARKDOWN)
CHOICES = (AUTO, *MARKUPS)  # --source-markup

_WPCOM_GENERATOR = re.compile(r"^https?://wordpress\.com/?$", re.IGNORECASE)

# What is not prose: code (HTML and shortcode forms), comments, any enclosing shortcode's content.
# Openers and closers are found in one scan each and paired by position, so it stays linear.
_OPENER = re.compile(
    r"<(pre|code|tt|kbd|samp|script|style)\b[^>]*>|\[([A-Za-z][\w-]*)\b[^\[\]]*\]", re.IGNORECASE
)
_CLOSER = re.compile(r"</(pre|code|tt|kbd|samp|script|style)\s*>|\[/([A-Za-z][\w-]*)\]", re.IGNORECASE)
_COMMENT = guarded(r"<!--.*?(?:-->|\Z)", "<!--", flags=re.DOTALL)
_MD_FENCE = guarded(r"^[ \t>]*(`{3,}|~{3,})", "```", "~~~")
_MD_CODE_SPAN = guarded(r"(`+)(?!`).+?(?<!`)\1(?!`)", "`")
_TAG = guarded(r"<[A-Za-z/][^>]*>", "<")
_BLOCKS_EDITOR = re.compile(r"<!--\s*wp:[a-z]")
_P_TAG = re.compile(r"<p[\s>]", re.IGNORECASE)
_INLINE_HTML = re.compile(r"<(?:strong|em|b|i|a|span|u)\b", re.IGNORECASE)

# Most bodies have few of these: each pattern is skipped unless the text holds a string any match
# needs (guarded.py), and starts with a character rather than a look-behind, which lets the regex
# engine skip to that character (tests/test_convert_lightmarkup.py checks them against the slow forms).

# Textile
_TX_LINK = guarded(r""""(?<![\w=:]")[^"\n<>]*[^\s"<>=]":(?:https?://|ftp://|mailto:|/|#)[^\s"<>]""", '":')
# A bare `p. ` is left out: Textile writers need it only with attributes (`p(note). `), while
# "p. 12 says…" starts many a line of notes.
_TX_ATTRS = r"(?:\([^)\n]*\)|\{[^}\n]*\}|\[[A-Za-z-]+\]|[<>=]+)"
_TX_BLOCK = guarded(
    r"^(?:(?:h[1-6]|bq|bc|pre|notextile|fn\d+)" + _TX_ATTRS + "*|p" + _TX_ATTRS + r"+)\.\.? +\S",
    ". ",
    flags=re.MULTILINE,
)
_TX_IMAGE = guarded(
    r"!(?<![\w!]!)(?:\([^)\n]*\))?(?:https?://|/)?[^\s!\"<>()]+\.(?:png|jpe?g|gif|webp|svg)"
    r"(?:\([^)\n]*\))?!(?::\S+)?",
    "!",
)
_TX_PHRASE = guarded(
    r"\*(?<![\w*]\*)[^\s*][^*\n]*(?<=[^\s*])\*(?![\w*])|_(?<![\w_]_)[^\s_][^_\n]*(?<=[^\s_])_(?![\w_])",
    "*",
    "_",
)

# Markdown
_MD_INLINE_LINK = guarded(
    r"\[(?<!!\[)[^\[\]\n]+\]\((?:https?://|/|#|mailto:)[^)\s]*(?:\s+\"[^\"\n]*\")?\)", "]("
)
_MD_IMAGE = guarded(r"!\[[^\[\]\n]*\]\([^)\s]+(?:\s+\"[^\"\n]*\")?\)", "![")
_MD_REF_USE = guarded(r"\[[^\[\]\n]+\]\[([^\[\]\n]*)\]", "][")
_MD_REF_DEF = guarded(
    r"^ {0,3}\[([^\[\]\n]+)\]:[ \t]*<?(?:https?://|/|#|mailto:)[^\s<>]*>?[ \t]*(?:\"[^\"\n]*\")?[ \t]*$",
    "]:",
    flags=re.MULTILINE,
)
# A heading stands between blank lines; `# command` lines one after another are a shell session.
_MD_HEADING = re.compile(
    r"(?:\A|\n[ \t]*\n)(?:#{1,6}[ \t]+\S[^\n]*|[^\s<][^\n]*\n(?:={3,}|-{3,})[ \t]*)(?=\n[ \t]*\n|\n?\Z)"
)
_MD_STRONG = guarded(r"\*\*(?<![\w*]\*\*)[^\s*][^*\n]*(?<=[^\s*])\*\*(?![\w*])", "**")
_MD_ESCAPED_QUOTE = guarded(r"^&gt;", "&gt;", flags=re.MULTILINE)
_MD_LINKED_DEF = guarded(r"^ {0,3}\[[^\[\]\n]+\]:[ \t]*<a\s", "]:", flags=re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Signals:
    """What a body's prose holds, counted (for tests and for measuring the detector)."""

    textile_links: int = 0
    textile_blocks: int = 0
    textile_images: int = 0
    textile_phrases: int = 0
    markdown_links: int = 0
    markdown_images: int = 0
    markdown_references: int = 0  # `[text][id]` uses whose `[id]: url` is defined
    markdown_headings: int = 0
    markdown_fences: int = 0
    markdown_strong: int = 0
    inline_html: bool = False
    escaped_quotes: bool = False
    linked_definitions: bool = False  # `[1]: <a href=…>`: WordPress linked the URL as text

    @property
    def textile_strong(self) -> int:
        return self.textile_links + self.textile_blocks + self.textile_images

    @property
    def markdown_kinds(self) -> int:
        counts = (
            self.markdown_links,
            self.markdown_images,
            self.markdown_references,
            self.markdown_headings,
            self.markdown_fences,
            self.markdown_strong,
        )
        return sum(1 for n in counts if n)


def is_wordpress_com(generator: str) -> bool:
    """Was the export written by WordPress.com (which stores rendered HTML, whatever was typed)?"""
    return bool(_WPCOM_GENERATOR.match(generator.strip()))


def _without_code(text: str) -> str:
    """`text` without code elements, enclosing shortcodes and their content, and comments."""
    text = _COMMENT.sub(" ", text)
    closers: dict[str, list[int]] = {}
    for m in _CLOSER.finditer(text):
        closers.setdefault((m.group(1) or "[" + m.group(2)).lower(), []).append(m.start())
    if not closers:
        return text
    out: list[str] = []
    pos = 0
    for m in _OPENER.finditer(text):
        if m.start() < pos:
            continue
        name = (m.group(1) or "[" + m.group(2)).lower()
        starts = closers.get(name, [])
        i = bisect.bisect_left(starts, m.end())
        if i < len(starts):
            out += [text[pos : m.start()], " "]
            pos = _CLOSER.match(text, starts[i]).end()  # type: ignore[union-attr]
    out.append(text[pos:])
    return "".join(out)


def _without_fences(text: str) -> tuple[str, int]:
    """`text` without Markdown fenced code blocks, and how many there were."""
    if not _MD_FENCE.could_match(text):
        return text, 0  # no line starts a fence: every line is kept
    kept: list[str] = []
    fence = ""
    count = 0
    for line in text.split("\n"):
        m = _MD_FENCE.pattern.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
        elif m and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
            fence = m.group(1)
            count += 1
        else:
            kept.append(line)
    return "\n".join(kept), count


def signals(body: str) -> Signals:
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    text, fences = _without_fences(text)
    text = _without_code(text)
    inline_html = _INLINE_HTML.search(text) is not None
    defined = {m.group(1).strip().lower() for m in _MD_REF_DEF.finditer(text)}
    prose = _MD_CODE_SPAN.sub(" ", _TAG.sub(" ", text))
    references = sum(
        1 for m in _MD_REF_USE.finditer(prose) if (m.group(1) or "").strip().lower() in defined and defined
    )
    return Signals(
        textile_links=len(_TX_LINK.findall(prose)),
        textile_blocks=len(_TX_BLOCK.findall(prose)),
        textile_images=len(_TX_IMAGE.findall(prose)),
        textile_phrases=len(_TX_PHRASE.findall(prose)),
        markdown_links=len(_MD_INLINE_LINK.findall(prose)),
        markdown_images=len(_MD_IMAGE.findall(prose)),
        markdown_references=references,
        markdown_headings=len(_MD_HEADING.findall(prose)),
        markdown_fences=fences,
        markdown_strong=len(_MD_STRONG.findall(prose)),
        inline_html=inline_html,
        escaped_quotes=_MD_ESCAPED_QUOTE.search(body) is not None,
        linked_definitions=_MD_LINKED_DEF.search(text) is not None,
    )


def detect(body: str, *, wordpress_com: bool = False) -> str:
    """HTML, TEXTILE or MARKDOWN for one post body (`wordpress_com`: the export's generator)."""
    if wordpress_com or not body.strip() or _BLOCKS_EDITOR.search(body) or _P_TAG.search(body):
        return HTML
    found = signals(body)
    textile = found.textile_strong >= 2 or (
        found.textile_strong == 1 and found.textile_phrases >= 1 and not found.inline_html
    )
    # Markdown writers have little use for <a> or <strong>: with them, one more kind is needed.
    kinds = 3 if found.inline_html else 2
    markdown = found.markdown_kinds >= kinds and not (found.escaped_quotes or found.linked_definitions)
    if textile and not markdown:
        return TEXTILE
    if markdown and not textile:
        return MARKDOWN
    return HTML  # no signal, or both: nothing to go on, and HTML is what WordPress stores


def choose(setting: str, body: str, *, wordpress_com: bool = False) -> str:
    """The markup to convert `body` as, for the --source-markup `setting` (AUTO detects)."""
    if setting in MARKUPS:
        return setting
    return detect(body, wordpress_com=wordpress_com)

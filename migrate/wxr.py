"""Stream records out of a WXR (WordPress eXtended RSS) export.

XML → records, nothing else: no conversion, no file writes. One `<item>` is built at a time and
dropped from the tree once read, so memory stays flat however large the export.

The parser is locked down: no DTD loading, no entity resolution, no network, and a document that
declares a DOCTYPE is refused outright (WordPress never writes one; it is how XXE and
entity-expansion attacks arrive).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from . import exportfile
from .hints import SALVAGE, explain
from .models import Author, Channel, Comment, Item, ItemTerm, Repair, Salvage, Term
from .repair import NotAnExport, PrologError, RepairingReader
from .salvage import unread_items

# Namespace URI → short kind. WXR 1.0–1.2, http or https; the excerpt namespace nests under wp's.
_WP_PREFIXES = ("http://wordpress.org/export/", "https://wordpress.org/export/")
_CONTENT_NS = ("http://purl.org/rss/1.0/modules/content/",)
_DC_NS = ("http://purl.org/dc/elements/1.1/",)
_WATCHED = ("{*}rss", "{*}channel", "{*}item")
# No DTD, no entities, no network, libxml2's size limits on (huge_tree off).
_LOCKED_DOWN: dict[str, object] = {
    "events": ("start", "end"),
    "tag": _WATCHED,
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": False,
}
MAX_TEXT_CHARS = 10_000_000  # libxml2's XML_MAX_TEXT_LENGTH
MAX_DEPTH = 256  # libxml2's default maximum depth
_MAX_CACHED_TAGS = 4096


class ExportError(Exception):
    """An export that cannot be read. `str()` is one line: `FILE:LINE:COL: message`."""


@dataclass(frozen=True, slots=True)
class _Names:
    """Tag → (kind, local name), cached per tag (an export uses a few dozen)."""

    cache: dict[str, tuple[str, str]]
    wordpress: list[bool]  # [True] once an element of WordPress's export namespace was seen

    def kind(self, tag: str) -> tuple[str, str]:
        """Split `{uri}local` into (kind, local): kind is wp, excerpt, content, dc, "" or "?"."""
        found = self.cache.get(tag)
        if found is None:
            if tag[0] != "{":
                found = "", tag
            else:
                uri, _, local = tag[1:].partition("}")
                found = _classify(uri), local
                if found[0] in ("wp", "excerpt") and not self.wordpress:
                    self.wordpress.append(True)
            if len(self.cache) < _MAX_CACHED_TAGS:  # a hostile file may use endless new names
                self.cache[tag] = found
        return found


def _classify(uri: str) -> str:
    if uri.startswith(_WP_PREFIXES):
        return "excerpt" if uri.rstrip("/").endswith("/excerpt") else "wp"
    if uri in _CONTENT_NS:
        return "content"
    if uri in _DC_NS:
        return "dc"
    return "?"


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


# `?p=19` or `?page_id=19` in a guid or link: the id behind WordPress's default permalink.
_QUERY_ID = re.compile(r"[?&](?:p|page_id|attachment_id)=([0-9]{1,18})(?:[&#]|$)")


def _id_from_urls(*urls: str) -> int:
    """An item written without `<wp:post_id>` (hand-made exports) is still WordPress post N."""
    for url in urls:
        m = _QUERY_ID.search(url.strip())
        if m:
            return int(m.group(1))
    return 0


def _text(el: etree._Element) -> str:
    return el.text or ""


@dataclass(frozen=True)
class ReadOptions:
    """How strictly one export is read.

    The limits are libxml2's own with `huge_tree` off (it stays off): a longer text node or a
    deeper tree is refused by the parser before it is ever built, so a 1 GB text node costs at most
    10 MB. They are parameters so that tests can prove the refusal on small files.
    """

    salvage: bool = False  # on a fatal XML error: keep what was read, name what was not
    max_text_chars: int = MAX_TEXT_CHARS
    max_depth: int = MAX_DEPTH


Record = Item | Author | Term | Channel | Repair | Salvage


def iter_records(
    path: str | os.PathLike[str], options: ReadOptions | None = None, *, comments: bool = True
) -> Iterator[Record]:
    """Yield every item of one export as it is parsed, then its authors, terms and channel, then
    the repairs made to its bytes (and, with `salvage`, a Salvage record for a broken file).

    Raises ExportError for XML that is not well formed, a DOCTYPE, a file that is not WXR, or one
    over the limits. `comments=False` leaves items' comments out (a pass that needs none is cheaper).
    """
    name = os.fspath(path)
    options = options or ReadOptions()
    try:
        found = exportfile.parts(name)  # a zip holds several exports; gzip and plain files one
    except OSError as exc:
        raise ExportError(f"{name}:0:0: cannot read the file: {exc.strerror or exc}") from None
    except exportfile.ArchiveError as exc:
        raise ExportError(f"{name}: {exc}") from None
    for part in found:
        yield from _part_records(part, options, comments)


def _part_records(part: exportfile.Part, options: ReadOptions, comments: bool) -> Iterator[Record]:
    name = part.name
    try:
        with part.open() as raw:
            stream = RepairingReader(raw, name)
            try:
                yield from _parse(stream, part, options, comments)
            except PrologError as exc:
                raise ExportError(f"{name}:{exc.line}:0: {exc}") from None
            except NotAnExport as exc:
                raise ExportError(f"{name}: not a WordPress export ({exc})") from None
            yield from stream.repairs
    except exportfile.DAMAGED as exc:
        raise ExportError(f"{name}: the compressed data is damaged or cut off ({exc})") from None
    except OSError as exc:
        raise ExportError(f"{name}:0:0: cannot read the file: {exc.strerror or exc}") from None


@dataclass
class _Open:
    """Elements the parser has started but not finished: what an error happened inside."""

    channel: etree._Element | None = None
    item: etree._Element | None = None
    root_seen: bool = False


def _parse(
    stream: RepairingReader, part: exportfile.Part, options: ReadOptions, comments: bool
) -> Iterator[Record]:
    name = part.name
    names = _Names({}, [])
    context = etree.iterparse(stream, **_LOCKED_DOWN)
    open_ = _Open()
    try:
        for event, el in context:
            local = etree.QName(el).localname
            if event == "start":
                if not open_.root_seen:
                    open_.root_seen = True
                    _check_root(name, el, stream)
                elif local == "item":
                    open_.item = el
                elif local == "channel":
                    open_.channel = el
            elif local == "item":
                _check_limits(el, options, name, stream)
                record = _item(el, names, name, stream.original_line(el.sourceline or 0), comments)
                if not names.wordpress:  # the first item: its channel's header is read too
                    _check_wordpress(names, el.getparent())
                yield record
                open_.item = None
                # Drop the item from the tree: only the channel header stays in memory.
                parent = el.getparent()
                el.clear(keep_tail=False)
                if parent is not None:
                    parent.remove(el)
            elif local == "channel":
                _check_limits(el, options, name, stream)
                yield from _channel(el, names, name)
                open_.channel = None
                el.clear(keep_tail=False)
    except etree.XMLSyntaxError as exc:
        error = _fatal_error(context.error_log, exc)
        if error is not None:
            message, salvageable = _describe(error, stream, open_, part)
            if not options.salvage:
                raise ExportError(message + (SALVAGE if salvageable else "")) from None
            yield from _salvage(message, error, stream, open_, names, part)
            return  # what was read is kept; whether the rest was WordPress's cannot be known
    if not open_.root_seen:
        raise NotAnExport("no <rss> root element")
    _check_wordpress(names)


def _check_wordpress(names: _Names, channel: etree._Element | None = None) -> None:
    """An RSS feed is not an export: without one element of WordPress's export namespace
    (`wp:wxr_version`, `wp:post_id`…) it would migrate as posts with id 0 and lose the rest. The
    version's value is not checked: an export with `wp:` elements but a bad or missing
    `wp:wxr_version` is still WordPress's, and reads the same."""
    for child in channel if channel is not None and not names.wordpress else ():
        if isinstance(child.tag, str):
            names.kind(child.tag)
    if not names.wordpress:
        raise NotAnExport(
            "an RSS file with no element of WordPress's export namespace: no wp:wxr_version, no"
            " wp:post_id; export the site with Tools → Export or wp export"
        )


# libxml2 reports these namespace problems but reads on: a namespace name that is an IRI (non-ASCII
# letters) or relative is still a name, and XML Namespaces 1.1 and other parsers accept it.
_TOLERATED = frozenset({"WAR_NS_URI", "WAR_NS_URI_RELATIVE"})


@dataclass(frozen=True)
class _Error:
    line: int
    column: int
    message: str
    read_to_end: bool = False  # an error libxml2 reads on after: every item was still read


def _fatal_error(log: etree._ListErrorLog, exc: etree.XMLSyntaxError) -> _Error | None:
    """The error that stopped the parse (the first fatal one), or None when every error was one
    that libxml2 reads on after and we tolerate. lxml's own message names the first error of any
    level, which is not always the one that stopped it."""
    entries = [e for e in log if e.level_name in ("ERROR", "FATAL") and e.type_name not in _TOLERATED]
    fatal = [e for e in entries if e.level_name == "FATAL"]
    if fatal or entries:
        first = (fatal or entries)[0]
        return _Error(first.line, first.column, first.message, read_to_end=not fatal)
    return None if len(log) else _Error(*(exc.position or (exc.lineno or 0, 0)), exc.msg or str(exc))


def _describe(
    error: _Error, stream: RepairingReader, open_: _Open, part: exportfile.Part
) -> tuple[str, bool]:
    """(`FILE:LINE:COL: message; hint` on one line in the original file's coordinates, whether
    --salvage can help)."""
    line, col = stream.original_position(error.line, error.column)
    item = _item_label(open_.item, stream, part) if open_.item is not None else ""
    at_end = stream.at_end and line >= stream.total_lines
    text, salvageable = explain(_syntax_message(error.message), item, at_end)
    return f"{part.name}:{line}:{col}: {text}", salvageable


def _item_label(el: etree._Element, stream: RepairingReader, part: exportfile.Part) -> str:
    """`item 2101 "Title" (line 5300)`. WordPress writes the id after the text, where the error
    usually is, so both are read from the raw lines rather than the half-built element."""
    line = stream.original_line(el.sourceline or 0)
    found = unread_items(part.open, line, part.name, stream.encoding, limit=1)
    label = f"item {found[0].id}" if found and found[0].id else "the item"
    title = " ".join(found[0].title.split()) if found else ""
    if title:
        label += f' "{title[:60]}"'
    return f"{label} (line {line})"


def _salvage(
    message: str, error: _Error, stream: RepairingReader, open_: _Open, names: _Names, part: exportfile.Part
) -> Iterator[Record]:
    """What is left to give after a fatal error: the channel header read so far, and a list of
    every item from the broken one on."""
    name = part.name
    if error.read_to_end:
        yield Salvage(name, message)
        return
    if open_.channel is not None:
        yield from _channel(open_.channel, names, name)
    line = stream.original_line(error.line)
    if open_.item is not None and open_.item.sourceline:
        line = stream.original_line(open_.item.sourceline)
    yield Salvage(name, message, unread_items(part.open, line, name, stream.encoding))


def _check_limits(el: etree._Element, options: ReadOptions, name: str, stream: RepairingReader) -> None:
    """Refuse a finished element holding a text or a nesting over the limits (see ReadOptions)."""
    if options.max_text_chars >= MAX_TEXT_CHARS and options.max_depth >= MAX_DEPTH:
        return  # libxml2 enforces its own limits itself (huge_tree stays off): no walk needed
    stack = [(el, 1 + sum(1 for _ in el.iterancestors()))]
    while stack:
        node, depth = stack.pop()
        longest = max(len(node.text or ""), len(node.tail or "") if node is not el else 0)
        problem = ""
        if longest > options.max_text_chars:
            problem = f"a text of {longest:,} characters, over the limit of {options.max_text_chars:,}"
        elif depth > options.max_depth:
            problem = f"elements nested over {options.max_depth} levels deep"
        if problem:
            line = stream.original_line(node.sourceline or 0)
            raise ExportError(f"{name}:{line}:0: {problem}; refused: the file is damaged or hostile")
        stack.extend((child, depth + 1) for child in node)


def _syntax_message(message: str) -> str:
    # libxml2 repeats the position in its message ("…, line 4, column 7"); keep the words.
    # Messages can quote the offending text, newlines included: an error stays on one line.
    msg = " ".join(message.split())
    # "…, use XML_PARSE_HUGE option": advice for programmers about the limit we keep on purpose.
    msg = re.sub(r",? (?:use|try) XML_PARSE_HUGE(?: option)?", "", msg)
    head, sep, _ = msg.rpartition(", line ")
    msg = head if sep and head else msg
    return msg if len(msg) <= 200 else msg[:199] + "…"


def _check_root(name: str, root: etree._Element, stream: RepairingReader) -> None:
    info = root.getroottree().docinfo
    if info.doctype:  # the reader refuses a DOCTYPE in the prolog first; this is the backstop
        raise ExportError(
            f"{name}:1:0: the file declares a DOCTYPE ({info.doctype[:60]}); WordPress exports "
            "never do, and it is refused because DTDs can read local files or expand entities"
        )
    if etree.QName(root).localname != "rss":
        raise NotAnExport(f"the root element is <{etree.QName(root).localname}>, expected <rss>")


def _item(el: etree._Element, names: _Names, source: str, line: int, with_comments: bool = True) -> Item:
    f: dict[str, object] = {}
    terms: list[ItemTerm] = []
    meta: list[tuple[str, str]] = []
    comments: list[Comment] = []
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        kind, local = names.kind(tag)
        if kind == "wp":
            if local == "postmeta":
                meta.append(_pair(child, names, "meta_key", "meta_value"))
            elif local == "comment":
                if with_comments:
                    comments.append(_comment(child, names))
            else:
                f[local] = _text(child)
        elif kind == "":
            if local == "category":
                terms.append(
                    ItemTerm(
                        taxonomy=child.get("domain", "category"),
                        slug=child.get("nicename", ""),
                        name=_text(child),
                    )
                )
            else:
                f[local] = _text(child)
        elif kind == "content" and local == "encoded":
            f["content"] = _text(child)
        elif kind == "excerpt" and local == "encoded":
            f["excerpt"] = _text(child)
        elif kind == "dc" and local == "creator":
            f["creator"] = _text(child)

    def s(key: str) -> str:
        return str(f.get(key, ""))

    return Item(
        id=_int(s("post_id")) or _id_from_urls(s("guid"), s("link")),
        post_type=s("post_type").strip() or "post",
        title=s("title"),
        link=s("link").strip(),
        guid=s("guid").strip(),
        creator=s("creator").strip(),
        content=s("content"),
        excerpt=s("excerpt"),
        post_date=s("post_date").strip(),
        post_date_gmt=s("post_date_gmt").strip(),
        post_modified=s("post_modified").strip(),
        post_modified_gmt=s("post_modified_gmt").strip(),
        slug=s("post_name").strip(),
        status=s("status").strip(),
        parent=_int(s("post_parent")),
        menu_order=_int(s("menu_order")),
        password=s("post_password"),
        sticky=s("is_sticky").strip() == "1",
        attachment_url=s("attachment_url").strip(),
        terms=tuple(terms),
        postmeta=tuple(meta),
        comments=tuple(comments),
        source=source,
        line=line,
    )


def _pair(el: etree._Element, names: _Names, key_name: str, value_name: str) -> tuple[str, str]:
    key = value = ""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        _, local = names.kind(child.tag)
        if local == key_name:
            key = _text(child)
        elif local == value_name:
            value = _text(child)
    return key, value


def _fields(el: etree._Element, names: _Names) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in el:
        if isinstance(child.tag, str):
            out[names.kind(child.tag)[1]] = _text(child)
    return out


# Record field → (WXR element, how its text is taken). Comments and the three channel term
# elements differ only in these names.
_Spec = dict[str, tuple[str, Callable[[str], object]]]
_COMMENT: _Spec = {
    "id": ("comment_id", _int),
    "author": ("comment_author", str),
    "author_email": ("comment_author_email", str),
    "author_url": ("comment_author_url", str),
    "author_ip": ("comment_author_IP", str),
    "date": ("comment_date", str),
    "date_gmt": ("comment_date_gmt", str),
    "content": ("comment_content", str),
    "approved": ("comment_approved", str.strip),
    "type": ("comment_type", str.strip),
    "parent": ("comment_parent", _int),
    "user_id": ("comment_user_id", _int),
}
_TERMS: dict[str, tuple[str, _Spec]] = {  # channel element → (taxonomy, fields)
    "category": (
        "category",
        {
            "id": ("term_id", _int),
            "slug": ("category_nicename", str.strip),
            "name": ("cat_name", str),
            "parent": ("category_parent", str.strip),
            "description": ("category_description", str),
        },
    ),
    "tag": (
        "post_tag",
        {
            "id": ("term_id", _int),
            "slug": ("tag_slug", str.strip),
            "name": ("tag_name", str),
            "description": ("tag_description", str),
        },
    ),
    "term": (
        "",
        {
            "id": ("term_id", _int),
            "taxonomy": ("term_taxonomy", str.strip),
            "slug": ("term_slug", str.strip),
            "name": ("term_name", str),
            "parent": ("term_parent", str.strip),
            "description": ("term_description", str),
        },
    ),
}


def _take(spec: _Spec, fields: dict[str, str]) -> dict[str, object]:
    return {key: how(fields.get(element, "")) for key, (element, how) in spec.items()}


def _comment(el: etree._Element, names: _Names) -> Comment:
    f: dict[str, str] = {}
    meta: list[tuple[str, str]] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        _, local = names.kind(child.tag)
        if local == "commentmeta":
            meta.append(_pair(child, names, "meta_key", "meta_value"))
        else:
            f[local] = _text(child)
    return Comment(**_take(_COMMENT, f), meta=tuple(meta))  # type: ignore[arg-type]


def _channel(el: etree._Element, names: _Names, source: str) -> Iterator[Author | Term | Channel]:
    header: dict[str, str] = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        kind, local = names.kind(child.tag)
        if kind == "wp" and local == "author":
            f = _fields(child, names)
            login = f.get("author_login", "").strip()
            yield Author(
                login=login,
                display_name=f.get("author_display_name", "").strip() or login,
                email=f.get("author_email", "").strip(),
                first_name=f.get("author_first_name", "").strip(),
                last_name=f.get("author_last_name", "").strip(),
            )
        elif kind == "wp" and local in _TERMS:
            taxonomy, spec = _TERMS[local]
            values = _take(spec, _fields(child, names))
            meta = tuple(
                _pair(m, names, "meta_key", "meta_value")
                for m in child
                if isinstance(m.tag, str) and names.kind(m.tag)[1] == "termmeta"
            )
            yield Term(**{"taxonomy": taxonomy, **values}, meta=meta)  # type: ignore[arg-type]
        elif kind in ("wp", ""):
            header[local] = _text(child).strip()
    yield Channel(
        title=header.get("title", ""),
        link=header.get("link", ""),
        description=header.get("description", ""),
        language=header.get("language", ""),
        base_site_url=header.get("base_site_url", ""),
        base_blog_url=header.get("base_blog_url", ""),
        wxr_version=header.get("wxr_version", ""),
        generator=header.get("generator", ""),
        source=source,
    )

"""Stream records out of a WXR (WordPress eXtended RSS) export.

XML → records, nothing else: no conversion, no file writes. One `<item>` is built at a time and
dropped from the tree once read, so memory stays flat however large the export.

The parser is locked down: no DTD loading, no entity resolution, no network, and a document that
declares a DOCTYPE is refused outright (WordPress never writes one; it is how XXE and
entity-expansion attacks arrive).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .models import Author, Channel, Comment, Item, ItemTerm, Term

# Namespace URI → short kind. WXR 1.0–1.2, http or https; the excerpt namespace nests under wp's.
_WP_PREFIXES = ("http://wordpress.org/export/", "https://wordpress.org/export/")
_CONTENT_NS = ("http://purl.org/rss/1.0/modules/content/",)
_DC_NS = ("http://purl.org/dc/elements/1.1/",)
_WATCHED = ("{*}rss", "{*}channel", "{*}item")
_MAX_CACHED_TAGS = 4096


class ExportError(Exception):
    """An export that cannot be read. `str()` is one line: `FILE:LINE:COL: message`."""


@dataclass(frozen=True, slots=True)
class _Names:
    """Tag → (kind, local name), cached per tag (an export uses a few dozen)."""

    cache: dict[str, tuple[str, str]]

    def kind(self, tag: str) -> tuple[str, str]:
        """Split `{uri}local` into (kind, local): kind is wp, excerpt, content, dc, "" or "?"."""
        found = self.cache.get(tag)
        if found is None:
            if tag[0] != "{":
                found = "", tag
            else:
                uri, _, local = tag[1:].partition("}")
                found = _classify(uri), local
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


def _text(el: etree._Element) -> str:
    return el.text or ""


def iter_records(
    path: str | os.PathLike[str], *, comments: bool = True
) -> Iterator[Item | Author | Term | Channel]:
    """Yield every item of one export as it is parsed, then its authors, terms and channel.

    `comments=False` leaves items' comments out (a pass that does not need them is cheaper).
    Raises ExportError for XML that is not well formed, a DOCTYPE, or a file that is not WXR.
    """
    name = os.fspath(path)
    names = _Names({})
    try:
        context = etree.iterparse(
            name,
            events=("start", "end"),
            tag=_WATCHED,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=False,
        )
        seen_root = False
        for event, el in context:
            if event == "start":
                if not seen_root:
                    seen_root = True
                    _check_root(name, el)
                continue
            local = etree.QName(el).localname
            if local == "item":
                yield _item(el, names, name, comments)
                # Drop the item from the tree: only the channel header stays in memory.
                parent = el.getparent()
                el.clear(keep_tail=False)
                if parent is not None:
                    parent.remove(el)
            elif local == "channel":
                yield from _channel(el, names, name)
                el.clear(keep_tail=False)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno or 0, 0)
        raise ExportError(f"{name}:{line}:{col}: {_syntax_message(exc)}") from None
    except OSError as exc:
        raise ExportError(f"{name}:0:0: cannot read the file: {exc.strerror or exc}") from None
    if not seen_root:
        raise ExportError(f"{name}:1:0: not a WordPress export: no <rss> root element")


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    # libxml2 repeats the position in its message ("…, line 4, column 7"); keep the words.
    # Messages can quote the offending text, newlines included: an error stays on one line.
    msg = " ".join((exc.msg or str(exc)).split())
    head, sep, _ = msg.rpartition(", line ")
    msg = head if sep and head else msg
    return msg if len(msg) <= 200 else msg[:199] + "…"


def _check_root(name: str, root: etree._Element) -> None:
    info = root.getroottree().docinfo
    if info.doctype:
        raise ExportError(
            f"{name}:1:0: the file declares a DOCTYPE ({info.doctype[:60]}); WordPress exports "
            "never do, and it is refused because DTDs can read local files or expand entities"
        )
    if etree.QName(root).localname != "rss":
        raise ExportError(
            f"{name}:{root.sourceline or 0}:0: not a WordPress export: the root element is "
            f"<{etree.QName(root).localname}>, expected <rss>"
        )


def _item(el: etree._Element, names: _Names, source: str, with_comments: bool = True) -> Item:
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
        id=_int(s("post_id")),
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
        line=el.sourceline or 0,
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
    return Comment(
        id=_int(f.get("comment_id", "")),
        author=f.get("comment_author", ""),
        author_email=f.get("comment_author_email", ""),
        author_url=f.get("comment_author_url", ""),
        author_ip=f.get("comment_author_IP", ""),
        date=f.get("comment_date", ""),
        date_gmt=f.get("comment_date_gmt", ""),
        content=f.get("comment_content", ""),
        approved=f.get("comment_approved", "").strip(),
        type=f.get("comment_type", "").strip(),
        parent=_int(f.get("comment_parent", "")),
        user_id=_int(f.get("comment_user_id", "")),
        meta=tuple(meta),
    )


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
            )
        elif kind == "wp" and local == "category":
            f = _fields(child, names)
            yield Term(
                taxonomy="category",
                slug=f.get("category_nicename", "").strip(),
                name=f.get("cat_name", ""),
                parent=f.get("category_parent", "").strip(),
                description=f.get("category_description", ""),
            )
        elif kind == "wp" and local == "tag":
            f = _fields(child, names)
            yield Term(
                taxonomy="post_tag",
                slug=f.get("tag_slug", "").strip(),
                name=f.get("tag_name", ""),
                description=f.get("tag_description", ""),
            )
        elif kind == "wp" and local == "term":
            f = _fields(child, names)
            yield Term(
                taxonomy=f.get("term_taxonomy", "").strip(),
                slug=f.get("term_slug", "").strip(),
                name=f.get("term_name", ""),
                parent=f.get("term_parent", "").strip(),
                description=f.get("term_description", ""),
            )
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

"""A streaming filter between an export file and the XML parser: repairs that lose nothing.

`RepairingReader` is a file-like object (`read(n)`) over the raw bytes that lxml's iterparse reads
instead of the file. It works chunk by chunk, so memory stays flat, and it repairs only what has
exactly one meaning:

- bytes before `<?xml` (PHP warnings or a blank line a plugin printed ahead of the export) are
  skipped: the XML declaration must come first, and nothing before it is part of the document;
- characters XML 1.0 forbids (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF,
  pasted from Word or left by a database) are dropped: no XML parser can read them, and they
  display as nothing;
- well-known namespace prefixes that the export uses but the `<rss>` tag forgot to declare
  (WordPress.com wrote `<atom:link>` without `xmlns:atom` for years) are declared on it.

Each repair is recorded with the line it touched in the original file, and positions the parser
reports are mapped back to the original file (`original_position`). A DOCTYPE in the prolog is
refused here, before the parser sees a byte of it.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from .models import Repair

CHUNK = 1 << 16
HEAD_LIMIT = 1 << 20  # the prolog and `<rss …>` start tag must fit in this many bytes

# Prefix → namespace URI, for the prefixes WordPress and feed plugins write. The WordPress ones
# take version 1.2: the reader recognizes every version by the URI's stem.
KNOWN_NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
    "atom": "http://www.w3.org/2005/Atom",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "georss": "http://www.georss.org/georss",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "googleplay": "http://www.google.com/schemas/play-podcasts/1.0",
    "podcast": "https://podcastindex.org/namespace/1.0",
}

_BOM = b"\xef\xbb\xbf"
_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")  # UTF-16/32: passed through as is
_XML_DECL = re.compile(rb"<\?xml[\s?]")
_ENCODING = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->|\s+", re.DOTALL)
_ROOT_TAG = re.compile(rb"""<rss\b(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")
_DECLARED = re.compile(rb"""\sxmlns:([A-Za-z_][\w.-]*)\s*=""")
# Forbidden characters. U+FFFE/U+FFFF are 3-byte sequences only in UTF-8; in a single-byte
# encoding those bytes are ordinary letters (`ï¿¾`), so that alternative is used for UTF-8 only.
_FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORBIDDEN_UTF8 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
# Every byte but the control characters above: deleting them (bytes.translate, in C at memory
# speed) leaves something only when a chunk has one. The regexes are then run on that chunk only.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x20 and b not in (0x09, 0x0A, 0x0D)))
_SINGLE_BYTE = re.compile(r"(iso-?8859-\d+|latin-?\d|(windows|cp)-?125\d|us-ascii|ascii)$", re.I)


class NotAnExport(ValueError):
    """The file is not a WordPress export at all (empty, an HTML page, not XML): says what it is."""


class PrologError(ValueError):
    """The prolog holds something refused outright (a DOCTYPE). Carries the original line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


_NAME_START = re.compile(rb"[A-Za-z_]")
_ELEMENT_START = re.compile(rb"<[A-Za-z_\x80-\xff]")


def _after_prolog(head: bytes) -> int:
    """Where the first thing after the BOM, XML declaration, comments and white space starts."""
    pos = len(_BOM) if head.startswith(_BOM) else 0
    while True:
        noise = _PROLOG_NOISE.match(head, pos)
        if noise is None or noise.end() == pos:
            return pos
        pos = noise.end()
# Undeclared prefix uses found in a file, by `_file_key`: a run whose go-live files need every
# item's comments reads each export twice (otherwise pass 2 reads the spool, not the file).
_USES_SEEN: dict[tuple[int, int, int, int], dict[str, tuple[int, ...]]] = {}


def _file_key(raw: BinaryIO) -> tuple[int, int, int, int] | None:
    """(device, inode, size, mtime) of an open file, or None for a stream that is not one."""
    try:
        st = os.fstat(raw.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _occurrences(text: bytes, needle: bytes, after: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each `needle` in `text` ending at or past `after` (the last chunk's tail):
    one that ended earlier was judged with the last chunk, which also held the byte after it."""
    at = text.find(needle)
    while at != -1:
        if at + len(needle) >= after:
            yield at, at + len(needle)
        at = text.find(needle, at + 1)


def _may_hold_forbidden(chunk: bytes, utf8: bool) -> bool:
    """A quick test before the regex: does `chunk` hold a control character (or, in UTF-8,
    the start of U+FFFE/U+FFFF)? The regex alone reads the chunk a byte at a time."""
    if chunk.translate(None, _NOT_CONTROL):
        return True
    return utf8 and (b"\xef\xbf\xbe" in chunk or b"\xef\xbf\xbf" in chunk)


class RepairingReader:
    """`read(n)` over `raw` with the repairs above applied. `repairs` is complete at end of file."""

    def __init__(self, raw: BinaryIO, source: str, chunk_size: int = CHUNK) -> None:
        self._raw = raw
        self._chunk = chunk_size
        self._source = source
        self._out = bytearray()
        self._carry = b""  # an incomplete \xef\xbf… held back until the next chunk
        self._started = False
        self._forbidden: re.Pattern[bytes] | None = _FORBIDDEN_UTF8
        self._lines = 0  # newlines in the original bytes consumed so far
        self._skipped_lines = 0  # lines skipped before <?xml: parser line + this = original line
        self._skipped_cols = 0  # bytes skipped on the first line kept (shifts its columns)
        self._dropped: dict[str, list[int]] = {}  # "U+0002" → original lines (first few) …
        self._dropped_count: dict[str, int] = {}
        self._uses: dict[str, list[int]] = {}  # prefix declared on <rss> by us → [first line, count]
        self._head_repairs: list[Repair] = []
        self.encoding = "utf-8"  # the declared encoding, as Python names it
        self.at_end = False
        self.total_lines = 0  # lines in the original file, known once at_end

    # -- file-like interface -------------------------------------------------------------------

    def read(self, size: int = -1) -> bytes:
        if not self._started:
            self._started = True
            self._emit(self._start())
        while not self.at_end and (size < 0 or len(self._out) < size):
            chunk = self._raw.read(self._chunk)
            if not chunk:
                self._finish()
                break
            self._emit(chunk)
        n = len(self._out) if size < 0 else min(size, len(self._out))
        data = bytes(self._out[:n])
        del self._out[:n]
        return data

    # -- what the reader learns ----------------------------------------------------------------

    def original_position(self, line: int, col: int) -> tuple[int, int]:
        """Where a (line, column) the parser reports is in the original file."""
        if line == 1:
            col += self._skipped_cols
        return line + self._skipped_lines, col

    def original_line(self, line: int) -> int:
        return line + self._skipped_lines

    @property
    def repairs(self) -> list[Repair]:
        out = list(self._head_repairs)
        for char, lines in self._dropped.items():
            count = self._dropped_count[char]
            where = ", ".join(map(str, lines)) + (", …" if count > len(lines) else "")
            out.append(
                Repair(
                    self._source,
                    lines[0],
                    "control-character",
                    f"dropped {count} × {char}, a character XML forbids (line {where})",
                    count,
                )
            )
        for prefix, (first, count) in self._uses.items():
            out.append(
                Repair(
                    self._source,
                    first,
                    "namespace",
                    f"declared the prefix {prefix}: ({KNOWN_NAMESPACES[prefix]}), used {count} ×"
                    f" from line {first} but never declared",
                    count,
                )
            )
        return sorted(out, key=lambda r: (r.line, r.kind))

    # -- the start of the file: junk, DOCTYPE, <rss> declarations ----------------------------

    def _start(self) -> bytes:
        head = self._raw.read(self._chunk)
        if head.startswith(_UNICODE_BOMS):
            self._forbidden = None  # not an ASCII-compatible encoding: nothing is touched
            return head
        while _ROOT_TAG.search(head) is None and len(head) < HEAD_LIMIT:
            more = self._raw.read(self._chunk)
            if not more:
                break
            head += more
        head = self._skip_junk(head)
        self._check_prolog(head)
        self._check_looks_like_xml(head)
        self._choose_encoding(head)
        return self._declare_prefixes(head)

    def _skip_junk(self, head: bytes) -> bytes:
        bom = _BOM if head.startswith(_BOM) else b""
        start = len(bom)
        root = head.find(b"<rss")
        decl = _XML_DECL.search(head, start, root if root >= 0 else len(head))
        if decl is None or decl.start() == start:
            return head
        # Nothing may precede the declaration, so whatever does (PHP's warnings, plain or as
        # `<br /><b>Warning</b>` HTML, or a plugin's stray blank line) is not part of the document.
        junk = head[start : decl.start()]
        self._lines += junk.count(b"\n")
        self._skipped_lines = junk.count(b"\n")
        self._skipped_cols = len(junk) - (junk.rfind(b"\n") + 1)
        first = junk.strip().split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        what = f": {first[:80]!r}" if first else " (white space)"
        self._head_repairs.append(
            Repair(
                self._source,
                1,
                "before-xml-declaration",
                f"skipped {len(junk)} bytes on {self._skipped_lines + 1} line(s) before <?xml{what}",
                len(junk),
            )
        )
        return bom + head[decl.start() :]

    def _check_prolog(self, head: bytes) -> None:
        pos = _after_prolog(head)
        if head[pos : pos + 14].lower() == b"<!doctype html" or head[pos : pos + 5].lower() == b"<html":
            raise NotAnExport("an HTML page, not an XML export: was a web page saved instead?")
        if head.startswith(b"<!DOCTYPE", pos):
            raise PrologError(
                self._skipped_lines + head.count(b"\n", 0, pos) + 1,
                "the file declares a DOCTYPE; WordPress exports never do, and it is refused because"
                " DTDs can read local files or expand entities",
            )

    def _check_looks_like_xml(self, head: bytes) -> None:
        """Refuse, in words, what would only get the parser's "Start tag expected"."""
        pos = _after_prolog(head)
        if not head.strip(b" \t\r\n").removeprefix(_BOM).strip(b" \t\r\n"):
            raise NotAnExport("the file is empty" if not head.strip() else "the file holds only white space")
        if pos >= len(head):
            raise NotAnExport("no root element: the file ends after its XML declaration")
        if not _ELEMENT_START.match(head, pos):
            start = head[pos : pos + 16]
            raise NotAnExport(f"not XML: it starts with {start!r}")

    def _choose_encoding(self, head: bytes) -> None:
        declared = _ENCODING.match(head.removeprefix(_BOM))
        if head.startswith(_BOM) or declared is None:
            return
        name = declared.group(1).decode("ascii")
        with contextlib.suppress(LookupError):
            self.encoding = codecs.lookup(name).name
        if _SINGLE_BYTE.match(name):
            self._forbidden = _FORBIDDEN_BYTES

    def _declare_prefixes(self, head: bytes) -> bytes:
        root = _ROOT_TAG.search(head)
        if root is None:
            return head
        declared = {m.group(1).decode("ascii") for m in _DECLARED.finditer(root.group(0))}
        missing = [p for p in KNOWN_NAMESPACES if p not in declared]
        if missing:
            self._uses = self._undeclared_uses(missing)
        if not self._uses:
            return head
        extra = "".join(f' xmlns:{p}="{KNOWN_NAMESPACES[p]}"' for p in self._uses).encode("ascii")
        # Inserted on the tag's own line, without a newline: line numbers stay the same.
        cut = root.end() - len(root.group(1)) - 1
        return head[:cut] + extra + head[cut:]

    def _undeclared_uses(self, prefixes: list[str]) -> dict[str, list[int]]:
        """Prefix → [first line, uses] of the `prefixes` the file uses and never declares.

        A look over the whole file, chunk by chunk, before parsing starts: the `<rss>` tag comes
        first, but whether a prefix is used is only known at the end. The file is then read again.
        Both passes of a run read each export: the second gets the answer from `_USES_SEEN`.
        """
        key = _file_key(self._raw)
        if key is not None and key in _USES_SEEN:
            return {p: list(u) for p, u in _USES_SEEN[key].items()}
        # bytes.find per prefix, not one regex: a regex tries its alternatives at every "<" of every
        # post, which made this look cost as much as parsing; find() skips ahead in C. The needle
        # is `prefix:` (one search per prefix finds both `<p:` and `</p:`), and `xmlns:` once.
        needles = [(p, p.encode("ascii") + b":") for p in prefixes]
        wanted = {p.encode("ascii"): p for p in prefixes}
        uses: dict[str, list[int]] = {}
        declared_inside: set[str] = set()
        resume = self._raw.tell()
        self._raw.seek(0)
        lines, tail = 0, b""  # newlines before this chunk; the end of the last one (a use may span)
        while chunk := self._raw.read(self._chunk):
            text, before = tail + chunk, lines - tail.count(b"\n")
            for prefix, raw in needles:
                for start, end in _occurrences(text, raw, len(tail)):
                    tag = text[max(0, start - 2) : start]  # `<` or `</` before `prefix:`
                    if not (tag[-1:] == b"<" or tag == b"</"):
                        continue
                    if end < len(text) and _NAME_START.match(text, end):
                        line = before + text.count(b"\n", 0, start) + 1
                        uses.setdefault(prefix, [line, 0])[1] += 1
            # Declarations are a set: one seen twice (in the tail and again here) does not matter.
            for start, _end in _occurrences(text, b"xmlns:", 0):
                declaration = _DECLARED.match(text, start - 1) if start else None
                if declaration and declaration.group(1) in wanted:
                    declared_inside.add(wanted[declaration.group(1)])
            lines += chunk.count(b"\n")
            tail = chunk[-40:]
        self._raw.seek(resume)
        # A prefix declared on an inner element is not forgotten; one used only there is fine.
        found = {p: u for p, u in uses.items() if p not in declared_inside}
        if key is not None:
            if len(_USES_SEEN) >= 64:
                _USES_SEEN.clear()
            _USES_SEEN[key] = {p: tuple(u) for p, u in found.items()}
        return found

    # -- every chunk ----------------------------------------------------------------------------

    def _emit(self, chunk: bytes) -> None:
        if self._forbidden is None:
            self._out += chunk
            return
        chunk = self._carry + chunk
        self._carry = b""
        if self._forbidden is _FORBIDDEN_UTF8:
            # Keep a trailing \xef or \xef\xbf for the next chunk: it may be U+FFFE cut in two.
            for tail in (b"\xef\xbf", b"\xef"):
                if chunk.endswith(tail):
                    chunk, self._carry = chunk[: -len(tail)], tail
                    break
        utf8 = self._forbidden is _FORBIDDEN_UTF8
        if _may_hold_forbidden(chunk, utf8) and self._forbidden.search(chunk):
            chunk = self._drop_forbidden(chunk)
        else:
            self._lines += chunk.count(b"\n")
        self._out += chunk

    def _drop_forbidden(self, chunk: bytes) -> bytes:
        for m in self._forbidden.finditer(chunk):
            char = m.group(0).decode("utf-8") if len(m.group(0)) == 3 else chr(m.group(0)[0])
            name = f"U+{ord(char):04X}"
            line = self._lines + chunk.count(b"\n", 0, m.start()) + 1
            lines = self._dropped.setdefault(name, [])
            self._dropped_count[name] = self._dropped_count.get(name, 0) + 1
            if len(lines) < 10 and line not in lines:
                lines.append(line)
        self._lines += chunk.count(b"\n")
        return self._forbidden.sub(b"", chunk)

    def _finish(self) -> None:
        if self._carry:
            carry, self._carry = self._carry, b""
            self._out += carry
        self.at_end = True
        self.total_lines = self._lines + 1

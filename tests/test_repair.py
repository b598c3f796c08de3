"""The streaming repair filter: what it mends, what it leaves alone, and where it says it did."""

import io
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import repair
from migrate.models import Item, Repair
from migrate.repair import RepairingReader
from migrate.wxr import ExportError, iter_records

from .helpers import item, wxr

FORBIDDEN = [chr(c) for c in [*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]]


def filtered(data: bytes, size: int = 1 << 16, chunk: int = repair.CHUNK) -> tuple[bytes, RepairingReader]:
    reader = RepairingReader(io.BytesIO(data), "e.xml", chunk)
    out = b""
    while chunk := reader.read(size):
        assert len(chunk) <= size
        out += chunk
    return out, reader


def read(path):
    out = list(iter_records(path))
    return [r for r in out if isinstance(r, Item)], [r for r in out if isinstance(r, Repair)]


def test_a_clean_export_passes_through_byte_for_byte():
    data = wxr(item(1, "Café ☕")).encode()
    out, reader = filtered(data, size=7)
    assert out == data and reader.repairs == []


@pytest.mark.parametrize(
    "junk",
    [
        "Warning: Cannot modify header information - headers already sent in /var/www/wp-config.php on line 90\n",
        "<br />\n<b>Notice</b>:  Undefined index: HTTP_HOST in <b>/srv/wp/functions.php</b> on line <b>12</b><br />\n",
        "\n\n",  # a plugin's stray blank lines: "XML declaration allowed only at the start"
    ],
)
def test_text_before_the_xml_declaration_is_skipped_and_reported(tmp_path, junk):
    path = tmp_path / "e.xml"
    path.write_text(junk + wxr(item(7, "Hola")), encoding="utf-8")
    items, repairs = read(path)
    assert [i.id for i in items] == [7]
    (fix,) = repairs
    assert (fix.kind, fix.line, fix.count) == ("before-xml-declaration", 1, len(junk.encode()))
    assert f"on {junk.count(chr(10)) + 1} line(s)" in fix.message
    # lines stay those of the original file
    assert items[0].line == (junk + wxr(item(7))).splitlines().index("\t<item>") + 1


def test_errors_after_skipped_junk_give_the_original_line(tmp_path):
    junk = "PHP Warning: one\nPHP Warning: two\nPHP Warning: three\n"
    text = junk + wxr(item(1), item(2))
    cut = text.index("<wp:post_name>", text.index("<wp:post_id>2"))
    path = tmp_path / "e.xml"
    path.write_text(text[:cut])
    with pytest.raises(ExportError) as err:
        read(path)
    line = int(str(err.value).split(":")[1])
    assert line == text[:cut].count("\n") + 1
    assert "the file ends inside item 2" in str(err.value)


@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_each_forbidden_character_is_dropped_with_its_line(tmp_path, char):
    path = tmp_path / "e.xml"
    path.write_text(wxr(item(3, f"Bad{char}Title", content=f"<p>a{char}b</p>")), encoding="utf-8")
    items, repairs = read(path)
    assert (items[0].title, items[0].content) == ("BadTitle", "<p>ab</p>")
    (fix,) = repairs
    title_line = path.read_text(encoding="utf-8").split("\n").index(f"\t\t<title>Bad{char}Title</title>") + 1
    assert (fix.kind, fix.line, fix.count) == ("control-character", title_line, 2)
    assert f"U+{ord(char):04X}" in fix.message


def test_tab_newline_and_carriage_return_are_kept():
    data = wxr(item(1, "a\tb", content="x\r\ny")).encode()
    out, reader = filtered(data)
    assert out == data and reader.repairs == []


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(["a", "é", "日", "\n", "\x02", "\ufffe", "\uffff", "\uffef", "\ufeff"])),
    size=st.integers(1, 9),
    chunk=st.integers(1, 9),
)
def test_chunk_boundaries_never_change_the_result(text, size, chunk):
    """Multi-byte characters and U+FFFE split across chunks: the output is the same as in one piece."""
    data = wxr(item(1, content=text)).encode()
    whole, whole_reader = filtered(data)
    pieces, reader = filtered(data, size, chunk)
    assert pieces == whole
    assert pieces.decode() == data.decode().replace("\x02", "").replace("\ufffe", "").replace("\uffff", "")
    assert reader.repairs == whole_reader.repairs


def test_single_byte_encodings_keep_bytes_that_would_be_u_fffe_in_utf8(tmp_path):
    path = tmp_path / "e.xml"
    text = wxr(item(1, "ï¿¾ caf\u00e9")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path.write_bytes(text.encode("latin-1"))
    items, repairs = read(path)
    assert items[0].title == "ï¿¾ café" and repairs == []


def test_missing_namespace_prefix_is_declared_and_reported_at_first_use(tmp_path):
    text = wxr(item(1)).replace('\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n', "")
    text = text.replace("<channel>\n", '<channel>\n<atom:link rel="self" href="x"/>\n', 1)
    text = text.replace("<description></description>", "<description></description><wfw:commentRss>x</wfw:commentRss>")
    path = tmp_path / "e.xml"
    path.write_text(text)
    items, repairs = read(path)
    assert [i.id for i in items] == [1]
    lines = text.splitlines()
    atom_line = lines.index('<atom:link rel="self" href="x"/>') + 1
    wfw_line = next(n for n, line in enumerate(lines, 1) if "<wfw:commentRss>" in line)
    assert [(r.kind, r.line, r.count) for r in repairs] == [("namespace", atom_line, 1), ("namespace", wfw_line, 2)]
    assert "atom: (http://www.w3.org/2005/Atom)" in repairs[0].message


def test_the_look_for_undeclared_prefixes_is_made_once_per_file_until_it_changes(tmp_path, monkeypatch):
    """A go-live run reads each export twice (plan, then convert with comments): the whole-file
    look is not repeated."""
    text = wxr(item(1)).replace('\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n', "")
    text = text.replace("<description></description>", "<description></description><wfw:commentRss>x</wfw:commentRss>")
    path = tmp_path / "e.xml"
    path.write_text(text)
    looks = []
    occurrences = repair._occurrences
    monkeypatch.setattr(repair, "_occurrences", lambda *args: looks.append(args[1]) or occurrences(*args))
    first = read(path)[1]
    assert [r.kind for r in first] == ["namespace"] and looks
    done = len(looks)
    assert read(path)[1] == first and len(looks) == done
    path.write_text(text + "\n")  # a new export in its place: looked at afresh
    assert read(path)[1] == first and len(looks) > done


def test_a_prefix_declared_further_in_is_not_reported(tmp_path):
    text = wxr(item(1, extra='\n<media:x xmlns:media="http://search.yahoo.com/mrss/">y</media:x>'))
    path = tmp_path / "e.xml"
    path.write_text(text)
    assert read(path)[1] == []


def test_an_unknown_undeclared_prefix_is_an_error_naming_its_line(tmp_path):
    text = wxr(item(1, extra="\n<foo:bar>x</foo:bar>"))
    path = tmp_path / "e.xml"
    path.write_text(text)
    with pytest.raises(ExportError) as err:
        read(path)
    line = text.splitlines().index("<foo:bar>x</foo:bar>") + 1
    assert str(err.value).startswith(f"{path}:{line}:")
    assert "Namespace prefix foo" in str(err.value) and "declare it on <rss>" in str(err.value)


def test_a_namespace_name_with_non_ascii_letters_is_read(tmp_path):
    # An IRI, not a URI: libxml2 complains but reads on; XML Namespaces 1.1 and expat accept it.
    path = tmp_path / "e.xml"
    path.write_text(wxr(item(4, extra='\n<u:f xmlns:u="http://ëxämplë.com/ü/">t</u:f>')), encoding="utf-8")
    assert [i.id for i in read(path)[0]] == [4]


def test_memory_stays_flat_on_a_large_export():
    body = "".join(item(n, content="<p>" + "x" * 2000 + "\x02</p>") for n in range(3000))
    data = wxr(body).encode()
    assert len(data) > 6_000_000
    tracemalloc.start()
    try:
        reader = RepairingReader(io.BytesIO(data), "big.xml")
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        total = 0
        while chunk := reader.read(32768):
            total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert total == len(data) - 3000
    assert peak < 1_000_000, peak
    assert reader.repairs[0].count == 3000

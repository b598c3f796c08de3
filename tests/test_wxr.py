import dataclasses

import pytest

from migrate.models import Author, Channel, Item, Term
from migrate.wxr import ExportError, iter_records
from tests.helpers import CORPUS

from .helpers import category, item, meta, write_wxr


def records(path):
    return list(iter_records(path))


@pytest.mark.parametrize(
    "ns,version",
    [
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("http://wordpress.org/export/1.1/", "1.1"),
        ("http://wordpress.org/export/1.2/", "1.2"),
        ("https://wordpress.org/export/1.2/", "1.2"),
    ],
)
def test_reads_every_wxr_namespace(tmp_path, ns, version):
    path = write_wxr(tmp_path / "e.xml", item(7, "Título", slug="titulo"), ns=ns, version=version)
    out = records(path)
    items = [r for r in out if isinstance(r, Item)]
    assert [(i.id, i.title, i.slug, i.post_type, i.status) for i in items] == [
        (7, "Título", "titulo", "post", "publish")
    ]
    channel = [r for r in out if isinstance(r, Channel)][0]
    assert channel.wxr_version == version
    assert channel.base_site_url == "http://www.stackops.com"


def test_reads_item_fields_terms_meta_and_comments(tmp_path):
    comment = """
\t\t<wp:comment>
\t\t\t<wp:comment_id>31</wp:comment_id>
\t\t\t<wp:comment_author><![CDATA[Ana]]></wp:comment_author>
\t\t\t<wp:comment_author_email><![CDATA[ana@example.com]]></wp:comment_author_email>
\t\t\t<wp:comment_author_url>http://ana.example.com</wp:comment_author_url>
\t\t\t<wp:comment_author_IP><![CDATA[10.0.0.1]]></wp:comment_author_IP>
\t\t\t<wp:comment_date><![CDATA[2011-10-04 10:00:00]]></wp:comment_date>
\t\t\t<wp:comment_date_gmt><![CDATA[2011-10-04 08:00:00]]></wp:comment_date_gmt>
\t\t\t<wp:comment_content><![CDATA[¡Gran post!]]></wp:comment_content>
\t\t\t<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
\t\t\t<wp:comment_type><![CDATA[comment]]></wp:comment_type>
\t\t\t<wp:comment_parent>30</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t\t<wp:commentmeta><wp:meta_key><![CDATA[dsq_post_id]]></wp:meta_key><wp:meta_value><![CDATA[99]]></wp:meta_value></wp:commentmeta>
\t\t</wp:comment>"""
    extra = (
        category("category", "openstack", "OpenStack")
        + category("post_tag", "boston", "Boston")
        + meta("dsq_thread_id", "432811220")
        + meta("_thumbnail_id", "2079")
        + comment
    )
    path = write_wxr(
        tmp_path / "e.xml",
        item(2078, "En la Openstack", slug="en-la", parent=5, menu_order=3, password="s3", extra=extra),
    )
    (it,) = [r for r in records(path) if isinstance(r, Item)]
    assert it.guid == "http://www.stackops.com/?p=2078"
    assert it.creator == "diego"
    assert it.content == "<p>Texto</p>"
    assert (it.post_date, it.post_date_gmt) == ("2011-10-03 15:20:25", "2011-10-03 13:20:25")
    assert (it.parent, it.menu_order, it.password) == (5, 3, "s3")
    assert [(t.taxonomy, t.slug, t.name) for t in it.terms] == [
        ("category", "openstack", "OpenStack"),
        ("post_tag", "boston", "Boston"),
    ]
    assert it.meta("dsq_thread_id") == "432811220"
    assert it.meta("_thumbnail_id") == "2079"
    (c,) = it.comments
    assert (c.id, c.author, c.parent, c.approved, c.type, c.author_ip) == (
        31,
        "Ana",
        30,
        "1",
        "comment",
        "10.0.0.1",
    )
    assert c.meta == (("dsq_post_id", "99"),)
    assert it.source == str(path) and it.line > 0
    # A pass that needs no comments gets the same item without them.
    (light,) = [r for r in iter_records(path, comments=False) if isinstance(r, Item)]
    assert light.comments == () and light == dataclasses.replace(it, comments=())


def test_reads_channel_authors_and_terms(tmp_path):
    out = records(write_wxr(tmp_path / "e.xml"))
    assert Author("diego", "Diego Parrilla", "d@example.com") in out
    terms = {(t.taxonomy, t.slug): t for t in out if isinstance(t, Term)}
    assert terms[("category", "openstack")].parent == "cloud"
    assert terms[("post_tag", "boston")].name == "Boston"
    assert terms[("genre", "jazz")].name == "Jazz"


def test_items_are_streamed_before_the_channel_ends(tmp_path):
    path = write_wxr(tmp_path / "e.xml", item(1), item(2))
    it = iter_records(path)
    first = next(it)
    assert isinstance(first, Item) and first.id == 1


def test_truncated_export_gives_file_line_col(tmp_path):
    text = (tmp_path / "x").parent / "t.xml"
    full = write_wxr(tmp_path / "full.xml", item(1), item(2)).read_text()
    text.write_text(full[: full.index("<wp:post_name>", full.index("<wp:post_id>2"))])
    with pytest.raises(ExportError) as err:
        records(text)
    message = str(err.value)
    assert message.startswith(f"{text}:")
    line, col = message.split(":")[1:3]
    assert int(line) > 1 and int(col) >= 0
    assert "\n" not in message


def test_doctype_is_refused_and_entities_never_resolved(tmp_path):
    path = tmp_path / "xxe.xml"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&xxe;</title>'
        "<wp:post_id>1</wp:post_id></item></channel></rss>\n"
    )
    with pytest.raises(ExportError, match="DOCTYPE"):
        records(path)


def test_not_an_rss_document(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<?xml version='1.0'?><html><body/></html>")
    with pytest.raises(ExportError, match="not a WordPress export"):
        records(path)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_mismatched_tag_reports_position():
    with pytest.raises(ExportError) as err:
        records(CORPUS / "importer-malformed.xml")
    assert str(err.value).startswith(
        f"{CORPUS / 'importer-malformed.xml'}:90:11: Opening and ending tag mismatch: "
        "notachanneltag line 27 and channel; "
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_wxr10_export_reads_items():
    items = [r for r in records(CORPUS / "importer-valid-wxr-1.0.xml") if isinstance(r, Item)]
    assert {i.post_type for i in items} >= {"post", "page"}
    assert all(i.id > 0 for i in items)


def test_an_item_without_post_id_takes_the_id_of_its_default_permalink(tmp_path):
    path = tmp_path / "no-ids.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        "<item><title>A</title><guid isPermaLink='false'>http://x.org/?p=19</guid></item>"
        "<item><title>B</title><link>http://x.org/?page_id=7&amp;lang=en</link></item>"
        "<item><title>C</title><guid>http://x.org/c/</guid></item>"
        "<item><title>D</title><wp:post_id>5</wp:post_id><guid>http://x.org/?p=6</guid></item>"
        "</channel></rss>\n"
    )
    items = [r for r in records(path) if isinstance(r, Item)]
    assert [(i.title, i.id) for i in items] == [("A", 19), ("B", 7), ("C", 0), ("D", 5)]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_export_without_post_ids_keeps_every_post():
    items = [r for r in records(CORPUS / "theme-preview.xml") if isinstance(r, Item)]
    assert sorted(i.id for i in items) == [1, 4, 6, 8, 14, 19, 36]

import frontmatter

from migrate.document import format_date, render_item
from migrate.plan import scan

from .helpers import category, item, meta, write_wxr


def render(tmp_path, *items, want):
    plan = scan([write_wxr(tmp_path / "e.xml", *items)])
    entries = {e.item_id: e for e in plan.entries.values()}
    from migrate.plan import iter_items

    for it in iter_items([tmp_path / "e.xml"]):
        if it.id == want:
            return frontmatter.loads(render_item(it, entries[want], plan.index).text)
    raise AssertionError(want)


def test_draft_without_gmt_date_uses_local_time_with_site_offset(tmp_path):
    post = render(
        tmp_path,
        item(1, date="2012-03-01 11:00:00", date_gmt="2012-03-01 10:00:00"),
        item(2, status="draft", slug="", date="2012-10-15 11:20:00", date_gmt="0000-00-00 00:00:00",
             link="http://www.stackops.com/?p=2"),
        want=2,
    )
    assert post["draft"] is True
    assert post["date"].isoformat() == "2012-10-15T11:20:00+01:00"
    assert "url" not in post.metadata


def test_format_date_keeps_the_items_own_offset():
    # The local time WordPress showed, with the offset it saved (local − GMT), whatever the site's
    # usual offset is (120 here): summer and winter time differ from post to post.
    assert format_date("2011-10-03 15:20:25", "2011-10-03 13:20:25", 120) == "2011-10-03T15:20:25+02:00"
    assert format_date("2011-12-03 14:20:25", "2011-12-03 13:20:25", 120) == "2011-12-03T14:20:25+01:00"
    assert format_date("2008-05-21 01:13:00", "2008-05-20 22:13:00", None) == "2008-05-21T01:13:00+03:00"
    assert format_date("2011-10-03 07:50:25", "2011-10-03 13:20:25", None) == "2011-10-03T07:50:25-05:30"
    assert format_date("2011-10-03 13:20:25", "2011-10-03 13:20:25", 60) == "2011-10-03T13:20:25Z"


def test_format_date_without_a_usable_offset():
    # Drafts: no GMT date, so the local date with the site's usual offset, or with none.
    assert format_date("2011-10-03 15:20:25", "0000-00-00 00:00:00", -330) == "2011-10-03T15:20:25-05:30"
    assert format_date("2011-10-03 15:20:25", "", None) == "2011-10-03T15:20:25"
    assert format_date("0000-00-00 00:00:00", "0000-00-00 00:00:00", 60) is None
    # A GMT date alone, or with a local date no time zone explains: UTC.
    assert format_date("", "2011-10-03 13:20:25", 60) == "2011-10-03T13:20:25Z"
    assert format_date("2011-10-05 13:20:25", "2011-10-03 13:20:25", 60) == "2011-10-03T13:20:25Z"
    assert format_date("2011-10-03 13:20:55", "2011-10-03 13:20:25", 60) == "2011-10-03T13:20:25Z"


def test_late_evening_post_keeps_its_local_day(tmp_path):
    # 00:30 in Berlin is 22:30 UTC the day before: in UTC the page would show the wrong day.
    post = render(
        tmp_path,
        item(7, date="2009-06-01 00:30:00", date_gmt="2009-05-31 22:30:00",
             link="http://www.stackops.com/2009/06/01/post-7/"),
        want=7,
    )
    assert post["date"].isoformat() == "2009-06-01T00:30:00+02:00"
    assert post["date"].date().isoformat() == "2009-06-01"
    assert post["url"] == "/2009/06/01/post-7/"


def test_titles_terms_and_author_are_decoded_once(tmp_path):
    post = render(
        tmp_path,
        item(
            5,
            "&amp;#8220;Diablo&amp;#8221; vs &amp;amp;amp; m&amp;amp;aacute;s",
            extra=category("category", "eventos", "Eventos &amp;amp; Charlas")
            + category("genre", "jazz", "Jazz"),
        ),
        want=5,
    )
    assert post["title"] == "“Diablo” vs & más"
    assert post["categories"] == ["Eventos & Charlas"]
    assert post["genre"] == ["Jazz"]
    assert post["author"] == "Diego Parrilla"


def test_yaml_sensitive_titles_stay_strings(tmp_path):
    for i, title in enumerate(["Yes", "1.0", "null", "Nova: &quot;compute&quot; #1 @ Madrid"], start=1):
        post = render(tmp_path, item(i, title), want=i)
        assert isinstance(post["title"], str)
    assert post["title"] == 'Nova: "compute" #1 @ Madrid'


def test_disqus_fields_and_multiple_thread_ids(tmp_path):
    post = render(
        tmp_path,
        item(7, extra=meta("dsq_thread_id", "539902117") + meta("dsq_thread_id", "541763098")),
        want=7,
    )
    assert post["dsq_thread_id"] == ["539902117", "541763098"]
    assert post["disqus_identifier"] == "7 http://www.stackops.com/?p=7"
    assert post["disqus_url"] == "http://www.stackops.com/2011/10/03/post-7/"
    plain = render(tmp_path, item(8), want=8)
    assert "dsq_thread_id" not in plain.metadata and "disqus_identifier" not in plain.metadata


def test_description_is_plain_and_cut_at_a_word(tmp_path):
    words = " ".join(["palabra"] * 60)
    post = render(
        tmp_path, item(3, content=f"<p><strong>Hola</strong> <a href='/x'>mundo</a> {words}</p>"), want=3
    )
    assert post["description"].startswith("Hola mundo palabra")
    assert len(post["description"]) <= 160 and post["description"].endswith("palabra")


def test_password_protected_post_is_a_draft_and_leaks_no_description(tmp_path):
    post = render(tmp_path, item(4, password="beta", content="<p>Secreto de clientes</p>"), want=4)
    assert post["draft"] is True and "description" not in post.metadata


def test_pages_get_weight_and_no_section(tmp_path):
    post = render(
        tmp_path,
        item(9, post_type="page", slug="empresa", menu_order=2, link="http://www.stackops.com/empresa/"),
        want=9,
    )
    assert post["weight"] == 2 and "section" not in post.metadata


def test_title_with_markup_becomes_the_words_the_page_showed(tmp_path):
    post = render(tmp_path, item(9, "<![CDATA[Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>]]>"), want=9)
    assert post["title"] == "Markup: Title With Markup"


def test_title_text_strips_tags_before_decoding_entities():
    from migrate.convert import title_text

    assert title_text("Title <em>With</em> <b>Markup</b>") == "Title With Markup"
    assert title_text("Use &lt;b&gt; for bold") == "Use <b> for bold"  # written as text: stays text
    assert title_text("&amp;lt;b&amp;gt; &amp;amp; more") == "<b> & more"
    assert title_text("One<br />two &#8220;x&#8221;") == "One two “x”"
    assert title_text("I <3 a < b") == "I <3 a < b"  # no tag there


def test_description_keeps_bare_ampersands(tmp_path):
    post = render(tmp_path, item(1, content="<p>Q&A with AT&T, ?page=2&order=asc &amp;nosuch;</p>"), want=1)
    assert post["description"] == "Q&A with AT&T, ?page=2&order=asc &nosuch;"
    assert post.content.strip() == "Q&A with AT&T, ?page=2&order=asc &nosuch;"

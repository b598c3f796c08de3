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


def test_format_date():
    assert format_date("2011-10-03 15:20:25", "2011-10-03 13:20:25", 120) == "2011-10-03T13:20:25Z"
    assert format_date("2011-10-03 15:20:25", "0000-00-00 00:00:00", -330) == "2011-10-03T15:20:25-05:30"
    assert format_date("2011-10-03 15:20:25", "", None) == "2011-10-03T15:20:25"
    assert format_date("0000-00-00 00:00:00", "0000-00-00 00:00:00", 60) is None


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


def test_description_keeps_bare_ampersands(tmp_path):
    post = render(tmp_path, item(1, content="<p>Q&A with AT&T, ?page=2&order=asc &amp;nosuch;</p>"), want=1)
    assert post["description"] == "Q&A with AT&T, ?page=2&order=asc &nosuch;"
    assert post.content.strip() == "Q&A with AT&T, ?page=2&order=asc &nosuch;"

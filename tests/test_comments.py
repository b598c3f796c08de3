"""Comment data files: which comments, thread order, parents, Markdown, privacy."""

import yaml
from click.testing import CliRunner

from migrate.cli import main
from migrate.comments import comments_file, select, thread_order
from migrate.models import Comment, Item, SiteIndex

from .helpers import item, write_wxr


def comment(cid, parent=0, approved="1", kind="comment", date="2011-10-03 10:00:00", content="Hola"):
    return Comment(
        id=cid,
        author="Ana &amp; Co",
        author_email="ana@example.com",
        author_url="",
        author_ip="192.0.2.1",
        date=date,
        date_gmt=date,
        content=content,
        approved=approved,
        type=kind,
        parent=parent,
        user_id=0,
        meta=(("dsq_post_id", "555"),) if cid == 1 else (),
    )


ALL = [
    comment(1),
    comment(2, parent=1, date="2011-10-03 12:00:00"),
    comment(3, approved="spam"),
    comment(4, approved="0", parent=2),
    comment(5, kind="pingback"),
    comment(6, approved="trash"),
    comment(7, kind="trackback", approved="spam"),
    comment(8, parent=4, date="2011-10-04 09:00:00"),  # its parent is pending
    comment(9, date="2011-10-03 11:00:00"),
]


def ids(comments):
    return [c.id for c in comments]


def test_only_approved_comments_unless_asked():
    assert ids(select(ALL, ())) == [1, 2, 8, 9]
    assert ids(select(ALL, ("pingback",))) == [1, 2, 5, 8, 9]
    assert ids(select(ALL, ("spam", "pending", "trash"))) == [1, 2, 3, 4, 6, 8, 9]
    assert ids(select(ALL, ("spam", "trackback"))) == [1, 2, 3, 7, 8, 9]


def test_thread_order_puts_replies_under_parents_and_skips_missing_ones():
    order = [(c.id, parent) for c, parent in thread_order(select(ALL, ()), ALL)]
    # 8's parent 4 is pending: it hangs from 4's parent, 2.
    assert order == [(1, 0), (2, 1), (8, 2), (9, 0)]
    with_pending = [(c.id, p) for c, p in thread_order(select(ALL, ("pending",)), ALL)]
    assert with_pending == [(1, 0), (2, 1), (4, 2), (8, 4), (9, 0)]


def test_parent_loops_lose_no_comment():
    loop = [comment(1, parent=2), comment(2, parent=1)]
    assert sorted(c.id for c, _ in thread_order(loop, loop)) == [1, 2]


def test_file_content_is_markdown_without_private_fields():
    post = Item(id=7, post_type="post", comments=(comment(1, content="<strong>Muy</strong> bien\n\nOtra"),))
    data = yaml.safe_load(comments_file(post, SiteIndex()))
    assert data == {
        "post_id": 7,
        "comments": [
            {
                "id": 1,
                "parent": 0,
                "author": "Ana & Co",
                "date": data["comments"][0]["date"],
                "content": "**Muy** bien\n\nOtra",
                "dsq_post_id": "555",
            }
        ],
    }
    assert "ana@example.com" not in comments_file(post, SiteIndex())
    private = yaml.safe_load(comments_file(post, SiteIndex(), private=True))["comments"][0]
    assert private["email"] == "ana@example.com" and private["ip"] == "192.0.2.1"
    assert (
        comments_file(Item(id=8, post_type="post", comments=(comment(3, approved="spam"),)), SiteIndex())
        is None
    )


def test_cli_writes_comments_for_published_posts_only(tmp_path):
    wp_comment = """
\t\t<wp:comment><wp:comment_id>{}</wp:comment_id><wp:comment_author><![CDATA[Ana]]></wp:comment_author><wp:comment_author_email>ana@example.com</wp:comment_author_email><wp:comment_author_IP>192.0.2.1</wp:comment_author_IP><wp:comment_date>2011-10-03 18:02:11</wp:comment_date><wp:comment_date_gmt>2011-10-03 17:02:11</wp:comment_date_gmt><wp:comment_content><![CDATA[Hola]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>"""
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, slug="uno", extra=wp_comment.format(11)),
        item(2, status="private", slug="dos", extra=wp_comment.format(12)),
    )
    for target, folder in (("hugo", "data"), ("jekyll", "_data")):
        out = tmp_path / target
        args = [str(export), "-o", str(out), "--comments", "data", "--target", target]
        assert CliRunner().invoke(main, args).exit_code == 0
        assert sorted(p.name for p in (out / folder / "comments").iterdir()) == ["1.yaml"]
        assert "ana@example.com" not in (out / folder / "comments/1.yaml").read_text()
    out = tmp_path / "private"
    CliRunner().invoke(main, [str(export), "-o", str(out), "--comments", "data", "--comments-private"])
    assert "email: ana@example.com" in (out / "data/comments/1.yaml").read_text()

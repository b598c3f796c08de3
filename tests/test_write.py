import os

import frontmatter
import pytest
import yaml

from migrate.write import Timestamp, UnsafePathError, atomic_write, render_document, safe_join

TRICKY = [
    "Yes",
    "No",
    "On",
    "off",
    "1.0",
    "null",
    "~",
    "y",
    "0o17",
    "1e3",
    "0x1F",
    ".inf",
    'Nova: "compute" #1 @ Madrid',
    "line one\nline two",
    "a\n---\nb",
    "---",
    "- dash",
    "#hash",
    "'quoted'",
    "“Diablo” vs & más",
    "key: value",
    "@at",
    "!tag",
    "2011-10-03",
    "tab\there",
    "",
]


@pytest.mark.parametrize("title", TRICKY)
def test_titles_round_trip_exactly(title):
    text = render_document({"title": title, "categories": [title]}, "Cuerpo")
    post = frontmatter.loads(text)
    assert post["title"] == title
    assert post["categories"] == [title]
    assert post.content == "Cuerpo"
    # No front-matter line can end the block early.
    block = text.split("\n---\n", 1)[0]
    assert "\n---" not in block.removeprefix("---")


def test_fixed_key_order_and_shape():
    meta = {
        "title": "En la Openstack",
        "date": Timestamp("2011-10-03T13:20:25Z"),
        "id": 2078,
        "dsq_thread_id": ["432811220"],
    }
    text = render_document(meta, "Hola\n")
    assert text == (
        "---\ntitle: En la Openstack\ndate: 2011-10-03T13:20:25Z\nid: 2078\n"
        'dsq_thread_id:\n- "432811220"\n---\n\nHola\n'
    )
    # YAML readers see a timestamp for the date and a string for the thread id.
    data = yaml.safe_load(text.split("---")[1])
    assert data["date"].year == 2011 and data["dsq_thread_id"] == ["432811220"]


def test_atomic_write_skips_identical_bytes(tmp_path):
    target = tmp_path / "content" / "posts" / "a.md"
    assert atomic_write(target, b"one") is True
    before = target.stat().st_mtime_ns
    os.utime(target, ns=(before - 10_000_000, before - 10_000_000))
    stamped = target.stat().st_mtime_ns
    assert atomic_write(target, b"one") is False
    assert target.stat().st_mtime_ns == stamped
    assert atomic_write(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]  # no temp file left


@pytest.mark.parametrize("rel", ["../x.md", "/etc/x.md", "a/../../x.md", "a\\..\\x.md", "a/\x00.md", ""])
def test_safe_join_refuses_escapes(tmp_path, rel):
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path, rel)


def test_safe_join_refuses_symlink_out(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "posts").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        safe_join(site, "content/posts/a.md")
    assert safe_join(site, "content/pages/a.md") == site / "content" / "pages" / "a.md"

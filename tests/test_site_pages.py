"""Term pages and the authors' data file: what they hold, where Hugo serves them, and re-runs that
update them like items (never over an edit, byte-identical, pruned when the term is gone)."""

import pytest
import yaml

from migrate import state
from migrate.config import Config
from migrate.pipeline import run
from migrate.settings import Settings

from .helpers import CORPUS, category, item, write_wxr
from .hugo_site import build, check_site, hugo_binary

THEME_UNIT_TEST = CORPUS / "theme-unit-test.xml"
DESCRIBED = "<wp:cat_name><![CDATA[Cloud]]></wp:cat_name>"


def migrate(export, out, **kw):
    return run(Config(exports=(export,), output=out, media="none", **kw))


def export(tmp_path, description="Artículos sobre <em>cloud</em> &amp; nubes", name="Cloud", posts=None):
    """The helpers' export (categories Cloud, and OpenStack below it), Cloud described."""
    path = write_wxr(tmp_path / "e.xml", *(posts or [item(1, extra=category("category", "cloud", "Cloud"))]))
    text = path.read_text().replace(
        DESCRIBED,
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name>"
        f"<wp:category_description><![CDATA[{description}]]></wp:category_description>",
    )
    path.write_text(text)
    return path


@pytest.mark.skipif(not THEME_UNIT_TEST.is_file(), reason="shared corpus not present")
def test_a_corpus_export_gets_pages_for_described_and_child_terms_only(tmp_path):
    out = tmp_path / "site"
    migrate(THEME_UNIT_TEST, out)
    assert (out / "content/categories/grandchild-category/_index.md").read_text() == (
        "---\n"
        "title: Grandchild Category\n"
        "description: This is a description for the Grandchild Category.\n"
        "term_id: 57037077\n"
        "term_slug: grandchild-category\n"
        "parent: Child Category 03\n"
        "---\n\n"
        "This is a description for the Grandchild Category.\n"
    )
    child = (out / "content/categories/child-1/_index.md").read_text()  # a parent, no description
    assert "parent: Parent\n" in child and "description" not in child
    # Terms with neither (the export's tag "aciform", say) get no page: Hugo's own is as good.
    assert not (out / "content/tags/aciform").exists()
    pages = sorted(p.parent.name for p in (out / "content").glob("*/*/_index.md"))
    assert len(pages) == 33 and "unpublished" in pages
    authors = yaml.safe_load((out / "data/authors.yaml").read_text())
    assert authors["themereviewteam"] == {
        "login": "themereviewteam",
        "display_name": "Theme Reviewer",
        "first_name": "Theme",
        "last_name": "Review",
    }
    assert "@" not in (out / "data/authors.yaml").read_text()  # never an e-mail address


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed")
@pytest.mark.skipif(not THEME_UNIT_TEST.is_file(), reason="shared corpus not present")
def test_hugo_serves_each_term_page_where_the_posts_link_their_term(tmp_path):
    site = tmp_path / "site"
    migrate(THEME_UNIT_TEST, site)
    done = build(site)
    _, problems = check_site(site, done)
    assert problems == []
    public = site / "public"
    html = (public / "categories/grandchild-category/index.html").read_text()
    assert "<h1>Grandchild Category</h1>" in html
    assert '<p class="description">This is a description for the Grandchild Category.</p>' in html
    # Its posts are listed there: the page is the term's, not a section beside it.
    assert '<a href="/' in html
    # The WordPress slug is not Hugo's `slug`: "Edge Case" (edge-case-2 in WordPress) stays at
    # the URL of its name, where the posts' terms and the redirects point.
    assert (public / "categories/edge-case/index.html").is_file()
    assert not (public / "categories/edge-case-2").exists()


def test_reruns_update_term_pages_keep_edits_and_prune_gone_terms(tmp_path):
    out = tmp_path / "site"
    first = migrate(export(tmp_path), out)
    page = out / "content/categories/cloud/_index.md"
    assert page.read_text() == (
        "---\ntitle: Cloud\ndescription: Artículos sobre cloud & nubes\nterm_id: 3\n"
        "term_slug: cloud\n---\n\nArtículos sobre *cloud* & nubes\n"
    )
    child = out / "content/categories/openstack/_index.md"
    assert "parent: Cloud\n" in child.read_text()
    assert sorted(first.site_pages.new) == [
        "content/categories/cloud/_index.md",
        "content/categories/openstack/_index.md",
        "data/authors.yaml",
    ]
    assert list(first.changes.new) == ["content/posts/post-1.md"]  # items are counted apart
    assert "term pages and authors' data: 3 new, 0 unchanged" in first.summary()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".wxr-migrate" not in p.parts}
    again = migrate(export(tmp_path), out, force=False)
    assert again.site_pages.unchanged == 3 and not again.site_pages.new and not again.files_written
    assert {p: p.read_bytes() for p in before} == before

    # A new description updates the page; an edited page is kept and the new one set aside.
    child.write_text(child.read_text() + "\nMis notas.\n")
    changed = migrate(export(tmp_path, "Todo sobre la nube"), out)
    assert "description: Todo sobre la nube" in page.read_text()
    assert changed.site_pages.updated == ["content/categories/cloud/_index.md"]
    assert changed.site_pages.conflicts == [] and child.read_text().endswith("Mis notas.\n")

    # Renamed: the page moves with the term's URL.
    renamed = migrate(export(tmp_path, "Todo sobre la nube", name="Nube"), out)
    assert (
        "content/categories/cloud/_index.md",
        "content/categories/nube/_index.md",
    ) in renamed.site_pages.moved
    assert not page.exists()

    # Gone from the export: kept, reported; --prune deletes it unless edited.
    path = tmp_path / "e.xml"
    path.write_text(
        path.read_text()
        .replace("<wp:category_description><![CDATA[Todo sobre la nube]]>", "<x><![CDATA[]]>")
        .replace("</wp:category_description>", "</x>")
    )
    gone = migrate(path, out)
    assert (3, "content/categories/nube/_index.md") in gone.site_pages.gone
    pruned = migrate(path, out, prune=True)
    assert pruned.site_pages.pruned == ["content/categories/nube/_index.md"]
    assert not (out / "content/categories/nube").exists() and child.is_file()  # edited: kept
    manifest = state.dump(out)
    assert manifest["sites"]["http://www.stackops.com#terms:category"]["items"].keys() == {"4"}


def test_an_unchanged_rerun_answered_from_the_manifest_counts_the_pages(tmp_path):
    out = tmp_path / "site"
    path = export(tmp_path)
    full = migrate(path, out)
    replayed = migrate(path, out)  # the same inputs: answered without reading the export
    assert replayed.site_pages.unchanged == len(full.site_pages.new) == 3
    (out / "content/categories/cloud/_index.md").unlink()
    deleted = migrate(path, out)
    assert deleted.site_pages.deleted_by_user == [(3, "content/categories/cloud/_index.md")]


def test_jekyll_writes_authors_data_and_no_term_pages(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path), out, settings=Settings(target="jekyll"))
    assert not list(out.rglob("_index.md"))
    assert yaml.safe_load((out / "_data/authors.yml").read_text()) == {
        "diego": {"login": "diego", "display_name": "Diego Parrilla"}
    }


def test_old_author_pages_redirect_to_the_home_page(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path), out, settings=Settings(redirects=("netlify",)))
    rules = (out / "static/_redirects").read_text().splitlines()
    assert "/author/diego/  /  301!" in rules
    assert "/author/diego/feed/  /index.xml  301!" in rules


def test_terms_without_an_id_or_a_folder_of_their_own_get_no_page(tmp_path):
    path = export(tmp_path, name="🌩")  # Hugo urlizes it to nothing: no folder to put a page in
    text = path.read_text().replace("<wp:term_id>4</wp:term_id>", "")  # OpenStack: no term id
    described = "</wp:tag_name><wp:tag_description>Sí</wp:tag_description></wp:tag>"
    path.write_text(text.replace("</wp:tag_name></wp:tag>", described))
    out = tmp_path / "site"
    report = migrate(path, out)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("_index.md"))
    assert pages == ["content/tags/boston/_index.md"]
    assert [(w.item_id, w.kind, w.message) for w in report.warnings if w.kind == "term-page"] == [
        (0, "term-page", "category 'openstack': no term id in the export; no page written")
    ]

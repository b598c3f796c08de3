"""The site around the content (migrate/site/): hugo.toml / _config.yml, menus, the starter theme."""

import re
import tomllib
from pathlib import Path

import frontmatter
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.cli import main
from migrate.config import Config
from migrate.models import Channel, ItemTerm, LinkTarget, MenuItem, SiteIndex, Term
from migrate.pipeline import run
from migrate.settings import Settings
from migrate.site import config as site_config
from migrate.site import menus
from migrate.site.config import SiteFacts
from migrate.site.theme import theme_files
from migrate.targets import HUGO

from .helpers import CORPUS, category, item, meta, write_wxr
from .hugo_site import build, hugo_binary

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"
SITE = "http://www.stackops.com"


# -- menus, on synthetic items --------------------------------------------------------------------


def menu_entry(
    item_id, kind="post_type", object_id=0, *, menu="top", parent=0, order=1, title="", url="", obj=""
):
    obj = obj or {"post_type": "page", "taxonomy": "category", "custom": "custom"}[kind]
    return MenuItem(item_id, menu, menu.title(), kind, obj, object_id, url, parent, order, title)


INDEX = SiteIndex(
    site_hosts=frozenset({"www.stackops.com", "stackops.com"}),
    base_urls=(SITE,),
    terms={
        ("category", "cloud"): Term("category", "cloud", "Cloud &amp; more", id=3),
        ("post_tag", "boston"): Term("post_tag", "boston", "Boston", id=9),
    },
    targets={
        10: LinkTarget(10, "page", "/empresa/", "Empresa"),
        11: LinkTarget(11, "post", "/2011/10/03/hola/", "Hola"),
        12: LinkTarget(12, "post", "/2011/10/04/borrador/", "Borrador"),
    },
    targets_by_path={"/2011/10/03/hola/": LinkTarget(11, "post", "/2011/10/03/hola/", "Hola")},
)
SITE_FACTS = menus.Site(
    index=INDEX,
    paths={10: "content/empresa.md", 11: "content/posts/hola/index.md"},
    drafts=frozenset({12}),
    layout=HUGO,
    settings=Settings(),
)


def test_menu_entries_resolve_to_pages_terms_and_links():
    items = [
        menu_entry(1, object_id=10, order=2),
        menu_entry(2, object_id=11, order=1, title="Lo último", obj="post"),
        menu_entry(3, "taxonomy", 3, order=3),
        menu_entry(4, "custom", url=f"{SITE}/2011/10/03/hola/#comments", order=4, title="Comentarios"),
        menu_entry(5, "custom", url="http://www.stackops.com/contacto/?a=1", order=5, title="Contacto"),
        menu_entry(6, "custom", url="https://github.com/stackops", order=6, title="GitHub"),
        menu_entry(7, object_id=10, parent=1, order=7, title="Equipo"),
    ]
    built = menus.build(items, SITE_FACTS)
    assert built.left_out == []
    assert built.menus == {
        "main": [
            {"name": "Lo último", "pageRef": "/posts/hola", "weight": 1, "identifier": "menu-item-2"},
            {"name": "Empresa", "pageRef": "/empresa", "weight": 2, "identifier": "menu-item-1"},
            {
                "name": "Cloud & more",
                "url": "/categories/cloud--more/",
                "weight": 3,
                "identifier": "menu-item-3",
            },
            {
                "name": "Comentarios",
                "url": "/2011/10/03/hola/#comments",
                "weight": 4,
                "identifier": "menu-item-4",
            },
            {"name": "Contacto", "url": "/contacto/?a=1", "weight": 5, "identifier": "menu-item-5"},
            {
                "name": "GitHub",
                "url": "https://github.com/stackops",
                "weight": 6,
                "identifier": "menu-item-6",
            },
            {
                "name": "Equipo",
                "pageRef": "/empresa",
                "weight": 7,
                "identifier": "menu-item-7",
                "parent": "menu-item-1",
            },
        ]
    }


def test_menu_entries_to_drafts_and_missing_targets_are_left_out_and_their_children_move_up():
    items = [
        menu_entry(1, object_id=10, order=1),
        menu_entry(2, object_id=12, parent=1, order=2, obj="post"),  # a draft
        menu_entry(3, object_id=10, parent=2, order=3, title="Nieto"),  # its child
        menu_entry(4, "taxonomy", 99, order=4),  # no such term
        menu_entry(5, object_id=404, order=5),  # no such page
        menu_entry(6, "custom", order=6, title="Nada"),  # no URL
    ]
    built = menus.build(items, SITE_FACTS)
    assert [(x.item_id, x.reason) for x in built.left_out] == [
        (2, "points at post 12, a draft"),
        (4, "points at category 99, not in the export"),
        (5, "points at page 404, not in the export (or not migrated)"),
        (6, "a custom link without a URL"),
    ]
    entries = built.menus["main"]
    assert [e["identifier"] for e in entries] == ["menu-item-1", "menu-item-3"]
    assert entries[1]["parent"] == "menu-item-1"  # its parent was left out: it hangs from the grandparent


def test_which_menu_is_main():
    def names(*menus_and_sizes):
        return menus.menu_names(
            {slug: [menu_entry(i, menu=slug) for i in range(n)] for slug, n in menus_and_sizes}
        )

    assert names(("footer", 1)) == {"footer": "main"}  # the only menu
    assert names(("footer", 9), ("primary-menu", 2)) == {"footer": "footer", "primary-menu": "main"}
    assert names(("footer", 9), ("top-bar", 2), ("header", 1)) == {
        "footer": "footer",
        "header": "main",
        "top-bar": "top-bar",
    }
    assert names(("social", 3), ("footer", 5), ("links", 5)) == {
        "footer": "main",
        "links": "links",
        "social": "social",
    }
    assert names(("primary", 1), ("main", 4)) == {"main": "main-wp", "primary": "main"}
    # Not a word of the slug: "domain" holds "main" but is no main menu.
    assert names(("domain", 1), ("other", 2)) == {"domain": "domain", "other": "main"}


# -- the configuration ----------------------------------------------------------------------------


def facts(**kw):
    channel = Channel(
        title="Caf&eacute; &amp; <b>Cloud</b>", description="Cloud en espa&ntilde;ol", language="es-ES"
    )
    return SiteFacts(channels=[channel], base_urls=(SITE,), **kw)


def test_hugo_config_from_the_channel_and_the_content():
    used = {
        ItemTerm("category", "cloud", "Cloud"),
        ItemTerm("genre", "jazz", "Jazz"),
        ItemTerm("post_format", "x", "X"),
    }
    config = site_config.hugo_config(facts(terms_used=used, embeds={"youtube", "x"}), Settings())
    assert config["title"] == "Café & Cloud"
    assert config["baseURL"] == "http://www.stackops.com/"
    assert config["locale"] == "es-ES"
    assert config["params"] == {"description": "Cloud en español", "mainSections": ["posts"]}
    assert config["taxonomies"] == {"category": "categories", "tag": "tags", "genre": "genre"}
    assert config["pagination"] == {"pagerSize": 10}
    assert config["summaryLength"] == 55
    assert "renderer" not in config["markup"]["goldmark"]  # no file keeps raw HTML
    assert config["markup"]["goldmark"]["extensions"] == {"typographer": {"disable": False}}
    assert config["privacy"] == {"x": {"enableDNT": True}, "youtube": {"privacyEnhanced": True}}
    assert "services" not in config and "theme" not in config and "menus" not in config

    settings = Settings(new_base_url="https://new.example.com", rename={"categories": "cats"})
    config = site_config.hugo_config(
        facts(raw_html_files=2, disqus_shortname="stackops", theme=True), settings
    )
    assert config["baseURL"] == "https://new.example.com/"
    assert config["markup"]["goldmark"]["renderer"] == {"unsafe": True}
    assert config["services"] == {"disqus": {"shortname": "stackops"}}
    assert config["theme"] == "wxr-starter"
    assert config["taxonomies"] == {"category": "cats", "tag": "tags"}  # the front matter's own key
    text = site_config.render_hugo(config)
    assert tomllib.loads(text)["services"]["disqus"]["shortname"] == "stackops"


def test_embeds_are_found_in_shortcode_calls_only():
    text = (
        '{{< youtube abc >}}\n\n{\\{< vimeo 1 >}} and `{{</* x user=a id=1 */>}}`\n{{< x user="a" id="2" >}}'
    )
    assert site_config.embeds_in(text) == ["x", "youtube"]


def test_the_keys_an_existing_config_lacks():
    needed = ["markup.goldmark.renderer.unsafe", "taxonomies.genre", "menus.main"]
    existing = {
        "markup": {"goldmark": {"renderer": {"unsafe": True}}},
        "taxonomies": {"category": "categories"},
    }
    assert site_config.lacking(existing, needed) == ["taxonomies.genre", "menus.main"]
    assert site_config.lacking(None, needed) == needed  # unreadable: all of them


# -- runs over the sample and the corpus ----------------------------------------------------------


def migrate(out, *exports, **kw):
    return run(Config(exports=tuple(exports or (SAMPLE,)), output=out, media="none", **kw))


def tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def site_files(root):
    return {k: v for k, v in tree(root).items() if not k.startswith((".wxr-migrate/", "content/"))}


def test_sample_gets_a_config_and_the_theme(tmp_path):
    report = migrate(tmp_path / "site")
    config = tomllib.loads((tmp_path / "site" / "hugo.toml").read_text())
    assert config["markup"]["goldmark"]["renderer"]["unsafe"] is True  # the Google Maps iframe
    assert config["menus"]["main"] == [
        {"name": "Empresa", "pageRef": "/empresa", "weight": 1, "identifier": "menu-item-2170"}
    ]
    assert config["theme"] == "wxr-starter"
    for path, data in theme_files():
        assert (tmp_path / "site" / path).read_bytes() == data
    assert any("unsafe = true" in line for line in report.site)
    assert "themes/wxr-starter/theme.toml" in report.site_written and "hugo.toml" in report.site_written
    # The summary counts the theme's files under its folder, and says once which theme it is.
    n = len(theme_files())
    assert f"site: wrote hugo.toml, themes/wxr-starter/ ({n} files)" in report.summary()
    assert [line for line in report.summary() if "wxr-starter" in line] == [
        f"site: wrote hugo.toml, themes/wxr-starter/ ({n} files)",
        "site: theme: wxr-starter, in themes/wxr-starter/ (--theme none: no theme)",
    ]


def test_site_files_are_the_same_bytes_on_every_run_and_for_any_jobs(tmp_path):
    first = migrate(tmp_path / "a")
    expected = site_files(tmp_path / "a")
    again = migrate(tmp_path / "a")  # replayed from the manifest: nothing read again
    assert again.site == first.site and again.site_written == []
    assert site_files(tmp_path / "a") == expected
    (tmp_path / "a" / "content" / "empresa.md").unlink()  # no replay: the full path, nothing converted
    full = migrate(tmp_path / "a")
    assert full.changes.deleted_by_user and full.site == first.site
    assert site_files(tmp_path / "a") == expected
    migrate(tmp_path / "b", jobs=2)
    assert site_files(tmp_path / "b") == expected


def test_an_existing_config_is_never_overwritten_and_gets_a_suggestion(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    mine = b'baseURL = "https://mine.example/"\ntitle = "Mine"\n[taxonomies]\ncategory = "categories"\n'
    (out / "config.toml").write_bytes(mine)
    report = migrate(out)
    assert (out / "config.toml").read_bytes() == mine
    assert not (out / "hugo.toml").exists()
    lacks = [line for line in report.site if "config.toml is yours" in line]
    assert (
        lacks
        and "markup.goldmark.renderer.unsafe" in lacks[0]
        and "taxonomies.portfolio_category" in lacks[0]
    )
    assert "menus.main" in lacks[0] and "theme" in lacks[0]
    suggested = tomllib.loads((out / ".wxr-migrate" / "hugo.suggested.toml").read_text())
    assert suggested["markup"]["goldmark"]["renderer"]["unsafe"] is True
    again = migrate(out)
    assert (out / "config.toml").read_bytes() == mine and again.site == report.site


def test_the_tools_config_is_updated_until_edited_then_left_alone(tmp_path):
    out = tmp_path / "site"
    migrate(out)
    hugo_toml = out / "hugo.toml"
    ours = hugo_toml.read_bytes()
    report = migrate(out, disqus_shortname="stackops")  # an option that changes it: rewritten, still ours
    assert b'shortname = "stackops"' in hugo_toml.read_bytes() and "hugo.toml" in report.site_written
    edited = hugo_toml.read_bytes().replace(b'title = "StackOps"', b'title = "Mi blog"')
    hugo_toml.write_bytes(edited)
    report = migrate(out)  # back without the option: the tool's version would differ, but it is edited
    assert hugo_toml.read_bytes() == edited
    assert any(line.startswith("hugo.toml is yours") for line in report.site)
    assert (out / ".wxr-migrate" / "hugo.suggested.toml").read_bytes() == ours
    assert not report.changes.conflicts and report.exit_code == 0


def test_theme_is_written_only_when_the_site_has_none(tmp_path):
    migrate(tmp_path / "none", theme="none")
    assert not (tmp_path / "none" / "themes").exists()
    assert "theme" not in tomllib.loads((tmp_path / "none" / "hugo.toml").read_text())
    (tmp_path / "layouts" / "layouts").mkdir(parents=True)
    migrate(tmp_path / "layouts")
    assert not (tmp_path / "layouts" / "themes").exists()
    (tmp_path / "themed").mkdir()
    (tmp_path / "themed" / "hugo.yaml").write_text("theme: papermod\n")
    report = migrate(tmp_path / "themed")
    assert not (tmp_path / "themed" / "themes").exists()
    assert not [
        line
        for line in report.site
        if "lacks" in line and "theme" in line.split("lacks")[1].split("(")[0].split(", ")
    ]
    migrate(tmp_path / "jekyll", settings=Settings(target="jekyll"))
    assert not (tmp_path / "jekyll" / "themes").exists()


def test_an_edited_theme_file_is_kept(tmp_path):
    out = tmp_path / "site"
    migrate(out)
    theme_toml = out / "themes" / "wxr-starter" / "theme.toml"
    theme_toml.write_text(theme_toml.read_text() + "# mine\n")
    edited = theme_toml.read_bytes()
    report = migrate(out)
    assert theme_toml.read_bytes() == edited
    assert any("themes/wxr-starter/theme.toml: edited by you" in line for line in report.site)
    theme_toml.unlink()  # deleted: written again (a theme without its files does not build)
    migrate(out)
    assert theme_toml.read_bytes() == dict(theme_files())["themes/wxr-starter/theme.toml"]


def test_jekyll_gets_config_and_menus_data(tmp_path):
    out = tmp_path / "site"
    migrate(out, settings=Settings(target="jekyll"), disqus_shortname="stackops")
    config = yaml.safe_load((out / "_config.yml").read_text())
    assert config["title"] == "StackOps" and config["url"] == "http://www.stackops.com"
    assert config["disqus"] == {"shortname": "stackops"}
    assert yaml.safe_load((out / "_data" / "menus.yml").read_text()) == {
        "main": [{"name": "Empresa", "url": "/empresa/", "weight": 1, "identifier": "menu-item-2170"}]
    }


def test_dry_run_writes_no_site_file_and_says_what_it_would(tmp_path):
    report = run(Config(exports=(SAMPLE,), output=tmp_path / "site", media="none", dry_run=True))
    assert not (tmp_path / "site").exists()
    assert "hugo.toml" in report.site_written
    assert any("would write hugo.toml" in line for line in report.summary())


def test_menu_items_to_drafts_are_reported(tmp_path):
    def menu_item(item_id, target, order):
        extra = category("nav_menu", "principal", "Principal") + "".join(
            meta(k, v)
            for k, v in [
                ("_menu_item_type", "post_type"),
                ("_menu_item_object", "post"),
                ("_menu_item_object_id", str(target)),
                ("_menu_item_menu_item_parent", "0"),
                ("_menu_item_url", ""),
            ]
        )
        return item(item_id, "", post_type="nav_menu_item", menu_order=order, extra=extra)

    export = write_wxr(
        tmp_path / "e.xml",
        item(1, "Publicado", slug="publicado"),
        item(2, "Borrador", slug="borrador", status="draft"),
        menu_item(50, 1, 1),
        menu_item(51, 2, 2),
    )
    report = migrate(tmp_path / "site", export)
    config = tomllib.loads((tmp_path / "site" / "hugo.toml").read_text())
    assert config["menus"]["main"] == [
        {"name": "Publicado", "pageRef": "/posts/publicado", "weight": 1, "identifier": "menu-item-50"}
    ]
    assert [(w.item_id, w.message) for w in report.warnings if w.kind == "menu"] == [
        (51, "menu main: entry left out: points at post 2, a draft")
    ]
    assert not (tmp_path / "site" / "content" / "nav_menu_item").exists()
    assert report.exit_code == 0


def test_bad_disqus_shortname_is_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(tmp_path / "s"), "--disqus-shortname", "a b/c"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and result.output.startswith("error: --disqus-shortname")


MENU_EXPORTS = [
    "theme-unit-test.xml",
    "importer-a11y-unit-test-data.xml",
    "blog-paralisiafacial-pt-dsq-wxr12.xml",
]


@pytest.mark.parametrize("name", MENU_EXPORTS)
def test_corpus_menus_resolve(tmp_path, name):
    export = CORPUS / name
    if not export.exists():
        pytest.skip("corpus not available")
    out = tmp_path / "site"
    report = migrate(out, export)
    config = tomllib.loads((out / "hugo.toml").read_text())
    pages = {}
    for md in (out / "content").rglob("*.md"):
        post = frontmatter.load(md)
        rel = md.relative_to(out / "content").with_suffix("").as_posix().removesuffix("/index")
        pages["/" + rel] = post
    term_urls = {
        HUGO.term_url(key, name)
        for post in pages.values()
        for key in config["taxonomies"].values()
        for name in post.get(key, [])
    }
    urls = {post.get("url") for post in pages.values()}
    entries = [e for menu in config["menus"].values() for e in menu]
    assert len(entries) >= 10
    identifiers = {e["identifier"] for e in entries}
    for entry in entries:
        assert entry.get("parent", "menu-item-0") in identifiers | {"menu-item-0"}
        if "pageRef" in entry:
            assert entry["pageRef"] in pages, entry
            assert not pages[entry["pageRef"]].get("draft"), entry
        elif entry["url"].startswith("/"):
            path = entry["url"].split("#")[0].split("?")[0]
            assert path in urls | term_urls or path == "/", entry
        else:
            assert entry["url"].startswith(("http://", "https://", "mailto:", "#")), entry
    for warning in (w for w in report.warnings if w.kind == "menu"):
        assert "left out" in warning.message


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed")
def test_sample_builds_with_the_tools_own_hugo_toml(tmp_path):
    out = tmp_path / "site"
    migrate(out)
    original = (out / "hugo.toml").read_bytes()
    listing = '{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>\n{{ end }}'
    listing += '{{ range site.Menus.main }}<a class="menu" href="{{ .URL }}">{{ .Name }}</a>{{ end }}'
    # Site layouts over the starter theme's: the theme's home.html is more specific than a site's
    # list.html, so the home page gets its own.
    (out / "layouts").mkdir()
    (out / "layouts" / "home.html").write_text(listing)
    done = build(out, config=None, listing=listing)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "WARN" not in done.stderr + done.stdout
    assert (out / "hugo.toml").read_bytes() == original
    home = (out / "public" / "index.html").read_text()
    assert '<a class="menu" href="/empresa/">Empresa</a>' in home
    assert "<iframe" in (out / "public" / "empresa" / "index.html").read_text()  # unsafe = true kept it


def test_a_config_file_sets_the_theme_and_a_link_out_is_not_followed(tmp_path):
    (tmp_path / "wxr-migrate.toml").write_text('theme = "none"\n')
    out = tmp_path / "site"
    (out / "themes" / "wxr-starter").mkdir(parents=True)
    result = CliRunner().invoke(
        main, [str(SAMPLE), "-o", str(out), "--media", "none", "--config", str(tmp_path / "wxr-migrate.toml")]
    )
    assert result.exit_code == 0, result.output
    assert "theme" not in tomllib.loads((out / "hugo.toml").read_text())
    assert not (out / "themes" / "wxr-starter" / "theme.toml").exists()
    (out / "hugo.toml").unlink()
    outside = tmp_path / "outside.toml"
    outside.write_text("")
    (out / "hugo.toml").symlink_to(outside)  # a link to a file outside the site: the user's, left alone
    report = migrate(out)
    assert outside.read_text() == ""
    assert any(line.startswith("hugo.toml is yours, left as it is; it lacks") for line in report.site)


# The embed pattern as first written, starting with a look-behind (the regex engine then tries every
# position): the form in site/config.py, which starts with its first `{`, finds the same embeds.
_SLOW_EMBED_CALL = re.compile(r"(?<![\\{])\{\{<\s*(youtube|vimeo|x|instagram)\s")


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(["{", "{{<", "\\", " ", "\n", "youtube", "x", "vimeo ", ">}}", "a"])).map(
        "".join
    )
)
def test_the_embed_pattern_finds_what_the_slow_one_finds(text: str):
    found = [m.span(1) for m in site_config._EMBED_CALL.pattern.finditer(text)]
    assert found == [m.span(1) for m in _SLOW_EMBED_CALL.finditer(text)]

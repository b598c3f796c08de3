"""Polylang (migrate/plugins/polylang.py): file names by language, `translationKey`, the default
language, the report's language counts, a Hugo build of the multilingual sample, and the corpus."""

import json
import tomllib
from pathlib import Path

import frontmatter
import lxml.html
import pytest

from migrate import targets
from migrate.config import Config
from migrate.models import MenuItem, Term
from migrate.pipeline import run
from migrate.plan import hugo_url, scan
from migrate.plugins import polylang
from migrate.settings import Settings
from migrate.site import config as site_config
from migrate.site import menus

from .helpers import CORPUS, category, item, write_wxr
from .hugo_site import check_site, hugo_binary, run_hugo
from .test_golden import check_golden, files, without_state

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "tests" / "data" / "polylang-site.xml"
GOLDEN = ROOT / "tests" / "golden" / "polylang-site"
PARCH = CORPUS / "blog-parchlinux-fa-fse-wxr12.xml"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    out = tmp_path_factory.mktemp("polylang") / "site"
    report = run(Config(exports=(SITE,), output=out, media="none", report_path=None))
    return out, report


def meta(out: Path, rel: str) -> dict:
    return frontmatter.load(out / "content" / rel).metadata


def test_sample_matches_golden_files(migrated):
    out, _ = migrated
    check_golden(files(out), GOLDEN)


def test_each_language_by_file_name_default_unchanged(migrated):
    out, _ = migrated
    assert sorted(str(p.relative_to(out / "content")) for p in (out / "content").rglob("*.md")) == [
        "a-propos.fr.md",
        "a-propos/equipe.fr.md",
        "about.md",
        "posts/bonjour-le-monde.fr.md",
        "posts/brouillon.fr.md",
        "posts/hallo-welt.de.md",
        "posts/hello-world.md",
        "posts/news.de.md",  # two posts with one slug in two languages: no collision, no -id suffix
        "posts/news.md",
        "posts/only-in-english.md",
    ]


def test_translations_share_a_key_and_keep_their_urls(migrated):
    out, _ = migrated
    group = [
        meta(out, p)
        for p in ("posts/hello-world.md", "posts/bonjour-le-monde.fr.md", "posts/hallo-welt.de.md")
    ]
    assert {m["translationKey"] for m in group} == {"pll_65e6f0a1b2c3d"}
    assert [m["url"] for m in group] == ["/hello-world/", "/fr/bonjour-le-monde/", "/de/hallo-welt/"]
    assert meta(out, "about.md")["translationKey"] == meta(out, "a-propos.fr.md")["translationKey"]
    # Same file name, not translations of each other: each its own key, so Hugo does not link them.
    assert meta(out, "posts/news.md")["translationKey"] == "wp-6"
    assert meta(out, "posts/news.de.md")["translationKey"] == "wp-5"
    # Polylang's taxonomies are not term lists; the French post keeps its French category.
    assert not {"language", "post_translations"} & set(meta(out, "posts/hallo-welt.de.md"))
    assert meta(out, "posts/bonjour-le-monde.fr.md")["categories"] == ["Actualités"]
    # A link to a page in the other language goes to that page's kept URL.
    assert "(/fr/a-propos/)" in (out / "content" / "posts" / "bonjour-le-monde.fr.md").read_text()


def test_languages_in_summary_and_report(migrated, tmp_path):
    _, report = migrated
    assert report.languages == [
        {"code": "en", "name": "English", "locale": "en-GB", "default": True, "items": 4},
        {"code": "de", "name": "Deutsch", "locale": "de-DE", "default": False, "items": 2},
        {"code": "fr", "name": "Français", "locale": "fr-FR", "default": False, "items": 4},
    ]
    assert "languages: en (default) 4, de 2, fr 4" in report.summary()
    path = tmp_path / "report.json"
    report.write_json(path)
    assert json.loads(path.read_text())["languages"][2]["name"] == "Français"


def test_a_one_language_site_is_unchanged(tmp_path):
    report = run(Config(exports=(ROOT / "samples" / "blog-es.xml",), output=tmp_path / "s", media="none"))
    assert report.languages == [] and not any(line.startswith("languages") for line in report.summary())
    assert not any("translationKey" in p.read_text() for p in (tmp_path / "s" / "content").rglob("*.md"))


def test_a_language_taxonomy_of_the_sites_own_is_not_polylang(tmp_path):
    """A site with a `language` taxonomy (programming languages) and no Polylang: a term list as
    any custom taxonomy, no file name suffix, no translationKey."""
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, "Lists", slug="lists", extra=category("language", "python", "Python")),
        item(2, "Arrays", slug="arrays", extra=category("language", "rust", "Rust")),
    )
    report = run(Config(exports=(export,), output=tmp_path / "s", media="none"))
    posts = tmp_path / "s" / "content" / "posts"
    assert sorted(p.name for p in posts.iterdir()) == ["arrays.md", "lists.md"]
    lists = frontmatter.load(posts / "lists.md").metadata
    assert lists["language"] == ["Python"] and "translationKey" not in lists
    assert report.languages == []


def test_an_export_of_posts_only_and_a_collision_within_one_language(tmp_path):
    """WordPress exports no channel terms when only posts are exported: the items' own language
    and group terms show Polylang. Two French posts wanting one path: the `-<id>` comes before
    the language, so the file stays French."""

    def post(post_id, slug, path, code, name, group=""):
        terms = category("language", code, name) + (
            category("post_translations", group, group) if group else ""
        )
        return item(post_id, slug.title(), slug=slug, link=f"http://www.stackops.com{path}", extra=terms)

    export = write_wxr(
        tmp_path / "e.xml",
        post(1, "hello", "/hello/", "en", "English", "pll_a"),
        post(2, "bonjour", "/fr/bonjour/", "fr", "Français", "pll_a"),
        post(3, "news", "/fr/news/", "fr", "Français"),
        post(4, "news", "/fr/news-2/", "fr", "Français"),
    )
    report = run(Config(exports=(export,), output=tmp_path / "s", media="none"))
    posts = tmp_path / "s" / "content" / "posts"
    assert sorted(p.name for p in posts.iterdir()) == [
        "bonjour.fr.md",
        "hello.md",
        "news-4.fr.md",
        "news.fr.md",
    ]
    assert [(x["code"], x["name"], x["default"], x["items"]) for x in report.languages] == [
        ("en", "English", True, 1),
        ("fr", "Français", False, 3),
    ]
    [collision] = [w for w in report.warnings if w.kind == "path-collision"]
    assert collision.message == "content/posts/news.fr.md is item 3's; written as content/posts/news-4.fr.md"
    assert frontmatter.load(posts / "news-4.fr.md").metadata["url"] == "/fr/news-2/"


def test_jobs_2_rerun_and_replay_give_the_same_bytes(migrated, tmp_path):
    out, _ = migrated
    again = tmp_path / "again"
    first = run(Config(exports=(SITE,), output=again, media="none", jobs=2))
    assert without_state(files(again)) == without_state(files(out))
    rerun = run(Config(exports=(SITE,), output=again, media="none", jobs=2))
    assert rerun.files_written == 0 and without_state(files(again)) == without_state(files(out))
    assert rerun.languages == first.languages  # answered from the manifest: the same counts


def test_default_language_from_permalinks_then_channel_then_size():
    terms = {
        ("language", "en"): Term("language", "en", "English", description='a:1:{s:6:"locale";s:5:"en_US";}'),
        ("language", "fr"): Term("language", "fr", "Français", description='a:1:{s:6:"locale";s:5:"fr_FR";}'),
    }

    def default(counts, prefixed, channel=""):
        return [lang.code for lang in polylang.languages(terms, counts, prefixed, channel) if lang.default]

    # French URLs have /fr/, English ones do not: English is the default, whatever the sizes.
    assert default({"en": 2, "fr": 9}, {"fr": 9}) == ["en"]
    # Every language in its folder (or none is): the channel's <language> decides…
    assert default({"en": 2, "fr": 9}, {"en": 2, "fr": 9}, "fr-FR") == ["fr"]
    assert default({"en": 2, "fr": 9}, {}, "en-US") == ["en"]
    # …and with no match, the language with most items.
    assert default({"en": 2, "fr": 9}, {}, "de-DE") == ["fr"]
    assert polylang.languages({}, {}, {}) == []


def test_default_language_in_its_own_folder_stays_there():
    terms = {("language", c): Term("language", c, c.upper()) for c in ("en", "fr")}
    beside = polylang.hugo_config(polylang.languages(terms, {"en": 2, "fr": 2}, {"fr": 2}))
    assert beside["defaultContentLanguage"] == "en" and beside["defaultContentLanguageInSubdir"] is False
    both = polylang.hugo_config(polylang.languages(terms, {"en": 2, "fr": 2}, {"en": 2, "fr": 2}, "en-US"))
    assert both["defaultContentLanguageInSubdir"] is True
    assert polylang.hugo_config([]) == {}


def test_unreadable_language_details_are_left_out():
    terms = {("language", "xx"): Term("language", "xx", "", description="a:1:{s:6:")}
    [lang] = polylang.languages(terms, {"xx": 1}, {})
    assert (lang.name, lang.locale, lang.rtl, lang.default, lang.weight) == ("xx", "", False, True, 1)


def test_hugo_url_of_a_file_in_another_language():
    assert hugo_url("content/posts/bonjour.fr.md", "fr") == "/fr/posts/bonjour/"
    assert hugo_url("content/posts/bonjour/index.fr.md", "fr") == "/fr/posts/bonjour/"
    assert hugo_url("content/posts/hello.md") == "/posts/hello/"


def test_without_url_front_matter_pages_move_below_their_language(tmp_path):
    settings = Settings(omit=frozenset({"url"}))
    run(Config(exports=(SITE,), output=tmp_path / "s", media="none", settings=settings))
    fr = meta(tmp_path / "s", "posts/bonjour-le-monde.fr.md")
    assert "url" not in fr and fr["aliases"] == ["/fr/bonjour-le-monde/"]


def copy_site(out: Path, site: Path) -> None:
    """The migrated folder, hugo.toml and theme included, without the tool's state."""
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and not str(rel).startswith(".wxr-migrate/"):
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_bytes(path.read_bytes())


def test_a_menus_language_is_that_of_most_pages_it_links_to():
    plan = targets.place(scan([SITE], media=False), Settings())
    entries = plan.entries.values()
    site = menus.Site(
        index=plan.index,
        paths={e.item_id: e.path for e in entries if not e.draft},
        drafts=frozenset(e.item_id for e in entries if e.draft),
        layout=targets.HUGO,
        settings=Settings(),
        languages={e.item_id: e.language for e in entries if e.language},
        default_language="en",
    )

    def entry(item_id, object_id, kind="post_type"):
        return MenuItem(item_id, "m", "M", kind, "post", object_id, "", 0, 0, "")

    assert menus.menu_language([entry(1, 2), entry(2, 3), entry(3, 11)], site) == "fr"  # fr, de, fr
    assert menus.menu_language([entry(1, 2), entry(2, 3)], site) == "de"  # a tie: by code
    assert menus.menu_language([entry(1, 2), entry(2, 1)], site) == "en"  # a tie with the default
    assert menus.menu_language([entry(1, 0, "custom"), entry(2, 7)], site) == "en"  # no page (7: a draft)
    built = menus.build([entry(1, 2), entry(2, 12)], site)
    assert built.menus == {} and list(built.languages) == ["fr"]
    assert [x["pageRef"] for x in built.languages["fr"]["main"]] == [
        "/posts/bonjour-le-monde",
        "/a-propos/equipe",
    ]
    config = site_config.hugo_config(
        site_config.SiteFacts(languages=plan.languages, language_menus=built.languages), Settings()
    )
    needed = site_config.needed_keys(config)
    assert needed[-5:] == [
        "defaultContentLanguage",
        "languages.en",
        "languages.de",
        "languages.fr",
        "languages.fr.menus.main",
    ]


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed")
def test_hugo_builds_the_multilingual_sample_with_the_tools_own_hugo_toml_and_theme(migrated, tmp_path):
    out, _ = migrated
    site = tmp_path / "site"
    copy_site(out, site)
    config = tomllib.loads((site / "hugo.toml").read_text())
    assert config["defaultContentLanguage"] == "en" and list(config["languages"]) == ["en", "de", "fr"]
    assert "language" not in config["taxonomies"].values()
    done = run_hugo(site)  # the starter theme the run wrote
    published, problems = check_site(site, done)  # every published item's old URL is in public/
    assert problems == [] and published == 9, done.stderr
    hello = lxml.html.parse(site / "public" / "hello-world" / "index.html").getroot()
    assert hello.get("lang") == "en-GB"
    # The page names its translations, each in its own language, in the byline and in <head>.
    links = hello.xpath('//span[@class="translations"]/a')
    assert [(a.get("hreflang"), a.get("href"), a.text) for a in links] == [
        ("de-DE", "/de/hallo-welt/", "Deutsch"),
        ("fr-FR", "/fr/bonjour-le-monde/", "Français"),
    ]
    assert hello.xpath('//link[@rel="alternate"][@hreflang="fr-FR"]/@href') == [
        "https://multi.example.org/fr/bonjour-le-monde/"
    ]
    news = lxml.html.parse(site / "public" / "news" / "index.html").getroot()
    assert not news.xpath('//span[@class="translations"]')
    french = lxml.html.parse(site / "public" / "fr" / "a-propos" / "index.html").getroot()
    assert french.get("lang") == "fr-FR"
    assert french.xpath('//span[@class="translations"]/a/@href') == ["/about/"]
    # Each language has its own menu: Polylang's French menu on French pages.
    assert french.xpath('//nav[@class="site-nav"]//a[.="À propos"]/@href') == ["/fr/a-propos/"]
    assert hello.xpath('//nav[@class="site-nav"]//a[.="About"]/@href') == ["/about/"]


@pytest.mark.skipif(not PARCH.is_file(), reason="corpus not available")
def test_corpus_polylang_blog(tmp_path):
    plan = scan([PARCH], media=False)
    assert [(x.code, x.name, x.locale, x.rtl, x.default, x.items) for x in plan.languages] == [
        ("en", "English", "en-US", False, True, 7),
        ("fa", "فارسی", "fa-IR", True, False, 19),
    ]
    assert polylang.hugo_config(plan.languages)["languages"]["fa"] == {
        "label": "فارسی",
        "weight": 2,
        "locale": "fa-IR",
        "direction": "rtl",
    }
    out = tmp_path / "site"
    run(Config(exports=(PARCH,), output=out, media="none"))
    keys: dict[str, list[str]] = {}
    for md in sorted((out / "content").rglob("*.md")):
        data = frontmatter.load(md).metadata
        keys.setdefault(data["translationKey"], []).append(md.name)
        if "url" in data:  # drafts have none (a `?p=` link)
            assert md.name.endswith(".fa.md") == data["url"].startswith("/fa/"), md.name
    groups = {k: sorted(v) for k, v in keys.items() if k.startswith("pll_")}
    assert groups == {
        "pll_68f7a70a13708": ["this-month-in-parch-parch-in-motion.md", "این-ماه-در-پارچ-پارچ-در-حرکت.fa.md"],
        "pll_6a7ac31a978ec": [
            "a-linux-distribution-that-leaves-no-one-behind.md",
            "parch-accessibility.fa.md",
        ],
    }
    site = tmp_path / "built"
    copy_site(out, site)
    if hugo_binary() is not None:  # with the hugo.toml the tool wrote: fa right to left
        assert tomllib.loads((site / "hugo.toml").read_text())["languages"]["fa"]["direction"] == "rtl"
        done = run_hugo(site)  # with the starter theme and the hugo.toml the run wrote
        published, problems = check_site(site, done)
        assert problems == [] and published == 22, done.stderr

"""Hugo vs Jekyll layout and keys, URL moves, term URLs (checked against the real Hugo), TOML."""

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import pytest

from migrate import targets
from migrate.config import Config
from migrate.pipeline import run
from migrate.plan import Entry, scan
from migrate.settings import Settings
from migrate.tomlfm import loads as load_toml
from migrate.tomlfm import render_toml_document
from migrate.write import Timestamp

from .helpers import item, meta, write_wxr
from .hugo_site import hugo_binary

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"


def entry(path, post_type="post", draft=False, day="2011-10-03"):
    return Entry(0, 1, post_type, path, "", (), draft, day)


@pytest.mark.parametrize(
    ("hugo", "post_type", "draft", "jekyll"),
    [
        ("content/posts/hola.md", "post", False, "_posts/2011-10-03-hola.md"),
        ("content/posts/hola.md", "post", True, "_drafts/hola.md"),
        ("content/empresa/equipo.md", "page", False, "empresa/equipo.md"),
        ("content/empresa.md", "page", True, "empresa.md"),
        ("content/portfolio/novedades.md", "portfolio", False, "portfolio/novedades.md"),
    ],
)
def test_jekyll_paths(hugo, post_type, draft, jekyll):
    assert targets.jekyll_path(entry(hugo, post_type, draft)) == jekyll


def test_jekyll_keys_and_draft_flag():
    meta_in = {"title": "T", "draft": True, "id": 7, "url": "/a/", "aliases": ["/b/"], "section": "post"}
    got = targets.front_matter(dict(meta_in), entry("content/posts/t.md"), Settings(target="jekyll"))
    assert got == {
        "layout": "post",
        "title": "T",
        "published": False,
        "wordpress_id": 7,
        "permalink": "/a/",
        "redirect_from": ["/b/"],
    }
    page = targets.front_matter({"title": "P"}, entry("content/p.md", "page"), Settings(target="jekyll"))
    assert page == {"layout": "page", "title": "P"}


def test_jekyll_turns_liquid_off_only_where_the_text_has_braces():
    settings = Settings(target="jekyll")
    assert "render_with_liquid: false" in targets.render({"title": "a"}, "x {{< figure >}}\n", settings)
    assert "render_with_liquid" not in targets.render({"title": "a"}, "plain\n", settings)


def test_config_renames_and_omits_keys_for_the_target():
    settings = Settings(
        target="jekyll", rename={"categories": "cats", "permalink": "link"}, omit=frozenset({"guid"})
    )
    got = targets.front_matter(
        {"title": "T", "categories": ["A"], "guid": "g", "url": "/a/"},
        entry("content/p.md", "page"),
        settings,
    )
    assert got == {"layout": "page", "title": "T", "cats": ["A"], "link": "/a/"}


def test_omitting_url_moves_pages_to_hugo_urls_and_keeps_the_old_permalink_as_alias(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, slug="uno", content='<a href="http://www.stackops.com/2011/10/03/dos/">dos</a>'),
        item(2, slug="dos", extra=meta("_wp_old_slug", "viejo")),
    )
    plan = targets.place(scan([export]), Settings(omit=frozenset({"url"})))
    second = next(e for e in plan.entries.values() if e.item_id == 2)
    assert second.url == "/posts/dos/"
    assert second.aliases == ("/2011/10/03/viejo/", "/2011/10/03/dos/")
    assert plan.index.targets[2].url == "/posts/dos/"
    out = tmp_path / "site"
    run(Config(exports=(export,), output=out, settings=Settings(omit=frozenset({"url"}))))
    first = (out / "content/posts/uno.md").read_text()
    assert "url:" not in first and "[dos](/posts/dos/)" in first
    assert (
        "aliases:\n- /2011/10/03/viejo/\n- /2011/10/03/dos/\n" in (out / "content/posts/dos.md").read_text()
    )


def test_jekyll_cannot_omit_permalink(tmp_path):
    from click.testing import CliRunner

    from migrate.cli import main

    export = write_wxr(tmp_path / "e.xml", item(1))
    config = tmp_path / "c.toml"
    config.write_text('target = "jekyll"\n[front_matter]\nomit = ["permalink"]\n')
    result = CliRunner().invoke(main, ["--config", str(config), str(export), "-o", str(tmp_path / "s")])
    assert result.exit_code == 2 and "permalink is needed for Jekyll" in result.stderr


def test_term_urls_per_target():
    assert targets.HUGO.term_url("categories", "Eventos & Charlas") == "/categories/eventos--charlas/"
    assert targets.HUGO.term_feed("tags", "cloud privada") == "/tags/cloud-privada/index.xml"
    assert targets.JEKYLL.term_url("categories", "Eventos & Charlas") == "/category/eventos-charlas/"
    assert targets.JEKYLL.term_url("tags", "Sin categoría_x") == "/tag/sin-categoría-x/"


NAMES = [
    "a  b",
    "Sin categoría",
    "C++ & C#",
    "50% off",
    "x.y",
    " leading",
    "UPPER Case",
    "a_b",
    "a~b@c",
    "¿qué?",
    "emoji 😀 x",
    "dash - x",
    "Ñandú",
    "it's",
    "x:y",
    "(paren)",
    "a,b",
    "tab\tx",
]


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed")
def test_hugo_urlize_matches_the_real_hugo(tmp_path):
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n')
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts/single.html").write_text("x")
    (tmp_path / "layouts/list.html").write_text("{{ range .Pages }}{{ .RelPermalink }}\n{{ end }}")
    for i, name in enumerate(NAMES):
        (tmp_path / f"content/posts/p{i}.md").write_text(
            f"---\ntitle: p{i}\ncategories: [{json.dumps(name)}]\n---\nx\n"
        )
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    done = subprocess.run([hugo_binary(), "--source", str(tmp_path)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    built = {p.name for p in (tmp_path / "public/categories").iterdir() if p.is_dir()}
    assert built == {targets.hugo_urlize(n).strip("/") for n in NAMES}


def test_toml_front_matter_round_trips_the_yaml_fields(tmp_path):
    yaml_site, toml_site = tmp_path / "yaml", tmp_path / "toml"
    run(Config(exports=(SAMPLE,), output=yaml_site, media="none"))
    run(Config(exports=(SAMPLE,), output=toml_site, settings=Settings(front_matter="toml"), media="none"))
    compared = 0
    for md in sorted((yaml_site / "content").rglob("*.md")):
        text = (toml_site / md.relative_to(yaml_site)).read_text()
        assert text.startswith("+++\n")
        yaml_post, toml_post = frontmatter.load(md), load_toml(text)
        assert list(toml_post.metadata) == list(yaml_post.metadata)
        assert toml_post.metadata == yaml_post.metadata, md.name
        assert toml_post.content == yaml_post.content
        compared += 1
    assert compared == 18 + 2  # the items, and the two term pages (site/terms.py)


def test_toml_dates_are_datetimes_with_their_offset():
    text = render_toml_document(
        {"title": "+++", "date": Timestamp("2012-09-20T18:02:33+01:00"), "n": 1}, "Body"
    )
    assert text.splitlines()[:5] == [
        "+++",
        'title = "+++"',
        "date = 2012-09-20 18:02:33+01:00",
        "n = 1",
        "+++",
    ]
    assert load_toml(text)["date"] == datetime(2012, 9, 20, 17, 2, 33, tzinfo=UTC)

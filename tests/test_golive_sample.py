"""The sample's go-live files, byte for byte: redirect maps, Disqus map, comments, for Hugo and
Jekyll. Regenerate with WXR_UPDATE_GOLDEN=1 (see test_golden.py) and review the diff."""

from pathlib import Path

import pytest

from migrate.config import Config
from migrate.pipeline import run
from migrate.settings import Settings

from .test_golden import GOLDEN, SAMPLE_CONFIG, check_golden, files, without_state

ROOT = Path(__file__).resolve().parents[1]
GO_LIVE = Settings(
    redirects=("nginx", "netlify", "apache"), new_base_url="https://new.example.com", comments="data"
)


def migrate(out, **settings):
    settings = Settings(**{**GO_LIVE.__dict__, **settings})
    report = run(Config(output=out, settings=settings, **SAMPLE_CONFIG))
    return files(out), report


@pytest.fixture(scope="module")
def hugo(tmp_path_factory):
    return migrate(tmp_path_factory.mktemp("hugo") / "site")


def test_hugo_go_live_files_match_golden(hugo):
    got, _ = hugo
    extra = {rel: data for rel, data in got.items() if not rel.startswith(("content/", "static/wp-content/"))}
    check_golden(extra, ROOT / "tests" / "golden" / "blog-es-golive")


def test_go_live_options_leave_the_content_as_it_was(hugo):
    got, _ = hugo
    content_only = ("content/", "static/wp-content/")  # not hugo.toml: it has the new base URL
    content = {rel: data for rel, data in got.items() if rel.startswith(content_only)}
    assert content == {rel: data for rel, data in files(GOLDEN).items() if rel.startswith(content_only)}


def test_jekyll_site_matches_golden(tmp_path):
    got, report = migrate(tmp_path / "site", target="jekyll")
    check_golden(got, ROOT / "tests" / "golden" / "blog-es-jekyll")
    assert report.files_written == len([rel for rel in got if rel.endswith(".md")])
    # Jekyll has no Hugo shortcodes: figures and players are HTML, and the one post that shows
    # `{{< aviso >}}` in its text prints it as written, with Liquid off for that file.
    bodies = {rel: data.decode() for rel, data in got.items() if rel.endswith(".md")}
    assert not [rel for rel, text in bodies.items() if "{{< figure" in text or "{{< youtube" in text]
    assert not [rel for rel, text in bodies.items() if "{\\{" in text]  # Hugo's prose escape
    assert sum(text.count("<figure><img") + text.count("<figure><a") for text in bodies.values()) >= 3
    shows_shortcodes = [rel for rel, text in bodies.items() if "{{<" in text]
    assert shows_shortcodes == ["_posts/2014-11-20-plantillas-hugo-shortcodes.md"]
    shown = bodies[shows_shortcodes[0]]
    assert "render_with_liquid: false" in shown
    # As the author wrote them: a shortcode, and Hugo's comment form of one (written once, not twice).
    assert '{{< aviso tipo="peligro" >}}' in shown and "`{{</* shortcode */>}}`" in shown


def test_go_live_files_are_byte_identical_across_runs(hugo, tmp_path):
    again, _ = migrate(tmp_path / "again")
    assert without_state(again) == without_state(hugo[0])

"""Config tables at work: shortcode table, taxonomy renames and merges, Disqus URL map."""

import pickle
from types import MappingProxyType

from click.testing import CliRunner

from migrate.cli import main
from migrate.convert import convert_body
from migrate.golive import disqus_map
from migrate.models import ItemTerm, SiteIndex
from migrate.settings import Settings, from_tables

from .helpers import category, item, meta, write_wxr


def test_shortcode_table_keep_drop_and_templates():
    rules = {
        "gallery": "keep",
        "contact-form-7": "drop",
        "note": "drop",
        "youtube": "{{< youtube {0} >}}",
        "quote": '{{< quote by="{by}" >}}{content}{{< /quote >}}',
    }
    html = (
        '[gallery ids="1,2"]\n\n[contact-form-7 id="4"]\n\n[note]secreto[/note] fin\n\n'
        "[youtube dQw4w9WgXcQ]\n\n"
        "[quote by='Ana \"la\" \\o/']Hola[/quote]"
    )
    body = convert_body(html, SiteIndex(), shortcodes=rules)
    assert body.markdown.split("\n\n") == [
        '[gallery ids="1,2"]',
        "fin",
        "{{< youtube dQw4w9WgXcQ >}}",
        '{{< quote by="Ana &quot;la&quot; &#92;o/" >}}Hola{{< /quote >}}\n',
    ]
    assert body.unknown_shortcodes == ()  # the table names them: nothing to report
    default = convert_body(html, SiteIndex())
    assert "contact-form-7" in default.unknown_shortcodes and "secreto" in default.markdown


def test_term_renames_merges_and_drops():
    settings = Settings(
        terms={"categories": {"Eventos & Charlas": "Eventos", "charlas": "Eventos", "sin-categoria": ""}}
    )
    terms = [
        ItemTerm("category", "eventos", "Eventos &amp; Charlas"),
        ItemTerm("category", "charlas", "Charlas"),
        ItemTerm("category", "sin-categoria", "Sin categoría"),
        ItemTerm("post_tag", "charlas", "Charlas"),
    ]
    assert [t.name for t in settings.map_terms(terms)] == ["Eventos", "Eventos", "Charlas"]


def test_config_tables_reach_the_output(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(
            1,
            slug="uno",
            content="[gallery]",
            extra=category("category", "cloud", "Cloud")
            + category("category", "nube", "Nube")
            + category("post_tag", "boston", "Boston"),
        ),
    )
    config = tmp_path / "c.toml"
    config.write_text(
        '[front_matter]\nrename = {categories = "cats"}\nomit = ["guid", "description"]\n'
        '[taxonomies.categories]\nnube = "Cloud"\n[taxonomies.tags]\nBoston = ""\n'
        '[shortcodes]\ngallery = "drop"\n'
    )
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["--config", str(config), str(export), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = (out / "content/posts/uno.md").read_text()
    assert "cats:\n- Cloud\nid: 1\n" in text
    assert "guid" not in text and "tags" not in text and "description" not in text and "gallery" not in text


def test_disqus_map_lines():
    rows = [
        (9, "http://old.example/b,c/", "https://new.example.com/b,c/"),
        (2, "http://old.example/a/", "https://new.example.com/a/"),
    ]
    assert disqus_map(rows) == (
        "http://old.example/a/, https://new.example.com/a/\n"
        "http://old.example/b%2Cc/, https://new.example.com/b%2Cc/\n"
    )


def test_disqus_map_from_the_cli_covers_posts_with_threads_or_comments(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, slug="uno", extra=meta("dsq_thread_id", "123")),
        item(2, slug="dos"),
        item(3, slug="tres", status="draft", extra=meta("dsq_thread_id", "456")),
    )
    out = tmp_path / "site"
    args = [str(export), "-o", str(out), "--new-base-url", "https://new.example.com/"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert (out / "disqus-url-map.csv").read_text() == (
        "http://www.stackops.com/2011/10/03/uno/, https://new.example.com/2011/10/03/uno/\n"
    )


def test_settings_from_config_tables_pickle_for_worker_processes():
    tables = {
        "front_matter": {"rename": {"url": "permalink"}},
        "taxonomies": {"categories": {"Charlas": "Eventos"}},
        "shortcodes": {"note": "drop"},
    }
    settings = Settings(**from_tables(tables, "wxr-migrate.toml"))
    again = pickle.loads(pickle.dumps(settings))
    assert again == settings
    assert isinstance(again.terms, MappingProxyType) and isinstance(again.terms["categories"], MappingProxyType)

"""Custom fields chosen by the user, ACF fields, and `wxr-migrate fields` (issue 15, point 2)."""

import shutil
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.config import Config
from migrate.pipeline import run
from migrate.plugins.values import typed
from migrate.settings import Settings, SettingsError, custom_fields

from .helpers import CORPUS
from .test_golden import files

DATA = Path(__file__).parent / "data"
ACF = DATA / "acf-fields.xml"
ROOT = Path(__file__).resolve().parents[1]
UPLOADS = "/wp-content/uploads/2024/03/"

RECIPES = """
[custom_fields]
subtitulo = "subtitle"

[custom_fields.receta]
raciones = "servings"
vegetariana = "vegetarian"
foto_final = "final_photo"
galeria = "gallery"
alergenos = "allergens"
pasos = "steps"
tiempos = "times"
dificultad = "difficulty"
codigo = "code"
version = "version"
destacada = "featured"

[custom_fields.page]
subtitulo = "heading"
"""


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def metadata(path):
    return frontmatter.load(path).metadata


def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "03"
    folder.mkdir(parents=True)
    for name in ("cazuela.jpg", "lentejas-social.jpg", "sofrito.jpg"):
        shutil.copy(ROOT / "samples" / "uploads" / "2012" / "12" / "meetup-madrid.jpg", folder / name)
    return tmp_path / "uploads"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("-3", -3),
        ("2.5", 2.5),
        ("007", "007"),  # a code: writing 7 back would not give the text
        ("1.10", "1.10"),  # a version
        ("1e3", "1e3"),
        ("1", 1),  # not a boolean: only ACF's true/false fields say so
        ("true", True),
        ("False", False),
        ("12345678901234567890", "12345678901234567890"),  # an id, not a number to compute with
        ("nan", "nan"),
        ("Como las hacía mi abuela", "Como las hacía mi abuela"),
        ('a:2:{i:0;s:6:"gluten";i:1;s:7:"sulfito";}', ["gluten", "sulfito"]),
        ('a:2:{s:3:"min";i:10;s:3:"max";N;}', {"min": 10, "max": ""}),
        ('a:1:{i:0;O:8:"stdClass":0:{}}', 'a:1:{i:0;O:8:"stdClass":0:{}}'),  # objects are not read
    ],
)
def test_values_are_typed_by_what_they_hold(text, value):
    assert typed(text) == value and type(typed(text)) is type(value)


def test_acf_fields_from_the_config_file(tmp_path):
    config = tmp_path / "wxr-migrate.toml"
    config.write_text(RECIPES, encoding="utf-8")
    out = tmp_path / "site"
    result = invoke(ACF, "-o", out, "--uploads", uploads(tmp_path), "--offline", "--config", config, "-q")
    assert result.exit_code == 0, result.output
    recipe = metadata(out / "content" / "receta" / "lentejas-estofadas.md")
    chosen = {k: v for k, v in recipe.items() if k not in ("title", "date", "author", "categories", "tags")}
    assert chosen == {
        "id": 501,
        "guid": "https://cocinalenta.example/?p=501",
        "image": UPLOADS + "cazuela.jpg",
        "description": "Las lentejas de la abuela piden tiempo: una noche en remojo y dos horas al fuego.",
        "subtitle": "Como las hacía mi abuela",
        "servings": 4,
        "vegetarian": False,  # an ACF true/false field: "0" is false
        "final_photo": UPLOADS + "lentejas-social.jpg",  # an image field's attachment id → its file
        "gallery": [UPLOADS + "cazuela.jpg", UPLOADS + "sofrito.jpg"],
        "allergens": ["gluten", "sulfito"],
        "steps": [  # a repeater: rows of sub-fields; an empty image is left out
            {"texto": "Dejar las lentejas en remojo."},
            {"texto": "Sofreír y cocer dos horas.", "foto": UPLOADS + "sofrito.jpg"},
        ],
        "times": {"preparacion": "15 min", "coccion": "2 h"},  # a group: a map
        "difficulty": 2.5,
        "code": "007",
        "version": "1.10",
        "featured": True,
    }
    # Named only by ACF fields, sofrito.jpg went through the media step like any other file.
    assert (out / "static" / "wp-content" / "uploads" / "2024" / "03" / "sofrito.jpg").is_file()
    soup = metadata(out / "content" / "receta" / "sopa-de-ajo.md")
    assert (soup["servings"], soup["vegetarian"], "steps" in soup) == (2, True, False)  # 0 rows: none
    page = metadata(out / "content" / "sobre-nosotros.md")
    assert page["heading"] == "Quiénes somos" and "subtitle" not in page  # the page type's own name


def test_nothing_is_written_unless_chosen(tmp_path):
    out = tmp_path / "site"
    run(Config(exports=(ACF,), output=out, uploads=uploads(tmp_path), offline=True))
    text = (out / "content" / "receta" / "lentejas-estofadas.md").read_text(encoding="utf-8")
    for key in ("subtitulo", "raciones", "galeria", "_edit_lock", "_oembed", "_wp_old_date", "_thumbnail_id"):
        assert key not in text
    assert not (out / "static" / "wp-content" / "uploads" / "2024" / "03" / "sofrito.jpg").exists()


def test_field_option_names_internal_keys_too(tmp_path):
    out = tmp_path / "site"
    result = invoke(
        ACF, "-o", out, "--media", "none", "-q", "--field", "_wp_page_template=layout", "--field", "codigo"
    )
    assert result.exit_code == 0, result.output
    assert metadata(out / "content" / "sobre-nosotros.md")["layout"] == "templates/ancho.php"
    assert metadata(out / "content" / "receta" / "lentejas-estofadas.md")["codigo"] == "007"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--field", "subtitulo=title"],
            "--field: subtitulo = 'title': title is a key the tool writes itself",
        ),
        (["--field", "=x"], "--field: an empty postmeta key"),
        (["--field", "a=b c"], "--field: a = 'b c': a front matter key is letters, digits, - and _"),
    ],
)
def test_bad_field_is_one_line_and_exit_2(tmp_path, args, message):
    result = invoke(ACF, "-o", tmp_path / "site", "--media", "none", *args)
    assert result.exit_code == 2 and result.output == f"error: {message}\n"


def test_bad_custom_fields_table(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[custom_fields]\nsubtitulo = 3\n", encoding="utf-8")
    result = invoke(ACF, "-o", tmp_path / "site", "--config", config)
    assert result.exit_code == 2
    assert result.output == f"error: {config}: [custom_fields]: subtitulo must be a non-empty string\n"
    with pytest.raises(SettingsError, match=r"\[custom_fields.page\]: x = 'tags'"):
        custom_fields({"page": {"x": "tags"}}, "f: [custom_fields]")


def test_adding_a_field_converts_again(tmp_path):
    out = tmp_path / "site"
    first = run(Config(exports=(ACF,), output=out, media="none"))
    assert len(first.changes.new) == 3
    again = run(Config(exports=(ACF,), output=out, media="none"))
    assert (list(again.changes.new), list(again.changes.updated), again.changes.unchanged) == ([], [], 3)
    settings = Settings(custom_fields={"": {"subtitulo": "subtitle"}})
    chosen = run(Config(exports=(ACF,), output=out, media="none", settings=settings))
    assert sorted(chosen.changes.updated) == [
        "content/receta/lentejas-estofadas.md",
        "content/receta/sopa-de-ajo.md",
        "content/sobre-nosotros.md",
    ]
    assert metadata(out / "content" / "sobre-nosotros.md")["subtitle"] == "Quiénes somos"


def test_same_bytes_with_two_jobs(tmp_path):
    settings = Settings(
        custom_fields=custom_fields({"receta": {"galeria": "gallery", "pasos": "steps"}}, "t")
    )
    trees = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        run(
            Config(
                exports=(ACF,),
                output=out,
                uploads=uploads(tmp_path / str(jobs)),
                offline=True,
                jobs=jobs,
                settings=settings,
            )
        )
        trees.append({k: v for k, v in files(out).items() if not k.startswith(".wxr-migrate/")})
    assert trees[0] == trees[1]
    assert b"steps:" in trees[0]["content/receta/lentejas-estofadas.md"]


def test_fields_command_lists_keys(tmp_path):
    result = invoke("fields", ACF)
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split(None, 4)[1:] for line in result.output.splitlines()[1:]}
    assert rows["subtitulo"][:3] == ["3", "page,receta", "acf"]  # "acf text"
    assert rows["galeria"][:3] == ["1", "receta", "acf"]
    assert rows["dificultad"] == ["1", "receta", "-", "2.5"]
    assert rows["_edit_lock"][2] == "internal"
    assert rows["_wp_page_template"][:3] == ["1", "page", "internal"]
    # The chosen keys come first, the internal ones last.
    kinds = [row[2] for row in rows.values()]
    assert kinds.index("internal") > max(i for i, k in enumerate(kinds) if k != "internal" and k != "seo")
    seo = invoke("fields", DATA / "seo-yoast.xml")
    assert "_yoast_wpseo_metadesc" in seo.output and "seo (written as seo.*)" in seo.output


def test_fields_command_bad_input(tmp_path):
    result = invoke("fields", tmp_path / "missing.xml")
    assert result.exit_code == 2 and result.output == f"error: {tmp_path / 'missing.xml'}: no such file\n"
    broken = invoke("fields", DATA / "broken-truncated.xml")
    assert broken.exit_code == 2 and broken.output.startswith("error: ") and broken.output.count("\n") == 1
    salvaged = invoke("fields", "--salvage", DATA / "broken-truncated.xml")
    assert salvaged.exit_code == 0 and salvaged.output.startswith("KEY ")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_corpus_acf_gallery(tmp_path):
    out = tmp_path / "site"
    export = CORPUS / "blog-sesentaycuatro-es-cpt-wxr12.xml"
    result = invoke(
        export, "-o", out, "--media", "none", "-q", "--field", "galeria", "--field", "fechas=years"
    )
    assert result.exit_code == 0, result.output
    projects = [metadata(p) for p in sorted((out / "content" / "proyectos").glob("*.md"))]
    galleries = [p["galeria"] for p in projects if "galeria" in p]
    assert len(galleries) == 29  # of 31 projects: two have an empty gallery
    assert all(
        url.startswith("https://backend.sesentaycuatro.com/wp-content/uploads/")
        for g in galleries
        for url in g
    )
    assert sum(len(g) for g in galleries) > 100
    assert all(isinstance(p["years"], str) for p in projects if "years" in p)  # an ACF text field
    listing = invoke("fields", export)
    assert any(
        line.split()[:1] == ["galeria"] and "acf gallery" in line for line in listing.output.splitlines()
    )


def test_field_list_in_the_config_file_joins_the_table(tmp_path):
    config = tmp_path / "wxr-migrate.toml"
    config.write_text(
        'field = ["codigo=code"]\n\n[custom_fields.page]\nsubtitulo = "heading"\n', encoding="utf-8"
    )
    out = tmp_path / "site"
    assert invoke(ACF, "-o", out, "--media", "none", "-q", "--config", config).exit_code == 0
    assert metadata(out / "content" / "receta" / "lentejas-estofadas.md")["code"] == "007"
    page = metadata(out / "content" / "sobre-nosotros.md")
    assert page["heading"] == "Quiénes somos" and "code" not in page

"""Encodings: UTF-8 with or without BOM, ISO-8859-1 and windows-1252 declared, and mojibake."""

import json

import frontmatter
import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.models import Item
from migrate.mojibake import fix
from migrate.wxr import iter_records

from .helpers import category, item, wxr

TITLE = "Año nuevo: café, crème brûlée"


def items(path):
    return [r for r in iter_records(path) if isinstance(r, Item)]


@pytest.mark.parametrize(
    "declared,codec,bom",
    [
        ("UTF-8", "utf-8", b""),
        ("UTF-8", "utf-8", b"\xef\xbb\xbf"),
        ("ISO-8859-1", "latin-1", b""),
        ("windows-1252", "cp1252", b""),
    ],
)
def test_declared_encodings_are_read(tmp_path, declared, codec, bom):
    title = TITLE + (" – “quoted” €" if codec != "latin-1" else "")
    text = wxr(item(1, title, content=f"<p>{title}</p>")).replace('encoding="UTF-8"', f'encoding="{declared}"')
    path = tmp_path / "e.xml"
    path.write_bytes(bom + text.encode(codec))
    (it,) = items(path)
    assert (it.title, it.content) == (title, f"<p>{title}</p>")


def test_a_bom_before_php_junk_is_not_a_problem(tmp_path):
    path = tmp_path / "e.xml"
    path.write_bytes(b"\xef\xbb\xbfWarning: x\n" + wxr(item(1, TITLE)).encode())
    assert [i.title for i in items(path)] == [TITLE]


# double-encoded → what the author wrote
MOJIBAKE = {
    "CafÃ©": "Café",
    "niÃ±o y CafÃ© â€” ok": "niño y Café — ok",
    "â€œquotedâ€\x9d": "“quoted”",
    "æ—¥æœ¬èªž": "日本語",
    "Â« hi Â»": "« hi »",
}


@pytest.mark.parametrize("broken", list(MOJIBAKE))
def test_double_encoded_utf8_is_decoded_once(broken):
    assert fix(broken) == MOJIBAKE[broken]
    assert fix(MOJIBAKE[broken]) == MOJIBAKE[broken]


@pytest.mark.parametrize("text", ["Café", "SÃO PAULO", "Ã", "plain", "日本語", "Ελληνικά", "naïve Ångström"])
def test_correct_text_is_never_changed(text):
    assert fix(text) == text


def mojibake_export(tmp_path):
    export = tmp_path / "e.xml"
    export.write_text(
        wxr(
            item(1, "CafÃ© con leche", slug="cafe", content="<p>El cafÃ© estÃ¡ listo</p>", extra=category("category", "bebidas", "BebÃ­das")),
            item(2, "Limpio", slug="limpio"),
        ),
        encoding="utf-8",
    )
    return export


def test_mojibake_is_reported_but_not_fixed_by_default(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, [str(mojibake_export(tmp_path)), "-o", str(out), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    warnings = [w for w in json.loads((tmp_path / "r.json").read_text())["warnings"] if w["kind"] == "mojibake"]
    assert [(w["item_id"], w["message"]) for w in warnings] == [
        (1, "category term 'BebÃ\\xaddas' looks double-encoded: is it 'Bebídas'? (--fix-mojibake)"),
        (1, "title 'CafÃ© con leche' looks double-encoded: is it 'Café con leche'? (--fix-mojibake)"),
    ]
    assert frontmatter.load(out / "content/posts/cafe.md")["title"] == "CafÃ© con leche"


def test_fix_mojibake_fixes_titles_terms_and_text(tmp_path):
    out = tmp_path / "site"
    args = [str(mojibake_export(tmp_path)), "-o", str(out), "--fix-mojibake", "--report", str(tmp_path / "r.json")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    post = frontmatter.load(out / "content/posts/cafe.md")
    assert (post["title"], post["categories"]) == ("Café con leche", ["Bebídas"])
    assert "El café está listo" in post.content
    repairs = json.loads((tmp_path / "r.json").read_text())["repairs"]
    assert {r["kind"] for r in repairs} == {"mojibake"} and len(repairs) == 2

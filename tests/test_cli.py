import json
import subprocess
import sys

from click.testing import CliRunner

from migrate.cli import main

from .helpers import item, meta, write_wxr


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(root):
    return sorted((str(p.relative_to(root)), p.read_bytes()) for p in root.rglob("*") if p.is_file())


def test_help_shows_an_example_and_exit_codes():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "wxr-migrate export.xml -o mysite/" in result.stdout
    assert "Exit codes" in result.stdout


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("wxr-migrate, version ")


def test_python_dash_m_works():
    done = subprocess.run([sys.executable, "-m", "migrate", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "Usage: wxr-migrate" in done.stdout


def test_usage_errors_exit_2(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1))
    assert invoke(export).exit_code == 2  # no -o
    assert invoke(tmp_path / "missing.xml", "-o", tmp_path / "out").exit_code == 2
    assert invoke("-o", tmp_path / "out").exit_code == 2  # no export


def test_migrates_and_summarises_on_stderr(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, "Hola", slug="hola"),
        item(2, "Empresa", post_type="page", slug="empresa", link="http://www.stackops.com/empresa/"),
        item(3, "Borrador", status="draft", slug=""),
        item(4, post_type="nav_menu_item"),
        item(5, post_type="revision", status="inherit"),
    )
    out = tmp_path / "site"
    result = invoke(export, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert (out / "content/posts/hola.md").is_file()
    assert (out / "content/empresa.md").is_file()
    assert (out / "content/posts/borrador.md").read_text().count("draft: true") == 1
    assert "2 posts, 1 pages, 1 drafts" in result.stderr
    assert "skipped 2: 1 nav_menu_item, 1 revision" in result.stderr
    assert "3 new, 0 unchanged" in result.stderr


def test_quiet_prints_nothing(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1))
    result = invoke(export, "-o", tmp_path / "site", "--quiet")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_warnings_for_information_exit_0_and_report_json(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, content='Rellena el formulario: [contact-form-7 id="42" title="Contacto"]'),
        item(2, status="pending", password="x"),
    )
    report_path = tmp_path / "report.json"
    result = invoke(export, "-o", tmp_path / "site", "--report", report_path)
    assert result.exit_code == 0, result.stderr
    assert "[contact-form-7] ×1" in result.stderr and "1 warnings (0 need action)" in result.stderr
    assert "needs action" not in result.stderr
    report = json.loads(report_path.read_text())
    assert report["exit_code"] == 0 and report["needs_action"] == []
    assert report["items"] == {"post": 2}
    assert report["unknown_shortcodes"] == {"contact-form-7": 1}
    assert report["drafts"] == [
        {
            "item_id": 2,
            "status": "pending",
            "title": "Hola",
            "path": "content/posts/post-2.md",
            "password": True,
        }
    ]
    assert report["warnings"][0]["kind"] == "unknown-shortcode"


def test_exit_1_only_for_what_needs_a_person_and_the_summary_says_what(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, content="<iframe src='https://maps.example.com/x'></iframe> [gallery-unknown]"),
        item(1, "Otra vez"),  # a second item with id 1 is not migrated: a person must look
    )
    report_path = tmp_path / "report.json"
    result = invoke(export, "-o", tmp_path / "site", "--media", "none", "--report", report_path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "3 warnings (1 need action):" in lines
    assert lines[lines.index("3 warnings (1 need action):") + 1].startswith("  item 1: duplicate-id:")
    assert lines[-1] == "needs action: 1 × duplicate-id: an item was not migrated: another item has its id"
    report = json.loads(report_path.read_text())
    assert report["needs_action"] == [lines[-1].removeprefix("needs action: ")] and report["exit_code"] == 1


def test_broken_xml_exits_2_with_one_line_and_writes_nothing(tmp_path):
    good = write_wxr(tmp_path / "1.xml", item(1))
    broken = tmp_path / "2.xml"
    text = write_wxr(tmp_path / "tmp.xml", item(2)).read_text()
    broken.write_text(text[: text.index("<wp:status>")])
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    before = tree(out)
    result = invoke(good, broken, "-o", out)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {broken}:")
    assert "Traceback" not in result.stderr
    assert tree(out) == before


def test_several_exports_are_one_site(tmp_path):
    first = write_wxr(
        tmp_path / "1.xml",
        item(
            1,
            slug="uno",
            content='<a href="http://www.stackops.com/?p=2">dos</a>',
            extra=meta("_thumbnail_id", "50"),
        ),
    )
    second = write_wxr(
        tmp_path / "2.xml",
        item(2, slug="dos", link="http://www.stackops.com/2012/01/dos/"),
        item(
            50,
            post_type="attachment",
            status="inherit",
            slug="foto",
            extra="\n\t\t<wp:attachment_url>http://www.stackops.com/wp-content/uploads/2011/10/foto.png</wp:attachment_url>",
        ),
    )
    out = tmp_path / "site"
    result = invoke(first, second, "-o", out, "--media", "none")
    assert result.exit_code == 0, result.stderr
    text = (out / "content/posts/uno.md").read_text()
    assert "[dos](/2012/01/dos/)" in text
    assert "image: http://www.stackops.com/wp-content/uploads/2011/10/foto.png" in text


def test_a_report_that_cannot_be_written_is_one_error_line_after_the_migration(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1), item(2, "Dos"))
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "site"
    result = invoke(export, "-o", out, "--media", "none", "--report", tmp_path / "a-file" / "report.json")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"error: {tmp_path / 'a-file'}: ") and "the report was not written" in last
    assert "Traceback" not in result.stderr
    assert len(list((out / "content" / "posts").glob("*.md"))) == 2  # the site itself is migrated
    again = invoke(export, "-o", out, "--media", "none", "--report", tmp_path / "report.json")
    assert again.exit_code == 0 and json.loads((tmp_path / "report.json").read_text())["items"] == {"post": 2}

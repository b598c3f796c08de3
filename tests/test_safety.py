"""Issue 13's safety points as a user meets them: file modes, input that is not an export,
compressed exports, `--force`, and what exit code 1 means."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main

from .helpers import CORPUS, item, write_wxr, wxr

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
WXR_MIGRATE = [sys.executable, "-m", "migrate"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _run_with_umask(mask: int, *args: str) -> subprocess.CompletedProcess[str]:
    code = "import os, sys; os.umask(int(sys.argv[1], 8)); from migrate.cli import main; main(sys.argv[2:])"
    return subprocess.run(
        [sys.executable, "-c", code, oct(mask), *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_every_file_gets_the_mode_open_would_give(tmp_path, mask, mode):
    out = tmp_path / "site"
    done = _run_with_umask(
        mask,
        str(SAMPLES / "blog-es.xml"),
        "-o",
        str(out),
        "--uploads",
        str(SAMPLES / "uploads"),
        "--offline",
        "--redirects",
        "nginx,netlify,apache",
        "--comments",
        "data",
        "--new-base-url",
        "https://new.example.com",
        "--report",
        str(tmp_path / "report.json"),
        "-j",
        "2",
    )
    assert done.returncode in (0, 1), done.stderr
    files = [p for p in out.rglob("*") if p.is_file()] + [tmp_path / "report.json"]
    kinds = {p.relative_to(tmp_path).parts[1] if p.parent != tmp_path else "report" for p in files}
    assert {"content", "static", "data", "redirects", ".wxr-migrate", "report"} <= kinds
    assert any(p.name == ".htaccess" for p in files) and any(p.suffix == ".png" for p in files)
    wrong = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    wrong = {k: v for k, v in wrong.items() if v != oct(mode)}
    assert wrong == {}


# -- input that is not an export, missing paths ---------------------------------------------------

NOT_EXPORTS = {
    "feed.xml": (
        b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Blog</title>'
        b"<item><title>Post</title><link>http://x.org/p/</link></item></channel></rss>\n",
        "an RSS file with no element of WordPress's export namespace",
    ),
    "page.xml": (b"<!DOCTYPE html>\n<html><head><title>Export</title></head></html>", "an HTML page"),
    "bare.html": (b"\n<html lang='en'><body>Log in</body></html>", "an HTML page"),
    "empty.xml": (b"", "the file is empty"),
    "blank.xml": (b"\xef\xbb\xbf \n\n", "the file holds only white space"),
    "text.xml": (b"Error establishing a database connection", "not XML: it starts with"),
    "atom.xml": (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "no <rss> root element"),
    "decl.xml": (b'<?xml version="1.0"?>\n<!-- nothing else -->\n', "no root element"),
}


@pytest.mark.parametrize("name", sorted(NOT_EXPORTS))
def test_a_file_that_is_not_an_export_is_refused_in_one_line_and_nothing_is_created(tmp_path, name):
    data, why = NOT_EXPORTS[name]
    export = tmp_path / name
    export.write_bytes(data)
    result = invoke(export, "-o", tmp_path / "site", "--media", "none")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {export}: not a WordPress export (")
    assert why in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "salvage" not in result.stderr and not (tmp_path / "site").exists()


def test_missing_paths_and_no_export_are_one_error_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    for args, line in [
        (["missing.xml", "-o", "site"], "error: missing.xml: no such file\n"),
        (["folder", "-o", "site"], "error: folder: a folder, not an export file\n"),
    ]:
        result = invoke(*args)
        assert (result.exit_code, result.stderr) == (2, line)
    result = invoke("-o", "site")
    assert result.exit_code == 2 and result.stderr.startswith("error: no export file given: ")
    assert result.stderr.count("\n") == 1
    export = write_wxr(tmp_path / "e.xml", item(1))
    result = invoke(export, "-o", "site", "--uploads", "no-backup.zip", "--media", "static")
    assert (result.exit_code, result.stderr) == (2, "error: no-backup.zip: no such folder or archive\n")
    assert not (tmp_path / "site").exists()


# -- compressed exports ---------------------------------------------------------------------------


def _content(root):
    return sorted((str(p.relative_to(root)), p.read_bytes()) for p in root.rglob("*") if p.is_file())


GOLIVE = ("--media", "none", "--comments", "data", "--redirects", "nginx")  # pass 2 reads the file again


def test_a_gzip_export_migrates_as_the_plain_file_does(tmp_path):
    plain = SAMPLES / "blog-es.xml"
    packed = tmp_path / "blog-es.xml.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    misnamed = tmp_path / "export.xml"  # read by its bytes, not its name
    misnamed.write_bytes(packed.read_bytes())
    runs = {}
    for name, export in [("plain", plain), ("gz", packed), ("misnamed", misnamed)]:
        result = invoke(export, "-o", tmp_path / name, *GOLIVE)
        assert result.exit_code == 0, result.stderr
        runs[name] = _content(tmp_path / name / "content") + _content(tmp_path / name / "data")
    assert runs["plain"] == runs["gz"] == runs["misnamed"] and len(runs["plain"]) > 20


@pytest.mark.skipif(not (CORPUS / "blog-fdietz-wpcom-wxr10.xml").is_file(), reason="corpus not present")
def test_a_compressed_export_gets_the_same_repairs(tmp_path):
    plain = CORPUS / "blog-fdietz-wpcom-wxr10.xml"  # WordPress.com: atom: never declared
    packed = tmp_path / "fdietz.xml.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    zipped = _zip(tmp_path / "fdietz.zip", {"fdietz.xml": plain.read_bytes()})
    reports = []
    for n, export in enumerate((plain, packed, zipped)):
        report = tmp_path / f"{n}.json"
        assert invoke(export, "-o", tmp_path / f"site{n}", "--media", "none", "--report", report).exit_code == 0
        reports.append(json.loads(report.read_text()))
    assert [r["kind"] for r in reports[1]["repairs"]] == ["namespace"]
    repairs = [[{**r, "export": ""} for r in report["repairs"]] for report in reports]
    assert repairs[0] == repairs[1] == repairs[2] and reports[2]["repairs"][0]["export"] == f"{zipped}/fdietz.xml"
    assert reports[0]["items"] == reports[1]["items"] == reports[2]["items"]


def test_a_zip_of_a_split_export_reads_its_xml_members_in_name_order(tmp_path):
    part0 = write_wxr(tmp_path / "site.000.xml", item(1, "Uno", slug="uno"), item(2, "Dos", slug="dos"))
    part1 = write_wxr(tmp_path / "site.001.xml", item(3, "Tres", slug="tres"), item(2, "Dos otra vez"))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(part1, "export/site.001.xml")  # stored out of order: name order decides
        z.write(part0, "export/site.000.xml")
        z.writestr("__MACOSX/export/._site.000.xml", b"\x00\x05\x16\x07 AppleDouble")
        z.writestr("export/readme.txt", "not an export")
    result = invoke(archive, "-o", tmp_path / "zipped", "--media", "none", *GOLIVE[2:])
    both = invoke(part0, part1, "-o", tmp_path / "files", "--media", "none", *GOLIVE[2:])
    assert result.exit_code == both.exit_code == 1  # item 2 twice: the second is not migrated
    assert _content(tmp_path / "zipped" / "content") == _content(tmp_path / "files" / "content")
    assert "item 2: duplicate-id" in result.stderr and "Dos otra vez" not in str(_content(tmp_path / "zipped"))


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("members", "why"),
    [
        ({"../../etc/site.xml": "<rss/>"}, "the zip member '../../etc/site.xml' has an unsafe name; refused"),
        ({"/abs/site.xml": "<rss/>"}, "the zip member '/abs/site.xml' has an unsafe name; refused"),
        ({"notes.txt": "x"}, "not a WordPress export (a zip archive with no .xml file in it)"),
    ],
)
def test_a_zip_with_path_tricks_or_no_export_is_refused(tmp_path, members, why):
    archive = _zip(tmp_path / "export.zip", members)
    result = invoke(archive, "-o", tmp_path / "site")
    assert (result.exit_code, result.stderr) == (2, f"error: {archive}: {why}\n")
    assert not (tmp_path / "site").exists()


def test_a_damaged_archive_is_one_error_line(tmp_path):
    archive = _zip(tmp_path / "export.zip", {"site.xml": wxr(item(1))})
    archive.write_bytes(archive.read_bytes()[:200])  # cut: its central directory is gone
    corrupt = bytearray(gzip.compress(wxr(*(item(n, f"Post {n}") for n in range(40))).encode()))
    corrupt[600:700] = bytes(b ^ 0xFF for b in corrupt[600:700])  # bytes that do not inflate
    (tmp_path / "corrupt.xml.gz").write_bytes(corrupt)
    bad_member = tmp_path / "bad-member.zip"
    with zipfile.ZipFile(bad_member, "w", zipfile.ZIP_STORED) as z:
        z.writestr("site.xml", wxr(item(1)))
    damaged = bad_member.read_bytes().replace(b"<wp:post_id>1", b"<wp:post_id>2")  # its CRC is wrong now
    bad_member.write_bytes(damaged)
    cases = [(archive, "not a readable zip archive"), (bad_member, "Bad CRC-32")]
    for export, words in [*cases, (tmp_path / "corrupt.xml.gz", "damaged or cut off")]:
        result = invoke(export, "-o", tmp_path / "site")
        assert result.exit_code == 2 and result.stderr.startswith(f"error: {export}") and words in result.stderr
        assert result.stderr.count("\n") == 1 and not (tmp_path / "site").exists()


def test_a_cut_off_gzip_export_is_a_cut_off_export_and_salvage_keeps_what_came_before(tmp_path):
    words = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(40 * 30)]  # little to compress
    text = wxr(*(item(n, f"Post {n}", slug=f"post-{n}", content=" ".join(words[n * 30 : n * 30 + 30])) for n in range(1, 40)))
    packed = gzip.compress(text.encode())
    cut = tmp_path / "export.xml.gz"  # an interrupted download: the gzip stream ends part-way
    cut.write_bytes(packed[: len(packed) // 2])
    result = invoke(cut, "-o", tmp_path / "site", "--media", "none")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {cut}:") and "was the export cut off?" in result.stderr
    assert not (tmp_path / "site").exists()
    result = invoke(cut, "-o", tmp_path / "site", "--media", "none", "--salvage")
    assert result.exit_code == 1 and "items could not be read" in result.stderr
    written = list((tmp_path / "site/content/posts").iterdir())
    assert 5 < len(written) < 39 and (tmp_path / "site/content/posts/post-1.md").is_file()


def test_salvage_in_a_zip_member_names_the_member_and_its_unread_items(tmp_path):
    full = wxr(item(1, "Uno", slug="uno"), item(2, "Dos", slug="dos"), item(3, "Tres", slug="tres"))
    cut = full[: full.index("<wp:post_name>", full.index("<wp:post_id>2"))]
    archive = _zip(tmp_path / "export.zip", {"site.xml": cut})
    result = invoke(archive, "-o", tmp_path / "site", "--media", "none")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {archive}/site.xml:") and 'inside item 2 "Dos"' in result.stderr
    result = invoke(archive, "-o", tmp_path / "site", "--media", "none", "--salvage")
    assert result.exit_code == 1 and "item 2 at line " in result.stderr
    assert (tmp_path / "site/content/posts/uno.md").is_file()


# -- the config file names the exports ------------------------------------------------------------


def test_init_then_no_arguments_migrates_the_exports_found_beside_it(tmp_path):
    shutil.copy(SAMPLES / "blog-es.xml", tmp_path / "stackops.wordpress.2012-02-01.xml")
    (tmp_path / "feed.xml").write_text("<rss><channel><item><title>x</title></item></channel></rss>")
    (tmp_path / "notes.txt").write_text("")
    init = subprocess.run([*WXR_MIGRATE, "init"], cwd=tmp_path, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert init.stderr == "wrote wxr-migrate.toml: exports stackops.wordpress.2012-02-01.xml, output site/\n"
    config = tomllib.loads((tmp_path / "wxr-migrate.toml").read_text())
    assert config["exports"] == ["stackops.wordpress.2012-02-01.xml"] and config["output"] == "site"
    done = subprocess.run([*WXR_MIGRATE, "--media", "none", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site/content/posts").is_dir()


def test_prune_counts_the_exports_inside_a_zip(tmp_path):
    posts = [item(n, f"Post {n}", slug=f"post-{n}") for n in range(1, 6)]
    part0 = write_wxr(tmp_path / "site.wordpress.2024-01-01.000.xml", *posts[:3])
    part1 = write_wxr(tmp_path / "site.wordpress.2024-01-01.001.xml", *posts[3:])
    out = tmp_path / "site"
    assert invoke(part0, part1, "-o", out, "--media", "none").exit_code == 0
    whole = _zip(tmp_path / "whole.zip", {p.name: p.read_bytes() for p in (part0, part1)})
    result = invoke(whole, "-o", out, "--media", "none", "--prune")  # the same two files, zipped
    assert result.exit_code == 0 and "5 unchanged" in result.stderr, result.stderr
    half = _zip(tmp_path / "half.zip", {part0.name: part0.read_bytes()})
    result = invoke(half, "-o", out, "--media", "none", "--prune")
    assert result.exit_code == 2 and "read 2 export files, this one 1" in result.stderr
    assert sorted(p.name for p in (out / "content/posts").iterdir()) == [f"post-{n}.md" for n in range(1, 6)]

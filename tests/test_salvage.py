"""What cannot be repaired fails with FILE:LINE:COL and a hint; --salvage keeps what was read."""

import json
import re

from click.testing import CliRunner

from migrate.cli import main

from .helpers import item, wxr


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def cut_inside_item_3(tmp_path):
    full = wxr(item(1, "Uno", slug="uno"), item(2, "Dos", slug="dos"), item(3, "Tres", slug="tres"), item(4, "Cuatro"))
    text = full[: full.index("<wp:post_name>", full.index("<wp:post_id>3"))]
    path = tmp_path / "cut.xml"
    path.write_text(text)
    return path, text


def test_a_cut_off_export_names_the_item_it_ends_in_and_writes_nothing(tmp_path):
    path, text = cut_inside_item_3(tmp_path)
    out = tmp_path / "site"
    result = invoke(path, "-o", out)
    assert result.exit_code == 2
    lines = text.split("\n")
    item_line = [n for n, line in enumerate(lines, 1) if line == "\t<item>"][2]
    assert re.fullmatch(
        rf"error: {re.escape(str(path))}:{len(lines)}:\d+: Premature end of data in tag \S+ line \d+; "
        rf'the file ends inside item 3 "Tres" \(line {item_line}\): was the export cut off\?; '
        r"--salvage migrates the items read before it\n",
        result.stderr,
    ), result.stderr
    assert not out.exists()


def test_salvage_migrates_the_complete_items_and_lists_the_rest(tmp_path):
    path, _ = cut_inside_item_3(tmp_path)
    out = tmp_path / "site"
    (out / "content/posts").mkdir(parents=True)
    (out / "content/posts/older.md").write_text("kept")
    result = invoke(path, "-o", out, "--salvage", "--report", tmp_path / "r.json")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (out / "content/posts").iterdir()) == ["dos.md", "older.md", "uno.md"]
    assert (out / "content/posts/older.md").read_text() == "kept"  # salvage never prunes
    assert "1 items could not be read:" in result.stderr
    assert "item 3 at line " in result.stderr and ": Tres" in result.stderr  # cut before its type
    report = json.loads((tmp_path / "r.json").read_text())
    (salvage,) = report["salvage"]
    assert salvage["error"].startswith(f"{path}:") and "ends inside item 3" in salvage["error"]
    assert [(u["item_id"], u["title"], u["post_type"]) for u in salvage["unread"]] == [(3, "Tres", "")]
    assert report["exit_code"] == 1


def test_salvage_lists_every_item_after_a_broken_cdata_section(tmp_path):
    text = wxr(
        item(1, "Uno"),
        item(2, "Dos", content="<script>// <![CDATA[\nx = 1;\n// ]]></script><p>más</p>"),
        item(3, "Tres"),
        item(4, "<![CDATA[Cuatro & cinco]]>"),
    )
    path = tmp_path / "cdata.xml"
    path.write_text(text)
    plain = invoke(path, "-o", tmp_path / "a")
    assert plain.exit_code == 2 and 'in item 2 "Dos"' in plain.stderr and "ended its CDATA section early" in plain.stderr
    result = invoke(path, "-o", tmp_path / "site", "--salvage", "--report", tmp_path / "r.json")
    assert result.exit_code == 1
    unread = json.loads((tmp_path / "r.json").read_text())["salvage"][0]["unread"]
    assert [(u["item_id"], u["title"]) for u in unread] == [(2, "Dos"), (3, "Tres"), (4, "Cuatro & cinco")]
    assert [p.name for p in (tmp_path / "site/content/posts").iterdir()] == ["post-1.md"]


def test_repairs_are_reported_and_do_not_change_the_exit_code(tmp_path):
    path = tmp_path / "e.xml"
    path.write_text("PHP Notice: x\n" + wxr(item(1, "Bad\x02Title")), encoding="utf-8")
    result = invoke(path, "-o", tmp_path / "site", "--report", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    assert [(r["kind"], r["line"]) for r in report["repairs"]] == [("before-xml-declaration", 1), ("control-character", 25)]
    assert "2 repairs (nothing lost):" in result.stderr
    assert f"{path}:25: control-character: dropped 1 × U+0002" in result.stderr


def test_salvage_never_prunes_files_of_an_earlier_full_run(tmp_path):
    path, text = cut_inside_item_3(tmp_path)
    whole = tmp_path / "whole.xml"
    whole.write_text(wxr(item(1, "Uno", slug="uno"), item(2, "Dos", slug="dos"), item(3, "Tres", slug="tres")))
    out = tmp_path / "site"
    assert invoke(whole, "-o", out, "--media", "none").exit_code == 0
    result = invoke(path, "-o", out, "--media", "none", "--salvage", "--prune", "--force")
    assert result.exit_code == 1, result.output
    assert (out / "content/posts/tres.md").is_file()
    assert "gone from the export" not in result.stderr and "pruned" not in result.stderr

"""Every real export in ../shared/corpus meets the outcome `corpus_expected.csv` gives it.

A row says: migrated (exit 0 or 1) with N items written, and which repairs were needed; or refused
(exit 2) with the line the error names and a fragment of the message, and what `--salvage` makes
of it. Regenerate after an intended change with `WXR_UPDATE_CORPUS=1 python -m pytest
tests/test_corpus.py` and review the diff; the `why` column is written by hand and kept.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from tests.helpers import CORPUS

TABLE = Path(__file__).with_name("corpus_expected.csv")
FILES = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []
COLUMNS = ["file", "outcome", "exit", "items", "repairs", "error_line", "error", "salvaged", "unread", "why"]
UPDATE = os.environ.get("WXR_UPDATE_CORPUS") == "1"


def expected() -> dict[str, dict[str, str]]:
    if not TABLE.exists():
        return {}
    with TABLE.open(newline="", encoding="utf-8") as f:
        return {row["file"]: row for row in csv.DictReader(f)}


def snapshot(root: Path) -> list[tuple[str, bytes, int]]:
    return sorted(
        (str(p.relative_to(root)), p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
        for p in root.rglob("*")
    )


def migrate(export: Path, out: Path, *options: str) -> tuple[int, str, dict]:
    report = out.parent / f"{out.name}-report.json"
    args = [str(export), "-o", str(out), "--report", str(report), "--media", "none", *options]
    result = CliRunner().invoke(main, args)  # media off: never contact the hosts the exports name
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug whatever the file
    assert "Traceback" not in result.stderr
    data = json.loads(report.read_text()) if report.exists() else {}
    return result.exit_code, result.stderr, data


def outcome(export: Path, tmp_path: Path) -> dict[str, str]:
    """What the tool does with `export` now, as a table row."""
    out = tmp_path / "site"
    (out / "content").mkdir(parents=True)
    (out / "content" / "existing.md").write_text("---\ntitle: mine\n---\n")
    before = snapshot(out)
    code, stderr, data = migrate(export, out, "--quiet")
    row = dict.fromkeys(COLUMNS, "")
    row.update(file=export.name, exit=str(code))
    if code == 2:
        assert snapshot(out) == before, "a failed file must leave the output folder exactly as it was"
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {export}:"), stderr
        message = lines[0][len(f"error: {export}:") :]
        line, _col, words = message.split(":", 2)
        row.update(outcome="error", error_line=line, error=re.split(r"; | in (?:item \d+|the item)", words)[0].strip())
        code, _, salvaged = migrate(export, tmp_path / "salvaged", "--quiet", "--salvage")
        if code != 2:
            row["salvaged"] = str(sum(salvaged["items"].values()))
            row["unread"] = str(sum(len(s["unread"]) for s in salvaged["salvage"]))
    else:
        row.update(outcome="migrated", items=str(sum(data["items"].values())))
        row["repairs"] = " ".join(sorted({r["kind"] for r in data["repairs"]}))
        for md in out.rglob("*.md"):
            assert md.read_text(encoding="utf-8").startswith("---\n")
    return row


@pytest.mark.skipif(not FILES, reason="shared corpus not present")
@pytest.mark.parametrize("export", FILES, ids=[f.name for f in FILES])
def test_corpus_file_meets_its_expected_outcome(export, tmp_path):
    row = outcome(export, tmp_path)
    table = expected()
    if UPDATE:
        row["why"] = table.get(export.name, {}).get("why", "")
        table[export.name] = row
        with TABLE.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(table[name] for name in sorted(table))
        return
    assert export.name in table, f"{export.name} has no row in {TABLE.name}"
    want = table[export.name]
    assert {k: row[k] for k in COLUMNS[:-1]} == {k: want[k] for k in COLUMNS[:-1]}


@pytest.mark.skipif(not FILES, reason="shared corpus not present")
def test_every_row_of_the_table_is_a_corpus_file_and_every_error_is_explained():
    table = expected()
    assert sorted(table) == [f.name for f in FILES]
    for row in table.values():
        if row["outcome"] == "error" or row["repairs"]:
            assert row["why"], f"{row['file']}: say why (reviewed against PROVENANCE.md)"

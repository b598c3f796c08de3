"""Golden tests: the sample export's output, file by file, byte for byte.

After an intended change: WXR_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py, then review
the diff of tests/golden/ like any other code change.
"""

import os
from pathlib import Path

import pytest

from migrate.config import Config
from migrate.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"
UPLOADS = ROOT / "samples" / "uploads"
GOLDEN = ROOT / "tests" / "golden" / "blog-es"
# The README's first command: media from the sample's uploads folder, never from the network.
SAMPLE_CONFIG = {"exports": (SAMPLE,), "uploads": UPLOADS, "offline": True}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "site"
    report = run(Config(output=out, **SAMPLE_CONFIG))
    return out, report


def without_state(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The tree without the state folder (the manifest has tests of its own) and the starter theme
    under themes/ (package data copied as it is: tests/test_site.py checks the copy)."""
    return {k: v for k, v in tree.items() if not k.startswith((".wxr-migrate/", "themes/"))}


def check_golden(got: dict[str, bytes], golden: Path) -> None:
    """`got` (relative path → bytes) is exactly the tree under `golden` (rewritten on request),
    state and theme left out (see without_state)."""
    got = without_state(got)
    if os.environ.get("WXR_UPDATE_GOLDEN"):
        for rel, data in got.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_bytes(data)
        for rel in set(files(golden)) - set(got):
            (golden / rel).unlink()
    expected = files(golden)
    assert sorted(got) == sorted(expected)
    for rel in expected:
        if rel.endswith(".md"):  # text: pytest shows a readable diff
            assert got[rel].decode() == expected[rel].decode(), rel
        else:
            assert got[rel] == expected[rel], rel


def test_sample_matches_golden_files(migrated):
    out, _ = migrated
    check_golden(files(out), GOLDEN)


def test_output_is_byte_identical_across_runs(migrated, tmp_path):
    out, _ = migrated
    again = tmp_path / "again"
    run(Config(output=again, **SAMPLE_CONFIG))
    # Everything but the state folder, whose manifest records when media files were written.
    assert without_state(files(again)) == without_state(files(out))


def test_rerun_into_same_folder_writes_nothing(migrated):
    out, _ = migrated
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    report = run(Config(output=out, **SAMPLE_CONFIG))
    assert report.files_written == 0 and report.files_unchanged == len(before)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == before

"""Issue 13's safety points as a user meets them: file modes, input that is not an export,
compressed exports, `--force`, and what exit code 1 means."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


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

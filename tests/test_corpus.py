"""Every real export in ../shared/corpus either migrates or fails with one clear line: never a traceback."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FILES = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not FILES, reason="shared corpus not present")
@pytest.mark.parametrize("export", FILES, ids=[f.name for f in FILES])
def test_corpus_file_migrates_or_fails_cleanly(export, tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, [str(export), "-o", str(out), "--quiet", "--media", "none"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"error: {export}:")
        assert not out.exists(), "a failed run must not write anything"
    else:
        assert result.exit_code in (0, 1), result.stderr
        for md in out.rglob("*.md"):
            text = md.read_text(encoding="utf-8")
            assert text.startswith("---\n")

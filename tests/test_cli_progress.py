"""The progress bar (a terminal only, never with --quiet) and --dry-run, through the real CLI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "blog-es.xml"
pty = pytest.importorskip("pty")


def run_in_terminal(*args):
    """(exit code, everything written to the terminal) for `python -m migrate ARGS` on a pseudo-tty."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrate", *map(str, args)], stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode()


def test_a_terminal_gets_a_progress_bar_with_rate_and_eta(tmp_path):
    code, screen = run_in_terminal(SAMPLE, "-o", tmp_path / "site", "-j", "1", "--media", "none")
    assert code == 0  # the sample's warnings (a shortcode kept) need no action
    frames = [f for f in screen.split("\r") if "Migrating" in f]
    assert frames, screen
    assert "18/18" in frames[-1] and "items/s, ETA 0:00" in frames[-1]
    assert "18 new, 0 unchanged" in screen  # the summary still follows the bar


def test_quiet_hides_the_bar_even_on_a_terminal(tmp_path):
    code, screen = run_in_terminal(SAMPLE, "-o", tmp_path / "site", "--quiet", "--media", "none")
    assert code == 0 and screen == ""


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path):
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(tmp_path / "site"), "--media", "none"])
    assert result.exit_code == 0  # an unknown shortcode kept is no reason to stop
    assert "Migrating" not in result.stderr and "items/s" not in result.stderr
    assert "18 new, 0 unchanged" in result.stderr


def test_dry_run_writes_nothing_and_says_so(tmp_path):
    site, report = tmp_path / "site", tmp_path / "report.json"
    args = [str(SAMPLE), "-o", str(site), "--dry-run", "--report", str(report), "--media", "none"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0  # an unknown shortcode kept is no reason to stop
    assert "dry run: nothing written" in result.stderr
    assert not site.exists()
    assert '"dry_run": true' in report.read_text()

"""One run per site folder (issue 13, point 2): real processes racing for one folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from migrate.cli import main
from migrate.lock import SiteLock, lock_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"

# The CLI with every conversion slowed down, so a run is still going when the next one starts.
# It creates `marker` once it converts its first item: by then it writes, so it holds the lock.
SLOW_CLI = """
import sys, time
from pathlib import Path
import migrate.pipeline

marker = Path(sys.argv.pop(1))

def render_item(*args):
    marker.touch()
    time.sleep(0.1)
    return original(*args)

original, migrate.pipeline.render_item = migrate.pipeline.render_item, render_item
from migrate.cli import main
main()
"""


def wxr(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migrate", *args], capture_output=True, text=True, timeout=60
    )


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the slow run never started converting"
        time.sleep(0.02)


def test_a_second_run_into_a_folder_in_use_is_refused_and_the_next_one_finds_everything(tmp_path):
    site, marker = tmp_path / "site", tmp_path / "converting"
    slow = subprocess.Popen(
        [sys.executable, "-c", SLOW_CLI, str(marker), str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(marker, slow)
        second = wxr(str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1")
        assert slow.poll() is None, "the first run ended before the second one was refused"
    finally:
        _, slow_err = slow.communicate(timeout=60)
    assert slow.returncode == 0, slow_err
    assert second.returncode == 2
    assert second.stderr.splitlines() == [
        f"error: another wxr-migrate run (pid {slow.pid}, started "
        + second.stderr.split(", started ", 1)[1].split(")", 1)[0]
        + f") is using {site}; wait for it or stop it"
    ]
    assert second.stdout == ""
    # The refused run touched nothing; the next one finds the first run's files as its own.
    third = wxr(str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1")
    assert third.returncode == 0, third.stderr
    assert "unchanged" in third.stderr
    assert "deleted" not in third.stderr and "conflict" not in third.stderr


def test_a_held_lock_names_its_holder_and_a_dry_run_does_not_need_it(tmp_path):
    site = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(main, [str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1"]).exit_code == 0
    with SiteLock(site):
        busy = runner.invoke(main, [str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1"])
        dry = runner.invoke(main, [str(SAMPLE), "-o", str(site), "--media", "none", "--dry-run", "-j", "1"])
    assert busy.exit_code == 2
    assert busy.output.startswith(f"error: another wxr-migrate run (pid {os.getpid()}, started 20")
    assert busy.output.endswith(f") is using {site}; wait for it or stop it\n")
    assert dry.exit_code == 0 and "dry run: nothing written" in dry.output
    # Released: the next run goes ahead.
    assert runner.invoke(main, [str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1"]).exit_code == 0


HOLD_AND_FORK = """
import os, sys, time
from pathlib import Path
from migrate.lock import SiteLock

lock = SiteLock(Path(sys.argv[1]))
child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
print(child, flush=True)
time.sleep(30)
"""


def test_the_lock_of_a_killed_run_is_taken_over_even_while_its_forked_children_live(tmp_path):
    site = tmp_path / "site"
    (site / ".wxr-migrate").mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_FORK, str(site)], stdout=subprocess.PIPE, text=True
    )
    child = int(holder.stdout.readline())
    try:
        assert "pid" in lock_path(site).read_text()
        holder.kill()  # kill -9: no clean-up of its own
        holder.wait(timeout=10)
        run = wxr(str(SAMPLE), "-o", str(site), "--media", "none", "-j", "1", "-q")
        assert run.returncode == 0 and run.stderr == ""  # taken over without a word
    finally:
        os.kill(child, signal.SIGKILL)


def test_a_first_run_whose_new_folder_another_run_wrote_meanwhile_starts_again_from_its_manifest(
    tmp_path, monkeypatch
):
    import dataclasses

    from migrate import pipeline
    from migrate.config import Config

    site = tmp_path / "site"
    config = Config(exports=(SAMPLE,), output=site, media="none", jobs=1)
    scan, scans = pipeline.scan, []

    def scan_then_let_another_run_finish(*args, **kwargs):
        plan = scan(*args, **kwargs)
        scans.append(site.exists())
        if len(scans) == 1:  # this run has read its export and not yet written: the other one runs
            pipeline.run(dataclasses.replace(config, settings=dataclasses.replace(config.settings, front_matter="toml")))
        return plan

    monkeypatch.setattr(pipeline, "scan", scan_then_let_another_run_finish)
    report = pipeline.run(config)
    assert scans == [False, False, True]  # ours, the other run's, ours again under the lock
    # The other run's files are known as the tool's own from its manifest: rewritten, no conflict.
    assert len(report.changes.updated) == sum(report.items.values()) > 10
    assert not report.changes.new and not report.changes.conflicts

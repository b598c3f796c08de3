"""A run that is killed or interrupted (issue 13, points 3 and 7): real processes and signals.

Workers must die with their parent, Ctrl-C must end a run with exit 130 within 2 seconds whatever
it is doing (converting on several processes, waiting on an image host that never answers), and
the next run must finish the job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from migrate.cli import MediaBar

from .helpers import StallingServer
from .test_lock import SAMPLE, SLOW_CLI, wait_for, wxr

UPLOADS = SAMPLE.parent / "uploads"


# As elsewhere than Linux: the kernel is not asked to kill the workers, they watch their parent.
WATCHING_CLI = SLOW_CLI.replace(
    "from migrate.cli import main",
    "import migrate.parallel\n"
    "migrate.parallel._ask_kernel_to_kill_us_with_parent = lambda: False\n"
    "from migrate.cli import main",
)


def slow_run(
    tmp_path: Path, site: Path, *options: str, script: str = SLOW_CLI, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], Path]:
    """The sample migrated slowly, in a session of its own (like a terminal's foreground job:
    Ctrl-C goes to every process in it)."""
    marker = tmp_path / "converting"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            script,
            str(marker),
            str(SAMPLE),
            "-o",
            str(site),
            "--media",
            "none",
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=env,
    )
    return process, marker


def gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # dead, waiting for whoever adopted it
    except psutil.NoSuchProcess:
        return True


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".wxr-migrate" not in p.parts
    }


@pytest.mark.parametrize("script", [SLOW_CLI, WATCHING_CLI], ids=["pdeathsig", "parent-watch"])
def test_workers_die_within_a_second_of_a_kill_9_of_their_parent(tmp_path, script):
    process, marker = slow_run(tmp_path, tmp_path / "site", "-j", "2", script=script)
    workers: list[psutil.Process] = []
    try:
        wait_for(marker, process)
        workers = psutil.Process(process.pid).children(recursive=True)
        assert len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)
        killed = time.monotonic()
        # stderr reaches its end once no worker holds it: `wxr-migrate … | tee log` ends.
        process.communicate(timeout=5)
        while not all(gone(w) for w in workers) and time.monotonic() - killed < 5:
            time.sleep(0.02)
        assert all(gone(w) for w in workers)
        assert time.monotonic() - killed < 1.0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for worker in workers:
            if not gone(worker):
                worker.kill()


def ctrl_c(process: subprocess.Popen) -> tuple[str, float]:
    """SIGINT to the run's process group, as Ctrl-C in a terminal sends it: (its stderr, seconds it
    took to end). A run still alive 10 s later is killed, so no test leaves one behind."""
    interrupted = time.monotonic()
    try:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return stderr, time.monotonic() - interrupted


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_while_converting_exits_130_at_once_and_the_next_run_finishes(tmp_path, jobs):
    site = tmp_path / "site"
    process, marker = slow_run(tmp_path, site, "-j", jobs)
    try:
        wait_for(marker, process)
        time.sleep(0.3)  # a few items written
        workers = psutil.Process(process.pid).children(recursive=True)
    finally:
        stderr, took = ctrl_c(process)
    assert process.returncode == 130, stderr
    assert took < 2
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "interrupted: only whole files were written; run again to finish"
    assert all(gone(w) for w in workers)
    assert not [p for p in site.rglob("*") if p.name.endswith((".tmp", ".part"))]
    # The next run finishes the job: the same files as a run that was never interrupted.
    again = wxr(str(SAMPLE), "-o", str(site), "--media", "none", "-j", jobs)
    assert again.returncode == 0, again.stderr  # nothing needs a person: kept shortcodes are only listed
    assert "conflict" not in again.stderr and "deleted" not in again.stderr
    fresh = wxr(str(SAMPLE), "-o", str(tmp_path / "fresh"), "--media", "none", "-j", jobs)
    assert fresh.returncode == 0
    assert files(site) == files(tmp_path / "fresh")


def test_ctrl_c_while_a_host_never_answers_exits_130_at_once(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    with StallingServer(lifetime=20) as server:
        for old in ("http://www.stackops.com", "https://stackops.com", "http://stackops.com"):
            text = text.replace(old, server.url)
        export = tmp_path / "blog-es.xml"
        export.write_text(text, encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "migrate", str(export), "-o", str(tmp_path / "site"), "--allow-private"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 20
            while server.accepted < 2 and time.monotonic() < deadline:
                assert process.poll() is None, process.communicate()
                time.sleep(0.02)
        finally:
            stderr, took = ctrl_c(process)
    assert process.returncode == 130, stderr
    assert took < 2
    assert "Traceback" not in stderr


def test_what_was_downloaded_before_ctrl_c_is_kept_and_the_next_run_fetches_only_the_rest(tmp_path):
    stalled, released = threading.Event(), threading.Event()

    def stall(_request):  # the one file that is still downloading when Ctrl-C comes
        stalled.set()
        released.wait(15)
        return Response((UPLOADS / "2012/12/meetup-madrid.jpg").read_bytes())

    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        for path in UPLOADS.rglob("*.*"):
            rel = path.relative_to(UPLOADS).as_posix()
            if rel != "2012/12/meetup-madrid.jpg":
                server.expect_request(f"/wp-content/uploads/{rel}").respond_with_data(path.read_bytes())
        server.expect_request("/wp-content/uploads/2012/12/meetup-madrid.jpg").respond_with_handler(stall)
        server.expect_request("/wp-content/uploads/2012/04/essex-red-demo.png").respond_with_data("", 404)
        text = SAMPLE.read_text(encoding="utf-8")
        for old in ("http://www.stackops.com", "https://stackops.com", "http://stackops.com"):
            text = text.replace(old, server.url_for("").rstrip("/"))
        export, site = tmp_path / "blog-es.xml", tmp_path / "site"
        export.write_text(text, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "migrate",
            str(export),
            "-o",
            str(site),
            "--allow-private",
            "-j",
            "1",
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 20
            served = (
                "2011/10/boston-photo-avion.png",
                "2012/01/whitepaper.pdf",
                "2012/04/essex-dashboard.png",
            )

            def written() -> bool:  # served is not yet on disk: wait for the renames, not the server
                return all((site / "static/wp-content/uploads" / rel).is_file() for rel in served)

            while (
                not (stalled.is_set() and len(server.log) == 4 and written()) and time.monotonic() < deadline
            ):
                assert process.poll() is None, process.communicate()
                time.sleep(0.02)
            os.killpg(process.pid, signal.SIGINT)
            _, stderr = process.communicate(timeout=10)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        assert process.returncode == 130, stderr
        kept = sorted(p.relative_to(site / "static").as_posix() for p in (site / "static").rglob("*.*"))
        assert kept == [
            "wp-content/uploads/2011/10/boston-photo-avion.png",
            "wp-content/uploads/2012/01/whitepaper.pdf",
            "wp-content/uploads/2012/04/essex-dashboard.png",
        ]
        released.set()  # the interrupted run's request ends (nobody reads its answer): then forget it
        while len(server.log) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.clear_log()
        again = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert again.returncode == 1, again.stderr  # the missing essex-red-demo.png: broken media
        got = sorted(r.path for r, _ in server.log if r.method == "GET")
        assert got == [
            "/wp-content/uploads/2012/04/essex-red-demo.png",
            "/wp-content/uploads/2012/12/meetup-madrid.jpg",
        ]
    finally:
        released.set()
        server.stop()


def test_a_log_gets_a_media_progress_line_every_interval(capsys, monkeypatch):
    monkeypatch.setattr(MediaBar, "INTERVAL", 0.1)
    bar = MediaBar()
    assert not bar.tty  # pytest captures stderr: not a terminal
    bar.start(5)
    time.sleep(0.35)
    finish = time.monotonic()
    bar.finish()
    assert time.monotonic() - finish < 0.1
    lines = capsys.readouterr().err.splitlines()
    assert 2 <= len(lines) <= 4
    assert set(lines) == {"media: 0 of 5 files done (0 ok, 0 failed)"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_while_converting_ends_the_run_like_ctrl_c_and_leaves_no_scratch_file(tmp_path, jobs):
    # `kill PID`, `timeout`, a service manager stopping a job: SIGTERM to the main process alone. The
    # default action would end it on the spot, leaving the first run's scratch files (the items kept
    # for pass 2, the site index the workers read) in the temporary folder for good.
    site, scratch = tmp_path / "site", tmp_path / "tmp"
    scratch.mkdir()
    process, marker = slow_run(tmp_path, site, "-j", jobs, env={**os.environ, "TMPDIR": str(scratch)})
    try:
        wait_for(marker, process)
        time.sleep(0.3)  # a few items written
        workers = psutil.Process(process.pid).children(recursive=True)
        assert len(workers) == (2 if jobs == "2" else 0)
        if jobs == "2":  # the site index the workers read, the shared arguments: files while it runs
            assert list(scratch.iterdir())
        terminated = time.monotonic()
        process.terminate()
        _, stderr = process.communicate(timeout=10)
        took = time.monotonic() - terminated
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert took < 2
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "terminated: only whole files were written; run again to finish"
    deadline = time.monotonic() + 2
    while not all(gone(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert all(gone(w) for w in workers)
    assert list(scratch.iterdir()) == []
    assert not [p for p in site.rglob("*") if p.name.endswith((".tmp", ".part"))]
    again = wxr(str(SAMPLE), "-o", str(site), "--media", "none", "-j", jobs)
    assert again.returncode == 0, again.stderr
    fresh = wxr(str(SAMPLE), "-o", str(tmp_path / "fresh"), "--media", "none", "-j", jobs)
    assert fresh.returncode == 0
    assert files(site) == files(tmp_path / "fresh")

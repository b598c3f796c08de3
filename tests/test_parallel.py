"""The process pool: results in order, shared state, bounded reading, and errors that end cleanly."""

import dataclasses
import json
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import parallel, pipeline, sitestore
from migrate.cli import main
from migrate.config import Config
from migrate.parallel import TaskError, ordered_map
from tests.helpers import CORPUS

ROOT = Path(__file__).resolve().parents[1]
UPLOADS = Path(__file__).resolve().parents[1] / "samples" / "uploads"
SAMPLE = ROOT / "samples" / "blog-es.xml"
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_wxr.py"
TEMPLATE = CORPUS / "theme-unit-test.xml"


def scaled(x, factor, offset):
    time.sleep((x * 7919 % 13) / 2000)  # uneven durations: batches finish out of order
    return x * factor + offset


def pid_of(_x):
    return os.getpid()


def niceness(_x):
    return os.nice(0)


def fail_on_37(x):
    if x == 37:
        raise ValueError(f"cannot take {x}")
    return x


def die_on_5(x):
    if x == 5:
        os._exit(3)
    return x


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_task_order_with_shared_arguments(jobs):
    tasks = [(x,) for x in range(200)]
    got = list(ordered_map(scaled, iter(tasks), jobs=jobs, shared=(3, 1)))
    assert got == [((x,), 3 * x + 1) for x in range(200)]


def test_one_job_runs_in_this_process():
    assert {pid for _, pid in ordered_map(pid_of, [(x,) for x in range(20)], jobs=1)} == {os.getpid()}


def test_several_jobs_use_other_processes():
    pids = {pid for _, pid in ordered_map(pid_of, [(x,) for x in range(64)], jobs=2)}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_spawned_workers_get_the_shared_arguments(monkeypatch):
    # macOS and Windows cannot fork: workers start fresh and receive fn and shared by pickling.
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    got = list(ordered_map(scaled, [(x,) for x in range(40)], jobs=2, shared=(2, 5)))
    assert got == [((x,), 2 * x + 5) for x in range(40)]


def test_a_spawned_worker_importing_python_dash_m_main_does_not_run_the_cli():
    # Spawn runs the parent's main module again as __mp_main__: for `python -m migrate` that is
    # migrate/__main__.py, which must then define things, not parse argv and migrate.
    runpy.run_module("migrate.__main__", run_name="__mp_main__")  # click would exit on pytest's argv


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_workers_yield_the_cpu_to_the_process_feeding_them():
    expected = min(19, os.nice(0) + parallel.WORKER_NICENESS)
    assert {n for _, n in ordered_map(niceness, [(x,) for x in range(32)], jobs=2)} == {expected}


def test_tasks_are_read_only_a_bounded_distance_ahead():
    pulled = 0

    def tasks():
        nonlocal pulled
        for x in range(600):
            pulled += 1
            yield (x,)

    ahead = 0
    for consumed, _ in enumerate(ordered_map(scaled, tasks(), jobs=2, shared=(1, 0)), start=1):
        ahead = max(ahead, pulled - consumed)
    assert pulled == 600
    assert ahead <= (2 * parallel.IN_FLIGHT + 1) * parallel.BATCH


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_ends_the_map_naming_the_task(jobs):
    got = []
    with pytest.raises(TaskError) as caught:
        for _task, result in ordered_map(fail_on_37, [(x,) for x in range(100)], jobs=jobs, describe=str):
            got.append(result)
    assert got == list(range(37))
    message = str(caught.value)
    assert message.startswith("(37,): ValueError: cannot take 37 (test_parallel.py:")
    assert "\n" not in message


def test_a_dying_worker_ends_the_map_instead_of_hanging():
    start = time.monotonic()
    with pytest.raises(TaskError, match="worker process died"):
        list(ordered_map(die_on_5, [(x,) for x in range(40)], jobs=2))
    assert time.monotonic() - start < 30


def test_stopping_early_stops_the_pool():
    results = ordered_map(scaled, [(x,) for x in range(1000)], jobs=2, shared=(1, 0))
    assert next(results) == ((0,), 0)
    results.close()  # shuts the pool down; must not hang or leave workers behind
    assert multiprocessing.active_children() == []


def own_rss_mb(_x):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS:"))


def test_workers_started_early_take_shared_arguments_for_each_map(tmp_path):
    with parallel.Workers(2, tmp_path) as workers:
        first = list(ordered_map(scaled, [(x,) for x in range(30)], jobs=2, shared=(2, 1), workers=workers))
        second = list(workers.map(scaled, [(x,) for x in range(30)], shared=(5, 0)))
    assert first == [((x,), 2 * x + 1) for x in range(30)]
    assert second == [((x,), 5 * x) for x in range(30)]
    assert list(tmp_path.iterdir()) == []  # the files that carried `shared` are gone


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads memory from /proc")
@pytest.mark.skipif(parallel._context().get_start_method() != "fork", reason="workers are not forked here")
def test_workers_started_early_do_not_hold_what_the_parent_builds_later():
    with parallel.Workers(2) as workers:
        grown = [bytearray(1024 * 1024) for _ in range(96)]  # 96 MB, touched: resident here
        for block in grown:
            block[::4096] = b"x" * len(block[::4096])
        parent = own_rss_mb(0)
        sizes = [mb for _, mb in workers.map(own_rss_mb, [(x,) for x in range(8)])]
    assert parent > 96 and max(sizes) < parent - 64, (parent, sizes)


def tree(root):
    """Every file but the manifest (it records when media files were written)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".wxr-migrate" not in p.parts
    }


def migrate_with_jobs(export, tmp_path, jobs, *media):
    out, report = tmp_path / f"site-{jobs}", tmp_path / f"report-{jobs}.json"
    args = [str(export), "-o", str(out), "--report", str(report), "-j", str(jobs), *media]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(report.read_text())
    data.pop("output")
    # The manifest and the stderr summary are the same too (paths of the two sites aside).
    return tree(out), data, result.stderr.replace(str(out), "SITE")


def assert_same_for_any_jobs(export, tmp_path, *media):
    one = migrate_with_jobs(export, tmp_path, 1, *media)
    assert one[0], "nothing was written"
    assert migrate_with_jobs(export, tmp_path, 2, *media) == one


def test_sample_output_is_byte_identical_with_two_jobs(tmp_path):
    # Local media links go through the workers too: the sample's uploads, no network.
    assert_same_for_any_jobs(SAMPLE, tmp_path, "--uploads", str(UPLOADS), "--offline")


@pytest.mark.skipif(not GENERATOR.is_file() or not TEMPLATE.is_file(), reason="shared bench not present")
def test_generated_export_output_is_byte_identical_with_two_jobs(tmp_path):
    export = tmp_path / "wxr-200.xml"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(TEMPLATE), "200", str(export), "--seed", "1"],
        check=True,
        capture_output=True,
    )
    assert_same_for_any_jobs(export, tmp_path, "--media", "none")


CRASHING_CLI = """
import sys
import migrate.pipeline

def render_item(item, entry, *rest):
    if item.id == 2078:
        raise KeyError("no such thing")
    return original(item, entry, *rest)

original, migrate.pipeline.render_item = migrate.pipeline.render_item, render_item
from migrate.cli import main
main()
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crashing_item_is_one_error_line_and_exit_2(tmp_path, jobs):
    scratch = tmp_path / "tmp"  # the first run's scratch files (the index, the spool) go there
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_CLI, str(SAMPLE), "-o", str(tmp_path / "site"), "-j", jobs, "--media", "none"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert done.returncode == 2
    assert list(scratch.iterdir()) == []  # deleted on the error too
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "blog-es.xml:" in lines[0]
    assert "item 2078 (content/posts/" in lines[0] and "KeyError: 'no such thing'" in lines[0]


def test_a_run_on_several_jobs_reads_the_index_from_a_file_it_then_deletes(tmp_path, monkeypatch):
    made, published = [], []
    store_init, publish = sitestore.Store.__init__, sitestore.Store.publish

    def spy_init(self, path=":memory:"):
        made.append(Path(path))
        store_init(self, path)

    def spy_publish(self, index):
        published.append(Path(self.path))
        return publish(self, index)

    monkeypatch.setattr(sitestore.Store, "__init__", spy_init)
    monkeypatch.setattr(sitestore.Store, "publish", spy_publish)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "site"
    config = Config(exports=(SAMPLE,), output=out, media="none", jobs=2)
    pipeline.run(config)
    # A re-run that converts again keeps its scratch files in the site's state folder.
    (out / "content" / "posts" / "yes.md").unlink()
    pipeline.run(dataclasses.replace(config, force=True))
    # --prune is never answered from the last run: it goes the whole way, with nothing to convert.
    report = pipeline.run(dataclasses.replace(config, prune=True))
    assert report.changes.unchanged > 10 and not report.changes.updated
    # Pass 1 writes the index into the file every run that goes the whole way; workers read it
    # when there is something to convert (none for the third run).
    state_dir = out / ".wxr-migrate"
    assert [p.parent for p in made] == [scratch, state_dir, state_dir]
    assert published == made[:2]
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in (out / ".wxr-migrate").iterdir()) == ["lock", "manifest.sqlite"]

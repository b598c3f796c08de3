"""Batched durability: files are not fsynced one by one; every file a run wrote, its folder and the
journal are synced in one step before the manifest is committed, and a file the tool deletes goes
only once its journal record and the file that replaces it are on disk (see migrate/state.py).

The order is observed on the real calls: os.fsync, os.replace and os.unlink are wrapped to log
what they touch (the fd's path read from /proc), and the manifest store's connections trace the
statements SQLite runs, its COMMIT among them (the file's fsync is SQLite's own, in C)."""

import os
import threading
from pathlib import Path

import pytest

from migrate import state
from migrate.write import sync_written

from .test_rerun import V1, export, migrate, post

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name an fd")


@pytest.fixture
def calls(monkeypatch):
    """[(call, path)] in the order they happened, from any thread."""
    log: list[tuple[str, str]] = []
    lock = threading.Lock()
    fsync, replace, unlink = os.fsync, os.replace, os.unlink

    def note(call, path):
        with lock:
            log.append((call, os.path.realpath(path)))

    def logged_fsync(fd):
        note("fsync", os.readlink(f"/proc/self/fd/{fd}"))
        return fsync(fd)

    def logged_replace(src, dst, *args, **kw):
        replace(src, dst, *args, **kw)
        note("replace", dst)

    def logged_unlink(path, *args, **kw):
        unlink(path, *args, **kw)
        note("unlink", path)

    connect = state._connect

    def traced_connect(target):
        db = connect(target)
        if str(target) != ":memory:":
            db.set_trace_callback(lambda sql: note("commit", target) if sql.strip() == "COMMIT" else None)
        return db

    monkeypatch.setattr(state, "_connect", traced_connect)
    monkeypatch.setattr(os, "fsync", logged_fsync)
    monkeypatch.setattr(os, "replace", logged_replace)
    monkeypatch.setattr(os, "unlink", logged_unlink)
    return log


def _first(log, call, path):
    return next(i for i, entry in enumerate(log) if entry == (call, os.path.realpath(path)))


def test_a_run_syncs_its_files_once_before_the_manifest(tmp_path, calls):
    source = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(source, out)
    posts = sorted((out / "content" / "posts").rglob("*.md"))
    assert len(posts) == 5
    manifest, journal = out / ".wxr-migrate/manifest.sqlite", out / ".wxr-migrate/journal"
    written = [i for i, (call, path) in enumerate(calls) if call == "replace" and "/content/posts/" in path]
    synced = [i for i, (call, _) in enumerate(calls) if call == "fsync"]
    assert len(written) == 5
    # No fsync while the posts are written: one batch after the last, then the manifest's COMMIT.
    assert min(synced) > max(written)
    manifest_in_place = _first(calls, "commit", manifest)
    assert [call for call, _ in calls].count("commit") == 1
    # Every file of the site is on disk before the manifest that records it: the posts, and the
    # term page, authors' data, hugo.toml and starter theme written around them.
    files = [p for p in out.rglob("*") if p.is_file() and ".wxr-migrate" not in p.parts]
    assert len(files) > len(posts) + 5
    for path in [*files, *{p.parent for p in files}, journal]:
        assert _first(calls, "fsync", path) < manifest_in_place, path
    assert not journal.exists()


def test_a_moved_file_is_on_disk_before_its_old_file_goes(tmp_path, calls):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1, "v1.xml"), out)
    renamed = [*V1[:4], post(5, "cinco-nuevo", "Cinco", old_slugs=("cinco",))]
    calls.clear()
    report = migrate(export(tmp_path, renamed, "v2.xml"), out)
    assert len(report.changes.moved) == 1
    old, new = (out / p for p in report.changes.moved[0])
    gone = _first(calls, "unlink", old)
    assert _first(calls, "fsync", new) < gone
    assert _first(calls, "fsync", out / ".wxr-migrate/journal") < gone


def test_a_pruned_file_goes_once_its_record_is_on_disk(tmp_path, calls):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1, "v1.xml"), out)
    calls.clear()
    report = migrate(export(tmp_path, V1[:4] + [post(6, "seis", "Seis")], "v2.xml"), out, prune=True)
    assert len(report.changes.pruned) == 1
    gone = _first(calls, "unlink", out / report.changes.pruned[0])
    assert _first(calls, "fsync", out / ".wxr-migrate/journal") < gone


def test_sync_written_forgets_what_it_synced(tmp_path, calls):
    from migrate.write import atomic_write

    atomic_write(tmp_path / "a", b"1")
    atomic_write(tmp_path / "b", b"2", sync=True)  # on disk already: not noted
    assert sync_written() == 1
    assert sync_written() == 0
    assert [path for call, path in calls if call == "fsync"].count(str((tmp_path / "a").resolve())) == 1


def test_files_are_synced_in_batches_as_they_are_written(tmp_path, calls, monkeypatch):
    # A 100k-post run would otherwise hold every written path until its end: the names wait in
    # batches of SYNC_BATCH, each synced as it fills.
    from migrate import write

    monkeypatch.setattr(write, "SYNC_BATCH", 3)
    paths = [tmp_path / f"{n}.md" for n in range(7)]
    for n, path in enumerate(paths):
        write.atomic_write(path, b"x")
        synced = {path for call, path in calls if call == "fsync"}
        assert (str(paths[2].resolve()) in synced) == (n >= 2)
        assert (str(paths[5].resolve()) in synced) == (n >= 5)
    assert sync_written() == 1  # the seventh: the end of the run syncs what is left
    synced = [path for call, path in calls if call == "fsync"]
    assert sorted(p for p in synced if p.endswith(".md")) == sorted(str(p.resolve()) for p in paths)
    assert synced.count(str(tmp_path.resolve())) == 3  # the folder, once per batch


def test_a_batch_is_synced_by_a_task_per_thread_not_a_future_per_file(tmp_path, calls, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from migrate import write

    submitted = []
    submit = ThreadPoolExecutor.submit

    def counted(self, fn, *args, **kwargs):
        submitted.append(fn)
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ThreadPoolExecutor, "submit", counted)
    for n in range(200):
        write.atomic_write(tmp_path / f"{n % 10}" / f"{n}.md", b"x")
    assert sync_written() == 200
    assert len([c for c, p in calls if c == "fsync" and p.endswith(".md")]) == 200
    assert len(submitted) <= 2 * write._SYNC_THREADS  # files, then folders

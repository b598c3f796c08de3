"""Interrupted and failing runs: a killed re-run is finished by the next run as if it had never
been stopped, a damaged manifest stops a run before it touches anything, and a disk that fills up
mid-run leaves a manifest recording exactly the files written.

The kill test stops real processes with the writer's test hook (`WXR_MIGRATE_TEST_KILL_AT=N`:
SIGKILL right after the Nth durable step — a file written or deleted, a journal line fsynced),
so each kill point is chosen by counting writes, not by sleeping.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.state import ManifestError, dump, load
from migrate.write import durable_steps

from .test_rerun import SITE, V1, export, migrate, post, write_v1

ROOT = Path(__file__).resolve().parents[1]


def tree(root):
    """Every file's bytes, the state folder left out (its manifest is compared by `records`: the
    bytes of `manifest.sqlite` are not compared, as SQLite's page layout depends on the store's
    history — which rows were written, deleted and rolled back in which order — while its content
    does not)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != ".wxr-migrate"
    }


def records(root):
    """What the manifest says about items and media (its `last_run` depends on how a run went),
    read from the store as version 1's JSON shape (`state.dump`)."""
    data = dump(root)
    return data["sites"], data["media"]


def killed_run(args, at):
    """`python -m migrate ARGS` in a process of its own, SIGKILLed by the writer's test hook right
    after its `at`th durable step."""
    env = {**os.environ, "WXR_MIGRATE_TEST_KILL_AT": str(at)}
    command = [sys.executable, "-m", "migrate", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)


def _records_with_journal(root):
    """The site's item records as the next run reads them: the store and the journal since."""
    with load(root) as manifest:
        return manifest.to_dict()["sites"][SITE]["items"]


def killed_copy(base, out, args, at):
    """A copy of the folder `base` at `out`, and a run into it with `args` killed at `at`."""
    shutil.copytree(base, out)
    killed = killed_run([*args, "-o", str(out)], at)
    assert killed.returncode == -9, (at, killed.stderr.decode())


def settled(report):
    assert report.changes.conflicts == [], report.changes.conflicts
    assert report.changes.deleted_by_user == [], report.changes.deleted_by_user
    assert report.changes.recreated == []


# --- a re-run killed at many points of its writes -------------------------------------------------

N = 200


def _site_post(i, slug, version, old=()):
    body = f"<p>Entrada {i}, versión {version}. Ver <a href='{SITE}/2011/10/03/entrada-{(i % N) + 1}/'>la siguiente</a>.</p>"
    return post(i, slug, f"Entrada {i}", body * 5, old_slugs=old, link=f"{SITE}/2011/10/03/{slug}/")


def _exports(tmp_path):
    """v1: 200 posts. v2: every 7th renamed, every 5th changed, 10 gone (pruned), 20 new.
    v3: every post of v2 changed."""
    v1 = [_site_post(i, f"entrada-{i}", 1) for i in range(1, N + 1)]

    def v2_post(i, version):
        renamed = i % 7 == 0
        slug = f"entrada-{i}-nueva" if renamed else f"entrada-{i}"
        old = (f"entrada-{i}",) if renamed else ()
        return _site_post(i, slug, version if version == 3 or i % 5 == 0 else 1, old)

    ids = [*range(1, N - 9), *range(N + 1, N + 21)]
    v2 = [v2_post(i, 2) for i in ids]
    v3 = [v2_post(i, 3) for i in ids]
    return export(tmp_path, v1, "v1.xml"), export(tmp_path, v2, "v2.xml"), export(tmp_path, v3, "v3.xml")


def test_a_rerun_killed_at_any_write_is_finished_by_the_next_run(tmp_path):
    v1, v2, v3 = _exports(tmp_path)
    base = tmp_path / "base"
    migrate(v1, base)
    want2 = tmp_path / "want2"
    shutil.copytree(base, want2)
    before = durable_steps()
    uninterrupted = migrate(v2, want2, prune=True)
    steps = durable_steps() - before  # journal lines, writes and deletes; the last: the manifest
    changed = uninterrupted.changes
    assert len(changed.moved) == 27 and len(changed.new) == 20 and len(changed.pruned) == 10
    want3 = tmp_path / "want3"
    shutil.copytree(want2, want3)
    migrate(v3, want3, prune=True)
    posts = {rel: data for rel, data in tree(want3).items() if rel.startswith("content/posts/")}
    assert len(posts) == 210 and all("versión 3".encode() in data for data in posts.values())

    # 24 points from the first step to the last (killed after saving the manifest, before
    # removing the journal that it now holds).
    points = sorted({1 + round(k * (steps - 1) / 23) for k in range(24)})
    assert len(points) == 24 and steps > 300
    for n, point in enumerate(points):
        out = tmp_path / f"site{point}"
        killed_copy(base, out, [str(v2), "--media", "none", "--prune", "-q", "-j", "1"], point)
        if n % 2 == 0:  # the same export again: the tree an uninterrupted run left
            settled(migrate(v2, out, prune=True))
            assert tree(out) == tree(want2), point
            assert records(out) == records(want2), point
            assert not (out / ".wxr-migrate/journal").exists()
        # A later export's changes reach every file (straight after the kill on odd points).
        later = migrate(v3, out, prune=True)
        settled(later)
        assert tree(out) == tree(want3), point
        assert records(out) == records(want3), point
        assert not (out / ".wxr-migrate/incoming").exists()
        assert not [p for p in out.rglob(".*") if p.is_file() and p.suffix in (".tmp", ".part")]
        shutil.rmtree(out)


def test_a_journal_the_manifest_already_holds_is_not_replayed(tmp_path):
    v1, v2, _ = _exports(tmp_path)
    out = tmp_path / "site"
    migrate(v1, out)
    assert killed_run([str(v2), "-o", str(out), "--media", "none", "-q", "-j", "1"], 40).returncode == -9
    journal = (out / ".wxr-migrate/journal").read_bytes()
    settled(migrate(v2, out))
    done = tree(out), records(out)
    # As if the run had been killed after saving the manifest, before removing the journal.
    (out / ".wxr-migrate/journal").write_bytes(journal)
    again = migrate(v2, out)
    settled(again)
    assert again.files_written == 0 and (tree(out), records(out)) == done


def test_after_a_killed_run_the_last_whole_run_is_not_replayed(tmp_path):
    # v1 whole, v2 killed half-way, v1 again: the files must be v1's again, not answered from the
    # manifest's record of the first v1 run (which no longer describes them).
    v1, v2, _ = _exports(tmp_path)
    out, want = tmp_path / "site", tmp_path / "want"
    migrate(v1, out)
    migrate(v1, want)
    assert killed_run([str(v2), "-o", str(out), "--media", "none", "-q", "-j", "1"], 60).returncode == -9
    again = migrate(v1, out)
    settled(again)
    assert again.changes.moved and again.changes.updated
    # Posts the killed run renamed keep their new URL as an alias: the paths and bodies are v1's.
    got = tree(out)
    assert set(got) == set(tree(want))
    assert not [path for path, data in got.items() if "versión 2".encode() in data]


def test_stand_in_for_a_kill_a_restored_manifest_does_not_make_a_moved_post_stale(tmp_path):
    # The stand-in: the manifest of before a rename, with the file already moved.
    out = tmp_path / "site"
    migrate(export(tmp_path, V1, "v1.xml"), out)
    saved = (out / ".wxr-migrate/manifest.sqlite").read_bytes()
    renamed = [V1[0], post(2, "dos-2", "Dos", link=f"{SITE}/2011/10/03/dos-2/"), *V1[2:]]
    migrate(export(tmp_path, renamed, "v2.xml"), out)
    (out / ".wxr-migrate/manifest.sqlite").write_bytes(saved)
    settled(migrate(export(tmp_path, renamed, "v2.xml"), out))
    body = [V1[0], post(2, "dos-2", "Dos", "<p>Nuevo</p>", link=f"{SITE}/2011/10/03/dos-2/"), *V1[2:]]
    later = migrate(export(tmp_path, body, "v3.xml"), out)
    assert list(later.changes.updated) == ["content/posts/dos-2.md"]
    assert "Nuevo" in (out / "content/posts/dos-2.md").read_text()


# --- a damaged manifest -----------------------------------------------------------------------------


def _item(**changes):
    item = {
        "path": "content/posts/uno.md",
        "source": "s",
        "written": "w",
        "url": "/",
        "aliases": [],
        "notes": {},
    }
    return {**item, **changes}


def _manifest(items=None, **top):
    return {"version": 1, "sites": {SITE: {"exports": ["e.xml"], "items": items or {"1": _item()}}}, **top}


DAMAGED = [
    ("not UTF-8", b'{"version": 1, "sites": {"\xff": {}}}', "not UTF-8"),
    ("not JSON", b"{not json", "not JSON"),
    ("a list", b"[]", "not a JSON object"),
    ("version 2", _manifest(version=2), "manifest version 2"),
    ("version true", _manifest(version=True), "manifest version True"),
    ("path null", _manifest({"1": _item(path=None)}), "items.1.path is null, not a string"),
    ("path ..", _manifest({"1": _item(path="../x.md")}), "unsafe path '../x.md'"),
    ("path absolute", _manifest({"1": _item(path="/etc/passwd")}), "unsafe path '/etc/passwd'"),
    ("written 5", _manifest({"1": _item(written=5)}), "items.1.written is 5, not a string"),
    ("aliases a string", _manifest({"1": _item(aliases="x")}), 'aliases is "x", not a list'),
    ("an alias a number", _manifest({"1": _item(aliases=[1])}), "aliases[0] is 1, not a string"),
    ("notes a list", _manifest({"1": _item(notes=[])}), "notes is [], not an object"),
    ("a note not a list", _manifest({"1": _item(notes={"warnings": "x"})}), "notes.warnings is"),
    ("no source", _manifest({"1": {"path": "a.md", "written": "w"}}), "'source' is missing"),
    ("unknown field", _manifest({"1": _item(extra=1)}), "unknown field 'extra'"),
    ("id not a number", _manifest({"uno": _item()}), "'uno' is not a post id"),
    ("sites a list", {"version": 1, "sites": []}, "sites is [], not an object"),
    ("exports a string", {"version": 1, "sites": {SITE: {"exports": "e.xml", "items": {}}}}, "exports is"),
    (
        "media size a string",
        _manifest(media={"a.png": {"url": "u", "path": "static/a.png", "size": "1", "sha256": "h"}}),
        'media.a.png.size is "1", not an integer',
    ),
    (
        "media path outside",
        _manifest(media={"a.png": {"url": "u", "path": "../a.png", "size": 1, "sha256": "h"}}),
        "unsafe path '../a.png'",
    ),
    (
        "last_run ids",
        _manifest(last_run={"key": "k", "site": "", "ids": ["1"], "media": [], "report": {}}),
        "ids[0]",
    ),
    ("last_run a list", _manifest(last_run=[1]), "last_run is [1], not an object"),
]


@pytest.mark.parametrize(("data", "message"), [d[1:] for d in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_a_damaged_manifest_stops_the_run_with_one_line_and_nothing_written(tmp_path, data, message):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    manifest = out / ".wxr-migrate/manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    result = CliRunner().invoke(main, [str(v1), "-o", str(out), "--media", "none"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {manifest}: ") and line.endswith("(move it away to start afresh)")
    assert message in line
    # The run lock is taken before the manifest is read: it is the only file the refused run leaves.
    after = sorted(p.relative_to(out) for p in out.rglob("*"))
    assert [p for p in after if p.name != "lock"] == before


def test_a_symlink_out_of_the_folder_is_not_a_path_inside_it(tmp_path):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    (out / "content/posts/out").symlink_to(tmp_path)
    data = dump(out)
    data["sites"][SITE]["items"]["1"]["path"] = "content/posts/out/v1.xml"
    write_v1(out, data)  # a manifest of version 1: checked whole as it is converted
    with pytest.raises(ManifestError, match="resolves outside"):
        migrate(v1, out)


def test_a_damaged_journal_stops_the_run_too(tmp_path):
    v1, v2, _ = _exports(tmp_path)
    out = tmp_path / "site"
    migrate(v1, out)
    assert killed_run([str(v2), "-o", str(out), "--media", "none", "-q", "-j", "1"], 9).returncode == -9
    journal = out / ".wxr-migrate/journal"
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join([*lines[:2], b'{"op": "write", "site": 3}\n', *lines[2:]]))
    result = CliRunner().invoke(main, [str(v2), "-o", str(out), "--media", "none"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {journal}: damaged journal: line 3")
    # A line torn by the kill (no newline yet) is what it is: not written; the run goes on.
    journal.write_bytes(b"".join(lines) + b'{"op": "wri')
    settled(migrate(v2, out))
    assert not journal.exists()


# --- a disk that fills up mid-run -------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 400 KiB tmpfs (needs root, or a system that lets this user mount one)."""
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_mid_run_exits_2_and_the_manifest_records_what_was_written(tmp_path, small_disk):
    body = "<p>" + "Un párrafo bastante largo para llenar el disco. " * 60 + "</p>"
    posts = [post(i, f"entrada-{i}", f"Entrada {i}", body) for i in range(1, 301)]  # ~1 MB of files
    source = export(tmp_path, posts)
    out = small_disk / "site"
    result = CliRunner().invoke(main, [str(source), "-o", str(out), "--media", "none", "-j", "1"])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "No space left on device" in line
    written = {p.relative_to(out).as_posix(): p for p in (out / "content").rglob("*.md")}
    assert written, "the disk filled before any post was written"
    # What the run leaves as its record: the manifest, or (when even that could not be written on
    # the full disk) the manifest of before and the journal since, as the next run reads them.
    items = _records_with_journal(out)
    assert {i["path"] for i in items.values()} == set(written)  # exactly the files written
    for item in items.values():
        assert item["written"] == hashlib.sha256(written[item["path"]].read_bytes()).hexdigest()
    # With room again, the next run finishes without conflicts.
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    again = migrate(source, out)
    settled(again)
    assert len(again.changes.new) == 300 - len(written) and again.changes.unchanged == len(written)
    fresh = tmp_path / "fresh"
    migrate(source, fresh)
    assert tree(out) == tree(fresh)


def test_a_file_that_cannot_be_written_exits_2_and_the_manifest_records_the_others(tmp_path):
    posts = [post(i, f"entrada-{i}", f"Entrada {i}") for i in range(1, 41)]
    source = export(tmp_path, posts)
    out = tmp_path / "site"
    (out / "content/posts/entrada-30.md").mkdir(parents=True)  # in the way of post 30's file
    result = CliRunner().invoke(main, [str(source), "-o", str(out), "--media", "none", "-j", "1"])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "Is a directory" in line
    written = {p.relative_to(out).as_posix() for p in (out / "content").rglob("*.md") if p.is_file()}
    assert len(written) == 29
    manifest = dump(out)  # committed, with room to
    assert {i["path"] for i in manifest["sites"][SITE]["items"].values()} == written
    assert not (out / ".wxr-migrate/journal").exists()
    (out / "content/posts/entrada-30.md").rmdir()
    again = migrate(source, out)
    settled(again)
    assert len(again.changes.new) == 11 and again.changes.unchanged == 29


def test_a_first_run_with_media_killed_early_is_finished_by_the_next_run(tmp_path):
    sample, uploads = ROOT / "samples" / "blog-es.xml", ROOT / "samples" / "uploads"
    fresh = tmp_path / "fresh"
    args = [str(sample), "--uploads", str(uploads), "--offline", "-q", "-j", "1"]
    first = CliRunner().invoke(main, [*args, "-o", str(fresh)])
    assert first.exit_code in (0, 1) and records(fresh)[1], "the sample has no media"
    for point in (1, 2, 5):  # the media's journal line, then the first posts
        out = tmp_path / f"site{point}"
        assert killed_run([*args, "-o", str(out)], point).returncode == -9
        result = CliRunner().invoke(main, [*args, "-o", str(out)])
        assert (result.exit_code, result.output) == (first.exit_code, first.output)  # no conflicts
        assert tree(out) == tree(fresh) and not (out / ".wxr-migrate/incoming").exists()
        sites, media = records(out)
        assert sites == records(fresh)[0]
        assert {k: (m["path"], m["sha256"]) for k, m in media.items()} == {
            k: (m["path"], m["sha256"]) for k, m in records(fresh)[1].items()
        }


def test_a_file_that_may_not_be_replaced_exits_2_and_the_manifest_records_what_was_written(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, [post(i, f"entrada-{i}", f"Entrada {i}") for i in range(1, 41)], "v1.xml"), out)
    v2 = export(tmp_path, [post(i, f"entrada-{i}", f"Entrada {i} v2") for i in range(1, 41)], "v2.xml")
    locked = out / "content/posts/entrada-20.md"
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot make a file immutable here (chattr +i needs root and ext4-like file systems)")
    try:
        result = CliRunner().invoke(main, [str(v2), "-o", str(out), "--media", "none", "-j", "2"])
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "Operation not permitted" in line
    items = dump(out)["sites"][SITE]["items"]
    for item in items.values():  # every record is the bytes on disk: 19 new versions, 21 old ones
        assert item["written"] == hashlib.sha256((out / item["path"]).read_bytes()).hexdigest()
    assert sum("v2" in (out / i["path"]).read_text() for i in items.values()) == 19
    again = migrate(v2, out)
    settled(again)
    assert len(again.changes.updated) == 21 and again.changes.unchanged == 19


# --- a folder written before the manifest store: its manifest.json (version 1) ----------------------


def test_a_version_1_manifest_is_converted_once_and_removed_after_the_commit(tmp_path):
    v1, v2, _ = _exports(tmp_path)
    out, want = tmp_path / "site", tmp_path / "want"
    migrate(v1, out)
    before = dump(out)
    write_v1(out, before)
    dry = CliRunner().invoke(main, [str(v1), "-o", str(out), "--media", "none", "--dry-run"])
    assert dry.exit_code == 0 and not (out / ".wxr-migrate/manifest.sqlite").exists()
    again = migrate(v1, out)  # the same inputs: answered from the converted manifest's last run
    settled(again)
    assert again.changes.unchanged == N and again.files_written == 0
    assert sorted(p.name for p in (out / ".wxr-migrate").iterdir()) == ["lock", "manifest.sqlite"]
    assert dump(out) == before
    migrate(v1, want)
    migrate(v2, want, prune=True)
    later = migrate(v2, out, prune=True)
    settled(later)
    assert (tree(out), records(out)) == (tree(want), records(want))


def test_an_upgrade_killed_at_any_write_is_finished_by_the_next_run(tmp_path):
    v1, v2, v3 = _exports(tmp_path)
    base = tmp_path / "base"
    migrate(v1, base)
    write_v1(base, dump(base))
    legacy = (base / ".wxr-migrate/manifest.json").read_bytes()
    want2, want3 = tmp_path / "want2", tmp_path / "want3"
    shutil.copytree(base, want2)
    before = durable_steps()
    migrate(v2, want2, prune=True)
    steps = durable_steps() - before  # the last: the store's first commit
    shutil.copytree(want2, want3)
    migrate(v3, want3, prune=True)
    points = sorted({1 + round(k * (steps - 1) / 7) for k in range(8)})
    assert len(points) == 8 and steps > 300
    for n, point in enumerate(points):
        out = tmp_path / f"site{point}"
        killed_copy(base, out, [str(v2), "--media", "none", "--prune", "-q", "-j", "1"], point)
        journal = (out / ".wxr-migrate/journal").read_bytes()
        # Until the commit, the version 1 manifest stays, and the journal follows it (its hash).
        assert (out / ".wxr-migrate/manifest.json").read_bytes() == legacy, point
        first = json.loads(journal.splitlines()[0])
        assert first == {"begin": hashlib.sha256(legacy).hexdigest()}, point
        if point < steps:  # the store's changes rolled back: the committed manifest is still v1's
            assert dump(out) == dump(base), point
        if n % 2 == 0:
            settled(migrate(v2, out, prune=True))
            assert tree(out) == tree(want2), point
            assert records(out) == records(want2), point
        later = migrate(v3, out, prune=True)
        settled(later)
        assert tree(out) == tree(want3), point
        assert records(out) == records(want3), point
        assert sorted(p.name for p in (out / ".wxr-migrate").iterdir()) == ["lock", "manifest.sqlite"]
        shutil.rmtree(out)


def _foreign_store(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    db.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), "damaged manifest: "),
        (lambda path: path.write_bytes(b"{not a database at all}" * 50), "file is not a database"),
        (_foreign_store, "not a wxr-migrate manifest store"),
    ],
    ids=["a torn header", "not SQLite", "another program's database"],
)
def test_a_damaged_or_foreign_store_stops_the_run_with_one_line_and_nothing_written(tmp_path, make, message):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    store = out / ".wxr-migrate/manifest.sqlite"
    store.unlink()
    make(store)
    before = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    result = CliRunner().invoke(main, [str(v1), "-o", str(out), "--media", "none"])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {store}: ") and line.endswith("(move it away to start afresh)")
    assert message in line
    after = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert {p: b for p, b in after.items() if p.name != "lock"} == {
        p: b for p, b in before.items() if p.name != "lock"
    }

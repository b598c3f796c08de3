"""Re-runs after the export is refreshed: update what changed, never destroy an edit.

Scenario tests go from export v1 to v2 with hand edits in between; a property test runs random
sequences of export changes, hand edits and re-runs; a last test kills real runs with SIGKILL.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate import state
from migrate.cli import main
from migrate.config import Config
from migrate.lock import lock_path
from migrate.pipeline import PruneRefused, run
from migrate.state import ManifestError

from .helpers import item, meta, write_wxr

SITE = "http://www.stackops.com"


def post(post_id, slug, title="Hola", content="<p>Texto</p>", old_slugs=(), **kw):
    extra = "".join(meta("_wp_old_slug", s) for s in old_slugs)
    return item(post_id, title, slug=slug, content=content, extra=extra + kw.pop("extra", ""), **kw)


V1 = [
    post(1, "uno", "Uno", f'<p>Ver <a href="{SITE}/2011/10/03/dos/">el dos</a>.</p>'),
    post(2, "dos", "Dos"),
    post(3, "tres", "Tres"),
    post(4, "cuatro", "Cuatro"),
    post(5, "cinco", "Cinco"),
]


def export(tmp_path, posts, name="export.xml"):
    return write_wxr(tmp_path / name, *posts)


def migrate(path, out, **kw):
    return run(
        Config(exports=(path,) if isinstance(path, Path) else tuple(path), output=out, media="none", **kw)
    )


def write_v1(out, data):
    """The folder as a version before the manifest store left it: `data` (a dict, or the bytes) as
    its `manifest.json`, and no `manifest.sqlite`."""
    folder = out / ".wxr-migrate"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    (folder / "manifest.sqlite").unlink(missing_ok=True)


def snapshot(root):
    """Every file with its bytes and mtime (the state folder included, but for the lock file: each
    run writes its pid there)."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and p != lock_path(root)
    }


def content(root):
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()
    }


def test_same_export_again_writes_nothing(tmp_path):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    before = snapshot(out)
    report = migrate(v1, out)
    assert snapshot(out) == before  # no file's bytes or mtime changed, manifest included
    assert report.changes.unchanged == 5 and report.files_written == 0
    assert "0 new, 5 unchanged" not in "\n".join(report.summary())  # zero counts are left out
    assert "5 unchanged" in report.summary()[1]


def test_rerun_into_existing_folder_gives_a_fresh_runs_bytes(tmp_path):
    v1, v2 = export(tmp_path, V1, "v1.xml"), export(tmp_path, [*V1[:4], post(6, "seis", "Seis")], "v2.xml")
    out, fresh = tmp_path / "site", tmp_path / "fresh"
    migrate(v1, out)
    migrate(v2, out)
    migrate(v2, fresh)
    got, want = content(out), content(fresh)
    assert {k: v for k, v in got.items() if k != "content/posts/cinco.md"} == want  # cinco: gone, kept


def test_refreshed_export_new_changed_unchanged(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    before = snapshot(out)
    v2 = [V1[0], post(2, "dos", "Dos (editado en WordPress)"), *V1[2:], post(6, "seis", "Seis")]
    report = migrate(export(tmp_path, v2), out)
    assert list(report.changes.new) == ["content/posts/seis.md"]
    assert list(report.changes.updated) == ["content/posts/dos.md"]
    assert report.changes.unchanged == 4
    assert "title: Dos (editado en WordPress)" in (out / "content/posts/dos.md").read_text()
    after = snapshot(out)
    for name in ("uno", "tres", "cuatro", "cinco"):
        key = f"content/posts/{name}.md"
        assert after[key] == before[key]  # untouched: same bytes, same mtime


def test_hand_edits_are_never_overwritten(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    dos = out / "content/posts/dos.md"
    edited = dos.read_text().replace("title: Dos", "title: Dos (mi versión)")  # front matter only
    dos.write_text(edited)
    v2 = [V1[0], post(2, "dos", "Dos v2", "<p>Texto nuevo</p>"), *V1[2:]]
    report = migrate(export(tmp_path, v2), out)
    assert dos.read_text() == edited
    [conflict] = report.changes.conflicts
    assert (conflict.item_id, conflict.path) == (2, "content/posts/dos.md")
    incoming = out / conflict.incoming
    assert "Texto nuevo" in incoming.read_text() and "title: Dos v2" in incoming.read_text()
    assert report.exit_code == 1
    assert any("conflict: content/posts/dos.md" in line for line in report.summary())
    # Reported once: the same export again leaves the edit alone quietly.
    again = migrate(export(tmp_path, v2), out)
    assert again.changes.conflicts == [] and dos.read_text() == edited and again.exit_code == 0


def test_force_overwrites_after_a_backup(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    dos = out / "content/posts/dos.md"
    dos.write_text(dos.read_text() + "\nMi párrafo.\n")
    edited = dos.read_bytes()
    report = migrate(export(tmp_path, [V1[0], post(2, "dos", "Dos v2"), *V1[2:]]), out, force=True)
    assert "title: Dos v2" in dos.read_text()
    assert report.changes.backups == [".wxr-migrate/backups/content/posts/dos.md"]
    assert (out / ".wxr-migrate/backups/content/posts/dos.md").read_bytes() == edited


def test_force_overwrites_an_edit_even_when_the_post_did_not_change_in_wordpress(tmp_path):
    out = tmp_path / "site"
    path = export(tmp_path, V1)
    fresh = migrate(path, out)
    dos = out / "content/posts/dos.md"
    written = dos.read_bytes()
    dos.write_text(dos.read_text() + "\nMi párrafo.\n")
    edited = dos.read_bytes()
    assert migrate(path, out).changes.unchanged == 5 and dos.read_bytes() == edited  # kept, quietly
    forced = migrate(path, out, force=True)
    assert dos.read_bytes() == written and fresh.exit_code == forced.exit_code == 0
    assert list(forced.changes.updated) == ["content/posts/dos.md"] and forced.changes.unchanged == 4
    assert (out / ".wxr-migrate/backups/content/posts/dos.md").read_bytes() == edited
    assert migrate(path, out).changes.unchanged == 5  # and the next run has nothing to do


def test_deleted_files_are_not_recreated_unless_forced(tmp_path):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    (out / "content/posts/tres.md").unlink()
    report = migrate(v1, out)
    assert not (out / "content/posts/tres.md").exists()
    assert report.changes.deleted_by_user == [(3, "content/posts/tres.md")]
    changed = migrate(export(tmp_path, [*V1[:2], post(3, "tres", "Tres v2"), *V1[3:]]), out)
    assert not (out / "content/posts/tres.md").exists() and changed.changes.deleted_by_user
    forced = migrate(v1, out, force=True)
    assert (out / "content/posts/tres.md").is_file() and forced.changes.recreated == ["content/posts/tres.md"]


def test_renamed_post_moves_keeps_its_old_url_and_links_follow(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    # WordPress renamed "dos"; this export has no _wp_old_slug for it: the manifest remembers.
    renamed = post(2, "dos-renombrado", "Dos", link=f"{SITE}/2011/10/03/dos-renombrado/")
    report = migrate(export(tmp_path, [V1[0], renamed, *V1[2:]]), out)
    assert report.changes.moved == [("content/posts/dos.md", "content/posts/dos-renombrado.md")]
    assert not (out / "content/posts/dos.md").exists()
    text = (out / "content/posts/dos-renombrado.md").read_text()
    assert "url: /2011/10/03/dos-renombrado/\naliases:\n- /2011/10/03/dos/\n" in text
    # The post that linked to the old permalink now links to the new one, on this same run.
    assert "[el dos](/2011/10/03/dos-renombrado/)" in (out / "content/posts/uno.md").read_text()
    assert list(report.changes.updated) == ["content/posts/uno.md"]


def test_renamed_post_that_was_edited_is_a_conflict(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    dos = out / "content/posts/dos.md"
    dos.write_text(dos.read_text() + "editado\n")
    renamed = post(2, "dos-renombrado", "Dos", link=f"{SITE}/2011/10/03/dos-renombrado/")
    report = migrate(export(tmp_path, [V1[0], renamed, *V1[2:]]), out)
    assert dos.read_text().endswith("editado\n")
    assert not (out / "content/posts/dos-renombrado.md").exists()
    [conflict] = report.changes.conflicts
    assert (
        conflict.path == "content/posts/dos.md"
        and "moved to content/posts/dos-renombrado.md" in conflict.reason
    )


def test_gone_items_are_reported_and_pruned_only_when_unedited(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    (out / "content/posts/cuatro.md").write_text("mío\n")
    v2 = export(tmp_path, V1[:3] + [post(i, f"nuevo-{i}") for i in range(6, 13)])  # 2 of 12 gone: < 20%
    report = migrate(v2, out)
    assert report.changes.gone == [(4, "content/posts/cuatro.md"), (5, "content/posts/cinco.md")]
    assert (out / "content/posts/cinco.md").exists()  # reported, never deleted without --prune
    pruned = migrate(v2, out, prune=True)
    assert pruned.changes.pruned == ["content/posts/cinco.md"]
    assert not (out / "content/posts/cinco.md").exists()
    assert (out / "content/posts/cuatro.md").read_text() == "mío\n"  # edited: kept


def test_prune_refuses_an_export_that_looks_incomplete(tmp_path):
    out = tmp_path / "site"
    part0 = export(tmp_path, V1[:3], "site.wordpress.2024-01-01.000.xml")
    part1 = export(tmp_path, V1[3:], "site.wordpress.2024-01-01.001.xml")
    migrate([part0, part1], out)
    before = snapshot(out)
    with pytest.raises(PruneRefused, match="read 2 export files, this one 1"):
        migrate([part0], out, prune=True)
    part2 = export(tmp_path, V1[3:], "site.wordpress.2024-02-01.002.xml")
    with pytest.raises(PruneRefused, match="part 001 of the split export"):
        migrate([export(tmp_path, V1[:3], "site.wordpress.2024-02-01.000.xml"), part2], out, prune=True)
    with pytest.raises(PruneRefused, match="2 of 5 known items are missing"):
        migrate([export(tmp_path, V1[:3], "whole.xml"), export(tmp_path, [], "empty.xml")], out, prune=True)
    assert snapshot(out) == before  # refused before anything was written or deleted
    result = CliRunner().invoke(main, [str(part0), "-o", str(out), "--media", "none", "--prune"])
    assert result.exit_code == 2 and result.stderr.startswith("error: --prune refused:")
    forced = migrate([part0], out, prune=True, force=True)
    assert sorted(forced.changes.pruned) == ["content/posts/cinco.md", "content/posts/cuatro.md"]


def test_damaged_manifest_is_a_clear_error(tmp_path):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    (out / ".wxr-migrate/manifest.sqlite").write_text("{not json")
    with pytest.raises(ManifestError, match="damaged manifest"):
        migrate(v1, out)
    result = CliRunner().invoke(main, [str(v1), "-o", str(out), "--media", "none"])
    assert (
        result.exit_code == 2 and "damaged manifest" in result.stderr and len(result.stderr.splitlines()) == 1
    )


def test_manifest_format(tmp_path):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    assert sorted(p.name for p in (out / ".wxr-migrate").iterdir()) == ["lock", "manifest.sqlite"]
    data = state.dump(out)
    assert data["version"] == 1 and data["generator"].startswith("wxr-migrate ")
    site = data["sites"][SITE]
    assert site["exports"] == ["export.xml"]
    uno = site["items"]["1"]
    assert uno["path"] == "content/posts/uno.md" and uno["url"] == "/2011/10/03/uno/"
    assert len(uno["source"]) == len(uno["written"]) == 64
    assert data["media"] == {}


# --- a property: random edits and exports never lose a hand edit, and converge -----------------

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("retitle"), st.integers(1, 5)),
        st.tuples(st.just("rename"), st.integers(1, 5)),
        st.tuples(st.just("drop"), st.integers(1, 5)),
        st.tuples(st.just("add"), st.integers(6, 9)),
        st.tuples(st.just("hand-edit"), st.integers(1, 9)),
        st.tuples(st.just("hand-delete"), st.integers(1, 9)),
        st.tuples(st.just("rerun"), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_random_changes_never_lose_an_edit_and_converge(tmp_path_factory, ops):
    tmp = tmp_path_factory.mktemp("prop")
    out = tmp / "site"
    posts = {
        i: {"slug": s, "title": t, "old": []}
        for i, s, t in [
            (1, "uno", "Uno"),
            (2, "dos", "Dos"),
            (3, "tres", "Tres"),
            (4, "cuatro", "Cuatro"),
            (5, "cinco", "Cinco"),
        ]
    }

    def current_export(name):
        items = [
            post(i, p["slug"], p["title"], old_slugs=p["old"], link=f"{SITE}/2011/10/03/{p['slug']}/")
            for i, p in sorted(posts.items())
        ]
        return export(tmp, items, name)

    edits: dict[str, bytes] = {}  # path → bytes the user wrote there
    deleted: set[str] = set()
    migrate(current_export("e0.xml"), out)
    for n, (op, k) in enumerate([*ops, ("rerun", 0)], start=1):
        if op == "retitle" and k in posts:
            posts[k]["title"] += " v"
        elif op == "rename" and k in posts:
            posts[k]["old"].append(posts[k]["slug"])
            posts[k]["slug"] = f"{posts[k]['slug']}-{n}"
        elif op == "drop":
            posts.pop(k, None)
        elif op == "add" and k not in posts:
            posts[k] = {"slug": f"nuevo-{k}", "title": f"Nuevo {k}", "old": []}
        elif op in ("hand-edit", "hand-delete"):
            files = sorted((out / "content/posts").glob("*.md"))
            if files:
                target = files[k % len(files)]
                rel = str(target.relative_to(out))
                if op == "hand-edit":
                    data = target.read_bytes() + f"\nedición {n}\n".encode()
                    target.write_bytes(data)
                    edits[rel] = data
                    deleted.discard(rel)
                else:
                    target.unlink()
                    edits.pop(rel, None)
                    deleted.add(rel)
        elif op == "rerun":
            migrate(current_export(f"e{n}.xml"), out)
        for rel, data in edits.items():  # no hand edit is ever lost
            assert (out / rel).read_bytes() == data, (rel, ops)
        for rel in deleted:
            assert not (out / rel).exists(), (rel, ops)

    fresh = tmp / "fresh"
    migrate(current_export("final.xml"), fresh)
    touched = set(edits) | deleted
    for rel, data in content(fresh).items():
        if rel in touched:
            continue
        path = out / rel
        if path.exists():
            assert path.read_bytes() == data, (rel, ops)


# --- interrupted runs ----------------------------------------------------------------------


def _big_export(tmp_path, n=150):
    body = (
        "<p>"
        + "Un párrafo con <strong>negritas</strong> y <a href='http://example.com/'>enlaces</a>. " * 40
        + "</p>"
    )
    return export(tmp_path, [post(i, f"entrada-{i}", f"Entrada {i}", body * 3) for i in range(1, n + 1)])


def test_a_run_killed_at_any_point_leaves_whole_files_and_the_next_run_finishes(tmp_path):
    source = _big_export(tmp_path)
    fresh = tmp_path / "fresh"
    migrate(source, fresh)
    want = content(fresh)
    rng = random.Random(7)
    cmd = [
        sys.executable,
        "-m",
        "migrate",
        str(source),
        "-o",
        str(tmp_path / "site"),
        "--media",
        "none",
        "-q",
    ]
    start = time.monotonic()
    subprocess.run(cmd, check=False)
    full = time.monotonic() - start
    for attempt in range(3):
        out = tmp_path / f"site{attempt}"
        cmd[4] = str(out)
        for _ in range(2):  # killed twice in a row, each at a random moment
            proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
            time.sleep(rng.uniform(0.05, full))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            for path, data in content(out).items() if out.exists() else ():
                if not Path(path).name.startswith("."):
                    assert data == want[path], f"{path} is not whole after SIGKILL"
        report = migrate(source, out)
        assert report.changes.conflicts == [], report.changes.conflicts
        assert content(out) == want
        assert not [p for p in out.rglob(".*") if p.is_file() and p.suffix in (".tmp", ".part")]


def test_unchanged_rerun_neither_rereads_nor_converts(tmp_path, monkeypatch):
    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    import migrate.pipeline as pipeline

    def no_second_pass(*args, **kwargs):
        raise AssertionError("pass 2 read the export although nothing changed")

    monkeypatch.setattr(pipeline, "iter_items", no_second_pass)
    monkeypatch.setattr(pipeline, "render_item", no_second_pass)
    report = migrate(v1, out)
    assert report.changes.unchanged == 5 and sum(report.items.values()) == 5


def _without_last_run(out):
    """The manifest as if the last run could not be replayed: the next run goes the full way."""
    with state.load(out) as manifest:
        manifest.clear_last_run()
        state.finish(out, manifest)


def test_same_inputs_are_replayed_from_the_manifest_with_the_full_paths_report(tmp_path, monkeypatch):
    v1 = export(
        tmp_path, [*V1, post(6, "seis", content="[contact-form-7 id=1]"), post(7, "siete", status="draft")]
    )
    out = tmp_path / "site"
    migrate(v1, out)
    (out / "content/posts/tres.md").unlink()  # deleted by the user: reported either way
    _without_last_run(out)
    full = migrate(v1, out)  # the full path: reads, plans, settles every item
    before = snapshot(out)
    import migrate.pipeline as pipeline

    def no_reading(*args, **kwargs):
        raise AssertionError("the export was read although the inputs are the same")

    monkeypatch.setattr(pipeline, "scan", no_reading)
    replayed = migrate(v1, out)
    assert replayed.to_dict() == full.to_dict()
    assert replayed.changes.deleted_by_user == [(3, "content/posts/tres.md")]
    assert replayed.exit_code == 0 and replayed.unknown_shortcodes == {"contact-form-7": 1}
    assert snapshot(out) == before


def test_a_changed_byte_in_the_export_goes_the_full_way(tmp_path, monkeypatch):
    out = tmp_path / "site"
    migrate(export(tmp_path, V1), out)
    changed = export(tmp_path, [*V1[:4], post(5, "cinco", "Cinco!")])
    report = migrate(changed, out)
    assert list(report.changes.updated) == ["content/posts/cinco.md"]


def test_replay_checks_media_files_and_refetches_what_changed(httpserver, tmp_path, monkeypatch):
    base = httpserver.url_for("").rstrip("/")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    httpserver.expect_request("/wp-content/uploads/2020/01/a.png").respond_with_data(png)
    body = f'<img src="{base}/wp-content/uploads/2020/01/a.png">'
    v1 = write_wxr(tmp_path / "e.xml", item(1, slug="uno", content=body, link=f"{base}/uno/"), base_url=base)
    out = tmp_path / "site"
    config = Config(exports=(v1,), output=out, allow_private=True)
    run(config)
    httpserver.clear_log()
    again = run(config)
    assert httpserver.log == [] and again.media.by_source == {"present": 1}
    (out / "static/wp-content/uploads/2020/01/a.png").write_bytes(b"not a png any more")
    fixed = run(config)
    assert [r.path for r, _ in httpserver.log if r.method == "GET"] == ["/wp-content/uploads/2020/01/a.png"]
    assert fixed.media.by_source == {"download": 1}
    assert (out / "static/wp-content/uploads/2020/01/a.png").read_bytes() == png


def test_a_changed_tool_rewrites_what_it_changes_once(tmp_path, monkeypatch):
    # The same version with other converters (a checkout, a patched install): the source differs.
    import migrate.pipeline as pipeline
    from migrate import state

    v1 = export(tmp_path, V1)
    out = tmp_path / "site"
    migrate(v1, out)
    changed_render = pipeline.render_item

    def render_with_a_change(item, *args, **kwargs):
        rendered = changed_render(item, *args, **kwargs)
        return (
            rendered
            if item.id != 2
            else type(rendered)(**{**vars(rendered), "text": rendered.text + "\nmore\n"})
        )

    monkeypatch.setattr(pipeline, "render_item", render_with_a_change)
    monkeypatch.setattr(state, "tool_fingerprint", lambda: "another build of the same version")
    report = migrate(v1, out, jobs=1)
    assert list(report.changes.updated) == ["content/posts/dos.md"] and report.changes.unchanged == 4
    again = migrate(v1, out, jobs=1)
    assert again.changes.unchanged == 5 and again.files_written == 0


def test_source_digest_follows_every_source_file(tmp_path):
    from migrate.state import source_digest

    (tmp_path / "convert").mkdir()
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "convert" / "b.py").write_text("B = 1\n")
    first = source_digest(tmp_path, "0.1.0")
    assert source_digest(tmp_path, "0.1.0") == first
    (tmp_path / "convert" / "b.py").write_text("B = 2\n")
    assert source_digest(tmp_path, "0.1.0") != first
    assert source_digest(tmp_path, "0.2.0") != source_digest(tmp_path, "0.1.0")


def test_a_draft_that_had_the_clean_name_keeps_its_file_when_a_published_post_wants_it(tmp_path):
    out = tmp_path / "site"
    draft = post(12, "novedades", "Borrador", status="draft", link=f"{SITE}/?p=12")
    migrate(export(tmp_path, [draft]), out)
    (out / "content/posts/novedades.md").write_text("mi borrador\n")  # edited by hand
    report = migrate(export(tmp_path, [draft, post(30, "novedades", "Publicado")]), out)
    assert (out / "content/posts/novedades.md").read_text() == "mi borrador\n"
    assert "title: Publicado" in (out / "content/posts/novedades-30.md").read_text()
    assert not report.changes.moved and list(report.changes.new) == ["content/posts/novedades-30.md"]
    assert [(c.path, c.reason) for c in report.changes.conflicts] == [
        ("content/posts/novedades.md", "edited since the last run")  # the site's index changed
    ]
    # On a first run the published post has the clean name, the draft `-<id>`.
    fresh = tmp_path / "fresh"
    migrate(export(tmp_path, [draft, post(30, "novedades", "Publicado")]), fresh)
    assert "title: Publicado" in (fresh / "content/posts/novedades.md").read_text()
    assert "draft: true" in (fresh / "content/posts/novedades-12.md").read_text()


def test_a_scheduled_post_keeps_its_future_date_without_draft_and_is_counted_apart(tmp_path):
    out = tmp_path / "site"
    scheduled = post(
        7, "pronto", "Pronto", status="future", date="2031-05-01 10:00:00", date_gmt="2031-05-01 08:00:00"
    )
    report = migrate(export(tmp_path, [post(1, "uno"), scheduled]), out)
    text = (out / "content/posts/pronto.md").read_text()
    assert "date: 2031-05-01T10:00:00+02:00" in text and "draft" not in text
    assert list(report.drafts) == [] and [s.item_id for s in report.scheduled] == [7]
    assert next(iter(report.scheduled)).day == "2031-05-01"
    assert "2 posts, 0 pages, 0 drafts, 1 scheduled" in report.summary()
    assert report.to_dict()["scheduled"] == [
        {"item_id": 7, "title": "Pronto", "path": "content/posts/pronto.md", "day": "2031-05-01"}
    ]
    again = migrate(export(tmp_path, [post(1, "uno"), scheduled]), out)  # answered from the manifest
    assert again.to_dict()["scheduled"] == report.to_dict()["scheduled"]

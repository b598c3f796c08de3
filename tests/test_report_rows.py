"""The report's per-item lists on disk (reportrows.py), its JSON written a row at a time, and the
last run's snapshot kept as manifest rows (issue 16 point 2)."""

import json
import sqlite3
import tracemalloc
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate import pipeline, state
from migrate.config import Config
from migrate.pipeline import run
from migrate.report import NEEDS_ACTION, Draft, Report, Warning
from migrate.reportrows import RowFile, iter_json, materialized, path_rows

from .helpers import CORPUS

EXPORT = CORPUS / "blog-alienlebarge-fr-wxr12.xml"  # 588 items, 216 warnings, 17 drafts


def migrate(out, **kw):
    return run(Config(exports=(EXPORT,), output=out, media="none", **kw))


def dumped(value):
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


ids = st.integers(min_value=-(2**63), max_value=2**63 - 1)
texts = st.text(max_size=12)
warnings = st.builds(
    Warning, ids, st.sampled_from([*NEEDS_ACTION, "raw-html", "conversion", "Zé", ""]), texts, texts
)


@settings(max_examples=60, deadline=None)
@given(st.lists(warnings, max_size=600))
def test_rows_come_back_sorted_as_python_sorts_them(values):
    """SQLite's order (integers, then UTF-8 bytes) is Python's: non-ASCII and astral text, equal
    rows, negative ids; more rows than one batch. The summary's order (needs action first) too."""
    report = Report()
    report.warnings.extend(values)
    assert list(report.warnings) == sorted(values)
    assert len(report.warnings) == len(values)
    first = sorted(values, key=lambda w: (w.kind not in NEEDS_ACTION, w))
    assert list(report.warnings.acting_first()) == first
    assert list(report.warnings.acting_first(limit=20)) == first[:20]
    assert report.warnings.kinds == Counter(w.kind for w in values)
    report.close()


json_leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None)
@given(
    json_values, st.lists(st.text(max_size=10), max_size=5), st.lists(warnings, max_size=5), st.integers(0, 2)
)
def test_iter_json_writes_json_dumps_bytes(value, paths, rows, where):
    """Rows anywhere in dicts (top level, nested, empty) come out as json.dumps writes a list."""
    file = RowFile()
    new, found = path_rows(file), Report().warnings
    new.extend(paths)
    found.extend(rows)
    doc = {"a": value, "new": new, "deep": {"x": {"warnings": found, "n": value}, "1": []}, "z": {}}
    if where == 1:
        doc = {"wrapped": doc, "after": value}
    elif where == 2:
        doc = {"only": found}
    assert "".join(iter_json(doc)) == dumped(materialized(doc))
    assert "".join(iter_json(value)) == dumped(value)


def test_a_corpus_report_is_written_row_by_row_with_json_dumps_bytes(tmp_path):
    report = migrate(tmp_path / "site")
    assert len(report.warnings) > 200 and len(report.drafts) > 10 and len(report.changes.new) > 500
    peaks, corpus = [], list(report.warnings)
    for more in (0, 20):  # the corpus' report, then with 20 times its warnings again (other ids)
        report.warnings.extend(
            Warning(w.item_id + 10**6 * n, w.kind, w.message, w.path)
            for n in range(1, more + 1)
            for w in corpus
        )
        expected = (dumped(report.to_dict()) + "\n").encode("utf-8")
        path = tmp_path / f"report-{more}.json"
        tracemalloc.start()
        try:
            report.write_json(path)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert path.read_bytes() == expected
    assert len(report.warnings) > 4000 and len(expected) > 1_000_000
    # Never the document as one string: writing 1 MB more JSON costs (nearly) no more memory
    # (json.dumps would hold the text and its UTF-8 copy: 2 MB more).
    assert peaks[1] < peaks[0] + 50_000, peaks
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_last_runs_lists_are_manifest_rows_and_a_replay_reads_them_back(tmp_path, monkeypatch):
    out = tmp_path / "site"
    migrate(out)
    with state.load(out) as manifest:
        manifest.clear_last_run()
        state.finish(out, manifest)
    full = migrate(out)  # the full way, over the files the first run wrote: all unchanged
    with sqlite3.connect(state.manifest_path(out)) as db:
        (head,) = db.execute("SELECT report FROM last_run").fetchone()
        rows = db.execute("SELECT list, count(*) FROM last_run_rows GROUP BY list ORDER BY list").fetchall()
    assert not set(json.loads(head)) & set(state.LAST_RUN_LISTS)  # no per-item list in the JSON
    assert dict(rows) == {"drafts": len(full.drafts), "warnings": len(full.warnings)}

    def no_reading(*args, **kwargs):
        raise AssertionError("the export was read although the inputs are the same")

    monkeypatch.setattr(pipeline, "scan", no_reading)
    replayed = migrate(out)
    assert replayed.to_dict() == full.to_dict() and full.changes.unchanged > 500
    assert replayed.summary(verbose=True) == full.summary(verbose=True)
    assert state.dump(out)["last_run"]["report"]["warnings"] == full.to_dict()["warnings"]


def _as_version_1(out):
    """The store as the tool before version 2 left it: the snapshot whole in `last_run.report`,
    no `last_run_rows`, version 1."""
    with state.load(out) as manifest:
        whole = json.dumps(manifest._last_report(manifest.last_run()), ensure_ascii=False)
    with sqlite3.connect(state.manifest_path(out)) as db:
        db.execute("UPDATE last_run SET report = ?", (whole,))
        db.execute("DROP TABLE last_run_rows")
        db.execute("UPDATE meta SET value = '1' WHERE name = 'version'")
    db.close()


def test_a_version_1_store_opens_its_last_run_is_not_replayed_and_it_becomes_version_2(tmp_path, monkeypatch):
    out = tmp_path / "site"
    full = migrate(out)
    _as_version_1(out)
    assert state.dump(out)["last_run"] == {}  # read as version 2, the old last run dropped...
    with sqlite3.connect(state.manifest_path(out)) as db:  # ...but a look changes nothing on disk
        assert db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone() == ("1",)
    db.close()
    scans = []
    real_scan = pipeline.scan
    monkeypatch.setattr(pipeline, "scan", lambda *a, **k: scans.append(1) or real_scan(*a, **k))
    again = migrate(out)  # the full way: converts and compares, writes nothing new
    assert scans == [1]
    assert again.changes.unchanged == len(full.changes.new) and not again.changes.new
    assert again.to_dict()["warnings"] == full.to_dict()["warnings"]
    with sqlite3.connect(state.manifest_path(out)) as db:
        assert db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone() == (
            str(state.STORE_VERSION),
        )
        assert db.execute("SELECT count(*) FROM last_run_rows").fetchone() == (
            len(full.warnings) + len(full.drafts),
        )
    db.close()
    third = migrate(out)
    assert scans == [1] and third.to_dict() == again.to_dict()  # replayed from the new rows


def test_a_draft_row_keeps_its_password_flag_a_boolean():
    report = Report()
    report.drafts.extend([Draft(2, "private", "b", "p/b.md", True), Draft(1, "draft", "a", "p/a.md")])
    assert [d.password for d in report.drafts] == [False, True]
    assert json.loads("".join(iter_json({"d": report.drafts})))["d"][1]["password"] is True

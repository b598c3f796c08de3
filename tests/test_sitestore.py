"""The site index in an SQLite file, as worker processes read it: the same index, a small pickle."""

import pickle
import sqlite3
import subprocess
import sys

import pytest

from migrate import sitestore
from migrate.document import render_item
from migrate.models import Author, SiteIndex, Term
from migrate.plan import iter_items, scan

from .test_golden import SAMPLE
from .test_parallel import GENERATOR, TEMPLATE


@pytest.fixture(scope="module")
def sample_plan():
    return scan([SAMPLE])


@pytest.fixture
def stored(sample_plan, tmp_path):
    yield sitestore.stored(sample_plan.index, tmp_path / "index.sqlite")
    sitestore.close_all()


def test_every_table_reads_back_as_it_was_written(sample_plan, stored):
    index = sample_plan.index
    assert index.attachments and index.targets and index.targets_by_path and index.authors and index.terms
    for name in sitestore.TABLES:
        original, table = getattr(index, name), getattr(stored, name)
        assert len(table) == len(original)
        assert list(table) == list(original)  # keys in the order they were added
        assert dict(table.items()) == original, name
    assert dict(stored.attachments_by_parent.items()) == index.attachments_by_parent
    assert (stored.site_hosts, stored.base_urls) == (index.site_hosts, index.base_urls)
    assert stored.utc_offset_minutes == index.utc_offset_minutes


def test_missing_keys_are_missing(stored):
    assert stored.targets.get(999_999) is None
    assert "/no/such/page/" not in stored.targets_by_path
    assert stored.attachments_by_parent.get(999_999, []) == []
    with pytest.raises(KeyError):
        stored.attachments[999_999]


def test_it_pickles_as_a_path_not_as_the_site(sample_plan, stored):
    small = pickle.dumps(stored)
    assert len(small) < len(pickle.dumps(sample_plan.index)) / 4
    assert len(small) < 2000
    again = pickle.loads(small)  # as a worker receives it: opens the file on first lookup
    assert dict(again.targets.items()) == sample_plan.index.targets


@pytest.mark.skipif(not GENERATOR.is_file() or not TEMPLATE.is_file(), reason="shared bench not present")
def test_items_render_the_same_from_the_file(tmp_path):
    export = tmp_path / "wxr-60.xml"
    generate = [sys.executable, str(GENERATOR), str(TEMPLATE), "60", str(export), "--seed", "3"]
    subprocess.run(generate, check=True, capture_output=True)
    for path in (export, SAMPLE):  # links, galleries, featured images, authors all look things up
        plan = scan([path])
        stored = sitestore.stored(plan.index, tmp_path / f"{path.stem}.sqlite")
        try:
            rendered = 0
            for ordinal, item in enumerate(iter_items([path], comments=False)):
                entry = plan.entries.get(ordinal)
                if entry is not None:
                    assert render_item(item, entry, stored) == render_item(item, entry, plan.index)
                    rendered += 1
            assert rendered > 10
        finally:
            sitestore.close_all()


def test_keys_are_found_whichever_equal_object_asks(tmp_path):
    # A tuple holding one string twice pickles differently from an equal one holding two copies.
    same = "genre"
    index = SiteIndex(terms={(same, same): Term("genre", "genre", "Género")}, authors={"ana": Author("ana", "Ana")})
    stored = sitestore.stored(index, tmp_path / "index.sqlite")
    try:
        assert stored.terms[("genre", "".join(["gen", "re"]))].name == "Género"
        assert list(stored.terms) == [("genre", "genre")] and stored.authors["ana"].display_name == "Ana"
    finally:
        sitestore.close_all()


def test_a_site_without_terms_still_looks_terms_up_by_pair(tmp_path):
    # Tables keyed by (kind, slug) are known by name, not by their first key: an empty one too.
    stored = sitestore.stored(SiteIndex(), tmp_path / "index.sqlite")
    try:
        assert stored.terms.get(("category", "news")) is None
        assert ("feed", "") not in stored.archive_urls
    finally:
        sitestore.close_all()


def test_a_table_behaves_as_a_dict_across_batches(tmp_path, monkeypatch):
    # Small batches, so that reads and iterations cross many flushed batches and pending writes.
    monkeypatch.setattr(sitestore, "_BATCH", 7)
    monkeypatch.setattr(sitestore, "_CHUNK", 5)
    store = sitestore.Store(tmp_path / "scratch.sqlite")
    try:
        table, model = store.table("t"), {}
        for n in range(60):
            key = (n * 37) % 101
            table[key] = model[key] = ("v", n)
            if n % 3 == 0:
                table.add(key, "ignored")  # there already: unchanged
                table.add(-n - 1, ("new", n))  # not there: added, like setdefault
                model.setdefault(-n - 1, ("new", n))
        assert len(table) == len(model)
        assert list(table) == list(model)  # the order keys were first added, replaced or not
        assert list(table.items()) == list(model.items())
        assert list(table.sorted_items()) == sorted(model.items())
        for key, value in table.items():  # rewriting rows while iterating keeps their places
            table[key] = model[key] = (value, "again")
        assert list(table.items()) == list(model.items())
        del table[0], model[0]
        assert 0 not in table and table.get(0) is None and len(table) == len(model)
        with pytest.raises(KeyError):
            del table[0]
    finally:
        store.close()


def test_pass_1_writes_the_index_and_the_plan_into_the_scratch_file(tmp_path):
    path = tmp_path / "scratch.sqlite"
    store = sitestore.Store(path)
    try:
        plan = scan([SAMPLE], store=store)
        in_memory = scan([SAMPLE])
        store.publish(plan.index)
        # Every per-item table is a table of the file, with the rows a dict would have held.
        per_item = {
            "entries": plan.entries,
            "digests": plan.digests,
            "drafts": plan.drafts,
            "attachments": plan.index.attachments,
            "targets": plan.index.targets,
            "targets_by_path": plan.index.targets_by_path,
            "attachment_pages": plan.index.attachment_pages,
        }
        reader = sqlite3.connect(path)
        for name, table in per_item.items():
            assert isinstance(table, sitestore.Table), name
            rows = reader.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # noqa: S608
            assert rows == len(table) > 0, name
        reader.close()
        assert dict(plan.entries.items()) == dict(in_memory.entries.items())
        assert list(plan.index.targets.items()) == list(in_memory.index.targets.items())
        groups = plan.index.attachments_by_parent
        assert dict(groups.items()) == dict(in_memory.index.attachments_by_parent.items())
        entry = next(iter(plan.entries.values()))
        assert plan.entry_of(entry.item_id) == entry and plan.entry_of(999_999) is None
    finally:
        store.close()

"""The manifest store's views (migrate/state.py): Mappings over SQLite tables that a run reads and
changes a record at a time, walked in key order a page at a time, never held whole."""

import random

from migrate import state
from migrate.state import ItemState, LastRun, MediaState


def _item(n):
    return ItemState(
        f"content/posts/p{n}.md", f"s{n}", f"w{n}", f"/p{n}/", [f"/old{n}/"], {"warnings": [f"n{n}"]}
    )


def test_items_are_walked_in_id_order_across_pages_and_may_be_deleted_during_the_walk():
    manifest = state.Manifest()
    ids = list(range(1, 3 * state._PAGE + 7))
    random.Random(1).shuffle(ids)
    site = manifest.site("http://example.com")
    for n in ids:
        site.items[n] = _item(n)
    manifest.site("http://example.com#authors").items[0] = _item(0)  # another table: not walked
    assert list(site.items) == sorted(ids) and len(site.items) == len(ids)
    assert site.items[7] == _item(7) and site.paths[7] == "content/posts/p7.md" and 0 not in site.items
    walked = []
    for n, item in site.items.items():
        walked.append(n)
        assert item == _item(n)
        if n % 2:
            del site.items[n]
    assert walked == sorted(ids)
    assert list(site.paths.items()) == [(n, f"content/posts/p{n}.md") for n in sorted(ids) if n % 2 == 0]
    assert sorted(manifest.sites) == ["http://example.com", "http://example.com#authors"]


def test_media_keys_walk_in_the_order_python_sorts_them():
    manifest = state.Manifest()
    keys = [f"wp-content/uploads/{c}{n}.png" for n in range(state._PAGE + 3) for c in ("a", "Z", "é", "日")]
    for key in reversed(keys):
        manifest.media[key] = MediaState(f"http://example.com/{key}", f"static/{key}", 1, "h", 2)
    assert list(manifest.media) == sorted(keys)
    assert [k for k, _ in manifest.media.items()] == sorted(keys)
    manifest.media.pop(keys[0])
    assert keys[0] not in manifest.media and len(manifest.media) == len(keys) - 1


def test_the_last_run_is_rows_and_dumps_in_the_version_1_shape():
    manifest = state.Manifest()
    site = manifest.site("s")
    for n in (3, 1, 2):
        site.items[n] = _item(n)
        manifest.note_last_run("s", n)
    manifest.note_last_run("s", 9)  # settled, but no record (a conflict with a file in the way)
    manifest.note_last_run("s#terms:tag", 4)
    manifest.set_last_run(LastRun("k", "s", False, '{"a": 1}'))
    site.items[5] = _item(5)  # not in the last run: gone from its export
    assert manifest.last_run_missing("s") == 1
    assert list(manifest.last_run_records("s")) == [
        (1, _item(1).path),
        (2, _item(2).path),
        (3, _item(3).path),
    ]
    assert list(manifest.not_in_last_run("s")) == [(5, _item(5).path)]
    assert manifest.to_dict()["last_run"] == {
        "key": "k",
        "site": "s",
        "ids": [1, 2, 3, 9],
        "media": [],
        "report": {"a": 1},
        "pages": {"s#terms:tag": [4]},
    }
    manifest.clear_last_run()
    assert manifest.last_run() is None and manifest.to_dict()["last_run"] == {}

"""Pass 2 reads the items pass 1 kept instead of parsing the exports again."""

from migrate import pipeline
from migrate.config import Config
from migrate.plan import iter_items
from migrate.spool import Spool

from .test_golden import GOLDEN, SAMPLE, SAMPLE_CONFIG, files, without_state


def test_items_come_back_as_they_went_in_in_any_order(tmp_path):
    items = list(iter_items([SAMPLE], comments=False))
    with Spool(tmp_path) as spool:
        for ordinal, item in enumerate(items):
            spool.add(ordinal, item)
        for ordinal in [5, 0, len(items) - 1, 5]:
            assert spool.get(ordinal) == items[ordinal]
        assert 3 in spool and len(items) not in spool
    assert list(tmp_path.iterdir()) == []  # an unnamed file: nothing left behind


def test_a_run_parses_each_export_once_and_writes_what_two_parses_wrote(tmp_path, monkeypatch):
    def second_parse(*_args, **_kwargs):
        raise AssertionError("pass 2 parsed the exports again")

    monkeypatch.setattr(pipeline, "iter_items", second_parse)
    out = tmp_path / "site"
    pipeline.run(Config(output=out, **SAMPLE_CONFIG))
    assert without_state(files(out)) == files(GOLDEN)
    # A re-run puts its spool in the site's state folder (unnamed): nothing is left there.
    (out / "content" / "posts" / "yes.md").unlink()
    pipeline.run(Config(output=out, force=True, **SAMPLE_CONFIG))
    assert without_state(files(out)) == files(GOLDEN)
    assert not [p for p in (out / ".wxr-migrate").rglob("*") if p.name.startswith("tmp")]

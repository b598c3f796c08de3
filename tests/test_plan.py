from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.plan import ItemIds, parse_wp_date, scan

from .helpers import item, meta, write_wxr

ROOT = Path(__file__).resolve().parents[1]


def plan_for(tmp_path, *items):
    return scan([write_wxr(tmp_path / "e.xml", *items)])


def paths(plan):
    return {e.item_id: e.path for e in plan.entries.values()}


def test_posts_pages_and_custom_types_get_their_folders(tmp_path):
    plan = plan_for(
        tmp_path,
        item(1, slug="hola"),
        item(2, post_type="page", slug="empresa", link="http://www.stackops.com/empresa/"),
        item(3, post_type="page", slug="equipo", parent=2, link="http://www.stackops.com/empresa/equipo/"),
        item(
            4,
            post_type="page",
            slug="madrid",
            parent=3,
            link="http://www.stackops.com/empresa/equipo/madrid/",
        ),
        item(5, post_type="portfolio", slug="nube-publica"),
    )
    assert paths(plan) == {
        1: "content/posts/hola.md",
        2: "content/empresa.md",
        3: "content/empresa/equipo.md",
        4: "content/empresa/equipo/madrid.md",
        5: "content/portfolio/nube-publica.md",
    }
    assert plan.index.targets[3].url == "/empresa/equipo/"


def test_internals_and_dead_statuses_are_skipped_and_counted(tmp_path):
    plan = plan_for(
        tmp_path,
        item(1),
        item(2, post_type="nav_menu_item"),
        item(3, post_type="revision", status="inherit"),
        item(4, status="trash"),
        item(5, status="auto-draft"),
        item(6, post_type="wp_global_styles"),
        item(7, post_type="customize_changeset"),
        item(8, post_type="oembed_cache"),
        item(9, post_type="custom_css"),
        item(10, post_type="attachment", status="inherit"),
    )
    assert list(paths(plan)) == [1]
    assert plan.skipped == {
        "nav_menu_item": 1,
        "revision": 1,
        "post (trash)": 1,
        "post (auto-draft)": 1,
        "wp_global_styles": 1,
        "customize_changeset": 1,
        "oembed_cache": 1,
        "custom_css": 1,
        "attachment": 1,
    }
    assert 10 in plan.index.attachments


def test_unpublished_and_password_items_are_drafts(tmp_path):
    plan = plan_for(
        tmp_path,
        item(1),
        item(2, status="draft"),
        item(3, status="pending"),
        item(4, status="future"),
        item(5, status="private"),
        item(6, password="secreto"),
    )
    assert {e.item_id: e.draft for e in plan.entries.values()} == {
        1: False,
        2: True,
        3: True,
        4: False,  # scheduled: published when its date comes, not a draft
        5: True,
        6: True,
    }
    assert list(plan.scheduled.values()) == ["Hola"]
    assert sorted(s for s, _, _ in plan.drafts.values()) == ["draft", "pending", "private", "publish"]


def test_colliding_paths_get_a_deterministic_id_suffix_case_insensitively(tmp_path):
    plan = plan_for(
        tmp_path,
        item(30, slug="Novedades"),
        item(12, slug="novedades"),
        item(40, slug="novedades-30"),
    )
    assert paths(plan) == {
        12: "content/posts/novedades.md",
        30: "content/posts/Novedades-30-30.md",
        40: "content/posts/novedades-30.md",
    }
    assert [w.kind for w in plan.warnings] == ["path-collision"]


def test_a_published_item_keeps_the_clean_name_over_a_draft(tmp_path):
    plan = plan_for(
        tmp_path,
        item(12, slug="novedades", status="draft", link="http://www.stackops.com/?p=12"),
        item(30, slug="novedades"),
    )
    assert paths(plan) == {30: "content/posts/novedades.md", 12: "content/posts/novedades-12.md"}
    (warning,) = plan.warnings
    assert (
        warning.message == "content/posts/novedades.md is item 30's; written as content/posts/novedades-12.md"
    )


def test_a_clean_name_given_in_the_last_run_stays_with_its_item(tmp_path):
    export = write_wxr(
        tmp_path / "e.xml",
        item(12, slug="novedades", status="draft", link="http://www.stackops.com/?p=12"),
        item(30, slug="novedades"),
    )
    site = "http://www.stackops.com"
    # The last run (an older tool) gave the draft the clean name: its file stays where it is.
    last = {12: "content/posts/novedades.md", 30: "content/posts/novedades-30.md"}
    assert paths(scan([export], held={site: last})) == last
    # A published post alone at the clean name keeps it when a draft with a lower id comes.
    last = {30: "content/posts/novedades/index.md"}
    got = paths(scan([export], held={site: last}))
    assert got == {30: "content/posts/novedades.md", 12: "content/posts/novedades-12.md"}
    assert paths(scan([export], held={"http://elsewhere.example": {12: "content/posts/novedades.md"}})) == got


def test_empty_slug_uses_title_and_draft_has_hugo_url(tmp_path):
    plan = plan_for(
        tmp_path,
        item(
            9,
            "Borrador sin título",
            status="draft",
            slug="",
            link="http://www.stackops.com/?p=9",
            date_gmt="0000-00-00 00:00:00",
        ),
    )
    (entry,) = plan.entries.values()
    assert entry.path == "content/posts/borrador-sin-título.md"
    assert entry.url == ""
    assert plan.index.targets[9].url == "/posts/borrador-sin-título/"


def test_old_slugs_become_aliases(tmp_path):
    plan = plan_for(
        tmp_path, item(5, slug="nuevo", extra=meta("_wp_old_slug", "viejo") + meta("_wp_old_slug", "nuevo"))
    )
    (entry,) = plan.entries.values()
    assert entry.url == "/2011/10/03/nuevo/"
    assert entry.aliases == ("/2011/10/03/viejo/",)


def test_site_hosts_offset_and_permalink_index(tmp_path):
    plan = plan_for(
        tmp_path,
        item(1, date="2011-10-03 15:20:25", date_gmt="2011-10-03 13:20:25"),
        item(2, date="2011-12-03 14:00:00", date_gmt="2011-12-03 13:00:00"),
        item(3, date="2011-12-04 14:00:00", date_gmt="2011-12-04 13:00:00"),
    )
    assert plan.index.site_hosts == {"www.stackops.com", "stackops.com"}
    assert plan.index.utc_offset_minutes == 60
    assert plan.index.targets_by_path["/2011/10/03/post-1/"].id == 1


def test_duplicate_ids_keep_the_first(tmp_path):
    plan = plan_for(tmp_path, item(1, slug="a"), item(1, slug="b"))
    assert paths(plan) == {1: "content/posts/a.md"}
    assert plan.skipped["duplicate id"] == 1


def test_split_export_resolves_across_files(tmp_path):
    first = write_wxr(tmp_path / "1.xml", item(1, extra=meta("_thumbnail_id", "50")))
    second = write_wxr(tmp_path / "2.xml", item(50, post_type="attachment", status="inherit"), item(2))
    plan = scan([first, second])
    assert 50 in plan.index.attachments and 2 in plan.index.targets
    assert sorted(paths(plan).values()) == ["content/posts/post-1.md", "content/posts/post-2.md"]


def test_without_a_media_step_bodies_and_attachment_metadata_are_not_read_for_media():
    sample = ROOT / "samples" / "blog-es.xml"
    with_media, without = scan([sample]), scan([sample], media=False)
    assert with_media.entries == without.entries and with_media.digests == without.digests
    assert with_media.media_refs and not without.media_refs
    assert any(a.sizes for a in with_media.index.attachments.values())
    assert all(a.sizes is None and a.filesize == 0 for a in without.index.attachments.values())


def test_attachment_pages_are_indexed_by_their_old_path(tmp_path):
    page = "http://www.stackops.com/2011/10/03/post-1/boston/"
    attachment = item(5, post_type="attachment", status="inherit", parent=1, link=page)
    plan = scan([write_wxr(tmp_path / "e.xml", item(1), attachment)])
    assert plan.index.attachment_pages == {"/2011/10/03/post-1/boston/": 5}


def _strptime(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _number(top: int) -> st.SearchStrategy[str]:
    """A number up to `top`, zero-padded to 1 to 4 digits (WordPress pads; a hand-edit may not)."""
    return st.builds(lambda n, width: f"{n:0{width}d}", st.integers(0, top), st.integers(1, 4))


@given(
    st.tuples(st.integers(1, 9999).map("{:04d}".format), *map(_number, (14, 33, 25, 61, 61))),
    st.sampled_from([" ", " ", " ", "T", "  "]),
)
@settings(max_examples=300)
def test_a_wordpress_date_reads_as_strptime_reads_it(parts, gap):
    # parse_wp_date reads WordPress's own form with fromisoformat: the same dates, the same refusals
    # (month 13, day 32, hour 24...) as the strptime format it replaced, which reads the rest.
    year, month, day, hour, minute, second = parts
    text = f"{year}-{month}-{day}{gap}{hour}:{minute}:{second}"
    expected = None if text.startswith("0000") else _strptime(text)
    assert parse_wp_date(text) == expected


def test_a_wordpress_date_in_its_usual_form_and_others():
    assert parse_wp_date("2011-10-03 09:05:00") == datetime(2011, 10, 3, 9, 5)
    assert parse_wp_date("2011-1-3 9:05:00") == datetime(2011, 1, 3, 9, 5)  # unpadded: strptime
    assert parse_wp_date("2011-02-30 09:05:00") is None
    assert parse_wp_date("0000-00-00 00:00:00") is None
    assert parse_wp_date("2011-10-03T09:05:00") is None  # not WordPress's: refused as before


@given(st.sets(st.integers(-(2**40), 2**40)), st.lists(st.integers(-(2**40), 2**40)))
def test_item_ids_hold_what_a_set_holds(ids, asked):
    # The end of a run asks, for each manifest record, whether its item is still in the export.
    held = ItemIds(sorted(ids))
    assert len(held) == len(ids)
    for item_id in [*asked, *ids]:
        assert (item_id in held) == (item_id in ids)
    assert "7" not in held


def test_a_plan_gives_the_ids_of_the_items_that_become_files(tmp_path):
    from migrate.sitestore import Store

    export = write_wxr(tmp_path / "e.xml", item(30), item(4, "Cuatro"), item(1000, "Mil"))
    for store in (None, Store(tmp_path / "index.sqlite")):
        ids = scan([export], store=store).item_ids()
        assert len(ids) == 3 and all(i in ids for i in (4, 30, 1000)) and 5 not in ids

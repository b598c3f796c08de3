"""The source markup detector over every post of every real export: exactly the known detections.

Each detection below was checked by eye (the post's source reads as Textile: `"text":url` links,
`*strong*`, `fn1.` footnotes, and renders as Textile). Every other item of every export must stay
HTML: a false positive would mangle an HTML post, so the expected false-positive count is 0. The
Markdown-looking posts of blog-duncan-macvicar (`[text][1]`, `### `) are text WordPress.com showed
as it was, and must stay HTML too. Corpus folder: tests.helpers.CORPUS ($WXR_CORPUS).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.convert.sourcemarkup import HTML, detect, is_wordpress_com
from migrate.models import Channel, Item
from migrate.plan import skip_reason
from migrate.wxr import ReadOptions, iter_records
from tests.helpers import CORPUS

EXPORTS = sorted(CORPUS.glob("*.xml")) if CORPUS.is_dir() else []

EXPECTED: dict[str, dict[int, str]] = {
    "blog-cclabs-wxr12.xml": {
        8: "textile",  # Summer of Code Projects: "Summer of Code":http://…, * lists
        9: "textile",  # WordPress MU v. Lyceum: links, *at least*, forums[1] … fn1. footnotes
        15: "textile",  # CC Tools @ Berlios Unavailable: four "text":url links
        16: "textile",  # StuffIt 10 Considered Harmful: links, SIG(Special Interest Group), an HTML <div>
        22: "textile",  # VMware Workstation 6 released: six links
        28: "textile",  # CC: The Clear Choice for BotNets: one link, _I'd_, *K_Soze*, an IRC log
        37: "textile",  # Enhanced Metadata Graduates from Labs: links beside an HTML <div> block
        1703: "textile",  # wiki.creativecommons.org skin available: two links
        1704: "textile",  # Berlios.de back online: two links
    },
}


def detections(export: Path) -> tuple[int, dict[int, str]]:
    """(items converted, {item id: markup} for those not detected as HTML) of one export."""
    bodies: list[tuple[int, str]] = []
    generator = ""
    for record in iter_records(export, ReadOptions(salvage=True), comments=False):
        if isinstance(record, Item) and not skip_reason(record) and record.post_type != "attachment":
            bodies.append((record.id, record.content))
        elif isinstance(record, Channel):
            generator = generator or record.generator.strip()
    wordpress_com = is_wordpress_com(generator)
    found = {i: detect(body, wordpress_com=wordpress_com) for i, body in bodies}
    return len(bodies), {i: markup for i, markup in found.items() if markup != HTML}


@pytest.mark.skipif(not EXPORTS, reason=f"corpus not present at {CORPUS}")
@pytest.mark.parametrize("export", EXPORTS, ids=[p.name for p in EXPORTS])
def test_exactly_the_known_posts_are_detected(export):
    _, found = detections(export)
    assert found == EXPECTED.get(export.name, {})


@pytest.mark.skipif(not EXPORTS, reason=f"corpus not present at {CORPUS}")
def test_every_expected_export_is_in_the_corpus():
    assert set(EXPECTED) <= {p.name for p in EXPORTS}

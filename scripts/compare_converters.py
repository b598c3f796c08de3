"""Convert every body of a corpus with html2text fed by libxml2 (the tool's path) and by Python's
`html.parser` (the path before it), and list every Markdown that differs.

    python scripts/compare_converters.py [--corpus DIR] [--show N] [--check] [EXPORT.xml ...]

Each item's content, excerpt and comments go through convert_body, the way the pipeline calls it
(source markup "auto"); every html_to_markdown call in it (bodies, table cells, captions) is made
both ways, the Markdown compared, and the time spent in each tokenizer's html2text summed. Prints a
line per export with a difference, the first N differences in full, and the totals. `--check`:
exit 1 when any Markdown differs. Exports the reader refuses are skipped (counted).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import html2text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from migrate.convert import convert_body, markdown  # noqa: E402
from migrate.models import Item, SiteIndex  # noqa: E402
from migrate.wxr import ExportError, ReadOptions, iter_records  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("WXR_CORPUS") or ROOT.parent / "shared" / "corpus")


@contextmanager
def stdlib_tokenizer() -> Iterator[None]:
    """The converter as it was: html2text's own `handle`, `html.parser` decoding references."""
    saved = markdown._Converter.handle

    def handle(self: markdown._Converter, data: str) -> str:
        self.convert_charrefs = True
        return html2text.HTML2Text.handle(self, data)

    markdown._Converter.handle = handle  # type: ignore[method-assign]
    try:
        yield
    finally:
        markdown._Converter.handle = saved  # type: ignore[method-assign]


@dataclass
class Tally:
    calls: int = 0
    seconds_lxml: float = 0.0
    seconds_stdlib: float = 0.0
    differences: list[tuple[str, str, str, str]] = field(default_factory=list)  # where, html, old, new


@contextmanager
def comparing(tally: Tally, where: Callable[[], str]) -> Iterator[None]:
    """Every html_to_markdown call made both ways while inside; the tool's result is returned."""
    original = markdown.html_to_markdown

    def both(markup: str, tokens: str = "", has_block: Callable[[str], bool] | None = None) -> str:
        started = time.perf_counter()
        new = original(markup, tokens, has_block)
        middle = time.perf_counter()
        with stdlib_tokenizer():
            old = original(markup, tokens, has_block)
        tally.seconds_lxml += middle - started
        tally.seconds_stdlib += time.perf_counter() - middle
        tally.calls += 1
        if old != new:
            tally.differences.append((where(), markup, old, new))
        return new

    markdown.html_to_markdown = both  # type: ignore[assignment]
    try:
        yield
    finally:
        markdown.html_to_markdown = original  # type: ignore[assignment]


def bodies(item: Item) -> Iterator[tuple[str, str]]:
    yield f"item {item.id}", item.content
    yield f"item {item.id} excerpt", item.excerpt
    for comment in item.comments:
        yield f"item {item.id} comment {comment.id}", comment.content


def compare(path: Path, tally: Tally) -> None:
    label = [""]
    index = SiteIndex()
    with comparing(tally, lambda: f"{path.name} {label[0]}"):
        for record in iter_records(path, ReadOptions(salvage=True)):
            if not isinstance(record, Item) or record.post_type in ("attachment", "nav_menu_item"):
                continue
            for label[0], body in bodies(record):
                if body.strip():
                    convert_body(body, index, post_id=record.id, source_markup="auto")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=int, default=10, help="differences printed in full")
    parser.add_argument("--check", action="store_true", help="exit 1 when any Markdown differs")
    args = parser.parse_args(argv)
    paths = args.exports or sorted(p for p in args.corpus.iterdir() if p.suffix in (".xml", ".gz", ".zip"))
    tally = Tally()
    refused = 0
    for path in paths:
        before = len(tally.differences)
        try:
            compare(path, tally)
        except ExportError:
            refused += 1
            continue
        if len(tally.differences) > before:
            print(f"{path.name}: {len(tally.differences) - before} differ")
    for where, markup, old, new in tally.differences[: args.show]:
        print(f"\n--- {where}\n{markup[:2000]}\n")
        lines = old.splitlines(), new.splitlines()
        print("\n".join(difflib.unified_diff(*lines, "html.parser", "libxml2", lineterm="", n=1)))
    ratio = tally.seconds_lxml / tally.seconds_stdlib if tally.seconds_stdlib else 0.0
    print(
        f"\n{len(paths) - refused} exports ({refused} refused), {tally.calls} conversions, "
        f"{len(tally.differences)} differ; html_to_markdown: libxml2 {tally.seconds_lxml:.2f} s, "
        f"html.parser {tally.seconds_stdlib:.2f} s ({ratio:.2f}×)"
    )
    return 1 if args.check and tally.differences else 0


if __name__ == "__main__":
    sys.exit(main())

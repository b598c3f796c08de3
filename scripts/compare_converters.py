"""Convert every body of a corpus with two HTML → Markdown converters and list every Markdown that
differs, timing each: the tool's against html2text on Python's `html.parser` (the path before the
libxml2 tokenizer), or against the converter of another git revision (`--before REF`).

    python scripts/compare_converters.py [--before REF] [--repeat N] [--show N] [--check]
        [--save FILE] [--against FILE] [--corpus DIR] [EXPORT.xml | DIR ...]

Each item's content, excerpt and comments go through convert_body once, the way the pipeline
calls it (source markup "auto"), and every html_to_markdown call it makes (bodies, table cells,
captions) is recorded with what its `has_block` answered. The recorded calls are then replayed
through both converters, `--repeat` times, the two sides interleaved (new, old, new, old…), each
side timed with `time.process_time` (CPU of this process: the machine's other load does not
count). Prints a line per export with a difference, the first N differences in full, and the
totals with the best and the median time of each side. `--check`: exit 1 when any Markdown
differs. `--save FILE` writes this tree's Markdown by call (JSON, key → Markdown); `--against
FILE` compares with such a file as well, so a change can be checked against a saved run of
`main`. Exports the reader refuses are skipped (counted). A directory stands for the exports in
it; with none given, the corpus.

`--before REF`: REF's `migrate/convert` is extracted with `git archive` and imported under another
package name, so both converters run in this one process on the same inputs.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import types
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
EXPORT_SUFFIXES = (".xml", ".gz", ".zip")

Convert = Callable[[str, str, Callable[[str], bool] | None], str]


@dataclass
class Call:
    """One html_to_markdown call as convert_body made it."""

    key: str  # export, item, part, and the call's number within that part
    markup: str
    tokens: str
    blocks: dict[str, bool] | None  # what has_block answered, by text; None: no has_block given

    def has_block(self) -> Callable[[str], bool] | None:
        blocks = self.blocks
        if blocks is None:
            return None

        def answer(text: str) -> bool:
            if text not in blocks:  # the two sides asked different questions: their output differs
                raise KeyError(f"has_block({text[:60]!r}) was not asked when recording")
            return blocks[text]

        return answer


@dataclass
class Tally:
    calls: int = 0
    seconds_new: list[float] = field(default_factory=list)  # one per repeat
    seconds_old: list[float] = field(default_factory=list)
    differences: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, html, old, new


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


def stdlib_converter(markup: str, tokens: str = "", has_block: Callable[[str], bool] | None = None) -> str:
    with stdlib_tokenizer():
        return markdown.html_to_markdown(markup, tokens, has_block)


def revision_converter(ref: str, workdir: Path) -> Convert:
    """REF's html_to_markdown, imported from `git archive REF migrate/convert` as a package of
    its own (its modules import each other relatively; its `__init__` is not run)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "migrate/convert"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(workdir, filter="data")
    name = "_converter_before"
    package = types.ModuleType(name)
    package.__path__ = [str(workdir / "migrate" / "convert")]
    sys.modules[name] = package
    return importlib.import_module(name + ".markdown").html_to_markdown


def export_paths(args: list[Path], corpus: Path) -> list[Path]:
    paths: list[Path] = []
    for path in args or [corpus]:
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix in EXPORT_SUFFIXES)
        else:
            paths.append(path)
    return paths


def bodies(item: Item) -> Iterator[tuple[str, str]]:
    yield f"item {item.id}", item.content
    yield f"item {item.id} excerpt", item.excerpt
    for comment in item.comments:
        yield f"item {item.id} comment {comment.id}", comment.content


def record(path: Path, calls: list[Call]) -> None:
    """Append every html_to_markdown call that converting `path`'s bodies makes."""
    label = [""]
    numbers: dict[str, int] = {}
    original = markdown.html_to_markdown

    def recording(markup: str, tokens: str = "", has_block: Callable[[str], bool] | None = None) -> str:
        where = f"{path.name} {label[0]}"
        numbers[where] = numbers.get(where, -1) + 1
        blocks: dict[str, bool] | None = None
        asked = has_block
        if has_block is not None:
            blocks = {}

            def asked(text: str) -> bool:
                blocks[text] = answer = has_block(text)
                return answer

        calls.append(Call(f"{where} #{numbers[where]}", markup, tokens, blocks))
        return original(markup, tokens, asked)

    index = SiteIndex()
    markdown.html_to_markdown = recording  # type: ignore[assignment]
    try:
        for item in iter_records(path, ReadOptions(salvage=True)):
            if not isinstance(item, Item) or item.post_type in ("attachment", "nav_menu_item"):
                continue
            for label[0], body in bodies(item):
                if body.strip():
                    convert_body(body, index, post_id=item.id, source_markup="auto")
    finally:
        markdown.html_to_markdown = original  # type: ignore[assignment]


def replay(convert: Convert, calls: list[Call]) -> tuple[list[str], float]:
    """Every call through `convert`: the Markdown (or the error) of each, and the CPU seconds."""
    results: list[str] = []
    started = time.process_time()
    for call in calls:
        try:
            results.append(convert(call.markup, call.tokens, call.has_block()))
        except Exception as error:  # noqa: BLE001  a side that fails on an input differs on it
            results.append(f"<{type(error).__name__}: {error}>")
    return results, time.process_time() - started


def compare(calls: list[Call], new: Convert, old: Convert, repeat: int) -> tuple[Tally, list[str]]:
    tally = Tally(calls=len(calls))
    for _ in range(repeat):
        new_results, seconds = replay(new, calls)
        tally.seconds_new.append(seconds)
        old_results, seconds = replay(old, calls)
        tally.seconds_old.append(seconds)
    for call, before, after in zip(calls, old_results, new_results, strict=True):
        if before != after:
            tally.differences.append((call.key, call.markup, before, after))
    return tally, new_results


def seconds(times: list[float]) -> str:
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--before", metavar="REF", help="compare with REF's converter, not html.parser")
    parser.add_argument("--repeat", type=int, default=1, help="replays of each side, interleaved")
    parser.add_argument("--show", type=int, default=10, help="differences printed in full")
    parser.add_argument("--check", action="store_true", help="exit 1 when any Markdown differs")
    parser.add_argument("--save", type=Path, help="write this tree's Markdown by call (JSON)")
    parser.add_argument("--against", type=Path, help="also compare with Markdown saved by --save")
    args = parser.parse_args(argv)
    paths = export_paths(args.exports, args.corpus)
    calls: list[Call] = []
    refused = 0
    for path in paths:
        try:
            record(path, calls)
        except ExportError:
            refused += 1
    with tempfile.TemporaryDirectory() as workdir:
        old_name = args.before or "html.parser"
        old = revision_converter(args.before, Path(workdir)) if args.before else stdlib_converter
        tally, results = compare(calls, markdown.html_to_markdown, old, max(1, args.repeat))
    if args.save:
        args.save.write_text(json.dumps(dict(zip((c.key for c in calls), results, strict=True)), indent=0))
    saved_differ = 0
    if args.against:
        saved = json.loads(args.against.read_text())
        mine = {c.key: r for c, r in zip(calls, results, strict=True)}
        saved_differ = sum(saved.get(k) != v for k, v in mine.items()) + len(saved.keys() - mine.keys())
        print(f"against {args.against}: {len(saved)} saved, {len(mine)} now, {saved_differ} differ")
    per_export: dict[str, int] = {}
    for key, *_ in tally.differences:
        per_export[key.split(" ", 1)[0]] = per_export.get(key.split(" ", 1)[0], 0) + 1
    for name, count in per_export.items():
        print(f"{name}: {count} differ")
    for key, markup, before, after in tally.differences[: args.show]:
        print(f"\n--- {key}\n{markup[:2000]}\n")
        lines = before.splitlines(), after.splitlines()
        print("\n".join(difflib.unified_diff(*lines, old_name, "this tree", lineterm="", n=1)))
    ratio = min(tally.seconds_new) / min(tally.seconds_old) if min(tally.seconds_old) else 0.0
    print(
        f"\n{len(paths) - refused} exports ({refused} refused), {tally.calls} conversions, "
        f"{len(tally.differences)} differ; html_to_markdown CPU over {len(tally.seconds_new)} "
        f"interleaved replays: this tree {seconds(tally.seconds_new)}; {old_name} "
        f"{seconds(tally.seconds_old)} ({ratio:.2f}× by best)"
    )
    return 1 if args.check and (tally.differences or saved_differ) else 0


if __name__ == "__main__":
    sys.exit(main())

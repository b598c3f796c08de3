#!/usr/bin/env python3
"""What the main process holds per item, at the two moments its memory peaks (issue 16 point 2).

The bench (run.py) shows the main process growing with the export while the workers stay flat.
Moving that growth to disk needs to know which structures it is, and how many bytes per item
each costs. This script migrates a generated export in this process (the workers, forked before
the first pass, are left untraced) and, with tracemalloc started as the first pass begins, looks
twice:

- at the end of pass 1 (`plan.scan` returned): the site index, plan entries, digests;
- before the manifest is committed (`state.finish` called): the same, plus the manifest (a store on
  disk since issue 16 point 2: the object holds a SQLite connection, no records; SQLite's own page
  cache, bounded by state._CACHE_KIB, is C memory that tracemalloc does not see but RSS does), the
  report, and (by file:line only) the conversion pass's own tables.

Each time it prints the top allocation sites grouped by file:line, and the size of the named
structures, walked object by object (`sys.getsizeof` over what each one references; an object
reachable from two structures counts once, in the first listed), in bytes per item; and the
traced peak since the last look, the last one after the manifest is committed (the commit's own peak).

The index's and the plan's per-item tables are tables of the run's scratch SQLite file
(sitestore.py): what they hold in memory is their row caches and pending writes (the first table
listed also walks the store they share); the file's size on disk is printed beside them. SQLite's
own page cache is C memory: not traced, in the RSS.

    .venv/bin/python bench/memory_profile.py               # 10k posts (the bench's export)
    .venv/bin/python bench/memory_profile.py --size 1000 --top 20

Nothing touches the network: `--media none`.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import tracemalloc
import types
from collections.abc import Callable, Iterable
from pathlib import Path

from run import generate  # the bench's inputs: the same generated export, kept in its work folder

from migrate import cli, pipeline, state
from migrate.site import stage

KB = 1024
_SKIP = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def deep_size(obj: object, seen: set[int]) -> int:
    """Bytes of `obj` and of everything it references that `seen` does not hold yet (added to it)."""
    total, todo = 0, [obj]
    while todo:
        o = todo.pop()
        if id(o) in seen or isinstance(o, _SKIP):
            continue
        seen.add(id(o))
        total += sys.getsizeof(o)
        todo.extend(gc.get_referents(o))
    return total


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / KB


class Probe:
    """Snapshots taken from inside a run, through wrappers around three of the pipeline's calls."""

    def __init__(self, top: int) -> None:
        self.top = top
        self.plan: object = None
        self.manifest: object = None
        self.report: object = None
        self.lines: list[str] = []
        self.to_convert: object = None

    def install(self) -> None:
        scan, site, finish, ordinals = pipeline.scan, stage.write_site, state.finish, pipeline.Ordinals
        probe = self

        class SeenOrdinals(ordinals):  # type: ignore[misc, valid-type]
            def __init__(self) -> None:
                super().__init__()
                probe.to_convert = self

        pipeline.Ordinals = SeenOrdinals

        def traced_scan(*args: object, **kwargs: object) -> object:
            tracemalloc.start()
            plan = scan(*args, **kwargs)
            self.plan = plan
            self.look("end of pass 1 (plan.scan returned)", self.structures_pass1)
            return plan

        def seen_site(config: object, plan: object, manifest: object, report: object, *rest: object) -> None:
            self.plan, self.manifest, self.report = plan, manifest, report  # the plan targets.place made
            site(config, plan, manifest, report, *rest)

        def traced_finish(*args: object, **kwargs: object) -> None:
            self.look("before the manifest is committed (state.finish called)", self.structures_end)
            finish(*args, **kwargs)

        pipeline.scan, stage.write_site, state.finish = traced_scan, seen_site, traced_finish

    def structures_pass1(self) -> Iterable[tuple[str, object]]:
        plan = self.plan
        for name in plan.index.TABLES:
            yield f"SiteIndex.{name}", getattr(plan.index, name)
        yield "SiteIndex (the rest)", plan.index
        yield "plan entries (plan.entries)", plan.entries
        yield "digests (plan.digests)", plan.digests
        yield (
            "plan: media_refs, drafts, scheduled, terms_used",
            (
                plan.media_refs,
                plan.drafts,
                plan.scheduled,
                plan.terms_used,
            ),
        )
        yield "plan (the rest)", plan
        yield "conversion pass: items to convert (pipeline.Ordinals)", self.to_convert

    def structures_end(self) -> Iterable[tuple[str, object]]:
        yield from self.structures_pass1()
        yield "manifest (the store's object: records on disk)", self.manifest
        yield "report", self.report

    def look(self, moment: str, structures: Callable[[], Iterable[tuple[str, object]]]) -> None:
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, __file__)]
        )
        traced = sum(s.size for s in snapshot.statistics("filename"))
        items = len(self.plan.entries)
        out = self.lines
        store = getattr(self.plan.entries, "_store", None)
        on_disk = Path(store.path).stat().st_size if store is not None and store.path != ":memory:" else 0
        out += [
            f"\n## {moment}: {items:,} items, RSS {rss_mb():.0f} MB, traced since pass 1 began "
            f"{traced / KB / KB:.1f} MB ({traced / items:,.0f} B per item); {self.peak(items)}; "
            f"the scratch SQLite file {on_disk / KB / KB:.1f} MB on disk "
            f"({on_disk / items:,.0f} B per item)\n",
            "| allocated at | MB | blocks | bytes per item |",
            "|---|---:|---:|---:|",
        ]
        for stat in snapshot.statistics("lineno")[: self.top]:
            frame = stat.traceback[0]
            where = f"{_short(frame.filename)}:{frame.lineno}"
            out.append(f"| {where} | {stat.size / KB / KB:.2f} | {stat.count:,} | {stat.size / items:,.0f} |")
        out += ["", "| structure | MB | bytes per item |", "|---|---:|---:|"]
        seen: set[int] = set()
        total = 0
        for name, obj in structures():
            size = deep_size(obj, seen)
            total += size
            out.append(f"| {name} | {size / KB / KB:.2f} | {size / items:,.0f} |")
        out.append(f"| **all of the above** | {total / KB / KB:.2f} | {total / items:,.0f} |")
        tracemalloc.reset_peak()  # the next peak is the run's, not this look's (snapshot, seen set)

    @staticmethod
    def peak(items: int) -> str:
        """The traced peak since the last look ended (or since pass 1 began)."""
        peak = tracemalloc.get_traced_memory()[1]
        return f"peak since the last look {peak / KB / KB:.1f} MB ({peak / items:,.0f} B per item)"


def _short(filename: str) -> str:
    """A path from the package or the standard library's root, as a reader would look it up."""
    for marker in ("/migrate/", "/site-packages/", "/lib/python3"):
        if marker in filename:
            return filename[filename.index(marker) + 1 :]
    return filename


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="posts in the generated export")
    parser.add_argument("--top", type=int, default=15, help="allocation sites listed (default 15)")
    parser.add_argument("--jobs", type=int, default=0, help="wxr-migrate's --jobs (default: its own)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/wxr-migrate-bench"), help="inputs")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    export = generate(args.shared, args.size, args.workdir)
    probe = Probe(args.top)
    probe.install()
    out = Path(tempfile.mkdtemp(prefix="memory-profile-", dir=args.workdir))
    argv = [str(export), "-o", str(out / "site"), "--media", "none", "--quiet"]
    if args.jobs:
        argv += ["--jobs", str(args.jobs)]
    try:
        cli.main(argv, prog_name="wxr-migrate", standalone_mode=False)
    except SystemExit as done:  # 1: migrated, with something that needs a person
        if done.code not in (0, 1, None):
            raise
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if len(probe.lines) == 0:
        raise SystemExit("memory_profile: the run ended before pass 1 did")
    print(f"# Main process memory per item, {export.name} ({args.size:,} posts)")
    print("\n".join(probe.lines))
    print(f"\n## the manifest committed and the run ended: {probe.peak(len(probe.plan.entries))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

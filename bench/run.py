#!/usr/bin/env python3
"""Benchmark wxr-migrate on generated 1k and 10k-post exports, against baselines measured in the same run.

Run from the repository root with the project's venv (the package must be installed):

    .venv/bin/python bench/run.py                  # 1k and 10k: the table, then the targets
    .venv/bin/python bench/run.py --sizes 1000     # a quick look
    .venv/bin/python bench/run.py --peers          # also wxr2md, installed into a throwaway venv
    .venv/bin/python bench/run.py --before main    # also the tool as it is at a git ref: before/after
    .venv/bin/python bench/run.py --sizes 10000,100000   # issue 16's scale targets (100k: the tool alone)

Inputs come from `../shared/bench/gen_wxr.py` (template `../shared/corpus/theme-unit-test.xml`,
`--seed 1`) and are kept in the work folder between runs. Each run is a separate process whose
wall time and peak memory are measured from outside: memory is sampled from /proc for the process
and all its descendants (a process pool counts whole), as the sum of RSS and the sum of PSS (shared
pages split between the processes sharing them). Nothing touches the network: the migrations run
with `--media none` when the CLI has it, and with proxies pointed at a closed loopback port.

At 100k posts and more (SCALE_SIZE) only the tool itself runs, a full migration and an unchanged
re-run: the baselines, `--jobs 1`, the dry run, `--before` and the peer would add most of an hour
and are measured at the smaller sizes. Every migration row also records the peak RSS of the main
process alone, which is what grows with the export (the workers stay flat); issue 16's 100k targets
bound both.

Exit status: 0 when every target holds, 1 when one does not, 2 when a run failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
SAMPLE_SECONDS = 0.02
# Any HTTP request a run attempts fails at once instead of leaving the machine.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}

OUTPUTS = "outputs"  # below the work folder: every run's output, emptied before and after a bench
OUTPUT_KINDS = ("site", "site-jobs1", "site-dry", "wxr2md")

# Targets (issue 7), each a ratio or bound measured in one run of this script.
FULL_VS_HTML2TEXT = 0.65  # full migration of the largest export ≤ this × iterparse+html2text on one core
PEAK_RSS_MB = 150  # every migration run, at every size
RERUN_VS_FULL = 0.15  # unchanged re-run ≤ this × the full run
LINEAR_SLACK = 1.1  # wall(big) / wall(small) ≤ this × size(big) / size(small)
# Issue 16's targets at the largest size (printed with the others; the 100k ones need a 100k size).
FULL_VS_HTML2TEXT_16 = 1.1  # full migration ≤ this × iterparse+html2text on one core
JOBS1_VS_HTML2TEXT_16 = 1.8  # --jobs 1 ≤ this × iterparse+html2text
FULL_VS_PEER_16 = 0.6  # full migration ≤ this × wxr2md (with --peers)
RERUN_VS_FULL_16 = 0.05  # unchanged re-run ≤ this × the full run
# Issue 16 point 2 (flat memory): the sizes from which only the tool runs, and their targets.
SCALE_SIZE = 100_000
SCALE_TREE_RSS_MB = 200  # peak RSS of the process tree at 100k
SCALE_MAIN_RSS_MB = 100  # peak RSS of the main process alone at 100k
SCALE_GROWTH = 11  # wall(100k) / wall(10k) ≤ this


@dataclass
class Measure:
    wall: float  # seconds
    rss: float  # peak of the process tree's summed RSS, MB
    pss: float  # peak of the process tree's summed PSS, MB
    main_rss: float = 0.0  # peak RSS of the process started (the main process) alone, MB
    cpu: float = 0.0  # user + system CPU seconds of the process and every descendant it waited for


@dataclass
class Row:
    size: int
    name: str
    measures: list[Measure]
    items: int  # posts and pages the run migrated (for items/s)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(m.wall for m in self.measures)

    @property
    def rss(self) -> float:
        return max(m.rss for m in self.measures)

    @property
    def pss(self) -> float:
        return max(m.pss for m in self.measures)

    @property
    def main_rss(self) -> float:
        return max(m.main_rss for m in self.measures)

    @property
    def cpu(self) -> float:
        return statistics.median(m.cpu for m in self.measures)


# --- measuring a process tree ------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])  # the name may hold spaces and ")"
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree(pid: int) -> list[int]:
    children = _children()
    pids, i = [pid], 0
    while i < len(pids):
        pids.extend(children.get(pids[i], ()))
        i += 1
    return pids


def _field_kb(path: str, name: bytes) -> int:
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _memory(pid: int) -> tuple[int, int, int]:
    """(RSS, PSS) in kB, summed over `pid` and its descendants, and the RSS of `pid` alone."""
    rss = pss = main = 0
    for p in _tree(pid):
        own = _field_kb(f"/proc/{p}/status", b"VmRSS:")
        main = own if p == pid else main
        rss += own
        pss += _field_kb(f"/proc/{p}/smaps_rollup", b"Pss:")
    return rss, pss, main


def measure(cmd: list[str], cwd: Path | None = None) -> Measure:
    """Run `cmd`, sampling its process tree's memory; raise if it fails (exit status above 1)."""
    env = {**os.environ, **NO_NETWORK}
    if cwd is not None:  # a checkout of another version (--before): its package, not the installed one
        env["PYTHONPATH"] = str(cwd)
    # CPU time from the kernel's accounting: a waited-for child's time (its own workers' included,
    # once it has waited for them) is added to this process's RUSAGE_CHILDREN. Unlike wall time it
    # hardly moves when other work shares the cores, so the CPU ratios are the ones to compare.
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0, 0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[:] = map(max, peak, _memory(proc.pid))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):  # 1: migrated, with something that needs a person
        sys.stderr.write(err.decode(errors="replace"))
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode}")
    return Measure(wall, peak[0] / 1024, peak[1] / 1024, peak[2] / 1024, cpu)


# --- baselines, run in a process of their own ---------------------------------------------------


def baseline(kind: str, path: str) -> None:
    """lxml iterparse over every item, streaming; with "html2text", each body converted on one core."""
    import html2text
    from lxml import etree

    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    items = 0
    for _, item in etree.iterparse(path, tag="item", resolve_entities=False, no_network=True, load_dtd=False):
        body = item.findtext(content) or ""
        if kind == "html2text" and body.strip():
            html2text.HTML2Text(bodywidth=0).handle(body)
        items += 1
        item.clear(keep_tail=False)
        while item.getprevious() is not None:
            del item.getparent()[0]
    print(json.dumps({"items": items}))


# --- the runs -------------------------------------------------------------------------------------


def generate(shared: Path, size: int, workdir: Path) -> Path:
    out = workdir / f"wxr-{size}-seed1.xml"
    if not out.exists():
        tmp = out.with_suffix(".part")
        template = shared / "corpus" / "theme-unit-test.xml"
        gen = [sys.executable, str(shared / "bench" / "gen_wxr.py"), str(template), str(size), str(tmp)]
        subprocess.run([*gen, "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        tmp.rename(out)
    return out


def cli_options() -> str:
    done = subprocess.run([sys.executable, "-m", "migrate", "--help"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("bench: `python -m migrate --help` failed; install the package first")
    return done.stdout


def migrated(report: Path) -> tuple[int, int]:
    """(items migrated, files written) from a run's JSON report."""
    data = json.loads(report.read_text())
    return sum(data["items"].values()), data["files"]["written"]


def checkout(ref: str, workdir: Path) -> Path:
    """The package as it is at git `ref`, extracted (git archive) into the work folder."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=ROOT, capture_output=True, text=True
    )
    if commit.returncode != 0:
        raise SystemExit(f"bench: --before {ref}: not a commit of this repository")
    tree = workdir / f"before-{commit.stdout.strip()[:12]}"
    if not (tree / "migrate").is_dir():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", commit.stdout.strip(), "migrate"], cwd=ROOT, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def bench_size(
    size: int, export: Path, args: argparse.Namespace, options: str, peer: Path | None, before: Path | None
) -> list[Row]:
    work = args.workdir
    flags = ["--quiet"]
    if "--media" in options:
        flags += ["--media", "none"]
    if args.jobs and "--jobs" in options:
        flags += ["--jobs", str(args.jobs)]
    migrate = [sys.executable, "-m", "migrate", str(export), *flags]
    report = work / f"report-{size}.json"
    alone = size >= SCALE_SIZE  # the tool alone: the other runs would take most of an hour
    names = ["iterparse alone", "iterparse + html2text, 1 core", "full migration", "unchanged re-run"]
    if alone:
        names = names[2:]
        before = peer = None
    single = "--jobs" in options and args.jobs != 1 and not alone
    if single:
        names.insert(3, "full migration, --jobs 1")
    if "--dry-run" in options and not alone:
        names.append("dry run")
    before_names = (f"full migration ({args.before})", f"full migration, --jobs 1 ({args.before})")
    if before is not None:
        names += before_names
    if peer is not None:
        names.append("wxr2md 0.3.0 (peer)")
    runs: dict[str, list[Measure]] = {name: [] for name in names}
    notes: dict[str, str] = {}
    items = 0
    for n in range(args.repeat):
        # Every run writes into a folder of its own, never used before: a first migration goes
        # into an empty site, and deleting the last run's files would slow this one's writes.
        site, single_site, dry_site, peer_out = (
            work / OUTPUTS / f"{kind}-{size}-{n}" for kind in OUTPUT_KINDS
        )
        for kind, name in (("parse", "iterparse alone"), ("html2text", "iterparse + html2text, 1 core")):
            if name in runs:
                runs[name].append(measure([sys.executable, __file__, "--baseline", kind, str(export)]))
        runs["full migration"].append(measure([*migrate, "-o", str(site), "--report", str(report)]))
        items, written = migrated(report)
        notes["full migration"] = f"{written} files written"
        if single:  # the same run on one core: what the pool gains, and what it costs in memory
            runs["full migration, --jobs 1"].append(
                measure([*migrate, "-o", str(single_site), "--jobs", "1"])
            )
        runs["unchanged re-run"].append(measure([*migrate, "-o", str(site), "--report", str(report)]))
        notes["unchanged re-run"] = f"{migrated(report)[1]} files written"
        if "dry run" in runs:
            runs["dry run"].append(measure([*migrate, "-o", str(dry_site), "--dry-run"]))
            written = sum(1 for p in dry_site.rglob("*") if p.is_file()) if dry_site.exists() else 0
            notes["dry run"] = f"{written} files written"
        if before is not None:  # the same runs with the tool as it was: ratios within this bench run
            for name, extra in zip(before_names, ([], ["--jobs", "1"]), strict=True):
                out = work / OUTPUTS / f"before{len(extra)}-{size}-{n}"
                runs[name].append(measure([*migrate, "-o", str(out), *extra], cwd=before))
        if peer is not None:
            peer_run = [str(peer), "-m", "wxr2md", str(export), "--output", str(peer_out)]
            runs[names[-1]].append(measure(peer_run))
    return [Row(size, name, found, items, notes.get(name, "")) for name, found in runs.items()]


def install_peer(workdir: Path) -> Path:
    """wxr2md from PyPI in a throwaway venv; its python."""
    venv = workdir / "peer-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "wxr2md==0.3.0"], check=True)
    return python


# --- report ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    versions = []
    for name in ("lxml", "html2text", "PyYAML"):
        with contextlib.suppress(PackageNotFoundError):
            versions.append(f"{name} {version(name)}")
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {', '.join(versions)}"
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| export | run | wall | CPU | items/s | peak RSS (tree) | peak PSS (tree) | × iterparse "
        "| × iterparse+html2text | CPU × iterparse+html2text | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        base = {r.name: r for r in rows if r.size == row.size}
        ratios = [  # none at a scale size, which runs no baseline
            f"{row.wall / base[name].wall:.2f}×" if name in base else "–"
            for name in ("iterparse alone", "iterparse + html2text, 1 core")
        ]
        convert = base.get("iterparse + html2text, 1 core")
        ratios.append(f"{row.cpu / convert.cpu:.2f}×" if convert and convert.cpu else "–")
        lines.append(
            f"| {row.size // 1000}k | {row.name} | {row.wall:.2f} s | {row.cpu:.2f} s | "
            f"{row.items / row.wall:,.0f} | {row.rss:.0f} MB | {row.pss:.0f} MB | {' | '.join(ratios)} | "
            f"{row.note} |"
        )
    return lines


def scale_table(rows: list[Row]) -> list[str]:
    """The migration runs' peak RSS of the main process next to the tree's (issue 16 point 2)."""
    lines = [
        "| export | run | wall | peak RSS (tree) | peak RSS (main process) | main process per item |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row.main_rss and row.name in ("full migration", "unchanged re-run"):
            lines.append(
                f"| {row.size // 1000}k | {row.name} | {row.wall:.2f} s | {row.rss:.0f} MB | "
                f"{row.main_rss:.0f} MB | {row.main_rss * MB / row.items / 1024:.1f} KB |"
            )
    return lines


def targets(rows: list[Row]) -> list[tuple[str, str, str, bool]]:
    """(target, measured, limit, holds) for each target the measured sizes allow."""
    by = {(r.size, r.name): r for r in rows}
    scale = _targets_scale(by)
    sizes = sorted({r.size for r in rows if r.size < SCALE_SIZE})
    if not sizes:
        return scale
    big, small = sizes[-1], sizes[0]
    found = []
    full, convert = by[big, "full migration"], by[big, "iterparse + html2text, 1 core"]
    ratio = full.wall / convert.wall
    found.append(
        (
            f"{big // 1000}k full migration vs iterparse+html2text",
            f"{ratio:.2f}×",
            f"≤ {FULL_VS_HTML2TEXT}×",
            ratio <= FULL_VS_HTML2TEXT,
        )
    )
    ours = ("full migration", "unchanged re-run", "dry run")
    for size in sizes:
        peak = max(r.rss for r in rows if r.size == size and r.name in ours)
        found.append(
            (
                f"{size // 1000}k peak RSS of the tree",
                f"{peak:.0f} MB",
                f"≤ {PEAK_RSS_MB} MB",
                peak <= PEAK_RSS_MB,
            )
        )
    rerun = by[big, "unchanged re-run"].wall / full.wall
    found.append(
        (
            f"{big // 1000}k unchanged re-run vs full run",
            f"{rerun:.2f}×",
            f"≤ {RERUN_VS_FULL}×",
            rerun <= RERUN_VS_FULL,
        )
    )
    found += _targets_16(by, big, full, convert, rerun)
    if big != small:
        growth = full.wall / by[small, "full migration"].wall
        limit = LINEAR_SLACK * big / small
        found.append(
            (
                f"{big // 1000}k vs {small // 1000}k full run",
                f"{growth:.2f}×",
                f"≤ {limit:.0f}×",
                growth <= limit,
            )
        )
    return found + scale


def _targets_scale(by: dict[tuple[int, str], Row]) -> list[tuple[str, str, str, bool]]:
    """Issue 16's targets at each scale size (100k): memory of the tree and of the main process,
    growth of the wall time from the largest smaller size measured in the same run, re-run."""
    found = []
    for size in sorted({size for size, _ in by if size >= SCALE_SIZE}):
        k, full = f"{size // 1000}k", by[size, "full migration"]
        ours = [
            r for (s, name), r in by.items() if s == size and name in ("full migration", "unchanged re-run")
        ]
        tree, main = max(r.rss for r in ours), max(r.main_rss for r in ours)
        found += [
            (
                f"{k} peak RSS of the tree (issue 16)",
                f"{tree:.0f} MB",
                f"≤ {SCALE_TREE_RSS_MB} MB",
                tree <= SCALE_TREE_RSS_MB,
            ),
            (
                f"{k} peak RSS of the main process (issue 16)",
                f"{main:.0f} MB",
                f"≤ {SCALE_MAIN_RSS_MB} MB",
                main <= SCALE_MAIN_RSS_MB,
            ),
        ]
        smaller = [s for s, name in by if s < size and name == "full migration"]
        if smaller:
            small = max(smaller)
            growth = full.wall / by[small, "full migration"].wall
            limit = SCALE_GROWTH * size / small / 10
            found.append(
                (
                    f"{k} vs {small // 1000}k full run (issue 16)",
                    f"{growth:.2f}×",
                    f"≤ {limit:.0f}×",
                    growth <= limit,
                )
            )
        rerun = by[size, "unchanged re-run"].wall / full.wall
        found.append(
            (
                f"{k} unchanged re-run vs full run (issue 16)",
                f"{rerun:.2f}×",
                f"≤ {RERUN_VS_FULL_16}×",
                rerun <= RERUN_VS_FULL_16,
            )
        )
    return found


def _targets_16(
    by: dict[tuple[int, str], Row], big: int, full: Row, convert: Row, rerun: float
) -> list[tuple[str, str, str, bool]]:
    """Issue 16's ratios at the largest size, those the runs made allow (peak RSS: see above)."""
    k = f"{big // 1000}k"
    found = [(f"{k} full migration vs iterparse+html2text", full.wall / convert.wall, FULL_VS_HTML2TEXT_16)]
    single = by.get((big, "full migration, --jobs 1"))
    if single is not None:
        found.append(
            (f"{k} --jobs 1 vs iterparse+html2text", single.wall / convert.wall, JOBS1_VS_HTML2TEXT_16)
        )
        if convert.cpu:  # both on one core: the same target in CPU time, which load hardly moves
            found.append(
                (
                    f"{k} --jobs 1 vs iterparse+html2text, CPU time",
                    single.cpu / convert.cpu,
                    JOBS1_VS_HTML2TEXT_16,
                )
            )
    peer = by.get((big, "wxr2md 0.3.0 (peer)"))
    if peer is not None:
        found.append((f"{k} full migration vs wxr2md", full.wall / peer.wall, FULL_VS_PEER_16))
    found.append((f"{k} unchanged re-run vs full run", rerun, RERUN_VS_FULL_16))
    return [
        (f"{name} (issue 16)", f"{value:.2f}×", f"≤ {limit}×", value <= limit) for name, value, limit in found
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="posts per generated export (default 1000,10000)"
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path("/tmp/wxr-migrate-bench"), help="inputs and outputs"
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared/ folder")
    parser.add_argument("--jobs", type=int, default=0, help="pass --jobs N to wxr-migrate (default: its own)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each kind; the median wall time is shown"
    )
    parser.add_argument(
        "--peers", action="store_true", help="also time wxr2md (pip-installed into a temp venv)"
    )
    parser.add_argument(
        "--before", metavar="REF", help="also run the tool as it is at git REF (e.g. main): before/after rows"
    )
    parser.add_argument("--baseline", nargs=2, metavar=("KIND", "EXPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(*args.baseline)
        return 0

    outputs = args.workdir / OUTPUTS
    shutil.rmtree(outputs, ignore_errors=True)  # before anything is timed
    outputs.mkdir(parents=True)
    options = cli_options()
    peer = install_peer(args.workdir) if args.peers else None
    before = checkout(args.before, args.workdir) if args.before else None
    rows: list[Row] = []
    for size in sorted(int(s) for s in args.sizes.split(",")):
        export = generate(args.shared, size, args.workdir)
        print(f"bench: {size} posts ({export.stat().st_size / MB:.0f} MB)…", file=sys.stderr, flush=True)
        rows += bench_size(size, export, args, options, peer, before)

    print(f"Machine: {machine()}\n")
    print("\n".join(table(rows)))
    if any(r.size >= SCALE_SIZE for r in rows):
        print(
            f"\nAt {SCALE_SIZE // 1000}k posts and more only the tool runs (a full migration and an "
            "unchanged "
            "re-run): the baselines, --jobs 1, the dry run, --before and --peers are left out there, "
            "they would take most of an hour. Peak RSS of the main process alone (issue 16 point 2):\n"
        )
        print("\n".join(scale_table(rows)))
    print("\n| target | measured | limit | holds |\n|---|---:|---:|---|")
    results = targets(rows)
    for name, value, limit, holds in results:
        print(f"| {name} | {value} | {limit} | {'yes' if holds else 'NO'} |")
    print(
        "\nitems/s: posts and pages migrated per second of wall time (the same count in every row). "
        "CPU: user + system seconds of the whole process tree (the median over repeats, like wall); "
        "on a shared machine its ratios move far less than wall time's. "
        "Peak memory is sampled every 20 ms over the whole process tree: RSS counts pages that forked "
        "workers share with the main process once per process, PSS splits them between the sharers."
    )
    missing = [flag for flag in ("--media", "--dry-run", "--jobs") if flag not in options]
    if missing:
        print(f"\n(this wxr-migrate has no {', '.join(missing)}: such runs go without it)")
    shutil.rmtree(outputs, ignore_errors=True)
    return 0 if all(r[3] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

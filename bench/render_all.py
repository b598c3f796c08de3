#!/usr/bin/env python3
"""Every item's file, rendered in this process: the byte-for-byte check and the CPU meter for the
work done per item (issue 16, lever 4: the steps around html2text).

A speed-up of the converters must not change one output byte. The golden tests cover a few
exports; this renders every item of the 90 corpus exports and of the bench's 1k export the way a
`--media none` run does (pass 1 plans, `render_item` makes each file's text), in three settings
(Hugo + YAML, Jekyll + YAML, Hugo + TOML), and saves, or checks against a saved run, every file's
text with what the run notes about it (unknown shortcodes, raw HTML, warnings, embeds, ...).

It also measures the CPU (`time.process_time`) of the rendering alone, the plan excluded, so two
code trees can be compared on a shared, noisy machine: `--against TREE` runs this script from
TREE's code and from this one's in turn (each in a fresh process), `--repeat` times.

    .venv/bin/python bench/render_all.py --save /tmp/render-main.pickle   # on main: the reference
    .venv/bin/python bench/render_all.py --check /tmp/render-main.pickle  # after a change
    .venv/bin/python bench/render_all.py --against /tmp/main-tree --repeat 3
    .venv/bin/python bench/render_all.py --profile 30                     # cProfile, top 30

Nothing touches the network: no media step runs and links stay as written.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pickle
import pstats
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The corpus where the tests find it (WXR_CORPUS, or ../shared/corpus beside the checkout), and the
# 1k export bench/run.py generates into its default work folder (left out when it is not there).
CORPUS = Path(os.environ.get("WXR_CORPUS") or HERE.parents[1] / "shared" / "corpus")
BENCH_EXPORT = Path("/tmp/wxr-migrate-bench/wxr-1000-seed1.xml")
VARIANTS = {
    "hugo-yaml": {},
    "jekyll-yaml": {"target": "jekyll"},
    "hugo-toml": {"front_matter": "toml"},
}
TIMED = "hugo-yaml"  # the variant timed: a default run


def exports() -> list[Path]:
    found = sorted(CORPUS.glob("*.xml"))
    return [*found, BENCH_EXPORT] if BENCH_EXPORT.exists() else found


def load(paths: list[Path]) -> list[tuple[str, list[tuple[object, object]], object]]:
    """Per export: (name, [(item, entry)], index), planned the way a `--media none` run plans."""
    from migrate import targets
    from migrate.plan import iter_items, scan
    from migrate.settings import Settings
    from migrate.site.archives import archive_urls
    from migrate.wxr import ExportError, ReadOptions

    out = []
    for path in paths:
        options = ReadOptions()
        try:
            plan = scan([path], options, media=False)
        except ExportError:
            options = ReadOptions(salvage=True)
            try:
                plan = scan([path], options, media=False)
            except ExportError:
                continue  # nothing readable: no files either
        plan = targets.place(plan, Settings())
        plan = replace(
            plan,
            index=replace(plan.index, archive_urls=archive_urls(plan.index, plan.terms_used, Settings())),
        )
        pairs = [
            (item, plan.entries[ordinal])
            for ordinal, item in enumerate(iter_items([path], options, comments=False))
            if ordinal in plan.entries
        ]
        out.append((path.name, pairs, plan.index))
    return out


def render_all(loaded, variants: list[str]) -> tuple[dict[tuple, tuple], float]:
    """Every file's text and notes by (variant, export, item id, path), and the CPU seconds it took."""
    from migrate.document import render_item
    from migrate.settings import Settings
    from migrate.site.config import embeds_in

    out: dict[tuple, tuple] = {}
    cpu = 0.0
    for variant in variants:
        settings = Settings(**VARIANTS[variant])
        start = time.process_time()
        for name, pairs, index in loaded:
            for item, entry in pairs:
                r = render_item(item, entry, index, None, settings)
                out[variant, name, item.id, entry.path] = (
                    r.text,
                    r.unknown_shortcodes,
                    r.raw_html,
                    r.warnings,
                    r.markup,
                    r.keeps_html,
                    r.not_migrated,
                    embeds_in(r.text),
                )
        cpu += time.process_time() - start
    return out, cpu


def check(saved: dict, now: dict) -> int:
    bad = [key for key in saved if now.get(key) != saved[key]]
    extra = [key for key in now if key not in saved]
    for key in bad[:10]:
        print("DIFFERS:", *key)
    for key in extra[:10]:
        print("NEW:", *key)
    print(f"{len(now)} files, {len(bad)} differ, {len(extra)} not in the saved run")
    return 1 if bad or extra else 0


def against(tree: Path, repeat: int) -> None:
    """CPU of the timed variant, TREE's code and this tree's in turn, each in its own process."""
    trees = {"before": tree.resolve(), "after": HERE.parent}
    cpu: dict[str, list[float]] = {k: [] for k in trees}
    for _ in range(repeat):
        for label, root in trees.items():
            run = subprocess.run(
                [sys.executable, str(HERE / "render_all.py"), "--tree", str(root), "--cpu"],
                check=True,
                capture_output=True,
                text=True,
            )
            cpu[label].append(json.loads(run.stdout.splitlines()[-1])["cpu"])
            print(f"{label}: {cpu[label][-1]:.2f} s", flush=True)
    for label, values in cpu.items():
        print(f"{label}: min {min(values):.2f} s, all {', '.join(f'{v:.2f}' for v in values)}")
    print(f"after/before (min): {min(cpu['after']) / min(cpu['before']):.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, help="the code tree to import migrate from")
    parser.add_argument("--save", type=Path, help="write every file's text and notes here")
    parser.add_argument("--check", type=Path, help="compare with a --save file, byte for byte")
    parser.add_argument("--cpu", action="store_true", help="print the timed variant's CPU as JSON")
    parser.add_argument("--against", type=Path, help="compare CPU with this code tree's")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile the timed variant, top N")
    args = parser.parse_args()
    sys.path.insert(0, str((args.tree or HERE.parent).resolve()))
    if args.against:
        against(args.against, args.repeat)
        return 0
    loaded = load(exports())
    if args.cpu:
        print(json.dumps({"cpu": render_all(loaded, [TIMED])[1]}))
        return 0
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.runcall(render_all, loaded, [TIMED])
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
        return 0
    now, cpu = render_all(loaded, list(VARIANTS))
    print(f"{len(now)} files rendered in {cpu:.2f} s of CPU")
    if args.save:
        args.save.write_bytes(pickle.dumps(now, protocol=pickle.HIGHEST_PROTOCOL))
    if args.check:
        return check(pickle.loads(args.check.read_bytes()), now)
    return 0


if __name__ == "__main__":
    sys.exit(main())

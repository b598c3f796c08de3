"""bench/run.py's scale size (issue 16 point 2): what it measures and the targets it prints.

The bench itself is timed and is never run here; these check its bookkeeping on made-up rows
and its /proc sampling on this test's own process tree.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)


def _rows(size: int, wall: float, rss: float, main: float, baselines: bool = True) -> list:
    runs = {"full migration": wall, "unchanged re-run": wall * 0.02}
    if baselines:
        runs = {"iterparse alone": wall / 10, "iterparse + html2text, 1 core": wall / 2, **runs}
    return [bench.Row(size, name, [bench.Measure(w, rss, rss, main)], size) for name, w in runs.items()]


def _targets(rows: list) -> dict[str, tuple[str, bool]]:
    return {name: (value, holds) for name, value, _, holds in bench.targets(rows)}


def test_100k_targets_say_which_hold() -> None:
    rows = _rows(10_000, 70.0, 140, 60) + _rows(100_000, 800.0, 180, 420, baselines=False)
    found = _targets(rows)
    assert found["100k peak RSS of the tree (issue 16)"] == ("180 MB", True)
    assert found["100k peak RSS of the main process (issue 16)"] == ("420 MB", False)
    assert found["100k vs 10k full run (issue 16)"] == ("11.43×", False)
    assert found["100k unchanged re-run vs full run (issue 16)"] == ("0.02×", True)
    # The 10k targets are those of a run without the 100k size, computed on the 10k rows alone.
    assert {k: v for k, v in found.items() if not k.startswith("100k")} == _targets(rows[:4])


def test_100k_alone_needs_no_baseline_nor_smaller_size() -> None:
    rows = _rows(100_000, 800.0, 150, 90, baselines=False)
    found = _targets(rows)
    assert found["100k peak RSS of the main process (issue 16)"] == ("90 MB", True)
    assert not any("vs 10k" in name for name in found)
    table = bench.table(rows)
    assert table[2].split(" | ")[7:10] == ["–", "–", "–"]  # no baseline at 100k: no ratio to it
    assert "| 100k | full migration | 800.00 s | 150 MB | 90 MB | 0.9 KB |" in bench.scale_table(rows)


def test_memory_counts_the_main_process_apart_from_its_children() -> None:
    # A child holding 60 MB more than its parent: in the tree's sum, not in the main process's RSS.
    grow = "b = bytearray(60 << 20); import sys; sys.stdout.write('x'); sys.stdout.flush(); input()"
    child = subprocess.Popen([sys.executable, "-c", grow], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert child.stdout.read(1) == b"x"
        tree, _, main = bench._memory(os.getpid())
    finally:
        child.communicate(b"\n")
    assert main > 0
    assert tree - main > 60 * 1024  # kB


def test_cpu_time_counts_the_workers_the_main_process_waited_for() -> None:
    # The main process spins 0.3 s of CPU and so does a child it waits for: both count, as a
    # process pool's workers do, and the sampler's own thread (in this process) does not.
    spin = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    code = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {spin!r}], check=True)\n{spin}"
    measured = bench.measure([sys.executable, "-c", code])
    assert 0.6 <= measured.cpu < 0.6 + 2.0  # plus two interpreters' start-up
    rows = [
        bench.Row(1000, "iterparse + html2text, 1 core", [bench.Measure(4.0, 25, 25, 25, 2.0)], 1000),
        bench.Row(1000, "full migration, --jobs 1", [bench.Measure(9.0, 40, 40, 40, 3.0)], 1000),
    ]
    assert bench.table(rows)[3].split(" | ")[9] == "1.50×"  # CPU against the baseline's CPU

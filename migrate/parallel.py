"""One function over a stream of tasks, on every core: results in input order, memory bounded.

`ordered_map(fn, tasks, jobs=N, shared=(a, b))` calls `fn(*task, a, b)` for each task and yields
`(task, result)` in the order the tasks came, so a run's output and report do not depend on `jobs`.

- `jobs=1`: no process is started; the calls run here, one after the other.
- `jobs>1`: a pool of `jobs` worker processes. `shared` (the site index…) reaches each worker once,
  when it starts, never with each task. Tasks go out in small batches, and only a few batches per
  worker are in flight at a time, so the task stream is read as fast as the workers go and memory
  stays flat however long it is. Workers are forked where that is safe (Linux): they start at once
  and share the parent's memory. Elsewhere they are spawned, and `fn` and `shared` must pickle.

Worker processes run at a lower priority than this one (nice +10): this process reads the tasks,
feeds the workers and takes their results, so all of them wait whenever it waits for a core.

A task whose function raises, or a worker process that dies, ends the map with `TaskError`, one line
naming the task (`describe(task)`); the pool is stopped first, so nothing hangs. Ctrl-C is the
parent's to handle: workers ignore it and are stopped with the pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T", bound=tuple[Any, ...])
R = TypeVar("R")

BATCH = 8  # tasks sent to a worker at once: enough to make the round trip's cost small
IN_FLIGHT = 2  # batches per worker sent ahead of the one being collected
WORKER_NICENESS = 10  # how much lower workers' scheduling priority is (POSIX nice increment)

_shared: tuple[Any, ...] = ()  # in a worker: the `shared` arguments, set once when it starts


class TaskError(Exception):
    """A task could not be done: its function raised, or its worker died. `str()` is one line."""


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    fn: Callable[..., R],
    tasks: Iterable[T],
    *,
    jobs: int,
    shared: tuple[Any, ...] = (),
    describe: Callable[[T], str] = repr,
) -> Iterator[tuple[T, R]]:
    """`(task, fn(*task, *shared))` for every task, in order. Raises TaskError (see the module doc)."""
    if jobs <= 1:
        for task in tasks:
            try:
                result = fn(*task, *shared)
            except Exception as exc:  # noqa: BLE001 - reported as TaskError, as from a worker
                raise TaskError(f"{describe(task)}: {_reason(exc)}") from exc
            yield task, result
        return
    yield from _pooled(fn, iter(tasks), jobs, shared, describe)


def _pooled(
    fn: Callable[..., R],
    tasks: Iterator[T],
    jobs: int,
    shared: tuple[Any, ...],
    describe: Callable[[T], str],
) -> Iterator[tuple[T, R]]:
    pending: deque[tuple[list[T], Future[tuple[list[R], str | None]]]] = deque()
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker, initargs=(shared,))
    try:
        while True:
            while len(pending) < jobs * IN_FLIGHT and (batch := list(islice(tasks, BATCH))):
                pending.append((batch, pool.submit(_run_batch, fn, batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                results, error = future.result()
            except BrokenProcessPool:
                raise TaskError(
                    f"{describe(batch[0])}: a worker process died (killed, or out of memory?) "
                    f"during this task or one of the {len(batch) - 1} after it"
                ) from None
            yield from zip(batch, results, strict=False)
            if error is not None:
                raise TaskError(f"{describe(batch[len(results)])}: {error}")
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    # fork: fast start and shared pages. Not on macOS, where system libraries break after fork.
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(shared: tuple[Any, ...]) -> None:
    global _shared
    _shared = shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)


def _run_batch(fn: Callable[..., R], batch: list[T]) -> tuple[list[R], str | None]:
    """In a worker: the batch's results, up to the first task that raised, and why it did.

    The reason travels as text: not every exception can be pickled back to the parent.
    """
    results: list[R] = []
    for task in batch:
        try:
            results.append(fn(*task, *_shared))
        except Exception as exc:  # noqa: BLE001 - the parent raises TaskError for it
            return results, _reason(exc)
    return results, None


def _reason(exc: BaseException) -> str:
    """`ValueError: bad thing (document.py:42)`: the error and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"

"""One function over a stream of tasks, on every core: results in input order, memory bounded.

`ordered_map(fn, tasks, jobs=N, shared=(a, b))` calls `fn(*task, a, b)` for each task and yields
`(task, result)` in the order the tasks came, so a run's output and report do not depend on `jobs`.

- `jobs=1`: no process is started; the calls run here, one after the other.
- `jobs>1`: a pool of `jobs` worker processes. Tasks go out in small batches, and only a few
  batches per worker are in flight at a time, so the task stream is read as fast as the workers go
  and memory stays flat however long it is. `shared` (the site index…) reaches each worker once:
  pickled to a file, which a worker reads when a batch first names it, never with each task.

`Workers(jobs)` starts the processes at once, for a caller that knows it will need them before
it builds what it shares: they are forked where that is safe (Linux), and a forked worker holds
only the pages its parent had when it was forked, so workers forked early stay small however
big the parent grows. Elsewhere they are spawned. Either way `fn` and `shared` must pickle.

Worker processes run at a lower priority than this one (nice +10): this process reads the tasks,
feeds the workers and takes their results, so all of them wait whenever it waits for a core.

A task whose function raises, or a worker process that dies, ends the map with `TaskError`, one line
naming the task (`describe(task)`); the pool is stopped first, so nothing hangs. Ctrl-C is the
parent's to handle: workers ignore it and are stopped with the pool.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
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

# In a worker: the `shared` arguments of the map being run, and the file they were read from.
_Shared = tuple[str, int]  # (the file, which map of its Workers)
_shared: tuple[Any, ...] = ()
_shared_from: _Shared | None = None


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
    workers: Workers | None = None,
) -> Iterator[tuple[T, R]]:
    """`(task, fn(*task, *shared))` for every task, in order. Raises TaskError (see the module doc).

    `workers`: processes started earlier to use (`jobs` is then theirs); else a pool for this map."""
    if workers is not None:
        yield from workers.map(fn, tasks, shared=shared, describe=describe)
        return
    if jobs <= 1:
        for task in tasks:
            try:
                result = fn(*task, *shared)
            except Exception as exc:  # noqa: BLE001 - reported as TaskError, as from a worker
                raise TaskError(f"{describe(task)}: {_reason(exc)}") from exc
            yield task, result
        return
    with Workers(jobs) as pool:
        yield from pool.map(fn, tasks, shared=shared, describe=describe)


class Workers:
    """`jobs` worker processes, started now (see the module doc). Close them, or use `with`.

    `scratch`: the folder for the file that carries `shared` (default: the system's temporary one)."""

    def __init__(self, jobs: int, scratch: Path | None = None) -> None:
        self.jobs = jobs
        self._scratch = scratch
        self._maps = 0  # maps run so far: with the file's name, what tells a worker's `shared` apart
        self._pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker)
        # The first submission starts every process (forked ones all at once): start them now.
        try:
            for started in [self._pool.submit(os.getpid) for _ in range(jobs)]:
                started.result()
        except BrokenProcessPool:
            self.close()
            raise TaskError("a worker process died as it started (out of memory?)") from None

    def map(
        self,
        fn: Callable[..., R],
        tasks: Iterable[T],
        *,
        shared: tuple[Any, ...] = (),
        describe: Callable[[T], str] = repr,
    ) -> Iterator[tuple[T, R]]:
        """As `ordered_map`, on these processes."""
        fd, name = tempfile.mkstemp(prefix=".shared.", suffix=".tmp", dir=self._scratch)
        self._maps += 1
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(shared, f, protocol=pickle.HIGHEST_PROTOCOL)
            yield from self._map(fn, iter(tasks), (name, self._maps), describe)
        finally:
            os.unlink(name)

    def _map(
        self, fn: Callable[..., R], tasks: Iterator[T], shared: _Shared, describe: Callable[[T], str]
    ) -> Iterator[tuple[T, R]]:
        pending: deque[tuple[list[T], Future[tuple[list[R], str | None]]]] = deque()
        try:
            while True:
                while len(pending) < self.jobs * IN_FLIGHT and (batch := list(islice(tasks, BATCH))):
                    pending.append((batch, self._pool.submit(_run_batch, fn, batch, shared)))
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
        except BaseException:
            self.close()  # a failed map leaves no pool behind, nor a worker busy with its tasks
            raise
        finally:
            for _, future in pending:
                future.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _context() -> multiprocessing.context.BaseContext:
    # fork: fast start and shared pages. Not on macOS, where system libraries break after fork.
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)


def _run_batch(fn: Callable[..., R], batch: list[T], shared: _Shared) -> tuple[list[R], str | None]:
    """In a worker: the batch's results, up to the first task that raised, and why it did.

    The reason travels as text: not every exception can be pickled back to the parent.
    """
    global _shared, _shared_from
    if _shared_from != shared:
        with open(shared[0], "rb") as f:
            _shared = pickle.load(f)  # noqa: S301 - written by the parent for this map
        _shared_from = shared
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

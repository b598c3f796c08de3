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
parent's to handle: workers ignore it, and on KeyboardInterrupt they are terminated at once rather
than waited for, so a run stops in a moment whatever the items being converted.

Workers die with their parent, however it dies (`kill -9` included): a worker left behind would hold
the run's stderr open (`wxr-migrate … | tee log` would never end) and go on using a core. On Linux
the kernel kills a worker when its parent goes (`prctl(PR_SET_PDEATHSIG)`); elsewhere a thread in
each worker checks every quarter second that its parent is still there.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import time
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
PARENT_WATCH_INTERVAL = 0.25  # seconds between a worker's checks that its parent lives (not Linux)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

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
        self._pool = ProcessPoolExecutor(
            jobs, mp_context=_context(), initializer=_start_worker, initargs=(os.getpid(),)
        )
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
        except Exception:
            self.close()  # a failed map leaves no pool behind, nor a worker busy with its tasks
            raise
        except BaseException:  # Ctrl-C: stop now, not after the batches in flight
            self.terminate()
            raise
        finally:
            for _, future in pending:
                future.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Stop the processes at once, whatever they are doing (their results are not wanted)."""
        if hasattr(self._pool, "terminate_workers"):  # Python 3.14
            self._pool.terminate_workers()
            return
        # Before 3.14 the executor has no way to do this but its own table of processes.
        for process in list((getattr(self._pool, "_processes", None) or {}).values()):
            process.terminate()
        self.close()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_exc: object) -> None:
        if exc_type is not None and not issubclass(exc_type, Exception):  # Ctrl-C
            self.terminate()
        else:
            self.close()


def _context() -> multiprocessing.context.BaseContext:
    # fork: fast start and shared pages. Not on macOS, where system libraries break after fork.
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked with the parent's handler: stopped at once
    if not _ask_kernel_to_kill_us_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker could ask to die with it
        os._exit(1)
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)


def _ask_kernel_to_kill_us_with_parent() -> bool:
    """Linux: SIGKILL this process when its parent dies. False where that cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """In a worker: exit when the parent is gone (re-parented on POSIX, its pipe closed on Windows)."""
    parent_process = multiprocessing.parent_process()
    while True:
        time.sleep(PARENT_WATCH_INTERVAL)
        if os.getppid() != parent or (parent_process is not None and not parent_process.is_alive()):
            os._exit(1)


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

"""Get the planned media files: from the uploads backup first, else over HTTP. Or only check them.

HTTP runs in a small thread pool (`jobs`) with at most `per_host` requests in flight per host, so a
small shared host is not hammered. One failure never stops the others: every file ends with an
`Outcome`, good or bad, and the caller decides what a failure means for the posts that use it.

A host that accepts connections and never answers would cost every one of its files the full
timeout and retries (44 images: about 49 minutes). So a host whose files time out
`policy.give_up_after` times in a row is given up for the run: its files not yet started end as
`not-tried` at once. Ctrl-C cancels the queued downloads instead of waiting for them, and tells
those in flight to stop at their next chunk; files already renamed into place stay for the next run.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .fetch import FetchError, FetchPolicy, Resolver, content_length, download, probe, system_resolver
from .mediaplan import MediaFile
from .uploads import Uploads, file_sha256

if TYPE_CHECKING:  # imported when a request is made (see fetch.py)
    import requests


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str
    ok: bool
    source: str  # "uploads", "download", "present" (already there), "checked" (dry run), "" (failed)
    error: str = ""  # short kind: http, timeout, dns, tls, connection, refused-host, missing, …
    status: int = 0  # HTTP status, when there was one
    message: str = ""
    size: int = 0
    sha256: str = ""


OnDone = Callable[[Outcome], None]


@dataclass(frozen=True)
class Sources:
    uploads: Uploads | None
    session: requests.Session | None  # None: do not use the network at all
    policy: FetchPolicy
    resolve: Resolver = system_resolver
    jobs: int = 4
    per_host: int = 2


def collect(
    files: Sequence[MediaFile],
    targets: Mapping[str, Path] | None,
    sources: Sources,
    known: Mapping[str, tuple[int, str]] | None = None,
    on_done: OnDone | None = None,
) -> dict[str, Outcome]:
    """Obtain each file at `targets[key]`, or with `targets=None` only check that it can be had.

    `known`: key → (size, sha256) of files an earlier run wrote; a file still there with that size
    and hash is not fetched again.
    """
    done: dict[str, Outcome] = {}

    def finish(outcome: Outcome) -> None:
        done[outcome.key] = outcome
        if on_done:
            on_done(outcome)

    todo = []
    for f in files:
        present = _present(f, targets[f.key], (known or {}).get(f.key)) if targets is not None else None
        if present is not None:
            finish(present)
        else:
            todo.append(f)
    if sources.uploads is not None:
        todo = _from_uploads(todo, targets, sources, finish)
    if sources.session is None:
        for f in todo:
            finish(Outcome(f.key, False, "", "missing", message="not in --uploads (downloads are off)"))
        return done
    _over_http(todo, targets, sources, finish)
    return done


def _present(f: MediaFile, target: Path, known: tuple[int, str] | None) -> Outcome | None:
    """An Outcome when the file from an earlier (maybe interrupted) run is already whole."""
    try:
        size = target.stat().st_size
    except OSError:
        return None
    if known is not None:
        if known[0] == size and known[1] == file_sha256(target):
            return Outcome(f.key, True, "present", size=size, sha256=known[1])
        return None
    if f.size and f.size == size:
        return Outcome(f.key, True, "present", size=size, sha256=file_sha256(target))
    return None


def _from_uploads(
    todo: list[MediaFile], targets: Mapping[str, Path] | None, sources: Sources, finish: OnDone
) -> list[MediaFile]:
    """Take what the uploads backup has; return the files it does not have."""
    assert sources.uploads is not None
    by_path = {f.upload_path: f for f in todo if f.upload_path}
    wanted = {p: (targets[f.key] if targets is not None else None) for p, f in by_path.items()}
    results = sources.uploads.take(wanted, sources.policy.max_bytes)
    left = [f for f in todo if not f.upload_path]
    for upload_path, f in by_path.items():
        got = results[upload_path]
        if not got.error:
            source = "checked" if targets is None else "present" if got.unchanged else "uploads"
            finish(Outcome(f.key, True, source, size=got.size, sha256=got.sha256))
        elif got.error == "missing" and sources.session is not None and targets is not None:
            left.append(f)  # a real run downloads what the backup lacks
        else:
            finish(Outcome(f.key, False, "", got.error, message=got.message))
    return left


def _over_http(
    todo: list[MediaFile], targets: Mapping[str, Path] | None, sources: Sources, finish: OnDone
) -> None:
    import requests

    assert sources.session is not None
    session = sources.session
    host_slots: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(sources.per_host))
    timeouts_in_a_row: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop = threading.Event()  # Ctrl-C: downloads in flight end at their next chunk
    give_up_after = sources.policy.give_up_after

    def work(f: MediaFile) -> Outcome:
        host = (urlsplit(f.url).hostname or "").lower()
        with lock:
            slot = host_slots[host]
        with slot:
            with lock:
                given_up = give_up_after and timeouts_in_a_row[host] >= give_up_after
            if given_up or stop.is_set():
                why = f"host not answering ({give_up_after} timeouts in a row)" if given_up else "interrupted"
                return Outcome(f.key, False, "", "not-tried", message=f"not tried: {why}")
            outcome = fetch(f)
            with lock:
                timeouts_in_a_row[host] = timeouts_in_a_row[host] + 1 if outcome.error == "timeout" else 0
            return outcome

    def fetch(f: MediaFile) -> Outcome:
        try:
            if targets is None:
                status = probe(session, f.url, sources.policy, sources.resolve)
                if status != 200:
                    return Outcome(f.key, False, "", "http", status, f"HTTP {status}")
                return Outcome(f.key, True, "checked")
            target = targets[f.key]
            if target.is_file() and _same_length(session, f.url, target, sources):
                size = target.stat().st_size
                return Outcome(f.key, True, "present", size=size, sha256=file_sha256(target))
            got = download(session, f.url, target, sources.policy, sources.resolve, stop)
            return Outcome(f.key, True, "download", size=got.size, sha256=got.sha256)
        except FetchError as exc:
            return Outcome(f.key, False, "", exc.kind, exc.status, str(exc))
        except (requests.RequestException, OSError) as exc:
            return Outcome(f.key, False, "", "error", message=f"{type(exc).__name__}: {exc}")

    # Interleave hosts so that waiting on one host's two slots never idles the whole pool.
    by_host: dict[str, list[MediaFile]] = defaultdict(list)
    for f in todo:
        by_host[(urlsplit(f.url).hostname or "").lower()].append(f)
    ordered = [f for group in zip_longest(*by_host.values()) for f in group if f is not None]
    pool = ThreadPoolExecutor(max_workers=max(1, sources.jobs), thread_name_prefix="media")
    try:
        for future in as_completed([pool.submit(work, f) for f in ordered]):
            finish(future.result())
    except BaseException:  # Ctrl-C: do not wait for every queued download, as `with` would
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _same_length(session: requests.Session, url: str, target: Path, sources: Sources) -> bool:
    """Does the server's Content-Length match the file an earlier run left? (resume without hashes)"""
    length = content_length(session, url, sources.policy, sources.resolve)
    return length is not None and length == target.stat().st_size

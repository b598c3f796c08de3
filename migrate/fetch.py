"""Fetching media over HTTP, politely and safely. The `requests.Session` is passed in.

- Retries with backoff on connection errors, 429 and 5xx, honouring `Retry-After` (capped), come
  from urllib3's `Retry` mounted through an `HTTPAdapter`: no hand-written retry loop.
- Only hosts the export names are fetched, and a host whose address is loopback, private,
  link-local, reserved or a cloud metadata address is refused unless `allow_private` (tests use a
  server on 127.0.0.1). Redirects are followed one hop at a time so each hop is checked the same way.
- Bodies stream to a temp file beside the target, capped in size, checked to be what the extension
  says, and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import socket
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from . import __version__
from .filemode import give_usual_mode
from .write import written

# requests (with urllib3 and ssl, ~15 MB) is imported where a request is made, not with this
# module: a run that downloads nothing never loads it.
if TYPE_CHECKING:
    import requests

Resolver = Callable[[str], list[str]]  # host name → IP addresses
USER_AGENT = f"wxr-migrate/{__version__} (WordPress media migration)"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    allowed_hosts: frozenset[str]
    allow_private: bool = False
    max_bytes: int = 50 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    retry_after_max: int = 60
    max_redirects: int = 5
    give_up_after: int = 3  # files of one host timing out in a row before the host is given up (0: never)


class FetchError(Exception):
    """A media file that could not be had. `kind` is short and stable for reports."""

    def __init__(self, kind: str, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class Fetched:
    path: Path
    size: int
    sha256: str


def make_session(policy: FetchPolicy, pool_size: int = 8) -> requests.Session:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(
        total=policy.retries,
        connect=policy.retries,
        read=policy.retries,
        status=policy.retries,
        redirect=0,  # redirects are followed by hand, one checked hop at a time
        backoff_factor=policy.backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        retry_after_max=policy.retry_after_max,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.trust_env = False  # no proxies or netrc from the environment: we talk to the named host
    return session


def system_resolver(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError("dns", f"cannot resolve {host}: {exc.strerror}") from None
    return sorted({info[4][0] for info in infos})


def check_url(url: str, policy: FetchPolicy, resolve: Resolver) -> None:
    """Raise FetchError unless `url` is http(s) on an allowed host with public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("refused-url", f"not an http(s) URL: {url}")
    host = parts.hostname.lower()
    if host not in policy.allowed_hosts:
        raise FetchError("refused-host", f"{host} is not a host of this site (--allow-host to fetch it)")
    for address in resolve(host):
        ip = ipaddress.ip_address(address.split("%")[0])
        if not policy.allow_private and not ip.is_global:
            raise FetchError(
                "refused-address", f"{host} resolves to {ip}, a non-public address (--allow-private)"
            )


def _open(
    session: requests.Session, method: str, url: str, policy: FetchPolicy, resolve: Resolver, headers=None
) -> requests.Response:
    """One request, following redirects hop by hop with every hop checked."""
    import requests
    from urllib3.exceptions import ReadTimeoutError

    for _ in range(policy.max_redirects + 1):
        check_url(url, policy, resolve)
        try:
            response = session.request(
                method,
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(policy.connect_timeout, policy.read_timeout),
            )
        except requests.exceptions.SSLError as exc:
            raise FetchError("tls", f"TLS error: {exc}") from None
        except requests.exceptions.ConnectTimeout:
            raise FetchError("timeout", "connection timed out") from None
        except (requests.exceptions.ReadTimeout, requests.exceptions.Timeout):
            raise FetchError("timeout", "read timed out") from None
        except requests.exceptions.RetryError as exc:
            raise FetchError("http", f"gave up after retries: {exc}") from None
        except requests.exceptions.ConnectionError as exc:
            # Retries exhausted on a read timeout arrive wrapped as a connection error.
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            if isinstance(reason, ReadTimeoutError):
                raise FetchError("timeout", "read timed out") from None
            raise FetchError("connection", f"connection failed: {_reason(exc)}") from None
        if response.is_redirect and "location" in response.headers:
            location = urljoin(url, response.headers["location"])
            response.close()
            url = location
            continue
        return response
    raise FetchError("redirects", f"more than {policy.max_redirects} redirects")


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 160 else text[:159] + "…"


def download(
    session: requests.Session,
    url: str,
    dest: Path,
    policy: FetchPolicy,
    resolve: Resolver = system_resolver,
    stop: threading.Event | None = None,
) -> Fetched:
    """Fetch `url` into `dest` (atomically). Raises FetchError; `dest` is untouched on failure.

    `stop`: when set (Ctrl-C), the download ends at its next chunk, its temp file removed."""
    import requests

    response = _open(session, "GET", url, policy, resolve)
    with contextlib.closing(response):
        if response.status_code != 200:
            raise FetchError("http", f"HTTP {response.status_code}", response.status_code)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > policy.max_bytes:
            raise FetchError("too-large", f"{int(declared)} bytes is over the {policy.max_bytes}-byte cap")
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name[:40]}.", suffix=".part")
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with os.fdopen(fd, "wb") as out:
                try:
                    for chunk in response.iter_content(_CHUNK):
                        if stop is not None and stop.is_set():
                            raise FetchError("interrupted", "interrupted")
                        size += len(chunk)
                        if size > policy.max_bytes:
                            raise FetchError("too-large", f"over the {policy.max_bytes}-byte cap")
                        if len(head) < 64:
                            head += chunk[: 64 - len(head)]
                        digest.update(chunk)
                        out.write(chunk)
                except requests.exceptions.RequestException as exc:
                    raise FetchError("truncated", f"download broke off: {_reason(exc)}") from None
                if declared.isdigit() and size != int(declared):
                    raise FetchError("truncated", f"got {size} of {declared} bytes")
            mismatch = content_mismatch(dest.name, head)
            if mismatch:
                raise FetchError("wrong-content", mismatch)
            give_usual_mode(tmp)
            os.replace(tmp, dest)
            written(dest)  # synced with the other files at the end of the run (write.sync_written)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
    return Fetched(dest, size, digest.hexdigest())


def probe(
    session: requests.Session, url: str, policy: FetchPolicy, resolve: Resolver = system_resolver
) -> int:
    """Check that `url` serves a file, without downloading it. Returns the HTTP status (200 = fine).

    HEAD first. When HEAD is refused or fails (403, 405, 404 from servers that only answer GET…) or
    answers with an HTML page for a file, the first bytes are asked for with a ranged GET and
    checked like a download's. Raises FetchError for network trouble and wrong content.
    """
    response = _open(session, "HEAD", url, policy, resolve)
    response.close()
    content_type = response.headers.get("content-type", "").lower()
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if response.status_code in (200, 204) and not _html_for_a_file(name, content_type):
        return 200
    response = _open(session, "GET", url, policy, resolve, headers={"Range": "bytes=0-63"})
    with contextlib.closing(response):
        if response.status_code not in (200, 206):
            return response.status_code
        try:
            head = response.raw.read(64)
        except Exception as exc:  # noqa: BLE001 - any read failure is a broken file for the report
            raise FetchError("truncated", f"reading the first bytes failed: {_reason(exc)}") from None
    mismatch = content_mismatch(name, head)
    if mismatch:
        raise FetchError("wrong-content", mismatch)
    return 200


def _html_for_a_file(name: str, content_type: str) -> bool:
    ext = os.path.splitext(name)[1].lower()
    return content_type.startswith("text/html") and ext not in ("", ".html", ".htm", ".php")


def content_length(
    session: requests.Session, url: str, policy: FetchPolicy, resolve: Resolver = system_resolver
) -> int | None:
    """The size a HEAD request announces, or None when the server does not say."""
    response = _open(session, "HEAD", url, policy, resolve)
    response.close()
    declared = response.headers.get("content-length", "")
    return int(declared) if response.status_code == 200 and declared.isdigit() else None


# Leading bytes of the formats an uploads folder holds; a file that claims one extension but starts
# like an HTML page (a soft 404, a login wall) is not saved.
_MAGIC = {
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".pdf": (b"%PDF",),
    ".webp": (b"RIFF",),
    ".ico": (b"\x00\x00\x01\x00",),
    ".zip": (b"PK",),
}
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<!--")


def content_mismatch(name: str, head: bytes) -> str:
    """Why bytes starting with `head` are not a `name` file ("" when they may well be)."""
    ext = os.path.splitext(name)[1].lower()
    magic = _MAGIC.get(ext)
    if magic is not None and not head.startswith(magic):
        return f"content is not {ext[1:].upper()} (starts {head[:12]!r})"
    if ext in (".svg",) and b"<svg" not in head.lower() and not head.lstrip().startswith(b"<?xml"):
        return "content is not SVG"
    if ext not in (".html", ".htm", ".svg", ".txt") and head.lstrip().lower().startswith(_HTML_START):
        return f"an HTML page was served for a {ext or 'extensionless'} file"
    return ""

"""A safety net: no test may talk to anything but loopback, not even to resolve a name.

The exports in samples/ and the corpus name real hosts. A test that forgot `--media none`,
`--offline` or a loopback server would otherwise look them up and fetch from them; here it fails
loudly instead. Subprocesses (Hugo) are kept off the network by their own settings.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}

# Python subprocesses (python -m migrate) get the same guard through netguard/sitecustomize.py.
_NETGUARD = str(Path(__file__).parent / "netguard")
os.environ["WXR_TEST_LOOPBACK_ONLY"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_NETGUARD, os.environ.get("PYTHONPATH")) if p)


class ExternalNetworkError(AssertionError):
    pass


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if host is not None and not _is_loopback(host):
            raise ExternalNetworkError(f"test tried to resolve {host!r}: only loopback is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):  # noqa: ANN001, ANN202
        host = address[0] if isinstance(address, tuple) else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
            raise ExternalNetworkError(f"test tried to connect to {address!r}: only loopback is allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)

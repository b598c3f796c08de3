"""Loaded by every Python subprocess a test starts (tests/conftest.py puts this folder on
PYTHONPATH): the same loopback-only guard as in-process tests, so `python -m migrate` run by a test
cannot reach a host an export names either."""

import ipaddress
import os
import socket

if os.environ.get("WXR_TEST_LOOPBACK_ONLY") == "1":
    _real_getaddrinfo = socket.getaddrinfo
    _real_connect = socket.socket.connect

    def _is_loopback(host):
        if not isinstance(host, str):
            return False
        if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def _getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_loopback(host):
            raise OSError(f"test subprocess tried to resolve {host!r}: only loopback is allowed")
        return _real_getaddrinfo(host, *args, **kwargs)

    def _connect(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
            raise OSError(f"test subprocess tried to connect to {address!r}: only loopback is allowed")
        return _real_connect(self, address)

    socket.getaddrinfo = _getaddrinfo
    socket.socket.connect = _connect

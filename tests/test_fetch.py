"""Media fetching against a real HTTP server on 127.0.0.1; address refusal via an injected resolver."""

import time
from dataclasses import replace

import pytest
from werkzeug import Response

from migrate.collect import Sources, collect
from migrate.fetch import FetchError, FetchPolicy, check_url, content_mismatch, download, make_session, probe
from migrate.mediaplan import MediaFile

from .helpers import StallingServer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def loopback(host):
    return ["127.0.0.1"]


@pytest.fixture
def policy(httpserver):
    return FetchPolicy(
        allowed_hosts=frozenset({"localhost", "127.0.0.1"}),
        allow_private=True,
        read_timeout=1.0,
        connect_timeout=1.0,
        retries=2,
        backoff=0.01,
        retry_after_max=2,
    )


def test_download_writes_atomically_and_hashes(httpserver, policy, tmp_path):
    httpserver.expect_request("/wp-content/uploads/a.png").respond_with_data(PNG, content_type="image/png")
    dest = tmp_path / "static" / "a.png"
    got = download(
        make_session(policy), httpserver.url_for("/wp-content/uploads/a.png"), dest, policy, loopback
    )
    assert dest.read_bytes() == PNG and got.size == len(PNG) and len(got.sha256) == 64
    assert [p.name for p in dest.parent.iterdir()] == ["a.png"]
    assert httpserver.log[0][0].headers["User-Agent"].startswith("wxr-migrate/")


def test_404_is_reported_not_saved(httpserver, policy, tmp_path):
    httpserver.expect_request("/x.png").respond_with_data("nope", status=404)
    with pytest.raises(FetchError) as err:
        download(make_session(policy), httpserver.url_for("/x.png"), tmp_path / "x.png", policy, loopback)
    assert err.value.status == 404 and not (tmp_path / "x.png").exists()


def test_429_with_retry_after_is_retried(httpserver, policy, tmp_path):
    httpserver.expect_ordered_request("/r.png").respond_with_response(
        Response("slow down", 429, {"Retry-After": "1"})
    )
    httpserver.expect_ordered_request("/r.png").respond_with_data(PNG)
    start = time.monotonic()
    download(make_session(policy), httpserver.url_for("/r.png"), tmp_path / "r.png", policy, loopback)
    assert time.monotonic() - start >= 0.9  # it waited as told
    assert (tmp_path / "r.png").read_bytes() == PNG


def test_slow_response_hits_read_timeout(httpserver, policy, tmp_path):
    def slow(request):
        time.sleep(1.5)
        return Response(PNG)

    httpserver.expect_request("/slow.png").respond_with_handler(slow)
    quick = FetchPolicy(**{**policy.__dict__, "retries": 0})
    with pytest.raises(FetchError) as err:
        download(make_session(quick), httpserver.url_for("/slow.png"), tmp_path / "s.png", quick, loopback)
    assert err.value.kind == "timeout"


def test_head_refused_falls_back_to_ranged_get(httpserver, policy):
    httpserver.expect_request("/h.png", method="HEAD").respond_with_data("", status=405)
    httpserver.expect_request("/h.png", method="GET", headers={"Range": "bytes=0-63"}).respond_with_data(
        PNG[:64], status=206
    )
    assert probe(make_session(policy), httpserver.url_for("/h.png"), policy, loopback) == 200


def test_head_that_serves_html_for_an_image_is_checked_with_get(httpserver, policy):
    httpserver.expect_request("/l.png", method="HEAD").respond_with_data("", content_type="text/html")
    httpserver.expect_request("/l.png", method="GET").respond_with_data(
        "<!DOCTYPE html><html>login", status=200
    )
    with pytest.raises(FetchError) as err:
        probe(make_session(policy), httpserver.url_for("/l.png"), policy, loopback)
    assert err.value.kind == "wrong-content"


def test_soft_404_html_is_not_saved_as_an_image(httpserver, policy, tmp_path):
    httpserver.expect_request("/p.png").respond_with_data("<!DOCTYPE html><html>login</html>")
    with pytest.raises(FetchError) as err:
        download(make_session(policy), httpserver.url_for("/p.png"), tmp_path / "p.png", policy, loopback)
    assert err.value.kind == "wrong-content" and not (tmp_path / "p.png").exists()


def test_size_cap(httpserver, policy, tmp_path):
    httpserver.expect_request("/big.png").respond_with_data(PNG * 10)
    small = FetchPolicy(**{**policy.__dict__, "max_bytes": 500})
    with pytest.raises(FetchError) as err:
        download(make_session(small), httpserver.url_for("/big.png"), tmp_path / "b.png", small, loopback)
    assert err.value.kind == "too-large" and list(tmp_path.iterdir()) == []


def test_redirect_to_a_refused_host_is_not_followed(httpserver, policy, tmp_path):
    httpserver.expect_request("/moved.png").respond_with_response(
        Response("", 302, {"Location": "http://169.254.169.254/latest/meta-data"})
    )
    with pytest.raises(FetchError) as err:
        download(make_session(policy), httpserver.url_for("/moved.png"), tmp_path / "m.png", policy, loopback)
    assert err.value.kind == "refused-host"


def test_private_addresses_are_refused_without_opening_a_connection():
    strict = FetchPolicy(allowed_hosts=frozenset({"www.stackops.com"}))
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.5", "169.254.169.254", "::1", "fd00::1"):
        with pytest.raises(FetchError) as err:
            check_url("http://www.stackops.com/a.png", strict, lambda host, a=address: [a])
        assert err.value.kind == "refused-address"
    check_url("http://www.stackops.com/a.png", strict, lambda host: ["93.184.216.34"])  # public: allowed
    with pytest.raises(FetchError):
        check_url("http://evil.example/a.png", strict, lambda host: ["93.184.216.34"])
    with pytest.raises(FetchError):
        check_url("file:///etc/passwd", strict, lambda host: [])


def test_content_mismatch():
    assert content_mismatch("a.png", PNG[:64]) == ""
    assert content_mismatch("a.jpg", PNG[:64]) != ""
    assert content_mismatch("a.mp3", b"<html><body>") != ""


def test_truncated_body_is_not_saved(httpserver, policy, tmp_path):
    # The server promises 5,000 bytes and closes after 200: the download must not be kept.
    def cut_short():
        yield PNG
        raise ConnectionAbortedError("server went away")

    httpserver.expect_request("/cut.png").respond_with_response(
        Response(cut_short(), headers={"Content-Length": "5000"})
    )
    quick = FetchPolicy(**{**policy.__dict__, "retries": 0})
    with pytest.raises(FetchError) as err:
        download(make_session(quick), httpserver.url_for("/cut.png"), tmp_path / "cut.png", quick, loopback)
    assert err.value.kind == "truncated"
    assert list(tmp_path.iterdir()) == []


def test_a_host_that_never_answers_is_given_up_after_n_timeouts_in_a_row(tmp_path):
    files = [MediaFile(f"wp-content/uploads/{n}.png", "", f"{n}.png") for n in range(12)]
    policy = FetchPolicy(
        allowed_hosts=frozenset({"127.0.0.1"}),
        allow_private=True,
        read_timeout=0.3,
        connect_timeout=0.3,
        retries=1,
        backoff=0.01,
        give_up_after=2,
    )
    with StallingServer(lifetime=20) as server:
        files = [replace(f, url=f"{server.url}/{f.key}") for f in files]
        sources = Sources(None, make_session(policy, pool_size=4), policy, loopback, jobs=4, per_host=2)
        started = time.monotonic()
        outcomes = collect(files, {f.key: tmp_path / f.upload_path for f in files}, sources)
        took = time.monotonic() - started
    kinds = sorted(o.error for o in outcomes.values())
    # Two in flight at once: the first two time out (with their retry), and the one started when the
    # first of them ended; the others are not tried.
    assert kinds.count("timeout") in (2, 3) and kinds.count("not-tried") == 12 - kinds.count("timeout"), kinds
    assert {o.message for o in outcomes.values() if o.error == "not-tried"} == {
        "not tried: host not answering (2 timeouts in a row)"
    }
    assert took < 3  # twelve files × 2 tries × 0.3 s, 2 at a time, would be 3.6 s or more
    assert not list(tmp_path.iterdir())  # nothing half-downloaded left behind


def test_a_download_gets_the_mode_open_would_give_not_mkstemps(httpserver, policy, tmp_path):
    httpserver.expect_request("/m.png").respond_with_data(PNG, content_type="image/png")
    dest = tmp_path / "m.png"
    download(make_session(policy), httpserver.url_for("/m.png"), dest, policy, loopback)
    (tmp_path / "plain").write_bytes(b"")  # what open() gives under this process's umask
    assert dest.stat().st_mode & 0o777 == (tmp_path / "plain").stat().st_mode & 0o777 != 0o600

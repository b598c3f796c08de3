"""Media end to end: the sample blog served by a real HTTP server on 127.0.0.1, or from an uploads backup.

The sample export names www.stackops.com; each test rewrites it to the loopback server's address,
so the posts, attachments and metadata are the sample's own and no test leaves the machine.
"""

import json
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Response

from migrate.cli import main
from migrate.config import Config
from migrate.pipeline import run

from .helpers import item, meta, write_wxr

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "blog-es.xml"
UPLOADS = ROOT / "samples" / "uploads"
FILES = sorted(str(p.relative_to(UPLOADS)) for p in UPLOADS.rglob("*") if p.is_file())
ORIGIN = "http://www.stackops.com"
RED_DEMO = "/wp-content/uploads/2012/04/essex-red-demo.png"  # referenced by post 2120, on no server


def tree(root: Path) -> list[tuple[str, int, int]]:
    if not root.exists():
        return []
    return sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*"))


def sample_at(base: str, tmp_path: Path) -> Path:
    """The sample export with its site moved to `base` (the loopback server)."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old in ("http://www.stackops.com", "https://stackops.com", "http://stackops.com"):
        text = text.replace(old, base)
    path = tmp_path / "blog-es.xml"
    path.write_text(text, encoding="utf-8")
    return path


def serve_uploads(httpserver, missing=("2012/04/essex-red-demo.png",)):
    for rel in FILES:
        httpserver.expect_request(f"/wp-content/uploads/{rel}").respond_with_data(
            (UPLOADS / rel).read_bytes()
        )
    for rel in missing:
        httpserver.expect_request(f"/wp-content/uploads/{rel}").respond_with_data("gone", status=404)


def gets(httpserver, method="GET"):
    return sorted(r.path for r, _ in httpserver.log if r.method == method)


def config(export, out, **kw):
    return Config(exports=(export,), output=out, allow_private=True, **kw)


@pytest.fixture
def site_export(httpserver, tmp_path):
    return sample_at(httpserver.url_for("").rstrip("/"), tmp_path)


def test_download_fetches_each_original_once_and_links_it_locally(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    out = tmp_path / "site"
    report = run(config(site_export, out))

    for rel in FILES:
        assert (out / "static/wp-content/uploads" / rel).read_bytes() == (UPLOADS / rel).read_bytes()
    # Originals only, each once: essex-dashboard is used by two posts, thumbnails are never fetched.
    assert gets(httpserver) == sorted(
        [f"/wp-content/uploads/{rel}" for rel in FILES] + ["/wp-content/uploads/2012/04/essex-red-demo.png"]
    )
    boston = frontmatter.load(out / "content/posts/en-la-openstack-conference-en-boston.md")
    assert boston["image"] == "/wp-content/uploads/2011/10/boston-photo-avion.png"
    assert 'src="/wp-content/uploads/2011/10/boston-photo-avion.png"' in boston.content  # not -300x225
    # The file that could not be had keeps its absolute URL: never a local link to nothing.
    essex = next((out / "content/posts").glob("openstack-essex-*.md")).read_text()
    base = httpserver.url_for("").rstrip("/")
    assert f"({base}/wp-content/uploads/2012/04/essex-red-demo.png)" in essex
    assert "(/wp-content/uploads/2012/04/essex-dashboard.png" not in essex  # in a figure, not a link
    assert 'src="/wp-content/uploads/2012/04/essex-dashboard.png"' in essex
    assert not (out / "static/wp-content/uploads/2012/04/essex-red-demo.png").exists()

    assert report.exit_code == 1
    assert report.media.by_source == {"download": 4, "failed": 1}
    [broken] = report.media.broken
    assert (broken.item_id, broken.status, broken.error) == (2120, 404, "http")
    assert [u for _, u in report.media.hotlinked] == [
        "https://www.openstack.org/themes/openstack/images/openstack-logo-essex.png"
    ]
    assert any(w.kind == "media" and w.item_id == 2120 for w in report.warnings)


def test_rerun_and_interrupted_run_fetch_only_what_is_missing(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    out = tmp_path / "site"
    run(config(site_export, out))
    (out / "static/wp-content/uploads/2012/12/meetup-madrid.jpg").unlink()  # as if killed mid-run
    before = tree(out / "static")
    httpserver.clear_log()

    report = run(config(site_export, out))
    assert gets(httpserver) == [
        "/wp-content/uploads/2012/04/essex-red-demo.png",
        "/wp-content/uploads/2012/12/meetup-madrid.jpg",
    ]
    assert report.media.by_source == {"present": 3, "download": 1, "failed": 1}
    after = {name: mtime for name, _, mtime in tree(out / "static")}
    for name, _, mtime in before:
        if "." in name:  # files (folders change mtime when a file is added to them)
            assert after[name] == mtime, f"{name} was rewritten"


def _archive(kind: str, tmp_path: Path) -> Path:
    """The sample uploads as a hosting backup would hold them: under public_html/wp-content/uploads."""
    if kind == "folder":
        return UPLOADS
    if kind == "zip":
        path = tmp_path / "backup.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for rel in FILES:
                archive.write(UPLOADS / rel, f"public_html/wp-content/uploads/{rel}")
        return path
    path = tmp_path / "backup.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for rel in FILES:
            archive.add(UPLOADS / rel, f"./public_html/wp-content/uploads/{rel}")
    return path


@pytest.mark.parametrize("kind", ["folder", "zip", "tar.gz"])
def test_uploads_backup_is_used_and_nothing_is_downloaded(kind, tmp_path):
    out = tmp_path / "site"
    report = run(Config(exports=(SAMPLE,), output=out, uploads=_archive(kind, tmp_path), offline=True))
    for rel in FILES:
        assert (out / "static/wp-content/uploads" / rel).read_bytes() == (UPLOADS / rel).read_bytes()
    assert report.media.by_source == {"uploads": 4, "failed": 1}
    assert report.media.broken[0].error == "missing"
    again = run(Config(exports=(SAMPLE,), output=out, uploads=_archive(kind, tmp_path), offline=True))
    assert again.media.by_source == {"present": 4, "failed": 1}


def test_uploads_first_then_http_for_what_the_backup_lacks(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    partial = tmp_path / "uploads"
    shutil.copytree(UPLOADS, partial)
    (partial / "2011/10/boston-photo-avion.png").unlink()
    out = tmp_path / "site"
    report = run(config(site_export, out, uploads=partial))
    assert gets(httpserver) == [
        "/wp-content/uploads/2011/10/boston-photo-avion.png",
        "/wp-content/uploads/2012/04/essex-red-demo.png",
    ]
    assert report.media.by_source == {"uploads": 3, "download": 1, "failed": 1}


def test_dry_run_writes_nothing_and_reports_broken_media_by_post(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    # A host that refuses HEAD: the check falls back to a one-byte ranged GET.
    httpserver.clear()
    for rel in FILES:
        path = f"/wp-content/uploads/{rel}"
        httpserver.expect_request(path, method="HEAD").respond_with_data("", status=403)
        httpserver.expect_request(path, method="GET").respond_with_data(
            (UPLOADS / rel).read_bytes()[:64], status=206
        )
    httpserver.expect_request("/wp-content/uploads/2012/04/essex-red-demo.png").respond_with_data(
        "", status=404
    )
    out = tmp_path / "site"
    report_file = tmp_path / "report.json"
    before = tree(tmp_path)
    result = CliRunner().invoke(
        main,
        [str(site_export), "-o", str(out), "--dry-run", "--allow-private", "--report", str(report_file)],
    )
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert [t for t in tree(tmp_path) if t[0] != "report.json"] == before
    # HEAD refused, so one ranged GET each for the first bytes; nothing downloaded whole.
    assert gets(httpserver) == sorted([f"/wp-content/uploads/{rel}" for rel in FILES] + [RED_DEMO])
    assert all(r.headers.get("Range") == "bytes=0-63" for r, _ in httpserver.log if r.method == "GET")

    lines = result.stdout.splitlines()
    assert lines[0] == "Broken media: 1 references in 1 posts"
    base = httpserver.url_for("").rstrip("/")
    assert (
        lines[2]
        == f"post 2120: OpenStack Essex: ¿qué hay de nuevo? <{base}/2012/04/05/openstack-essex-¿que-hay-de-nuevo/>"
    )
    assert lines[3].split() == [
        "HTTP",
        "404",
        httpserver.url_for("/wp-content/uploads/2012/04/essex-red-demo.png"),
    ]
    assert "hot-linked images on other hosts: 1" in lines
    assert "shortcodes left as they were: 1" in lines

    data = json.loads(report_file.read_text())
    assert data["dry_run"] is True
    assert data["media"]["by_source"] == {"checked": 4, "failed": 1}
    assert data["media"]["broken"][0]["status"] == 404 and data["media"]["broken"][0]["item_id"] == 2120
    # The dry run's conversion counts match a real run's.
    real = run(config(site_export, tmp_path / "real", offline=True, uploads=UPLOADS))
    assert data["items"] == dict(real.items)
    assert data["unknown_shortcodes"] == dict(real.unknown_shortcodes)


def test_dry_run_with_uploads_never_touches_the_network(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(out), "--dry-run", "--uploads", str(UPLOADS)])
    assert result.exit_code == 1 and not out.exists()
    assert (
        "missing          http://www.stackops.com/wp-content/uploads/2012/04/essex-red-demo.png"
        in result.stdout
    )


def _gallery_export(tmp_path: Path, base: str, n: int) -> Path:
    images = "".join(f'<img src="{base}/wp-content/uploads/2020/01/p{i}.png">' for i in range(n))
    return write_wxr(
        tmp_path / "g.xml",
        item(1, slug="fotos", content=images, link=f"{base}/fotos/"),
        base_url=base,
    )


@pytest.fixture
def threaded_server():
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def test_at_most_two_requests_per_host_in_flight(threaded_server, tmp_path):
    httpserver = threaded_server
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def slow_png(request):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.2)
        with lock:
            state["now"] -= 1
        return Response((UPLOADS / "2011/10/boston-photo-avion.png").read_bytes())

    for i in range(6):
        httpserver.expect_request(f"/wp-content/uploads/2020/01/p{i}.png").respond_with_handler(slow_png)
    export = _gallery_export(tmp_path, httpserver.url_for("").rstrip("/"), 6)
    report = run(config(export, tmp_path / "site", jobs_http=4))
    assert report.media.by_source == {"download": 6}
    assert state["max"] == 2


def test_paths_that_climb_out_are_never_written(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    sneaky = [
        "/wp-content/uploads/../../../../tmp/evil.png",
        "/wp-content/uploads/%2e%2e/%2e%2e/%2e%2e/evil.png",
        "/wp-content/uploads/..%5c..%5cevil.png",
        "/wp-content/uploads/2020/01/..%2f..%2f..%2fevil.png",
    ]
    body = "".join(f'<img src="{base}{p}">' for p in sneaky)
    export = write_wxr(tmp_path / "e.xml", item(1, slug="x", content=body, link=f"{base}/x/"), base_url=base)
    out = tmp_path / "out" / "site"
    report = run(config(export, out))
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert all(out in p.parents for p in written)
    assert not list(tmp_path.rglob("evil.png"))
    assert report.media.files == 0  # nothing planned, so nothing requested
    assert gets(httpserver) == []


def test_redirect_to_another_host_is_refused_and_the_url_kept(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    httpserver.clear()
    for rel in FILES:
        httpserver.expect_request(f"/wp-content/uploads/{rel}").respond_with_response(
            Response("", 302, {"Location": "http://169.254.169.254/latest/meta-data/"})
        )
    httpserver.expect_request("/wp-content/uploads/2012/04/essex-red-demo.png").respond_with_data(
        "", status=404
    )
    out = tmp_path / "site"
    report = run(config(site_export, out))
    assert {b.error for b in report.media.broken} == {"refused-host", "http"}
    boston = frontmatter.load(out / "content/posts/en-la-openstack-conference-en-boston.md")
    assert boston["image"].startswith(httpserver.url_for("/wp-content/uploads/"))
    assert not (out / "static").exists()


def test_files_over_the_size_cap_are_not_saved(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    report = run(config(site_export, tmp_path / "site", max_file_size=100))
    too_large = sorted(b.url.rsplit("/", 1)[1] for b in report.media.broken if b.error == "too-large")
    assert too_large == ["meetup-madrid-300x200.jpg", "meetup-madrid.jpg", "whitepaper.pdf"]
    assert not (tmp_path / "site/static/wp-content/uploads/2012/01/whitepaper.pdf").exists()


def test_missing_metadata_falls_back_to_stripping_the_size_and_says_so(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    png = (UPLOADS / "2011/10/boston-photo-avion.png").read_bytes()
    httpserver.expect_request("/wp-content/uploads/2020/01/mapa.png").respond_with_data(png)
    export = write_wxr(
        tmp_path / "e.xml",
        item(
            1,
            slug="x",
            link=f"{base}/x/",
            content=f'<img src="{base}/wp-content/uploads/2020/01/mapa-300x200.png">',
        ),
        item(
            7,
            post_type="attachment",
            status="inherit",
            slug="mapa",
            extra=f"\n\t\t<wp:attachment_url>{base}/wp-content/uploads/2020/01/mapa.png</wp:attachment_url>"
            + meta("_wp_attached_file", "2020/01/mapa.png"),
        ),
        base_url=base,
    )
    out = tmp_path / "site"
    report = run(config(export, out))
    assert (out / "static/wp-content/uploads/2020/01/mapa.png").read_bytes() == png
    assert "(/wp-content/uploads/2020/01/mapa.png)" in (out / "content/posts/x.md").read_text()
    assert report.media.guessed == [(1, f"{base}/wp-content/uploads/2020/01/mapa-300x200.png")]
    assert any(w.kind == "media-guessed" for w in report.warnings)


def test_allow_host_fetches_from_another_host_and_others_stay_hotlinked(httpserver, tmp_path):
    base = httpserver.url_for("").rstrip("/")
    other = base.replace("localhost", "127.0.0.1")
    png = (UPLOADS / "2011/10/boston-photo-avion.png").read_bytes()
    httpserver.expect_request("/cdn/logo.png").respond_with_data(png)
    export = write_wxr(
        tmp_path / "e.xml",
        item(1, slug="x", link=f"{base}/x/", content=f'<img src="{other}/cdn/logo.png">'),
        base_url=base,
    )
    hot = run(config(export, tmp_path / "a"))
    assert hot.media.hotlinked == [(1, f"{other}/cdn/logo.png")] and gets(httpserver) == []
    report = run(config(export, tmp_path / "b", allow_hosts=frozenset({"127.0.0.1"})))
    assert report.media.by_source == {"download": 1}
    assert (tmp_path / "b/static/media/127.0.0.1/cdn/logo.png").read_bytes() == png
    assert "(/media/127.0.0.1/cdn/logo.png)" in (tmp_path / "b/content/posts/x.md").read_text()


def test_media_none_leaves_links_on_the_old_host_and_fetches_nothing(tmp_path):
    out = tmp_path / "site"
    report = run(Config(exports=(SAMPLE,), output=out, media="none"))
    assert report.media is None and not (out / "static").exists()
    boston = frontmatter.load(out / "content/posts/en-la-openstack-conference-en-boston.md")
    assert boston["image"] == f"{ORIGIN}/wp-content/uploads/2011/10/boston-photo-avion.png"


def test_bundles_keep_files_beside_the_post_and_store_shared_ones_once(tmp_path):
    out = tmp_path / "site"
    run(Config(exports=(SAMPLE,), output=out, media="bundle", uploads=UPLOADS, offline=True))
    essex = next((out / "content/posts").glob("openstack-essex-*/index.md"))
    assert (essex.parent / "essex-dashboard.png").is_file()
    assert 'src="essex-dashboard.png"' in essex.read_text()
    nova = out / "content/posts/nova-compute-1-madrid/index.md"
    assert (nova.parent / "meetup-madrid.jpg").is_file()
    assert not (nova.parent / "essex-dashboard.png").exists()  # stored once, in the first post's bundle
    essex_url = frontmatter.load(essex)["url"]
    assert f'src="{essex_url}essex-dashboard.png"' in nova.read_text()  # its gallery
    assert frontmatter.load(nova)["image"] == "meetup-madrid.jpg"
    # A page with child pages cannot be a leaf bundle; pages without media stay plain files.
    assert (out / "content/empresa.md").is_file() and (out / "content/empresa/equipo.md").is_file()
    assert not (out / "static").exists()


def test_cli_errors_on_unreadable_uploads_and_bad_sizes(tmp_path):
    bogus = tmp_path / "uploads.zip"
    bogus.write_text("not a zip")
    out = tmp_path / "site"
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(out), "--uploads", str(bogus)])
    assert result.exit_code == 2 and result.stderr.strip() == f"error: {bogus}: not a readable zip archive"
    assert not out.exists()
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(out), "--max-file-size", "lots"])
    assert result.exit_code == 2 and "not a size" in result.stderr


def test_failures_print_one_line_each_when_not_a_terminal(tmp_path):
    result = CliRunner().invoke(
        main, [str(SAMPLE), "-o", str(tmp_path / "s"), "--uploads", str(UPLOADS), "--offline"]
    )
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("media failed:")]
    assert failed == ["media failed: wp-content/uploads/2012/04/essex-red-demo.png: not in --uploads"]
    assert "Broken media: 1 references in 1 posts" in result.stdout


def test_bundles_are_refused_for_jekyll(tmp_path):
    result = CliRunner().invoke(main, [str(SAMPLE), "-o", str(tmp_path / "s"), "--media", "bundle", "--target", "jekyll"])
    assert result.exit_code == 2 and "Jekyll has none" in result.stderr
    assert not (tmp_path / "s").exists()


def test_rerun_fetches_nothing_known_and_a_changed_image_only(httpserver, site_export, tmp_path):
    serve_uploads(httpserver)
    out = tmp_path / "site"
    run(config(site_export, out))
    httpserver.clear_log()
    again = run(config(site_export, out))
    # Files the manifest knows, still there with their hash: not even a HEAD request.
    assert [r.path for r, _ in httpserver.log] == [RED_DEMO]
    assert again.media.by_source == {"present": 4, "failed": 1}
    # v2 of the export: post 2078's photo was replaced by a new upload.
    old_src = 'src="' + httpserver.url_for("/wp-content/uploads/2011/10/boston-photo-avion-300x225.png")
    text = site_export.read_text(encoding="utf-8")
    assert text.count(old_src) == 1
    text = text.replace(old_src, old_src.replace("boston-photo-avion-300x225.png", "boston-2.png"))
    v2 = tmp_path / "v2.xml"
    v2.write_text(text, encoding="utf-8")
    httpserver.expect_request("/wp-content/uploads/2011/10/boston-2.png").respond_with_data(
        (UPLOADS / "2012/04/essex-dashboard.png").read_bytes()
    )
    httpserver.clear_log()
    report = run(config(v2, out))
    assert sorted(r.path for r, _ in httpserver.log) == ["/wp-content/uploads/2011/10/boston-2.png", RED_DEMO]
    assert list(report.changes.updated) == ["content/posts/en-la-openstack-conference-en-boston.md"]
    assert 'src="/wp-content/uploads/2011/10/boston-2.png"' in (
        out / "content/posts/en-la-openstack-conference-en-boston.md"
    ).read_text()


def test_requests_is_loaded_only_by_runs_that_use_the_network(tmp_path):
    """A run without media (or from an uploads folder, offline) never imports requests, and
    does not carry its ~15 MB."""
    check = (
        "import sys\nfrom pathlib import Path\nfrom migrate.config import Config\nfrom migrate.pipeline import run\n"
        "run(Config(exports=(Path(sys.argv[1]),), output=Path(sys.argv[2]), media=sys.argv[3], offline=True,"
        " uploads=Path(sys.argv[4]) if sys.argv[4] else None))\nprint('requests' in sys.modules)"
    )
    for media, uploads in (("none", ""), ("static", str(ROOT / "samples" / "uploads"))):
        done = subprocess.run(
            [sys.executable, "-c", check, str(SAMPLE), str(tmp_path / media), media, uploads],
            capture_output=True, text=True, check=True,
        )
        assert done.stdout.strip() == "False", (media, done.stderr[-500:])

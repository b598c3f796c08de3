"""The site's own files outside wp-content/uploads (`/img/…`, `/resources/…`, downloads): fetched
like uploads into `static/<same path>`, linked there, and reported as the site's own, not as
hot-linked. The sample export with one more post, served by a loopback HTTP server."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug import Response

from migrate.config import Config
from migrate.media import MediaIndex
from migrate.mediaplan import locate
from migrate.pipeline import run

from .helpers import CORPUS, item
from .test_media_run import SAMPLE, serve_uploads

LOGO = b"\x89PNG\r\n\x1a\n" + b"logo" * 40
GUIDE = b"%PDF-1.4\n" + b"guia" * 40


def export_with_site_files(base, tmp_path):
    """The sample moved to `base`, plus a post using files of the site outside uploads: an image
    from /img/ (absolute), a PDF from /resources/ (root-relative), a page (not a file), a hidden
    file (never fetched) and a file elsewhere (hot-linked)."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old in ("http://www.stackops.com", "https://stackops.com", "http://stackops.com"):
        text = text.replace(old, base)
    body = (
        f'<p><img src="{base}/img/logo.png" alt="logo"> Descarga la '
        f'<a href="/resources/guia%20nube.pdf">guía</a>, lee <a href="{base}/empresa/">quiénes somos</a>, '
        f'<a href="{base}/.well-known/secret.txt">esto no</a> y '
        f'<img src="https://elsewhere.example/pic.png" alt="fuera">.</p>'
    )
    post = item(9001, "Recursos", slug="recursos", content=body, link=f"{base}/2015/01/01/recursos/")
    text = text.replace("</channel>", post + "\n</channel>")
    path = tmp_path / "blog-es.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("media", ["static", "bundle"])
def test_site_files_are_fetched_to_their_path_linked_there_and_reported(httpserver, tmp_path, media):
    serve_uploads(httpserver)
    httpserver.expect_request("/img/logo.png").respond_with_data(LOGO, content_type="image/png")
    httpserver.expect_request("/resources/guia nube.pdf").respond_with_data(
        GUIDE, content_type="application/pdf"
    )
    base = httpserver.url_for("").rstrip("/")
    export = export_with_site_files(base, tmp_path)
    out = tmp_path / "site"
    report = run(Config(exports=(export,), output=out, allow_private=True, media=media))

    # Bundles too: a site file keeps its URL, which other pages and sites may link to.
    assert (out / "static/img/logo.png").read_bytes() == LOGO
    assert (out / "static/resources/guia nube.pdf").read_bytes() == GUIDE
    post = "content/posts/recursos" + ("/index.md" if media == "bundle" else ".md")
    text = (out / post).read_text()
    assert 'src="/img/logo.png"' in text or "(/img/logo.png)" in text
    assert "(/resources/guia%20nube.pdf)" in text
    assert f"{base}/.well-known/secret.txt" in text  # hidden: never fetched, left as it was
    assert not list(out.rglob("secret.txt"))
    assert "/empresa/" in text and not (out / "static/empresa").exists()

    assert report.media.site_files == [
        (9001, "/resources/guia%20nube.pdf"),
        (9001, f"{base}/img/logo.png"),
    ]
    assert (9001, "https://elsewhere.example/pic.png") in report.media.hotlinked
    assert not [u for _, u in report.media.hotlinked if u.startswith(base)]
    assert "the site's own files outside wp-content/uploads: 2" in report.media.broken_report()
    assert any("; the site's own outside wp-content/uploads: 2" in line for line in report.summary())
    data = json.loads(json.dumps(report.to_dict()))
    assert data["media"]["site_files"] == [
        {"item_id": 9001, "url": "/resources/guia%20nube.pdf"},
        {"item_id": 9001, "url": f"{base}/img/logo.png"},
    ]
    # Re-run: the manifest knows them, nothing is fetched again.
    httpserver.clear_log()
    again = run(Config(exports=(export,), output=out, allow_private=True, media=media))
    assert not [r for r, _ in httpserver.log if not r.path.startswith("/wp-content/")]
    assert again.media.site_files == report.media.site_files


def test_a_site_file_that_cannot_be_had_keeps_its_old_url_and_is_reported(httpserver, tmp_path):
    serve_uploads(httpserver)
    httpserver.expect_request("/img/logo.png").respond_with_data("gone", status=404)
    base = httpserver.url_for("").rstrip("/")
    out = tmp_path / "site"
    report = run(Config(exports=(export_with_site_files(base, tmp_path),), output=out, allow_private=True))
    text = (out / "content/posts/recursos.md").read_text()
    assert f"{base}/img/logo.png" in text and not (out / "static/img").exists()
    assert (9001, 404) in {(b.item_id, b.status) for b in report.media.broken}


def test_only_the_sites_own_hosts_and_plain_file_names_are_site_files():
    index = MediaIndex([], {"www.stackops.com", "stackops.com"}, "http://www.stackops.com/blog")
    none = frozenset()
    assert locate("http://stackops.com/img/a.png", index, none)[0] == "img/a.png"
    key, resolved = locate("/files/2010/guide.pdf?v=2", index, none)
    assert (key, resolved.url) == ("files/2010/guide.pdf", "http://www.stackops.com/files/2010/guide.pdf?v=2")
    for url in (
        "http://other.example/img/a.png",  # another host: hot-linked
        "//other.example/img/a.png",
        "http://stackops.com/empresa/",  # a page
        "http://stackops.com/index.php",
        "http://stackops.com/feed",
        "http://stackops.com/.htaccess",  # hidden, and the tool's own names
        "http://stackops.com/_redirects",
        "http://stackops.com/a/../../etc/passwd.txt",
        "img/relative.png",  # relative: nothing to resolve it against
    ):
        assert locate(url, index, none) == ("", None), url


MARIUSV = CORPUS / "blog-mariusv-wxr11.xml"
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".gif": b"GIF89a", ".pdf": b"%PDF-1.4\n"}


def _any_file(request):
    """Every path of the old host answers with bytes that fit its extension."""
    ext = Path(request.path).suffix.lower()
    return Response(MAGIC.get(ext, b"") + request.path.encode() * 4, content_type="application/octet-stream")


@pytest.mark.skipif(not MARIUSV.is_file(), reason="shared corpus not present")
def test_a_corpus_blog_keeps_its_files_outside_uploads_once_the_old_host_is_gone(httpserver, tmp_path):
    """blog-mariusv links scripts, a config file and images from /x/, /images/, /nxclient_kiosk/
    and its theme folder."""
    httpserver.expect_request(re.compile("/.*")).respond_with_handler(_any_file)
    base = httpserver.url_for("").rstrip("/")
    text = MARIUSV.read_text(encoding="utf-8")
    for old in ("http://www.mariusv.com", "http://mariusv.com"):
        text = text.replace(old, base)
    export = tmp_path / MARIUSV.name
    export.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    report = run(Config(exports=(export,), output=out, allow_private=True))

    own = sorted({urlsplit(url).path for _, url in report.media.site_files})
    assert own == [
        "/images/bulb_idea.png",
        "/nxclient_kiosk/nx.fvwm2",  # root-relative: `<a href="/nxclient_kiosk/nx.fvwm2">`
        "/wp-content/themes/mariusv/images/wcsf2.png",
        "/x/migrateMe.sh",
        "/x/migrateMeC.sh",
        "/x/sysctl.conf.txt",
        "/zombies.sh",
    ]
    bodies = "".join(p.read_text() for p in (out / "content").rglob("*.md"))
    for path in own:
        assert (out / "static" / path.lstrip("/")).read_bytes().endswith(path.encode())
        # Links and sources point at the new site; text in code (a `wget` line) stays as written.
        assert f"]({base}{path}" not in bodies and f'="{base}{path}"' not in bodies, path
    assert 'href="/nxclient_kiosk/nx.fvwm2"' in bodies  # served by the new site now
    assert 'src="/images/bulb_idea.png"' in bodies or "(/images/bulb_idea.png)" in bodies
    assert not [url for _, url in report.media.hotlinked if url.startswith(base)]

"""scripts/linkcheck.py over a small hand-made public/ tree: what resolves, what is broken, what is external."""

from pathlib import Path

from scripts.linkcheck import NO_SCHEME, RELATIVE, TEXT, Broken, check, main, source_reason, target

PAGE = """<!doctype html><html lang="en"><head>
<link rel="stylesheet" href="/blog/css/site.css">
<link rel="canonical" href="https://example.org/blog/2020/hello/">
</head><body>
<a href="/blog/">home</a>
<a href="../../about/">about, relative</a>
<a href="/blog/tags/caf%C3%A9/?page=2#top">a term, percent-encoded, with query and fragment</a>
<a href="#comments">the page itself</a>
<a href="mailto:me@example.org">mail</a>
<a href="https://other.example.com/x/">another host</a>
<a href="//cdn.example.net/lib.js">protocol-relative, another host</a>
<a href="/blog/2020/gone/">a page that was not built</a>
<a href="https://example.org/old-root/">the site's host, outside its folder</a>
<img src="/blog/img/a.png" srcset="/blog/img/a.png 1x, /blog/img/a-2x.png 2x" alt="">
<img src="img/local.png" alt="relative to the page">
<picture><source srcset="/blog/img/b.webp"></picture>
</body></html>
"""


def make_public(tmp_path: Path) -> Path:
    public = tmp_path / "public"
    files = {
        "index.html": '<a href="/blog/2020/hello/">hello</a> <a href="https://example.org/blog/about/">about</a>',
        "2020/hello/index.html": PAGE,
        "2020/hello/img/local.png": "",
        "about/index.html": "<p>about</p>",
        "tags/café/index.html": "<p>café</p>",
        "css/site.css": "",
        "img/a.png": "",
    }
    for name, text in files.items():
        path = public / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return public


def test_internal_references_resolve_and_broken_ones_are_named(tmp_path):
    result = check(make_public(tmp_path), "https://example.org/blog/")
    assert result.pages == 4
    assert sorted(result.broken) == [
        Broken("2020/hello/index.html", "/blog/2020/gone/", image=False),
        Broken("2020/hello/index.html", "/blog/img/a-2x.png", image=True),
        Broken("2020/hello/index.html", "/blog/img/b.webp", image=True),
        Broken("2020/hello/index.html", "https://example.org/old-root/", image=False),
    ]
    assert len(result.missing_images) == 2
    # mailto, another host, protocol-relative other host; "#comments" is not counted at all.
    assert result.external == 3
    # home: 2; page: css, canonical, home, about, term, gone, old-root, 2 img src + 2 srcset + 1 source
    assert result.internal == 2 + 12


def test_without_a_base_url_absolute_links_are_external(tmp_path):
    result = check(make_public(tmp_path))
    # /blog/… paths do not exist at the root of public/ when the site's folder is unknown.
    assert Broken("index.html", "/blog/2020/hello/", image=False) in result.broken
    assert "https://example.org/blog/about/" not in {b.url for b in result.broken}


def test_target_decodes_and_strips_the_base_folder():
    base = "https://example.org/blog/"
    page = "https://example.org/blog/2020/hello/index.html"
    assert target("../x/%20y.png?v=1#f", page, base) == "/2020/x/ y.png"
    assert target("HTTPS://EXAMPLE.org/blog/a/", page, base) == "/a/"
    assert target("http://example.org/blog", page, base) == "/"
    assert target("https://example.com/blog/a/", page, base) is None
    assert target("javascript:void(0)", page, base) is None
    assert target("/elsewhere/", page, base) == ""


def test_cli_prints_broken_by_page_and_exits_1(tmp_path, capsys):
    public = make_public(tmp_path)
    assert main([str(public), "--base-url", "https://example.org/blog/"]) == 1
    out = capsys.readouterr().out
    assert "2020/hello/index.html\n  broken link: /blog/2020/gone/\n" in out
    assert "missing image: /blog/img/b.webp" in out
    assert out.endswith(
        "4 pages: 14 internal references, 2 broken links, 2 missing images, "
        "0 broken in the source; 3 external (not checked)\n"
    )
    (public / "2020/hello/index.html").write_text('<a href="/blog/about/">ok</a>')
    assert main([str(public), "--base-url", "https://example.org/blog/"]) == 0
    assert main([str(tmp_path / "nothing")]) == 2
    assert "not a folder" in capsys.readouterr().err


# Broken references seen in corpus exports, as WordPress had them (the migration leaves relative
# URLs as written): counted apart, with their reason. blog-cclabs, blog-everet, startupcampus.
IN_SOURCE = """<!doctype html><html><body>
<a href="../2008/05/29/gsoc-2008-flickr-image-re-use-for-openofficeorg/">an old post, relative</a>
<a href="www.oerafrica.org/agshare">no scheme</a>
<a href="bit.ly/3YHV1c2">no scheme, a short link</a>
<a href="Bimbel untuk Mahasiswa yang Butuh Waktu Belajar Extra">a title pasted as the href</a>
<img src="{E251FA83-4A93-42d3-9621-0704EA27D0D6}.dat" alt="">
<img src="../wp-includes/js/tinymce/plugins/wordpress/img/trans.gif" alt="">
<a href="/2010/gone/">root-relative: the migration's, never "in the source"</a>
<a href="https://example.org/blog/2010/gone/">absolute on the site: the migration's</a>
</body></html>
"""


def test_references_broken_in_the_source_are_counted_apart_with_their_reason(tmp_path):
    public = tmp_path / "public"
    (public / "2010/05/20/open-office").mkdir(parents=True)
    (public / "2010/05/20/open-office/index.html").write_text(IN_SOURCE)
    result = check(public, "https://example.org/blog/")
    page = "2010/05/20/open-office/index.html"
    assert sorted(result.in_source) == sorted(
        [
            Broken(page, "../2008/05/29/gsoc-2008-flickr-image-re-use-for-openofficeorg/", False, RELATIVE),
            Broken(page, "www.oerafrica.org/agshare", False, NO_SCHEME),
            Broken(page, "bit.ly/3YHV1c2", False, NO_SCHEME),
            Broken(page, "Bimbel untuk Mahasiswa yang Butuh Waktu Belajar Extra", False, TEXT),
            Broken(page, "{E251FA83-4A93-42d3-9621-0704EA27D0D6}.dat", True, RELATIVE),
            Broken(page, "../wp-includes/js/tinymce/plugins/wordpress/img/trans.gif", True, RELATIVE),
        ]
    )
    assert sorted(result.broken) == [
        Broken(page, "/2010/gone/", False),
        Broken(page, "https://example.org/blog/2010/gone/", False),
    ]
    assert result.missing_images == []


def test_only_relative_urls_can_be_broken_in_the_source():
    assert source_reason("/a b c") == ""
    assert source_reason("https://www.example.org/x") == ""
    assert source_reason("//cdn.example.org/x") == ""
    assert source_reason("url%20redacted") == TEXT
    assert source_reason("images/photo.png") == RELATIVE  # a file name, not a host

"""Links to the site → paths on the new site; ?p=ID → the target; uploads stay absolute."""

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from migrate.convert import links
from migrate.convert.links import rewrite_html, rewrite_url
from migrate.models import Attachment, Author, ItemTerm, LinkTarget, SiteIndex, Term
from migrate.settings import Settings
from migrate.site.archives import archive_urls

BOSTON = LinkTarget(2078, "post", "/2011/10/03/en-la-openstack-conference-en-boston/", "Boston")
ABOUT = LinkTarget(2, "page", "/about/", "About")
INDEX = SiteIndex(
    site_hosts=frozenset({"www.stackops.com", "stackops.com"}),
    base_urls=("http://www.stackops.com",),
    targets={2078: BOSTON, 2: ABOUT},
    targets_by_path={"/2011/10/03/openstack-boston/": BOSTON, "/acerca-de/año/": ABOUT},
    attachments={5: Attachment(5, "http://www.stackops.com/wp-content/uploads/2011/10/boston.png")},
    attachment_pages={"/2011/10/03/openstack-boston/boston/": 5},
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.stackops.com/2011/10/03/openstack-boston/", BOSTON.url),
        ("https://stackops.com/2011/10/03/openstack-boston#comments", BOSTON.url + "#comments"),
        ("http://www.stackops.com/?p=2078", BOSTON.url),
        ("/?p=2078#respond", BOSTON.url + "#respond"),
        ("http://stackops.com/index.php?page_id=2", ABOUT.url),
        ("http://www.stackops.com/acerca-de/a%C3%B1o/", ABOUT.url),
        # A page the export does not hold: the new site has nothing there, it stays on the old host.
        ("http://www.stackops.com/category/cloud/", "http://www.stackops.com/category/cloud/"),
        ("/contact/", "http://www.stackops.com/contact/"),
        ("HTTP://WWW.STACKOPS.COM", "/"),
        ("http://www.stackops.com/?s=nova", "/?s=nova"),
        ("http://www.stackops.com/?p=9999", "http://www.stackops.com/?p=9999"),
        (
            "http://www.stackops.com/wp-content/uploads/2011/10/a.png",
            "http://www.stackops.com/wp-content/uploads/2011/10/a.png",
        ),
        (
            "/wp-content/uploads/boston-photo-avion-300x225.png",
            "http://www.stackops.com/wp-content/uploads/boston-photo-avion-300x225.png",
        ),
        (
            "http://www.stackops.com/?attachment_id=5",
            "http://www.stackops.com/wp-content/uploads/2011/10/boston.png",
        ),
        # An attachment page: the new site has none, so its file (with or without the slash).
        (
            "https://stackops.com/2011/10/03/openstack-boston/boston/",
            "http://www.stackops.com/wp-content/uploads/2011/10/boston.png",
        ),
        (
            "/2011/10/03/openstack-boston/boston",
            "http://www.stackops.com/wp-content/uploads/2011/10/boston.png",
        ),
        ("http://essexdesignsummit.sched.org/", "http://essexdesignsummit.sched.org/"),
        ("mailto:info@stackops.com", "mailto:info@stackops.com"),
        ("#section", "#section"),
        ("../relative.html", "../relative.html"),
        ("http://[broken", "http://[broken"),
    ],
)
def test_rewrite_url(url, expected):
    assert rewrite_url(url, INDEX) == expected


def test_media_url_maps_uploads_only():
    def media(url: str) -> str:
        return "/media/" + url.rsplit("/", 1)[1]

    assert rewrite_url("/wp-content/uploads/x.png", INDEX, media) == "/media/x.png"
    assert rewrite_url("http://stackops.com/wp-content/uploads/2011/y.jpg", INDEX, media) == "/media/y.jpg"
    assert rewrite_url("http://example.org/wp-content/uploads/z.jpg", INDEX, media) == (
        "http://example.org/wp-content/uploads/z.jpg"  # someone else's uploads: external
    )


def test_rewrite_html_attributes_and_srcset():
    html = (
        '<a href="http://www.stackops.com/?p=2078&amp;replytocom=3" target="_blank">x</a>'
        "<img src='/wp-content/uploads/a-300x200.png' srcset=\"/wp-content/uploads/a-300x200.png 300w, "
        'http://www.stackops.com/wp-content/uploads/a.png 1024w"> <p>http://www.stackops.com/?p=2078</p>'
    )
    out = rewrite_html(html, INDEX)
    assert f'href="{BOSTON.url}"' in out
    assert 'src="http://www.stackops.com/wp-content/uploads/a-300x200.png"' in out
    assert (
        'srcset="http://www.stackops.com/wp-content/uploads/a-300x200.png 300w, '
        'http://www.stackops.com/wp-content/uploads/a.png 1024w"'
    ) in out
    assert "<p>http://www.stackops.com/?p=2078</p>" in out  # text is not an attribute


def test_spaces_in_urls_are_encoded():
    assert rewrite_url("http://example.com/my file.pdf", INDEX) == "http://example.com/my%20file.pdf"


def test_files_on_the_site_outside_uploads_keep_their_host():
    # Stripping the host would leave a path the new site has nothing to serve at.
    markup = (
        '<img src="http://www.stackops.com/wp-content/themes/stackops/logo.png">'
        '<img src="/images/banner.jpg">'
        '<a href="http://www.stackops.com/descargas/nova.zip">zip</a>'
        '<a href="http://www.stackops.com/category/cloud/">cloud</a>'
    )
    out = rewrite_html(markup, INDEX)
    assert 'src="http://www.stackops.com/wp-content/themes/stackops/logo.png"' in out
    assert 'src="http://www.stackops.com/images/banner.jpg"' in out
    assert 'href="http://www.stackops.com/descargas/nova.zip"' in out
    assert 'href="http://www.stackops.com/category/cloud/"' in out  # no such term page: not migrated


# The old site's archive pages the new site has (site/archives.py builds this table).
ARCHIVES = {
    ("category", "cloud"): "/categories/cloud/",
    ("category", "heropress"): "/categories/heropress/",
    ("post_tag", "qué-es"): "/tags/qué-es/",
    ("author", "jmolina"): "/",
    ("feed", ""): "/index.xml",
}
BLOG = SiteIndex(
    site_hosts=frozenset({"www.stackops.com"}),
    base_urls=("http://www.stackops.com/blog",),
    targets={51: BOSTON},
    targets_by_path={"/blog/java-work/ejb-client.html": LinkTarget(60, "post", "/java-work/ejb-client.html")},
    archive_urls=ARCHIVES,
)


# Old link → its URL on the new site (or left on the old host when the new site has no page).
OLD_FORMS = {
    "http://www.stackops.com/blog/category/cloud/": "/categories/cloud/",
    "/blog/category/openstack/cloud": "/categories/cloud/",  # a child: its own slug
    "https://www.stackops.com/news/category/heropress/#top": "/categories/heropress/#top",  # custom base
    "http://www.stackops.com/blog/tag/qu%C3%A9-es/": "/tags/qué-es/",
    "http://www.stackops.com/blog/author/jmolina/": "/",
    "http://www.stackops.com/blog/feed/": "/index.xml",
    "/blog/archives/51": BOSTON.url,  # the numeric permalink structure
    "http://www.stackops.com/archives/51#comments": BOSTON.url + "#comments",
    "http://www.stackops.com/blog/": "/",  # the old home, below its folder
    # blog-bloggure: an attachment page whose attachment the export lacks → the post it was in.
    "/blog/java-work/ejb-client.html/attachment/logo_jrebel": "/java-work/ejb-client.html",
    # No page on the new site: left absolute on the old host.
    "http://www.stackops.com/blog/archives/52": "http://www.stackops.com/blog/archives/52",
    "/blog/tag/unused/": "http://www.stackops.com/blog/tag/unused/",
    "/blog/2007/01/23/feed/": "http://www.stackops.com/blog/2007/01/23/feed/",
}


@pytest.mark.parametrize(("url", "expected"), OLD_FORMS.items())
def test_old_archive_forms_resolve_to_the_new_site(url, expected):
    assert rewrite_url(url, BLOG) == expected


def test_links_to_pages_not_migrated_are_told_to_the_caller():
    seen: list[str] = []
    markup = '<a href="/support/">s</a> <a href="http://www.stackops.com/support/">s</a> <a href="/blog/feed/">f</a>'
    out = rewrite_html(markup, BLOG, not_migrated=seen.append)
    assert out == (
        '<a href="http://www.stackops.com/support/">s</a> '
        '<a href="http://www.stackops.com/support/">s</a> <a href="/index.xml">f</a>'
    )
    assert seen == ["http://www.stackops.com/support/", "http://www.stackops.com/support/"]


def test_archive_table_of_a_site_resolves_its_old_forms():
    # site/archives.py makes the table links.py reads: used terms, described ones, authors, the
    # feed, and the slugs of dated permalinks that only one post has.
    hello = LinkTarget(7, "post", "/2011/10/03/hola/")
    news = [LinkTarget(8, "post", "/2012/01/05/news/"), LinkTarget(9, "post", "/2013/02/06/news/")]
    index = SiteIndex(
        site_hosts=frozenset({"www.stackops.com"}),
        base_urls=("http://www.stackops.com",),
        targets={7: hello, 8: news[0], 9: news[1]},
        targets_by_path={
            "/2011/10/03/hola/": hello,
            "/2012/01/05/news/": news[0],
            "/2013/02/06/news/": news[1],
        },
        terms={
            ("category", "nube"): Term("category", "nube", "La Nube", id=3),
            ("category", "vacia"): Term("category", "vacia", "Vacía", id=4),
            ("post_tag", "descrita"): Term(
                "post_tag", "descrita", "Descrita", description="Sin posts.", id=5
            ),
        },
        authors={"jmolina": Author("jmolina", "J. Molina")},
    )
    used = {ItemTerm("category", "nube", "La Nube")}
    index = replace(index, archive_urls=archive_urls(index, used, Settings()))
    assert rewrite_url("/category/nube/", index) == "/categories/la-nube/"
    assert rewrite_url("/tag/descrita/", index) == "/tags/descrita/"  # its _index.md makes the page
    assert rewrite_url("/category/vacia/", index) == "http://www.stackops.com/category/vacia/"
    assert rewrite_url("/author/jmolina/", index) == "/"
    assert rewrite_url("http://www.stackops.com/feed/", index) == "/index.xml"
    assert rewrite_url("/2011/10/04/hola/", index) == "/2011/10/03/hola/"  # the date wrong, one "hola"
    assert rewrite_url("/2011/10/hola/", index) == "/2011/10/03/hola/"
    assert rewrite_url("/2012/01/06/news/", index) == "http://www.stackops.com/2012/01/06/news/"  # two


# rewrite_html as first written: every start tag goes to the attribute pass, which changes those
# with a URL attribute. The faster form only calls it for those: the same text must come out.
_EVERY_TAG = re.compile(r"<[A-Za-z][^>]*>")
_TAG_PIECES = [
    "<",
    ">",
    "a",
    "A",
    " ",
    "\n",
    "href",
    "HREF",
    "src",
    "srcset",
    "poster",
    "=",
    '"x"',
    "'y'",
    "z",
    "/",
    "ſ",
]


def _mark(m: re.Match[str]) -> str:
    return m.group(1) + "[" + (m.group(2) or m.group(3) or m.group(4) or "") + "]"


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_TAG_PIECES)).map("".join))
@example("<ſ href=x>")  # `re` matches ſ with s when ignoring case: not a tag
@example("<b <a href='y'> <i>")
def test_only_tags_with_a_url_attribute_are_looked_at_and_they_are_all_found(text: str):
    slow = _EVERY_TAG.sub(lambda m: links._URL_ATTR.sub(_mark, m.group(0)), text)
    assert links._URL_TAG.sub(lambda m: links._URL_ATTR.sub(_mark, m.group(0)), text) == slow


def test_dated_slugs_of_a_site_in_the_scratch_file_are_grouped_there(tmp_path):
    # A dated site has one slug per post: archive_urls groups them in a table of the run's file
    # (more than a batch and a read chunk here), in the order Python sorts the slugs, and leaves
    # no table behind (a second call finds none in its way).
    from migrate.convert.links import DATED, DATED_KIND
    from migrate.sitestore import Store

    store = Store(tmp_path / "index.sqlite")
    by_path = store.table("targets_by_path")
    slugs = [f"entrada-{n}" for n in range(2300)] + ["ñandú", "zorro", "Émile", "entrada-7"]
    for n, slug in enumerate(slugs):
        target = LinkTarget(n, "post", f"/{2000 + n % 20}/01/{1 + n % 19:02d}/{slug}/")
        by_path[target.url] = target
        if n % 500 == 0:  # an old URL of the same post: not ambiguous
            by_path[f"/1999/12/{slug}/"] = target
    index = SiteIndex(site_hosts=frozenset({"x.org"}), base_urls=("http://x.org",), targets_by_path=by_path)
    expected: dict[str, set[str]] = {}
    for path, target in by_path.items():
        expected.setdefault(DATED.search(path).group(1).lower(), set()).add(target.url)
    for name in ("first", "second"):
        out = store.table(name, tuple_keys=True)
        archive_urls(index, set(), Settings(), out)
        dated = [(key, url) for key, url in out.items() if key[0] == DATED_KIND]
        assert dated == [
            ((DATED_KIND, s), next(iter(urls))) for s, urls in sorted(expected.items()) if len(urls) == 1
        ]
        assert (DATED_KIND, "entrada-7") not in out and (DATED_KIND, "émile") in out
    store.close()

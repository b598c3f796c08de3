"""Redirect rules and the three server formats, on small exports built for each rule."""

import re

from migrate import redirects, targets
from migrate.media import ItemRefs, MediaIndex
from migrate.mediaplan import MediaLinks, place_files, plan_media
from migrate.models import ItemTerm
from migrate.plan import scan
from migrate.redirects import Redirect
from migrate.settings import Settings

from .helpers import HEAD, category, item, meta, write_wxr

ATTACHMENT = (
    "\n\t\t<wp:attachment_url>http://www.stackops.com/wp-content/uploads/2011/10/{}</wp:attachment_url>"
)


def attachment(post_id, parent, link, name):
    return item(
        post_id,
        post_type="attachment",
        status="inherit",
        parent=parent,
        link=link,
        extra=ATTACHMENT.format(name),
    )


def build(tmp_path, *items, terms=(), settings=None, head=None):
    settings = settings or Settings()
    path = tmp_path / "e.xml"
    write_wxr(path, *items)
    if head:
        path.write_text(path.read_text().replace("http://www.stackops.com</wp:base_blog_url>", head))
    plan = targets.place(scan([path]), settings)
    return redirects.build(plan, terms, targets.layout(settings))


def test_query_ids_old_slugs_and_pages(tmp_path):
    found = build(
        tmp_path,
        item(1, slug="uno", extra=meta("_wp_old_slug", "viejo")),
        item(2, "Empresa", post_type="page", slug="empresa", link="http://www.stackops.com/empresa/"),
        item(3, status="draft", slug="borrador", link="http://www.stackops.com/?p=3"),
    )
    assert found == [
        Redirect("/", "p=1", "/2011/10/03/uno/"),
        Redirect("/", "p=2", "/empresa/"),
        Redirect("/", "page_id=2", "/empresa/"),
        Redirect("/2011/10/03/viejo/", "", "/2011/10/03/uno/"),
        Redirect("/author/diego/", "", "/"),  # no author pages on the new site: its home page
        Redirect("/author/diego/feed/", "", "/index.xml"),
        Redirect("/feed/", "", "/index.xml"),
    ]


def test_attachments_go_to_a_published_parent_else_to_the_file(tmp_path):
    found = build(
        tmp_path,
        item(1, slug="uno"),
        item(2, status="draft", slug="dos"),
        attachment(10, 1, "http://www.stackops.com/2011/10/03/uno/foto/", "foto.png"),
        attachment(11, 2, "http://www.stackops.com/?attachment_id=11", "doc.pdf"),
    )
    assert Redirect("/", "attachment_id=10", "/2011/10/03/uno/") in found
    assert Redirect("/2011/10/03/uno/foto/", "", "/2011/10/03/uno/") in found
    # No media written (--media none): the old absolute URL, not a local path where nothing is.
    assert (
        Redirect("/", "attachment_id=11", "http://www.stackops.com/wp-content/uploads/2011/10/doc.pdf")
        in found
    )
    assert not [r for r in found if "p=2" in r.query]


def test_attachments_of_drafts_go_to_the_file_only_where_the_new_site_has_it(tmp_path):
    path = write_wxr(
        tmp_path / "e.xml",
        item(2, status="draft", slug="dos"),
        attachment(11, 2, "http://www.stackops.com/?attachment_id=11", "doc ñ.pdf"),
        attachment(12, 2, "http://www.stackops.com/dos/foto/", "foto.png"),
    )
    plan = scan([path])
    index = plan.index
    media_index = MediaIndex(index.attachments.values(), index.site_hosts, index.base_urls[0])
    media = plan_media({2: ItemRefs(attachment_ids=(11, 12))}, index.attachments, media_index)
    places = place_files(media, "static", {2: "content/posts/dos.md"}, {})
    got = {"wp-content/uploads/2011/10/doc ñ.pdf": places["wp-content/uploads/2011/10/doc ñ.pdf"]}
    links = MediaLinks(media_index, got)  # foto.png could not be had
    found = redirects.build(plan, [], targets.HUGO, links.link)
    assert Redirect("/", "attachment_id=11", "/wp-content/uploads/2011/10/doc ñ.pdf") in found
    old_url = "http://www.stackops.com/wp-content/uploads/2011/10/foto.png"
    assert Redirect("/", "attachment_id=12", old_url) in found
    assert Redirect("/dos/foto/", "", old_url) in found


def test_category_chains_tags_and_feeds_for_used_terms_only(tmp_path):
    used = [
        ItemTerm("category", "openstack", "OpenStack"),
        ItemTerm("post_tag", "cloud-privada", "cloud privada"),
    ]
    found = build(
        tmp_path, item(1, slug="uno", extra=category("category", "openstack", "OpenStack")), terms=used
    )
    archives = [(r.old, r.new) for r in found if r.old.startswith(("/category", "/tag"))]
    assert archives == [
        ("/category/cloud/openstack/", "/categories/openstack/"),
        ("/category/cloud/openstack/feed/", "/categories/openstack/index.xml"),
        ("/category/openstack/", "/categories/openstack/"),
        ("/category/openstack/feed/", "/categories/openstack/index.xml"),
        ("/tag/cloud-privada/", "/tags/cloud-privada/"),
        ("/tag/cloud-privada/feed/", "/tags/cloud-privada/index.xml"),
    ]
    jekyll = build(tmp_path, item(1, slug="uno"), terms=used, settings=Settings(target="jekyll"))
    assert Redirect("/tag/cloud-privada/feed/", "", "/tag/cloud-privada/") in jekyll
    assert Redirect("/feed/", "", "/feed.xml") in jekyll
    assert not [r for r in jekyll if r.old == "/tag/cloud-privada/"]  # jekyll-archives serves it


def test_a_blog_in_a_subfolder_keeps_its_prefix(tmp_path):
    found = build(
        tmp_path,
        item(1, slug="uno", link="http://www.stackops.com/blog/2011/10/03/uno/"),
        head="http://www.stackops.com/blog</wp:base_blog_url>",
    )
    assert Redirect("/blog/", "p=1", "/blog/2011/10/03/uno/") in found
    assert Redirect("/blog/feed/", "", "/index.xml") in found


def test_a_url_the_new_site_serves_is_never_redirected(tmp_path):
    # Item 2's old slug is item 1's current permalink: the page wins.
    found = build(tmp_path, item(1, slug="uno"), item(2, slug="dos", extra=meta("_wp_old_slug", "uno")))
    assert not [r for r in found if r.old == "/2011/10/03/uno/"]


SAMPLE = [
    Redirect("/", "p=12", "/a b/¿qué?/"),
    Redirect('/old "x"/', "", "/new/"),
]


def test_nginx_quotes_paths_and_groups_queries():
    assert redirects.nginx(SAMPLE).splitlines()[2:] == [
        'location = "/old \\"x\\"/" { return 301 /new/; }',
        "location = / {",
        '    if ($arg_p = "12") { return 301 /a%20b/%C2%BFqu%C3%A9%3F/; }',
        "}",
    ]


def test_netlify_encodes_and_forces():
    assert redirects.netlify(SAMPLE).splitlines()[1:] == [
        "/  p=12  /a%20b/%C2%BFqu%C3%A9%3F/  301!",
        "/old%20%22x%22/  /new/  301!",
    ]


def test_apache_escapes_patterns_and_percent_signs():
    lines = redirects.apache(SAMPLE).splitlines()
    assert lines[1:] == [
        "RewriteEngine On",
        "RewriteCond %{QUERY_STRING} (?:^|&)p=12(?:&|$)",
        "RewriteRule ^$ /a\\%20b/\\%C2\\%BFqu\\%C3\\%A9\\%3F/ [R=301,L,NE,QSD]",
        'RewriteRule ^old\\x20"x"/$ /new/ [R=301,L,NE]',
    ]
    pattern = lines[-1].split()[1]
    assert re.fullmatch(pattern, 'old "x"/')  # the pattern is a regex matching the decoded path


def test_files_land_where_each_server_reads_them():
    hugo = [path for path, _ in redirects.files(SAMPLE, ("nginx", "netlify", "apache"), targets.HUGO)]
    jekyll = [path for path, _ in redirects.files(SAMPLE, ("netlify", "apache"), targets.JEKYLL)]
    assert hugo == ["redirects/nginx.conf", "static/_redirects", "static/.htaccess"]
    assert jekyll == ["_redirects", ".htaccess"]
    assert HEAD  # helpers' channel declares cloud > openstack, used above

"""Pass 1's media references (regexes over raw bodies) and the media plan built from them."""

from migrate.media import ItemRefs, MediaIndex, attachment_metadata, item_refs
from migrate.mediaplan import place_files, plan_media, safe_key
from migrate.models import Attachment

SITE = "http://www.stackops.com"
META = (
    'a:2:{s:4:"file";s:18:"2011/10/boston.png";s:5:"sizes";a:1:{s:6:"medium";a:2:'
    '{s:4:"file";s:18:"boston-300x225.png";s:8:"filesize";i:900;}}}'
)
BOSTON = Attachment(
    5,
    f"{SITE}/wp-content/uploads/2011/10/boston.png",
    attached_file="2011/10/boston.png",
    **attachment_metadata(META),
    parent=1,
)
MAPA = Attachment(
    6, f"{SITE}/wp-content/uploads/2012/01/mapa.png", attached_file="2012/01/mapa.png", parent=1
)
DOC = Attachment(7, f"{SITE}/wp-content/uploads/2012/01/doc.pdf", attached_file="2012/01/doc.pdf", parent=2)
ATTACHMENTS = {a.id: a for a in (BOSTON, MAPA, DOC)}
INDEX = MediaIndex(ATTACHMENTS.values(), {"www.stackops.com", "stackops.com"}, SITE)


def test_every_kind_of_reference_is_found():
    body = f"""
<img src="{SITE}/wp-content/uploads/2011/10/boston-300x225.png"
     srcset="{SITE}/wp-content/uploads/2011/10/boston-300x225.png 300w, /wp-content/uploads/2011/10/boston.png 800w">
<a href="{SITE}/wp-content/uploads/2012/01/doc.pdf">PDF</a> <a href="{SITE}/2011/10/03/post/">post</a>
[audio mp3="{SITE}/wp-content/uploads/2012/01/podcast.mp3"][/audio]
<video poster="https://i0.wp.com/www.stackops.com/wp-content/uploads/2012/01/mapa.png?resize=300%2C200&amp;ssl=1"></video>
[gallery ids="5, 6" columns="2"] [gallery link="file"]
<!-- wp:image {{"id":6,"sizeSlug":"large"}} --> <!-- wp:gallery {{"ids":[5,7]}} -->
"""
    refs = item_refs(body, thumbnail_id="7")
    assert refs.urls == (
        f"{SITE}/wp-content/uploads/2011/10/boston-300x225.png",
        "/wp-content/uploads/2011/10/boston.png",
        f"{SITE}/wp-content/uploads/2012/01/doc.pdf",
        f"{SITE}/wp-content/uploads/2012/01/podcast.mp3",
        "https://i0.wp.com/www.stackops.com/wp-content/uploads/2012/01/mapa.png?resize=300%2C200&ssl=1",
    )
    assert refs.attachment_ids == (5, 6, 7)
    assert refs.parent_gallery
    assert not item_refs("<p>Sin imágenes, con un <a href='http://example.com/'>enlace</a>.</p>")


def test_plan_maps_sizes_and_photon_to_one_original_stored_once():
    refs = {
        1: ItemRefs(
            urls=(
                f"{SITE}/wp-content/uploads/2011/10/boston-300x225.png",
                "https://i0.wp.com/www.stackops.com/wp-content/uploads/2012/01/mapa.png?w=300",
                "https://farm1.staticflickr.com/1/a.jpg",
            ),
            parent_gallery=True,
        ),
        2: ItemRefs(
            urls=("https://stackops.com/wp-content/uploads/2011/10/boston.png",), attachment_ids=(7,)
        ),
    }
    plan = plan_media(refs, ATTACHMENTS, INDEX)
    assert list(plan.files) == [
        "wp-content/uploads/2011/10/boston.png",
        "wp-content/uploads/2012/01/doc.pdf",
        "wp-content/uploads/2012/01/mapa.png",
    ]
    assert plan.files["wp-content/uploads/2011/10/boston.png"].url == BOSTON.url
    assert plan.users["wp-content/uploads/2011/10/boston.png"] == (1, 2)
    assert plan.hotlinked == [(1, "https://farm1.staticflickr.com/1/a.jpg")]
    places = place_files(
        plan, "bundle", {1: "content/posts/a/index.md", 2: "content/posts/b.md"}, {1: "/a/", 2: "/b/"}
    )
    boston = places["wp-content/uploads/2011/10/boston.png"]
    assert (boston.target, boston.owner, boston.link_for_owner, boston.link_for_others) == (
        "content/posts/a/boston.png",
        1,
        "boston.png",
        "/a/boston.png",
    )
    # Post 2 is not a bundle: its file falls back to static.
    assert places["wp-content/uploads/2012/01/doc.pdf"].target == "static/wp-content/uploads/2012/01/doc.pdf"


def test_safe_key_refuses_paths_that_climb():
    assert safe_key("2011/10/a.png") == "2011/10/a.png"
    assert safe_key("/2011//./10/a.png") == "2011/10/a.png"
    for bad in ("../etc/passwd", "2011/../../x", "a\\..\\..\\x", "C:/x", "a\x00b"):
        assert safe_key(bad) == ""

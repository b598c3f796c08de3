from migrate.media import MediaIndex, attachment_metadata
from migrate.models import Attachment

from .test_phpserial import METADATA

BOSTON = Attachment(
    id=2079,
    url="http://www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion.png",
    attached_file="2011/10/boston-photo-avion.png",
    **attachment_metadata(METADATA),
)
NO_META = Attachment(id=2080, url="http://www.stackops.com/wp-content/uploads/2012/01/diagrama.png")


def index():
    return MediaIndex([BOSTON, NO_META], {"www.stackops.com", "stackops.com"}, "http://www.stackops.com")


def test_original_and_its_sizes_resolve_to_the_original():
    idx = index()
    for url in (
        "http://www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion.png",
        "https://stackops.com/wp-content/uploads/2011/10/boston-photo-avion-300x225.png",
        "http://www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion-150x150.png",
        "https://i0.wp.com/www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion-300x225.png?resize=300%2C225&amp;ssl=1",
        "http://www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion.png?w=300",
        "/wp-content/uploads/2011/10/boston-photo-avion-300x225.png",
    ):
        got = idx.resolve(url)
        assert got is not None, url
        assert (got.url, got.upload_path, got.attachment_id) == (BOSTON.url, BOSTON.attached_file, 2079), url
    assert idx.resolve(BOSTON.url).how == "original"
    assert (
        idx.resolve("http://www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion-300x225.png").how
        == "size"
    )


def test_size_not_in_metadata_is_not_guessed_when_metadata_exists():
    got = index().resolve("http://www.stackops.com/wp-content/uploads/2011/10/boston-photo-avion-640x480.png")
    assert got.how == "unknown" and got.attachment_id == 0


def test_stripping_is_the_fallback_without_metadata():
    got = index().resolve("http://www.stackops.com/wp-content/uploads/2012/01/diagrama-300x200.png")
    assert (got.url, got.attachment_id, got.how) == (NO_META.url, 2080, "guessed")
    orphan = index().resolve("http://www.stackops.com/wp-content/uploads/2010/05/viejo-1024x768.jpg")
    assert (orphan.upload_path, orphan.attachment_id, orphan.how) == ("2010/05/viejo.jpg", 0, "guessed")


def test_foreign_hosts_and_non_uploads_are_not_media():
    idx = index()
    assert idx.resolve("https://example.com/wp-content/uploads/2011/10/x.png") is None
    assert idx.resolve("http://www.stackops.com/2011/10/03/post/") is None

"""Gutenberg gallery blocks → a `<div class="gallery">` of figures with their captions, never a list."""

from migrate.convert import convert_body
from migrate.models import Attachment, SiteIndex

SITE = "https://example.blog"
FILES = SITE + "/wp-content/uploads/2020/07/"
INDEX = SiteIndex(
    site_hosts=frozenset({"example.blog", "www.example.blog"}),
    base_urls=(SITE,),
    attachments={611: Attachment(611, FILES + "canola.jpg", link=SITE + "/2020/07/01/post/canola/")},
    attachment_pages={"/2020/07/01/post/canola/": 611},
)

# WordPress 5.3–5.8: a <ul> of <li><figure> inside the block's <figure>, linked to attachment pages.
LIST_GALLERY = (
    '<!-- wp:gallery {"ids":[611,612],"linkTo":"attachment"} -->\n'
    '<figure class="wp-block-gallery columns-2 is-cropped"><ul class="blocks-gallery-grid">'
    f'<li class="blocks-gallery-item"><figure><a href="{SITE}/2020/07/01/post/canola/">'
    f'<img src="{FILES}canola-1024x768.jpg" alt="canola" data-id="611" class="wp-image-611"/></a>'
    '<figcaption class="blocks-gallery-item__caption">Canola &amp; <em>sky</em></figcaption></figure></li>'
    f'<li class="blocks-gallery-item"><figure><img src="{FILES}boat.jpg" alt="" data-id="612"/></figure></li>'
    '</ul><figcaption class="blocks-gallery-caption">Two <strong>fields</strong></figcaption></figure>\n'
    "<!-- /wp:gallery -->"
)
# WordPress ≥ 5.9: image blocks nested in the gallery's <figure>, linked to their files.
NESTED_GALLERY = (
    '<!-- wp:gallery {"linkTo":"media"} -->\n'
    '<figure class="wp-block-gallery has-nested-images columns-default is-cropped">'
    '<!-- wp:image {"id":611,"linkDestination":"media"} -->\n'
    f'<figure class="wp-block-image size-large"><a href="{FILES}canola.jpg"><img src="{FILES}canola.jpg" alt=""'
    ' class="wp-image-611"/></a><figcaption class="wp-element-caption">Canola</figcaption></figure>\n'
    "<!-- /wp:image -->\n\n"
    '<!-- wp:image {"id":612} -->\n'
    f'<figure class="wp-block-image size-large"><img src="{FILES}boat.jpg" alt="A boat" class="wp-image-612"/></figure>\n'
    "<!-- /wp:image --></figure>\n"
    "<!-- /wp:gallery -->"
)


def test_list_gallery_becomes_figures_with_captions_linked_to_files_not_attachment_pages():
    result = convert_body("<!-- wp:paragraph -->\n<p>Before</p>\n<!-- /wp:paragraph -->\n\n" + LIST_GALLERY, INDEX)
    assert result.markdown == (
        "Before\n\n"
        '<div class="gallery">\n\n'
        f'{{{{< figure src="{FILES}canola-1024x768.jpg" alt="canola" caption="Canola & *sky*" link="{FILES}canola.jpg" >}}}}\n\n'
        f'{{{{< figure src="{FILES}boat.jpg" >}}}}\n\n'
        "Two **fields**\n\n"
        "</div>\n"
    )
    assert not result.warnings


def test_nested_image_blocks_gallery():
    markdown = convert_body(NESTED_GALLERY, INDEX).markdown
    assert markdown == (
        '<div class="gallery">\n\n'
        f'{{{{< figure src="{FILES}canola.jpg" caption="Canola" link="{FILES}canola.jpg" >}}}}\n\n'
        f'{{{{< figure src="{FILES}boat.jpg" alt="A boat" >}}}}\n\n'
        "</div>\n"
    )


def test_gallery_for_jekyll_is_html():
    markdown = convert_body(LIST_GALLERY, INDEX, target="jekyll").markdown
    assert markdown == (
        '<div class="gallery">\n'
        f'<figure><a href="{FILES}canola.jpg"><img src="{FILES}canola-1024x768.jpg" alt="canola"></a>'
        "<figcaption>Canola &amp; <em>sky</em></figcaption></figure>\n"
        f'<figure><img src="{FILES}boat.jpg" alt=""></figure>\n'
        '<p class="gallery-caption">Two <strong>fields</strong></p>\n'
        "</div>\n"
    )


def test_empty_gallery_is_left_out():
    empty = '<!-- wp:gallery {"linkTo":"file"} -->\n<figure class="wp-block-gallery columns-0 is-cropped"><ul class="blocks-gallery-grid"></ul></figure>\n<!-- /wp:gallery -->'
    result = convert_body("<p>Text</p>\n" + empty, INDEX)
    assert result.markdown == "Text\n"
    assert result.warnings == ("gallery with no images left out",)


def test_gallery_inside_a_list_item_stays_inside_it():
    markdown = convert_body(f"<ul><li>Photos:{NESTED_GALLERY}</li></ul>", INDEX).markdown
    assert markdown.splitlines()[:3] == ["  - Photos:", "", '    <div class="gallery">']
    assert markdown.endswith('alt="A boat" >}}\n\n    </div>\n')


def test_many_unclosed_gallery_openers_stay_linear():
    # Closing tags are paired in one pass: an unclosed opener does not rescan the rest of the body.
    text = '<figure class="wp-block-gallery"><figure>' * 20000 + "text"
    assert convert_body(text, INDEX).markdown.endswith("text\n")

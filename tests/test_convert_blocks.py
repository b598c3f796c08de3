"""Gutenberg bodies (block comments out, no autop) and <figure>/<figcaption> → Hugo figure."""

from migrate.convert import convert_body
from migrate.convert.blocks import convert_blocks, is_block_content, strip_block_comments
from migrate.convert.context import Context
from migrate.convert.figures import convert_figures
from migrate.models import SiteIndex

GUTENBERG = """<!-- wp:paragraph -->
<p>Image block:</p>
<!-- /wp:paragraph -->

<!-- wp:image {"id":757,"sizeSlug":"large","linkDestination":"none"} -->
<figure class="wp-block-image size-large"><img src="https://wpthemetestdata.files.wordpress.com/2008/06/dcp_2082.jpg" alt="Boardwalk" class="wp-image-757"/><figcaption class="wp-element-caption">Boardwalk at Westport, WA</figcaption></figure>
<!-- /wp:image -->

<!-- wp:latest-posts /-->

<!-- wp:archives {"displayAsDropdown":true,"showPostCounts":true} /-->

<!-- wp:paragraph -->
<p>Line one
line two of the same paragraph.</p>
<!-- /wp:paragraph -->"""


def test_detects_block_content():
    assert is_block_content(GUTENBERG)
    assert not is_block_content("<p>Classic</p>\n\n<!--more-->")


def test_block_comments_and_dynamic_blocks_vanish():
    out = strip_block_comments(GUTENBERG)
    assert "wp:" not in out and "latest-posts" not in out and "/-->" not in out


def test_gutenberg_body_has_no_autop_and_a_captioned_figure():
    md = convert_body(GUTENBERG, SiteIndex()).markdown
    assert "<!-- wp:" not in md
    assert (
        '{{< figure src="https://wpthemetestdata.files.wordpress.com/2008/06/dcp_2082.jpg" alt="Boardwalk" '
        'caption="Boardwalk at Westport, WA" >}}'
    ) in md
    # No wpautop: the newline inside the <p> is whitespace, not a <br />.
    assert "Line one line two of the same paragraph." in md


def test_shortcode_block_gets_autop():
    ctx = Context.for_text("")
    html = "<!-- wp:shortcode -->\nfirst\nsecond\n<!-- /wp:shortcode -->"
    assert convert_blocks(html, ctx) == "<p>first<br />\nsecond</p>\n"


def test_embed_block_wrapper_becomes_shortcode_or_link():
    html = (
        '<!-- wp:embed {"url":"https://twitter.com/HengeWitch/status/1483500385180418048","type":"rich",'
        '"providerNameSlug":"twitter","responsive":true} --> <figure class="wp-block-embed is-type-rich '
        'is-provider-twitter wp-block-embed-twitter"><div class="wp-block-embed__wrapper"> '
        "https://twitter.com/HengeWitch/status/1483500385180418048 </div></figure> <!-- /wp:embed -->"
        '<!-- wp:embed {"url":"https://www.instagram.com/p/BpmueLLgEn_/"} --><figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">https://www.instagram.com/p/BpmueLLgEn_/?a=1&amp;b=2</div>'
        "</figure><!-- /wp:embed -->"
    )
    md = convert_body(html, SiteIndex()).markdown
    assert '{{< x user="HengeWitch" id="1483500385180418048" >}}' in md
    assert "<https://www.instagram.com/p/BpmueLLgEn_/?a=1&b=2>" in md


def test_nested_gallery_figures_each_become_figures():
    html = (
        '<figure class="wp-block-gallery has-nested-images"><figure class="wp-block-image"><img src="/a.jpg" '
        'alt="A"/><figcaption>First</figcaption></figure><figure class="wp-block-image"><a href="/b-full.jpg">'
        '<img src="/b.jpg" alt="B"/></a><figcaption>Second</figcaption></figure></figure>'
    )
    ctx = Context.for_text(html)
    out = ctx.store.restore(convert_figures(html, ctx))
    assert '{{< figure src="/a.jpg" alt="A" caption="First" >}}' in out
    assert '{{< figure src="/b.jpg" alt="B" caption="Second" link="/b-full.jpg" >}}' in out


def test_figure_without_caption_is_left_to_markdown():
    html = '<figure class="wp-block-image"><img src="https://example.com/x.jpg" alt="X"/></figure>'
    assert convert_body(html, SiteIndex()).markdown == "![X](https://example.com/x.jpg)\n"


def test_table_figure_with_caption_is_not_an_image():
    html = "<figure><table><tr><td>cell</td></tr></table><figcaption>Table caption</figcaption></figure>"
    md = convert_body(html, SiteIndex()).markdown
    assert "figure" not in md and "cell" in md and "Table caption" in md


COVER_IMAGE = "https://example.blog/wp-content/uploads/2008/06/windmill.jpg"


def test_cover_with_a_css_background_keeps_the_image_and_the_text():
    # WordPress < 5.7: the image is only the block's url attribute and a CSS background.
    old = (
        f'<!-- wp:cover {{"url":"{COVER_IMAGE.replace("/", chr(92) + "/")}","align":"left","id":761}} -->\n'
        f'<div class="wp-block-cover has-background-dim alignleft" style="background-image:url({COVER_IMAGE})">'
        '<p class="wp-block-cover-text">A left aligned <strong>cover</strong>.</p></div>\n<!-- /wp:cover -->'
    )
    assert convert_body(old, SiteIndex()).markdown == f"![]({COVER_IMAGE})\n\nA left aligned **cover**.\n"
    # A fixed background (any version): an empty <div role="img"> with the CSS; the alt attribute.
    fixed = (
        f'<!-- wp:cover {{"url":"{COVER_IMAGE}","alt":"Windmill","hasParallax":true}} -->\n'
        '<div class="wp-block-cover has-parallax"><span aria-hidden="true" class="wp-block-cover__background"></span>'
        f'<div role="img" class="wp-block-cover__image-background" style="background-position:50% 50%;background-image:url({COVER_IMAGE})"></div>'
        '<div class="wp-block-cover__inner-container"><!-- wp:paragraph -->\n<p>Fixed</p>\n<!-- /wp:paragraph --></div></div>\n'
        "<!-- /wp:cover -->"
    )
    assert convert_body(fixed, SiteIndex()).markdown == f"![Windmill]({COVER_IMAGE})\n\nFixed\n"
    # Only the attribute (style stripped by a plugin): still the image.
    bare = f'<!-- wp:cover {{"url":"{COVER_IMAGE}"}} -->\n<div class="wp-block-cover"><p>Text</p></div>\n<!-- /wp:cover -->'
    assert convert_body(bare, SiteIndex()).markdown == f"![]({COVER_IMAGE})\n\nText\n"


def test_cover_showing_its_image_video_or_a_colour_is_left_as_it_is():
    img = (
        f'<!-- wp:cover {{"url":"{COVER_IMAGE}","id":761}} -->\n<div class="wp-block-cover">'
        f'<img class="wp-block-cover__image-background wp-image-761" alt="Wind" src="{COVER_IMAGE}"/>'
        '<div class="wp-block-cover__inner-container"><!-- wp:paragraph -->\n<p>Title</p>\n<!-- /wp:paragraph --></div></div>\n'
        "<!-- /wp:cover -->"
    )
    assert convert_body(img, SiteIndex()).markdown == f"![Wind]({COVER_IMAGE})\n\nTitle\n"  # once
    video = (
        '<!-- wp:cover {"url":"https://example.blog/v.mov","backgroundType":"video"} -->\n'
        '<div class="wp-block-cover"><video class="wp-block-cover__video-background" src="https://example.blog/v.mov"></video>'
        '<p class="wp-block-cover-text">Moving</p></div>\n<!-- /wp:cover -->'
    )
    assert "![" not in convert_body(video, SiteIndex()).markdown
    colour = '<!-- wp:cover {"customOverlayColor":"#0400e0"} -->\n<div class="wp-block-cover" style="background-color:#0400e0"><p>Hello</p></div>\n<!-- /wp:cover -->'
    assert convert_body(colour, SiteIndex()).markdown == "Hello\n"

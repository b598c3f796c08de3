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

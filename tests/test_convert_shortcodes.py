"""WordPress shortcodes: caption, gallery, embeds, media; unknown ones kept verbatim and reported."""

from migrate.convert import convert_body
from migrate.convert.context import Context
from migrate.convert.shortcodes import convert_shortcodes, parse_attrs
from migrate.models import Attachment, SiteIndex

FILES = "https://wpthemetestdata.files.wordpress.com/2008/06/"
INDEX = SiteIndex(
    site_hosts=frozenset({"wpthemetestdata.wordpress.com", "www.wpthemetestdata.wordpress.com"}),
    base_urls=("https://wpthemetestdata.wordpress.com",),
    attachments={
        755: Attachment(755, FILES + "100_5540.jpg", title="Golden Gate Bridge", alt="Golden Gate Bridge", parent=555,
                        caption="The <em>Golden Gate</em> &amp; fog"),
        757: Attachment(757, FILES + "dcp_2082.jpg", title="Boardwalk", alt="", parent=555),
        758: Attachment(758, FILES + "dsc03149.jpg", title="Yachtsody in Blue", alt="Yachtsody in Blue", parent=555),
        760: Attachment(760, FILES + "dsc09114.jpg", title="Sydney Harbor Bridge", parent=1031),
        900: Attachment(900, FILES + "notes.pdf", title="Notes", parent=555),
        901: Attachment(901, FILES + "unattached.jpg", title="Unattached", parent=0),
    },
)


def _run(text: str, post_id: int = 0) -> tuple[str, Context]:
    ctx = Context.for_text(text, INDEX, post_id=post_id)
    return ctx.store.restore(convert_shortcodes(text, ctx)), ctx


def test_parse_attrs_any_quoting():
    attrs = parse_attrs(""" id="attachment_12" align='alignright' width=300 "pos one" bare""")
    assert attrs == {"id": "attachment_12", "align": "alignright", "width": "300", 0: "pos one", 1: "bare"}


def test_caption_with_linked_image_becomes_figure_with_link():
    text = (
        '[caption id="attachment_612" align="aligncenter" width="640" caption="Chunk of resinous blackboy husk, '
        'Clarkson, Western Australia."]<a href="https://wpthemetestdata.files.wordpress.com/2013/09/full.jpg">'
        '<img src="https://wpthemetestdata.files.wordpress.com/2013/09/thumb-300x225.jpg" alt="chunk of resinous '
        'blackboy husk" width="640" height="480" class="size-full wp-image-612" /></a>[/caption]'
    )
    out, _ = _run(text)
    assert out.strip() == (
        '{{< figure src="https://wpthemetestdata.files.wordpress.com/2013/09/thumb-300x225.jpg" '
        'alt="chunk of resinous blackboy husk" caption="Chunk of resinous blackboy husk, Clarkson, Western '
        'Australia." link="https://wpthemetestdata.files.wordpress.com/2013/09/full.jpg" >}}'
    )


def test_caption_text_in_content_with_link_markup_and_no_wrapping_link():
    text = (
        '[caption id="attachment_906" align="aligncenter" width="580"]<img class="size-full wp-image-906" '
        'title="Image Alignment 580x300" alt="Image Alignment 580x300" src="https://wpthemetestdata.files.wordpress.com'
        '/2013/03/image-alignment-580x300.jpg" width="580" height="300" /> Look at 580x300 getting some <a title="Image '
        'Settings" href="https://en.support.wordpress.com/images/image-settings/">caption</a> love.[/caption]'
    )
    out, _ = _run(text)
    assert "link=" not in out
    # A caption with quotes is given as a raw string so Hugo reads it back exactly (checked with hugo).
    assert 'caption=`Look at 580x300 getting some [caption](https://en.support.wordpress.com/images/image-settings/ "Image Settings") love.`' in out


def _figure(name: str, alt: str = "", caption: str = "", link: bool = True) -> str:
    call = f'{{{{< figure src="{FILES}{name}"'
    call += f' alt="{alt}"' if alt else ""
    call += f' caption="{caption}"' if caption else ""
    call += f' link="{FILES}{name}"' if link else ""
    return call + " >}}"


def _gallery(*figures: str) -> str:
    return "\n\n".join(['<div class="gallery">', *figures, "</div>"])


def test_gallery_ids_in_order_captions_from_the_attachments_and_missing_warned():
    out, ctx = _run('[gallery type="rectangular" columns="4" ids="758,755,757,999" orderby="rand"]')
    assert out.strip() == _gallery(
        _figure("dsc03149.jpg", "Yachtsody in Blue"),
        _figure("100_5540.jpg", "Golden Gate Bridge", "The *Golden Gate* & fog"),
        _figure("dcp_2082.jpg", "Boardwalk"),  # no alt: the title
    )
    assert ctx.warnings == ["gallery image 999 is not an attachment in the export"]


def test_gallery_links_the_file_unless_link_none():
    # WordPress's default links each image to its attachment page, which the new site has not.
    for attrs in ('ids="757"', 'ids="757" link="file"', 'ids="757" link="attachment"'):
        assert _run(f"[gallery {attrs}]")[0].strip() == _gallery(_figure("dcp_2082.jpg", "Boardwalk"))
    out, _ = _run('[gallery ids="757" link="none"]')
    assert out.strip() == _gallery(_figure("dcp_2082.jpg", "Boardwalk", link=False))


def test_gallery_for_jekyll_is_html_figures_in_the_div():
    ctx = Context.for_text("", INDEX)
    ctx.target = "jekyll"
    out = ctx.store.restore(convert_shortcodes('[gallery ids="755,757" link="none"]', ctx))
    assert out.strip() == (
        '<div class="gallery">\n'
        f'<figure><img src="{FILES}100_5540.jpg" alt="Golden Gate Bridge">'
        "<figcaption>The <em>Golden Gate</em> &amp; fog</figcaption></figure>\n"
        f'<figure><img src="{FILES}dcp_2082.jpg" alt="Boardwalk"></figure>\n'
        "</div>"
    )


def test_gallery_without_ids_uses_the_posts_images_by_id():
    out, ctx = _run("[gallery columns=\"2\"]", post_id=555)
    assert out.strip() == _gallery(
        _figure("100_5540.jpg", "Golden Gate Bridge", "The *Golden Gate* & fog"),
        _figure("dcp_2082.jpg", "Boardwalk"),
        _figure("dsc03149.jpg", "Yachtsody in Blue"),
    )  # 760 belongs to another post, 900 is not an image
    assert not ctx.warnings


def test_gallery_without_ids_and_without_a_post_lists_no_unattached_upload():
    out, ctx = _run("[gallery]", post_id=0)  # 901 has no parent (0): not this body's image
    assert out.strip() == ""
    assert ctx.warnings == ["gallery with no images found in the export left out"]


def test_gallery_urls_go_through_media_url():
    ctx = Context.for_text("", INDEX, media_url=lambda url: "/media/" + url.rsplit("/", 1)[1])
    out = ctx.store.restore(convert_shortcodes('[gallery ids="757"]', ctx))
    assert out.strip() == _gallery('{{< figure src="/media/dcp_2082.jpg" alt="Boardwalk" link="/media/dcp_2082.jpg" >}}')


def test_embed_shortcode_and_bare_provider_urls():
    out, _ = _run(
        "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]\n\n"
        "https://vimeo.com/146022717\n\n"
        "<p>https://twitter.com/nacin/status/319508408669708289</p>\n\n"
        "[embed]https://example.com/some/page[/embed]\n\n"
        "Read http://www.youtube.com/watch?v=abcdefghijk inline: not an embed."
    )
    assert "{{< youtube dQw4w9WgXcQ >}}" in out
    assert "{{< vimeo 146022717 >}}" in out
    assert '{{< x user="nacin" id="319508408669708289" >}}' in out
    assert "<https://example.com/some/page>" in out
    assert "Read http://www.youtube.com/watch?v=abcdefghijk inline" in out


def test_gist_has_no_hugo_shortcode_anymore():
    out, ctx = _run('[gist id="6397201" file="pom.xml"]')
    assert out.strip() == "<https://gist.github.com/6397201>"
    assert ctx.warnings and "gist" in ctx.warnings[0]


def test_wordpress_com_video_shortcodes():
    out, _ = _run(
        "[youtube=http://www.youtube.com/watch?v=H28Loz9LmI8&amp;hl=de&amp;fs=1&amp;]\n"
        "[youtube InCeVCGtHak]\n"
        '[youtube <a href="http://www.youtube.com/watch?v=lGG8BKYqiiw">http://www.youtube.com/watch?v=lGG8BKYqiiw</a>]'
    )
    assert out.count("{{< youtube") == 3
    assert "H28Loz9LmI8" in out and "InCeVCGtHak" in out and "lGG8BKYqiiw" in out


def test_wordpress_com_vimeo_and_youtube_url_forms():
    out, _ = _run(
        "[vimeo 146022717]\n[vimeo https://vimeo.com/146022718]\n[vimeo http://vimeo.com/146022719 w=400&h=300]\n"
        "[youtube=https://www.youtube.com/watch?v=dQw4w9WgXcQ]\n[youtube https://youtu.be/abcdefghijk]"
    )
    assert [line for line in out.split("\n") if line] == [
        "{{< vimeo 146022717 >}}",
        "{{< vimeo 146022718 >}}",
        "{{< vimeo 146022719 >}}",
        "{{< youtube dQw4w9WgXcQ >}}",
        "{{< youtube abcdefghijk >}}",
    ]


def test_dailymotion_shortcode_is_the_players_iframe_kept_as_raw_html():
    player = '<iframe src="https://www.dailymotion.com/embed/video/{}" width="640" height="360" frameborder="0" allowfullscreen></iframe>'
    out, ctx = _run("[dailymotion x7s94]\n[dailymotion id=xvfbp]\n[dailymotion 3PJztkCGvXvRwnjQp]")
    assert [line for line in out.split("\n") if line] == [
        player.format("x7s94"), player.format("xvfbp"), player.format("3PJztkCGvXvRwnjQp")
    ]
    assert ctx.raw_html == [
        "iframe https://www.dailymotion.com/embed/video/x7s94",
        "iframe https://www.dailymotion.com/embed/video/xvfbp",
        "iframe https://www.dailymotion.com/embed/video/3PJztkCGvXvRwnjQp",
    ]
    jekyll = convert_body("[dailymotion x7s94]", INDEX, target="jekyll")
    assert jekyll.markdown == player.format("x7s94") + "\n" and not jekyll.raw_html
    # WordPress embeds a Dailymotion URL alone on its line too.
    assert convert_body("https://www.dailymotion.com/video/x7s94_a-title", INDEX).markdown == player.format("x7s94") + "\n"
    prose = "See [dailymotion of my cat] here."
    assert _run(prose)[0] == prose


def test_audio_shortcode_is_raw_html_and_listed():
    out, ctx = _run(f"[audio mp3=\"{FILES}song.mp3\"][/audio]")
    assert out.strip() == f'<audio controls src="{FILES}song.mp3"></audio>'
    assert ctx.raw_html == [f"audio {FILES}song.mp3"]


def test_unknown_shortcodes_kept_verbatim_and_listed():
    text = '[contact-form-7 id="12" title="Contact_form *1*"]\n\n[toc]\n\n[pullquote]Big <em>words</em>[/pullquote]'
    out, ctx = _run(text)
    assert '[contact-form-7 id="12" title="Contact_form *1*"]' in out
    assert "[toc]" in out and "[pullquote]Big <em>words</em>[/pullquote]" in out
    assert ctx.unknown_shortcodes == {"contact-form-7", "toc", "pullquote"}


def test_brackets_that_are_not_shortcodes():
    text = (
        "Footnote [1] and [ ] and [Google] and we [mostly] did; a[i] = [x](http://example.com) "
        "[QEMU][qemu] and [the build service]."
    )
    out, ctx = _run(text)
    assert out == text
    assert not ctx.unknown_shortcodes


def test_known_names_in_prose_are_left_alone():
    # wordpress.com Markdown posts: `[video of …][2]` is a reference link, not the [video] shortcode.
    text = "My brother sent me this [video of Hans Rosling at TED][2] and a [video link][1]. [youtube here]"
    out, ctx = _run(text)
    assert out == text
    assert not ctx.raw_html and not ctx.unknown_shortcodes


def test_escaped_shortcode_prints_literally():
    out, ctx = _run("Write [[gallery]] to show a gallery.")
    assert out == "Write [gallery] to show a gallery."
    assert not ctx.warnings


def test_unknown_shortcode_never_backslash_escaped_in_the_body():
    result = convert_body('<p>Form: [wpforms id="3" title="false"] *</p>', INDEX)
    assert '[wpforms id="3" title="false"]' in result.markdown
    assert result.unknown_shortcodes == ("wpforms",)


def test_many_brackets_stay_linear():
    text = "[a] " * 20000 + "[caption]" * 2000
    out, _ = _run(text)  # closers are looked up by position, not by rescanning the rest of the text
    assert out.startswith("[a] [a]")

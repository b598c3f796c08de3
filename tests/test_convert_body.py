"""convert_body end to end: the seed post's defects, step order, result shape, and arbitrary input."""

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.convert import BodyResult, convert_body, plain_text, rawhtml
from migrate.models import Attachment, LinkTarget, SiteIndex

INDEX = SiteIndex(
    site_hosts=frozenset({"www.stackops.com", "stackops.com"}),
    base_urls=("http://www.stackops.com",),
    targets={2078: LinkTarget(2078, "post", "/2011/10/03/en-la-openstack-conference-en-boston/")},
    attachments={2079: Attachment(2079, "http://www.stackops.com/wp-content/uploads/boston.png", alt="Boston", parent=2078)},
)

# The seed post's source, as WordPress stored it (classic editor, no <p>).
SEED = """<img class="alignleft size-medium wp-image-2079" title="Boston foto embarque" src="/wp-content/uploads/boston-photo-avion-300x225.png" alt="Boston foto embarque" width="300" height="225" />Cada seis meses se celebra un evento donde todos los desarrolladores. Hace seis meses el evento de
Santa Clara reunió a cientos de de desarrolladores, ingenieros, arquitectos&#8230; pero también directores.

El evento de Santa Clara fue todo un éxito: primero lo que se llama el <a href="http://essexdesignsummit.sched.org/" target="_blank">Design Summit</a>. Yo soy de los que pienso que hay una abundancia &#8216;irracional&#8217; de eventos, &amp;#8230; como dice <a href="http://www.stackops.com/?p=2078" target="_blank">el post</a>.
<!--more-->
Y por último lo que considero más importante en estos eventos es el &#8216;<strong>networking</strong>&#8216;."""


def test_seed_post_defects_are_gone():
    result = convert_body(SEED, INDEX, post_id=2078)
    md = result.markdown
    assert "&#" not in md and "&amp;" not in md
    assert "arquitectos… pero" in md and "‘irracional’" in md and "eventos, … como" in md
    assert "evento de  \nSanta Clara" in md  # a hard break, and the S is still there
    assert "target" not in md and "<a " not in md
    assert "[Design Summit](http://essexdesignsummit.sched.org/)" in md
    assert "[el post](/2011/10/03/en-la-openstack-conference-en-boston/)" in md
    # The host-stripped image is made absolute on the site: nothing would serve the bare path.
    assert "![Boston foto embarque](http://www.stackops.com/wp-content/uploads/boston-photo-avion-300x225.png)" in md
    assert "\n\n<!--more-->\n\n" in md
    assert "‘**networking**‘" in md
    assert result == BodyResult(md, (), (), ())


def test_result_shape_and_empty_body():
    assert convert_body("", INDEX) == BodyResult("")
    assert convert_body("  \n\t", INDEX) == BodyResult("")
    result = convert_body("<p>Hola</p>\n\n\n", INDEX)
    assert result.markdown == "Hola\n"


def test_report_fields_are_sorted_unique_and_described():
    html = (
        "[zeta]\n\n[alpha-form id=1]\n\n[zeta]\n\n<iframe src=\"https://maps.google.com/maps?q=x\"></iframe>\n"
        "<script src=\"http://ads.example.com/a.js\"></script>\n\n<video src=\"/wp-content/uploads/v.mp4\"></video>"
        "\n\nPage one<!--nextpage-->Page two"
    )
    result = convert_body(html, INDEX)
    assert result.unknown_shortcodes == ("alpha-form", "zeta")
    assert result.raw_html == (
        "iframe https://maps.google.com/maps?q=x",
        "video http://www.stackops.com/wp-content/uploads/v.mp4",
    )
    assert any("<script> http://ads.example.com/a.js dropped" in w for w in result.warnings)
    assert any("nextpage" in w for w in result.warnings)
    assert "ads.example.com" not in result.markdown and "nextpage" not in result.markdown
    assert '<iframe src="https://maps.google.com/maps?q=x"></iframe>' in result.markdown


def test_iframe_player_becomes_shortcode():
    html = '<iframe src="http://player.vimeo.com/video/10216989?title=0&amp;byline=0" width="400"></iframe>'
    assert convert_body(html, INDEX).markdown == "{{< vimeo 10216989 >}}\n"


def test_code_is_untouched_by_every_later_step():
    html = (
        "[code lang=\"php\"]\n$a = '<p>[gallery]</p>' && http://www.stackops.com/?p=2078;\n\n\n*x* &amp;#8230;\n[/code]"
    )
    md = convert_body(html, INDEX).markdown
    assert md == "```php\n$a = '<p>[gallery]</p>' && http://www.stackops.com/?p=2078;\n\n\n*x* &#8230;\n```\n"


def test_code_block_inside_a_list_stays_in_the_item():
    html = "<ol><li>Run this:<pre>make\nmake install</pre></li><li>Done</li></ol>"
    assert convert_body(html, INDEX).markdown == (
        "  1. Run this:\n\n     ```\n     make\n     make install\n     ```\n\n  2. Done\n"
    )


def test_media_url_is_used_for_uploads():
    result = convert_body(
        '<p><img src="http://stackops.com/wp-content/uploads/a.png" alt="a"></p>',
        INDEX,
        media_url=lambda url: "/images/" + url.rsplit("/", 1)[1],
    )
    assert result.markdown == "![a](/images/a.png)\n"


def test_deterministic():
    assert convert_body(SEED, INDEX, post_id=2078) == convert_body(SEED, INDEX, post_id=2078)


_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<pre>", "</pre>", "<code>", "</code>", "[caption]", "[/caption]", "[gallery]",
        "[code]", "[/code]", "{{<", ">}}", "{{%", "<!-- wp:code -->", "<!-- /wp:code -->", "<!--more-->",
        "&amp;", "&#8230;", "&", "<", ">", "*", "_", "`", "\n", "\n\n", " ", "word",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "<img src=x>", "<a href='/?p=2078'>", "</a>",
        "<figure>", "<figcaption>", "</figcaption>", "</figure>", "[foo bar=1]", "[/foo]", "<li>", "<ul>",
        "<blockquote>", "\\", "#", "-", "1.", "|", "<td>", "<iframe src=x>", "</iframe>", "\x00", "\r",
        "WxrQx0X", "<br>", "<em>", "</em>", "<h2>", "{#id}",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join)))
def test_never_raises_on_arbitrary_text(text):
    result = convert_body(text, INDEX, post_id=2078)
    assert not any(w.startswith("conversion failed") for w in result.warnings)
    assert result.markdown == "" or (result.markdown.endswith("\n") and not result.markdown.endswith("\n\n"))
    assert result.unknown_shortcodes == tuple(sorted(set(result.unknown_shortcodes)))
    assert "\x00" not in result.markdown
    # Every `{{<` left is one of ours or Hugo's comment-escaped form.
    for m in re.finditer(r"\{\{([<%])", result.markdown):
        rest = result.markdown[m.end() :]
        assert rest.startswith(("/*", " figure ", " youtube ", " vimeo ", " x ")), result.markdown


@pytest.mark.parametrize(
    "text",
    [
        "[code]" * 20000,  # unclosed openers: each would rescan to the end with a `.*?` regex
        "<pre>" * 20000,
        "<iframe>" * 20000,
        " " * 100000 + "x",  # a long run of spaces without a newline (autop's `\s*\n`)
        "<ul><li>" * 3000,  # deep nesting: long indentation on every line
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n" * 5000,  # thousands of block tokens
        "<a href='x'>" * 20000,
    ],
    ids=["code", "pre", "iframe", "spaces", "nesting", "embeds", "links"],
)
def test_pathological_bodies_stay_fast(text):
    started = time.perf_counter()
    result = convert_body(text, INDEX)
    plain_text(result.markdown)
    assert time.perf_counter() - started < 5  # each takes well under a second; quadratic took minutes


@pytest.mark.parametrize("text", ["<", "[", "[/", "<!--", "<pre>", "&#", "\ufeff", "[caption][/caption]"])
def test_fragments(text):
    assert isinstance(convert_body(text, INDEX).markdown, str)


JEKYLL_BODY = """[caption id="attachment_2079" align="alignleft" width="300"]<a href="http://www.stackops.com/wp-content/uploads/boston.png"><img src="http://www.stackops.com/wp-content/uploads/boston-300x225.png" alt="Boston &amp; más" /></a> Foto de <em>Boston</em>[/caption]

https://www.youtube.com/watch?v=Xp4RkbQ9mZw

https://vimeo.com/36711244

https://twitter.com/stackops/status/123456789

https://gist.github.com/stackops/0123456789abcdef

Para mostrar un shortcode de Hugo se escribe {{< aviso >}} y en código <code>{{< aviso >}}</code>."""


def test_jekyll_bodies_get_html_not_hugo_shortcodes():
    jekyll = convert_body(JEKYLL_BODY, INDEX, post_id=2078, target="jekyll").markdown
    hugo = convert_body(JEKYLL_BODY, INDEX, post_id=2078).markdown
    up = "http://www.stackops.com/wp-content/uploads"  # without a media step uploads stay absolute
    assert f'{{{{< figure src="{up}/boston-300x225.png"' in hugo
    assert "{{< youtube Xp4RkbQ9mZw >}}" in hugo and "{{< vimeo 36711244 >}}" in hugo
    assert "{{<" not in jekyll.replace("{{< aviso >}}", "")  # only the text's own, verbatim
    assert (
        f'<figure><a href="{up}/boston.png"><img src="{up}/boston-300x225.png" '
        'alt="Boston &amp; más"></a><figcaption>Foto de <em>Boston</em></figcaption></figure>'
    ) in jekyll
    assert '<iframe src="https://www.youtube-nocookie.com/embed/Xp4RkbQ9mZw"' in jekyll
    assert '<iframe src="https://player.vimeo.com/video/36711244"' in jekyll
    assert 'href="https://x.com/stackops/status/123456789"' in jekyll
    assert '<script src="https://gist.github.com/stackops/0123456789abcdef.js"></script>' in jekyll
    # Hugo would run `{{<`: escaped there; Jekyll prints it (its file gets render_with_liquid: false).
    assert "{\\{< aviso >}}" in hugo and "`{{</* aviso */>}}`" in hugo
    assert "se escribe {{< aviso >}} y en código `{{< aviso >}}`" in jekyll


def test_reversed_list_is_kept_as_html_with_its_code_as_html():
    result = convert_body("<p>Top three:</p><ol reversed><li><code>a|b</code></li><li>two</li></ol><p>end</p>", INDEX)
    assert result.markdown == (
        "Top three:\n\n<ol reversed>\n<li><code>a&#124;b</code></li>\n<li>two</li>\n</ol>\n\nend\n"
    )
    assert result.raw_html == ("ol reversed",)


def test_ampersands_survive_every_step_in_prose_code_links_and_description():
    html = (
        "<p>Q&A with AT&T: drag&drop. <a href=\"http://x.example/list?page=2&order=asc&copy=1\">next&gt;</a></p>\n"
        "<p><code>a && b &amp;&amp; c</code></p>\n<pre>if (a && b) { x = &amp;y; }</pre>\n"
        "<p><img src=\"http://x.example/a.png?w=1&h=2\" alt=\"R&D\"></p>"
    )
    md = convert_body(html, INDEX).markdown
    assert "Q&A with AT&T: drag&drop. [next>](http://x.example/list?page=2&order=asc&copy=1)" in md
    assert "`a && b && c`" in md
    assert "```\nif (a && b) { x = &y; }\n```" in md
    assert "![R&D](http://x.example/a.png?w=1&h=2)" in md
    assert plain_text(md).startswith("Q&A with AT&T: drag&drop. next>")


def test_more_divider_inside_a_link_goes_after_it():
    # blog-everet-zh post 321: `[![](img)` and `](url)` ended up in two paragraphs.
    html = '<a href="http://e.example/a.png"><img src="http://e.example/a.png" alt="" /><!--more--></a>\n<h3>Next</h3>'
    md = convert_body(html, INDEX).markdown
    assert md == "[![](http://e.example/a.png)](http://e.example/a.png)\n\n<!--more-->\n\n### Next\n"


def test_emphasis_around_code_is_kept_only_where_it_closes():
    # blog-everet-zh: `虽然**`Parser/asdl_c.py`**生成` printed its asterisks (a backtick is punctuation).
    md = convert_body("<p>虽然<strong><tt>asdl_c.py</tt></strong>生成 and <strong><code>x</code></strong> ok</p>", INDEX).markdown
    assert md == "虽然`asdl_c.py`生成 and **`x`** ok\n"


def test_block_syntax_after_a_dropped_emphasis_marker_stays_text():
    # The `*` before `>b` cannot close after `}`, so it is dropped: `>` then starts the line.
    assert convert_body("<p>x<em>\n>b&amp;}</em>y</p>", INDEX).markdown == "x  \n\\>b&}y\n"


@pytest.mark.parametrize(
    ("html_text", "keeps"),
    [
        ("E = mc<sup>2</sup> and H<sub>2</sub>O", True),  # kept inline: no Markdown for them
        ('[gallery ids="2079"]', True),  # the gallery <div> around its figures
        ("<p>plain <em>words</em> and a <a href='https://x.org/'>link</a></p>", False),
        ('<pre><code>&lt;div class="x"&gt;</code></pre>', False),  # code: printed, not HTML
        ("<p>inline <code>&lt;b&gt;</code> code</p>", False),
        ("<p>Intro</p>\n<!--more-->\n<p>Rest</p>", False),  # Hugo's summary divider, not raw HTML
        ('<iframe src="https://maps.example.org/embed"></iframe>', True),
    ],
)
def test_body_says_whether_its_markdown_keeps_raw_html(html_text, keeps):
    result = convert_body(html_text, INDEX)
    assert result.keeps_html is keeps, result.markdown


# keeps_html's patterns as first written, starting with a look-behind (the regex engine then tries every
# position): the forms in rawhtml.py, which start with their first character, match the same.
_SLOW_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_SLOW_RAW_HTML = re.compile(
    r"(?<![\\{])<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|!--|![A-Za-z]|\?)", re.DOTALL
)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(["`", "``", "<", ">", "/", "\\", "{", "a", "b ", "!--", "?", "\n", "x"])).map(
        "".join
    )
)
def test_the_raw_html_patterns_match_what_the_slow_ones_match(text: str):
    assert [m.span() for m in rawhtml._CODE_SPAN.pattern.finditer(text)] == [
        m.span() for m in _SLOW_CODE_SPAN.finditer(text)
    ]
    assert [m.span() for m in rawhtml._RAW_HTML.finditer(text)] == [
        m.span() for m in _SLOW_RAW_HTML.finditer(text)
    ]

"""Textile bodies become the Markdown of what Textile renders; Markdown bodies are kept as written,
with only what every body needs: links rewritten, code set aside, shortcodes, Hugo's `{{<` escaped."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from migrate.convert import convert_body, sourcemarkup
from migrate.models import LinkTarget, SiteIndex

INDEX = SiteIndex(
    site_hosts=frozenset({"notes.example.org", "www.notes.example.org"}),
    base_urls=("http://notes.example.org",),
    targets={
        101: LinkTarget(101, "post", "/2008/03/14/moving-the-wiki/"),
        102: LinkTarget(102, "post", "/2008/03/02/call-for-help/"),
    },
    targets_by_path={
        "/2008/03/14/old-wiki-slug/": LinkTarget(101, "post", "/2008/03/14/moving-the-wiki/"),
        "/2008/03/02/call-for-help/": LinkTarget(102, "post", "/2008/03/02/call-for-help/"),
    },
)


def textile(body: str, **kwargs) -> str:
    result = convert_body(body, INDEX, source_markup="textile", **kwargs)
    assert result.markup == "textile"
    return result.markdown


def markdown(body: str, **kwargs) -> str:
    result = convert_body(body, INDEX, source_markup="markdown", **kwargs)
    assert result.markup == "markdown"
    return result.markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("h2. What changed", "## What changed\n"),
        ("h3(note). Aside", "### Aside\n"),
        ('See "the wiki":http://wiki.example.com/Main_Page now.', "See [the wiki](http://wiki.example.com/Main_Page) now.\n"),
        ("It is _new_ and *fast*.", "It is *new* and **fast**.\n"),
        ("* one\n* two", "  - one\n  - two\n"),
        ("# first\n# second", "  1. first\n  2. second\n"),
        ("!/i/cat.png(A cat)!", "![A cat](http://notes.example.org/i/cat.png)\n"),  # a site file: absolute
        ("bq. Gardening matters.", "> Gardening matters.\n"),
        ("Run @make -j 2@ now.", "Run `make -j 2` now.\n"),
        ("line one\nline two", "line one  \nline two\n"),
        ("Quotes \"curl\" -- and dashes", "Quotes “curl” — and dashes\n"),
    ],
    ids=["heading", "heading with class", "link", "emphasis", "list", "numbered", "image", "quote",
         "code", "line break", "glyphs"],
)
def test_textile_elements(source, expected):
    assert textile(source) == expected


def test_textile_links_to_the_site_are_rewritten():
    md = textile('"Help":http://notes.example.org/?p=102 and "old":http://notes.example.org/2008/03/14/old-wiki-slug/')
    assert md == "[Help](/2008/03/02/call-for-help/) and [old](/2008/03/14/moving-the-wiki/)\n"


def test_textile_footnotes_become_markdown_footnotes_deterministically():
    body = "A claim.[1]\n\nfn1. The source."
    first, second = textile(body), textile(body)
    assert first == second == "A claim.[^1]\n\n[^1]: The source.\n"


def test_textile_code_block_is_exact_and_hugo_safe():
    md = textile('bc. if (a < b && c) { x = "{{< y >}}"; }')
    assert md == '```\nif (a < b && c) { x = "{{</* y */>}}"; }\n```\n'


def test_textile_keeps_mixed_html_and_shortcodes_working():
    body = (
        'Intro with "a link":http://example.org.\n\n'
        '<div class="note">An <a href="http://notes.example.org/?p=101">HTML link</a>.</div>\n\n'
        '[caption id="attachment_1" align="alignleft" width="300"]<img src="http://notes.example.org/wp-content/'
        'uploads/a.png" alt="A" /> The "caption"[/caption]\n\n<!--more-->\n\nMore *text*.'
    )
    # The shortcode's quotes reached its parser untouched (Textile would have curled them).
    assert textile(body) == (
        "Intro with [a link](http://example.org).\n\nAn [HTML link](/2008/03/14/moving-the-wiki/).\n\n"
        '{{< figure src="http://notes.example.org/wp-content/uploads/a.png" alt="A" caption=`The "caption"` >}}'
        "\n\n<!--more-->\n\nMore **text**.\n"
    )


def test_textile_prose_shortcode_delimiters_print():
    assert textile("Write {{< figure >}} in Hugo.") == "Write {\\{< figure >}} in Hugo.\n"


MARKDOWN_BODY = """\
Since we [moved the wiki](http://notes.example.org/?p=101), see ![a shot](/wp-content/uploads/s.png "shot").

## Why *static*

* **No database**;
* `{{< code span >}}` and `http://notes.example.org/?p=101` in code;
* [the list post][list], <http://notes.example.org/2008/03/02/call-for-help/>, and {{< prose >}}.

```html
<a href="http://notes.example.org/?p=101">{{< ref "x" >}}</a>
```

    indented http://notes.example.org/?p=102 code

Some <em>HTML</em> with <a href="http://notes.example.org/?p=102">a link</a> &amp; an entity.

[list]: http://notes.example.org/?p=102 "The list"
"""


def test_markdown_is_kept_with_links_rewritten_and_code_untouched():
    assert markdown(MARKDOWN_BODY) == """\
Since we [moved the wiki](/2008/03/14/moving-the-wiki/), see ![a shot](http://notes.example.org/wp-content/uploads/s.png "shot").

## Why *static*

* **No database**;
* `{{</* code span */>}}` and `http://notes.example.org/?p=101` in code;
* [the list post][list], [http://notes.example.org/2008/03/02/call-for-help/](/2008/03/02/call-for-help/), and {\\{< prose >}}.

```html
<a href="http://notes.example.org/?p=101">{{</* ref "x" */>}}</a>
```

    indented http://notes.example.org/?p=102 code

Some <em>HTML</em> with <a href="/2008/03/02/call-for-help/">a link</a> &amp; an entity.

[list]: /2008/03/02/call-for-help/ "The list"
"""


def test_markdown_media_links_go_through_the_media_step():
    md = markdown("![x](http://notes.example.org/wp-content/uploads/2013/06/a.png)\n\n## Two", media_url=lambda u: "/media/a.png")
    assert md == "![x](/media/a.png)\n\n## Two\n"


def test_markdown_shortcodes_and_embeds():
    md = markdown("Intro.\n\n[youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ]\n\n<!--more-->\n\n[contact-form-7 id=\"1\"]")
    assert md == 'Intro.\n\n{{< youtube dQw4w9WgXcQ >}}\n\n<!--more-->\n\n[contact-form-7 id="1"]\n'
    result = convert_body("A [link](/x) and [another] [one][x].\n\n[x]: /y", INDEX, source_markup="markdown")
    assert result.unknown_shortcodes == ()  # Markdown's brackets are not shortcodes


def test_markdown_unterminated_hugo_delimiter_in_code_is_raw_html():
    result = convert_body("```\n{{< open\n```", INDEX, source_markup="markdown")
    assert result.markdown == "<pre><code>&#123;&#123;&lt; open</code></pre>\n"
    assert any("unterminated" in w for w in result.warnings)


def test_markdown_for_jekyll_is_not_hugo_escaped():
    result = convert_body("## A\n\n`{{< x >}}` and {{< y >}}", INDEX, source_markup="markdown", target="jekyll")
    assert result.markdown == "## A\n\n`{{< x >}}` and {{< y >}}\n"


def test_auto_detection_reaches_the_result():
    assert convert_body('"a":http://x.org and "b":http://y.org', INDEX, source_markup="auto").markup == "textile"
    assert convert_body("<p>Plain</p>", INDEX, source_markup="auto").markup == "html"
    assert convert_body("## A\n\n[b](http://x.org)", INDEX, source_markup="auto").markup == "markdown"
    assert convert_body("## A\n\n[b](http://x.org)", INDEX, source_markup="auto", wordpress_com=True).markup == "html"
    # Without a setting (comments): HTML, as WordPress stores comments.
    assert convert_body('"a":http://x.org and "b":http://y.org', INDEX).markup == "html"
    # Forced HTML: Textile syntax is text, escaped as WordPress showed it.
    forced = convert_body("h2. Title\n\n*bold*", INDEX, source_markup="html")
    assert forced.markup == "html" and forced.markdown == "h2. Title\n\n\\*bold\\*\n"


_PIECES = st.sampled_from(
    ['"a":http://x.org', "h2. ", "bq. ", "*b*", "_i_", "@c@", "bc. ", "fn1. ", "[1]", "!i.png!", "* ", "# ",
     "## ", "[t](/u)", "![a](/i.png)", "**s**", "```", "`", "    ", "<p>", "<pre>", "</pre>", "<a href='/x'>",
     "</a>", "{{<", ">}}", "{{%", "[code]", "[/code]", "[caption]", "[/caption]", "<!--more-->", "\n", "\n\n",
     "x", " ", "&amp;", "<", ">", "[", "]", "(", ")", '"', ":"]
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["textile", "markdown"]), st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join)))
@example("textile", "[code]{{<{{<>}}[/code]")  # a shortcode opener inside an escaped one
def test_light_markup_never_fails_and_never_lets_hugo_run_text(markup, text):
    result = convert_body(text, INDEX, source_markup=markup)
    assert not any(w.startswith("conversion failed") for w in result.warnings), result.warnings
    assert result.markdown == "" or (result.markdown.endswith("\n") and not result.markdown.endswith("\n\n"))
    # Hugo's shortcode comments `{{</* … */>}}` print what they hold, `{{<` included: only the text
    # outside them can start a shortcode.
    outside = re.sub(r"\{\{<(/\*.*?\*/)>\}\}|\{\{%(/\*.*?\*/)%\}\}", "", result.markdown, flags=re.S)
    for m in re.finditer(r"\{\{([<%])", outside):
        assert outside[m.end() :].startswith((" figure ", " youtube ", " vimeo ", " x ")), result.markdown


_PATHOLOGICAL = {
    "code": "[code]" * 20000,
    "backticks": "`" * 20000 + "x",
    "fences": "```\n" * 5000,
    "textile-links": '"a":http://x.org ' * 5000,
    "md-links": "[a](/b) " * 10000,
    "indented": "    x\n\n" * 5000,
    "list": "* a\n" * 10000,
}
# The textile package's link-alias regex is quadratic in the length of a line full of `[`: only
# Markdown forced through Textile looks like that, and auto never reads it as Textile.
_CASES = [(m, k) for m in ("textile", "markdown") for k in _PATHOLOGICAL if (m, k) != ("textile", "md-links")]


@pytest.mark.parametrize(("markup", "case"), _CASES, ids=[f"{m}-{k}" for m, k in _CASES])
def test_pathological_light_markup_stays_fast(markup, case):
    started = time.perf_counter()
    convert_body(_PATHOLOGICAL[case], INDEX, source_markup=markup)
    assert time.perf_counter() - started < 5


def test_textile_media_links_go_through_the_media_step():
    md = textile('!http://notes.example.org/wp-content/uploads/2008/03/a.png(A)! and "the zip":/wp-content/uploads/b.zip',
                 media_url=lambda u: "/media/" + u.rsplit("/", 1)[1])
    assert md == "![A](/media/a.png) and [the zip](/media/b.zip)\n"


@pytest.mark.parametrize("text", ['0"":A://[ and more text', '0"":> and more text'])
def test_a_link_the_textile_package_cannot_split_falls_back_to_html_with_a_warning(text):
    # textile 4.0.4 raises on these links (hypothesis): ValueError from urlsplit, AttributeError.
    result = convert_body(text, INDEX, source_markup="textile")
    assert text in result.markdown.replace("\\", "")
    assert any(w.startswith("Textile could not be read") for w in result.warnings)
    assert not any(w.startswith("conversion failed") for w in result.warnings)


# The detector's patterns as first written, starting with a look-behind (the regex engine then tries
# every position): the forms in sourcemarkup.py, which start with their first character, match the same.
_SLOW_SIGNALS = {
    "_TX_LINK": r"""(?<![\w=:])"[^"\n<>]*[^\s"<>=]":(?:https?://|ftp://|mailto:|/|#)[^\s"<>]""",
    "_TX_IMAGE": r"(?<![\w!])!(?:\([^)\n]*\))?(?:https?://|/)?[^\s!\"<>()]+\.(?:png|jpe?g|gif|webp|svg)"
    r"(?:\([^)\n]*\))?!(?::\S+)?",
    "_TX_PHRASE": r"(?<![\w*])\*[^\s*][^*\n]*(?<=[^\s*])\*(?![\w*])|(?<![\w_])_[^\s_][^_\n]*(?<=[^\s_])_(?![\w_])",
    "_MD_INLINE_LINK": r"(?<!!)\[[^\[\]\n]+\]\((?:https?://|/|#|mailto:)[^)\s]*(?:\s+\"[^\"\n]*\")?\)",
    "_MD_STRONG": r"(?<![\w*])\*\*[^\s*][^*\n]*(?<=[^\s*])\*\*(?![\w*])",
}
_SIGNAL_PIECES = [
    "*",
    "**",
    "_",
    "!",
    '"',
    '":',
    "=",
    ":",
    "[",
    "]",
    "(",
    ")",
    "/",
    "a",
    "x.png",
    " ",
    "\n",
    "http://",
]


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_SIGNAL_PIECES)).map("".join))
def test_the_detector_patterns_match_what_the_slow_ones_match(text: str):
    for name, slow in _SLOW_SIGNALS.items():
        fast = getattr(sourcemarkup, name).pattern
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(slow, text)], name


def test_a_body_without_fences_is_kept_whole_by_the_fence_step():
    text = "a\n``not a fence`` ~~x~~\n\n  b"
    assert sourcemarkup._without_fences(text) == (text, 0)
    assert sourcemarkup._without_fences("a\n```\ncode\n```\nb") == ("a\nb", 1)

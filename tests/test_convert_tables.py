"""Tables: a pipe table only when it says the table exactly, else the table kept as raw HTML."""

from migrate.convert import convert_body
from migrate.convert.tables import escape_pipes
from migrate.models import LinkTarget, SiteIndex

INDEX = SiteIndex(
    site_hosts=frozenset({"example.org"}),
    base_urls=("http://example.org",),
    targets={7: LinkTarget(7, "post", "/2010/01/02/seven/")},
)


def _md(html: str) -> str:
    return convert_body(html, INDEX).markdown


def test_empty_header_cell_keeps_header_and_delimiter_the_same_width():
    md = _md(
        "<table><thead><tr><th>Employee</th><th>Salary</th><th></th></tr></thead>"
        "<tbody><tr><td>John</td><td>$1</td><td>Because.</td></tr></tbody></table>"
    )
    assert md == "| Employee | Salary |  |\n| --- | --- | --- |\n| John | $1 | Because. |\n"


def test_br_in_a_cell_stays_in_its_row():
    md = _md("<table><tr><th>a</th><th>b</th></tr><tr><td>line one<br />line two</td><td>x</td></tr></table>")
    assert md.splitlines() == ["| a | b |", "| --- | --- |", "| line one<br>line two | x |"]


def test_pipes_escaped_in_text_and_in_code_spans():
    md = _md("<table><tr><th>a|b</th><th>c</th></tr><tr><td><code>x | y</code></td><td>||</td></tr></table>")
    assert md.splitlines() == ["| a\\|b | c |", "| --- | --- |", "| `x \\| y` | \\|\\| |"]
    assert escape_pipes("a\\|b|c") == "a\\|b\\|c"


def test_bold_first_row_is_the_header():
    md = _md("<table><tr><td><strong>Name</strong></td><td><b>Age</b></td></tr><tr><td>Ann</td><td>3</td></tr></table>")
    assert md.splitlines() == ["| Name | Age |", "| --- | --- |", "| Ann | 3 |"]


def test_merged_cells_nested_tables_and_blocks_in_cells_stay_html():
    for html in (
        "<table><tr><th>a</th><th>b</th></tr><tr><td colspan='2'>wide</td></tr></table>",
        "<table><tr><th>a</th></tr><tr><td><table><tr><td>inner</td></tr></table></td></tr></table>",
        "<table><tr><th>a</th></tr><tr><td><ul><li>one</li><li>two</li></ul></td></tr></table>",
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr></table>",
    ):
        result = convert_body(html, INDEX)
        assert result.markdown.startswith("<table>"), html
        assert "|" not in result.markdown and "---" not in result.markdown, html
        assert result.raw_html == ("table",)


def test_one_column_layout_table_leaves_no_setext_underline():
    md = _md("<p>before</p><table><tr><td><strong>switch</strong> (call) {</td></tr><tr><td>case 1:</td></tr></table>")
    assert "\n---" not in md and "\n===" not in md
    assert md.startswith("before\n\n<table>")


def test_html_table_cells_are_html_with_links_rewritten_and_code_as_html():
    md = _md(
        '<table><tr><td rowspan="2"><a href="http://example.org/?p=7">seven</a></td><td><code>a &lt; b</code></td></tr>'
        "<tr><td><pre>x = 1\n\ny = 2</pre></td></tr></table>"
    )
    assert '<a href="/2010/01/02/seven/">seven</a>' in md
    assert "<code>a &lt; b</code>" in md and "`" not in md
    assert "<pre><code>x = 1&#10;\ny = 2</code></pre>" in md
    assert "\n\n" not in md.strip()  # a blank line would end the HTML block


def test_headerless_data_table_stays_html():
    md = _md("<table><tr><td>1</td><td>Alice</td></tr><tr><td>2</td><td>Bob</td></tr></table>")
    assert md.startswith("<table>") and "<td>Alice</td>" in md


def test_a_comment_in_a_row_does_not_stop_a_pipe_table():
    # A block-editor body: in a classic one wpautop wraps the comment in a <p>, as WordPress does.
    md = _md("<!-- wp:table --><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><!-- x --><td>2</td></tr></table><!-- /wp:table -->")
    assert md.splitlines() == ["| a | b |", "| --- | --- |", "| 1 | 2 |"]

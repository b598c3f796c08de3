"""html2text step: no wrapping, clean inline links, escaping only where Markdown needs it."""

import pytest

from migrate.convert.markdown import escape_text, html_to_markdown, tidy


def test_no_hard_wrapping_and_inline_links_without_target_or_spans():
    html = (
        "<p>" + "palabra " * 40 + 'primero lo que se llama el <a href="http://essexdesignsummit.sched.org/" '
        'target="_blank" rel="noopener" class="x" style="color:red"><span style="color:#f00">Design Summit</span></a>.</p>'
    )
    md = html_to_markdown(html)
    assert "\n" not in md
    assert md.endswith("el [Design Summit](http://essexdesignsummit.sched.org/).")
    assert "target" not in md and "span" not in md and "style" not in md


def test_br_is_a_hard_break_with_two_spaces():
    assert html_to_markdown("<p>evento de<br />\nSanta Clara</p>") == "evento de  \nSanta Clara"


def test_structure_lists_headings_emphasis_tables_quotes():
    html = (
        "<h2>Blockquotes</h2><blockquote><p>Stay hungry.</p><p>Stay foolish.</p></blockquote>"
        "<ul><li>List item one<ul><li>Nested</li></ul></li><li>Two</li></ul>"
        "<ol><li>First</li><li>Second</li></ol>"
        "<p><strong>conocer e influir</strong> and <em>HTML Block</em> and <del>old</del></p>"
        "<table><tr><th>Employee</th><th>Salary</th></tr><tr><td>John | Doe</td><td>$1</td></tr></table>"
    )
    md = html_to_markdown(html)
    assert "## Blockquotes" in md
    assert "> Stay hungry.\n>\n> Stay foolish." in md
    assert "  - List item one\n    - Nested\n  - Two" in md
    assert "  1. First\n  2. Second" in md
    assert "**conocer e influir** and *HTML Block* and ~~old~~" in md
    assert "Employee| Salary  \n---|---  \nJohn \\| Doe| $1" in md


def test_text_entities_decoded_and_markup_like_text_escaped():
    md = html_to_markdown("<p>use &lt;div&gt; tags &amp; more&#8230; &lsquo;irracional&rsquo; a&nbsp;b</p>")
    assert md == "use \\<div> tags & more… ‘irracional’ a\u00a0b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("snake_case and 3 * 4 and 1.5 (a) [done] - ok!", "snake_case and 3 * 4 and 1.5 (a) [done] - ok!"),
        ("*not em* and _not em_", "\\*not em\\* and \\_not em\\_"),
        ("a `tick` and <b>", "a \\`tick\\` and \\<b>"),
        ("[text](url) and [^1]", "[text\\](url) and \\[^1]"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("- not a bullet", "\\- not a bullet"),
        ("> not a quote", "\\> not a quote"),
    ],
)
def test_escape_text(text, expected):
    assert escape_text(text) == expected


def test_line_start_rules_only_at_line_start():
    assert escape_text("# a - b 1. c", line_start=False) == "# a - b 1. c"
    assert html_to_markdown("<p><em>multiple</em> - MDN</p>") == "*multiple* - MDN"


def test_emphasis_inside_words_gets_no_extra_space():
    assert html_to_markdown("<p>foo<em>bar</em>baz</p>") == "foo*bar*baz"
    assert html_to_markdown("<p><strong>Note: </strong>text</p>") == "**Note:** text"


def test_nbsp_only_paragraphs_and_extra_blank_lines_removed():
    md = html_to_markdown("<p>a</p><p>&nbsp;</p><p>\u00a0</p><p>b</p>")
    assert md == "a\n\nb"


def test_tidy_keeps_hard_breaks_only_inside_paragraphs():
    assert tidy("a  \nb  \n\nc  \n") == "a  \nb\n\nc"


def test_abbr_kept_as_html_instead_of_html2text_definitions():
    md = html_to_markdown(
        '<p>Mes notes de la <a href="http://www.telono.com/fr/"><abbr title="Conférence Romande sur '
        "l&#39;Accessibilité du Web 2013\">CRAW2013</abbr></a>, E = MC<sup>2</sup>.</p>"
    )
    assert md == (
        "Mes notes de la [<abbr title=\"Conférence Romande sur l'Accessibilité du Web 2013\">CRAW2013</abbr>]"
        "(http://www.telono.com/fr/), E = MC<sup>2</sup>."
    )


def test_paragraph_inside_a_list_item_stays_in_the_item():
    md = html_to_markdown(
        "<ol><li>Cloner le dépôt.<p>Pour ma part, je l'ai cloné.</p></li><li>Ajouter<ol><li>Cliquer</li></ol></li>"
        "<li>Redémarrer</li></ol><p>after</p>"
    )
    assert md == (
        "  1. Cloner le dépôt.\n\n     Pour ma part, je l'ai cloné.\n\n  2. Ajouter\n     1. Cliquer\n  3. Redémarrer\n\nafter"
    )


def test_item_indentation_follows_a_two_digit_marker():
    items = "".join(f"<li>{n}</li>" for n in range(1, 10)) + "<li>ten<p>more</p></li>"
    assert html_to_markdown(f"<ol>{items}</ol>").endswith("  10. ten\n\n      more")


def test_unclosed_list_item_does_not_turn_the_next_list_into_code():
    md = html_to_markdown(
        "<ul><li><p>Various:</p><ul><li>a</li><li>b\n</li></ul>\n\n<h3>2014</h3><p>While</p><ul><li>Travel</li></ul>"
    )
    # In a browser all of it is inside the unclosed item; so it is here, indented as one.
    assert md == "  - Various:\n\n    - a\n    - b\n\n    ### 2014\n\n    While\n\n    - Travel"


def test_definition_list():
    md = html_to_markdown("<p>x</p><dl><dt>Term</dt><dd>Its <b>definition</b>.</dd><dt>A</dt><dt>B</dt><dd>both</dd></dl><p>y</p>")
    assert md == "x\n\nTerm\n: Its **definition**.\n\nA\nB\n: both\n\ny"
    assert html_to_markdown("<dl><dt>Tag</dt><dd># not a heading</dd></dl>") == "Tag\n: \\# not a heading"


def test_ol_start_is_the_first_number():
    assert html_to_markdown('<ol start="7"><li>a</li><li>b</li></ol>') == "  7. a\n  8. b"


def test_definition_list_inside_a_list_item_stays_inside_it():
    md = html_to_markdown("<ol><li><dl><dt>T</dt><dd>D<p>more</p></dd></dl></li><li>two</li></ol>")
    assert md == "  1. T\n     : D\n\n       more\n\n  2. two"


def test_br_ending_a_list_item_leaves_no_hard_break():
    assert html_to_markdown("<ul><li>one<br></li><li>two<br>more<br></li></ul>") == "  - one\n  - two  \n    more"

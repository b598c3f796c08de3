"""Tokens that carry finished Markdown through html2text and back, in lists and quotes too."""

from migrate.convert.placeholders import Placeholders


def test_prefix_never_occurs_in_the_source():
    assert Placeholders("plain").prefix == "WxrQx"
    assert Placeholders("text with WxrQx in it").prefix not in "text with WxrQx in it"


def test_block_inside_list_item_and_quote_keeps_its_container():
    p = Placeholders("")
    code = p.block("```py\nx = 1\n\ny = 2\n```").strip()
    text = f"  - item {code}\n\n> {code}"
    assert p.restore(text) == (
        "  - item\n\n    ```py\n    x = 1\n\n    y = 2\n    ```\n\n> ```py\n> x = 1\n>\n> y = 2\n> ```"
    )


def test_blocks_sharing_a_line_get_blank_lines_between():
    p = Placeholders("")
    a, b = p.block("{{< a >}}").strip(), p.block("{{< b >}}").strip()
    assert p.restore(f"before {a} {b} after") == "before\n\n{{< a >}}\n\n{{< b >}}\n\nafter"


def test_inline_and_nested_values():
    p = Placeholders("")
    inner = p.inline("`x`")
    outer = p.inline(f"[{inner}]")
    assert p.restore(f"see {outer}.") == "see [`x`]."


def test_map_text_skips_tokens():
    p = Placeholders("")
    token = p.inline("{{< ours >}}")
    assert p.map_text(f"a{token}b", str.upper) == f"A{token}B"

"""HTML character references: decoded once after XML parsing, and again where WordPress doubled them."""

from migrate.convert import decode_entities
from migrate.convert.entities import collapse_double_encoding


def test_title_with_numeric_and_double_encoded_references():
    assert decode_entities("&#8220;Diablo&#8221; vs &amp;amp; m&amp;aacute;s") == "“Diablo” vs & más"


def test_seed_post_references():
    assert decode_entities("arquitectos&#8230; una abundancia &#8216;irracional&#8217;") == (
        "arquitectos… una abundancia ‘irracional’"
    )
    assert decode_entities("&amp;#8230;") == "…"


def test_tags_are_left_alone_and_plain_text_unchanged():
    assert decode_entities("<b>Caf&eacute;</b> & co") == "<b>Café</b> & co"
    assert decode_entities("AT&T 100% [x]") == "AT&T 100% [x]"


def test_decoding_is_bounded_on_deep_nesting():
    deep = "&" + "amp;" * 50 + "lt;"
    assert decode_entities(deep).startswith("&")  # stops after a few passes instead of looping


def test_collapse_double_encoding_keeps_one_level_for_markup():
    html = "<p>a &amp;#8230; b &amp;amp;amp; c &amp;aacute; &lt;tag&gt;</p>"
    assert collapse_double_encoding(html) == "<p>a &#8230; b &amp; c &aacute; &lt;tag&gt;</p>"


def test_collapse_leaves_unknown_names_and_single_encoding():
    assert collapse_double_encoding("Q&amp;A &amp;notanentity; &amp;") == "Q&amp;A &amp;notanentity; &amp;"


def test_attribute_values_decode_as_html5_says_for_attributes():
    from migrate.convert.entities import unescape_attribute

    # A name without `;` before `=` or a letter is text in an attribute (query strings).
    assert unescape_attribute("?a=1&copy=2&lt=5&amp=b") == "?a=1&copy=2&lt=5&amp=b"
    assert unescape_attribute("&copyright &notit;") == "&copyright &notit;"
    # Everything else decodes as anywhere: with `;`, legacy names before other characters, numbers.
    assert unescape_attribute("&copy; &copy x &amp;&#38;&#x26; Q&A &unknown;") == "© © x &&& Q&A &unknown;"


def test_collapse_needs_the_references_semicolon():
    # `&amp;#9a` is the text "&#9a" as written, not a double-encoded tab.
    assert collapse_double_encoding("&amp;#9a &amp;#8230; &amp;#x26a") == "&amp;#9a &#8230; &amp;#x26a"

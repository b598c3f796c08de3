"""Every post body of the WordPress theme test exports converts cleanly (skipped without the corpus)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from migrate.convert import convert_body
from migrate.models import Attachment, SiteIndex
from tests.helpers import CORPUS

FILES = ["theme-unit-test.xml", "theme-block-test-data.xml"]
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

_FENCED = re.compile(r"^[ \t>]*(`{3,})[^\n]*\n.*?^[ \t>]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1")
_RAW_CODE = re.compile(r"<(pre|code)>.*?</\1>", re.DOTALL)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _read(path: Path) -> tuple[SiteIndex, list[tuple[int, str]]]:
    """(site index with attachments, [(post id, content:encoded)]) of one export, read with lxml."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.parse(str(path), parser).getroot()
    hosts: set[str] = set()
    base_urls: list[str] = []
    for el in root.iter():
        if _local(el.tag) in ("base_site_url", "base_blog_url") and el.text:
            base_urls.append(el.text.strip())
            host = (urlsplit(el.text.strip()).hostname or "").lower()
            hosts |= {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}
    attachments: dict[int, Attachment] = {}
    bodies: list[tuple[int, str]] = []
    for item in root.iter("item"):
        fields = {_local(child.tag): child for child in item}
        post_id = int((fields["post_id"].text or "0").strip()) if "post_id" in fields else 0
        post_type = (fields["post_type"].text or "") if "post_type" in fields else ""
        if post_type == "attachment":
            alt = ""
            for meta in item:
                if _local(meta.tag) == "postmeta":
                    kv = {_local(m.tag): m.text or "" for m in meta}
                    if kv.get("meta_key") == "_wp_attachment_image_alt":
                        alt = kv.get("meta_value", "")
            attachments[post_id] = Attachment(
                post_id,
                (fields["attachment_url"].text or "") if "attachment_url" in fields else "",
                title=(fields["title"].text or "") if "title" in fields else "",
                alt=alt,
                parent=int((fields["post_parent"].text or "0").strip()) if "post_parent" in fields else 0,
            )
        else:
            content = item.findtext(CONTENT)
            if content:
                bodies.append((post_id, content))
    index = SiteIndex(site_hosts=frozenset(h for h in hosts if h), base_urls=tuple(base_urls), attachments=attachments)
    return index, bodies


def _outside_code(markdown: str) -> str:
    return _CODE_SPAN.sub("", _FENCED.sub("", _RAW_CODE.sub("", markdown)))


@pytest.mark.parametrize("name", FILES)
def test_every_body_converts_cleanly(name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    index, bodies = _read(path)
    assert len(bodies) > 20
    converted = 0
    for post_id, html in bodies:
        result = convert_body(html, index, post_id=post_id)
        md = result.markdown
        where = f"{name} item {post_id}"
        assert not any(w.startswith("conversion failed") for w in result.warnings), where
        assert md == "" or (md.endswith("\n") and not md.endswith("\n\n")), where
        text = _outside_code(md)
        assert "&#" not in text, where
        assert "<!-- wp:" not in text and "<!-- /wp:" not in text, where
        assert "target=" not in text, where
        converted += bool(md)
    assert converted > 20


def test_theme_unit_test_gallery_uses_the_attachments():
    path = CORPUS / "theme-unit-test.xml"
    if not path.exists():
        pytest.skip(f"{path} not available")
    index, bodies = _read(path)
    body = dict(bodies)[1031]  # "Gallery" post: [gallery ... ids="755,757,758,760,766,763" orderby="rand"]
    result = convert_body(body, index, post_id=1031)
    figures = re.findall(r'^\{\{< figure src="(\S+)" alt="([^"]*)"', result.markdown, re.MULTILINE)
    assert [alt for _, alt in figures] == [
        "Golden Gate Bridge", "Boardwalk", "Yachtsody in Blue", "Sydney Harbor Bridge", "Big Sur",
    ]
    assert all(url.startswith("https://wpthemetestdata.files.wordpress.com/") for url, _ in figures)
    assert '\n\n<div class="gallery">\n\n{{< figure ' in result.markdown
    assert result.warnings == ("gallery image 763 is not an attachment in the export",)  # not in the file


def test_theme_unit_test_block_gallery_is_figures_with_captions_and_no_attachment_pages():
    from migrate.plan import scan

    path = CORPUS / "theme-unit-test.xml"
    if not path.exists():
        pytest.skip(f"{path} not available")
    index = scan([path]).index  # with the attachment pages' old paths
    body = dict(_read(path)[1])[1752]  # "Block: Gallery": 8 galleries, 3 of them linked to attachment pages
    markdown = convert_body(body, index, post_id=1752).markdown
    assert markdown.count('<div class="gallery">') == markdown.count("</div>") == 8
    assert not re.search(r"^\s*[-*] ", markdown, re.MULTILINE)  # no bulleted list of images
    assert markdown.count("{{< figure ") == 80
    assert 'caption="Sunburst over the Clinch River, Southwest Virginia."' in markdown
    assert "\n\n*(gallery caption)* 3 column, full width, cropped, **linked to attachment pages**\n\n</div>" in markdown
    links = re.findall(r' link="([^"]*)"', markdown)
    assert links and all(url.startswith("https://wpthemetestdata.files.wordpress.com/") for url in links)


import pytest

from migrate import phpserial
from migrate.models import Item
from migrate.wxr import iter_records
from tests.helpers import CORPUS

METADATA = (
    'a:5:{s:5:"width";i:1024;s:6:"height";i:768;s:4:"file";s:30:"2011/10/boston-photo-avion.png";'
    's:5:"sizes";a:2:{s:9:"thumbnail";a:4:{s:4:"file";s:30:"boston-photo-avion-150x150.png";s:5:"width";i:150;'
    's:6:"height";i:150;s:9:"mime-type";s:9:"image/png";}s:6:"medium";a:4:{s:4:"file";'
    's:30:"boston-photo-avion-300x225.png";s:5:"width";i:300;s:6:"height";i:225;s:9:"mime-type";s:9:"image/png";}}'
    's:10:"image_meta";a:2:{s:8:"aperture";d:1.8;s:7:"caption";s:0:"";}}'
)


def test_reads_wordpress_attachment_metadata():
    meta = phpserial.loads(METADATA)
    assert meta["file"] == "2011/10/boston-photo-avion.png"
    assert meta["sizes"]["medium"]["file"] == "boston-photo-avion-300x225.png"
    assert meta["image_meta"]["aperture"] == 1.8
    assert meta["width"] == 1024


def test_multibyte_lengths_are_bytes_and_wrong_counts_are_tolerated():
    assert phpserial.loads('s:6:"señor";') == "señor"
    assert phpserial.loads('s:5:"señor";') == "señor"  # count written before a charset conversion
    assert phpserial.loads("a:2:{i:0;b:1;i:1;N;}") == {0: True, 1: None}


@pytest.mark.parametrize(
    "text",
    [
        'O:8:"stdClass":1:{s:1:"a";i:1;}',  # objects are never built
        'C:3:"Foo":0:{}',
        "a:1:{i:0;r:1;}",
        'a:1:{s:1:"a";',  # truncated
        "i:12",
        "x",
        "a:1:{" * 100 + "i:0;" + "}" * 100,  # nested too deeply
        'i:1;junk',
    ],
)
def test_refuses_objects_references_and_garbage(text):
    with pytest.raises(phpserial.PHPSerialError):
        phpserial.loads(text)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_every_attachment_metadata_in_clean_corpus_exports_parses():
    count = 0
    for name in ("theme-unit-test.xml", "blog-everet-zh-wxr12.xml", "blog-redleo-es-wpcom-wxr12.xml"):
        for record in iter_records(CORPUS / name):
            if isinstance(record, Item) and record.post_type == "attachment" and record.meta("_wp_attachment_metadata"):
                meta = phpserial.loads(record.meta("_wp_attachment_metadata"))
                assert isinstance(meta, dict)
                count += 1
    assert count > 300

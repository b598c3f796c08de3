"""WooCommerce products (migrate/plugins/woocommerce.py): the `product` map, variations folded into
their product, the gallery through the media step, re-runs, and the corpus's demo shop."""

import json
import re
from dataclasses import replace
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from migrate import tomlfm
from migrate.cli import main
from migrate.config import Config
from migrate.models import Item, ItemTerm, SiteIndex
from migrate.pipeline import run
from migrate.plan import scan
from migrate.plugins import woocommerce
from migrate.settings import Settings

from .helpers import CORPUS
from .hugo_site import build, check_site, hugo_binary
from .test_golden import check_golden, files, without_state

ROOT = Path(__file__).resolve().parents[1]
SHOP = ROOT / "tests" / "data" / "woocommerce-shop.xml"
GOLDEN = ROOT / "tests" / "golden" / "woocommerce-shop"
DEMO = CORPUS / "toolkit-woocommerce-demo-products.xml"
IMAGES = ("hoodie", "hoodie-blue", "hoodie-green", "beanie", "beanie-back", "beanie-150x150")


def uploads(folder: Path) -> Path:
    """The shop's wp-content/uploads: one small file per image, its bytes named after it."""
    for name in IMAGES:
        path = folder / "2024" / "03" / f"{name}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8\xff\xe0 " + name.encode() + b" \xff\xd9")
    return folder


def config(tmp_path: Path, out: Path, **kwargs) -> Config:
    settings = kwargs.pop("settings", Settings(currency="EUR"))
    return Config(
        exports=(kwargs.pop("export", SHOP),),
        output=out,
        uploads=uploads(tmp_path / "uploads"),
        offline=True,
        settings=settings,
        **kwargs,
    )


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shop")
    out = tmp / "site"
    report = run(config(tmp, out))
    return out, report


def product(out: Path, slug: str) -> dict:
    return frontmatter.load(out / "content" / "product" / f"{slug}.md").metadata["product"]


def test_shop_matches_golden_files(shop):
    out, _ = shop
    check_golden(files(out), GOLDEN)


def test_variable_product_has_its_variations_attributes_and_gallery(shop):
    out, _ = shop
    hoodie = product(out, "hoodie")
    assert hoodie["type"] == "variable" and hoodie["sku"] == "HOOD-01"
    assert hoodie["price"] == 40  # the lowest of its `_price` rows: "from 40"
    assert hoodie["currency"] == "EUR"
    assert (hoodie["weight"], hoodie["length"], hoodie["width"], hoodie["height"]) == (0.6, 30, 25, 4)
    # Gallery images went through the media step: local links, files in static/.
    assert hoodie["gallery"] == [
        "/wp-content/uploads/2024/03/hoodie-blue.jpg",
        "/wp-content/uploads/2024/03/hoodie-green.jpg",
    ]
    for link in hoodie["gallery"]:
        assert (out / "static" / link.lstrip("/")).is_file()
    assert hoodie["attributes"] == [
        {"name": "color", "values": ["Blue", "Green"], "visible": True, "variation": True},
        {"name": "Logo", "values": ["Yes", "No"], "visible": True, "variation": True},
        {"name": "Material", "values": ["Cotton & polyester"], "visible": False, "variation": False},
    ]
    blue, green, any_colour = hoodie["variations"]
    assert blue == {
        "id": 11,
        "attributes": {"color": "Blue", "logo": "Yes"},  # pa_color's slug "blue" → its term's name
        "sku": "HOOD-01-BLU-Y",
        "price": 45,
        "regular_price": 45,
        "stock_status": "instock",
        "stock": 5,  # _manage_stock = yes
        "image": "/wp-content/uploads/2024/03/hoodie-blue.jpg",
    }
    assert green["sale_price"] == 40 and (green["sale_from"], green["sale_to"]) == (
        "2024-04-01",
        "2024-04-30",
    )
    assert green["stock_status"] == "outofstock" and "stock" not in green
    assert any_colour["attributes"] == {"logo": "No"}  # any colour: the attribute is left out
    assert any_colour["enabled"] is False  # a private variation is a disabled one


def test_simple_product_with_sale_dates_managed_stock_and_shipping_class(shop):
    out, _ = shop
    beanie = product(out, "beanie")
    assert beanie == {
        "type": "simple",
        "sku": "BEAN-RED",
        "price": 17.5,
        "regular_price": 20,
        "sale_price": 17.5,
        "sale_from": "2024-04-01",
        "sale_to": "2024-04-30",
        "stock_status": "instock",
        "stock": 7,
        "currency": "EUR",
        "shipping_class": "Small parcels",
        "weight": 0.2,
        "length": 20,
        "width": 18,
        "gallery": ["/wp-content/uploads/2024/03/beanie-back.jpg"],
        "attributes": [{"name": "color", "values": ["Red"], "visible": True, "variation": False}],
    }
    meta = frontmatter.load(out / "content" / "product" / "beanie.md").metadata
    # WooCommerce's plumbing taxonomies are in the map, not term lists of their own.
    assert not {"product_type", "product_visibility", "product_shipping_class"} & set(meta)
    assert meta["image"] == "/wp-content/uploads/2024/03/beanie.jpg"


def test_variations_are_no_pages_and_an_orphan_is_reported(shop):
    out, report = shop
    assert sorted(p.name for p in (out / "content" / "product").iterdir()) == ["beanie.md", "hoodie.md"]
    assert report.items == {"product": 2, "post": 1}
    assert report.skipped["product_variation (in its product)"] == 3
    assert report.skipped["product_variation (no product)"] == 1
    orphans = [w for w in report.warnings if w.kind == "orphan-variation"]
    assert [(w.item_id, w.message) for w in orphans] == [
        (30, "variation 30 (Scarf - Red): its product 99 is not among the items written")
    ]
    assert not [w for w in report.warnings if w.kind == "currency"]


PRODUCT_PAGE = (
    "<h1>{{ .Title }}</h1>\n{{ with .Params.product }}<p class=price>{{ .price }} {{ .currency }}</p>\n"
    "{{ range .gallery }}<img src={{ . }}>\n{{ end }}{{ range .variations }}<li>{{ .sku }}: "
    "{{ range $k, $v := .attributes }}{{ $k }}={{ $v }} {{ end }}{{ .price }}</li>\n{{ end }}{{ end }}{{ .Content }}\n"
)


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed")
def test_hugo_builds_the_shop_and_a_theme_reads_the_product_map(shop, tmp_path):
    out, _ = shop
    site = tmp_path / "site"
    for rel, data in without_state(files(out)).items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    done = build(site, single=PRODUCT_PAGE)
    published, problems = check_site(site, done)
    assert problems == [] and published == 3, done.stderr
    page = (site / "public" / "product" / "hoodie" / "index.html").read_text()
    assert "<p class=price>40 EUR</p>" in page
    assert "<li>HOOD-01-GRN-N: color=Green logo=No 40</li>" in page
    assert "<img src=/wp-content/uploads/2024/03/hoodie-green.jpg>" in page
    assert (site / "public" / "wp-content" / "uploads" / "2024" / "03" / "hoodie-green.jpg").is_file()


def test_without_a_currency_the_run_says_how_to_set_it(tmp_path):
    report = run(config(tmp_path, tmp_path / "site", settings=Settings(), media="none"))
    assert "currency" not in product(tmp_path / "site", "hoodie")
    [warning] = [w for w in report.warnings if w.kind == "currency"]
    assert "[woocommerce] currency" in warning.message and report.exit_code == 0


def test_jobs_2_and_a_rerun_give_the_same_bytes(shop, tmp_path):
    out, _ = shop
    parallel = tmp_path / "parallel"
    run(config(tmp_path, parallel, jobs=2))
    assert without_state(files(parallel)) == without_state(files(out))
    again = run(config(tmp_path, parallel, jobs=2))
    assert again.files_written == 0 and without_state(files(parallel)) == without_state(files(out))


def test_a_changed_variation_rewrites_its_product_only(tmp_path):
    export = tmp_path / "shop.xml"
    export.write_bytes(SHOP.read_bytes())
    out = tmp_path / "site"
    run(config(tmp_path, out, export=export))
    text = export.read_text(encoding="utf-8")
    # The blue variation gets a new SKU: nothing of the product item itself changes.
    changed = text.replace("<![CDATA[HOOD-01-BLU-Y]]>", "<![CDATA[HOOD-01-BLU-YES]]>")
    assert changed != text
    export.write_text(changed, encoding="utf-8")
    report = run(config(tmp_path, out, export=export))
    assert list(report.changes.updated) == ["content/product/hoodie.md"] and report.changes.unchanged == 2
    assert product(out, "hoodie")["variations"][0]["sku"] == "HOOD-01-BLU-YES"


def test_toml_front_matter_holds_the_product_map(tmp_path):
    settings = Settings(currency="EUR", front_matter="toml")
    run(config(tmp_path, tmp_path / "site", settings=settings))
    text = (tmp_path / "site" / "content" / "product" / "hoodie.md").read_text()
    meta = tomlfm.loads(text).metadata
    assert meta["product"]["variations"][1]["sale_from"] == "2024-04-01"
    assert meta["product"]["gallery"][0] == "/wp-content/uploads/2024/03/hoodie-blue.jpg"


def test_currency_comes_from_the_config_file_and_a_bad_one_is_one_line(tmp_path):
    (tmp_path / "wxr-migrate.toml").write_text('[woocommerce]\ncurrency = "GBP"\n')
    args = [
        str(SHOP),
        "-o",
        str(tmp_path / "site"),
        "--media",
        "none",
        "--config",
        str(tmp_path / "wxr-migrate.toml"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    assert product(tmp_path / "site", "beanie")["currency"] == "GBP"
    (tmp_path / "wxr-migrate.toml").write_text('[woocommerce]\ncurrency = "euro"\n')
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip().endswith('[woocommerce] currency must be a three-letter code like "EUR"')


def test_bad_postmeta_is_left_out_not_fatal():
    item = Item(
        id=5,
        post_type="product",
        terms=(ItemTerm("product_type", "simple", "simple"),),
        postmeta=(
            ("_product_attributes", 'a:1:{s:8:"pa_color";O:8:"stdClass":0:{}}'),  # an object: refused
            ("_price", "free"),
            ("_regular_price", "nan"),
            ("_sale_price", "3"),
            ("_sale_price_dates_from", "not a date"),
            ("_product_image_gallery", "12,,x,12"),
        ),
    )
    assert woocommerce.front_matter(item, (), SiteIndex()) == {"type": "simple", "sale_price": 3}
    assert woocommerce.gallery_ids(item) == (12,)
    assert woocommerce.front_matter(replace(item, post_type="post"), (), SiteIndex()) == {}


@pytest.mark.skipif(not DEMO.is_file(), reason="corpus not available")
def test_corpus_demo_shop(tmp_path):
    plan = scan([DEMO], media=False)
    assert {parent: [v.id for v in vs] for parent, vs in plan.index.variations.items()} == {
        6: [20, 21, 22],
        7: [30, 23, 24, 25],  # WooCommerce's order: menu_order, then id
    }
    assert plan.skipped["product_variation (in its product)"] == 7
    out = tmp_path / "site"
    report = run(Config(exports=(DEMO,), output=out, media="none", settings=Settings(currency="USD")))
    assert report.items == {"product": 18} and not [w for w in report.warnings if w.kind != "conversion"]
    kinds = {}
    for md in sorted((out / "content" / "product").glob("*.md")):
        meta = frontmatter.load(md).metadata["product"]
        kinds[meta["type"]] = kinds.get(meta["type"], 0) + 1
        assert meta["currency"] == "USD" and meta["sku"] and meta["stock_status"] == "instock"
    assert kinds == {"simple": 14, "variable": 2, "grouped": 1, "external": 1}
    vneck = product(out, "v-neck-t-shirt")
    assert [v["attributes"] for v in vneck["variations"]] == [
        {"color": "Red"},
        {"color": "Green"},
        {"color": "Blue"},
    ]
    assert vneck["price"] == 15 and len(vneck["gallery"]) == 2
    hoodie = product(out, "hoodie")
    assert hoodie["attributes"][1] == {
        "name": "Logo",
        "values": ["Yes", "No"],
        "visible": True,
        "variation": True,
    }
    assert hoodie["variations"][0] == {
        "id": 30,
        "attributes": {"color": "Blue", "logo": "Yes"},
        "sku": "woo-hoodie-blue-logo",
        "price": 45,
        "regular_price": 45,
        "stock_status": "instock",
        "image": hoodie["variations"][0]["image"],
    }
    assert re.search(r"hoodie-with-logo-2\.jpg$", hoodie["variations"][0]["image"])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["skipped"] == {"attachment": 22, "product_variation (in its product)": 7}

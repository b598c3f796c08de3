"""SEO plugins' postmeta and termmeta → description, seo.*, images (issue 15, point 1)."""

import shutil
from pathlib import Path

import frontmatter
import pytest

from migrate.config import Config
from migrate.document import render_item
from migrate.models import Term
from migrate.pipeline import run
from migrate.plan import iter_items, scan
from migrate.plugins.seo import post_seo, term_seo
from migrate.wxr import iter_records

from .helpers import CORPUS
from .hugo_site import build, check_site, hugo_binary
from .test_golden import check_golden, files

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "seo-yoast"
SOCIAL = "https://cocinalenta.example/wp-content/uploads/2024/03/lentejas-social.jpg"


def migrate(tmp_path, name, **options):
    out = tmp_path / name
    report = run(Config(exports=(DATA / f"seo-{name}.xml",), output=out, media="none", **options))
    posts = {p.stem: frontmatter.load(p).metadata for p in (out / "content" / "posts").glob("*.md")}
    return posts, report


def check(post, seo, description, images=None):
    """The post's seo map, description and images (None: it has none)."""
    assert (post.get("seo"), post["description"], post.get("images")) == (seo, description, images)


def warnings(report):
    return {(w.item_id, w.message) for w in report.warnings if w.kind == "conversion"}


def test_yoast(tmp_path):
    posts, report = migrate(tmp_path, "yoast")
    # %%page%% is empty on a one-page post: the space it leaves goes; &amp; is decoded. The SEO
    # description wins over the excerpt ("Las lentejas de siempre."). OpenGraph and Twitter name
    # the same image: it is written once.
    seo = {
        "title": "Lentejas de la abuela - Cocina Lenta",
        "canonical": "https://cocinalenta.example/lentejas-de-la-abuela/",
        "keyword": "lentejas de la abuela",
    }
    description = "Receta de Lentejas de la abuela en Guisos: lentejas con chorizo & paciencia."
    check(posts["lentejas-de-la-abuela"], seo, description, [SOCIAL])
    # Its title used %%currentyear%%: dropped. Its description is %%excerpt%%.
    check(posts["cocido-en-olla-lenta"], {"noindex": True}, "Un cocido que se hace solo mientras trabajas.")
    assert warnings(report) == {
        (
            102,
            "Yoast SEO title '%%title%% %%sep%% %%currentyear%% %%sep%% %%sitename%%' dropped: "
            "unknown variable %%currentyear%%",
        )
    }
    assert "seo" not in posts["caldo-de-huesos"] and "images" not in posts["caldo-de-huesos"]


def test_rank_math(tmp_path):
    posts, report = migrate(tmp_path, "rankmath")
    seo = {
        "title": "Garbanzos con espinacas - Cocina Lenta",
        "canonical": "https://cocinalenta.example/garbanzos/",
        "keyword": "garbanzos con espinacas",  # the first of Rank Math's comma-separated keywords
        "noindex": True,  # from the serialized rank_math_robots array
    }
    description = "Garbanzos con espinacas al estilo sevillano, de Cocina Lenta."
    check(posts["garbanzos-con-espinacas"], seo, description, [SOCIAL])
    # %customfield(origen)% is not known: no title.
    description = "Fabada asturiana en Cocina Lenta, Recetas sin prisa & con calma."
    check(posts["fabada-sin-prisa"], {"keyword": "fabada"}, description)
    assert [i for i, _ in warnings(report)] == [202]


def test_all_in_one_seo_new_and_old_keys(tmp_path):
    posts, report = migrate(tmp_path, "aioseo")
    # #post_excerpt replaced; #recetas is a hashtag, kept as written.
    seo = {"title": "Pisto manchego - Cocina Lenta", "keyword": "pisto manchego"}
    check(posts["pisto-manchego"], seo, "Pisto de la Mancha, hecho a fuego lento. Sin prisa. #recetas")
    # All in One SEO before 4.0: _aioseop_*; the image is in the serialized _aioseop_opengraph_settings.
    seo = {
        "title": "Migas de pastor | Cocina Lenta",
        "canonical": "https://cocinalenta.example/migas/",
        "keyword": "migas",
        "noindex": True,
    }
    check(posts["migas-de-pastor"], seo, "Migas con uvas, como en La Mancha.", [SOCIAL])
    assert "seo" not in posts["gachas"] and posts["gachas"]["description"] == "Gachas de Marta Ruiz."
    assert [(i, m.split(":")[-1]) for i, m in warnings(report)] == [(303, " unknown variable #custom_field")]


def test_seopress(tmp_path):
    posts, report = migrate(tmp_path, "seopress")
    # `_seopress_robots_index = yes` is SEOPress's "noindex"; %%wc_sku%% is unknown: no title.
    check(posts["porrusalda"], {"noindex": True}, "Puerros, patata y bacalao.")
    canonical = "https://cocinalenta.example/marmitako/"
    seo = {"title": "Marmitako - Cocina Lenta", "canonical": canonical, "keyword": "marmitako"}
    check(posts["marmitako"], seo, "Marmitako de bonito del norte, receta de Marta Ruiz.", [SOCIAL])
    assert [i for i, _ in warnings(report)] == [402]


def test_social_image_goes_through_the_media_step(tmp_path):
    uploads = tmp_path / "uploads" / "2024" / "03"
    uploads.mkdir(parents=True)
    for name in ("cazuela.jpg", "lentejas-social.jpg"):
        shutil.copy(ROOT / "samples" / "uploads" / "2012" / "12" / "meetup-madrid.jpg", uploads / name)
    out = tmp_path / "site"
    run(Config(exports=(DATA / "seo-yoast.xml",), output=out, uploads=tmp_path / "uploads", offline=True))
    post = frontmatter.load(out / "content" / "posts" / "lentejas-de-la-abuela.md").metadata
    assert post["images"] == ["/wp-content/uploads/2024/03/lentejas-social.jpg"]
    # Named only by the SEO data (not the body, not the featured image), and fetched all the same.
    assert (out / "static" / "wp-content" / "uploads" / "2024" / "03" / "lentejas-social.jpg").is_file()


def test_term_seo_from_termmeta():
    """The term pages (written elsewhere) get their SEO data from term_seo()."""
    for name, expected in [
        (
            "rankmath",
            (
                "Recetas de Guisos - Cocina Lenta",
                "Todos nuestros Guisos: Platos de cuchara para el invierno.",
                False,
            ),
        ),
        ("seopress", ("Guisos - Cocina Lenta", "Guisos y potajes de Cocina Lenta.", True)),
    ]:
        index = scan([DATA / f"seo-{name}.xml"]).index
        found = term_seo(index.terms[("category", "guisos")], index)
        assert (found.title, found.description, found.noindex) == expected, name
        assert term_seo(index.terms[("post_tag", "legumbres")], index).front_matter() == {}


def test_reader_keeps_termmeta():
    terms = [r for r in iter_records(CORPUS / "importer-term-meta.xml") if isinstance(r, Term)]
    assert [(t.slug, t.meta) for t in terms] == [("news", (("legacy_id", "42"),))]


def test_golden_yoast(tmp_path):
    out = tmp_path / "site"
    run(Config(exports=(DATA / "seo-yoast.xml",), output=out, media="none"))
    check_golden(files(out), GOLDEN)


def test_same_bytes_with_two_jobs(tmp_path):
    """Workers read the site index from a file (sitestore.py): the image ids resolve there too."""
    for name in ("yoast", "rankmath", "aioseo", "seopress"):
        trees = []
        for jobs in (1, 2):
            out = tmp_path / name / f"jobs{jobs}"
            run(Config(exports=(DATA / f"seo-{name}.xml",), output=out, media="none", jobs=jobs))
            trees.append({k: v for k, v in files(out).items() if not k.startswith(".wxr-migrate/")})
        assert trees[0] == trees[1] and any(b"seo:" in v for v in trees[0].values()), name


YOAST_CORPUS = sorted(p.name for p in CORPUS.glob("*.xml") if b"_yoast_wpseo" in p.read_bytes())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not available")
def test_corpus_yoast_and_aioseo_descriptions():
    """Every corpus post with a Yoast or AIOSEO meta description (and no variable in it) has it as
    its description; every focus keyword is kept."""
    assert len(YOAST_CORPUS) == 7
    checked = keywords = 0
    for name in [*YOAST_CORPUS, "blog-everet-zh-wxr12.xml"]:
        plan = scan([CORPUS / name], media=False)
        entries = {e.item_id: e for e in plan.entries.values()}
        for item in iter_items([CORPUS / name], comments=False):
            entry = entries.get(item.id)
            wanted = (item.meta("_yoast_wpseo_metadesc") or item.meta("_aioseo_description")).strip()
            keyword = item.meta("_yoast_wpseo_focuskw").strip()
            if entry is None or not (wanted or keyword):
                continue
            meta = frontmatter.loads(render_item(item, entry, plan.index).text).metadata
            if wanted and "%%" not in wanted and "#" not in wanted:
                assert meta["description"] == " ".join(wanted.split()), (name, item.id)
                checked += 1
            if keyword:
                assert meta["seo"]["keyword"] == keyword, (name, item.id)
                keywords += 1
    assert (checked, keywords) == (98, 90)


def test_post_seo_of_an_item_without_plugin_data_is_empty():
    item = next(iter_items([DATA / "seo-yoast.xml"]))  # an attachment
    assert post_seo(item, scan([DATA / "seo-yoast.xml"]).index).front_matter() == {}


HEAD = """<title>{{ with .Params.seo.title }}{{ . }}{{ else }}{{ .Title }}{{ end }}</title>
<meta name="description" content="{{ .Description }}">
{{ with .Params.seo.canonical }}<link rel="canonical" href="{{ . }}">{{ end }}
{{ if .Params.seo.noindex }}<meta name="robots" content="noindex">{{ end }}
{{ template "_internal/opengraph.html" . }}
"""


@pytest.mark.skipif(hugo_binary() is None, reason="hugo not installed")
def test_hugo_reads_the_keys(tmp_path):
    """The keys are what Hugo's own templates read: `images` → og:image, `description`."""
    site = tmp_path / "site"
    run(Config(exports=(DATA / "seo-yoast.xml",), output=site, media="none"))
    done = build(site, single=HEAD)
    assert check_site(site, done) == (3, [])
    page = (site / "public" / "lentejas-de-la-abuela" / "index.html").read_text(encoding="utf-8")
    assert "<title>Lentejas de la abuela - Cocina Lenta</title>" in page
    assert '<meta property="og:image" content="' + SOCIAL + '">' in page
    assert '<link rel="canonical" href="https://cocinalenta.example/lentejas-de-la-abuela/">' in page
    assert (
        'content="Receta de Lentejas de la abuela en Guisos: lentejas con chorizo &amp; paciencia."' in page
    )
    noindex = (site / "public" / "cocido-en-olla-lenta" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in noindex


def test_term_pages_carry_the_terms_seo_data(tmp_path):
    """Rank Math's termmeta reaches the category's page: its SEO title and description."""
    out = tmp_path / "site"
    run(Config(exports=(DATA / "seo-rankmath.xml",), output=out, media="none", quiet=True))
    page = frontmatter.load(out / "content" / "categories" / "guisos" / "_index.md")
    assert page["description"] == "Todos nuestros Guisos: Platos de cuchara para el invierno."
    assert page["seo"] == {"title": "Recetas de Guisos - Cocina Lenta"}
    assert page.content == "Platos de cuchara para el invierno"
    # A tag with no description, parent or SEO data gets no page.
    assert not (out / "content" / "tags" / "legumbres").exists()

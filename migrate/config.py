"""What one run is asked to do. Built by the CLI (or by a caller of the library API)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .settings import Settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Config:
    exports: tuple[Path, ...]  # one site, possibly split over several files
    output: Path  # the Hugo site folder; Markdown goes under output/content
    dry_run: bool = False
    quiet: bool = False
    verbose: bool = False
    report_path: Path | None = None
    media: str = "static"  # "static" (static/wp-content/uploads/…), "bundle" (page bundles), "none"
    uploads: Path | None = None  # a copy of wp-content/uploads: folder, .zip or .tar.gz
    offline: bool = False  # never use the network: media come from `uploads` only
    jobs_http: int = 4
    max_file_size: int = 50 * MB
    allow_hosts: frozenset[str] = frozenset()  # other hosts whose media are fetched
    allow_private: bool = False  # fetch from loopback/private addresses (tests, intranets)
    force: bool = False  # overwrite hand edits (after a backup), recreate deleted files, prune anyway
    prune: bool = False  # delete files of items gone from the export (only unedited ones)
    settings: Settings = Settings()  # target, front matter, go-live files, config file tables
    salvage: bool = False  # a broken export: migrate the items read before the error, list the rest
    fix_mojibake: bool = False  # decode double-encoded UTF-8 in titles, terms and text
    jobs: int = 1  # processes converting items; 1 converts in this process
    theme: str = "starter"  # the starter theme (site/theme.py) when the site has none, or "none"
    disqus_shortname: str = ""  # [services.disqus] shortname in the site's configuration

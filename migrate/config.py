"""What one run is asked to do. Built by the CLI (or by a caller of the library API)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    exports: tuple[Path, ...]  # one site, possibly split over several files
    output: Path  # the Hugo site folder; Markdown goes under output/content
    dry_run: bool = False
    quiet: bool = False
    verbose: bool = False
    report_path: Path | None = None
    salvage: bool = False  # a broken export: migrate the items read before the error, list the rest
    fix_mojibake: bool = False  # decode double-encoded UTF-8 in titles, terms and text

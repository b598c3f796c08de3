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
    jobs: int = 1  # processes converting items; 1 converts in this process

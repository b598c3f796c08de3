"""The starter theme (`themes/wxr-starter/`), so a migrated site is readable at the first build.

Its files are package data (`migrate/site/themes/wxr-starter/`, read with importlib.resources so an
installed wheel has them) and are copied as they are. The theme is written only for Hugo, with
`--theme starter` (the default), and only when the site has no theme of its own: no `theme` in an
existing configuration and no `layouts/` folder. Each file goes through the site writer
(site/writer.py): rewritten when the tool's theme changes, never over a file the user edited.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .config import THEME

STARTER = "starter"
NONE = "none"
CHOICES = (STARTER, NONE)


def theme_files() -> list[tuple[str, bytes]]:
    """(path below the site folder, bytes) of every file of the starter theme, sorted by path."""
    root = files(__package__).joinpath("themes", THEME)
    out: list[tuple[str, bytes]] = []
    _walk(root, f"themes/{THEME}", out)
    return sorted(out)


def _walk(folder: Traversable, prefix: str, out: list[tuple[str, bytes]]) -> None:
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        path = f"{prefix}/{entry.name}"
        if entry.is_dir():
            _walk(entry, path, out)
        else:
            out.append((path, entry.read_bytes()))


def wanted(root: Path, target: str, choice: str, existing_theme: bool) -> bool:
    """Is the starter theme written into the site at `root`?"""
    return target == "hugo" and choice == STARTER and not existing_theme and not (root / "layouts").is_dir()

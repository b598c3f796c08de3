"""The site's files at the end of a run: configuration, menus, theme (see the package docstring).

`generate` decides what to write and says what it did in `notes` (lines for the summary that
depend only on the inputs and the folder's state, so a replayed run can repeat them) and
`written` (the files this run wrote). A dry run (`writer` None) writes nothing and says what it
would write.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import Settings
from ..state import STATE_DIR
from ..write import UnsafePathError, atomic_write, dump_yaml, safe_join
from . import config as site_config
from . import theme
from .config import SiteFacts
from .writer import KEPT, UNSAFE, WRITTEN, SiteWriter

JEKYLL_MENUS = "_data/menus.yml"


@dataclass
class Outcome:
    notes: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def generate(
    root: Path, facts: SiteFacts, settings: Settings, theme_choice: str, writer: SiteWriter | None
) -> Outcome:
    out = Outcome()
    jekyll = settings.target == "jekyll"
    own_name = site_config.JEKYLL_CONFIG if jekyll else site_config.HUGO_CONFIG
    existing = site_config.find_existing(root, settings.target)
    users = bool(existing) and (existing != own_name or _is_users(root, existing, writer))
    theme_set = False
    if users:
        read = site_config.read_existing(root, existing)
        # Unreadable: better no theme than a second one. Ours named there: kept up to date.
        theme_set = read is None or read.get("theme", site_config.THEME) != site_config.THEME
    facts.theme = theme.wanted(root, settings.target, theme_choice, theme_set)
    config = (site_config.jekyll_config if jekyll else site_config.hugo_config)(facts, settings)
    text = (site_config.render_jekyll if jekyll else site_config.render_hugo)(config)
    if facts.raw_html_files and not jekyll:
        out.notes.append(
            f"markup.goldmark.renderer.unsafe = true: raw HTML kept in {_files(facts.raw_html_files)}"
            " (Hugo drops it otherwise)"
        )
    if users:
        suggested = site_config.JEKYLL_SUGGESTED if jekyll else site_config.HUGO_SUGGESTED
        lacking = site_config.lacking(
            site_config.read_existing(root, existing), site_config.needed_keys(config)
        )
        where = f"{STATE_DIR}/{suggested}"
        if lacking:
            out.notes.append(
                f"{existing} is yours, left as it is; it lacks {', '.join(lacking)} (see {where})"
            )
        else:
            out.notes.append(f"{existing} is yours, left as it is (the tool's suggestion: {where})")
        if writer is not None:
            with contextlib.suppress(UnsafePathError):  # the state folder is the tool's: never a link out
                atomic_write(safe_join(root, where), text.encode("utf-8"))
    else:
        _write(out, writer, own_name, text.encode("utf-8"))
    if jekyll and facts.menus:
        _write(out, writer, JEKYLL_MENUS, dump_yaml(facts.menus).encode("utf-8"))
    if facts.theme:
        files = theme.theme_files()
        for path, data in files:
            _write(out, writer, path, data)
        # What the files are for; the "wrote" line counts those this run wrote.
        out.notes.append(
            f"theme: {site_config.THEME}, in themes/{site_config.THEME}/ (--theme none: no theme)"
        )
    return out


def _is_users(root: Path, path: str, writer: SiteWriter | None) -> bool:
    return writer.is_users(path) if writer is not None else True  # a dry run reads no manifest


def _write(out: Outcome, writer: SiteWriter | None, path: str, data: bytes) -> None:
    if writer is None:
        out.written.append(path)  # a dry run: what it would write
        return
    status = writer.write(path, data)
    if status == WRITTEN:
        out.written.append(path)
    elif status == KEPT:
        out.notes.append(f"{path}: edited by you, left as it is (the tool's version is not written)")
    elif status == UNSAFE:
        out.notes.append(f"{path}: not written: a link there leads out of the site folder")


def _files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"

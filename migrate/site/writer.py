"""Writes the site's files (configuration, menus data, theme) so that re-runs never destroy edits.

Like items (update.py), a site file is replaced only while it holds the bytes the tool last wrote
there, recorded in the manifest (`site_files`: path → sha256). A file with other bytes is the
user's and stays; a deleted one is written again (a site without its configuration or a template
does not build). Files are written atomically. A run killed between a write and the manifest commit
leaves a file the manifest does not name: the next run takes it as the tool's when its bytes are
the ones it would write, and as the user's otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..state import Manifest, file_hash, sha256
from ..write import UnsafePathError, atomic_write, safe_join

WRITTEN, UNCHANGED, KEPT, UNSAFE = "written", "unchanged", "kept", "unsafe"


@dataclass
class SiteWriter:
    root: Path
    manifest: Manifest
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the user's files, left as they are

    def write(self, path: str, data: bytes) -> str:
        """WRITTEN, UNCHANGED (already these bytes), KEPT (the user's file: left alone) or UNSAFE
        (a link there leads out of the site folder: nothing written)."""
        try:
            target = safe_join(self.root, path)
        except UnsafePathError:
            return UNSAFE
        digest, on_disk = sha256(data), file_hash(target)
        records = self.manifest.site_files
        if on_disk == digest:
            records[path] = digest
            return UNCHANGED
        if on_disk is not None and on_disk != records.get(path):
            self.kept.append(path)
            return KEPT
        atomic_write(target, data)
        records[path] = digest
        self.written.append(path)
        return WRITTEN

    def is_users(self, path: str) -> bool:
        """Is the file at `path` there and not the tool's (not as the tool last wrote it)?"""
        try:
            on_disk = file_hash(safe_join(self.root, path))
        except UnsafePathError:
            return True  # a link out of the folder: not the tool's to replace
        return on_disk is not None and on_disk != self.manifest.site_files.get(path)

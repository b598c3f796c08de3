"""What a run did: counts, lists, and the warnings that need a person to look.

The pipeline fills one Report; the CLI prints `summary()` to stderr and writes `to_dict()` as JSON
for `--report`. Both are deterministic (sorted), so two runs over the same export compare equal.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .models import Repair, Salvage

REPORT_VERSION = 1


@dataclass(frozen=True, order=True)
class Warning:
    """Something the run finished despite, that a person should check (makes the exit code 1)."""

    item_id: int
    kind: str  # short machine-readable kind: unknown-shortcode, raw-html, path-collision, …
    message: str
    path: str = ""


@dataclass(frozen=True, order=True)
class Draft:
    item_id: int
    status: str
    title: str
    path: str
    password: bool = False


@dataclass
class Report:
    exports: list[str] = field(default_factory=list)
    output: str = ""
    dry_run: bool = False
    written: Counter[str] = field(default_factory=Counter)  # post type → files written
    items: Counter[str] = field(default_factory=Counter)  # post type → items migrated
    files_written: int = 0
    files_unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # "type" or "type (status)" → count
    drafts: list[Draft] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)
    # Lossless mends to the exports' bytes (PHP warnings skipped, forbidden characters dropped…).
    # They do not change the exit code: nothing was lost, and the run is as good as a clean one.
    repairs: list[Repair] = field(default_factory=list)
    salvaged: list[Salvage] = field(default_factory=list)  # --salvage: broken exports, items lost

    def warn(self, item_id: int, kind: str, message: str, path: str = "") -> None:
        self.warnings.append(Warning(item_id, kind, message, path))

    @property
    def exit_code(self) -> int:
        return 1 if self.warnings or self.salvaged else 0

    def to_dict(self) -> dict[str, object]:
        return {
            "version": REPORT_VERSION,
            "exports": self.exports,
            "output": self.output,
            "dry_run": self.dry_run,
            "items": dict(sorted(self.items.items())),
            "files": {"written": self.files_written, "unchanged": self.files_unchanged},
            "skipped": dict(sorted(self.skipped.items())),
            "drafts": [d.__dict__ for d in sorted(self.drafts)],
            "unknown_shortcodes": dict(sorted(self.unknown_shortcodes.items())),
            "warnings": [w.__dict__ for w in sorted(self.warnings)],
            "repairs": [
                {"export": r.source, "line": r.line, "kind": r.kind, "message": r.message, "count": r.count}
                for r in sorted(self.repairs)
            ],
            "salvage": [
                {
                    "export": s.source,
                    "error": s.error,
                    "unread": [
                        {"line": u.line, "item_id": u.id, "post_type": u.post_type, "title": u.title}
                        for u in s.unread
                    ],
                }
                for s in self.salvaged
            ],
            "exit_code": self.exit_code,
        }

    def write_json(self, path: Path) -> None:
        from .write import atomic_write

        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
        atomic_write(path, text.encode("utf-8"))

    def summary(self, verbose: bool = False) -> list[str]:
        """Human-readable lines for stderr."""
        lines = []
        posts, pages = self.items.get("post", 0), self.items.get("page", 0)
        others = sum(n for t, n in self.items.items() if t not in ("post", "page"))
        head = f"{posts} posts, {pages} pages"
        if others:
            kinds = ", ".join(f"{n} {t}" for t, n in sorted(self.items.items()) if t not in ("post", "page"))
            head += f", {others} other ({kinds})"
        head += f", {len(self.drafts)} drafts"
        lines.append(head)
        if self.dry_run:
            lines.append("dry run: nothing written")
        else:
            lines.append(f"{self.files_written} files written, {self.files_unchanged} unchanged")
        if self.skipped:
            skipped = ", ".join(f"{n} {k}" for k, n in sorted(self.skipped.items()))
            lines.append(f"skipped {sum(self.skipped.values())}: {skipped}")
        if self.unknown_shortcodes:
            names = ", ".join(f"[{k}] ×{n}" for k, n in sorted(self.unknown_shortcodes.items()))
            lines.append(f"shortcodes kept as they were: {names}")
        if verbose:
            for d in sorted(self.drafts):
                lock = ", password" if d.password else ""
                lines.append(f"  draft {d.item_id} ({d.status}{lock}): {d.title} → {d.path}")
        lines += self._repair_lines(verbose)
        lines += self._salvage_lines(verbose)
        if self.warnings:
            lines.append(f"{len(self.warnings)} warnings:")
            shown = sorted(self.warnings) if verbose else sorted(self.warnings)[:20]
            for w in shown:
                where = f" {w.path}" if w.path else ""
                lines.append(f"  item {w.item_id}{where}: {w.kind}: {w.message}")
            if len(shown) < len(self.warnings):
                lines.append(f"  … {len(self.warnings) - len(shown)} more (--verbose or --report)")
        return lines

    def _repair_lines(self, verbose: bool) -> list[str]:
        if not self.repairs:
            return []
        lines = [f"{len(self.repairs)} repairs (nothing lost):"]
        shown = sorted(self.repairs) if verbose else sorted(self.repairs)[:20]
        lines += [f"  {r.source}:{r.line}: {r.kind}: {r.message}" for r in shown]
        if len(shown) < len(self.repairs):
            lines.append(f"  … {len(self.repairs) - len(shown)} more (--verbose or --report)")
        return lines

    def _salvage_lines(self, verbose: bool) -> list[str]:
        lines = []
        for s in self.salvaged:
            lines.append(f"salvaged {s.error}")
            lines.append(f"  {len(s.unread)} items could not be read:")
            shown = s.unread if verbose else s.unread[:20]
            for u in shown:
                kind = f" ({u.post_type})" if u.post_type else ""
                ident = f"item {u.id}" if u.id else "an item without id"
                lines.append(f"  {ident}{kind} at line {u.line}: {u.title or '(no title)'}")
            if len(shown) < len(s.unread):
                lines.append(f"  … {len(s.unread) - len(shown)} more (--verbose or --report)")
        return lines

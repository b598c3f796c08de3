"""The one place that wires the stages together: plan → render → write → report."""

from __future__ import annotations

from collections.abc import Callable

from .config import Config
from .convert import decode_entities
from .document import render_item
from .plan import iter_items, scan
from .report import Draft, Report
from .write import UnsafePathError, atomic_write, safe_join
from .wxr import ReadOptions

Progress = Callable[[int, int], None]  # (items done, items to do)


def run(config: Config, progress: Progress | None = None) -> Report:
    """Migrate `config.exports` into `config.output`. Raises wxr.ExportError on unreadable input,
    before anything is written."""
    report = Report(
        exports=[str(p) for p in config.exports], output=str(config.output), dry_run=config.dry_run
    )
    read = ReadOptions(salvage=config.salvage)
    # Reads every file to the end: broken XML stops us here (unless salvaging).
    plan = scan(config.exports, read, config.fix_mojibake)
    report.skipped.update(plan.skipped)
    report.warnings.extend(plan.warnings)
    report.repairs.extend(plan.repairs)
    report.salvaged.extend(plan.salvaged)

    total, done = len(plan.entries), 0
    for ordinal, item in enumerate(iter_items(config.exports, read, config.fix_mojibake)):
        entry = plan.entries.get(ordinal)
        if entry is None:
            continue
        rendered = render_item(item, entry, plan.index)
        report.items[entry.post_type] += 1
        if entry.draft:
            report.drafts.append(
                Draft(
                    item.id, item.status, decode_entities(item.title).strip(), entry.path, bool(item.password)
                )
            )
        for name in rendered.unknown_shortcodes:
            report.unknown_shortcodes[name] += 1
            report.warn(item.id, "unknown-shortcode", f"[{name}] kept as it was", entry.path)
        for what in rendered.raw_html:
            report.warn(item.id, "raw-html", f"kept as raw HTML: {what}", entry.path)
        for message in rendered.warnings:
            report.warn(item.id, "conversion", message, entry.path)
        if not config.dry_run:
            _write(config, entry.path, rendered.text, item.id, report)
        done += 1
        if progress:
            progress(done, total)
    return report


def _write(config: Config, path: str, text: str, item_id: int, report: Report) -> None:
    try:
        target = safe_join(config.output, path)
    except UnsafePathError as exc:  # e.g. a folder in the output that links outside it
        report.warn(item_id, "unsafe-path", f"not written: {exc}", path)
        return
    if atomic_write(target, text.encode("utf-8")):
        report.files_written += 1
    else:
        report.files_unchanged += 1

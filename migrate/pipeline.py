"""The one place that wires the stages together: plan → render → write → report."""

from __future__ import annotations

from collections.abc import Callable

from .config import Config
from .convert import decode_entities
from .document import render_item
from .models import Item
from .parallel import ordered_map
from .plan import Entry, iter_items, scan
from .report import Draft, Report
from .write import UnsafePathError, atomic_write, safe_join

Progress = Callable[[int, int], None]  # (items done, items to do)


def run(config: Config, progress: Progress | None = None) -> Report:
    """Migrate `config.exports` into `config.output`. Raises wxr.ExportError on unreadable input,
    before anything is written."""
    report = Report(
        exports=[str(p) for p in config.exports], output=str(config.output), dry_run=config.dry_run
    )
    plan = scan(config.exports)  # reads every file to the end: broken XML stops us here
    report.skipped.update(plan.skipped)
    report.warnings.extend(plan.warnings)

    entries, total = plan.entries, len(plan.entries)
    items = iter_items(config.exports, comments=False)  # no stage uses them: not read, not sent to workers
    tasks = ((item, entries[n]) for n, item in enumerate(items) if n in entries)
    renders = ordered_map(render_item, tasks, jobs=config.jobs, shared=(plan.index,), describe=_describe)
    for done, ((item, entry), rendered) in enumerate(renders, start=1):
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
        if progress:
            progress(done, total)
    return report


def _describe(task: tuple[Item, Entry]) -> str:
    item, entry = task
    return f"{item.source}:{item.line}: item {item.id} ({entry.path})"


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

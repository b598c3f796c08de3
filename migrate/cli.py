"""Command line: parse options, build a Config, call pipeline.run, print the report."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__, filemode
from .collect import Outcome
from .config import MB, Config
from .convert.sourcemarkup import CHOICES as SOURCE_MARKUPS
from .lock import FolderBusy
from .mediaplan import BUNDLE, NONE, STATIC
from .options import MainCommand, build_settings, field_option, golive_options
from .parallel import TaskError, default_jobs
from .pipeline import Progress, PruneRefused, run
from .site.theme import CHOICES as THEMES
from .state import ManifestError
from .uploads import UploadsError
from .wxr import ExportError

EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM
_DISQUS_SHORTNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")


class ByteSize(click.ParamType):
    """`50MB`, `512k`, `1G` or a number of bytes."""

    name = "SIZE"
    _UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": MB, "mb": MB, "g": 1024 * MB, "gb": 1024 * MB}

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        number = text.rstrip("kmgb")
        unit = text[len(number) :]
        try:
            size = float(number) * self._UNITS[unit]
        except (ValueError, KeyError):
            self.fail(f"{value!r} is not a size like 50MB, 512k or 1048576", param, ctx)
        if size <= 0:
            self.fail("must be more than 0", param, ctx)
        return int(size)


EXAMPLE = """\b
Example:
  wxr-migrate export.xml -o mysite/
  wxr-migrate export.xml -o mysite/ --uploads backup/wp-content/uploads
  wxr-migrate export.xml -o mysite/ --dry-run          # writes nothing, reports broken images
  wxr-migrate site.000.xml site.001.xml -o mysite/ --report report.json
  wxr-migrate export.xml -o mysite/ --redirects nginx,netlify --comments data
  wxr-migrate init    (writes a commented wxr-migrate.toml: every option, read from the current folder)
  wxr-migrate fields export.xml    (lists the postmeta keys, to choose custom fields: --field KEY)

\b
Exit codes: 0 done; 1 done, but something needs your action (broken media, conflicts,
items not migrated: see the summary's last lines); 2 usage or input error (or another run is
using OUTPUT); 130 interrupted (Ctrl-C).
"""


@click.command(
    cls=MainCommand,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXAMPLE,
)
@click.argument("exports", nargs=-1, type=click.Path(path_type=Path))  # checked in main: one line
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Hugo site folder; Markdown is written under OUTPUT/content/.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the run's report as JSON to this file.",
)
@click.option(
    "--media",
    type=click.Choice([STATIC, BUNDLE, NONE]),
    default=STATIC,
    show_default=True,
    help="static: files in OUTPUT/static/wp-content/uploads/ (old image URLs keep working); "
    "bundle: Hugo page bundles, files beside each post; none: links stay on the old host.",
)
@click.option(
    "--uploads",
    type=click.Path(path_type=Path),
    help="A copy of wp-content/uploads (folder, .zip or .tar.gz): used first; "
    "nothing found there is downloaded.",
)
@click.option("--offline", is_flag=True, help="Never use the network: media come only from --uploads.")
@click.option(
    "--dry-run", is_flag=True, help="Convert everything, write nothing, and report broken media on stdout."
)
@click.option(
    "--jobs-http", default=4, show_default=True, type=click.IntRange(1, 32), help="Parallel downloads."
)
@click.option(
    "--max-file-size", default="50MB", show_default=True, type=ByteSize(), help="Largest media file to fetch."
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="HOST",
    help="Also fetch media from HOST (repeatable).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow media hosts on loopback or private addresses (intranets, tests).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite files you edited (saving them under .wxr-migrate/backups/), recreate files you "
    "deleted, and prune even when the export looks incomplete.",
)
@click.option(
    "--prune", is_flag=True, help="Delete files of items gone from the export (only files you did not edit)."
)
@click.option(
    "--salvage",
    is_flag=True,
    help="For an export broken part-way (cut off, bad XML): migrate the items read before the error,"
    " list those that could not be read, and exit 1.",
)
@click.option(
    "--fix-mojibake",
    is_flag=True,
    help="Decode double-encoded UTF-8 (CafÃ© → Café) in titles, terms and text;"
    " without it, it is only reported.",
)
@click.option(
    "--source-markup",
    type=click.Choice(SOURCE_MARKUPS),
    default="auto",
    show_default=True,
    help="What post bodies are written in: auto detects Textile and Markdown (from WordPress plugins) "
    "post by post, the others force one for every post.",
)
@click.option(
    "--theme",
    type=click.Choice(THEMES),
    default=THEMES[0],
    show_default=True,
    help="starter: write a small theme into OUTPUT/themes/wxr-starter/ when the site has none "
    "(no theme in its config, no layouts/; Hugo only); none: leave the theme to you.",
)
@click.option(
    "--disqus-shortname",
    metavar="NAME",
    default="",
    help="The site's Disqus shortname: written to hugo.toml ([services.disqus]) for the theme's comments.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    default=default_jobs,
    show_default="the number of CPUs",
    help="Processes converting items; the output is the same for any number.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="List every draft and every warning.")
@golive_options
@field_option
@click.version_option(__version__, prog_name="wxr-migrate")
def main(**options: Any) -> None:
    """Migrate WordPress export files (WXR) into Markdown with front matter.

    EXPORTS are one site's export files (a big site exported in several parts is one site):
    .xml, .xml.gz, or a .zip holding them, read as they are.
    Posts go to OUTPUT/content/posts/, pages follow their hierarchy under OUTPUT/content/, other
    public post types go to OUTPUT/content/TYPE/.
    """
    filemode.umask()  # read now, in the main process, before any thread or worker starts
    _check_inputs(options["exports"])
    options["disqus_shortname"] = options["disqus_shortname"].strip()
    if options["disqus_shortname"] and not _DISQUS_SHORTNAME.fullmatch(options["disqus_shortname"]):
        _fail(f"--disqus-shortname {options['disqus_shortname']!r}: letters, digits and - only")
    # Options named like a Config field fill it; the rest (targets, go-live) make its Settings.
    fields = {f.name for f in dataclasses.fields(Config)}
    golive = {k: options.pop(k) for k in list(options) if k not in fields}
    options["allow_hosts"] = frozenset(h.strip().lower() for h in options["allow_hosts"] if h.strip())
    config = Config(**options, settings=build_settings(golive))
    quiet, verbose, output, report_path = config.quiet, config.verbose, config.output, config.report_path
    if config.media == BUNDLE and config.settings.target == "jekyll":
        raise click.UsageError("--media bundle makes Hugo page bundles; Jekyll has none (use static)")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        with _progress(config) as progress:
            report = run(config, progress=progress, media_progress=None if quiet else MediaBar())
    except (ExportError, UploadsError, ManifestError, PruneRefused, TaskError, FolderBusy) as exc:
        _fail(str(exc))
    except KeyboardInterrupt as exc:
        _interrupted(isinstance(exc, Terminated))
    except OSError as exc:
        _fail(f"{exc.filename or output}: {exc.strerror or exc}")
    with contextlib.closing(report):  # its rows on disk are deleted when it closes
        unwritten = ""
        if report_path is not None:
            try:
                report.write_json(report_path)
            except OSError as exc:  # the site is migrated: say so, after the summary, and exit 2
                unwritten = (
                    f"{exc.filename or report_path}: {exc.strerror or exc}: the report was not written; "
                    "the migration itself is done (run again with another --report: an unchanged "
                    "re-run writes it without converting anything)"
                )
        if config.dry_run or (report.media is not None and report.media.broken):
            for line in report.media_report():
                click.echo(line)
        if not quiet:
            for line in report.summary(verbose=verbose):
                click.echo(line, err=True)
        if unwritten:
            _fail(unwritten)
        sys.exit(report.exit_code)


def _check_inputs(exports: tuple[Path, ...]) -> None:
    """A missing export is an input error like any other: one `error:` line, not click's usage."""
    if not exports:
        _fail(
            "no export file given: name it (wxr-migrate EXPORT.xml -o SITE_DIR), or as exports in "
            "wxr-migrate.toml (wxr-migrate init names those it finds in the folder)"
        )
    for export in exports:
        if export.is_dir():
            _fail(f"{export}: a folder, not an export file")
        if not export.exists():
            _fail(f"{export}: no such file")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, `timeout`, a service manager): the run takes Ctrl-C's way out. Its default
    action would end the process on the spot: whole files still, but the scratch files a first run
    keeps in the temporary folder (see pipeline._scratch_file) would stay there for good."""


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def _interrupted(terminated: bool = False) -> None:
    """Ctrl-C: the run has stopped its workers and left only whole files; exit 130 (128 + SIGINT).
    SIGTERM: the same, exit 143 (128 + SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the way out
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    what = "terminated" if terminated else "interrupted"
    click.echo(f"{what}: only whole files were written; run again to finish", err=True)
    code = EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        # A download blocked in a read would hold the interpreter's exit up to its timeout: its
        # temp file is swept by the next run.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


@contextlib.contextmanager
def _progress(config: Config) -> Iterator[Progress | None]:
    """A progress bar on stderr with items/s and ETA, only for a person watching a terminal."""
    if config.quiet or not sys.stderr.isatty():
        yield None
        return
    with contextlib.ExitStack() as stack:
        bar = None
        started = shown = 0.0

        def show(done: int, total: int) -> None:
            nonlocal bar, started, shown
            now = time.monotonic()
            if bar is None:  # the total is known once the first item is done
                bar = stack.enter_context(
                    click.progressbar(
                        length=total,
                        label="Migrating",
                        file=sys.stderr,
                        show_pos=True,
                        show_eta=False,  # unlabelled hh:mm:ss; the line says it below
                        item_show_func=lambda info: info,
                    )
                )
                started = shown = now
            if done < total and now - shown < 0.1:
                return
            shown = now
            rate = done / max(now - started, 0.001)
            eta = divmod(round((total - done) / rate), 60)
            bar.update(done - bar.pos, f"{rate:,.0f} items/s, ETA {eta[0]}:{eta[1]:02d}")

        yield show


class MediaBar:
    """Downloads and checks: a bar with ok/failed counts on a terminal; elsewhere (a log, a pipe) a
    line per failure, and a line with the counts every `INTERVAL` seconds, so a slow host does not
    look like a hung run."""

    INTERVAL = 10.0

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.ok = self.failed = self.total = 0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, total: int) -> None:
        self.total = total
        if self.tty and total:
            self.bar = click.progressbar(
                length=total, label="media", file=sys.stderr, item_show_func=self._counts
            )
            self.bar.__enter__()
        elif total:
            self._ticker = threading.Thread(target=self._tick, name="media-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            done = self.ok + self.failed
            click.echo(f"media: {done} of {self.total} files done ({self._counts(None)})", err=True)

    def done(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.ok += 1
        else:
            self.failed += 1
        if self.bar is not None:
            self.bar.update(1, outcome)
        elif not outcome.ok:
            click.echo(f"media failed: {outcome.key}: {outcome.message or outcome.error}", err=True)

    def finish(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def _counts(self, _outcome: object) -> str:
        return f"{self.ok} ok, {self.failed} failed"

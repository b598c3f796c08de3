"""Command line: parse options, build a Config, call pipeline.run, print the report."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from . import __version__
from .config import Config
from .parallel import TaskError, default_jobs
from .pipeline import Progress, run
from .wxr import ExportError

EXAMPLE = """\b
Example:
  wxr-migrate export.xml -o mysite/
  wxr-migrate site.000.xml site.001.xml -o mysite/ --report report.json

\b
Exit codes: 0 done, 1 done with warnings that need a look, 2 usage or input error.
"""


@click.command(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXAMPLE,
)
@click.argument(
    "exports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
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
@click.option("--dry-run", is_flag=True, help="Do everything but write files.")
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
@click.version_option(__version__, prog_name="wxr-migrate")
def main(
    exports: tuple[Path, ...],
    output: Path,
    report_path: Path | None,
    dry_run: bool,
    jobs: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Migrate WordPress export files (WXR) into Markdown with front matter.

    EXPORTS are one site's export files (a big site exported in several parts is one site).
    Posts go to OUTPUT/content/posts/, pages follow their hierarchy under OUTPUT/content/, other
    public post types go to OUTPUT/content/TYPE/.
    """
    config = Config(
        exports=exports, output=output, dry_run=dry_run, jobs=jobs, quiet=quiet, verbose=verbose,
        report_path=report_path,
    )
    try:
        with _progress(config) as progress:
            report = run(config, progress=progress)
    except (ExportError, TaskError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or output}: {exc.strerror or exc}")
    if report_path is not None:
        report.write_json(report_path)
    if not quiet:
        for line in report.summary(verbose=verbose):
            click.echo(line, err=True)
    sys.exit(report.exit_code)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


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

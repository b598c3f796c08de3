"""Click glue for the go-live options, the config file, `--field`, `wxr-migrate init` and
`wxr-migrate fields`.

Kept apart from cli.py so the command there only gains one decorator and one keyword: the options
below build a `Settings`; `--config` (eager) loads `wxr-migrate.toml` into click's default_map.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from . import configfile, exportfile, targets
from .plan import iter_items, scan, skip_reason
from .plugins import fields
from .settings import (
    COMMENT_EXTRAS,
    COMMENT_MODES,
    FRONT_MATTER_FORMATS,
    REDIRECT_FORMATS,
    TARGETS,
    Settings,
    SettingsError,
    with_chosen,
)
from .write import atomic_write
from .wxr import ExportError, ReadOptions


class CommaList(click.ParamType):
    """`nginx,netlify` on the command line, `["nginx", "netlify"]` or a string in the config file."""

    name = "list"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:  # noqa: ARG002
        return ",".join(self.choices)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        out: list[str] = []
        for raw in items:
            word = str(raw).strip().lower()
            if word and word not in self.choices:
                self.fail(f"{word!r} is not one of {', '.join(self.choices)}", param, ctx)
            if word and word not in out:
                out.append(word)
        return tuple(out)


def _load_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    path = value if value is not None else Path(configfile.CONFIG_NAME)
    if value is None and not path.is_file():
        return None
    defaults, tables = configfile.read(path, ctx)
    ctx.default_map = {**defaults, **(ctx.default_map or {})}
    ctx.meta["wxr_migrate.tables"] = tables
    return path


def _choice(flag: str, choices: Sequence[str], help_text: str) -> Callable[..., Any]:
    """One of `choices`, the first by default."""
    return click.option(
        flag, type=click.Choice(choices), default=choices[0], show_default=True, help=help_text
    )


def _list(flag: str, choices: Sequence[str], help_text: str) -> Callable[..., Any]:
    """Any of `choices`, comma-separated (an array in the config file); none by default."""
    return click.option(flag, type=CommaList(choices), default="", help=help_text)


def golive_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of issue 8 (targets, front matter format, redirects, Disqus, comments, config)."""
    decorators = [
        click.option(
            "--config",
            type=click.Path(dir_okay=False, path_type=Path),
            is_eager=True,
            expose_value=False,
            callback=_load_config,
            help=f"Read options from this TOML file (default: ./{configfile.CONFIG_NAME} if present); "
            "command-line flags win.",
        ),
        _choice("--target", TARGETS, "Site layout: Hugo (content/, static/, data/) or Jekyll (_posts/, …)."),
        _choice("--front-matter", FRONT_MATTER_FORMATS, "Front matter: YAML (---) or TOML (+++, Hugo only)."),
        _list(
            "--redirects",
            REDIRECT_FORMATS,
            "Write server redirect maps for old URLs: redirects/nginx.conf, _redirects (Netlify), "
            ".htaccess (Apache).",
        ),
        click.option(
            "--new-base-url",
            metavar="URL",
            default="",
            help="The new site's address (https://new.example.com): writes disqus-url-map.csv.",
        ),
        _choice(
            "--comments",
            COMMENT_MODES,
            "data: approved comments to data/comments/ID.yaml (_data/ for Jekyll).",
        ),
        click.option(
            "--comments-private",
            is_flag=True,
            help="Also write commenters' email addresses and IPs (never written otherwise).",
        ),
        _list("--comments-include", COMMENT_EXTRAS, "Also write these comments, left out by default."),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def field_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--field KEY[=FM_KEY]` (repeatable): a postmeta key carried to every item's front matter."""
    return click.option(
        "--field",
        multiple=True,
        metavar="KEY[=FM_KEY]",
        help="Write postmeta KEY to the front matter (as FM_KEY); repeatable. `wxr-migrate fields "
        "EXPORT` lists the keys; [custom_fields] in the config file chooses per post type.",
    )(command)


def build_settings(options: dict[str, Any]) -> Settings:
    """The `Settings` for one run, from the golive options' values and the config file's tables."""
    ctx = click.get_current_context()
    tables = dict(configfile.tables_or_empty(ctx))
    chosen = [fields.parse_choice(text) for text in options.pop("field", ())]
    try:
        tables["custom_fields"] = with_chosen(tables.get("custom_fields", {}), chosen)  # type: ignore[arg-type]
    except SettingsError as exc:
        raise configfile.ConfigFileError(str(exc)) from None
    if options["target"] == "jekyll" and options["front_matter"] == "toml":
        raise configfile.ConfigFileError("--front-matter toml: Jekyll reads YAML front matter only")
    base = options["new_base_url"].strip().rstrip("/")
    if base and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).hostname):
        raise configfile.ConfigFileError(
            f"--new-base-url {base!r}: expected an address like https://new.example.com"
        )
    settings = Settings(**{**options, "new_base_url": base}, **tables)
    try:
        targets.check(settings)
    except SettingsError as exc:
        raise configfile.ConfigFileError(str(exc)) from None
    return settings


class MainCommand(click.Command):
    """The migration command, which also answers `wxr-migrate init` (when `init` comes first)."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if argv[:1] == ["init"]:
            name = f"{prog_name or 'wxr-migrate'} init"
            return init_command.main(argv[1:], prog_name=name, **{**extra, "obj": self})
        if argv[:1] == ["fields"]:
            name = f"{prog_name or 'wxr-migrate'} fields"
            return fields_command.main(argv[1:], prog_name=name, **extra)
        return super().main(argv, prog_name=prog_name, **extra)


@click.command(
    "init",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: wxr-migrate init && wxr-migrate  (the exports found in the folder are named in"
    f" ./{configfile.CONFIG_NAME}, output {configfile.DEFAULT_OUTPUT}/)",
)
@click.argument("file", default=configfile.CONFIG_NAME, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@click.pass_context
def init_command(ctx: click.Context, file: Path, force: bool) -> None:
    """Write a commented default config file (FILE, default wxr-migrate.toml; - for stdout)."""
    main: click.Command = ctx.obj
    folder = Path.cwd() if str(file) == "-" else file.parent
    exports = exportfile.find_exports(folder)  # named in the file: `wxr-migrate` alone then runs
    text = configfile.template(main, click.Context(main), exports) + "\n"
    if str(file) == "-":
        click.echo(text, nl=False)
        return
    if file.exists() and not force:
        raise configfile.ConfigFileError(f"{file} exists; use --force to replace it")
    try:
        atomic_write(file, text.encode("utf-8"), sync=True)  # one file, no run to sync it
    except OSError as exc:
        raise configfile.ConfigFileError(f"{file}: {exc.strerror or exc}") from None
    if exports:
        names = ", ".join(exports)
        click.echo(f"wrote {file}: exports {names}, output {configfile.DEFAULT_OUTPUT}/", err=True)
    else:
        click.echo(f"wrote {file} (no export found beside it: set exports and output in it)", err=True)


_SAMPLE_CHARS = 40


@click.command(
    "fields",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: wxr-migrate fields export.xml, then wxr-migrate export.xml -o site/ --field subtitle"
    " --field rating=score (or [custom_fields] in wxr-migrate.toml)",
)
@click.argument("exports", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--salvage", is_flag=True, help="For an export broken part-way: list the items read before the error."
)
def fields_command(exports: tuple[Path, ...], salvage: bool) -> None:
    """List every postmeta key of the items EXPORTS migrate: how many items have it, of which
    types, what it is (internal, seo, an ACF field's type) and a sample value, so that you can
    choose the custom fields to carry. Internal keys are written only when named."""
    for export in exports:
        if not export.is_file():
            raise configfile.ConfigFileError(f"{export}: no such file")
    try:
        read = ReadOptions(salvage=salvage)
        index = scan(exports, read, media=False).index  # ACF's definitions may follow the posts
        items = (i for i in iter_items(exports, read, comments=False) if not skip_reason(i))
        stats = fields.key_stats(items, index)
    except ExportError as exc:
        raise configfile.ConfigFileError(str(exc)) from None
    rows = [("KEY", "ITEMS", "TYPES", "KIND", "SAMPLE")]
    for key, entry in sorted(
        stats.items(), key=lambda kv: (fields.describe(*kv).startswith("internal"), kv[0])
    ):
        sample = " ".join(entry.sample.split())
        sample = sample if len(sample) <= _SAMPLE_CHARS else sample[: _SAMPLE_CHARS - 1] + "…"
        types = ",".join(sorted(entry.post_types))
        rows.append((key, str(entry.count), types, fields.describe(key, entry) or "-", sample))
    if len(rows) == 1:
        click.echo("no postmeta on the items these exports migrate")
        return
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [
            row[0].ljust(widths[0]),
            row[1].rjust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].ljust(widths[3]),
        ]
        click.echo("  ".join([*cells, row[4]]).rstrip())

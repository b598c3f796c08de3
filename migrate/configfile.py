"""`wxr-migrate.toml`: every command-line option, plus the tables only a file can hold.

Options are keys named like the long option (`new-base-url = "https://…"`, `exports = ["a.xml"]`)
and go into click's `default_map`, so a flag given on the command line wins and an option added to
the command later works here with no code. Paths are read relative to the file. The tables
`[front_matter]`, `[taxonomies.*]`, `[shortcodes]`, `[custom_fields]` and `[woocommerce]` are
checked by `settings.from_tables`.
"""

from __future__ import annotations

import difflib
import textwrap
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

import click
import tomli_w

from .settings import TABLES, SettingsError, from_tables

CONFIG_NAME = "wxr-migrate.toml"
DEFAULT_OUTPUT = "site"  # the output folder `init` writes when it found exports to name
NOT_IN_FILE = frozenset({"config", "help", "version"})


class ConfigFileError(click.ClickException):
    """Bad config or init input: one line `error: …` on stderr, exit 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"error: {self.message}", err=True)


def file_params(command: click.Command) -> dict[str, click.Parameter]:
    """The command's parameters a config file may set, by their key in the file."""
    out: dict[str, click.Parameter] = {}
    for param in command.params:
        if param.name in NOT_IN_FILE or not param.expose_value or param.name is None:
            continue
        longs = [o for o in param.opts if o.startswith("--")]
        out[longs[0][2:] if longs else param.name] = param
    return out


def read(path: Path, ctx: click.Context) -> tuple[dict[str, object], dict[str, object]]:
    """(default_map, settings from the tables) for the config file at `path`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigFileError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"{path}: not valid TOML: {exc}") from None
    params = file_params(ctx.command)
    defaults: dict[str, object] = {}
    for key, value in data.items():
        if key in TABLES:
            continue
        param = params.get(key)
        if param is None:
            close = difflib.get_close_matches(key.replace("_", "-"), [*params, *TABLES], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigFileError(f"{path}: unknown option {key!r}{hint}")
        value = _relative_to(path.parent, param, value)
        try:
            param.type_cast_value(ctx, value)
        except click.BadParameter as exc:
            raise ConfigFileError(f"{path}: {key}: {exc.format_message()}") from None
        defaults[param.name] = value  # type: ignore[index]
    try:
        tables = from_tables({k: v for k, v in data.items() if k in TABLES}, str(path))
    except SettingsError as exc:
        raise ConfigFileError(str(exc)) from None
    return defaults, tables


def _relative_to(base: Path, param: click.Parameter, value: object) -> object:
    """Path options are relative to the config file's folder, wherever the tool is run from."""
    if not isinstance(param.type, click.Path):
        return value
    if isinstance(value, str):
        return str(base / value) if value else value
    if isinstance(value, list):
        return [str(base / v) if isinstance(v, str) and v else v for v in value]
    return value


def template(command: click.Command, ctx: click.Context, exports: Sequence[str] = ()) -> str:
    """A commented config file listing every option with its help and default, then the tables.

    With `exports` (the exports `init` found beside the file), `exports` and `output = "site"`
    are written uncommented, so that running the tool with no arguments migrates them."""
    lines = [
        "# wxr-migrate configuration. Every command-line option can be set here, under its long name;",
        "# an option given on the command line wins. Paths are relative to this file.",
        "# Uncomment what you need. Found in the current folder, or given with --config FILE.",
    ]
    for key, param in file_params(command).items():
        lines.append("")
        help_text = getattr(param, "help", None) or f"The command's {key.upper()} argument."
        lines += ["# " + line for line in textwrap.wrap(" ".join(help_text.split()), 96)]
        value, prefix = _example(param, ctx), "# "
        if exports and key in ("exports", "output"):
            value, prefix = (list(exports) if key == "exports" else DEFAULT_OUTPUT), ""
        lines += [prefix + line for line in tomli_w.dumps({key: value}).splitlines()]
    lines += ["", _TABLES_HELP]
    return "\n".join(lines)


def _example(param: click.Parameter, ctx: click.Context) -> object:
    default = param.get_default(ctx, call=True)
    if isinstance(default, tuple | list):
        default = list(default)
    if isinstance(default, Path):
        default = str(default)
    if isinstance(default, str | bool | int | float | list) and default not in ([], ""):
        return default
    metavar = param.make_metavar(ctx).removesuffix("...").strip()
    return [metavar] if (param.multiple or param.nargs == -1) else metavar


_TABLES_HELP = """\
# Front matter keys, as written for the target (Jekyll writes permalink and redirect_from where
# Hugo writes url and aliases): renamed, or left out.
[front_matter]
# rename = {categories = "cats"}
# omit = ["guid", "description"]

# Categories, tags and custom taxonomies, by front matter key: a WordPress name or slug on the
# left, the name to use on the right. Two names given the same new name are merged; "" drops one.
[taxonomies.categories]
# "Sin categoría" = ""
# eventos = "Eventos"

[taxonomies.tags]
# cloud-privada = "cloud"

# WordPress shortcodes: "keep" as written, "drop" (with what they enclose), or a template where
# {name} is an attribute, {0} the first positional one and {content} what the shortcode encloses.
[shortcodes]
# gallery = "keep"
# contact-form-7 = "drop"
# youtube = "{{< youtube {0} >}}"

# Postmeta keys written to the front matter (`wxr-migrate fields EXPORT` lists them): postmeta key
# on the left, front matter key on the right; a sub-table for one post type. --field adds more.
[custom_fields]
# subtitle = "subtitle"

# [custom_fields.recipe]
# servings = "servings"

# WooCommerce: the shop's currency (a site option WXR does not export), written with each product.
[woocommerce]
# currency = "EUR"
"""


def tables_or_empty(ctx: click.Context) -> Mapping[str, object]:
    return ctx.meta.get("wxr_migrate.tables", {})

"""wxr-migrate.toml: every option from the file, command line wins, tables checked, `init`."""

import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
import tomli_w
from click.testing import CliRunner

from migrate.cli import ByteSize, main
from migrate.configfile import file_params
from migrate.options import CommaList

from .helpers import item, write_wxr


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def parse(args):
    """The parameters click hands the command, without running it."""
    with main.make_context("wxr-migrate", [str(a) for a in args]) as ctx:
        return ctx.params


def toml_file(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def example_value(param, tmp_path):
    """A value unlike the default for any option type; a new type must be taught here."""
    kind = param.type
    if isinstance(kind, click.Path):
        target = tmp_path / f"{param.name}.xml"
        target.write_text("x")
        if param.nargs == -1 or param.multiple:
            return [target.name]
        if kind.exists:  # e.g. --uploads: a folder that is there
            (tmp_path / f"{param.name}-value").mkdir(exist_ok=True)
        return f"{param.name}-value"
    if isinstance(kind, CommaList):
        return [kind.choices[-1]]
    if isinstance(kind, click.Choice):
        return kind.choices[-1]
    if isinstance(kind, click.types.BoolParamType):
        return True
    if isinstance(kind, click.types.IntParamType):
        return 3
    if isinstance(kind, ByteSize):
        return "3MB"
    if isinstance(kind, click.types.StringParamType):
        return ["example.org"] if param.multiple else "https://new.example.com"
    raise AssertionError(f"test_every_option_can_come_from_the_file: add a value for {kind!r}")


def test_every_option_can_come_from_the_file(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1))
    params = file_params(main)
    assert {"exports", "output", "report", "quiet", "target", "redirects", "comments-include"} <= set(params)
    for key, param in params.items():
        value = example_value(param, tmp_path)
        base = {"exports": [export.name], "output": "site"}
        config = toml_file(tmp_path / "c.toml", tomli_w.dumps({**base, key: value}))
        got = parse(["--config", config])[param.name]
        if isinstance(param.type, click.Path):  # relative to the config file's folder
            value = _under(tmp_path, value)
        with main.make_context("wxr-migrate", [str(export), "-o", "x"]) as ctx:
            assert got == param.type_cast_value(ctx, value), key
            assert got != param.get_default(ctx), key


def _under(folder, value):
    return [str(folder / v) for v in value] if isinstance(value, list) else str(folder / value)


def test_command_line_wins_over_the_file(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1))
    config = toml_file(tmp_path / "c.toml", 'target = "jekyll"\nquiet = true\noutput = "from-file"\n')
    params = parse(["--config", config, export, "--target", "hugo", "-o", tmp_path / "cli"])
    assert params["target"] == "hugo" and params["output"] == tmp_path / "cli"
    assert params["quiet"] is True


def test_config_in_current_folder_is_found_and_runs(tmp_path, monkeypatch):
    write_wxr(tmp_path / "e.xml", item(1, slug="uno"))
    toml_file(tmp_path / "wxr-migrate.toml", 'exports = ["e.xml"]\noutput = "site"\nquiet = true\n')
    monkeypatch.chdir(tmp_path)
    result = invoke()
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "site/content/posts/uno.md").is_file()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bogus = 1\n", "unknown option 'bogus'"),
        ('new_base_url = "x"\n', "did you mean 'new-base-url'?"),
        ("quiet = \n", "not valid TOML"),
        ('target = "wordpress"\n', "target:"),
        ('redirects = ["caddy"]\n', "'caddy' is not one of nginx, netlify, apache"),
        ("[front_matter]\nrename = {title = 3}\n", "[front_matter] rename: title must be a non-empty string"),
        ('[front_matter]\nrename = {a = "x", b = "x"}\n', "two keys the same name"),
        ('[front_matter]\nomit = "guid"\n', "omit must be a list"),
        ("[front_matter]\nsort = true\n", "has no setting 'sort'"),
        ("[shortcodes]\ngallery = 1\n", "[shortcodes]: gallery must be a non-empty string"),
        ("taxonomies = 3\n", "[taxonomies] must be a table"),
    ],
)
def test_bad_config_is_one_line_exit_2_and_writes_nothing(tmp_path, text, message):
    export = write_wxr(tmp_path / "e.xml", item(1))
    config = toml_file(tmp_path / "c.toml", text)
    result = invoke("--config", config, export, "-o", tmp_path / "site")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {config}") and message in lines[0], lines
    assert not (tmp_path / "site").exists()


def test_missing_config_file_is_an_error(tmp_path):
    result = invoke("--config", tmp_path / "none.toml", "e.xml", "-o", tmp_path / "site")
    assert result.exit_code == 2 and "cannot read the config file" in result.stderr


def test_jekyll_with_toml_front_matter_is_refused(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1))
    result = invoke(export, "-o", tmp_path / "s", "--target", "jekyll", "--front-matter", "toml")
    assert (
        result.exit_code == 2
        and result.stderr == "error: --front-matter toml: Jekyll reads YAML front matter only\n"
    )


def test_bad_new_base_url_is_refused(tmp_path):
    export = write_wxr(tmp_path / "e.xml", item(1))
    result = invoke(export, "-o", tmp_path / "s", "--new-base-url", "new.example.com")
    assert result.exit_code == 2 and "--new-base-url 'new.example.com'" in result.stderr
    assert not (tmp_path / "s").exists()


def test_init_writes_a_commented_config_that_is_valid_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "wxr-migrate.toml").read_text()
    again = invoke("init")
    assert (
        again.exit_code == 2 and again.stderr == "error: wxr-migrate.toml exists; use --force to replace it\n"
    )
    assert invoke("init", "--force").exit_code == 0
    data = tomllib.loads(text)  # as written: only empty tables, the defaults stay
    assert data == {
        "front_matter": {},
        "taxonomies": {"categories": {}, "tags": {}},
        "shortcodes": {},
        "custom_fields": {},
        "woocommerce": {},
    }
    for key in file_params(main):
        assert f"\n# {key} = " in text, key
    # Uncommented, every line is valid TOML naming a real option or table.
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and ("=" in line or line[2:3] in ' "]') else line
        for line in text.splitlines()
    )
    data = tomllib.loads(uncommented)
    tables = {"front_matter", "taxonomies", "shortcodes", "custom_fields", "woocommerce"}
    assert set(data) - tables == set(file_params(main))
    assert data["shortcodes"]["gallery"] == "keep"


def test_init_to_stdout_and_python_dash_m(tmp_path):
    result = invoke("init", "-")
    assert result.exit_code == 0 and result.stdout.startswith("# wxr-migrate configuration")
    done = subprocess.run(
        [sys.executable, "-m", "migrate", "init", str(tmp_path / "x.toml")], capture_output=True, text=True
    )
    assert done.returncode == 0 and (tmp_path / "x.toml").read_text().startswith("# wxr-migrate")
    assert done.stdout == ""
    assert (
        done.stderr
        == f"wrote {tmp_path / 'x.toml'} (no export found beside it: set exports and output in it)\n"
    )
    assert "init [OPTIONS] [FILE]" in invoke("init", "--help").stdout


def test_the_readme_config_example_runs(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = next(b for b in readme.split("```toml\n")[1:] if "[shortcodes]" in b).split("```")[0]
    config = toml_file(tmp_path / "wxr-migrate.toml", example)
    write_wxr(tmp_path / tomllib.loads(example)["exports"][0], item(1, slug="uno", content="[gallery]"))
    result = invoke("--config", config)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site/static/_redirects").is_file() and (
        tmp_path / "site/disqus-url-map.csv"
    ).is_file()
    assert "[gallery]" in (tmp_path / "site/content/posts/uno.md").read_text()

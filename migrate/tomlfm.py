"""TOML front matter (`+++`), which Hugo reads: python-frontmatter's handler API, tomli-w writing,
stdlib tomllib reading. Dates are TOML datetimes, with their offset when one is known."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime

import frontmatter
import tomli_w
from frontmatter.default_handlers import BaseHandler

from .write import Timestamp, post_of


class TomlHandler(BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str) -> dict[str, object]:
        return tomllib.loads(fm)

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:  # noqa: ARG002
        return tomli_w.dumps({k: _value(v) for k, v in metadata.items()}).rstrip("\n")


def _value(value: object) -> object:
    if isinstance(value, Timestamp):
        return datetime.fromisoformat(value)
    return value


def render_toml_document(metadata: dict[str, object], body: str) -> str:
    """`+++`, TOML in the given key order, `+++`, a blank line, the body."""
    post = post_of(metadata, body)
    return frontmatter.dumps(post, handler=TomlHandler()) + "\n"


def loads(text: str) -> frontmatter.Post:
    """Read a TOML front matter document back (tests, round trips)."""
    metadata, content = frontmatter.parse(text, handler=TomlHandler())
    return post_of(metadata, content)  # not frontmatter.loads: see post_of

"""Postmeta text → a front matter value of the type it holds.

A value becomes a number only when writing the number back gives the very same text (`42`, `-3`,
`4.5`; not `007`, `1.10` or `1e3`, which are codes, versions or words), a boolean only when it is
`true` or `false` (`1` and `0` stay numbers: an ACF true/false field, whose definition says so, is
the one place they are booleans), a list or a map when it is a PHP-serialized array (read with
the safe reader: arrays indexed 0, 1, 2… are lists), and a string otherwise, as it is.
"""

from __future__ import annotations

import math

from .. import phpserial

_MAX_DIGITS = 15  # beyond this an integer is an id or a phone number, and a float loses it


def typed(text: str) -> object:
    stripped = text.strip()
    if stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if stripped.startswith("a:") and stripped.endswith("}"):
        decoded = _decoded(stripped)
        if decoded is not None:
            return decoded
    if 0 < len(stripped.lstrip("-")) <= _MAX_DIGITS:
        try:
            number: int | float = int(stripped)
        except ValueError:
            try:
                number = float(stripped)
            except ValueError:
                return text
        if str(number) == stripped and not (isinstance(number, float) and not math.isfinite(number)):
            return number
    return text


def as_list(text: str) -> list[object]:
    """A serialized array's values (a gallery's ids, a checkbox's choices); [] when it is none."""
    decoded = _decoded(text.strip())
    if isinstance(decoded, dict):
        return list(decoded.values())
    return decoded if isinstance(decoded, list) else []


def _decoded(text: str) -> object:
    try:
        return _plain(phpserial.loads(text))
    except phpserial.PHPSerialError:
        return None


def _plain(value: object) -> object:
    """PHP arrays as lists (keys 0, 1, 2…) or maps with string keys, down to their leaves."""
    if value is None:
        return ""  # PHP's null: TOML has no null, and YAML's would read as "no value"
    if not isinstance(value, dict):
        return value
    if list(value) == list(range(len(value))):
        return [_plain(v) for v in value.values()]
    return {str(k): _plain(v) for k, v in value.items()}

"""A small, safe reader for PHP's `serialize()` format, as WordPress stores attachment metadata.

Reads scalars and arrays only. Objects (`O:`/`C:`) and references (`r:`/`R:`) are refused rather
than built: nothing here can run code or allocate without bound. String lengths are byte counts of
the UTF-8 text; exports that went through a charset conversion often have wrong counts, so a string
whose count does not land on its closing `";` is read up to that delimiter instead.
"""

from __future__ import annotations

MAX_DEPTH = 32


class PHPSerialError(ValueError):
    pass


def loads(text: str) -> object:
    data = text.strip().encode("utf-8")
    value, end = _Reader(data).read(0, 0)
    if end != len(data):
        raise PHPSerialError(f"trailing data at byte {end}")
    return value


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def _until(self, pos: int, stop: bytes) -> tuple[bytes, int]:
        end = self.data.find(stop, pos)
        if end < 0:
            raise PHPSerialError(f"expected {stop!r} after byte {pos}")
        return self.data[pos:end], end + len(stop)

    def read(self, pos: int, depth: int) -> tuple[object, int]:
        if depth > MAX_DEPTH:
            raise PHPSerialError("nested too deeply")
        kind = self.data[pos : pos + 2]
        if kind == b"N;":
            return None, pos + 2
        if kind == b"b:":
            raw, pos = self._until(pos + 2, b";")
            return raw == b"1", pos
        if kind == b"i:":
            raw, pos = self._until(pos + 2, b";")
            return _number(raw, int), pos
        if kind == b"d:":
            raw, pos = self._until(pos + 2, b";")
            return _number(raw, float), pos
        if kind == b"s:":
            return self._string(pos + 2)
        if kind == b"a:":
            return self._array(pos + 2, depth)
        raise PHPSerialError(f"unsupported value {kind!r} at byte {pos}: objects and references are not read")

    def _string(self, pos: int) -> tuple[str, int]:
        raw, pos = self._until(pos, b":")
        length = _number(raw, int)
        if self.data[pos : pos + 1] != b'"':
            raise PHPSerialError(f"expected '\"' at byte {pos}")
        start = pos + 1
        end = start + length
        if self.data[end : end + 2] != b'";':
            # Wrong byte count (a charset conversion happened): trust the delimiter instead.
            end = self.data.find(b'";', start)
            if end < 0:
                raise PHPSerialError(f"unterminated string at byte {start}")
        return self.data[start:end].decode("utf-8", errors="replace"), end + 2

    def _array(self, pos: int, depth: int) -> tuple[dict[object, object], int]:
        raw, pos = self._until(pos, b":")
        count = _number(raw, int)
        if self.data[pos : pos + 1] != b"{":
            raise PHPSerialError(f"expected '{{' at byte {pos}")
        pos += 1
        out: dict[object, object] = {}
        for _ in range(count):
            key, pos = self.read(pos, depth + 1)
            if not isinstance(key, (int, str)):
                raise PHPSerialError(f"array key must be int or string at byte {pos}")
            out[key], pos = self.read(pos, depth + 1)
        if self.data[pos : pos + 1] != b"}":
            raise PHPSerialError(f"expected '}}' at byte {pos}")
        return out, pos + 1


def _number(raw: bytes, kind: type) -> int | float:
    try:
        return kind(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise PHPSerialError(f"bad number {raw[:20]!r}") from None

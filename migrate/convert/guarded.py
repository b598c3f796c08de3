"""Regex passes that are skipped when a cheap substring test says they cannot match.

Every body goes through dozens of regex passes, and most passes find nothing in most bodies: a
body without `<hr` has no `<hr>` to move. Scanning a body for a fixed string (`in`) is many times
cheaper than a regex scan, so a pass that names the strings any match must contain runs only when
one of them is there. The output is the same by construction, as long as the strings are right:
tests/test_convert_guarded.py draws texts that match each pattern (hypothesis) and checks that
each holds one of its pattern's strings, for every `Guarded` in the converters.

The strings are looked for as written. A pattern that ignores case gets none with letters in them
(or each case of them): lower-casing a long text to look costs more than the regex scan it saves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Replacement = str | Callable[[re.Match[str]], str]


@dataclass(frozen=True)
class Guarded:
    """`pattern`, and `needles`: the strings one of which the text holds wherever it matches."""

    pattern: re.Pattern[str]
    needles: tuple[str, ...]

    def could_match(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)

    def sub(self, replacement: Replacement, text: str) -> str:
        return self.pattern.sub(replacement, text) if self.could_match(text) else text

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.could_match(text) else None

    def findall(self, text: str) -> list[object]:
        return self.pattern.findall(text) if self.could_match(text) else []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.could_match(text) else iter(())


def guarded(pattern: str, *needles: str, flags: int = 0) -> Guarded:
    """`re.compile(pattern, flags)` with the strings one of which any match needs (see Guarded)."""
    return Guarded(re.compile(pattern, flags), needles)

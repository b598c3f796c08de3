"""Every regex pass skipped on a substring test (convert/guarded.py) would have found nothing.

The skip is exact when every text the pattern matches in holds one of its needles: hypothesis
draws such texts from each pattern itself (`from_regex`), in every module of the package.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import migrate
from migrate.convert.guarded import Guarded, guarded
from migrate.convert.tags import has_tag


def _all_guarded() -> list[tuple[str, Guarded]]:
    found = []
    for info in pkgutil.walk_packages(migrate.__path__, "migrate."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Guarded):
                found.append((f"{info.name}.{name}", value))
    return sorted(found, key=lambda pair: pair[0])


GUARDED = _all_guarded()


def test_the_converters_have_guarded_passes():
    assert len(GUARDED) >= 10  # the discovery above works: each of them is checked below


def _holds_a_needle(pass_: Guarded) -> None:
    @settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pass_.pattern))
    def check(text: str) -> None:
        assert pass_.pattern.search(text) is not None
        assert pass_.could_match(text), f"{text!r} matches but holds none of {pass_.needles}"

    check()


@pytest.mark.parametrize("where, pass_", GUARDED, ids=[where for where, _ in GUARDED])
def test_every_match_holds_a_needle(where: str, pass_: Guarded) -> None:
    _holds_a_needle(pass_)


def test_a_wrong_needle_is_caught():
    """The check above fails for a guard that misses a case: `<hr/>` has no `<hr>`."""
    with pytest.raises(AssertionError):
        _holds_a_needle(guarded(r"<hr\s*/?>", "<hr>"))


def test_a_skipped_pass_returns_the_text_itself():
    pass_ = guarded(r"<hr\s*/?>", "<hr")
    text = "no rule here"
    assert pass_.sub("", text) is text and pass_.search(text) is None and pass_.findall(text) == []
    assert pass_.sub("", "a<hr />b") == "ab" and pass_.findall("<hr><hr/>") == ["<hr>", "<hr/>"]


def test_a_needle_that_misses_the_other_case_is_caught():
    with pytest.raises(AssertionError):
        _holds_a_needle(guarded(r"<p><blockquote", "<p><", flags=re.IGNORECASE))


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(["table", "figure", "kbd"]),
    st.lists(
        st.sampled_from(
            ["<", "t", "T", "able", "ABLE", "fig", "İ", "ı", "ſ", "\u212a", "K", "bd", "ure", " "]
        )
    ).map("".join),
)
@example("kbd", "<\u212abd>")  # the Kelvin sign lower-cases to k
@example("figure", "<fİgure>")  # İ lower-cases to i and a combining dot
def test_has_tag_answers_what_lower_casing_the_text_answers(name: str, text: str):
    assert has_tag(text, name) == ("<" + name in text.lower())

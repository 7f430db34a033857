"""The regular expressions rewritten to run in linear time match what the old ones matched.

Each old pattern backtracked super-linearly on some input (the worst cases run
through the command in tests/test_hostile.py); each rewrite must keep its
meaning, checked here against the old pattern on generated strings made of the
characters that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from feedlib.jekyll import tags
from feedlib.jekyll.liquid import _POST_NAME
from feedlib.values import ABSOLUTE_HTTP

OLD_ABSOLUTE_HTTP = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
OLD_POST_NAME = re.compile(r"^(?:(.+)/)*(\d+-\d+-\d+)-(.*)$")
OLD_EDGE_NEWLINES = re.compile(r"\A(?:\r?\n)+|(?:\r?\n)+\Z")


def _texts(alphabet: str, prefixes: tuple[str, ...] = ("",)) -> st.SearchStrategy[str]:
    return st.builds(
        lambda prefix, text: prefix + text, st.sampled_from(prefixes), st.text(alphabet, max_size=30)
    )


@settings(max_examples=400, deadline=None)
@given(_texts("ab/?# \t\n:", ("", "http://", "https://", "http:/", "ftp://")))
def test_absolute_http_matches_as_before(text: str) -> None:
    assert bool(ABSOLUTE_HTTP.match(text)) == bool(OLD_ABSOLUTE_HTTP.match(text))


@settings(max_examples=400, deadline=None)
@given(_texts("a1-/_", ("", "2025-01-02-", "news/2025-1-2-", "a/b/")))
def test_post_name_matches_as_before(text: str) -> None:
    old, new = OLD_POST_NAME.match(text), _POST_NAME.match(text)
    assert (old is None) == (new is None)
    if old is not None and new is not None:
        assert old.groups() == new.groups()


@settings(max_examples=400, deadline=None)
@given(st.text("\r\nx ", max_size=30))
def test_edge_newlines_cut_as_before(text: str) -> None:
    assert tags._without_edge_newlines(text) == OLD_EDGE_NEWLINES.sub("", text)


def _old_params(rest: str) -> tuple[list[tuple[str, str | None, str | None]], str]:
    params, position = [], 0
    for match in tags._INCLUDE_PARAM.finditer(rest):
        if rest[position : match.start()].strip(" ,"):
            break
        name, double, single, variable = match.groups()
        literal = double if double is not None else single
        params.append((name, literal, variable if literal is None else None))
        position = match.end()
    return params, rest[position:].strip(" ,")


@settings(max_examples=400, deadline=None)
@given(_texts("ab=\"' ,\\.-", ("", "a=1 ", 'x="y" ')))
def test_include_parameters_read_as_before(text: str) -> None:
    assert tags.include_parameters(text.strip()) == _old_params(text.strip())

"""Flat front matter read without libyaml (feedlib.flatyaml) gives exactly the YAML loader's values.

Whatever the fast path reads, it reads to the values the loader gives (types,
time zones and NaN included); what it does not read it leaves to the loader
(``None``). Checked on generated front matter, with each loader feedlib uses,
and on every post of the tests, the examples and the benchmark corpus.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from feedlib.errors import FeedlibError
from feedlib.flatyaml import load_flat
from feedlib.frontmatter import YAMLHandler, split_front_matter
from feedlib.posts import decode_post
from feedlib.psych import psych_loader

REPO = Path(__file__).resolve().parents[1]
LOADERS = {"libyaml": yaml.CSafeLoader, "psych": psych_loader(), "python": yaml.SafeLoader}
SUFFIXES = {".md", ".markdown", ".txt", ".html"}


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types: bool is not int, date is not datetime, offsets and NaN count."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        pairs = zip(a.items(), b.items(), strict=False)
        return len(a) == len(b) and all(same(ka, kb) and same(va, vb) for (ka, va), (kb, vb) in pairs)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, float | date):  # repr: -0.0, NaN, datetimes' time zones
        nan = isinstance(a, float) and math.isnan(a) and math.isnan(b)
        return nan or (repr(a) == repr(b) and a == b)
    return bool(a == b)


def check(text: str, loader: Any) -> Any:
    """The fast path's value of ``text``, checked against the loader's (``None`` when it leaves it)."""
    fast = load_flat(text, loader)
    try:
        expected = yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError, AttributeError, KeyError):
        assert fast is None, f"the loader refuses {text!r}, the fast path read {fast!r}"
        return None
    if fast is not None:
        assert same(fast, expected), f"{text!r}: fast {fast!r}, loader {expected!r}"
    return fast


def test_same_tells_types_apart() -> None:
    assert not same({"a": 1}, {"a": True})
    assert not same([date(2025, 1, 1)], [datetime(2025, 1, 1)])
    assert same(float("nan"), float("nan"))
    assert not same(0.0, -0.0)
    assert not same(yaml.safe_load("a: 2001-12-14 21:59:43 -5"), yaml.safe_load("a: 2001-12-14 21:59:43 -4"))
    assert not same({"a": 1, "b": 2}, {"b": 2, "a": 1})


# -- generated front matter ----------------------------------------------------------------------

# Plain scalars YAML 1.1 gives a type, and text YAML reads otherwise: one a word.
TRICKY_WORDS = r"""
yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF y Y n N
~ null Null NULL 0x1F 0x_1F 0o17 017 0b101 1_000 -1_000 +12 1:20 1:20.5 -1:20:30 190:20:30
.5 1e3 1.0e+3 1.0e3 6.8523015e+5 685.230_15e+03 .inf -.Inf +.INF .NaN .nan 0. -0.0 1_2.3_4
2001-12-14t21:59:43.10-05:00 2001-12-14T21:59:43Z 2002-12-14 2002-1-4 2002-02-30 9999-12-31
= << - -- --- ... -x -5 ? ?x :x : a: a:b http://x.y/z C# C++ #tag &a *a !x !!str |x >x %x @x `x
a,b a[0] [a {a} a] a} it's say"hi" 'a' "a" a\b 最新ニュース 技術動向 café ½ ① Ⅻ
"""
TRICKY = [
    *TRICKY_WORDS.split(),
    "2025-10-08 08:40:48 +0000",
    "2025-10-08 08:40:48 +09:00",
    "2001-12-14 21:59:43.10 -5",
    "2025-10-08 08:40:48",
    "2025-10-08T08:40:48",
    "2025-10-08 25:00:00",
    "Static with be on to build",
    "a : b",
    "a # b",
    "a  b",
    "x #",
    "",
    " ",
]
WORDS = st.sampled_from(TRICKY) | st.text(
    alphabet=st.sampled_from(list("aZ09 .:-_#,'\"[]{}?!&*|>%@`\\~+日本é\t\xa0\u3000\x85")), max_size=12
)
KEY_WORDS = ["title", "date", "tags", "yes", "on", "null", "Null", "y", "e", "a_b", "x.y", "feed-id"]
KEYS = st.sampled_from(KEY_WORDS) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,6}", fullmatch=True)


def single_quoted(word: str) -> str:
    return "'" + word.replace("'", "''") + "'"


def double_quoted(word: str) -> str:
    return '"' + word + '"'


SCALAR_TEXT = st.one_of(
    WORDS,
    WORDS.map(single_quoted),
    WORDS.map(double_quoted),
    st.tuples(WORDS, WORDS).map(lambda pair: f"{pair[0]} {pair[1]}"),
)


@st.composite
def flow_lists(draw: st.DrawFn) -> str:
    items = draw(st.lists(SCALAR_TEXT, max_size=4))
    separators = [draw(st.sampled_from([",", ", ", " , ", ",  "])) for _ in items]
    inner = "".join(item + separator for item, separator in zip(items, separators, strict=True))
    if items and draw(st.booleans()):
        inner = inner.rstrip(", ")  # no trailing comma (most of the time)
    return "[" + draw(st.sampled_from(["", " "])) + inner + draw(st.sampled_from(["", " "])) + "]"


VALUES = st.one_of(SCALAR_TEXT, SCALAR_TEXT, flow_lists(), st.just(""))
OTHER_LINES = st.sampled_from(
    ["", "  ", "# a comment", "  # indented comment", "- x", "  nested: 1", "  more text", "---", "...", "#"]
)


@st.composite
def line(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(OTHER_LINES)
    separator = draw(st.sampled_from([": ", ": ", ":  ", ":"]))
    trailing = draw(st.sampled_from(["", "", " ", "  # c", " #"]))
    return draw(KEYS) + separator + draw(VALUES) + trailing


front_matter = st.lists(line(), min_size=1, max_size=8).map(lambda lines: "\n" + "\n".join(lines) + "\n")


@pytest.mark.parametrize("name", LOADERS)
@given(text=front_matter)
@example(text="\ntitle: yes\n")
@example(text="\na: 0o17\nb: 017\nc: 1:20\nd: .NaN\ne: ~\nf:\ng: [1_000, -.inf, 'x', \"y\"]\n")
@example(text="\nt: 2001-12-14t21:59:43.10-05:00\nd: 2002-12-14\nj: 2025-10-08 08:40:48 +0000\n")
@example(text="\nd: 2002-02-30\n")
@example(text="\nx: a: b\n")
def test_generated_front_matter(name: str, text: str) -> None:
    check(text, LOADERS[name])


@st.composite
def flat_front_matter(draw: st.DrawFn) -> str:
    """Front matter of distinct keys, one value a line: mostly what the fast path reads."""
    keys = draw(st.lists(KEYS, min_size=1, max_size=8, unique=True))
    words = st.sampled_from(TRICKY)
    scalars = st.one_of(words, words.map(single_quoted), words.map(double_quoted))
    values = st.one_of(scalars, st.lists(scalars, max_size=4).map(lambda items: f"[{', '.join(items)}]"))
    return "".join(f"\n{key}: {draw(values)}" for key in keys) + "\n"


@pytest.mark.parametrize("name", LOADERS)
@given(text=flat_front_matter())
def test_generated_flat_front_matter(name: str, text: str) -> None:
    check(text, LOADERS[name])


@pytest.mark.parametrize("name", LOADERS)
@given(key=KEYS, word=WORDS)
def test_one_plain_scalar(name: str, key: str, word: str) -> None:
    check(f"\n{key}: {word}\n", LOADERS[name])


# -- real posts ----------------------------------------------------------------------------------


def yaml_front_matter(path: Path) -> str | None:
    """The YAML front matter of the post file ``path``, if it has some that can be cut out."""
    try:
        text = decode_post(path, path.read_bytes())
        if not YAMLHandler().detect(text):
            return None
        return YAMLHandler().split(path, text)[0]
    except FeedlibError:
        return None


def post_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in SUFFIXES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    script = REPO / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(script), str(folder), "--posts", "300"], check=True)
    return folder / "posts"


@pytest.mark.parametrize("name", LOADERS)
def test_every_post_of_the_tests_and_examples(name: str) -> None:
    files = post_files(REPO / "tests", REPO / "posts", REPO / "examples")
    texts = [text for text in map(yaml_front_matter, files) if text is not None]
    assert len(texts) > 50
    read = [text for text in texts if check(text, LOADERS[name]) is not None]
    assert len(read) > len(texts) // 3  # most posts are flat


@pytest.mark.parametrize("name", LOADERS)
def test_every_post_of_the_benchmark_takes_the_fast_path(name: str, corpus: Path) -> None:
    files = post_files(corpus)
    assert len(files) == 300
    for path in files:
        text = yaml_front_matter(path)
        assert text is not None
        assert check(text, LOADERS[name]) is not None, path


FLAT = """
layout: post
title: "Static with be on to build and in or on client a folder be b 137"
date: 2010-01-01 09:57:50 +0000
categories: ["notes"]
tags: ["web", "最新ニュース", "技術動向"]
author: "Ada Writer"
excerpt: "Latency are post content by entry that be is of server render in server memory are be client."
reading_time: 7
draft: no
# a comment
summary: It's a plain 'scalar', with [brackets], {braces} and a colon:inside
"""


@pytest.mark.parametrize("name", LOADERS)
def test_common_front_matter_takes_the_fast_path(name: str) -> None:
    data = check(FLAT, LOADERS[name])
    assert data is not None
    assert data["reading_time"] == 7 and data["draft"] is False
    assert data["tags"] == ["web", "最新ニュース", "技術動向"]


@pytest.mark.parametrize(
    "text",
    [
        "\ntags:\n- a\n",
        "\na: &x 1\nb: *x\n",
        "\na: !!str 1\n",
        "\na: |\n  text\n",
        "\na: {b: 1}\n",
        "\na: [[1]]\n",
        "\n? a\n: b\n",
        "\na: 1\na: 2\n",
        "\na:\t1\n",
        "\na: 1 # one\n",
        '\na: "x\\ty"\n',
        "\n'a': 1\n",
        "\nyes: 1\n",
        "\na: 2025-02-30\n",
        "\na: =\n",
        "\n<<: {}\n",
        "\ufeffa: 1\n",
        "\na: b\n  c\n",
        "\na: 'b\n  c'\n",
        "\n# only a comment\n",
    ],
)
def test_what_the_fast_path_leaves_to_the_loader(text: str) -> None:
    assert load_flat(text, yaml.CSafeLoader) is None


def test_a_value_the_loader_refuses_keeps_its_error_and_line(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    text = "---\ntitle: Hello\ndate: 2025-02-30\n---\nBody\n"
    with pytest.raises(FeedlibError) as raised:
        split_front_matter(path, text)
    assert raised.value.line == 3
    assert "date: cannot read its value" in str(raised.value)


@pytest.mark.parametrize("name", LOADERS)
def test_lines_read_before_give_new_lists(name: str) -> None:
    first = load_flat(FLAT, LOADERS[name])
    assert first is not None
    first["tags"].append("changed")
    second = load_flat(FLAT, LOADERS[name])
    assert second is not None and second["tags"] == ["web", "最新ニュース", "技術動向"]
    assert same(second, yaml.load(FLAT, Loader=LOADERS[name]))

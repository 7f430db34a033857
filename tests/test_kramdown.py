"""The kramdown renderer (feedlib.kramdown) against kramdown itself, and Jekyll's smartify.

tests/data/kramdown/cases/*.md are Markdown constructs (and patterns found in real
Jekyll sites); tests/data/kramdown/expected/NAME.html is what kramdown 2.4 (with
kramdown-parser-gfm, as Jekyll 4.3 sets it up) makes of each case of cases.json,
written by tests/data/kramdown/kramdown.rb. feedlib's HTML must read the same:
the same plain text, the same link targets and the same header ids. Markup may
differ (Rouge's colours, kramdown's indentation).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA, run_main
from jekyll_reference import html_links, html_text

from feedlib import Site
from feedlib.cache.stamps import settings_fingerprint
from feedlib.config import config_from_mapping
from feedlib.errors import ConfigError
from feedlib.jekyll.config import load_jekyll_config
from feedlib.kramdown import kramdown_options, render_kramdown, smartify, smartify_title
from feedlib.model import KRAMDOWN_QUOTES, Kramdown
from feedlib.render import render_markdown

KRAMDOWN = DATA / "kramdown"
CASES: dict[str, dict[str, Any]] = json.loads((KRAMDOWN / "cases.json").read_text(encoding="utf-8"))

#: Where feedlib reads differently from kramdown, on purpose (docs/jekyll.md says why).
DIFFERS = {
    "code-spans": "kramdown pairs the backticks of a code span starting with a space differently",
    "escaped-emphasis": "kramdown pairs `\\__dir__` with the next underscore, across words",
    "html-block--parse-block-html": "kramdown nests <details><summary> on one line into broken markup",
}

_IDS = re.compile(r"<h[1-6][^>]*\sid=\"([^\"]*)\"")
# Attributes an author writes (attribute lists, images): their values are kramdown's.
_VALUES = re.compile(r"\s(alt|title|style|width|height|data-[\w-]+)=\"([^\"]*)\"")


def _options(case: dict[str, Any]) -> Kramdown:
    return kramdown_options(case.get("kramdown"), case.get("highlighter", "rouge"))


def _render(name: str) -> tuple[str, str]:
    case = CASES[name]
    source = (KRAMDOWN / "cases" / case["source"]).read_text(encoding="utf-8")
    expected = (KRAMDOWN / "expected" / f"{name}.html").read_text(encoding="utf-8")
    return expected, render_kramdown(source, _options(case))


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=DIFFERS[name], strict=True))
        if name in DIFFERS
        else name
        for name in sorted(CASES)
    ],
)
def test_reads_as_kramdown(name: str) -> None:
    expected, rendered = _render(name)
    assert html_text(rendered) == html_text(expected)
    base = "https://example.com/post/"
    assert html_links(rendered, base) == html_links(expected, base)
    assert _IDS.findall(rendered) == _IDS.findall(expected)
    written = set(_VALUES.findall(rendered))
    assert {value for value in _VALUES.findall(expected) if value not in written} == set()


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_expected_files_are_kramdowns_own(tmp_path: Path) -> None:
    """Where Ruby's kramdown is installed, the stored outputs are still what it writes."""
    copy = tmp_path / "kramdown"
    shutil.copytree(KRAMDOWN, copy, ignore=shutil.ignore_patterns("expected"))
    result = subprocess.run(
        ["ruby", str(copy / "kramdown.rb")], capture_output=True, text=True, timeout=120, check=False
    )
    if "cannot load such file" in result.stderr:
        pytest.skip("the kramdown gems are not installed (Debian: ruby-kramdown ruby-kramdown-parser-gfm)")
    assert result.returncode == 0, result.stderr
    for name in CASES:
        written = (copy / "expected" / f"{name}.html").read_text(encoding="utf-8")
        assert written == (KRAMDOWN / "expected" / f"{name}.html").read_text(encoding="utf-8"), name


def test_rendering_is_pure() -> None:
    """One instance renders every post; nothing of one (footnotes, references, TOC) reaches the next."""
    first = (
        "A note[^1] and [a ref][r].\n\n* TOC\n{:toc}\n\n## Head\n\n[^1]: Note.\n[r]: https://example.com/r\n"
    )
    second = "No note[^1], no [ref][r].\n\n## Head\n"
    alone = render_kramdown(second)
    render_kramdown(first)
    assert render_kramdown(second) == alone
    assert "footnote" not in alone and "href" not in alone and 'id="head"' in alone


def test_render_markdown_chooses_the_dialect() -> None:
    source = "It's [[Bug #1]].\n\n[Bug #1]: https://example.com/1\n"
    assert render_markdown(source, renderer="kramdown") == render_kramdown(source)
    assert "[[Bug #1]]" in render_markdown(source)  # feedlib's own renderer is unchanged


# --- smartify ------------------------------------------------------------------


SMARTIFIED = [
    # (title, what Jekyll's smartify filter gives, from Jekyll 4.3.1 itself)
    ("It's the '90s -- \"really\"...", "It\u2019s the \u201990s \u2013 \u201creally\u201d\u2026"),
    ('HTML blocks and markdown="1"', "HTML blocks and markdown=\u201d1\u201d"),
    ("He said, \"'Quoted' words.\"", "He said, \u201c\u2018Quoted\u2019 words.\u201d"),
    ("'Tis the season", "\u2018Tis the season"),
    ("<<quoted>> and << spaced >>", "\u00abquoted\u00bb and \u00ab\u00a0spaced\u00a0\u00bb"),
    ("\"*emph*\" and '_x_'", "\u201c*emph*\u201d and \u2018_x_\u2019"),
    ("Rock 'n' roll, 5'10\"", "Rock \u2018n\u2019 roll, 5\u201910\u201d"),
    ('Q&amp;A "<b>bold</b>" it\'s', "Q&amp;A \u201c<b>bold</b>\u201d it\u2019s"),
    ("foo's' bar\"'baz'\"", "foo\u2019s\u2019 bar\u201d\u2018baz\u2019\u201d"),
    (
        "Say \"hello\"! or 'bye'? \"yes\": 'no';",
        "Say \u201chello\u201d! or \u2018bye\u2019? \u201cyes\u201d: \u2018no\u2019;",
    ),
    ("日本語の 'タイトル'", "日本語の \u2018タイトル\u2019"),
]


@pytest.mark.parametrize(("title", "expected"), SMARTIFIED)
def test_smartify_as_jekyll(title: str, expected: str) -> None:
    assert smartify(title, KRAMDOWN_QUOTES) == expected


def test_smartify_follows_the_sites_quotes() -> None:
    options = kramdown_options({"smart_quotes": "apos,apos,quot,quot", "typographic_symbols": {"ndash": "-"}})
    assert smartify('It\'s "x" -- y', options.smart_quotes, dict(options.typographic_symbols)) == (
        'It\'s "x" - y'
    )


def _site(**fields: Any) -> Site:
    return Site(url="https://example.com/", title="It's a site", **fields)


def test_titles_are_smartified_only_for_jekyll_sites() -> None:
    assert smartify_title("It's", _site()) == "It's"
    assert smartify_title("It's", _site(renderer="kramdown")) == "It's"
    jekyll = _site(renderer="kramdown", kramdown=Kramdown(smartify_titles=True))
    assert smartify_title("It's", jekyll) == "It\u2019s"


# --- options -------------------------------------------------------------------


def test_jekylls_defaults() -> None:
    assert kramdown_options(None) == Kramdown()
    options = kramdown_options({"input": "kramdown", "toc_levels": "2..3", "auto_id_prefix": "id-"}, "none")
    assert (options.gfm, options.toc_levels, options.auto_id_prefix, options.highlighter) == (
        False,
        (2, 3),
        "id-",
        None,
    )
    assert kramdown_options({"smart_quotes": "sbquo,lsquo,bdquo,ldquo"}).smart_quotes == (
        "\u201a",
        "\u2018",
        "\u201e",
        "\u201c",
    )
    assert kramdown_options({"toc_levels": [1, "2"]}).toc_levels == (1, 2)
    assert kramdown_options({"syntax_highlighter": "rouge"}, "none").highlighter == "rouge"
    assert kramdown_options({"math_engine": None}).math is False


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"input": "markdown"}, "kramdown.input"),
        ({"toc_levels": "one"}, "kramdown.toc_levels"),
        ({"smart_quotes": "lsquo,rsquo"}, "kramdown.smart_quotes"),
        ({"smart_quotes": "nosuch,rsquo,ldquo,rdquo"}, "kramdown.smart_quotes"),
        ({"footnote_nr": "5"}, "kramdown.footnote_nr"),
        ({"auto_ids": "yes"}, "kramdown.auto_ids"),
        ({"typographic_symbols": {"bullet": "*"}}, "kramdown.typographic_symbols"),
    ],
)
def test_refused_options(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        kramdown_options(settings)


def _jekyll_site(tmp_path: Path, config: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "_config.yml").write_text("url: https://example.com\ntitle: It's mine\n" + config, "utf-8")
    return tmp_path


def test_jekyll_sites_render_as_kramdown(tmp_path: Path) -> None:
    root = _jekyll_site(tmp_path, "kramdown:\n  input: kramdown\nhighlighter: none\n")
    site = load_jekyll_config(root).site
    assert site.renderer == "kramdown"
    assert site.kramdown == Kramdown(input="kramdown", highlighter=None, smartify_titles=True)


def test_another_markdown_converter_is_rendered_by_python_markdown(tmp_path: Path) -> None:
    site = load_jekyll_config(_jekyll_site(tmp_path, "markdown: CommonMarkGhPages\n")).site
    assert site.renderer == "markdown"


def test_a_bad_kramdown_option_names_the_file_and_line(tmp_path: Path) -> None:
    root = _jekyll_site(tmp_path, "timezone: UTC\nkramdown:\n  toc_levels: all\n")
    with pytest.raises(ConfigError) as raised:
        load_jekyll_config(root)
    assert raised.value.line == 4
    assert "_config.yml" in str(raised.value) and "toc_levels" in str(raised.value)


def test_feedlib_sites_may_choose_the_kramdown_renderer(tmp_path: Path) -> None:
    config = config_from_mapping(
        {"site": {"url": "https://example.com/", "title": "T"}, "build": {"renderer": "kramdown"}},
        tmp_path / "feedlib.toml",
    )
    assert config.site.renderer == "kramdown"
    assert config.site.kramdown == Kramdown()


def test_the_cache_follows_the_options() -> None:
    site = _site(renderer="kramdown")
    other = _site(renderer="kramdown", kramdown=Kramdown(smart_quotes=("'", "'", '"', '"')))
    assert settings_fingerprint(site) != settings_fingerprint(other)


def test_a_jekyll_sites_feed(tmp_path: Path) -> None:
    """Titles smartified, posts read as kramdown, Jekyll's smartify filter in Liquid."""
    root = _jekyll_site(tmp_path / "site", "")
    posts = root / "_posts"
    posts.mkdir()
    (posts / "2024-01-02-hello.md").write_text(
        '---\ntitle: It\'s "here"\n---\n'
        'See [[Bug #1]] -- {{ "it\'s" | smartify }}.\n\n[Bug #1]: https://example.com/bugs/1\n',
        encoding="utf-8",
    )
    assert run_main("build", "--jekyll", root, "--out", tmp_path / "out", "--no-cache", "--quiet") == 0
    feed = (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>It\u2019s \u201chere\u201d</title>" in feed
    assert "<title>It\u2019s mine</title>" in feed
    assert '[&lt;a href="https://example.com/bugs/1"&gt;Bug #1&lt;/a&gt;] \u2013 it\u2019s.' in feed

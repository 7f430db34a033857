"""Summaries of plain-text Markdown skip the Markdown run: the same text as rendering it."""

# Full-width look-alikes of ASCII markup are what some of these cases test.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedlib.render import html_to_text, plain_text, render_markdown, summarize

# Every renderer and extension set the shortcut is taken for.
RENDERERS = [("markdown", ()), ("markdown", ("extra",)), ("commonmark", ())]

ALLOWED_PUNCTUATION = ".,;:?!'\"()/%@-"
OTHER_PUNCTUATION = "*_`[]\\|~{}#>+=&<^$"
JAPANESE = ["日本語の文章", "、", "。", "「引用」", "ー", "１", "２０２５年", "．", "＊", "＃"]
# Non-ASCII that is not plain text: no-break, ideographic and zero-width spaces, a BOM,
# a soft hyphen, a line separator, a control and a private-use character.
ODD_UNICODE = ["\xa0", "\u3000", "\u200b", "\ufeff", "\xad", "\u2028", "\x85", "\ue000"]

pieces = st.one_of(
    st.sampled_from([*"abcXYZ019 ", "the", "1", "22"]),
    st.sampled_from(list(ALLOWED_PUNCTUATION)),
    st.sampled_from([*OTHER_PUNCTUATION, "\n", "\t", "    "]),
    st.sampled_from(JAPANESE),
    st.sampled_from(ODD_UNICODE),
)
# Mostly what the shortcut accepts, so that it is taken often.
plain_pieces = st.one_of(
    st.sampled_from([*"abcXYZ019 ", "the", "1", "22", "www.", "example.com", "a@b.co", "http://"]),
    st.sampled_from(list(ALLOWED_PUNCTUATION)),
    st.sampled_from(JAPANESE),
    st.characters(min_codepoint=0x80, exclude_categories=["Cs"]),
)


def slow_text(source: str, renderer: str, extensions: tuple[str, ...]) -> str:
    return html_to_text(render_markdown(source, extensions, renderer))


def assert_same_text(source: str) -> None:
    fast = plain_text(source)
    if fast is not None:
        for renderer, extensions in RENDERERS:
            assert fast == slow_text(source, renderer, extensions), (source, renderer, extensions)


@given(st.lists(pieces, max_size=12).map("".join))
def test_plain_text_is_what_rendering_gives(source: str):
    assert_same_text(source)


@given(st.lists(plain_pieces, max_size=12).map("".join))
def test_mostly_plain_text_is_what_rendering_gives(source: str):
    assert_same_text(source)


@given(st.text(max_size=20))
def test_any_text_is_what_rendering_gives(source: str):
    assert_same_text(source)


PLAIN = [
    "",
    "   ",
    "Latency is the summary.",
    "  Up to three spaces first",
    "Trailing spaces   ",
    "Several   spaces, inside",
    "Note: colons, (parentheses), 'quotes' and \"double quotes\"!",
    "50% of posts/pages? Yes; mostly.",
    "well-known --- and -- dashes ... 1. inside",
    "3.5 million readers",
    "2025年の1.5倍",
    "1.5",
    "12)x",
    "Write to editor@example.com or see www.example.com.",
    "https://example.com/a/b?x",
    "(www.example.com)",
    "mailto:a@example.com",
    "日本語の文章でも、要約は文字単位で正しく切り詰められなければなりません。",
    "「ＡＩ」と＊全角＊の＃記号＆",
    "café, naïve, e\u0301",
    "emoji 👩💻",
    "１２３",
]

NOT_PLAIN = [
    "- a list item",
    "-5 degrees",
    "   - indented item",
    "1. first",
    "1)",
    "1.",
    "2024.",
    "  12. twelfth",
    "１. 全角の数字",
    ": a definition",
    "    an indented code block",
    "# A heading",
    "> a quote",
    "+ item",
    "a *b* c",
    "snake_case",
    "`code`",
    "[a link](x.html)",
    "a \\* b",
    "x | y",
    "~~struck~~",
    "{: .class}",
    "a & b",
    "a &amp; b",
    "a < b",
    "<b>bold</b>",
    "two\nlines",
    "line  \nbreak",
    "tab\there",
    "a = b",
    "no-break\xa0space",
    "ideographic\u3000space",
    "zero\u200bwidth",
    "\ufeffbom",
    "emoji 👩\u200d💻",  # a zero-width joiner: left to the renderers
    "soft\xadhyphen",
    "control\x01character",
    "private\ue000use",
]


@pytest.mark.parametrize("source", PLAIN + NOT_PLAIN)
def test_tricky_excerpts(source: str):
    for renderer, extensions in RENDERERS:
        expected = slow_text(source, renderer, extensions)
        summary = summarize(source, "", "", 1000, extensions, renderer=renderer)
        assert summary == expected, (renderer, extensions)


@pytest.mark.parametrize("source", PLAIN)
def test_plain_excerpts_skip_the_markdown_run(source: str):
    assert plain_text(source) is not None


@pytest.mark.parametrize("source", NOT_PLAIN)
def test_excerpts_with_markup_are_rendered(source: str):
    assert plain_text(source) is None


def test_other_extensions_always_render(monkeypatch: pytest.MonkeyPatch):
    # smarty makes "--" a dash: only the built-in extension sets are known to keep text as it is.
    calls: list[str] = []
    monkeypatch.setattr("feedlib.render.render_markdown", lambda source, *_: calls.append(source) or "")
    summarize("plain -- text", "", "", 300, ("extra", "smarty"))
    summarize("plain -- text", "", "", 300, ("extra",))
    summarize("plain -- text", "", "", 300, renderer="commonmark")
    assert calls == ["plain -- text"]


def test_plain_text_before_more_skips_the_markdown_run(monkeypatch: pytest.MonkeyPatch):
    body = "A plain introduction.<!--more-->\n\nThe rest."
    monkeypatch.setattr("feedlib.render.render_markdown", lambda *_: pytest.fail("rendered"))
    assert summarize(None, body, "", 300) == "A plain introduction."

"""feedlib.text: XML-safe text, whitespace, truncation by characters, YAML scalars as text."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from feedlib.text import collapse_whitespace, scalar_text, strip_xml_illegal, truncate, utf8_is_xml_legal


def test_strip_xml_illegal():
    forbidden = "".join(chr(code) for code in range(0x20) if code not in (0x09, 0x0A, 0x0D))
    text = "a" + forbidden + "\ufffe\uffff\ud800" + "b\t\n\r\xa0\ue000\ufffd\U0001f600"
    assert strip_xml_illegal(text) == "ab\t\n\r\xa0\ue000\ufffd\U0001f600"
    assert strip_xml_illegal("日本語") == "日本語"


@given(text=st.text(st.characters(codec="utf-8")))
@example(text="a\x00b")
@example(text="\x7f")
@example(text="\x80 \x9f")
@example(text="\xa0\xc2\xbf")
@example(text="\ufffe")
@example(text="x\uffff")
@example(text="\ufffd\ufeff\t\n\r")
def test_utf8_is_xml_legal_says_whether_strip_xml_illegal_changes_the_text(text: str):
    assert utf8_is_xml_legal(text.encode("utf-8")) == (strip_xml_illegal(text) == text)


@given(text=st.text())
@example(text=" a\u3000\x1c\x85b\u2028 \xa0")
def test_collapse_whitespace_is_what_the_regular_expression_says(text: str):
    assert collapse_whitespace(text) == re.sub(r"\s+", " ", text).strip()


def test_collapse_whitespace():
    assert collapse_whitespace("  a \n\t b\u3000c  ") == "a b c"
    assert collapse_whitespace("\n\n") == ""


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("alpha beta gamma", 12, "alpha beta…"),
        ("xAIの200億ドル調達", 8, "xAIの200…"),
        ("あいうえおかきくけこさしすせそ", 6, "あいうえお…"),
        ("abcdefghij", 2, "a…"),
    ],
)
def test_truncate(text: str, limit: int, expected: str):
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit


def test_truncate_japanese_without_spaces():
    text = (
        "イーロン・マスク氏率いるxAIが、Nvidiaからの出資を含めて200億ドルもの巨額な資金調達を目指している" * 5
    )
    result = truncate(text, 50)
    assert len(result) == 50
    assert result.endswith("…")
    assert text.startswith(result[:-1])


@pytest.mark.parametrize(
    "text",
    [
        "ab" + "e\u0301" * 20,  # combining acute accents
        "ab" + "\U0001f44d\U0001f3fd" * 20,  # skin-tone modifiers
        "ab" + "\U0001f469\u200d\U0001f4bb" * 20,  # zero-width-joiner sequences
        "ab" + "\u2764\ufe0f" * 20,  # variation selectors
        "ab" + "\u304b\u3099" * 20,  # Japanese combining voiced sound mark
    ],
)
@pytest.mark.parametrize("limit", range(2, 12))
def test_truncate_never_splits_a_character_from_its_marks(text: str, limit: int):
    result = truncate(text, limit)
    kept = result[:-1]
    assert len(result) <= limit
    assert text.startswith(kept)
    after = text[len(kept)]
    assert not unicodedata.combining(after)
    assert unicodedata.category(after) not in ("Mn", "Me", "Mc")
    assert not ("\ufe00" <= after <= "\ufe0f") and not ("\U0001f3fb" <= after <= "\U0001f3ff")
    assert not kept.endswith("\u200d") and after != "\u200d"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("x", "x"),
        (42, "42"),
        (2.5, "2.5"),
        (True, "true"),
        (False, "false"),
        (date(2025, 10, 8), "2025-10-08"),
        (datetime(2025, 10, 8, 8, 40, tzinfo=UTC), "2025-10-08T08:40:00+00:00"),
    ],
)
def test_scalar_text(value: object, text: str):
    assert scalar_text(value) == text  # type: ignore[arg-type]

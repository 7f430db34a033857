"""The fast path for common date forms reads exactly what the Ruby grammar reads (feedlib's own mode)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import feedlib.dates
from feedlib.dates import _common_form, parse_date

ZONES = [ZoneInfo("UTC"), ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")]


def _slow(value: str, tz: tzinfo) -> datetime | str:
    """parse_date without the fast path: the grammar only (or its error message)."""
    original = feedlib.dates._common_form
    feedlib.dates._common_form = lambda text: None  # type: ignore[assignment]
    try:
        return parse_date(value, tz)
    except ValueError as error:
        return str(error)
    finally:
        feedlib.dates._common_form = original


def _fast(value: str, tz: tzinfo) -> datetime | str:
    try:
        return parse_date(value, tz)
    except ValueError as error:
        return str(error)


def _same(value: str, tz: tzinfo) -> None:
    fast, slow = _fast(value, tz), _slow(value, tz)
    assert fast == slow, value
    if isinstance(fast, datetime) and isinstance(slow, datetime):
        assert fast.isoformat() == slow.isoformat(), value
        assert fast.utcoffset() == slow.utcoffset(), value
        assert repr(fast.tzinfo) == repr(slow.tzinfo), value


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


_OFFSETS = st.one_of(
    st.just(""),
    st.just("Z"),
    st.just(" Z"),
    st.tuples(
        st.sampled_from([" ", ""]),
        st.sampled_from("+-"),
        _two(0, 25),
        st.sampled_from([":", ""]),
        _two(0, 70),
    ).map("".join),
)
_TIMES = st.one_of(
    st.just(""),
    st.tuples(
        st.sampled_from([" ", "T"]),
        _two(0, 25),
        st.just(":"),
        _two(0, 61),
        st.one_of(st.just(""), _two(0, 61).map(lambda s: ":" + s)),
        st.one_of(st.just(""), st.integers(0, 999999).map(lambda n: f".{n}")),
        _OFFSETS,
    ).map(lambda parts: "".join(parts) if parts[4] or not parts[5] else "".join(parts[:5]) + parts[6]),
)
DATES = st.tuples(
    st.integers(900, 9999).map(lambda n: f"{n:04d}"),
    st.just("-"),
    _two(0, 13),
    st.just("-"),
    _two(0, 32),
    _TIMES,
).map("".join)


@given(DATES, st.sampled_from(ZONES))
def test_fast_path_reads_what_the_grammar_reads(value: str, tz: tzinfo) -> None:
    _same(value, tz)


@pytest.mark.parametrize(
    "value",
    [
        "2025-10-08 08:40:48 +0000",
        "2025-10-08 08:40:48 -0000",
        "2025-10-08 08:40:48 +0545",
        "2025-10-08T08:40:48+09:00",
        "2025-10-08T08:40:48Z",
        "2025-10-08T08:40:48.5Z",
        "2025-10-08",
        "2025-10-08 08:40",
        "2025-02-29",
        "2025-10-08 24:00:00",
        "2025-10-08 08:40:48 +2400",
        "0999-12-31",
        "9999-12-31 23:59:59 -1200",
    ],
)
def test_common_forms_and_their_edges(value: str) -> None:
    for tz in ZONES:
        _same(value, tz)


def test_the_fast_path_takes_the_common_forms() -> None:
    assert _common_form("2025-10-08 08:40:48 +0000") is not None
    assert _common_form("2025-10-08T08:40:48+09:00") is not None
    assert _common_form("2025-10-08") is not None
    assert _common_form("Wed, 08 Oct 2025 08:40:48 +0000") is None
    assert _common_form("2025-10-08 08:40:48 JST") is None

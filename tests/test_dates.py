"""feedlib.dates: front-matter dates read like Jekyll, never with the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from feedlib.dates import date_from_filename, parse_date, zone

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-10-08 08:40:48 +0000", "2025-10-08T08:40:48+00:00"),
        ("2025-10-08 08:40:48 -0400", "2025-10-08T08:40:48-04:00"),
        ("2025-10-08T08:40:48+09:00", "2025-10-08T08:40:48+09:00"),
        ("2025-10-08T08:40:48Z", "2025-10-08T08:40:48+00:00"),
        ("2025-10-08T08:40:48.250+00:00", "2025-10-08T08:40:48.250000+00:00"),
        ("  2025-10-08  ", "2025-10-08T00:00:00+00:00"),
        ("2025-10-08", "2025-10-08T00:00:00+00:00"),
        ("2025-10-08 08:40", "2025-10-08T08:40:00+00:00"),
    ],
)
def test_strings(value: str, iso: str):
    assert parse_date(value, UTC).isoformat() == iso


def test_yaml_values():
    assert parse_date(date(2025, 10, 8), TOKYO).isoformat() == "2025-10-08T00:00:00+09:00"
    assert parse_date(datetime(2025, 10, 8, 9), TOKYO).isoformat() == "2025-10-08T09:00:00+09:00"
    aware = datetime(2025, 10, 8, 9, tzinfo=timezone(timedelta(hours=-3)))
    assert parse_date(aware, TOKYO) == aware
    assert parse_date(aware, TOKYO).utcoffset() == timedelta(hours=-3)


def test_naive_strings_use_the_given_zone_with_its_dst():
    assert parse_date("2025-07-01 12:00", NEW_YORK).utcoffset() == timedelta(hours=-4)
    assert parse_date("2025-12-01 12:00", NEW_YORK).utcoffset() == timedelta(hours=-5)
    assert parse_date("2025-12-01", TOKYO) == datetime(2025, 11, 30, 15, tzinfo=UTC)


def test_results_are_always_aware():
    for value in ("2025-10-08", date(2025, 10, 8), datetime(2025, 10, 8), "2025-10-08T01:02:03Z"):
        assert parse_date(value, TOKYO).utcoffset() is not None


@pytest.mark.parametrize(
    "value",
    [
        "2024-13-45",
        "hello",
        "October 2025",
        "10:30",
        "October 8",
        "",
        "   ",
        None,
        12,
        True,
        [2025, 10, 8],
        {"year": 2025},
        "0999-12-31",
        "10000-01-01",
        "2025-10-08 08:40:48 +2500",
    ],
)
def test_invalid(value: object):
    with pytest.raises(ValueError) as caught:
        parse_date(value, UTC)
    assert str(caught.value)


def test_year_range_edges():
    assert parse_date("1000-01-01", UTC).year == 1000
    with pytest.raises(ValueError):
        parse_date("1000-01-01 00:00 +0100", UTC)  # 999 in UTC
    with pytest.raises(ValueError):
        parse_date(datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), UTC)


def test_incomplete_dates_never_take_todays_date(freeze_clock):
    freeze_clock(datetime(2030, 6, 15, 12, tzinfo=UTC))
    for text in ("June 2031", "15:00", "2031"):
        with pytest.raises(ValueError):
            parse_date(text, UTC)


@pytest.mark.parametrize(
    ("stem", "expected", "slug"),
    [
        ("2025-08-20-date-from-the-file-name", datetime(2025, 8, 20, tzinfo=UTC), "date-from-the-file-name"),
        ("2025-10-01-日本語の投稿", datetime(2025, 10, 1, tzinfo=UTC), "日本語の投稿"),
        ("000_966dccc71f240b11", None, "000_966dccc71f240b11"),
        ("2025-02-30-impossible", None, "2025-02-30-impossible"),
        ("2025-08-20", None, "2025-08-20"),
        ("2025-08-20-", None, "2025-08-20-"),
    ],
)
def test_date_from_filename(stem: str, expected: datetime | None, slug: str):
    assert date_from_filename(stem, UTC) == (expected, slug)


def test_date_from_filename_uses_the_zone():
    moment, _ = date_from_filename("2025-08-20-x", TOKYO)
    assert moment is not None
    assert moment.isoformat() == "2025-08-20T00:00:00+09:00"


def test_zone():
    assert zone("Asia/Tokyo") == TOKYO
    assert zone("UTC").utcoffset(datetime(2025, 1, 1)) == timedelta(0)
    for bad in ("Mars/Olympus_Mons", "", "../etc/passwd"):
        with pytest.raises(ValueError):
            zone(bad)

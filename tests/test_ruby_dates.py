"""Front-matter dates against Ruby itself: tests/data/jekyll-reference/dates.tsv is what Jekyll makes of them.

``--jekyll`` builds read a date as Jekyll does (Psych's YAML, then Ruby's
``Time.parse`` in the site zone): every row of the oracle, quoted and unquoted,
in UTC and in Tokyo, must come out as Ruby's, but where feedlib differs on
purpose (``JEKYLL_DIFFERENCES``). feedlib's own mode reads the same grammar to
the same time, or refuses the text, but where it reads what Ruby ignores
(``OWN_DIFFERENCES``).
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml
from helpers import DATA

from feedlib.dates import jekyll_date_from_filename, parse_date, parse_jekyll_date, parse_liquid_date
from feedlib.psych import JEKYLL_HANDLERS
from feedlib.rubydate import parse_fields
from feedlib.rubytime import psych_timestamp

ORACLE = DATA / "jekyll-reference" / "dates.tsv"
ZONES = {"utc": ZoneInfo("UTC"), "tokyo": ZoneInfo("Asia/Tokyo")}

#: Where a --jekyll build reads a date otherwise than Jekyll, on purpose.
JEKYLL_DIFFERENCES = {
    "years": "feedlib refuses years outside 1000-9998 (RFC 822 and RFC 3339 write four digits)",
    "nanoseconds": "Python keeps microseconds: a fraction is cut after six digits",
    "lists": "a list (date: [2023-01-29]) is refused; Ruby reads the text of its inspection",
}
#: Where feedlib's own mode reads a text Ruby reads, to another time, on purpose.
OWN_DIFFERENCES = {
    "2023-01-29 18:30:22 JST": "JST and KST are +09:00 (Ruby ignores them: local time)",
    "2023-01-29 18:30:22 KST": "JST and KST are +09:00 (Ruby ignores them: local time)",
    "2024-05-04 10:00:00 JST": "JST and KST are +09:00 (Ruby ignores them: local time)",
    "2023-01-29 18:30:22 2023 -0800": "an offset after a second year (git's format) is read; Ruby ignores it",
}


def _rows() -> list[dict[str, str]]:
    lines = [line for line in ORACLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def _instant(text: str) -> datetime:
    """An ISO 8601 time of the oracle (fraction cut to microseconds)."""
    head, dot, rest = text.partition(".")
    if dot:
        digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
        text = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits) :]}"
    return datetime.fromisoformat(text)


def _as_ruby_prints(moment: datetime) -> tuple[datetime, timedelta | None]:
    """The wall time and the offset in whole minutes, as Time#iso8601 prints them."""
    offset = moment.utcoffset()
    minutes = None if offset is None else timedelta(minutes=int(offset.total_seconds() // 60))
    return moment.replace(tzinfo=None), minutes


def _psych(text: str) -> object:
    """What Psych makes of ``date: TEXT`` (feedlib's loader for Jekyll front matter)."""
    loader = JEKYLL_HANDLERS[0].loader()  # type: ignore[attr-defined]
    return yaml.load(f"date: {text}\n", Loader=loader)["date"]


def _expected(value: str) -> datetime | None:
    if value in ("ERROR", "NOW"):  # NOW: Ruby took a field from the clock; feedlib refuses.
        return None
    year = int(value[: value.index("-", 1)])
    if not 1000 <= year <= 9998:
        return None  # JEKYLL_DIFFERENCES["years"]
    return _instant(value)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["input"] or "(empty)")
@pytest.mark.parametrize("column", ["quoted_utc", "quoted_tokyo", "unquoted_utc", "unquoted_tokyo"])
def test_jekyll_dates_are_rubys(row: dict[str, str], column: str) -> None:
    tz = ZONES[column.split("_")[1]]
    expected = _expected(row[column])
    if row["input"] == "[2023-01-29]" and column.startswith("unquoted"):
        expected = None  # JEKYLL_DIFFERENCES["lists"]
    try:
        value = row["input"] if column.startswith("quoted") else _psych(row["input"])
        got: datetime | None = parse_jekyll_date(value, tz)
    except (ValueError, yaml.YAMLError):
        got = None
    if expected is None:
        assert got is None
        return
    assert got is not None
    # The same wall time and offset: in the site zone, as Jekyll's localtime.
    assert _as_ruby_prints(got) == _as_ruby_prints(expected)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row["input"] or "(empty)")
def test_own_mode_reads_the_same_time_or_refuses(row: dict[str, str]) -> None:
    text = row["input"]
    try:
        got = parse_date(text, UTC)
    except ValueError as error:
        assert str(error)
        return
    expected = _expected(row["quoted_utc"])
    if text in OWN_DIFFERENCES:
        assert got != expected
        return
    assert expected is not None
    assert got == expected


def test_a_stray_year_is_read_in_both_modes() -> None:
    text = "2023-01-29 18:30:22 2023 -0800"
    los_angeles = ZoneInfo("America/Los_Angeles")
    assert parse_date(text, UTC) == datetime(2023, 1, 29, 18, 30, 22, tzinfo=timezone(timedelta(hours=-8)))
    assert parse_jekyll_date(text, UTC) == datetime(
        2023, 1, 29, 18, 30, 22, tzinfo=UTC
    )  # Ruby ignores -0800.
    assert parse_jekyll_date(text, los_angeles) == parse_date(text, UTC)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023-02-30", "does not exist"),
        ("2023-01-29 24:00:00", "hour 24"),
        ("2023-01-29 18:30:22 XYZ", "unknown zone"),
        ("2023-01-29 18:30:22 +9", "one-digit offset"),
        ("2023-01-29 18:30:22 A", "military zone"),
        ("Jan 2023", "no day"),
        ("2023-01-29 # a comment", "unread text"),
    ],
)
def test_own_mode_refuses_what_ruby_guesses(text: str, why: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text, UTC)
    assert repr(text) in str(caught.value), why
    parse_jekyll_date(text, UTC)  # Jekyll takes it.


def test_psych_timestamps() -> None:
    assert psych_timestamp("2024-05-01 10:00:00") == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert psych_timestamp("2024-05-01 10:00:00 +9") == datetime(
        2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=9))
    )
    assert psych_timestamp("2024-5-1") == date(2024, 5, 1)
    assert psych_timestamp("2023-02-30") is None  # A string: Time.parse rolls it over.
    assert psych_timestamp("2024-05-01 10:00") is None


def test_unquoted_times_without_offset_are_utc_in_jekyll() -> None:
    tokyo = ZONES["tokyo"]
    assert parse_jekyll_date(_psych("2024-05-01 10:00:00"), tokyo).isoformat() == "2024-05-01T19:00:00+09:00"
    assert parse_jekyll_date("2024-05-01 10:00:00", tokyo).isoformat() == "2024-05-01T10:00:00+09:00"
    assert parse_jekyll_date(_psych("2024-05-07 10:00:00.5 +0000"), UTC).microsecond == 0


def test_liquid_reads_numbers_as_seconds_since_1970() -> None:
    assert parse_liquid_date(86400, UTC) == datetime(1970, 1, 2, tzinfo=UTC)
    assert parse_liquid_date("2024-06-02 12:00", ZONES["tokyo"]).isoformat() == "2024-06-02T12:00:00+09:00"
    assert parse_jekyll_date(20230129, UTC) == datetime(2023, 1, 29, tzinfo=UTC)


def test_jekyll_file_names() -> None:
    assert jekyll_date_from_filename("2024-3-5-hello.", UTC) == (datetime(2024, 3, 5, tzinfo=UTC), "hello")
    assert jekyll_date_from_filename("hello", UTC) == (None, "hello")


def test_fields_and_what_is_left_unread() -> None:
    fields = parse_fields("Sun, 29 Jan 2023 18:30:22 2023 -0800")
    assert (fields.year, fields.mon, fields.mday, fields.hour, fields.zone) == (2023, 1, 29, 18, None)
    assert fields.unread == "2023 -0800"
    with pytest.raises(ValueError):
        parse_fields("2023-01-29 " + "x" * 130)  # Ruby reads at most 128 bytes.

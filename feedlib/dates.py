"""Reading post dates the way Jekyll does, without ever consulting the clock."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import shown

__all__ = ["date_from_filename", "microseconds", "parse_date", "zone"]

# Two fixed, different defaults: a string that leaves a field out would take it
# from the default, so comparing both results finds incomplete dates without
# letting today's date leak in the way dateutil's own default would.
_DEFAULTS = (datetime(2001, 1, 1, 0, 0, 0), datetime(2002, 2, 2, 0, 0, 0))
# Zone abbreviations with one meaning: RFC 822's, plus Japan's and Korea's.
# Any other name is refused rather than read through the machine's own
# timezone, which would make the same post mean different times on different
# machines.
_ZONE_NAMES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "JST": 9, "KST": 9,
}  # fmt: skip
_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
# The forms nearly every post uses: "2025-10-08", "2025-10-08 08:40:48 +0000",
# ISO 8601 "2025-10-08T08:40:48+09:00" / "...Z". dateutil reads them in about
# 0.5 ms (twice, for the completeness check); this reads them in microseconds,
# to the same result. Anything else, or any value out of range, goes to dateutil.
_COMMON_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r"(?: ?(?:(Z)|([+-])(\d{2}):?(\d{2})))?)?",
    re.ASCII,
)
_MIN_YEAR, _MAX_YEAR = 1000, 9998
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@functools.lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The IANA timezone called ``name``; :class:`ValueError` if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown timezone {shown(name)}") from error


@functools.lru_cache(maxsize=256)
def _fixed_zone(offset: timedelta) -> timezone:
    """``timezone(offset)``, one object for each offset: most posts of a site share a few."""
    return timezone(offset)


def _fixed_offset(moment: datetime) -> datetime:
    offset = moment.utcoffset()
    if offset is None or isinstance(moment.tzinfo, ZoneInfo):
        return moment
    fixed = _fixed_zone(offset)
    return moment if moment.tzinfo is fixed else moment.replace(tzinfo=fixed)


class _UnknownZone(ValueError):
    pass


def _zone_of(name: str | None, offset: int | None) -> tzinfo | None:
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    if name is None:
        return None
    hours = _ZONE_NAMES.get(name.upper())
    if hours is None:
        raise _UnknownZone(f"unknown time zone {shown(name)}: write an offset such as +0900")
    return timezone(timedelta(hours=hours))


@functools.lru_cache(maxsize=256)
def _offset_zone(sign: str, hours: str, minutes: str) -> timezone | None:
    """The zone of an offset written ``+09:00`` or ``+0900``; ``None`` for a day or more."""
    total = int(hours) * 60 + int(minutes)
    if total >= 24 * 60:
        return None
    return _fixed_zone(timedelta(minutes=-total if sign == "-" else total))


def _common_form(text: str) -> datetime | None:
    """``text`` read without dateutil if it has one of the common forms; ``None`` otherwise."""
    match = _COMMON_DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    tz: tzinfo | None = None
    if zulu:
        tz = UTC
    elif sign:
        tz = _offset_zone(sign, off_h, off_m)
        if tz is None:
            return None
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None  # Let dateutil say what is wrong with it.


def _parse_string(text: str) -> datetime:
    common = _common_form(text)
    if common is not None:
        return common
    # Imported here: dateutil takes longer to import than most builds spend
    # on dates, and only unusual forms need it.
    from dateutil import parser as dateparser

    try:
        first, second = (dateparser.parse(text, default=d, tzinfos=_zone_of) for d in _DEFAULTS)
    except _UnknownZone as error:
        raise ValueError(f"cannot read {shown(text)}: {error}") from None
    except (ValueError, OverflowError) as error:
        raise ValueError(f"cannot read {shown(text)} as a date") from error
    if first.date() != second.date():
        raise ValueError(f"{shown(text)} is not a complete date (year, month and day)")
    return first


def _normalized(moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` with an offset (``tz`` if it had none), within the supported years."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=tz)
    moment = _fixed_offset(moment)
    # Converting to UTC must not leave datetime's range, and the year must be
    # one the RFC 822 and RFC 3339 forms write with four digits.
    utc = moment.astimezone(UTC)
    if not (_MIN_YEAR <= moment.year <= _MAX_YEAR and _MIN_YEAR <= utc.year <= _MAX_YEAR):
        raise ValueError(f"the year must be between {_MIN_YEAR} and {_MAX_YEAR}")
    return moment


def parse_date(value: object, tz: tzinfo) -> datetime:
    """A timezone-aware datetime from a front-matter value.

    Accepts a YAML date (midnight in ``tz``), a YAML datetime (naive ones are
    in ``tz``), or a string in any form Jekyll accepts, such as
    ``2025-10-08 08:40:48 +0000``, ISO 8601 or ``2025-10-08``. Raises
    :class:`ValueError` with a message fit for a user otherwise.

    >>> parse_date("2025-10-08 08:40:48 +0000", timezone.utc).isoformat()
    '2025-10-08T08:40:48+00:00'
    >>> parse_date("2025-10-08", ZoneInfo("Asia/Tokyo")).isoformat()
    '2025-10-08T00:00:00+09:00'
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        moment = _parse_string(value.strip())
    else:
        raise ValueError(f"expected a date such as 2025-10-08 08:40:48 +0000, got {shown(value)}")
    try:
        return _normalized(moment, tz)
    except OverflowError:
        raise ValueError(f"{shown(value)} is out of the supported range of dates") from None
    except ValueError as error:
        raise ValueError(f"{shown(value)} is not a valid date: {error}") from None


def date_from_filename(stem: str, tz: tzinfo) -> tuple[datetime | None, str]:
    """Split a Jekyll file name ``YYYY-MM-DD-slug`` into its date and slug.

    Names without that prefix give ``(None, stem)``.
    """
    match = _FILENAME_DATE.match(stem)
    if match is None:
        return None, stem
    year, month, day, slug = match.groups()
    try:
        return datetime(int(year), int(month), int(day), tzinfo=tz), slug
    except ValueError:
        return None, stem


def microseconds(moment: datetime) -> int:
    """``moment`` (aware) as whole microseconds since 1970-01-01 UTC: exact, unlike a float timestamp."""
    return (moment - _EPOCH) // _MICROSECOND

"""Ruby's ``Time.parse`` and Psych's timestamps: how Jekyll turns front matter into a time.

Jekyll reads front matter with Psych (Ruby's YAML), which makes a plain
``2023-01-29 18:30:22`` a ``Time`` (UTC when it has no offset) and
``2023-01-29`` a ``Date`` (:func:`psych_timestamp`); it then sets a post's
date to ``Time.parse(value.to_s)`` in the site's zone. ``Time.parse`` reads the
fields of :func:`feedlib.rubydate.parse_fields` and makes a time of them
(:func:`make_time`): missing fields come from the clock (feedlib refuses a
date without a year instead), a zone is read as an offset, one of Ruby's few
names or the site zone's own abbreviation, and out-of-range fields roll over
(``2023-02-30`` is 2 March) or are refused as Ruby refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from fractions import Fraction

from .rubydate import RubyFields, parse_fields

__all__ = [
    "PSYCH_TIMESTAMP",
    "ZONE_OFFSETS",
    "local_time",
    "make_time",
    "psych_timestamp",
    "ruby_time",
    "zone_offset",
]

#: Ruby's ``Time::ZoneOffset``: the zone names ``Time.parse`` knows, in hours east of UTC.
ZONE_OFFSETS = {
    "UTC": 0, "Z": 0, "UT": 0, "GMT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8, "I": 9, "K": 10, "L": 11, "M": 12,
    "N": -1, "O": -2, "P": -3, "Q": -4, "R": -5, "S": -6, "T": -7, "U": -8, "V": -9, "W": -10, "X": -11,
    "Y": -12,
}  # fmt: skip
_NUMERIC_ZONE = re.compile(r"\A([+-])([0-9]{2})(:?)([0-9]{2})(?:\3([0-9]{2}))?\Z")
_HOURS_ZONE = re.compile(r"\A[+-][0-9]{2}\Z")
_UTC_ZONE = re.compile(r"\A(?:-00:00|-0000|-00|UTC|Z|UT)\Z", re.IGNORECASE)
_DAY = 86400
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Psych's ScalarScanner: what a plain scalar must look like to be a Time or a Date.
_PSYCH_TIME = re.compile(
    r"-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\n\v\f\r]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t\n\v\f\r]*(?:Z|[-+][0-9]{1,2}:?(?:[0-9]{2})?))?\n?"
)
_PSYCH_DATE = re.compile(r"[0-9]{4}-(?:1[012]|0[0-9]|[0-9])-(?:[12][0-9]|3[01]|0[0-9]|[0-9])\n?")
#: A plain YAML scalar Psych may make a Time or a Date of (PyYAML's implicit resolver).
PSYCH_TIMESTAMP = re.compile(rf"^(?:{_PSYCH_TIME.pattern}|{_PSYCH_DATE.pattern})$")
_PSYCH_CLOCK = re.compile(r"([0-9]+:[0-9]+:[0-9]+)(?:\.([0-9]*))?[ \t\n\v\f\r]*(Z|[-+][0-9]+(:[0-9]{2})?)?")
_PSYCH_OFFSET = re.compile(r"([+\-]?[0-9]{1,2}):?([0-9]{1,2})?")


def zone_offset(zone: str, year: int, local: tzinfo) -> int | None:
    """``Time.zone_offset``: seconds east of UTC of ``zone``, or ``None`` when Ruby does not know it.

    Besides ``+09:00``, ``+0900``, ``+09`` and :data:`ZONE_OFFSETS`, Ruby knows
    the abbreviations the local zone (``local``) has on 1 January and 1 July of ``year``.
    """
    name = zone.upper()
    match = _NUMERIC_ZONE.match(name)
    if match:
        sign, hours, _, minutes, seconds = match.groups()
        total = (int(hours) * 60 + int(minutes)) * 60 + int(seconds or 0)
        return -total if sign == "-" else total
    if _HOURS_ZONE.match(name):
        return int(name) * 3600
    if name in ZONE_OFFSETS:
        return ZONE_OFFSETS[name] * 3600
    for month in (1, 7):
        try:
            moment = datetime(year, month, 1, tzinfo=local)
            offset = moment.utcoffset()
        except (ValueError, OverflowError):
            return None
        if offset is not None and (moment.tzname() or "").upper() == name:
            return int(offset.total_seconds())
    return None


def _month_days(year: int, month: int) -> int | None:
    """``Time.month_days``: an index into a table of twelve, so month 0 is December's 31 (as in Ruby)."""
    if not -12 <= month - 1 < 12:
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if leap and (month - 1) % 12 == 1 else _MONTH_DAYS[month - 1]


def _apply_offset(parts: Sequence[int], offset: int) -> list[int]:
    """``Time.apply_offset``: local fields (year to second) less ``offset``, carrying a day at most once."""
    year, mon, day, hour, minute, sec = parts
    sign = 1 if offset < 0 else -1
    rest = abs(offset)
    fields = [sec, minute, hour]
    for index, base in enumerate((60, 60, 24)):
        rest, part = divmod(rest, base)
        if part:
            carry, fields[index] = divmod(fields[index] + sign * part, base)
            rest += sign * carry
    sec, minute, hour = fields
    if rest:
        day += sign * rest
        days = _month_days(year, mon)
        if sign > 0 and days is not None and days < day:
            mon, day = mon + 1, 1
            if mon > 12:
                mon, year = 1, year + 1
        elif sign < 0 and day < 1:
            mon -= 1
            if mon < 1:
                year, mon = year - 1, 12
            day = _month_days(year, mon) or 1
    return [year, mon, day, hour, minute, sec]


def _wall_time(parts: Sequence[int], usec: int) -> datetime:
    """``Time.utc``/``Time.local``'s fields as a wall time: checked as Ruby checks them, then rolled over.

    A day past the month's end (up to 31), hour 24 (at 0 minutes and seconds)
    and second 60 roll over into what follows, as in Ruby.
    """
    year, mon, day, hour, minute, sec = parts
    bad = (
        not 1 <= mon <= 12
        or not 1 <= day <= 31
        or not 0 <= hour <= 24
        or (hour == 24 and (minute > 0 or sec > 0))
        or not 0 <= minute <= 59
        or not 0 <= sec <= 60
    )
    if bad:
        raise ValueError("argument out of range")
    try:
        start = datetime(year, mon, 1)
        return start + timedelta(days=day - 1, hours=hour, minutes=minute, seconds=sec, microseconds=usec)
    except (ValueError, OverflowError):
        raise ValueError(f"the year {year} is out of range") from None


def local_time(wall: datetime, local: tzinfo) -> datetime:
    """``wall`` (naive) in ``local`` as Ruby's ``Time.local`` places it.

    A time the clocks skip (spring forward) is taken with the offset before the
    change (02:30 becomes 03:30 summer time); a time they repeat (fall back),
    the second time, in standard time.
    """
    first, second = wall.replace(tzinfo=local), wall.replace(tzinfo=local, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    repeated = second.astimezone(UTC).astimezone(local).replace(tzinfo=None) == wall
    return second if repeated else first.astimezone(UTC).astimezone(local)


def make_time(fields: RubyFields, local: tzinfo) -> datetime:
    """``Time.make_time``: the time Ruby makes of ``fields``, ``local`` being the local zone.

    Raises :class:`ValueError` where Ruby raises, and for a text without a
    year, which Ruby completes from the clock.
    """
    values = (fields.year, fields.yday, fields.mon, fields.mday, fields.hour, fields.min, fields.sec)
    if all(value is None for value in values) and fields.sec_fraction is None:
        raise ValueError("no date or time in it")
    year = fields.year
    if year is None:
        raise ValueError("no year in it (Ruby would take it from the clock)")
    offset = zone_offset(fields.zone, year, local) if fields.zone else None
    if fields.yday is not None:
        return _from_yday(fields, year, local)
    usec = int(fields.sec_fraction * 1_000_000) if fields.sec_fraction is not None else 0
    parts = [
        year,
        1 if fields.mon is None else fields.mon,
        1 if fields.mday is None else fields.mday,
        0 if fields.hour is None else fields.hour,
        0 if fields.min is None else fields.min,
        0 if fields.sec is None else fields.sec,
    ]
    if offset is None:
        return local_time(_wall_time(parts, usec), local)
    wall = _wall_time(_apply_offset(parts, offset), usec)
    if abs(offset) >= _DAY:
        raise ValueError("utc_offset out of range")
    moment = wall.replace(tzinfo=UTC)
    if fields.zone is not None and _UTC_ZONE.match(fields.zone):
        return moment
    return moment.astimezone(timezone(timedelta(seconds=offset)))


def _from_yday(fields: RubyFields, year: int, local: tzinfo) -> datetime:
    """``make_time`` for a day of the year (``2023-029``): Ruby's guess of the month, then a correction."""
    yday = fields.yday
    assert yday is not None
    if not 1 <= yday <= 366:
        raise ValueError(f"yday {yday} out of range")
    mon, day = divmod(yday - 1, 31)
    mon, day = mon + 1, day + 1
    first = make_time(replace(fields, yday=None, mon=mon, mday=day), local)
    diff = yday - first.timetuple().tm_yday
    if diff == 0:
        return first
    day += diff
    days = _month_days(year, mon)
    if day > 28 and days is not None and day > days:
        mon += 1
        if mon > 12:
            raise ValueError(f"yday {yday} out of range")
        day -= days
    return make_time(replace(fields, yday=None, mon=mon, mday=day), local)


def ruby_time(text: str, local: tzinfo) -> datetime:
    """``Time.parse(text)`` with ``local`` as the local zone; :class:`ValueError` where Ruby fails."""
    return make_time(parse_fields(text), local)


def psych_timestamp(text: str) -> datetime | date | None:
    """What Psych makes of the plain YAML scalar ``text``: a time (aware), a date, or ``None`` (a string).

    A time without an offset is UTC; one Ruby cannot make (``2023-13-01 10:00:00``)
    stays a string, and so does a date that does not exist (``2023-02-30``).
    """
    if _PSYCH_TIME.fullmatch(text):
        try:
            return _psych_time(text)
        except ValueError:
            return None
    if _PSYCH_DATE.fullmatch(text):
        try:
            return date.fromisoformat("{:0>4}-{:0>2}-{:0>2}".format(*text.strip().split("-")))
        except ValueError:
            return None
    return None


def _psych_time(text: str) -> datetime:
    """``ScalarScanner#parse_time``, line by line."""
    day_part, clock_part = re.split(r"[ tT]", text, maxsplit=1)
    year, month, day = (int(piece) for piece in re.match(r"(-?\d{4})-(\d{1,2})-(\d{1,2})", day_part).groups())  # type: ignore[union-attr]
    clock = _PSYCH_CLOCK.search(clock_part)
    if clock is None:
        raise ValueError("no time")
    hour, minute, second = (int(piece) for piece in clock.group(1).split(":"))
    fraction = clock.group(2)
    usec = int(Fraction(f"0.{fraction}") * 1_000_000) if fraction else 0
    wall = _wall_time((year, month, day, hour, minute, second), usec)
    zone = clock.group(3)
    if zone is None or zone == "Z":
        return wall.replace(tzinfo=UTC)
    found = _PSYCH_OFFSET.fullmatch(zone)
    if found is None:
        raise ValueError(f"cannot read the offset {zone!r}")
    hours, minutes = int(found.group(1)), int(found.group(2) or 0)
    offset = hours * 3600 + (-minutes * 60 if hours < 0 else minutes * 60)
    if abs(offset) >= _DAY:
        raise ValueError("utc_offset out of range")
    return wall.replace(tzinfo=timezone(timedelta(seconds=offset)))

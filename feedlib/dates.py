"""Reading post dates as Ruby's ``Time.parse`` reads them for Jekyll, without ever consulting the clock.

Two readings of one grammar (:mod:`feedlib.rubydate`, docs/posts.md#dates):
:func:`parse_jekyll_date` is Jekyll's (a ``--jekyll`` build), field for field;
:func:`parse_date`, feedlib's own, reads the same text to the same time but
refuses what Ruby guesses: an unknown zone name (Ruby takes the time as local),
a date that does not exist (Ruby rolls 30 February over to March), an
incomplete date (Ruby completes it from the clock) and text it does not read.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import shown

if TYPE_CHECKING:
    from .rubydate import RubyFields

__all__ = [
    "date_from_filename",
    "jekyll_date_from_filename",
    "microseconds",
    "parse_date",
    "parse_jekyll_date",
    "parse_liquid_date",
    "zone",
]


@functools.cache
def _zone_names() -> dict[str, int]:
    """Zone names feedlib's own mode reads, and their offsets in hours.

    Ruby's (Time::ZoneOffset) but its one-letter military zones, plus Japan's
    and Korea's, which Ruby ignores. Any other name is refused rather than
    ignored (Ruby takes the time as local then). Ruby's grammar
    (:mod:`feedlib.rubydate`, :mod:`feedlib.rubytime`) is imported when a
    date first needs it: most dates take the common form, and a build from
    the cache reads none.
    """
    from .rubytime import ZONE_OFFSETS

    return {name: hours for name, hours in ZONE_OFFSETS.items() if len(name) > 1 or name == "Z"} | {
        "JST": 9,
        "KST": 9,
    }


# What feedlib's own mode lets Date._parse leave unread: separators, and "T" or "at"
# between a date and a time.
_SEPARATORS = re.compile(r"(?:[-+,./:'@\[\] ]|\bT\b|\bat\b)*", re.IGNORECASE)
# git's date format ends "… 18:30:22 2023 -0800": Ruby reads no offset after a second year; feedlib's
# own mode does (and lets the year be repeated).
_LATE_OFFSET = re.compile(r"[+-][0-9]{2}:?[0-9]{2}")
_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
# Jekyll's Document::DATE_FILENAME_MATCHER, for a file name without its extension.
_JEKYLL_FILENAME_DATE = re.compile(r"^([0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2})-(.*)$")
# The forms nearly every post uses: "2025-10-08", "2025-10-08 08:40:48 +0000",
# ISO 8601 "2025-10-08T08:40:48+09:00" / "...Z". The Ruby grammar reads them in
# tens of microseconds; this in a few, to the same result. Anything else, or any
# value out of range, goes to the grammar.
_COMMON_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
    r"(?: ?(?:(Z)|([+-])(\d{2}):?(\d{2})))?)?",
    re.ASCII,
)
_MIN_YEAR, _MAX_YEAR = 1000, 9998
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY = 86400
_EXPECTED = "expected a date such as 2025-10-08 08:40:48 +0000"


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


@functools.lru_cache(maxsize=256)
def _offset_zone(sign: str, hours: str, minutes: str) -> timezone | None:
    """The zone of an offset written ``+09:00`` or ``+0900``; ``None`` for a day or more."""
    total = int(hours) * 60 + int(minutes)
    if total >= 24 * 60:
        return None
    return _fixed_zone(timedelta(minutes=-total if sign == "-" else total))


def _common_form(text: str) -> datetime | None:
    """``text`` read without the grammar if it has one of the common forms; ``None`` otherwise."""
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
        return None  # Let the grammar say what is wrong with it.


def _own_zone(zone_name: str, year: int, tz: tzinfo) -> int:
    """The offset (seconds east) of a zone in feedlib's own mode: Ruby's forms, and no guessing."""
    from .rubytime import zone_offset

    hours = _zone_names().get(zone_name.upper())
    if hours is not None:
        return hours * 3600
    found = zone_offset(zone_name, year, tz) if len(zone_name) > 1 else None
    if found is None:
        raise ValueError(f"unknown time zone {shown(zone_name)}: write an offset such as +0900")
    if abs(found) >= _DAY:
        raise ValueError(f"the offset {zone_name} is a day or more")
    return found


def _complete(fields: RubyFields, text: str) -> RubyFields:
    """``fields`` if they say a whole date and left nothing unread (an offset after a year is read)."""
    if fields.year is None or (fields.yday is None and (fields.mon is None or fields.mday is None)):
        raise ValueError(f"{shown(text)} is not a complete date (year, month and day)")
    zone_name, unread = fields.zone, []
    for word in fields.unread.split(" "):
        if word == f"{fields.year:04d}":
            continue
        if zone_name is None and _LATE_OFFSET.fullmatch(word):
            zone_name = word
        else:
            unread.append(word)
    if not _SEPARATORS.fullmatch(" ".join(unread)):
        raise ValueError(f"cannot read {shown(' '.join(unread))} in {shown(text)}")
    return replace(fields, zone=zone_name)


def _exists(fields: RubyFields, text: str) -> None:
    """Refuse what Ruby would roll over: 30 February, hour 24, second 60."""
    if fields.yday is not None or fields.year is None or fields.mon is None or fields.mday is None:
        return
    try:
        datetime(fields.year, fields.mon, fields.mday, fields.hour or 0, fields.min or 0, fields.sec or 0)
    except ValueError as error:
        raise ValueError(f"{shown(text)} is not a valid date: {error}") from None


def _parse_string(text: str, tz: tzinfo) -> datetime:
    """``text`` as feedlib's own mode reads it: naive when it has no zone."""
    common = _common_form(text)
    if common is not None:
        return common
    from .rubydate import parse_fields
    from .rubytime import make_time

    try:
        fields = _complete(parse_fields(text), text)
        _exists(fields, text)
        assert fields.year is not None
        offset = None if fields.zone is None else _own_zone(fields.zone, fields.year, tz)
        wall = make_time(replace(fields, zone=None), UTC).replace(tzinfo=None)
    except ValueError as error:
        message = str(error)
        raise ValueError(
            message if shown(text) in message else f"cannot read {shown(text)}: {message}"
        ) from None
    return wall if offset is None else wall.replace(tzinfo=_fixed_zone(timedelta(seconds=offset)))


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


def _checked(value: object, moment: datetime, tz: tzinfo) -> datetime:
    try:
        return _normalized(moment, tz)
    except OverflowError:
        raise ValueError(f"{shown(value)} is out of the supported range of dates") from None
    except ValueError as error:
        raise ValueError(f"{shown(value)} is not a valid date: {error}") from None


def parse_date(value: object, tz: tzinfo) -> datetime:
    """A timezone-aware datetime from a front-matter value, as feedlib's own mode reads it.

    Accepts a YAML date (midnight in ``tz``), a YAML datetime (naive ones are
    in ``tz``), or a string Ruby's ``Time.parse`` reads, such as
    ``2025-10-08 08:40:48 +0000``, ISO 8601 or ``Wed, 08 Oct 2025 08:40:48 GMT``,
    to the same time, but refusing what Ruby would guess (see the module).
    Raises :class:`ValueError` with a message fit for a user otherwise.

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
        moment = _parse_string(value.strip(), tz)
    else:
        raise ValueError(f"{_EXPECTED}, got {shown(value)}")
    return _checked(value, moment, tz)


def _in_zone(value: object, moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` as Ruby's ``localtime`` shows it: in ``tz``, with a fixed offset."""
    try:
        local = moment.astimezone(tz)
    except OverflowError:
        raise ValueError(f"{shown(value)} is out of the supported range of dates") from None
    return _checked(value, _fixed_offset(local), tz)


def _ruby_text(value: object) -> str:
    """``value.to_s`` for what Psych makes of a scalar, where Ruby reads it as a date."""
    if isinstance(value, bool) or value is None or not isinstance(value, str | int | float | date):
        raise ValueError(f"{_EXPECTED}, got {shown(value)}")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_jekyll_date(value: object, tz: tzinfo) -> datetime:
    """A post's ``date`` as Jekyll reads it: ``Time.parse(value.to_s)``, in the site zone ``tz``.

    ``value`` is what Psych makes of the front matter (see
    :func:`feedlib.rubytime.psych_timestamp`): a time (naive is UTC), whose
    ``to_s`` drops the fraction of a second; a date (midnight in ``tz``); or
    a string or number read by Ruby's grammar, to the letter: an unknown zone
    name leaves the time in ``tz``, 30 February is 2 March. A date without a
    year is refused (Ruby would take it from the clock).
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return _in_zone(value, moment.replace(microsecond=0), tz)
    from .rubytime import ruby_time

    try:
        moment = ruby_time(_ruby_text(value), tz)
    except ValueError as error:
        raise ValueError(f"cannot read {shown(value)} as a date: {error}") from None
    return _in_zone(value, moment, tz)


def _seconds(value: object) -> bool:
    """Whether Liquid reads ``value`` as seconds since 1970: a number, or text of digits only."""
    if isinstance(value, str):
        return value.strip().isascii() and value.strip().isdigit()
    return isinstance(value, int) and not isinstance(value, bool)


def parse_liquid_date(value: object, tz: tzinfo) -> datetime:
    """A value as Liquid's ``date`` filters read it (``Liquid::Utils.to_date``), in the site zone ``tz``.

    As :func:`parse_jekyll_date`, but a time keeps its fraction of a second and
    a number (or text of digits only) is seconds since 1970, as in Liquid:
    what jekyll-feed's ``last_modified_at`` becomes.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return _in_zone(value, moment, tz)
    if _seconds(value):
        try:
            return _in_zone(value, _EPOCH + timedelta(seconds=int(str(value).strip())), tz)
        except OverflowError:
            raise ValueError(f"{shown(value)} is out of the supported range of dates") from None
    return parse_jekyll_date(value, tz)


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


def jekyll_date_from_filename(stem: str, tz: tzinfo) -> tuple[datetime | None, str]:
    """As Jekyll splits a post's file name (``2025-8-20-slug``) into its date (midnight in ``tz``) and slug.

    The date is read as Ruby reads it (``25-02-30`` is 2 March 2025); the slug
    loses its trailing dots. Names without a date give ``(None, stem)``;
    :class:`ValueError` for a date Ruby cannot read.
    """
    match = _JEKYLL_FILENAME_DATE.match(stem)
    if match is None:
        return None, stem
    day, slug = match.groups()
    return parse_jekyll_date(day, tz), slug.rstrip(".")


def microseconds(moment: datetime) -> int:
    """``moment`` (aware) as whole microseconds since 1970-01-01 UTC: exact, unlike a float timestamp."""
    return (moment - _EPOCH) // _MICROSECOND

"""Ruby's ``Date._parse``, as Jekyll reads a front-matter date: the fields it finds in a text.

A port of the default grammar of Ruby 3.1's ``date`` library
(``ext/date/date_parse.c``, not its ``TIGHT_PARSER``), checked against Ruby
itself (``tests/data/jekyll-reference/dates.tsv``). The text is cut into fields
by a fixed series of patterns, each replacing what it matched by a space: a
weekday, a time with its zone, then the first of the date forms that matches
(``29 Jan 2023``, ``Jan 29, 2023``, ``2023-01-29``, ``H35.01.29``,
``29-Jan-2023``, ``2023/01/29``, ``2023.01.29``, ``2023-W05-7``,
``2023-029``, ``'23``, ``Jan``, ``29th``, ``20230129T183022``), an era, and
a lone number. What no pattern takes is ignored: :attr:`RubyFields.unread`
keeps it. :mod:`feedlib.rubytime` turns the fields into a time as
``Time.parse`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["LIMIT", "RubyFields", "parse_fields"]

#: ``Date._parse`` refuses longer text (in bytes), as Ruby 3.1's date library does.
LIMIT = 128

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DAYS = "sun|mon|tue|wed|thu|fri|sat"
# Ruby's [[:alpha:]]: letters of any script (not digits of any script).
_ALPHA = r"[^\W\d_]"
_ERA = r"c(?:e|\.e\.)|b(?:ce|\.c\.e\.)|a(?:d|\.d\.)|b(?:c|\.c\.)"


def _ruby(pattern: str, ignore_case: bool = True) -> re.Pattern[str]:
    """A pattern in Ruby's terms: its digit classes are ASCII (its word boundary, as Python's, is Unicode)."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        pair = pattern[index : index + 2]
        if pattern.startswith(_ALPHA, index):
            out.append(_ALPHA)
            index += len(_ALPHA)
            continue
        if pair in (r"\d", r"\D"):
            if in_class:
                out.append("0-9" if pair == r"\d" else pair)
            else:
                out.append("[0-9]" if pair == r"\d" else "[^0-9]")
            index += 2
            continue
        if char == "\\":
            out.append(pair)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and pattern[index - 1 : index] not in ("[", "^"):
            in_class = False
        out.append(char)
        index += 1
    return re.compile("".join(out), re.IGNORECASE if ignore_case else 0)


# Everything but these characters (Ruby's [:alnum:] is Unicode: letters, marks, digits) is a space.
_UNREAD = re.compile(r"(?:[^-+',./:@\[\]\w]|_)+")
_DAY = _ruby(rf"\b({_DAYS})[^-/\d\s]*")
_TIME = _ruby(
    r"((?:\d+\s*:\s*\d+(?:\s*:\s*\d+(?:[,.]\d*)?)?|\d+\s*h(?:\s*\d+m?(?:\s*\d+s?)?)?)"
    r"(?:\s*[ap](?:m\b|\.m\.))?|\d+\s*[ap](?:m\b|\.m\.))"
    r"(?:\s*((?:gmt|utc?)?[-+]\d+(?:[,.:]\d+(?::\d+)?)?"
    rf"|(?:{_ALPHA}|[.\s])+(?:standard|daylight)\stime\b"
    rf"|{_ALPHA}+(?:\sdst)?\b))?"
)
_TIME_PARTS = _ruby(
    r"\A(\d+)h?(?:\s*:?\s*(\d+)m?(?:\s*:?\s*(\d+)(?:[,.](\d+))?s?)?)?(?:\s*([ap])(?:m\b|\.m\.))?"
)
_EU = _ruby(rf"('?\d+)[^-\d\s]*\s*({_MONTHS})[^-\d\s']*(?:\s*({_ERA})?\s*('?-?\d+(?:(?:st|nd|rd|th)\b)?))?")
_US = _ruby(rf"\b({_MONTHS})[^-\d\s']*\s*('?\d+)[^-\d\s']*(?:\s*,?\s*({_ERA})?\s*('?-?\d+))?")
_ISO = _ruby(r"('?[-+]?\d+)-(\d+)-('?-?\d+)", ignore_case=False)
_JIS = _ruby(r"\b([mtshr])(\d+)\.(\d+)\.(\d+)")
_VMS11 = _ruby(rf"('?-?\d+)-({_MONTHS})[^-/.]*-('?-?\d+)")
_VMS12 = _ruby(rf"\b({_MONTHS})[^-/.]*-('?-?\d+)(?:-('?-?\d+))?")
_SLA = _ruby(r"('?-?\d+)/\s*('?\d+)(?:\D\s*('?-?\d+))?")
_DOT = _ruby(r"('?-?\d+)\.\s*('?\d+)\.\s*('?-?\d+)")
_ISO2 = (
    # (pattern, the fields of its groups, a pattern that must not match first)
    (_ruby(r"\b(\d{2}|\d{4})?-?w(\d{2})(?:-?(\d))?\b"), ("cwyear", "cweek", "cwday"), None),
    (_ruby(r"-w-(\d)\b"), ("cwday",), None),
    (_ruby(r"--(\d{2})?-(\d{2})\b", False), ("mon", "mday"), None),
    (_ruby(r"--(\d{2})(\d{2})?\b", False), ("mon", "mday"), None),
    (
        _ruby(r"\b(\d{2}|\d{4})-(\d{3})\b", False),
        ("year", "yday"),
        _ruby(r"[,.](\d{2}|\d{4})-\d{3}\b", False),
    ),
    (_ruby(r"\b-(\d{3})\b", False), ("yday",), _ruby(r"\d-\d{3}\b", False)),
)
_YEAR = _ruby(r"'(\d+)\b", ignore_case=False)
_MON = _ruby(rf"\b({_MONTHS})\S*")
_MDAY = _ruby(r"(\d+)(st|nd|rd|th)\b")
_DDD = _ruby(
    r"([-+]?)(\d{2,14})(?:\s*t?\s*(\d{2,6})?(?:[,.](\d*))?)?"
    r"(?:\s*(z\b|[-+]\d{1,4}\b|\[[-+]?\d[^\]]*\]))?"
)
_BC = _ruby(r"\b(bc\b|bce\b|b\.c\.|b\.c\.e\.)")
_FRAG = _ruby(r"\A\s*(\d{1,2})\s*\Z")
_INT_MAX = 2**31 - 1
_ERAS = {"m": 1867, "t": 1911, "s": 1925, "h": 1988, "r": 2018}
_KINDS: dict[str, Callable[[str], bool]] = {
    "alpha": lambda c: c.isascii() and c.isalpha(),
    "digit": lambda c: "0" <= c <= "9",
    "dash": lambda c: c == "-",
    "dot": lambda c: c == ".",
    "slash": lambda c: c == "/",
}


@dataclass(frozen=True)
class RubyFields:
    """What ``Date._parse`` read (the fields ``Time.parse`` uses), and what it left unread.

    ``None`` where it found nothing; ``zone`` is the zone as written
    (``+0900``, ``PST``, ``Asia``); ``unread`` is the text no pattern took.
    """

    year: int | None = None
    yday: int | None = None
    mon: int | None = None
    mday: int | None = None
    hour: int | None = None
    min: int | None = None
    sec: int | None = None
    sec_fraction: Fraction | None = None
    zone: str | None = None
    unread: str = ""


class _Text:
    """The text being read: what each pattern matches is replaced by one space, as ``subx`` does."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, object] = {"_comp": True}

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.search(self.text)
        if match is not None:
            self.text = self.text[: match.start()] + " " + self.text[match.end() :]
        return match

    def has(self, *kinds: str) -> bool:
        """``HAVE_ELEM_P``: whether the text, as it is now, holds each kind of character."""
        return all(any(map(_KINDS[kind], self.text)) for kind in kinds)


def _digits_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return end


def _number_start(text: str, signed: bool) -> int:
    start = 0
    while start < len(text) and not ("0" <= text[start] <= "9" or (signed and text[start] in "+-")):
        start += 1
    return start


def _integer(text: str) -> int:
    """``rb_cstr_to_inum``: a sign and digits as a number, 0 with no digits."""
    digits = text.lstrip("+-")
    value = int(digits) if digits else 0
    return -value if text[:1] == "-" else value


def _year_piece(found: dict[str, object], piece: str) -> None:
    start = _number_start(piece, signed=True)
    if start >= len(piece):
        return
    digits_from = start + 1 if piece[start] in "+-" else start
    end = _digits_end(piece, digits_from)
    if digits_from > start or end - digits_from > 2:
        found["_comp"] = False
    found["year"] = _integer(piece[start:end])


_Piece = str | None


def _s3e_order(y: _Piece, m: _Piece, d: _Piece) -> tuple[_Piece, _Piece, _Piece]:
    """``s3e``'s guess of which piece is the year, the month and the day, from their widths."""
    if y is not None and m is not None and d is None:
        y, m, d = d, y, m
    if y is None:
        if d is not None and len(d) > 2:
            y, d = d, None
        if d is not None and d[:1] == "'":
            y, d = d, None
    if y is not None:
        text = y
        start = _number_start(text, signed=True)
        if start < len(text):
            end = _digits_end(text, start + 1 if text[start] in "+-" else start)
            if end < len(text):
                y, d = d, text[start:end]
    if m is not None and (m[:1] == "'" or len(m) > 2):
        y, m, d = m, d, y
    if d is not None and (d[:1] == "'" or len(d) > 2):
        y, d = d, y
    return y, m, d


def _s3e(found: dict[str, object], y: _Piece, m: _Piece, d: _Piece, bc: bool) -> None:
    """``s3e``: the year, month and day of three pieces, in the order :func:`_s3e_order` guesses."""
    y, m, d = _s3e_order(y, m, d)
    if y is not None:
        _year_piece(found, y)
    if bc:
        found["_bc"] = True
    for key, piece in (("mon", m), ("mday", d)):
        if piece is not None:
            start = _number_start(piece, signed=False)
            if start < len(piece):
                found[key] = _integer(piece[start : _digits_end(piece, start)])


def _month(name: str) -> str:
    return str(_MONTHS.split("|").index(name[:3].lower()) + 1)


def _time(text: _Text) -> None:
    match = text.take(_TIME)
    if match is None:
        return
    if match.group(2) is not None:
        text.found["zone"] = match.group(2)
    parts = _TIME_PARTS.match(match.group(1))
    if parts is None:
        return
    hour, minute, second, fraction, half = parts.groups()
    value = int(hour)
    if half is not None:
        if value > _INT_MAX:  # NUM2INT
            raise ValueError(f"the hour {hour} is out of range")
        value = value % 12 + (12 if half in "pP" else 0)
    text.found["hour"] = value
    if minute is not None:
        text.found["min"] = int(minute)
    if second is not None:
        text.found["sec"] = int(second)
    if fraction is not None:
        text.found["sec_fraction"] = Fraction(int(fraction), 10 ** len(fraction))


def _named_month(pattern: re.Pattern[str], order: str) -> Callable[[_Text], bool]:
    """``parse_eu``/``parse_us``: a day, a month name, an era and a year, in ``order`` ("dmby", "mdby")."""

    def parse(text: _Text) -> bool:
        match = text.take(pattern)
        if match is None:
            return False
        pieces = dict(zip(order, match.groups(), strict=True))
        era = pieces["b"]
        _s3e(text.found, pieces["y"], _month(pieces["m"]), pieces["d"], era is not None and era[0] in "bB")
        return True

    return parse


def _numbers(pattern: re.Pattern[str], order: str, named: bool = False) -> Callable[[_Text], bool]:
    """A date form whose three groups are year, month and day in ``order`` ("ymd", "dmy"…)."""

    def parse(text: _Text) -> bool:
        match = text.take(pattern)
        if match is None:
            return False
        pieces = dict(zip(order, match.groups(), strict=True))
        month = _month(pieces["m"]) if named else pieces["m"]
        _s3e(text.found, pieces["y"], month, pieces["d"], False)
        return True

    return parse


def _jis(text: _Text) -> bool:
    match = text.take(_JIS)
    if match is None:
        return False
    era, year, month, day = match.groups()
    text.found.update(year=int(year) + _ERAS[era.lower()], mon=int(month), mday=int(day))
    return True


def _vms(text: _Text) -> bool:
    return _numbers(_VMS11, "dmy", named=True)(text) or _numbers(_VMS12, "mdy", named=True)(text)


def _iso2(text: _Text) -> bool:
    for pattern, names, unless in _ISO2:
        if unless is not None and unless.search(text.text):
            continue
        match = text.take(pattern)
        if match is not None:
            for name, value in zip(names, match.groups(), strict=True):
                if value is not None:
                    text.found[name] = int(value)
            return True
    return False


def _one(pattern: re.Pattern[str], name: str, month: bool = False) -> Callable[[_Text], bool]:
    def parse(text: _Text) -> bool:
        match = text.take(pattern)
        if match is None:
            return False
        text.found[name] = int(_month(match.group(1)) if month else match.group(1))
        return True

    return parse


# parse_ddd_cb: what a run of digits of each length holds, read from its start as a date
# (name, start, width) or, when a fraction follows it directly, from its end as a time.
_DDD_DATE = {
    2: (("mday", 0, 2),),
    3: (("yday", 0, 3),),
    4: (("mon", 0, 2), ("mday", 2, 2)),
    5: (("year", 0, 2), ("yday", 2, 3)),
    6: (("year", 0, 2), ("mon", 2, 2), ("mday", 4, 2)),
    7: (("year", 0, 4), ("yday", 4, 3)),
    **{
        n: (("year", 0, 4), ("mon", 4, 2), ("mday", 6, 2), ("hour", 8, 2), ("min", 10, 2), ("sec", 12, 2))[
            : n // 2 - 1
        ]
        for n in (8, 10, 12, 14)
    },
}
_DDD_TIME = {
    2: (("sec", 2, 2),),
    3: (("sec", 2, 2), ("min", 3, 1)),
    4: (("sec", 2, 2), ("min", 4, 2)),
    5: (("sec", 2, 2), ("min", 4, 2), ("hour", 5, 1)),
    6: (("sec", 2, 2), ("min", 4, 2), ("hour", 6, 2)),
    7: (("sec", 2, 2), ("min", 4, 2), ("hour", 6, 2), ("mday", 7, 1)),
    8: (("sec", 2, 2), ("min", 4, 2), ("hour", 6, 2), ("mday", 8, 2)),
    10: (("sec", 2, 2), ("min", 4, 2), ("hour", 6, 2), ("mday", 8, 2), ("mon", 10, 2)),
    12: (("sec", 2, 2), ("min", 4, 2), ("hour", 6, 2), ("mday", 8, 2), ("mon", 10, 2), ("year", 12, 2)),
    14: (("sec", 2, 2), ("min", 4, 2), ("hour", 6, 2), ("mday", 8, 2), ("mon", 10, 2), ("year", 14, 4)),
}  # fmt: skip


def _ddd_run(found: dict[str, object], negative: bool, digits: str, as_time: bool) -> None:
    length = len(digits)
    if as_time:
        for name, from_end, width in _DDD_TIME.get(length, ()):
            found[name] = int(digits[length - from_end : length - from_end + width])
    else:
        for name, start, width in _DDD_DATE.get(length, ()):
            found[name] = int(digits[start : start + width])
    if "year" in found and negative and length in (5, 6, 7, 8, 10, 12, 14):
        found["year"] = -int(found["year"])  # type: ignore[call-overload]
    if length >= 8 and length % 2 == 0 and (not as_time or length == 14):
        found["_comp"] = False


def _ddd(text: _Text) -> bool:
    match = text.take(_DDD)
    if match is None:
        return False
    sign, digits, clock, fraction, zone = match.groups()
    _ddd_run(text.found, sign == "-", digits, clock is None and fraction is not None)
    if clock is not None and len(clock) in (2, 4, 6):
        pairs = [int(clock[i : i + 2]) for i in range(0, len(clock), 2)]
        names = ("hour", "min", "sec") if fraction is None else ("sec", "min", "hour")
        for name, value in zip(names, pairs if fraction is None else reversed(pairs), strict=False):
            text.found[name] = value
    if fraction is not None:
        text.found["sec_fraction"] = Fraction(int(fraction or "0"), 10 ** len(fraction))
    if zone is not None:
        text.found["zone"] = zone[1:-1].split(":", 1)[-1] if zone.startswith("[") else zone
    return True


def _frag(text: _Text) -> None:
    match = text.take(_FRAG)
    if match is None:
        return
    number, found = int(match.group(1)), text.found
    if found.get("hour") is not None and found.get("mday") is None and 1 <= number <= 31:
        found["mday"] = number
    if found.get("mday") is not None and found.get("hour") is None and 0 <= number <= 24:
        found["hour"] = number


# The date forms, in Ruby's order: the first that matches is the only one read.
_DATE_FORMS: tuple[tuple[tuple[str, ...], Callable[[_Text], bool]], ...] = (
    (("alpha", "digit"), _named_month(_EU, "dmby")),
    (("alpha", "digit"), _named_month(_US, "mdby")),
    (("digit", "dash"), _numbers(_ISO, "ymd")),
    (("digit", "dot"), _jis),
    (("alpha", "digit", "dash"), _vms),
    (("digit", "slash"), _numbers(_SLA, "ymd")),
    (("digit", "dot"), _numbers(_DOT, "ymd")),
    (("digit",), _iso2),
    (("digit",), _one(_YEAR, "year")),
    (("alpha",), _one(_MON, "mon", month=True)),
    (("digit",), _one(_MDAY, "mday")),
    (("digit",), _ddd),
)


def parse_fields(text: str) -> RubyFields:
    """``Date._parse(text)`` as ``Time.parse`` calls it: the fields Ruby reads in ``text``.

    Raises :class:`ValueError` for text longer than Ruby reads (:data:`LIMIT` bytes).
    """
    if len(text.encode("utf-8", "surrogatepass")) > LIMIT:
        raise ValueError(f"longer than the {LIMIT} bytes Ruby reads as a date")
    state = _Text(_UNREAD.sub(" ", text))
    if state.has("alpha"):
        state.take(_DAY)
    if state.has("digit"):
        _time(state)
    for kinds, form in _DATE_FORMS:
        if state.has(*kinds) and form(state):
            break
    if state.has("alpha") and state.take(_BC) is not None:
        state.found["_bc"] = True
    if state.has("digit"):
        _frag(state)
    return _fields(state)


def _fields(state: _Text) -> RubyFields:
    found = state.found
    year = found.get("year")
    if found.get("_bc") and isinstance(year, int):
        year = 1 - year
    if found.get("_comp") and isinstance(year, int) and 0 <= year <= 99:
        year += 1900 if year >= 69 else 2000
    names = ("yday", "mon", "mday", "hour", "min", "sec", "sec_fraction", "zone")
    values = {name: found.get(name) for name in names}
    return RubyFields(year, unread=" ".join(state.text.split()), **values)  # type: ignore[arg-type]

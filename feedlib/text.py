"""Plain-text helpers shared by the reading and rendering stages."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from datetime import date, datetime

from .model import Author

__all__ = [
    "collapse_whitespace",
    "hex_digest",
    "json_default",
    "scalar_text",
    "strip_xml_illegal",
    "truncate",
    "utf8_is_xml_legal",
    "xml_illegal",
    "xml_safe_author",
]

# Characters outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets),
# which a feed cannot carry escaped or not, and the C1 controls and DEL that
# XML discourages and feed validators flag. Dropped on the way in.
_XML_ILLEGAL = "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
# The same characters in UTF-8: one byte each below 0x80; C2 80 to C2 9F for
# U+0080 to U+009F; EF BF BE and EF BF BF for U+FFFE and U+FFFF. (Surrogates
# are not valid UTF-8.)
_ILLEGAL_ASCII = bytes(range(0x20)).translate(None, b"\t\n\r") + b"\x7f"
_ILLEGAL_C1 = re.compile(b"\xc2[\x80-\x9f]")
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
# Code points that belong to the character before them: cutting just before one
# would split what a reader sees as one character.
_JOINERS = {"\u200d", "\u034f"}


def strip_xml_illegal(text: str) -> str:
    """Remove the characters that XML 1.0 forbids."""
    return xml_illegal().sub("", text)


@functools.cache
def xml_illegal() -> re.Pattern[str]:
    """The pattern of the characters XML 1.0 forbids (and the controls it discourages)."""
    # Compiled on first use: its ranges take milliseconds to compile, which a
    # build whose feeds are up to date would pay at every start.
    return re.compile(_XML_ILLEGAL)


def utf8_is_xml_legal(data: bytes) -> bool:
    """Whether the valid UTF-8 ``data`` decodes to text that :func:`strip_xml_illegal` leaves as it is.

    Several times faster than the regular expression on the decoded text,
    which matters for a whole post file: bytes.translate deletes in C, and
    C2 and EF, the lead bytes of the other illegal characters, are looked for
    before the sequences themselves.
    """
    if len(data.translate(None, _ILLEGAL_ASCII)) != len(data):
        return False
    if b"\xc2" in data and _ILLEGAL_C1.search(data):
        return False
    return not (b"\xef" in data and any(sequence in data for sequence in _NONCHARACTERS))


def collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace into one space and trim both ends."""
    # str.split and the regular expression's \s agree on what whitespace is
    # (str.isspace); splitting is several times faster.
    return " ".join(text.split())


def _continues_previous(char: str) -> bool:
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char in _JOINERS
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with ``ellipsis``.

    Counts characters, not words, so text without spaces (Japanese, Chinese)
    is cut as well as English. A cut prefers the last space in the final fifth
    of the text kept (or in its last ten characters), and never separates a
    combining mark, variation selector or joiner from the character it
    belongs to.

    >>> truncate("xAIの200億ドル調達", 8)
    'xAIの200…'
    >>> truncate("one two three", 10)
    'one two…'
    """
    if len(text) <= limit:
        return text
    end = max(limit - len(ellipsis), 0)
    while 0 < end < len(text) and (_continues_previous(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    space = text.rfind(" ", 0, end + 1)
    if space > 0 and space >= end - max(end // 5, 10):
        end = space
    return text[:end].rstrip() + ellipsis


def scalar_text(value: str | int | float | bool | date | datetime) -> str:
    """The text of a YAML scalar as a Jekyll user would expect to see it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def xml_safe_author(author: Author) -> Author:
    """``author`` without characters XML forbids (a name that had only those becomes "?")."""
    return Author(
        strip_xml_illegal(author.name).strip() or "?",
        strip_xml_illegal(author.email) if author.email else None,
        strip_xml_illegal(author.uri) if author.uri else None,
    )


def hex_digest(data: bytes | str, size: int = 20) -> str:
    """The hash feedlib names things by (file bytes, settings, term names): BLAKE2b, ``size`` bytes, in hex.

    Text is hashed as UTF-8.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=size).hexdigest()


def json_default(value: object) -> object:
    """What JSON writes for a value it has no form for: dates as ISO 8601, anything else as text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)

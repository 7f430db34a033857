"""Reading a cache file: its JSON, only if it is one of ours, of this version and these settings."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from .records import Invalid
from .stamps import CACHE_VERSION

__all__ = ["file_data"]

# An escape json.dumps(ensure_ascii=False) writes only for characters XML forbids.
_FOREIGN_ESCAPE = re.compile(r"(?:^|[^\\])(?:\\\\)*\\[bfu]")

_log = logging.getLogger("feedlib.cache")


def _holds_xml_illegal(text: str) -> bool:
    r"""Whether decoding the JSON ``text`` could give a string with a character XML forbids.

    Checking the file once costs far less than checking every string in it.
    Raw, strict UTF-8 has no surrogates, and JSON rejects raw control
    characters, which leaves U+FFFE and U+FFFF. This cache writes every other
    character raw except \t \n \r " and \\, so an escape \b, \f or \uXXXX
    (after an even run of backslashes) was not written by it.
    """
    if "\ufffe" in text or "\uffff" in text:
        return True
    maybe_escaped = "\\u" in text or "\\b" in text or "\\f" in text
    return maybe_escaped and _FOREIGN_ESCAPE.search(text) is not None


def _data_in(raw: bytes, fingerprint: str, table: str) -> dict[str, Any]:
    """What a cache file's bytes hold (a ``table`` of records); :class:`Invalid` unless it is one of ours."""
    try:
        text = raw.decode("utf-8")
        if _holds_xml_illegal(text):
            raise Invalid("holds characters that XML forbids, or escapes this cache never writes")
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise Invalid(f"is not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        raise Invalid(f"is not a version {CACHE_VERSION} cache")
    if data.get("fingerprint") != fingerprint:
        raise Invalid("was made with other settings or library versions")
    if not isinstance(data.get(table), dict):
        raise Invalid(f"has no table of {table}")
    return data


def file_data(path: Path, fingerprint: str, table: str = "posts") -> tuple[dict[str, Any] | None, bytes]:
    """What one cache file holds (``None`` when it cannot be used; empty when missing), and its bytes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        _log.debug("cache: %s does not exist yet", path)
        return {table: {}}, b""
    except OSError as error:
        _log.debug("cache: cannot read %s (%s); starting afresh", path, error.strerror or error)
        return None, b""
    try:
        return _data_in(raw, fingerprint, table), raw
    except Invalid as error:
        _log.debug("cache: %s %s; starting afresh", path, error)
        return None, raw

"""Jekyll's Liquid filters, for python-liquid: URLs, escaping, dates, Markdown, arrays.

Dates never come from the clock: ``"now"`` and ``"today"`` are refused rather
than put the build time in a feed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import format_datetime
from typing import Any, Protocol
from urllib.parse import quote, quote_plus

from liquid import Environment
from liquid.builtin.filters.misc import date as liquid_date
from liquid.exceptions import FilterArgumentError
from liquid.filter import with_environment
from liquid.token import Token
from liquid.undefined import is_undefined

from ..dates import parse_date, parse_liquid_date, zone
from ..errors import shown
from ..kramdown.typography import smartify
from ..model import Site
from ..render import render_markdown
from ..text import json_default
from ..urls import slugify

__all__ = ["FILTERS", "SiteContext", "renderer_of"]

_CLOCK_WORDS = ("now", "today")


class SiteContext(Protocol):
    """What tags and filters ask of the renderer their environment belongs to."""

    site: Site

    def relative_url(self, path: str) -> str:
        """Jekyll's ``relative_url`` of ``path``."""
        ...

    def absolute_url(self, path: str) -> str:
        """Jekyll's ``absolute_url`` of ``path``."""
        ...

    def resolve(self, tag: str, target: str, token: Token | None) -> str:
        """The URL the tag ``link`` or ``post_url`` writes for ``target``."""
        ...


def renderer_of(env: Environment) -> SiteContext:
    """The renderer a Liquid environment of feedlib's belongs to."""
    renderer: SiteContext = getattr(env, "renderer")  # noqa: B009 (set by feedlib's environment only)
    return renderer


def _moment(value: object, env: Environment) -> datetime:
    renderer = renderer_of(env)
    if isinstance(value, str) and value.strip().lower() in _CLOCK_WORDS:
        raise FilterArgumentError(
            f"{shown(value)} would put the build's clock in the feed; write a date, or use page.date",
            token=None,
        )
    # A Jekyll site's times are read as Liquid reads them, and shown in the site's zone.
    read = parse_liquid_date if renderer.site.jekyll is not None else parse_date
    try:
        return read(value, zone(renderer.site.timezone))
    except ValueError as error:
        raise FilterArgumentError(str(error), token=None) from None


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@with_environment
def _date_to_xmlschema(value: object, *, environment: Environment) -> str:
    moment = _moment(value, environment)
    if renderer_of(environment).site.jekyll is not None:
        moment = moment.replace(microsecond=0)  # Ruby's Time#xmlschema: whole seconds.
    return moment.isoformat()


@with_environment
def _date_to_rfc822(value: object, *, environment: Environment) -> str:
    return format_datetime(_moment(value, environment))


@with_environment
def _date_to_string(
    value: object, kind: object = None, style: object = None, *, environment: Environment
) -> str:
    moment = _moment(value, environment)
    day = _ordinal(moment.day) if kind == "ordinal" else f"{moment.day:02d}"
    if style == "US":
        return f"{moment:%b} {day}, {moment.year}"
    return f"{day} {moment:%b} {moment.year}"


@with_environment
def _date(value: object, fmt: object = None, *, environment: Environment) -> str:
    if isinstance(value, str) and value.strip().lower() in _CLOCK_WORDS:
        _moment(value, environment)
    result: str = liquid_date(value, fmt, environment=environment)
    return result


@with_environment
def _relative_url(value: object, *, environment: Environment) -> str:
    return renderer_of(environment).relative_url(str(value or ""))


@with_environment
def _absolute_url(value: object, *, environment: Environment) -> str:
    return renderer_of(environment).absolute_url(str(value or ""))


def _xml_escape(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True).replace("&#x27;", "'")


def _cgi_escape(value: object) -> str:
    return quote_plus(str(value or ""), safe="~")


def _uri_escape(value: object) -> str:
    return quote(str(value or ""), safe="!#$%&'()*+,/:;=?@[]~")


@with_environment
def _markdownify(value: object, *, environment: Environment) -> str:
    site = renderer_of(environment).site
    return render_markdown(str(value or ""), site.markdown_extensions, site.renderer, site.kramdown)


@with_environment
def _smartify(value: object, *, environment: Environment) -> str:
    options = renderer_of(environment).site.kramdown
    return smartify(str(value or ""), options.smart_quotes, dict(options.typographic_symbols))


def _slugify(value: object, mode: object = "default") -> str:
    text = str(value or "")
    if mode == "raw":
        return re.sub(r"\s+", "-", text.strip()).lower()
    return slugify(text, pretty=mode == "pretty")


def _jsonify(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), default=json_default)


def _plain(value: object) -> object:
    if is_undefined(value):
        return None
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _property(item: object, key: object) -> object:
    if isinstance(item, Mapping):
        return item.get(str(key))
    return None


def _where(items: object, key: object, value: object = None) -> list[object]:
    # Jekyll compares as strings, and an array property matches when it holds the value.
    wanted = "" if value is None else str(value)
    found = []
    for item in _sequence(items):
        current = _property(item, key)
        values = current if isinstance(current, list | tuple) else [current]
        if any(("" if candidate is None else str(candidate)) == wanted for candidate in values):
            found.append(item)
    return found


def _sort(items: object, key: object = None, nils: object = "first") -> list[object]:
    sequence = _sequence(items)
    if key is None:
        return sorted(sequence, key=_sort_key)
    present = [item for item in sequence if _property(item, key) is not None]
    missing = [item for item in sequence if _property(item, key) is None]
    ordered = sorted(present, key=lambda item: _sort_key(_property(item, key)))
    return ordered + missing if nils == "last" else missing + ordered


def _sort_key(value: object) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, datetime):
        return (0, value.timestamp())
    return (1, str(value))


def _group_by(items: object, key: object) -> list[dict[str, object]]:
    groups: dict[str, list[object]] = {}
    for item in _sequence(items):
        value = _property(item, key)
        groups.setdefault("" if value is None else str(value), []).append(item)
    return [{"name": name, "items": members, "size": len(members)} for name, members in groups.items()]


def _number_of_words(value: object, mode: object = None) -> int:
    text = str(value or "")
    if mode == "cjk":
        cjk = re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", text)
        rest = re.sub(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", " ", text)
        return len(cjk) + len(rest.split())
    return len(text.split())


def _sequence(value: object) -> list[object]:
    if is_undefined(value) or value is None:
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    raise FilterArgumentError(f"expected an array, got {type(value).__name__}", token=None)


#: Jekyll's filters, by name, added to Liquid's own.
FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": _relative_url,
    "absolute_url": _absolute_url,
    "xml_escape": _xml_escape,
    "cgi_escape": _cgi_escape,
    "uri_escape": _uri_escape,
    "date_to_xmlschema": _date_to_xmlschema,
    "date_to_rfc822": _date_to_rfc822,
    "date_to_string": _date_to_string,
    "date": _date,
    "markdownify": _markdownify,
    "smartify": _smartify,
    "slugify": _slugify,
    "jsonify": _jsonify,
    "where": _where,
    "sort": _sort,
    "group_by": _group_by,
    "number_of_words": _number_of_words,
}

"""Checking values people write (authors, URLs, language tags, typed fields), the same way everywhere.

The configuration file, front matter, the model's constructors and the
library's public functions all check through these functions, so a value is
refused with the same words wherever it comes from. Each raises
:class:`ValueError` with a message fit for a user; callers add the file and
line, or turn it into a :class:`~feedlib.errors.ConfigError`. Standard
library only: the model's records call these when they are made.
"""

import dataclasses
import math
import re
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Union, get_args, get_origin
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import shown

__all__ = [
    "ABSOLUTE_HTTP",
    "AuthorFields",
    "author_fields",
    "check_language",
    "check_media_url",
    "check_mime_type",
    "check_relative_path",
    "check_site_url",
    "check_timezone",
    "check_type",
    "check_url_parameters",
    "describe_type",
    "fits",
    "kind_of",
    "off_site",
]

# The addr-spec feed validators accept (ASCII, dotted domain).
_EMAIL = re.compile(r"^[A-Za-z0-9_\-+.']+@([A-Za-z0-9-]+\.)+[A-Za-z0-9][-A-Za-z0-9]*$")
#: An absolute http(s) URL without spaces. (One host character, then any non-space: the same
#: language as "[^\s/?#]+[^\s]*", whose two overlapping runs made a failed match quadratic.)
ABSOLUTE_HTTP = re.compile(r"^https?://[^\s/?#]\S*$")
# An RFC 5646 language tag as feeds use them: "ja", "en-US", "zh-Hant-TW".
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# A MIME type as RFC 6838 section 4.2 names them: "audio/mpeg", "application/vnd.api+json".
_MIME_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")
# A query parameter's name: printable, no "=", "&" or "#" (they would end it).
_PARAMETER_NAME = re.compile(r"^[^\s=&#]+$")

#: An author as checked text: name, e-mail address (or ``None``), web page (or ``None``).
AuthorFields = tuple[str, str | None, str | None]


def kind_of(value: object) -> str:
    """What a value from YAML, TOML or JSON is, in a user's words: mapping, list, str, int…"""
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


# --- people ------------------------------------------------------------------------------


def check_author(name: object, email: object = None, uri: object = None) -> AuthorFields:
    """An author's name, e-mail address and web page, each checked and stripped of surrounding spaces."""
    fields: dict[str, str | None] = {}
    for key, item in (("name", name), ("email", email), ("uri", uri)):
        if item is not None and not isinstance(item, str):
            raise ValueError(f"{key} must be text, got {shown(item)}")
        fields[key] = item.strip() or None if item else None
    checked_name, checked_email, checked_uri = fields["name"], fields["email"], fields["uri"]
    if not checked_name:
        raise ValueError("an author needs a name")
    if checked_email is not None and not _EMAIL.match(checked_email):
        raise ValueError(f"{shown(checked_email)} is not an e-mail address")
    if checked_uri is not None and not ABSOLUTE_HTTP.match(checked_uri):
        raise ValueError(f"uri {shown(checked_uri)} must be an absolute http(s) URL without spaces")
    return checked_name, checked_email, checked_uri


def _one_author(value: object) -> AuthorFields:
    if isinstance(value, str):
        return check_author(value)
    if isinstance(value, Mapping):
        if not value.get("name"):
            raise ValueError("an author mapping needs a name")
        return check_author(value.get("name"), value.get("email"), value.get("uri"))
    raise ValueError(f"expected a name or a mapping with name, email and uri, got a {kind_of(value)}")


def author_fields(value: object) -> tuple[AuthorFields, ...]:
    """The fields of each author in a name, a ``{name, email, uri}`` mapping, or a list of either.

    ``None`` (and ``None`` items) stand for no author.
    """
    items = value if isinstance(value, list | tuple) else [value]
    return tuple(_one_author(item) for item in items if item is not None)


# --- addresses and names -------------------------------------------------------------------


def check_site_url(url: object, key: str = "site.url") -> str:
    """``url`` if it is an absolute http(s) URL with a host, in ASCII without spaces."""
    if not isinstance(url, str):
        raise ValueError(f"{key} must be a string, got {shown(url)}")
    try:
        parts = urlsplit(url)
        absolute = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # "https://[bad/": not a URL at all.
        absolute = False
    if not absolute:
        raise ValueError(f"{key} must be an absolute http(s) URL, got {shown(url)}")
    if not url.isascii() or any(char.isspace() for char in url):
        raise ValueError(
            f"{key} must be ASCII without spaces (percent-encode the path, punycode the host): {shown(url)}"
        )
    return url


def check_language(language: object, key: str = "site.language") -> str:
    """``language`` if it is a language tag such as ``ja`` or ``en-US``."""
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise ValueError(f"{key} must be a language tag such as ja or en-US, got {shown(language)}")
    return language


def check_timezone(name: object, key: str = "site.timezone") -> str:
    """``name`` if it is an IANA time zone this machine knows (``Asia/Tokyo``, ``UTC``)."""
    if not isinstance(name, str):
        raise ValueError(f"{key} must be a string, got {shown(name)}")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{key}: unknown timezone {shown(name)}; use an IANA name such as Asia/Tokyo or UTC"
        ) from None
    return name


def check_media_url(value: object) -> str:
    """A post's image or enclosure URL: http(s), or a path relative to the post; stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a URL (relative to the post, or absolute), got {shown(value)}")
    url = value.strip()
    if any(char.isspace() for char in url):
        raise ValueError(f"{shown(url)} is not a URL: percent-encode its spaces (%20)")
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        raise ValueError(f"{shown(url)}: only http(s) URLs or paths relative to the post are allowed")
    return url


def check_mime_type(value: object) -> str:
    """A MIME type such as ``audio/mpeg``, stripped and lower-cased."""
    if not isinstance(value, str) or not _MIME_TYPE.match(value.strip()):
        raise ValueError(f"must be a MIME type such as audio/mpeg, got {shown(value)}")
    return value.strip().lower()


def check_relative_path(path: object, key: str) -> str:
    """``path`` if it is a relative path inside a folder, ``/`` between folders (``feed/all.xml``)."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"{key} must be a relative path such as feed.xml, got {shown(path)}")
    if "\\" in path or "\0" in path or path.startswith("/"):
        raise ValueError(f"{key} must be a relative path with / between folders, got {shown(path)}")
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise ValueError(f"{key} must not hold empty, '.' or '..' folders, got {shown(path)}")
    return path


def check_url_parameters(value: object, key: str = "build.url_parameters") -> tuple[tuple[str, str], ...]:
    """Query parameters as ``(name, value)`` pairs, from a mapping or pairs of text; in the order given."""
    items: Iterable[Any]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise ValueError(f"{key} must be a table of names and values, got {shown(value)}")
    pairs = []
    for item in items:
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise ValueError(f"{key} must map names to text values, got {shown(item)}")
        name, text = item
        if not _PARAMETER_NAME.match(name):
            raise ValueError(f"{key}: {shown(name)} is not a parameter name (no spaces, '=', '&' or '#')")
        pairs.append((name, text))
    return tuple(pairs)


# --- types -------------------------------------------------------------------------------------

_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    Path: "a path",
    datetime: "a date",
}


def describe_type(kind: Any) -> str:
    """A type in a user's words: ``tuple[str, ...]`` is "a list of strings"."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        named = [describe_type(arg) for arg in args if arg is not type(None)]
        described = " or ".join(named) + (" or None" if type(None) in args else "")
    elif kind in _NAMES:
        described = _NAMES[kind]
    elif origin in (tuple, list, Sequence, Iterable) and args:
        described = f"a list of {describe_type(args[0]).removeprefix('a ').removeprefix('an ')}s"
    elif Mapping in (origin, kind):
        described = "a mapping"
    elif Callable in (origin, kind):
        described = "a function"
    else:
        described = f"a {getattr(origin or kind, '__name__', str(kind))}"
    return described


def _fits_items(value: object, kind: Any, origin: Any, args: tuple[Any, ...]) -> bool:
    """Whether ``value`` is the tuple, sequence or mapping ``kind`` says, items included."""
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_fits(item, args[0]) for item in value)
        return len(args) == len(value) and all(map(_fits, value, args))
    if Mapping in (origin, kind):
        key, item = args or (Any, Any)
        return isinstance(value, Mapping) and all(_fits(k, key) and _fits(v, item) for k, v in value.items())
    # Text is a sequence of characters, never what a list of names or formats means.
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        return False
    return not args or all(_fits(item, args[0]) for item in value)


_CONTAINERS = (tuple, list, Sequence, Iterable, Mapping)


def _fits(value: object, kind: Any) -> bool:
    """Whether ``value`` is of type ``kind`` (items of containers included), for the types feedlib uses."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any or kind is object:
        fits = True
    elif origin in (Union, types.UnionType):
        fits = any(_fits(value, arg) for arg in args)
    elif kind is type(None) or kind is None:
        fits = value is None
    elif kind is int:
        fits = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:  # A whole number is a number too; "not a number" is not.
        fits = isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value)
    elif kind is datetime:
        fits = isinstance(value, datetime) and value.utcoffset() is not None
    elif origin in _CONTAINERS or kind in _CONTAINERS:
        fits = _fits_items(value, kind, origin, args)
    elif Callable in (origin, kind) or getattr(kind, "_is_protocol", False):
        # A protocol feedlib takes is something to call (a progress display).
        fits = callable(value) or "__call__" not in vars(kind)
    elif isinstance(origin or kind, type):
        fits = isinstance(value, origin or kind)
    else:
        fits = True  # A type variable, a protocol or a literal: not checked here.
    return fits


def fits(value: object, kind: Any) -> bool:
    """Whether ``value`` is of type ``kind``, items of containers included (no conversion).

    >>> fits(("a", "b"), tuple[str, ...]), fits(["a"], tuple[str, ...])
    (True, False)
    """
    return _fits(value, kind)


def check_type(value: object, kind: Any, key: str) -> Any:
    """``value`` if it is of type ``kind`` (a list where a tuple is wanted, text where a path is, converted).

    :class:`ValueError` "KEY must be a list of strings, got 3" otherwise.
    """
    converted = _converted(value, kind)
    if _fits(converted, kind):
        return converted
    if isinstance(value, datetime) and value.utcoffset() is None:
        raise ValueError(f"{key} must be a date with a time zone (an offset), got {shown(value)}")
    quoted = repr(value) if len(repr(value)) <= 80 else f"a {kind_of(value)}"
    raise ValueError(f"{key} must be {describe_type(kind)}, got {quoted}")


def _converted(value: object, kind: Any) -> object:
    """``value`` in the form ``kind`` takes, where that form is plain: list → tuple, text → path."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        if value is None or _fits(value, kind):
            return value
        for arg in args:
            converted = _converted(value, arg)
            if converted is not value and _fits(converted, arg):
                return converted
        return value
    if kind is Path and isinstance(value, str) and value and "\0" not in value:
        return Path(value)
    if origin is tuple and isinstance(value, list):
        return tuple(value)
    return value


def check_fields(record: object, prefix: str, keys: Mapping[str, str] | None = None) -> None:
    """Check every field of a frozen dataclass ``record`` against its type, converting in place.

    ``keys`` names a field as users write it (``Site.authors`` is
    ``site.author``); other fields are ``PREFIX.FIELD``. A dataclass whose
    annotations are strings is not checked (its types are not known here).
    """
    for field in dataclasses.fields(record):  # type: ignore[arg-type]
        if isinstance(field.type, str):
            continue
        value = getattr(record, field.name)
        key = (keys or {}).get(field.name) or f"{prefix}.{field.name}"
        checked = check_type(value, field.type, key)
        if checked is not value:
            object.__setattr__(record, field.name, checked)


# What decodes to a dot or a slash ("%2e", "%2f", "%5c"): only then can a path hide a dot segment.
_ENCODED_DOT_OR_SLASH = re.compile(r"%(?:2[eEfF]|5[cC])")


def off_site(url: str, base: str) -> str | None:
    """What keeps ``url`` from being an entry's link or id on the site at ``base``; ``None`` if nothing.

    Both are canonical absolute URLs (:func:`feedlib.urls.absolute_url`).
    An entry's link is followed by every reader: it must be an http(s) URL
    under the site's URL (its scheme, host and path), and its path must hold
    no ``.`` or ``..`` segment, percent-encoded or not, that would lead out of it.
    """
    if not url.startswith(base):
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            return f"a {scheme or 'relative'} URL; entries link to http(s) URLs on the site ({base})"
        return f"outside the site: entries link to URLs under {base}"
    rest = url[len(base) :]
    if "/." not in "/" + rest and "\\" not in rest and not _ENCODED_DOT_OR_SLASH.search(rest):
        return None  # No segment can be "." or "..": the usual case, cheaply.
    path = unquote(urlsplit(url).path).replace("\\", "/")
    if any(segment in (".", "..") for segment in path.split("/")):
        return "its path has a '.' or '..' segment: write the path without them"
    return None

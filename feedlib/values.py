"""Checking values people write (authors, URLs, language tags), the same way wherever they are written.

The configuration file, front matter and the library's constructors all
check through these functions, so a value is refused with the same words
wherever it comes from. Each raises :class:`ValueError` with a message fit
for a user; callers add the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .model import Author

__all__ = ["ABSOLUTE_HTTP", "check_language", "check_site_url", "kind_of", "parse_authors"]

# The addr-spec feed validators accept (ASCII, dotted domain).
_EMAIL = re.compile(r"^[A-Za-z0-9_\-+.']+@([A-Za-z0-9-]+\.)+[A-Za-z0-9][-A-Za-z0-9]*$")
#: An absolute http(s) URL without spaces.
ABSOLUTE_HTTP = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
# An RFC 5646 language tag as feeds use them: "ja", "en-US", "zh-Hant-TW".
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def kind_of(value: object) -> str:
    """What a value from YAML, TOML or JSON is, in a user's words: mapping, list, str, int…"""
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def _author(value: object) -> Author:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("an author needs a name")
        return Author(value.strip())
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a name or a mapping with name, email and uri, got a {kind_of(value)}")
    fields: dict[str, str | None] = {}
    for key in ("name", "email", "uri"):
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            raise ValueError(f"{key} must be text, got {item!r}")
        fields[key] = item.strip() if item else None
    name, email, uri = fields["name"], fields["email"], fields["uri"]
    if not name:
        raise ValueError("an author mapping needs a name")
    if email is not None and not _EMAIL.match(email):
        raise ValueError(f"{email!r} is not an e-mail address")
    if uri is not None and not ABSOLUTE_HTTP.match(uri):
        raise ValueError(f"uri {uri!r} must be an absolute http(s) URL without spaces")
    return Author(name, email, uri)


def parse_authors(value: object) -> tuple[Author, ...]:
    """Authors from a name, a ``{name, email, uri}`` mapping, or a list of either."""
    items = value if isinstance(value, list) else [value]
    return tuple(_author(item) for item in items if item is not None)


def check_site_url(url: str, key: str = "site.url") -> str:
    """``url`` if it is an absolute http(s) URL with a host, in ASCII without spaces."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{key} must be an absolute http(s) URL, got {url!r}")
    if not url.isascii() or any(char.isspace() for char in url):
        raise ValueError(
            f"{key} must be ASCII without spaces (percent-encode the path, punycode the host): {url!r}"
        )
    return url


def check_language(language: str, key: str = "site.language") -> str:
    """``language`` if it is a language tag such as ``ja`` or ``en-US``."""
    if not _LANGUAGE.match(language):
        raise ValueError(f"{key} must be a language tag such as ja or en-US, got {language!r}")
    return language

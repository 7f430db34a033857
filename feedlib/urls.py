"""Post URLs: Jekyll's permalink placeholders, slugs and percent-encoding."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import quote, unquote, urlsplit

from .dates import zone
from .errors import shown
from .model import Post, Site

__all__ = ["PERMALINK_STYLES", "absolute_url", "document_id", "expand_permalink", "post_url", "slugify"]

#: Jekyll's named permalink styles.
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
# What Jekyll's "pretty" slug mode keeps besides letters, marks and digits.
_PRETTY_EXTRA = frozenset("._~!$&'()+,;=@")
_PATH_SAFE = "/-._~!$&'()*+,;=:@"
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
# Only "scheme://" makes a permalink absolute: "notes:intro/" and a category
# "C++: Tips" are paths.
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SLASHES = re.compile(r"/{2,}")
# In ASCII text, what slugify drops: all but letters and digits (categories
# L, M and Nd), and in pretty mode _PRETTY_EXTRA. ("-" is never kept, so a
# run of these becomes one "-".)
_ASCII_DROPPED = re.compile(r"[^A-Za-z0-9]+")
_ASCII_DROPPED_PRETTY = re.compile(r"[^A-Za-z0-9._~!$&'()+,;=@]+")
# A path that absolute_url would leave as it is: ASCII characters that quote()
# keeps with _PATH_SAFE, no "%" to decode, no query or fragment.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/\-._~!$&'()*+,;=:@]*")
# What makes a path more than a path to urlsplit and unquote.
_NOT_ONLY_PATH = re.compile(r"[%?#\t\r\n]")


def slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: every other run of characters becomes ``-``.

    Letters of any script are kept, so Japanese titles stay readable.

    >>> slugify("Hello, World!")
    'hello-world'
    >>> slugify("xAIの200億ドル")
    'xaiの200億ドル'
    """
    if text.isascii():
        # What _slug_of_characters gives, with one regular expression.
        dropped = _ASCII_DROPPED_PRETTY if pretty else _ASCII_DROPPED
        slug = dropped.sub("-", text).strip("-")
    else:
        slug = _slug_of_characters(text, pretty)
    return slug if cased else slug.lower()


def _slug_of_characters(text: str, pretty: bool) -> str:
    """``text`` with each run of characters that are not kept turned into one ``-``, trimmed."""
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        keep = category[0] in "LM" or category == "Nd" or (pretty and char in _PRETTY_EXTRA)
        if keep:
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _categories(post: Post) -> str:
    return "/".join(dict.fromkeys(category.lower() for category in post.categories))


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# What each placeholder says, from the post and its date in the site's timezone.
_PLACEHOLDERS: dict[str, Callable[[Post, datetime], str]] = {
    "year": lambda post, when: f"{when.year:04d}",
    "short_year": lambda post, when: f"{when.year % 100:02d}",
    "month": lambda post, when: f"{when.month:02d}",
    "i_month": lambda post, when: str(when.month),
    "day": lambda post, when: f"{when.day:02d}",
    "i_day": lambda post, when: str(when.day),
    "hour": lambda post, when: f"{when.hour:02d}",
    "minute": lambda post, when: f"{when.minute:02d}",
    "second": lambda post, when: f"{when.second:02d}",
    "y_day": lambda post, when: f"{when.timetuple().tm_yday:03d}",
    "title": lambda post, when: slugify(post.slug, pretty=True, cased=True),
    "slug": lambda post, when: slugify(post.slug),
    "categories": lambda post, when: _categories(post),
    "slugified_categories": lambda post, when: "/".join(dict.fromkeys(map(slugify, post.categories))),
    "output_ext": lambda post, when: ".html",
    # Jekyll's UrlDrop (Ruby's strftime in English, whatever the locale).
    "week": lambda post, when: f"{when.isocalendar()[1]:02d}",
    "w_year": lambda post, when: str(when.isocalendar()[0]),
    "w_day": lambda post, when: str(when.isocalendar()[2]),
    "short_day": lambda post, when: _DAYS[when.weekday()][:3],
    "long_day": lambda post, when: _DAYS[when.weekday()],
    "short_month": lambda post, when: _MONTHS[when.month - 1][:3],
    "long_month": lambda post, when: _MONTHS[when.month - 1],
}


@functools.lru_cache(maxsize=64)
def _pattern_parts(pattern: str) -> tuple[str, ...]:
    """``pattern`` cut at its placeholders: text at even indexes, placeholder names at odd ones."""
    return tuple(_PLACEHOLDER.split(pattern))


def expand_permalink(pattern: str, post: Post, site: Site) -> str:
    """The site-relative path of ``post`` for a Jekyll permalink pattern.

    Unknown placeholders are left as they are, as Jekyll does; empty
    segments (a post without categories) collapse.
    """
    parts = _pattern_parts(PERMALINK_STYLES.get(pattern, pattern))
    when: datetime = post.date.astimezone(zone(site.timezone))
    # Only the placeholders the pattern has are worked out: most patterns
    # have no :slug, and slugify is the costly part.
    pieces = list(parts)
    for index in range(1, len(parts), 2):
        value = _PLACEHOLDERS.get(parts[index])
        pieces[index] = value(post, when) if value is not None else ":" + parts[index]
    path = "".join(pieces)
    if _ABSOLUTE.match(path):
        return path
    path = "/" + path
    return _SLASHES.sub("/", path) if "//" in path else path


def absolute_url(path: str, site: Site) -> str:
    """``path`` resolved against the site URL and percent-encoded.

    A path is relative to the site URL (which may itself have a path, as
    ``https://example.com/blog/``) whether or not it starts with ``/``, and
    is never resolved out of it; an absolute URL (``scheme://…``) is only
    encoded. Raises :class:`ValueError` for a URL that cannot be read.
    """
    if _ABSOLUTE.match(path):
        return _canonical(path)
    relative = path.lstrip("/")
    prefix = _site_prefix(site.base_url)
    if prefix is not None:
        if _PLAIN_PATH.fullmatch(relative):
            return prefix + relative
        encoded = _encoded_path(relative)
        if encoded is not None:
            return prefix + encoded
    return _canonical(site.base_url + relative)


def _encoded_path(relative: str) -> str | None:
    """What _canonical makes of ``relative`` at the end of a URL path; ``None`` if it needs _canonical.

    With no "%" to decode, no query or fragment, and nothing urlsplit drops,
    the path is only normalized and encoded. NFC of the whole URL is NFC of
    each side of the site URL's last "/", which composes with nothing.
    """
    normalized = unicodedata.normalize("NFC", relative)
    if _NOT_ONLY_PATH.search(normalized):
        return None
    try:
        return quote(normalized, safe=_PATH_SAFE)
    except UnicodeEncodeError:
        return None  # A lone surrogate: _canonical raises, naming the whole URL.


@functools.lru_cache(maxsize=16)
def _site_prefix(base_url: str) -> str | None:
    """What a plain path is appended to when resolved against ``base_url``; ``None`` if that is not enough.

    ``base_url`` ends with "/". With a scheme and a host and no query or
    fragment, the URL path is its end, and a path without "%", "?", "#" or
    the characters urlsplit drops, appended to it (without a leading "/"),
    ends up at the end of the URL's path: NFC does not reach across "/",
    unquote has no "%" of the path's to decode, and quote encodes character
    by character. So _canonical(base_url + path) is _canonical(base_url)
    followed by the path, normalized and encoded; a path that matches
    _PLAIN_PATH is left as it is.
    """
    try:
        parts = urlsplit(unicodedata.normalize("NFC", base_url))
        if not (parts.scheme and parts.netloc) or parts.query or parts.fragment:
            return None
        return _canonical(base_url)
    except (ValueError, UnicodeError):
        return None  # _canonical says what is wrong, with the whole URL.


def _canonical(url: str) -> str:
    """``url`` in canonical form, percent-encoded; :class:`ValueError` if it cannot be read."""
    # Canonical form (RFC 3986 section 6): NFC text (file names from macOS
    # are NFD), lower-case scheme and host, no default port.
    try:
        parts = urlsplit(unicodedata.normalize("NFC", url))
    except ValueError as error:
        raise ValueError(f"{shown(url)} is not a valid URL: {error}") from None
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if netloc.endswith(_DEFAULT_PORTS.get(scheme, "\0")):
        netloc = netloc[: -len(_DEFAULT_PORTS[scheme])]
    # Decoding first keeps an already-encoded path from being encoded twice.
    encoded_path = quote(unquote(parts.path), safe=_PATH_SAFE) or "/"
    url = f"{scheme}://{netloc}{encoded_path}"
    if parts.query:
        url += "?" + quote(parts.query, safe=_PATH_SAFE + "?%")
    if parts.fragment:
        url += "#" + quote(parts.fragment, safe=_PATH_SAFE + "?%")
    return url


def document_id(post: Post, site: Site) -> str:
    """Jekyll's document id of ``post``: the folder of its URL path joined with its slug.

    ``/2024/03/05/hello.html`` and ``/2024/03/05/hello/`` both give
    ``/2024/03/05/hello``; a post with its own permalink ``/custom/path/``
    and the slug ``custom`` gives ``/custom/custom``. jekyll-feed writes it
    (made absolute) as the entry id.
    """
    path = expand_permalink(post.permalink or site.permalink, post, site)
    folder = posixpath.dirname(path.rstrip("/") or "/")
    return posixpath.join(folder, post.slug)


def post_url(post: Post, site: Site) -> str:
    """The absolute URL of ``post``: its ``permalink``, else the site's pattern."""
    return absolute_url(expand_permalink(post.permalink or site.permalink, post, site), site)


def with_parameters(url: str, parameters: Sequence[tuple[str, str]]) -> str:
    """``url`` with the query ``parameters`` added, each name and value percent-encoded (UTF-8).

    Added after any query the URL has, before its fragment; none given: ``url`` itself.

    >>> with_parameters("https://example.com/a.html#top", [("utm_source", "feed"), ("q", "a b&c")])
    'https://example.com/a.html?utm_source=feed&q=a%20b%26c#top'
    """
    if not parameters:
        return url
    base, hash_mark, fragment = url.partition("#")
    added = "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in parameters)
    ends_query = base.endswith(("?", "&"))
    joiner = "" if ends_query else "&" if "?" in base else "?"
    return f"{base}{joiner}{added}{hash_mark}{fragment}"

"""Reading post files: bytes → text → front matter → :class:`~feedlib.model.Post`.

Reading is cheap on purpose: nothing is rendered here, so a feed of the newest
twenty posts never pays for Markdown in the rest of the archive.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .dates import date_from_filename, parse_date, zone
from .errors import ConfigError, PostError, raise_or_report
from .model import Author, Enclosure, Image, Post, Site
from .text import collapse_whitespace, scalar_text, strip_xml_illegal, utf8_is_xml_legal

if TYPE_CHECKING:
    from ._handlers import JSONObjectHandler, TOMLHandler

__all__ = [
    "POST_SUFFIXES",
    "JSONObjectHandler",
    "PostFile",
    "TOMLHandler",
    "decode_post",
    "find_post_files",
    "load_post",
    "load_posts",
    "parse_authors",
    "parse_post",
    "post_body",
    "post_file_locations",
    "post_files",
    "read_front_matter",
]

#: File name endings read as posts.
POST_SUFFIXES = (".md", ".markdown", ".txt")

_BOM = b"\xef\xbb\xbf"
_HIDDEN = (".", "_")


# The fences python-frontmatter's YAMLHandler and this package's TOMLHandler
# and JSONObjectHandler detect (see feedlib._handlers), matched here without
# importing python-frontmatter.
_YAML_FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_TOML_FENCE = re.compile(r"^\+{3}\s*$", re.MULTILINE)
_JSON_START = re.compile(r"^\{")
_TOML_END = re.compile(r"\s*\(at end of document\)")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)")
# The addr-spec feed validators accept (ASCII, dotted domain).
_EMAIL = re.compile(r"^[A-Za-z0-9_\-+.']+@([A-Za-z0-9-]+\.)+[A-Za-z0-9][-A-Za-z0-9]*$")
_ABSOLUTE_HTTP = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
_TAG_URI = re.compile(r"^tag:[a-z0-9.-]+(@[a-z0-9.-]+)?,\d{4}(-\d{2}(-\d{2})?)?:\S*$")
_UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_SCALARS = (str, int, float, bool, date, datetime)
# A MIME type as RFC 6838 section 4.2 names them: "audio/mpeg", "application/vnd.api+json".
_MIME_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")
# What PyYAML's safe constructors raise, without a position, on values such as
# "2025-01-01 25:00:00" or explicit tags with impossible values
# ("!!timestamp hello", "!!bool maybe").
_CONSTRUCTOR_ERRORS = (ValueError, OverflowError, TypeError, AttributeError, KeyError)


Scalar = str | int | float | bool | date | datetime


def __getattr__(name: str) -> object:
    """``TOMLHandler`` and ``JSONObjectHandler``, from :mod:`feedlib._handlers` on first use.

    They subclass python-frontmatter's handlers, and python-frontmatter
    imports PyYAML: importing them here, up front, would make every build pay
    for both even when no post is parsed.
    """
    if name in ("TOMLHandler", "JSONObjectHandler"):
        from . import _handlers

        return getattr(_handlers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _FrontMatter:
    """The parsed front matter of one file, with line numbers for its keys."""

    def __init__(self, path: Path, data: Mapping[Any, Any], text: str, first_line: int) -> None:
        self.path = path
        self.data = data
        self._lines = text.split("\n")
        self._first_line = first_line

    def line_of(self, key: str) -> int | None:
        # YAML "key:", TOML "key =", JSON '"key":'.
        name = re.escape(key)
        pattern = re.compile(rf"(?:^|[{{,])\s*\"{name}\"\s*:|^(['\"]?){name}\1\s*[:=]")
        for number, line in enumerate(self._lines):
            if pattern.search(line):
                return self._first_line + number
        return None

    def error(self, key: str, message: str) -> PostError:
        return PostError(self.path, f"{key}: {message}", self.line_of(key))

    def field_error(self, key: str, field: str, message: str) -> PostError:
        """An error about ``key.field``, at the line where ``field`` is written under ``key``."""
        line = self.line_of(key)
        if line is not None:
            pattern = re.compile(rf"[\s{{,]['\"]?{re.escape(field)}['\"]?\s*:")
            start = line - self._first_line
            for number, text in enumerate(self._lines[start:], start):
                if number > start and text[:1] not in (" ", "\t"):
                    break  # the next top-level key
                if pattern.search(" " + text if number > start else text):
                    line = self._first_line + number
                    break
        return PostError(self.path, f"{key}.{field}: {message}", line)

    def first(self, *keys: str) -> tuple[str, Any] | None:
        """The first of ``keys`` present with a value that is not empty."""
        for key in keys:
            value = self.data.get(key)
            if value is not None and value != "":
                return key, value
        return None

    def scalar(self, *keys: str) -> str | None:
        found = self.first(*keys)
        if found is None:
            return None
        key, value = found
        if not isinstance(value, _SCALARS):
            raise self.error(key, f"expected text, got a {_kind(value)}")
        return scalar_text(value)

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.error(key, f"expected true or false, got {value!r}")


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def decode_post(path: Path, raw: bytes) -> str:
    """The text of a post file: UTF-8 without a BOM, Unix line ends, no XML-illegal characters.

    Raises :class:`PostError` naming the file and line of the first invalid byte.
    """
    skipped = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        text = raw[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        line = raw.count(b"\n", 0, offset) + 1
        raise PostError(
            path,
            f"not valid UTF-8: byte 0x{raw[offset]:02x} at byte offset {offset}; save the file as UTF-8",
            line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Checking the bytes is much faster than stripping the text, and most files have nothing to strip.
    return text if utf8_is_xml_legal(raw) else strip_xml_illegal(text)


def _xml_safe(value: Any) -> Any:
    """``value`` with XML-illegal characters dropped from every string in it.

    The file's text has none, but YAML escapes in double-quoted strings make them.
    Only called when :func:`_may_hold_xml_illegal` says it could change anything.
    """
    if isinstance(value, str):
        return strip_xml_illegal(value)
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    if isinstance(value, Mapping):
        return {_xml_safe(key): _xml_safe(item) for key, item in value.items()}
    return value


def _may_hold_xml_illegal(fm_text: str) -> bool:
    """Whether :func:`_xml_safe` could change what ``fm_text`` parses to; false for most posts.

    Why this is enough: ``fm_text`` is cut from the output of
    :func:`decode_post`, which has no XML-illegal character. Every string
    that YAML, TOML or JSON reads from it is made of characters copied from
    the text, of spaces and line feeds (YAML's line folding), and of
    characters written as escapes; and every escape, in YAML's
    double-quoted strings, TOML's basic strings and JSON's strings, starts
    with a backslash. Without one, no string can hold an illegal character,
    and ``_xml_safe`` returns an equal copy of the data.

    A copy differs from the data only where YAML shares an object through an
    alias (``*name``): the copy shares nothing, and a list that contains
    itself makes ``_xml_safe`` fail with RecursionError. Text with a ``*``
    is copied as before, so neither changes. (tests/test_properties.py checks
    this on generated front matter.)
    """
    return "\\" in fm_text or "*" in fm_text


def _bad_value(fm_text: str) -> tuple[int, str] | None:
    """The 0-based line and key of the first value PyYAML's constructors fail on."""
    import yaml

    for number, line in enumerate(fm_text.split("\n")):
        key, colon, value = line.partition(":")
        if not colon or not value.strip():
            continue
        try:
            yaml.safe_load(value)
        except _CONSTRUCTOR_ERRORS:
            return number, key.strip().strip("'\"")
        except yaml.YAMLError:
            continue
    return None


def _split_json(text: str) -> tuple[str, str]:
    """The JSON object at the start of ``text``, and the rest; raises :class:`json.JSONDecodeError`."""
    _, end = json.JSONDecoder().raw_decode(text)
    return text[:end], text[end:]


def _json_fences(path: Path, text: str) -> tuple[str, int, str]:
    try:
        fm_text, body = _split_json(text)
    except json.JSONDecodeError as error:
        raise PostError(path, f"invalid JSON front matter: {error.msg}", error.lineno) from None
    except RecursionError:
        raise PostError(path, "JSON front matter nests too deeply", 1) from None
    return fm_text, 1, body.lstrip("\n")


def _next_fence(fence: re.Pattern[str], first: str, text: str, start: int) -> re.Match[str] | None:
    """``fence.search(text, start)`` (the closing fence, as finditer would find it), for ``start > 0``.

    A fence starts a line with ``first``: str.find skips to each such line,
    where the regular expression would try every character of the front matter.
    """
    at = text.find("\n" + first, start - 1)
    while at != -1:
        match = fence.match(text, at + 1)
        if match is not None:
            return match
        at = text.find("\n" + first, at + 1)
    return None


def _fences(path: Path, text: str) -> tuple[str, int, str]:
    """The front matter's text, the line it starts on, and the body, split without reading YAML or TOML.

    JSON front matter is one object at the top; the JSON decoder finds its end.
    """
    if _YAML_FENCE.match(text):
        fence, delimiter = _YAML_FENCE, "---"
    elif _TOML_FENCE.match(text):
        fence, delimiter = _TOML_FENCE, "+++"
    elif _JSON_START.match(text):
        return _json_fences(path, text)
    else:
        raise PostError(
            path,
            "no front matter: a post starts with a '---' line, then YAML, then '---' "
            "(or TOML between '+++' lines, or a JSON object)",
            1,
        )
    opening = fence.match(text)
    assert opening is not None
    closing = _next_fence(fence, delimiter[0], text, opening.end())
    if closing is None:
        raise PostError(path, f"front matter is not closed: add a '{delimiter}' line after it", 1)
    fm_text = text[opening.end() : closing.start()]
    first_line = text.count("\n", 0, opening.end()) + 1
    return fm_text, first_line, text[closing.end() :].lstrip("\n")


def read_front_matter(path: Path, text: str) -> Mapping[str, Any]:
    """The front matter of ``text`` (YAML, TOML or JSON) as a mapping; :class:`PostError` if unreadable."""
    return _split(path, text)[0].data


def post_body(path: Path, text: str) -> str:
    """The Markdown body of the post ``text`` (from :func:`decode_post`), without reading its YAML.

    The same as ``parse_post(path, text, site).body``, for a post known to be valid.
    """
    return _fences(path, text)[2]


def _load_other(path: Path, text: str, fm_text: str, first_line: int) -> Any:
    """Front matter in TOML or JSON (Hugo's other two forms)."""
    if fm_text.startswith("{"):
        # _fences has decoded it once already: it is valid JSON.
        return json.loads(fm_text)
    from ._handlers import TOML

    try:
        return TOML.load(fm_text)
    except RecursionError:
        raise PostError(path, "TOML front matter nests too deeply", first_line) from None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        # "(at end of document)": the last line of the front matter.
        end = first_line + fm_text.rstrip("\n").count("\n")
        line = first_line + int(match.group(1)) - 1 if match else end
        problem = _TOML_END.sub("", _TOML_POSITION.sub("", str(error))).strip()
        raise PostError(path, f"invalid TOML front matter: {problem}", line) from None


def _load_yaml(path: Path, fm_text: str, first_line: int) -> Any:
    """YAML front matter, read by python-frontmatter's YAMLHandler (libyaml's safe loader if built).

    python-frontmatter and PyYAML are imported here, on first use: a build
    that takes every post from its cache never needs them.
    """
    import yaml

    from ._handlers import YAML

    try:
        return YAML.load(fm_text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise PostError(path, f"invalid YAML front matter: {problem}", line) from None
    except _CONSTRUCTOR_ERRORS as error:
        found = _bad_value(fm_text)
        if found is None:
            raise PostError(path, f"cannot read a front-matter value: {error!s}", first_line) from None
        number, key = found
        raise PostError(path, f"{key}: cannot read its value: {error!s}", first_line + number) from None


def _cleaned(path: Path, data: Any, first_line: int) -> Any:
    """:func:`_xml_safe` of ``data``; :class:`PostError` for a value that contains itself."""
    try:
        return _xml_safe(data)
    except RecursionError:
        # YAML lets an alias sit inside its own anchor (x: &a [*a]): no feed can show that.
        raise PostError(
            path,
            "front matter nests too deeply, or a value contains itself (an alias inside its anchor)",
            first_line,
        ) from None


def _split(path: Path, text: str) -> tuple[_FrontMatter, str]:
    fm_text, first_line, body = _fences(path, text)
    if not _YAML_FENCE.match(text):
        data = _load_other(path, text, fm_text, first_line)
        if not isinstance(data, Mapping):
            raise PostError(path, f"front matter must be a table of keys, not a {_kind(data)}", first_line)
        if _may_hold_xml_illegal(fm_text):
            data = _cleaned(path, data, first_line)
        return _FrontMatter(path, data, fm_text, first_line), body
    data = _load_yaml(path, fm_text, first_line)
    if data is None:
        data = {}
    elif _may_hold_xml_illegal(fm_text):
        data = _cleaned(path, data, first_line)
    if not isinstance(data, Mapping):
        raise PostError(
            path, f"front matter must be a mapping of keys to values, not a {_kind(data)}", first_line
        )
    return _FrontMatter(path, data, fm_text, first_line), body


def _terms(fm: _FrontMatter, *keys: str) -> tuple[str, ...]:
    """Categories or tags: lists of scalars, or strings split like Jekyll."""
    terms: list[str] = []
    for key in keys:
        value = fm.data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            parts = value.split(",") if "," in value else value.split()
        elif isinstance(value, list):
            parts = []
            for item in value:
                if type(item) is str:  # Nearly every item: scalar_text would give it back.
                    parts.append(item)
                elif item is None:
                    continue
                elif not isinstance(item, _SCALARS):
                    raise fm.error(key, f"expected a list of names, found a {_kind(item)} in it")
                else:
                    parts.append(scalar_text(item))
        elif isinstance(value, _SCALARS):
            parts = [scalar_text(value)]
        else:
            raise fm.error(key, f"expected a list or a comma-separated string, got a {_kind(value)}")
        terms.extend([part.strip() for part in parts])
    return tuple(dict.fromkeys([term for term in terms if term]))


def _author(value: object) -> Author:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("an author needs a name")
        return Author(value.strip())
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a name or a mapping with name, email and uri, got a {_kind(value)}")
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
    if uri is not None and not _ABSOLUTE_HTTP.match(uri):
        raise ValueError(f"uri {uri!r} must be an absolute http(s) URL without spaces")
    return Author(name, email, uri)


def parse_authors(value: object) -> tuple[Author, ...]:
    """Authors from a name, a ``{name, email, uri}`` mapping, or a list of either.

    Raises :class:`ValueError` with a message fit for a user.
    """
    items = value if isinstance(value, list) else [value]
    return tuple(_author(item) for item in items if item is not None)


def _date(fm: _FrontMatter, tz: tzinfo, *keys: str) -> datetime | None:
    found = fm.first(*keys)
    if found is None:
        return None
    key, value = found
    try:
        return parse_date(value, tz)
    except ValueError as error:
        raise fm.error(key, str(error)) from None


def _entry_id(fm: _FrontMatter) -> str | None:
    """Front-matter ``id``: relative (resolved later), or an http(s), tag: or urn:uuid: URI."""
    value = fm.scalar("id")
    if value is None:
        return None
    value = value.strip()
    scheme = urlsplit(value).scheme.lower()
    if not scheme:
        return value
    if (scheme in ("http", "https") and _ABSOLUTE_HTTP.match(value)) or (
        _TAG_URI.match(value) or _UUID_URN.match(value)
    ):
        return value
    raise fm.error(
        "id",
        f"{value!r} is not a feed id: use an http(s) URL, a tag: URI "
        "(tag:example.com,2025:post-1) or urn:uuid:…, or leave id out to use the permalink",
    )


def _url_text(fm: _FrontMatter, value: object, key: str, field: str | None = None) -> str:
    def error(message: str) -> PostError:
        return fm.field_error(key, field, message) if field else fm.error(key, message)

    if not isinstance(value, str) or not value.strip():
        raise error(f"expected a URL (relative to the post, or absolute), got {value!r}")
    url = value.strip()
    if any(char.isspace() for char in url):
        raise error(f"{url!r} is not a URL: percent-encode its spaces (%20)")
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        raise error(f"{url!r}: only http(s) URLs or paths relative to the post are allowed")
    return url


def _image(fm: _FrontMatter) -> Image | None:
    """Front-matter ``image``: a URL, or ``{path, alt}`` (Jekyll SEO's form)."""
    value = fm.data.get("image")
    if value is None:
        return None
    if isinstance(value, Mapping):
        unknown = sorted(str(key) for key in value if key not in ("path", "alt"))
        if unknown:
            raise fm.error("image", f"unknown key {unknown[0]!r}; an image has path and alt")
        alt = value.get("alt")
        if alt is not None and not isinstance(alt, _SCALARS):
            raise fm.field_error("image", "alt", f"must be text, got a {_kind(alt)}")
        alt_text = collapse_whitespace(scalar_text(alt)) if alt is not None else ""
        return Image(_url_text(fm, value.get("path"), "image", "path"), alt_text or None)
    return Image(_url_text(fm, value, "image"))


def _enclosure(fm: _FrontMatter) -> Enclosure | None:
    """Front-matter ``enclosure: {url, length, type}``, each checked."""
    value = fm.data.get("enclosure")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise fm.error("enclosure", f"expected a mapping with url, length and type, got a {_kind(value)}")
    unknown = sorted(str(key) for key in value if key not in ("url", "length", "type"))
    if unknown:
        raise fm.error("enclosure", f"unknown key {unknown[0]!r}; an enclosure has url, length and type")
    length, kind = value.get("length"), value.get("type")
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise fm.field_error(
            "enclosure", "length", f"must be the file's size in bytes (0 or more), got {length!r}"
        )
    if not isinstance(kind, str) or not _MIME_TYPE.match(kind.strip()):
        raise fm.field_error("enclosure", "type", f"must be a MIME type such as audio/mpeg, got {kind!r}")
    return Enclosure(_url_text(fm, value.get("url"), "enclosure", "url"), length, kind.strip().lower())


def _titleize(slug: str) -> str:
    # Jekyll's Utils.titleize_slug.
    return " ".join(word.capitalize() for word in slug.split("-"))


def load_post(path: Path | str, site: Site) -> Post:
    """Read one post file. Raises :class:`PostError` naming the file (and line)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PostError(path, f"cannot read: {error.strerror or error}") from None
    return parse_post(path, decode_post(path, raw), site)


def parse_post(
    path: Path,
    text: str,
    site: Site,
    *,
    categories: tuple[str, ...] = (),
    dateless: bool = False,
) -> Post:
    """The post that ``text`` (from :func:`decode_post`) says; ``path`` is where it came from.

    ``categories`` come before the front matter's (Jekyll's folders above
    ``_posts``). A ``dateless`` file (a Jekyll draft) takes no date from its
    name, and needs one in its front matter. Raises :class:`PostError`
    naming the file (and line).
    """
    fm, body = _split(path, text)
    tz = zone(site.timezone)
    file_date, file_slug = (None, path.stem) if dateless else date_from_filename(path.stem, tz)
    slug = fm.scalar("slug") or file_slug
    published = _date(fm, tz, "date") or file_date
    if published is None:
        hint = (
            "a draft needs 'date: 2025-10-08 08:40:48 +0000' in its front matter "
            "(Jekyll would use the file's modification time, which no two checkouts share)"
            if dateless
            else "add 'date: 2025-10-08 08:40:48 +0000' to the front matter "
            "or name the file YYYY-MM-DD-slug.md"
        )
        raise PostError(path, f"no date: {hint}", fm.line_of("date"))
    found_author = fm.first("author", "authors")
    try:
        authors = parse_authors(found_author[1]) if found_author else ()
    except ValueError as error:
        assert found_author is not None
        raise fm.error(found_author[0], str(error)) from None
    return Post(
        path=path,
        title=collapse_whitespace(fm.scalar("title") or "") or _titleize(slug),
        date=published,
        updated=_date(fm, tz, "last_modified_at", "updated", "lastmod") or published,
        slug=slug,
        body=body,
        categories=tuple(dict.fromkeys(categories + _terms(fm, "category", "categories"))),
        tags=_terms(fm, "tag", "tags"),
        authors=authors,
        excerpt=fm.scalar("excerpt", "summary", "description"),
        permalink=(fm.scalar("permalink", "url") or "").strip() or None,
        id=_entry_id(fm),
        draft=fm.flag("published") is False or fm.flag("draft") is True,
        image=_image(fm),
        enclosure=_enclosure(fm),
        excerpt_only=fm.flag("excerpt_only") is True,
        front_matter=dict(fm.data),
        body_line=text.count("\n", 0, len(text) - len(body)) + 1,
    )


@dataclass(frozen=True)
class PostFile:
    """A post file to read: its key (path relative to where posts are read from) and how to read it.

    ``categories`` and ``dateless`` are as for :func:`parse_post`.
    """

    key: str
    path: Path
    categories: tuple[str, ...] = ()
    dateless: bool = False


def post_files(folder: Path | str) -> list[tuple[str, Path]]:
    """Post files under ``folder``, recursively, in sorted order, with their keys.

    A file's key is its path relative to ``folder``, with ``/`` between parts.
    Names starting with ``.`` or ``_`` (files or folders) are skipped, and so
    are symbolic links to folders.
    """
    return [(key, Path(location)) for key, location in post_file_locations(folder)]


def post_file_locations(folder: Path | str) -> list[tuple[str, str]]:
    """:func:`post_files`, with each path as text.

    A warm build of a large archive handles every file name but builds a
    :class:`~pathlib.Path` only for the few posts it writes: making one costs
    more than looking at the file.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError("posts folder not found", root)
    found: list[tuple[tuple[str, ...], str]] = []
    _scan(str(root), (), found)
    found.sort(key=lambda item: item[0])
    return [("/".join(parts), location) for parts, location in found]


def _scan(folder: str, parts: tuple[str, ...], found: list[tuple[tuple[str, ...], str]]) -> None:
    """Add the post files under ``folder`` to ``found``.

    os.scandir rather than rglob or os.walk: a warm build of a large archive
    is bound by listing and looking at files, and directory entries
    tell files from folders without a stat call each. Unreadable folders are
    skipped, as os.walk skips them.
    """
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError:
        return
    for entry in listed:
        name = entry.name
        if name.startswith(_HIDDEN):
            continue
        if entry.is_dir(follow_symlinks=False):
            _scan(entry.path, (*parts, name), found)
        elif name.lower().endswith(POST_SUFFIXES) and entry.is_file():
            # The name's extension (it does not start with a dot). A symbolic link
            # to a folder is neither (is_file follows links, as Path.is_file does).
            found.append(((*parts, name), entry.path))


def find_post_files(folder: Path | str) -> Iterator[Path]:
    """Post files under ``folder``, recursively, in sorted order.

    Names starting with ``.`` or ``_`` (files or folders) are skipped.
    """
    return iter([path for _, path in post_files(folder)])


def load_posts(
    folder: Path | str,
    site: Site,
    on_error: Callable[[PostError], None] | None = None,
) -> list[Post]:
    """Read every post under ``folder``.

    Without ``on_error``, any invalid post raises :class:`PostErrors` listing
    every invalid file. With it, each :class:`PostError` is passed to
    ``on_error`` and that post is left out.
    """
    posts: list[Post] = []
    errors: list[PostError] = []
    for path in find_post_files(folder):
        try:
            posts.append(load_post(path, site))
        except PostError as error:
            errors.append(error)
    raise_or_report(errors, on_error)
    return posts

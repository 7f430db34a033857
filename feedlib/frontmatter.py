"""Front matter: a post's text → its mapping of keys, its body, and the line each key is on.

Three ways of writing it, each a handler class in the manner of
python-frontmatter's (``detect``, ``split``, ``load``): YAML between ``---``
lines (read by python-frontmatter's YAML handler, with libyaml's safe loader
when PyYAML has it; flat front matter, a ``key: value`` a line, by
:mod:`feedlib.flatyaml` to the same values), and Hugo's TOML between ``+++`` lines and JSON object
at the top. A new way is one more class in :data:`HANDLERS`; nothing else
branches on them. The libraries are imported when a post is first read: a
build that takes every post from its cache needs none of them.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from .errors import PostError, clipped, shown
from .text import scalar_text, strip_xml_illegal
from .values import kind_of

__all__ = [
    "HANDLERS",
    "MAX_FRONT_MATTER_VALUES",
    "FrontMatter",
    "FrontMatterHandler",
    "JSONHandler",
    "TOMLHandler",
    "YAMLHandler",
    "post_body",
    "read_front_matter",
    "split_front_matter",
]

#: The values a front-matter scalar can have (YAML timestamps are dates or datetimes).
SCALARS = (str, int, float, bool, date, datetime)
#: The most values (keys, items and scalars) front matter may hold with its YAML aliases
#: expanded: far more than any post writes, far fewer than an alias bomb expands to.
MAX_FRONT_MATTER_VALUES = 100_000

_YAML_FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
_TOML_FENCE = re.compile(r"^\+{3}\s*$", re.MULTILINE)
# tomllib writes one space before these; a leading \s* would make a search quadratic on spaces.
_TOML_END = re.compile(r" \(at end of document\)")
_TOML_POSITION = re.compile(r" \(at line (\d+), column \d+\)")
# What PyYAML's safe constructors raise, without a position, on values such as
# "2025-01-01 25:00:00" or explicit tags with impossible values
# ("!!timestamp hello", "!!bool maybe").
_CONSTRUCTOR_ERRORS = (ValueError, OverflowError, TypeError, AttributeError, KeyError)


class FrontMatter:
    """The front matter of one file: its mapping, its body, and where each key is written."""

    def __init__(self, path: Path, data: Mapping[Any, Any], text: str, first_line: int, body: str) -> None:
        self.path = path
        self.data = data
        self.body = body
        self._lines = text.split("\n")
        self._first_line = first_line
        self._inherited: frozenset[Any] = frozenset()

    def merged(self, data: Mapping[Any, Any]) -> FrontMatter:
        """The same file's front matter, saying ``data`` (its own merged with defaults from elsewhere).

        An error about a key the file does not write names no line, and says where the value came from.
        """
        merged = copy.copy(self)
        merged.data = data
        merged._inherited = frozenset(key for key in data if key not in self.data)
        return merged

    def line_of(self, key: str) -> int | None:
        """The line of the file where ``key`` is written, if it can be found."""
        # YAML "key:", TOML "key =", JSON '"key":'.
        name = re.escape(key)
        pattern = re.compile(rf"(?:^|[{{,])\s*\"{name}\"\s*:|^(['\"]?){name}\1\s*[:=]")
        for number, line in enumerate(self._lines):
            if pattern.search(line):
                return self._first_line + number
        return None

    def error(self, key: str, message: str) -> PostError:
        """An error about ``key``, at its line."""
        if key in self._inherited:
            return PostError(self.path, f"{key} (from the site's defaults): {message}")
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
        """The first of ``keys`` present with a value that is not empty, and that value."""
        for key in keys:
            value = self.data.get(key)
            if value is not None and value != "":
                return key, value
        return None

    def scalar(self, *keys: str) -> str | None:
        """The first of ``keys`` present, as text; an error if it is a list or mapping."""
        found = self.first(*keys)
        if found is None:
            return None
        key, value = found
        if not isinstance(value, SCALARS):
            raise self.error(key, f"expected text, got a {kind_of(value)}")
        return scalar_text(value)

    def flag(self, key: str) -> bool | None:
        """``key`` as true or false (``None`` when absent); an error for any other value."""
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.error(key, f"expected true or false, got {shown(value)}")


class FrontMatterHandler:
    """One way of writing front matter: how to know it, where it ends, and how to read it."""

    #: How errors name the format ("YAML").
    name: ClassVar[str] = ""
    #: What the front matter must be, in a user's words, when it is not a mapping.
    mapping_words: ClassVar[str] = "a table of keys"

    def detect(self, text: str) -> bool:
        """Whether ``text`` starts with front matter of this kind."""
        raise NotImplementedError

    def split(self, path: Path, text: str) -> tuple[str, int, str]:
        """The front matter's text, the line it starts on, and the body (without reading the front matter)."""
        raise NotImplementedError

    def load(self, path: Path, fm_text: str, first_line: int) -> Any:
        """What the front matter says; :class:`PostError` naming the file and line if it cannot be read."""
        raise NotImplementedError


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


class _FencedHandler(FrontMatterHandler):
    """Front matter between two fence lines (``---`` or ``+++``)."""

    fence: ClassVar[re.Pattern[str]]
    delimiter: ClassVar[str]

    def detect(self, text: str) -> bool:
        """Whether ``text`` starts with this handler's fence line."""
        return self.fence.match(text) is not None

    def split(self, path: Path, text: str) -> tuple[str, int, str]:
        """The text between the fence lines, the line it starts on, and the body after them."""
        opening = self.fence.match(text)
        assert opening is not None
        closing = _next_fence(self.fence, self.delimiter[0], text, opening.end())
        if closing is None:
            raise PostError(path, f"front matter is not closed: add a '{self.delimiter}' line after it", 1)
        first_line = text.count("\n", 0, opening.end()) + 1
        return text[opening.end() : closing.start()], first_line, text[closing.end() :].lstrip("\n")


def _bad_value(fm_text: str) -> tuple[int, str, str] | None:
    """The 0-based line, key and value text of the first value PyYAML's constructors fail on."""
    import yaml

    for number, line in enumerate(fm_text.split("\n")):
        key, colon, value = line.partition(":")
        if not colon or not value.strip():
            continue
        try:
            yaml.safe_load(value)
        except _CONSTRUCTOR_ERRORS:
            return number, key.strip().strip("'\""), value.strip()
        except yaml.YAMLError:
            continue
    return None


def _constructor_problem(value: str, error: Exception) -> str:
    """What is wrong with a value PyYAML's constructors fail on, in a user's words.

    A ValueError says it ("hour must be in 0..23"); the others are PyYAML
    failing inside (``!!timestamp hello``: "'NoneType' object has no
    attribute 'groupdict'"), so the value and its tag are named instead.
    """
    if isinstance(error, ValueError | OverflowError):
        return f"cannot read its value: {clipped(str(error))}"
    tag = value.split(maxsplit=1)[0] if value.startswith("!") else None
    what = f"a valid {tag} value" if tag else "a value YAML can read"
    return f"{shown(value)} is not {what}"


class YAMLHandler(_FencedHandler):
    """YAML between ``---`` lines, read by python-frontmatter's YAML handler (libyaml's safe loader)."""

    name = "YAML"
    mapping_words = "a mapping of keys to values"
    fence = _YAML_FENCE
    delimiter = "---"

    def loader(self) -> Any:
        """The PyYAML loader class: python-frontmatter's (libyaml's safe loader when PyYAML has it)."""
        from frontmatter.default_handlers import SafeLoader

        return SafeLoader

    def load(self, path: Path, fm_text: str, first_line: int) -> Any:
        """The YAML's value (an empty document is an empty mapping); errors name the line.

        Flat front matter is read by :func:`feedlib.flatyaml.load_flat`, the rest by the loader.
        """
        from .flatyaml import load_flat

        loader = self.loader()
        flat = load_flat(fm_text, loader)
        if flat is not None:
            return flat
        import yaml
        from frontmatter.default_handlers import YAMLHandler as LibraryHandler

        try:
            data = LibraryHandler().load(fm_text, Loader=loader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = first_line + mark.line if mark is not None else None
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise PostError(path, f"invalid YAML front matter: {problem}", line) from None
        except _CONSTRUCTOR_ERRORS as error:
            found = _bad_value(fm_text)
            if found is None:
                message = clipped(str(error))
                raise PostError(path, f"cannot read a front-matter value: {message}", first_line) from None
            number, key, value = found
            problem = _constructor_problem(value, error)
            raise PostError(path, f"{key}: {problem}", first_line + number) from None
        return {} if data is None else data


class TOMLHandler(_FencedHandler):
    """Hugo's TOML between ``+++`` lines, read with the standard ``tomllib``."""

    name = "TOML"
    fence = _TOML_FENCE
    delimiter = "+++"

    def load(self, path: Path, fm_text: str, first_line: int) -> Any:
        """The TOML's table; errors name the line."""
        import tomllib

        try:
            return tomllib.loads(fm_text)
        except RecursionError:
            raise PostError(path, "TOML front matter nests too deeply", first_line) from None
        except tomllib.TOMLDecodeError as error:
            match = _TOML_POSITION.search(str(error))
            # "(at end of document)": the last line of the front matter.
            end = first_line + fm_text.rstrip("\n").count("\n")
            line = first_line + int(match.group(1)) - 1 if match else end
            problem = _TOML_END.sub("", _TOML_POSITION.sub("", str(error))).strip()
            raise PostError(path, f"invalid TOML front matter: {problem}", line) from None


class JSONHandler(FrontMatterHandler):
    """Hugo's JSON front matter: one object at the top of the file, then the body.

    The object ends where the JSON ends (found by the decoder), not at the
    first line holding ``}``: a one-line object works, and so does a ``}`` in a string.
    """

    name = "JSON"

    def detect(self, text: str) -> bool:
        """Whether ``text`` starts with an object."""
        return text.startswith("{")

    def split(self, path: Path, text: str) -> tuple[str, int, str]:
        """The object's text (it must be valid JSON), line 1, and the body after it."""
        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as error:
            raise PostError(path, f"invalid JSON front matter: {error.msg}", error.lineno) from None
        except RecursionError:
            raise PostError(path, "JSON front matter nests too deeply", 1) from None
        return text[:end], 1, text[end:].lstrip("\n")

    def load(self, path: Path, fm_text: str, first_line: int) -> Any:
        """The object's value (``split`` has decoded it once already: it is valid JSON)."""
        return json.loads(fm_text)


#: The ways of writing front matter feedlib reads, in the order they are tried.
HANDLERS: tuple[FrontMatterHandler, ...] = (YAMLHandler(), TOMLHandler(), JSONHandler())


def _handler(
    path: Path, text: str, handlers: tuple[FrontMatterHandler, ...] = HANDLERS
) -> FrontMatterHandler:
    for handler in handlers:
        if handler.detect(text):
            return handler
    raise PostError(
        path,
        "no front matter: a post starts with a '---' line, then YAML, then '---' "
        "(or TOML between '+++' lines, or a JSON object)",
        1,
    )


def _xml_safe(value: Any) -> Any:
    """``value`` with XML-illegal characters dropped from every string in it."""
    if isinstance(value, str):
        return strip_xml_illegal(value)
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    if isinstance(value, Mapping):
        return {_xml_safe(key): _xml_safe(item) for key, item in value.items()}
    return value


def _may_hold_xml_illegal(fm_text: str) -> bool:
    """Whether :func:`_xml_safe` could change what ``fm_text`` parses to; false for most posts.

    Why this is enough: ``fm_text`` is cut from text without XML-illegal
    characters (:func:`feedlib.posts.decode_post`). Every string that YAML,
    TOML or JSON reads from it is made of characters copied from the text, of
    spaces and line feeds (YAML's line folding), and of characters written as
    escapes; and every escape, in YAML's double-quoted strings, TOML's basic
    strings and JSON's strings, starts with a backslash. Without one, no
    string can hold an illegal character, and ``_xml_safe`` returns an equal
    copy of the data.

    A copy differs from the data only where YAML shares an object through an
    alias (``*name``): the copy shares nothing, and a list that contains
    itself makes ``_xml_safe`` fail with RecursionError. Text with a ``*``
    is copied as before, so neither changes. (tests/test_properties.py checks
    this on generated front matter.)
    """
    return "\\" in fm_text or "*" in fm_text


class _SelfContaining(Exception):
    """A value that contains itself (YAML: an alias inside its own anchor)."""


def _expanded_size(value: Any, sizes: dict[int, int], open_: set[int]) -> int:
    """How many values ``value`` holds once every alias is expanded, counted without expanding any.

    Each list or mapping is counted once (``sizes`` by id), however many
    aliases share it; one that is still being counted (``open_``) contains itself.
    """
    if not isinstance(value, list | Mapping):
        return 1
    known = sizes.get(id(value))
    if known is not None:
        return known
    if id(value) in open_:
        raise _SelfContaining
    open_.add(id(value))
    items = [*value.keys(), *value.values()] if isinstance(value, Mapping) else value
    total = 1 + sum(_expanded_size(item, sizes, open_) for item in items)
    open_.discard(id(value))
    sizes[id(value)] = total
    return total


def _cleaned(path: Path, data: Any, first_line: int) -> Any:
    """:func:`_xml_safe` of ``data``; :class:`PostError` for a value that contains itself or expands too far.

    A copy shares nothing, so YAML's aliases are expanded: a few hundred
    bytes of aliases of aliases (an "alias bomb") would expand to billions
    of values, here and in everything that reads the front matter after.
    """
    try:
        size = _expanded_size(data, {}, set())
        if size > MAX_FRONT_MATTER_VALUES:
            raise PostError(
                path,
                f"front matter holds over {MAX_FRONT_MATTER_VALUES:,} values once its aliases (*name) "
                "are expanded: write the values out, or share fewer",
                first_line,
            )
        return _xml_safe(data)
    except (RecursionError, _SelfContaining):
        # YAML lets an alias sit inside its own anchor (x: &a [*a]): no feed can show that.
        raise PostError(
            path,
            "front matter nests too deeply, or a value contains itself (an alias inside its anchor)",
            first_line,
        ) from None


def split_front_matter(
    path: Path, text: str, handlers: tuple[FrontMatterHandler, ...] = HANDLERS
) -> FrontMatter:
    """The front matter of a post's ``text`` (from :func:`feedlib.posts.decode_post`) and its body.

    ``handlers`` are the ways of writing it that are read (:data:`JEKYLL_HANDLERS`
    for a Jekyll site). Raises :class:`PostError` naming the file and line when
    there is none, it cannot be read, or it is not a mapping.
    """
    handler = _handler(path, text, handlers)
    fm_text, first_line, body = handler.split(path, text)
    data = handler.load(path, fm_text, first_line)
    if _may_hold_xml_illegal(fm_text):
        data = _cleaned(path, data, first_line)
    if not isinstance(data, Mapping):
        raise PostError(
            path, f"front matter must be {handler.mapping_words}, not a {kind_of(data)}", first_line
        )
    return FrontMatter(path, data, fm_text, first_line, body)


def read_front_matter(path: Path, text: str) -> Mapping[str, Any]:
    """The front matter of ``text`` (YAML, TOML or JSON) as a mapping; :class:`PostError` if unreadable."""
    return split_front_matter(path, text).data


def post_body(path: Path, text: str) -> str:
    """The Markdown body of the post ``text``, without reading its front matter."""
    return _handler(path, text).split(path, text)[2]

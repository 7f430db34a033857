"""Flat YAML front matter read without libyaml, to exactly the values the YAML loader gives.

Nearly every post's front matter is one ``key: value`` a line, where a value
is a plain, single-quoted or double-quoted scalar, or a one-line flow list of
them (``tags: [web, "python", 'yaml']``). :func:`load_flat` reads only that,
and returns ``None`` for anything else (block sequences, nested mappings,
anchors, aliases, tags, block scalars, scalars over several lines, flow
mappings, comments after a value, escapes, tabs, repeated keys, keys that are
not plain text…): the caller then reads the text with libyaml, which also says
what is wrong with text that is not valid YAML.

What a value means is not written here: a plain scalar's tag is found by the
loader's own implicit resolvers (its regular expressions, tried in the order
``BaseResolver.resolve`` tries them), and its value made by the loader's own
constructor for that tag. A loader with other resolvers or constructors (the
Psych one for a Jekyll site, :mod:`feedlib.psych`) gives its own values. Like
the date fast path in :mod:`feedlib.dates`, this only skips work: what it
reads, it reads as libyaml would (tests/test_flatyaml.py checks this on
generated front matter and on every post of the tests and the benchmark).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import BaseResolver

__all__ = ["load_flat"]

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# Any character that is not an ordinary printable one: tabs, carriage returns,
# YAML 1.1's other line breaks (NEL, LS, PS), the byte order mark, control
# characters, surrogates. libyaml treats some of them specially, or refuses them.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A key: plain text that starts a line, then ":" and a space or the line's end.
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")
# A one-line quoted scalar (double-quoted: without escapes).
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')
# The first character of a plain scalar: no indicator, or "-" before an ordinary character.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# One item of a flow list and what follows it: "," or the closing "]".
_FLOW_ITEM = re.compile(
    r""" *(?:'((?:[^']|'')*)'|"([^"\\]*)"|"""
    r"""((?:-(?=[^ ,\[\]{}#:?])|[^-?:,\[\]{}#&*!|>'"%@` ])[^,\[\]{}#:?]*?)) *([,\]])"""
)

# The constructor's methods a mapping of scalars and lists goes through (merge keys included).
_SAFE_METHODS = (
    "construct_object",
    "construct_scalar",
    "construct_sequence",
    "construct_mapping",
    "flatten_mapping",
)

Constructor = Callable[[Any, yaml.ScalarNode], Any]
# The safe loader's constructors of plain scalars: each value depends on the text alone, and cannot change.
_PURE: frozenset[Constructor] = frozenset(
    getattr(SafeConstructor, f"construct_yaml_{name}")
    for name in ("null", "bool", "int", "float", "str", "timestamp")
)
_KNOWN_MOST = 4096


class _Unread(Exception):
    """Text the fast path does not read: libyaml reads it instead."""


class _Reader:
    """One loader's resolvers and constructors, for plain scalars."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.constructor = loader("")
        self.constructor.dispose()
        # Plain scalars already read, when their constructor is the safe loader's own (a pure
        # function of the text, making immutable values): posts repeat "post", "7", "true", keys.
        self.known: dict[str, Any] = {}
        # Lines already read, to their key and value, when every value in them is known as above.
        self.lines: dict[str, tuple[str | None, Any]] = {}
        self.pure = True

    def tag(self, value: str) -> str:
        """The tag ``BaseResolver.resolve`` gives the plain scalar ``value``."""
        resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = self.loader.yaml_implicit_resolvers
        for first in (value[:1], None):
            for tag, pattern in resolvers.get(first, ()):
                if pattern.match(value):
                    return str(tag)
        return _STR

    def plain(self, value: str) -> Any:
        """The value of the plain scalar ``value``, made by the loader's constructor for its tag."""
        known = self.known.get(value, self)
        if known is not self:
            return known
        tag = self.tag(value)
        construct: Constructor | None = self.loader.yaml_constructors.get(tag)
        if construct is None:
            raise _Unread
        try:
            found = value if tag == _STR else construct(self.constructor, yaml.ScalarNode(tag, value))
        except Exception:  # The loader's error, with its line, comes from libyaml.
            raise _Unread from None
        if construct not in _PURE:
            self.pure = False
        else:
            if len(self.known) >= _KNOWN_MOST:
                self.known.clear()
            self.known[value] = found
        return found


def _is_safe(loader: Any) -> bool:
    """Whether ``loader`` resolves tags and makes strings, lists and mappings as the safe loader does."""
    constructors = loader.yaml_constructors
    return (
        not getattr(loader, "yaml_path_resolvers", None)
        and constructors.get(_STR) is SafeConstructor.construct_yaml_str
        and constructors.get(_SEQ) is SafeConstructor.construct_yaml_seq
        and constructors.get(_MAP) is SafeConstructor.construct_yaml_map
        and getattr(loader, "DEFAULT_SCALAR_TAG", None) == _STR
        and getattr(loader, "resolve", None) is BaseResolver.resolve
        and all(getattr(loader, name, None) is getattr(SafeConstructor, name) for name in _SAFE_METHODS)
    )


@functools.cache
def _reader(loader: Any) -> _Reader | None:
    """The reader for ``loader``; ``None`` for a loader whose collections or strings are its own."""
    return _Reader(loader) if _is_safe(loader) else None


def _plain_scalar(text: str) -> bool:
    """Whether ``text`` (stripped of spaces, not empty) is one plain scalar, in a block mapping's value."""
    first = text[0]
    if first in _INDICATORS and (first != "-" or len(text) == 1 or text[1] in " ,[]{}#:?"):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":")


def _flow_list(reader: _Reader, text: str) -> list[Any]:
    """The items of the one-line flow list ``text`` (from its ``[`` to its ``]``)."""
    if text[1:].strip(" ") == "]":
        return []
    items: list[Any] = []
    at = 1
    while True:
        match = _FLOW_ITEM.match(text, at)
        if match is None:
            raise _Unread
        single, double, plain, end = match.groups()
        if single is not None:
            items.append(single.replace("''", "'"))
        elif double is not None:
            items.append(double)
        else:
            items.append(reader.plain(plain))
        at = match.end()
        if end == "]":
            break
    if at != len(text):
        raise _Unread
    return items


def _value(reader: _Reader, text: str) -> Any:
    """The value written ``text`` after a key (stripped of spaces)."""
    first = text[:1]
    if first == "[":
        return _flow_list(reader, text)
    if first in ("'", '"'):
        match = (_SINGLE if first == "'" else _DOUBLE).fullmatch(text)
        if match is None:
            raise _Unread
        return match.group(1).replace("''", "'") if first == "'" else match.group(1)
    if text and not _plain_scalar(text):
        raise _Unread
    return reader.plain(text)


class _Items(tuple[Any, ...]):
    """A flow list's items, kept for a line read before: each use is a new list."""


def _line(reader: _Reader, line: str) -> tuple[str | None, Any]:
    """The key and value of one line (no key for a blank line or a comment); remembered when pure."""
    stripped = line.strip(" ")
    if not stripped or stripped[0] == "#":
        return None, None
    key, colon, rest = line.partition(":")
    if not colon or rest[:1] not in ("", " ") or _KEY.fullmatch(key) is None:
        raise _Unread
    reader.pure = True
    if type(reader.plain(key)) is not str:
        raise _Unread
    value = _value(reader, rest.strip(" "))
    if reader.pure:
        if len(reader.lines) >= _KNOWN_MOST:
            reader.lines.clear()
        reader.lines[line] = (key, _Items(value) if type(value) is list else value)
    return key, value


def _mapping(reader: _Reader, fm_text: str) -> dict[Any, Any]:
    """The mapping of ``fm_text``, a line each key; :class:`_Unread` for anything else."""
    data: dict[Any, Any] = {}
    lines = reader.lines
    for line in fm_text.split("\n"):
        known = lines.get(line)
        if known is None:
            key, value = _line(reader, line)
        else:
            key, value = known
            if type(value) is _Items:
                value = list(value)
        if key is None:
            continue
        if key in data:
            raise _Unread
        data[key] = value
    if not data:
        raise _Unread
    return data


def load_flat(fm_text: str, loader: Any) -> dict[Any, Any] | None:
    """What ``yaml.load(fm_text, Loader=loader)`` gives, if ``fm_text`` is flat front matter; else ``None``.

    Never raises for text the loader would refuse: that is ``None`` too, and
    the loader says what is wrong.
    """
    if _UNUSUAL.search(fm_text) is not None:
        return None
    reader = _reader(loader)
    if reader is None:
        return None
    try:
        return _mapping(reader, fm_text)
    except _Unread:
        return None

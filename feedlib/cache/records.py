"""Cache records: the model's records as JSON lists, their shapes taken from the classes' fields.

A record is a list of its fields' values in the order the class declares
them: a new field of :class:`~feedlib.model.Entry` or
:class:`~feedlib.model.PostRecord` is stored and read back with no change
here. Lists rather than objects, because a warm build decodes one index record
per post file and ``json.loads`` is bound by the number of tokens. Every
value read back is checked against the field's type; anything else raises
:class:`Invalid`, and the caller reads the post again.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from ..errors import FeedlibError

__all__ = ["Invalid", "RecordCodec"]

_T = TypeVar("_T")
_Convert = Callable[[Any], Any]


class Invalid(ValueError):
    """A cache record that does not have the shape this version writes."""


class _NotStorable(Exception):
    """A value this cache cannot write down (a time zone without a name); the record is not kept."""


# --- times ---------------------------------------------------------------------
# A time as [iso time with offset], or [local iso time, fold, zone name]: a zone
# name, not only an offset, since the same wall time in Asia/Tokyo and in
# "+09:00" can print differently, and a feed must come out byte for byte.


def _encode_time(moment: datetime) -> list[Any]:
    if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key:
        return [moment.replace(tzinfo=None).isoformat(), moment.fold, moment.tzinfo.key]
    if type(moment.tzinfo) is timezone:
        return [moment.isoformat()]
    raise _NotStorable(f"cannot record the time zone of {moment!r}")


def _decode_time(value: object) -> datetime:
    parts = _list(value)
    try:
        if len(parts) == 3:
            local, fold, name = parts
            if fold not in (0, 1) or isinstance(fold, bool):
                raise Invalid("fold must be 0 or 1")
            moment = datetime.fromisoformat(_text(local))
            if moment.tzinfo is not None:
                raise Invalid("a local time carries no offset")
            return moment.replace(tzinfo=ZoneInfo(_text(name)), fold=fold)
        if len(parts) != 1:
            raise Invalid("a time is one or three items")
        moment = datetime.fromisoformat(_text(parts[0]))
    except (ValueError, KeyError) as error:  # ZoneInfoNotFoundError is a KeyError.
        raise Invalid(f"not a time: {error}") from None
    if moment.utcoffset() is None:
        raise Invalid("a time without an offset")
    return moment


# --- plain values ------------------------------------------------------------------


def _list(value: object) -> list[Any]:
    if type(value) is not list:
        raise Invalid("expected a list")
    return value


def _text(value: object) -> str:
    if type(value) is not str:
        raise Invalid(f"expected a string, got {type(value).__name__}")
    return value


def _integer(value: object) -> int:
    if type(value) is not int:
        raise Invalid(f"expected a whole number, got {type(value).__name__}")
    return value


def _flag(value: object) -> bool:
    if type(value) is not bool:
        raise Invalid("expected true or false")
    return value


# A warm build decodes one record per post, and most posts share their authors,
# categories and tags: each distinct list is checked and built once per process.
_SHARED: dict[tuple[object, ...], Any] = {}
_SHARED_MAX = 4096


def _frozen(item: object) -> object:
    return tuple(map(_frozen, item)) if type(item) is list else item


def _shared_tuple(item: _Convert) -> _Convert:
    """A decoder of lists of ``item``: each distinct list is checked and built once (see _SHARED)."""
    # Lists of strings (terms), the commonest, are keys as they are; others are frozen first.
    freeze = tuple if item is _text else _frozen

    def decode(value: object) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Invalid("expected a list")
        if not value:
            return ()
        try:
            key = (item, freeze(value))
            return _SHARED[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        except TypeError:  # Something unhashable in it: not a shape this cache writes.
            raise Invalid("unexpected items") from None
        decoded = tuple(map(item, value))
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        _SHARED[key] = decoded
        return decoded

    return decode


# --- converters from types ------------------------------------------------------------


def _optional(convert: _Convert) -> _Convert:
    return lambda value: None if value is None else convert(value)


def _type_parts(kind: Any) -> tuple[Any, tuple[Any, ...]]:
    return get_origin(kind), get_args(kind)


def _is_optional(kind: Any) -> Any:
    """The other type of ``X | None``, or ``None`` when ``kind`` is not one."""
    origin, args = _type_parts(kind)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return next(arg for arg in args if arg is not type(None))
    return None


@functools.cache
def _decoder(kind: Any) -> _Convert:
    inner = _is_optional(kind)
    if inner is not None:
        return _optional(_decoder(inner))
    simple = {str: _text, int: _integer, bool: _flag, datetime: _decode_time}
    if kind in simple:
        return simple[kind]
    origin, args = _type_parts(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _shared_tuple(_decoder(args[0]))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return RecordCodec(kind).decode
    raise TypeError(f"the cache cannot store {kind!r}")


@functools.cache
def _encoder(kind: Any) -> _Convert:
    inner = _is_optional(kind)
    if inner is not None:
        encode = _encoder(inner)
        return lambda value: None if value is None else encode(value)
    if kind in (str, int, bool):
        return lambda value: value
    if kind is datetime:
        return _encode_time
    origin, args = _type_parts(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _encoder(args[0])
        return lambda value: [item(each) for each in value]
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return RecordCodec(kind).encode
    raise TypeError(f"the cache cannot store {kind!r}")


def _field_types(cls: type) -> list[tuple[str, Any]]:
    """The fields of a dataclass or named tuple, in order, with their types."""
    hints = get_type_hints(cls)
    names: Sequence[str]
    if dataclasses.is_dataclass(cls):
        names = [field.name for field in dataclasses.fields(cls)]
    else:
        names = cls._fields  # type: ignore[attr-defined]
    return [(name, hints[name]) for name in names]


# Checks written inline into a record's decoder (see RecordCodec._compile) for the commonest
# types: a warm build decodes one record per post, and a call per field would be most of it.
_INLINE_CHECKS = {
    str: "type({v}) is not str",
    int: "type({v}) is not int",
    bool: "type({v}) is not bool",
    str | None: "{v} is not None and type({v}) is not str",
}


class RecordCodec:
    """Encodes instances of a dataclass or named tuple as JSON lists, and checks and decodes them.

    Every field is stored but those ``given`` (passed to :meth:`decode`: the
    file a record belongs to, an entry's source path) and those ``transient``
    (left to their defaults, which must come last: the whole post a record
    was read from). A field named in ``same_as`` is stored as null when it
    equals the field named there (a post's id, which is nearly always its URL).
    """

    def __init__(
        self,
        cls: type,
        given: Sequence[str] = (),
        transient: Sequence[str] = (),
        same_as: Mapping[str, str] | None = None,
    ) -> None:
        self.cls = cls
        fields = _field_types(cls)
        stored = [(name, kind) for name, kind in fields if name not in given and name not in transient]
        self.names = [name for name, _ in stored]
        self._encoders = [_encoder(kind) for _, kind in stored]
        self._same_as = dict(same_as or {})
        self.decode = self._compile(fields, stored, given)

    def _compile(
        self, fields: Sequence[tuple[str, Any]], stored: Sequence[tuple[str, Any]], given: Sequence[str]
    ) -> Callable[..., Any]:
        """A decoder made for this class, as dataclasses make ``__init__``: checks inline, one call."""
        names = [f"v{index}" for index in range(len(stored))]
        namespace: dict[str, Any] = {
            "cls": self.cls,
            "Invalid": Invalid,
            "_list": _list,
            "FeedlibError": FeedlibError,
        }
        body = [
            "items = _list(value)",
            f"if len(items) != {len(stored)}:",
            f"    raise Invalid('a {self.cls.__name__} record has {len(stored)} items, not %d' % len(items))",
            f"{', '.join(names)}{',' if len(names) == 1 else ''} = items",
        ]
        for variable, (name, kind) in zip(names, stored, strict=True):
            check = _INLINE_CHECKS.get(kind | None if name in self._same_as else kind)
            if check is not None:
                namespace[f"wrong_{variable}"] = f"{name}: expected {kind}"
                body += [f"if {check.format(v=variable)}:", f"    raise Invalid(wrong_{variable})"]
            else:
                namespace[f"decode_{variable}"] = _decoder(kind)
                body.append(f"{variable} = decode_{variable}({variable})")
        for name, other in self._same_as.items():
            variable, source = names[self.names.index(name)], names[self.names.index(other)]
            body += [f"if {variable} is None:", f"    {variable} = {source}"]
        arguments = [names[self.names.index(name)] if name in self.names else name for name, _ in fields]
        while arguments and arguments[-1] not in names and arguments[-1] not in given:
            arguments.pop()  # Transient fields at the end take their defaults.
        # A record that checks its fields when made (an Author, an Image) may refuse them.
        body += [
            "try:",
            f"    return cls({', '.join(arguments)})",
            "except (FeedlibError, ValueError) as error:",
            f"    raise Invalid('not a {self.cls.__name__}: %s' % error) from None",
        ]
        parameters = ", ".join(["value", *(f"{name}" for name in given)])
        source = f"def decode({parameters}):\n" + "".join(f"    {line}\n" for line in body)
        exec(source, namespace)  # A decoder generated from the class's own fields.
        decode: Callable[..., Any] = namespace["decode"]
        decode.__doc__ = (
            f"The {self.cls.__name__} a stored record stands for; :class:`Invalid` if it is not one."
        )
        return decode

    def encode(self, value: Any) -> list[Any]:
        """``value``'s stored fields, in order; :class:`_NotStorable` when one cannot be written."""
        encoded = []
        for name, encode in zip(self.names, self._encoders, strict=True):
            field = getattr(value, name)
            other = self._same_as.get(name)
            encoded.append(None if other is not None and field == getattr(value, other) else encode(field))
        return encoded

    def try_encode(self, value: Any) -> list[Any] | None:
        """:meth:`encode`, or ``None`` when a value cannot be written down (the record is then not kept)."""
        try:
            return self.encode(value)
        except _NotStorable:
            return None

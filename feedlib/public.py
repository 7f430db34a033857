"""The library's public functions as a program calls them: every argument checked against its annotation.

``feedlib.X`` is the function of its stage wrapped by :func:`checked`: a
value of the wrong type or shape (text where a list of formats is wanted, a
naive datetime, a record whose fields are not what the model says) raises a
:class:`~feedlib.errors.ConfigError` naming the function and the argument,
before anything runs. The pipeline's own modules call each other directly,
without these checks: a build passes only values it made.

:func:`readable_annotations` replaces the strings ``from __future__ import
annotations`` leaves in signatures with the types they name, so that
``help(feedlib.render_feed)`` shows ``site: feedlib.model.Site``.
"""

import dataclasses
import functools
import inspect
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import PurePath
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from .errors import ConfigError
from .values import check_type, describe_type, fits, kind_of

__all__ = ["checked", "readable_annotations"]

_F = TypeVar("_F", bound=Callable[..., Any])

# Names modules import only for type checking, and where they are.
_TYPE_CHECKING_NAMES = {
    "BuildOptions": "feedlib.config",
    "Config": "feedlib.config",
    "LiquidSettings": "feedlib.config",
    "PostRenderer": "feedlib.jekyll.liquid",
    "FeedPreview": "feedlib.preview",
    "Progress": "feedlib.entries",
}


class _Names(Mapping[str, Any]):
    """The names modules import only for type checking, from their modules if already imported.

    Never imports: a name from a module not loaded yet (python-liquid's, for
    one) stays unresolved, and its argument unchecked, rather than slow
    every program down.
    """

    def __getitem__(self, name: str) -> Any:
        module = sys.modules.get(_TYPE_CHECKING_NAMES.get(name, ""))
        if module is None or not hasattr(module, name):
            raise KeyError(name)
        return getattr(module, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_TYPE_CHECKING_NAMES)

    def __len__(self) -> int:
        return len(_TYPE_CHECKING_NAMES)


def _resolved(annotation: Any, namespace: Mapping[str, Any]) -> Any:
    """The type an annotation names (``Any`` when it names nothing this process can find)."""
    if not isinstance(annotation, str):
        return annotation
    try:
        return eval(annotation, dict(namespace), _Names())  # An annotation of feedlib's own code.
    except Exception:
        return Any


@functools.cache
def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    namespace = getattr(function, "__globals__", {})
    return {name: _resolved(kind, namespace) for name, kind in function.__annotations__.items()}


def _wants_iterable(kind: Any) -> bool:
    """Whether ``kind`` (or a member of its union) is an ``Iterable`` that is not a ``Sequence``."""
    if get_origin(kind) in (Union, types.UnionType):
        return any(map(_wants_iterable, get_args(kind)))
    return Iterable in (get_origin(kind), kind)


def _mentions_path(kind: Any) -> bool:
    if get_origin(kind) in (Union, types.UnionType):
        return any(map(_mentions_path, get_args(kind)))
    return isinstance(kind, type) and issubclass(kind, PurePath)


_CLASS_HINTS: dict[type, dict[str, Any]] = {}


def _class_hints(cls: type) -> dict[str, Any]:
    """The types of a record's fields (none when its annotations cannot be resolved here)."""
    if cls not in _CLASS_HINTS:
        try:
            _CLASS_HINTS[cls] = get_type_hints(cls)
        except Exception:
            _CLASS_HINTS[cls] = {}
    return _CLASS_HINTS[cls]


def _record_problem(value: object, key: str, depth: int = 0) -> str | None:
    """What is wrong inside ``value`` (a model record, or a list of them), if anything."""
    if depth > 4:
        return None
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        for index, item in enumerate(value):
            problem = _record_problem(item, f"{key}[{index}]", depth + 1)
            if problem:
                return problem
        return None
    if hasattr(type(value), "_fields") or dataclasses.is_dataclass(value):
        for name, kind in _class_hints(type(value)).items():
            if name.startswith("_") or not hasattr(value, name):
                continue
            item = getattr(value, name)
            if not fits(item, kind):
                return f"{key}.{name} must be {describe_type(kind)}, got {_shown(item)}"
            problem = _record_problem(item, f"{key}.{name}", depth + 1)
            if problem:
                return problem
    return None


def _shown(value: object) -> str:
    try:
        text = repr(value)
    except Exception:
        text = ""
    return text if text and len(text) <= 80 else f"a {kind_of(value)}"


def _argument(where: str, name: str, value: object, kind: Any) -> object:
    """``value`` checked (and converted where plain) as argument ``name`` of type ``kind``."""
    key = f"{where}: {name}"
    if _wants_iterable(kind) and isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        value = list(value)  # An iterator is read once: the function gets what was checked.
    if _mentions_path(kind) and isinstance(value, str | PurePath) and "\0" in str(value):
        raise ConfigError(f"{key} must be a path without NUL characters, got {_shown(value)}")
    try:
        value = check_type(value, kind, key)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    problem = _record_problem(value, key)
    if problem:
        raise ConfigError(problem)
    return value


def checked(function: _F, where: str | None = None) -> _F:
    """``function``, checking each argument against its annotation first (:class:`ConfigError` if wrong).

    ``where`` names it in messages (default: its name).
    """
    signature = inspect.signature(function)
    name = where or function.__name__

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            raise ConfigError(f"{name}: {error}") from None
        hints = _hints(function)
        for parameter, value in list(bound.arguments.items()):
            kind = hints.get(parameter, Any)
            if signature.parameters[parameter].kind is inspect.Parameter.VAR_KEYWORD:
                continue
            bound.arguments[parameter] = _argument(name, parameter, value, kind)
        return function(*bound.args, **bound.kwargs)

    return call  # type: ignore[return-value]


def readable_annotations(*objects: object) -> None:
    """Replace string annotations of these functions and classes' ``__init__`` with the types they name.

    An annotation naming something this process cannot find is left as it is.
    """
    for obj in objects:
        target = inspect.unwrap(obj.__init__ if isinstance(obj, type) else obj)  # type: ignore[misc,arg-type]
        annotations = getattr(target, "__annotations__", None)
        if not isinstance(annotations, dict) or not any(isinstance(a, str) for a in annotations.values()):
            continue
        namespace = getattr(target, "__globals__", {})
        for name, annotation in list(annotations.items()):
            resolved = _resolved(annotation, namespace)
            if resolved is not Any or annotation == "Any":
                annotations[name] = resolved

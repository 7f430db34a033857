"""kramdown's options as a Jekyll site writes them (``_config.yml``'s ``kramdown:``) → :class:`Kramdown`.

Jekyll deep-merges the site's ``kramdown:`` over its own defaults (input GFM,
auto ids, smart quotes ``lsquo,rsquo,ldquo,rdquo``) and takes the highlighter
from ``kramdown.syntax_highlighter``, else the top-level ``highlighter``, else
Rouge. Options that change only markup, not what a reader reads or where
links go (``entity_output``, ``syntax_highlighter_opts``, ``guess_lang``,
``show_warnings``, …), are accepted and have no effect.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Mapping
from dataclasses import replace

from ..model import Kramdown

__all__ = ["HONOURED", "kramdown_options"]

#: The ``kramdown:`` options that change what feedlib renders.
HONOURED = (
    "input",
    "auto_ids",
    "auto_id_prefix",
    "toc_levels",
    "smart_quotes",
    "typographic_symbols",
    "hard_wrap",
    "footnote_nr",
    "parse_block_html",
    "math_engine",
    "syntax_highlighter",
)
_INPUTS = {"gfm": "GFM", "kramdown": "kramdown"}
_NO_HIGHLIGHTER = {"none", "null", "nil", "false", ""}
_SYMBOL_NAMES = frozenset({"hellip", "mdash", "ndash", "laquo", "raquo", "laquo_space", "raquo_space"})


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"kramdown.{name}: expected true or false, got {value!r}")
    return value


def _toc_levels(value: object) -> tuple[int, ...]:
    """``1..6``, ``2,3`` or a list of levels, as kramdown reads them."""
    if isinstance(value, str):
        text = value.strip()
        if match := re.fullmatch(r"(\d)\.\.(\d)", text):
            return tuple(range(int(match[1]), int(match[2]) + 1))
        if re.fullmatch(r"\d(?:,\d)*", text):
            return tuple(dict.fromkeys(int(level) for level in text.split(",")))
    elif isinstance(value, list) and all(isinstance(level, int | str) for level in value):
        try:
            return tuple(dict.fromkeys(int(level) for level in value))
        except ValueError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    raise ValueError(f"kramdown.toc_levels: expected levels such as 1..6 or 2,3, got {value!r}")


def _character(name: str) -> str | None:
    """The character of an HTML entity name (``lsquo``) or a code point (``8216``)."""
    if name.isdigit():
        try:
            return chr(int(name))
        except (ValueError, OverflowError):
            return None
    return html.entities.html5.get(f"{name};")


def _smart_quotes(value: object) -> tuple[str, str, str, str]:
    items: list[object] = []
    if isinstance(value, str):
        items = list(value.split(","))
    elif isinstance(value, list):
        items = value
    characters = [_character(str(item).strip()) for item in items]
    if len(characters) != 4 or any(character is None for character in characters):
        raise ValueError(
            "kramdown.smart_quotes: expected four entity names or code points, "
            f"such as lsquo,rsquo,ldquo,rdquo; got {value!r}"
        )
    left_single, right_single, left_double, right_double = (str(c) for c in characters)
    return left_single, right_single, left_double, right_double


def _symbols(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping) or not all(
        str(key) in _SYMBOL_NAMES and isinstance(text, str) for key, text in value.items()
    ):
        raise ValueError(
            "kramdown.typographic_symbols: expected a mapping of "
            f"{', '.join(sorted(_SYMBOL_NAMES))} to text, got {value!r}"
        )
    return tuple(sorted((str(key), text) for key, text in value.items()))


def _highlighter(settings: Mapping[str, object], highlighter: object) -> str | None:
    value = settings.get("syntax_highlighter", highlighter)
    if value is None:
        value = highlighter if highlighter is not None else "rouge"
    return None if str(value).strip().lower() in _NO_HIGHLIGHTER else str(value)


def kramdown_options(settings: Mapping[str, object] | None, highlighter: object = "rouge") -> Kramdown:
    """The :class:`Kramdown` options of a Jekyll site: its ``kramdown:`` mapping over Jekyll's defaults.

    ``highlighter`` is the site's top-level ``highlighter``. Raises
    :class:`ValueError` naming the option for a value kramdown would refuse.
    """
    settings = settings or {}
    options = Kramdown(highlighter=_highlighter(settings, highlighter))
    changes: dict[str, object] = {}
    if "input" in settings:
        name = str(settings["input"])
        if name.lower() not in _INPUTS:
            raise ValueError(f"kramdown.input: feedlib reads GFM or kramdown, got {name!r}")
        changes["input"] = _INPUTS[name.lower()]
    for name in ("auto_ids", "hard_wrap", "parse_block_html"):
        if name in settings:
            changes[name] = _flag(name, settings[name])
    if settings.get("auto_id_prefix") is not None:
        changes["auto_id_prefix"] = str(settings["auto_id_prefix"])
    if "toc_levels" in settings:
        changes["toc_levels"] = _toc_levels(settings["toc_levels"])
    if "smart_quotes" in settings:
        changes["smart_quotes"] = _smart_quotes(settings["smart_quotes"])
    if "typographic_symbols" in settings:
        changes["typographic_symbols"] = _symbols(settings["typographic_symbols"])
    if "footnote_nr" in settings:
        number = settings["footnote_nr"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise ValueError(f"kramdown.footnote_nr: expected a whole number, got {number!r}")
        changes["footnote_nr"] = number
    if "math_engine" in settings:
        engine = settings["math_engine"]
        changes["math"] = engine is not None and str(engine).strip().lower() not in _NO_HIGHLIGHTER
    return replace(options, **changes)  # type: ignore[arg-type]

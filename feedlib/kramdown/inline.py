r"""The span syntax of kramdown for Python-Markdown: typography, ``[[…]]`` references, GFM spans, math.

Each is an inline processor registered by :class:`feedlib.kramdown.markdown.KramdownExtension`:

- smart quotes, dashes and ellipses where kramdown writes them
  (:mod:`feedlib.kramdown.typography`), and guillemets for ``<<``/``>>``
  before Python-Markdown takes ``<quoted>`` for an HTML tag;
- a reference link whose reference is not defined is text, and the search
  goes on inside it: ``[[Feature #123]]`` is ``[``, the link
  ``[Feature #123]``, ``]``, as kramdown reads it (Python-Markdown skipped the
  whole bracket);
- GFM: ``~~struck~~``, and a backslash at the end of a line as a line break;
- ``$$…$$`` as MathJax's delimiters, ``\(…\)``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

from markdown.inlinepatterns import (
    InlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    SimpleTagInlineProcessor,
)
from markdown.util import AtomicString

from .typography import TRIGGERS, symbol, typeset

if TYPE_CHECKING:
    from markdown import Markdown

    from ..model import Kramdown

__all__ = ["KRAMDOWN_ESCAPES", "register_inline"]

_ATTRIBUTE_LIST = re.compile(r"(\{:[^}\n]*\}|\{[#.][^}\n]*\})")
#: Characters a backslash escapes in kramdown beyond Python-Markdown's (GFM adds ``~``).
KRAMDOWN_ESCAPES = ("<", ":", "|", '"', "'", "$", "=")


class _Typography(InlineProcessor):
    """Smart quotes, ``---``, ``--`` and ``...``, as kramdown writes them.

    The last inline pattern: it takes each run of text between the spans the
    others made (code, links, emphasis …), whole, so a run is typeset in one go.
    """

    def __init__(self, options: Kramdown) -> None:
        super().__init__(r"[^\x02\x03]+")
        self.quotes = options.smart_quotes
        self.symbols = dict(options.typographic_symbols)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str | None, int | None, int | None]:
        run = m.group()
        if TRIGGERS.search(run) is None:
            return None, None, None
        # Attribute lists ({: key="value"}, {#id}) are read after the text: their quotes stay.
        pieces = _ATTRIBUTE_LIST.split(run)
        for index in range(0, len(pieces), 2):
            pieces[index] = typeset(pieces[index], self.quotes, self.symbols)
        return "".join(pieces), m.start(), m.end()


class _Guillemets(InlineProcessor):
    """``<<`` and ``>>`` (with their spaces) as guillemets, before they can be read as HTML."""

    def __init__(self, options: Kramdown) -> None:
        super().__init__(r"<< | >>|<<|>>")
        self.symbols = dict(options.typographic_symbols)

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        return symbol(m.group(), self.symbols), m.start(), m.end()


def _undefined_is_text(
    element: etree.Element | str | None, start: int | None, end: int | None
) -> tuple[etree.Element | None, int | None, int | None]:
    """No match at all (so the search goes on at the next bracket) where the reference is undefined."""
    if element is None or isinstance(element, str):
        return None, None, None
    return element, start, end


class _Reference(ReferenceInlineProcessor):
    """``[text][id]``; an undefined ``id`` leaves the brackets as text and the search goes on inside."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        return _undefined_is_text(*super().handleMatch(m, data))


class _ShortReference(ShortReferenceInlineProcessor):
    """``[id]``, with :class:`_Reference`'s rule for an undefined ``id``."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        return _undefined_is_text(*super().handleMatch(m, data))


class _ShortImageReference(ShortImageReferenceInlineProcessor):
    """``![id]``, with :class:`_Reference`'s rule for an undefined ``id``."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        return _undefined_is_text(*super().handleMatch(m, data))


class _LineBreak(InlineProcessor):
    """GFM: a backslash at the end of a line breaks it."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        element = etree.Element("br")
        element.tail = "\n"
        return element, m.start(), m.end()


class _InlineMath(InlineProcessor):
    r"""``$$a^2$$`` in a line: MathJax's ``\(a^2\)`` (or ``$a^2$`` with no math engine)."""

    def __init__(self, options: Kramdown) -> None:
        super().__init__(r"\$\$(.+?)\$\$", None)
        self.math = options.math

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        body = m.group(1)
        return AtomicString(f"\\({body}\\)" if self.math else f"${body}$"), m.start(), m.end()


def register_inline(md: Markdown, options: Kramdown) -> None:
    """Register kramdown's span syntax on ``md`` (which has Python-Markdown's own)."""
    escapes = (*KRAMDOWN_ESCAPES, "~") if options.gfm else KRAMDOWN_ESCAPES
    md.ESCAPED_CHARS.extend(char for char in escapes if char not in md.ESCAPED_CHARS)
    patterns = md.inlinePatterns
    patterns.register(_InlineMath(options), "kramdown_math", 185)
    patterns.register(_Reference(patterns["reference"].pattern, md), "reference", 170)
    patterns.register(_ShortReference(patterns["short_reference"].pattern, md), "short_reference", 130)
    patterns.register(_ShortImageReference(patterns["short_image_ref"].pattern, md), "short_image_ref", 125)
    patterns.register(_Guillemets(options), "kramdown_guillemets", 95)
    patterns.register(_Typography(options), "kramdown_typography", 1)
    if options.gfm and not options.hard_wrap:
        patterns.register(_LineBreak(r"\\\n"), "gfm_line_break", 175)
    if options.gfm:
        patterns.register(
            SimpleTagInlineProcessor(r"(~~)(?!\s|~)(.+?)(?<=[^\s~])~~", "del"), "gfm_strikethrough", 68
        )

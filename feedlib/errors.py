"""The exceptions feedlib raises: one hierarchy rooted at :class:`FeedlibError`.

Every message a user sees names the file it is about, and the line where the
input format gives one, in the form ``PATH[:LINE]: message``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = [
    "QUOTE_MAX",
    "ConfigError",
    "FeedlibError",
    "LockTimeout",
    "PostChanged",
    "PostError",
    "PostErrors",
    "PublishError",
    "clipped",
    "printable",
    "raise_or_report",
    "shown",
]

#: The most characters of a value a message quotes: one problem stays one short line.
QUOTE_MAX = 80

# What would break a message's one line or reach the terminal as a command: C0 and C1
# controls but tab, lone surrogates (a file name that is not UTF-8, decoded by the file
# system's codec), the Unicode line and paragraph separators, and bidirectional overrides.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # A byte of a file name that is not UTF-8 (surrogateescape).
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""``text`` with every character that could break its line or drive a terminal written as an escape.

    A file name holding a newline or an escape sequence stays one line, and a
    name that is not UTF-8 shows its bytes (``caf\xe9.md``).

    >>> printable("new\nline \x1b[31mred caf\udce9")
    'new\\nline \\x1b[31mred caf\\xe9'
    """
    return _UNPRINTABLE.sub(_escape, text)


def shown(value: object) -> str:
    """``value`` as a message quotes it: its ``repr``, cut after :data:`QUOTE_MAX` characters.

    Every message that quotes a value from a post or a setting quotes it
    through this, so that a 50,000-character value is an error line, not a page.
    """
    return clipped(repr(value))


def clipped(text: str, limit: int = QUOTE_MAX) -> str:
    """``text`` cut after ``limit`` characters (a library's message, which may quote a value whole)."""
    return text if len(text) <= limit else text[:limit] + "…"


class FeedlibError(Exception):
    """Base class of every error feedlib raises on purpose."""


def _located(path: Path | str | None, line: int | None, message: str) -> str:
    """The one form of every message: ``PATH[:LINE]: message``, printable (see :func:`printable`)."""
    if path is None:
        return printable(message)
    where = f"{path}:{line}" if line is not None else f"{path}"
    return printable(f"{where}: {message}")


class PostError(FeedlibError):
    """A post that cannot be turned into a feed entry.

    ``line`` is the 1-based line in the file, where the format tells it.
    """

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(_located(path, line, message))

    def __reduce__(self) -> tuple[type[PostError], tuple[Path, str, int | None]]:
        # Raised in worker processes too: sent back whole, not as its formatted text.
        return (type(self), (self.path, self.message, self.line))


class PostChanged(FeedlibError):
    """A post file changed between the moment a build chose its posts and the moment it rendered them.

    The build starts over, so that it publishes what it chose.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: changed while the build read it")


class PostErrors(FeedlibError):
    """Several invalid posts, reported together so a user can fix them in one go."""

    def __init__(self, errors: Sequence[PostError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


class ConfigError(FeedlibError):
    """A configuration file, option or setting that feedlib cannot use."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.message = message
        super().__init__(_located(path, line, message))


class PublishError(FeedlibError):
    """A feed file that could not be written; what was published before is kept."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(_located(path, None, message))


class LockTimeout(FeedlibError):
    """Another build held the output folder's lock for longer than this one would wait."""

    def __init__(self, path: Path | str, waited: float) -> None:
        self.path = Path(path)
        self.waited = waited
        super().__init__(printable(f"another build holds {path}; gave up after {waited:g} s"))


def raise_or_report(errors: Sequence[PostError], on_error: Callable[[PostError], None] | None) -> None:
    """Raise :class:`PostErrors` for ``errors`` when there is no ``on_error``; else pass each to it.

    The one rule for every function that reads many posts: without a callback,
    all invalid posts are raised together; with one, each is reported and the
    caller goes on without it.
    """
    if on_error is None:
        if errors:
            raise PostErrors(errors)
        return
    for error in errors:
        on_error(error)

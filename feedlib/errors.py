"""The exceptions feedlib raises: one hierarchy rooted at :class:`FeedlibError`.

Every message a user sees names the file it is about, and the line where the
input format gives one, in the form ``PATH[:LINE]: message``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = [
    "ConfigError",
    "FeedlibError",
    "LockTimeout",
    "PostChanged",
    "PostError",
    "PostErrors",
    "PublishError",
    "raise_or_report",
]


class FeedlibError(Exception):
    """Base class of every error feedlib raises on purpose."""


def _located(path: Path | str | None, line: int | None, message: str) -> str:
    if path is None:
        return message
    where = f"{path}:{line}" if line is not None else f"{path}"
    return f"{where}: {message}"


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
        super().__init__(f"another build holds {path}; gave up after {waited:g} s")


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

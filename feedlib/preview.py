"""What a build would change: the entries of each rendered feed against the published file.

Entries are matched by id (Atom ``<id>``, RSS ``<guid>``). One present in both
files whose XML differs in any way (title, content, dates…) is *updated*.
A published file that is missing or cannot be parsed counts as empty, and the
preview says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .feeds import Document
from .formats import FORMATS, FeedItem

__all__ = ["EntryChange", "FeedPreview", "feed_items", "preview_documents"]


@dataclass(frozen=True)
class EntryChange:
    """An entry that a build would add, update or remove."""

    id: str
    title: str


@dataclass(frozen=True)
class FeedPreview:
    """What writing one document would change in the published file.

    ``problem`` says why the published file counted as empty (missing,
    unreadable), else it is ``None``. ``unchanged`` is true when the file
    already holds exactly the new bytes, so a build would leave it alone.
    """

    path: Path
    format: str
    entries: int
    added: tuple[EntryChange, ...]
    updated: tuple[EntryChange, ...]
    removed: tuple[EntryChange, ...]
    unchanged: bool
    problem: str | None = None


def feed_items(content: bytes, format: str) -> list[FeedItem]:
    """The entries of a feed document in ``format``; :class:`ValueError` if it cannot be read.

    A document that is not a feed (the stylesheet) has none.
    """
    return FORMATS[format].read(content) if format in FORMATS else []


def _published_items(path: Path, format: str) -> tuple[list[FeedItem], bytes | None, str | None]:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return [], None, "not published yet"
    except OSError as error:
        return [], None, f"cannot read the published file ({error.strerror or error}); counted as empty"
    try:
        return feed_items(content, format), content, None
    except ValueError as error:
        return [], content, f"cannot parse the published file ({error}); counted as empty"


def _changes(items: Iterable[FeedItem]) -> tuple[EntryChange, ...]:
    return tuple(EntryChange(item.id, item.title) for item in items)


def _differs(old: dict[str, FeedItem], item: FeedItem) -> bool:
    return item.id in old and old[item.id].xml != item.xml


def preview_documents(documents: Iterable[Document], out: Path | str) -> list[FeedPreview]:
    """For each document, what writing it under ``out`` would add, update and remove."""
    previews = []
    for document in documents:
        path = Path(out) / document.relative_path
        old_items, old_content, problem = _published_items(path, document.format)
        new_items = feed_items(document.content, document.format)
        old = {item.id: item for item in reversed(old_items)}  # The first of duplicate ids wins.
        new = {item.id: item for item in reversed(new_items)}
        previews.append(
            FeedPreview(
                path=path,
                format=document.format,
                entries=document.entries,
                added=_changes(item for item in new_items if item.id not in old),
                updated=_changes(item for item in new_items if _differs(old, item)),
                removed=_changes(item for item in old_items if item.id not in new),
                unchanged=old_content == document.content,
                problem=problem,
            )
        )
    return previews

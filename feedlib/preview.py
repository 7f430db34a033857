"""What a build would change: the entries of each rendered feed against the published file.

Entries are matched by id (Atom ``<id>``, RSS ``<guid>``). One present in both
files whose XML differs in any way (title, content, dates…) is *updated*.
A published file that is missing or cannot be parsed counts as empty, and the
preview says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .publish import Document

__all__ = ["EntryChange", "FeedItem", "FeedPreview", "feed_items", "preview_documents"]

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed document: its id, title, date as written, and canonical XML."""

    id: str
    title: str
    when: str
    xml: bytes


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


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _item(element: etree._Element, ident: str, title: str, when: str) -> FeedItem:
    return FeedItem(ident, title, when, etree.tostring(element, method="c14n"))


def _atom_items(root: etree._Element) -> list[FeedItem]:
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"the root element is <{root.tag}>, not an Atom <feed>")
    return [
        _item(
            entry,
            _text(entry.find(f"{_ATOM}id")),
            _text(entry.find(f"{_ATOM}title")),
            _text(entry.find(f"{_ATOM}updated")),
        )
        for entry in root.iterfind(f"{_ATOM}entry")
    ]


def _rss_items(root: etree._Element) -> list[FeedItem]:
    if root.tag != "rss":
        raise ValueError(f"the root element is <{root.tag}>, not <rss>")
    items = []
    for item in root.iterfind("channel/item"):
        ident = _text(item.find("guid")) or _text(item.find("link"))
        items.append(_item(item, ident, _text(item.find("title")), _text(item.find("pubDate"))))
    return items


_READERS: dict[str, Callable[[etree._Element], list[FeedItem]]] = {"atom": _atom_items, "rss": _rss_items}


def _json_items(content: bytes) -> list[FeedItem]:
    try:
        feed = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"not valid JSON: {error}") from None
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list):
        raise ValueError("not a JSON Feed: no list of items")
    return [
        FeedItem(
            str(item.get("id", "")),
            str(item.get("title", "")),
            str(item.get("date_modified", "")),
            json.dumps(item, sort_keys=True).encode("utf-8"),
        )
        for item in items
        if isinstance(item, dict)
    ]


def feed_items(content: bytes, format: str) -> list[FeedItem]:
    """The entries of a feed document in ``format``; :class:`ValueError` if it cannot be read.

    A document that is not a feed (the stylesheet) has none.
    """
    if format == "json":
        return _json_items(content)
    if format not in _READERS:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML: {error}") from None
    if root is None:
        raise ValueError("empty document")
    return _READERS[format](root)


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
                updated=_changes(
                    item for item in new_items if item.id in old and old[item.id].xml != item.xml
                ),
                removed=_changes(item for item in old_items if item.id not in new),
                unchanged=old_content == document.content,
                problem=problem,
            )
        )
    return previews

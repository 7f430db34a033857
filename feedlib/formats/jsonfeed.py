"""JSON Feed 1.1: https://www.jsonfeed.org/version/1.1/

Written with the standard library: feedgen has no JSON Feed writer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..model import Author, Entry, Site
from . import FORMATS, FeedItem
from ._common import feed_time, home_url

__all__ = ["MEDIA_TYPE", "VERSION", "read", "render"]

MEDIA_TYPE = FORMATS["json"].media_type
VERSION = "https://jsonfeed.org/version/1.1"


def _date(moment: datetime) -> str:
    # RFC 3339, as the specification asks.
    return feed_time(moment).isoformat()


def _authors(authors: Sequence[Author]) -> list[dict[str, str]]:
    result = []
    for author in authors:
        item = {"name": author.name}
        url = author.uri or (f"mailto:{author.email}" if author.email else None)
        if url:
            item["url"] = url
        result.append(item)
    return result


def _author(authors: Sequence[Author]) -> dict[str, str]:
    """JSON Feed 1.0's one ``author``: every name, and the URL of a sole author.

    For readers that know no ``authors`` (1.1 deprecates ``author`` and keeps it for them).
    """
    author = {"name": ", ".join(a.name for a in authors)}
    if len(authors) == 1:
        author.update(_authors(authors)[0])
    return author


def _item(entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.id, "url": entry.url, "title": entry.title}
    # An item needs content_html or content_text: a summary-only entry shows its summary as text.
    if entry.content_html:
        item["content_html"] = entry.content_html
    else:
        item["content_text"] = entry.summary
    if entry.summary:
        item["summary"] = entry.summary
    if entry.image is not None:
        item["image"] = entry.image.url
    item["date_published"] = _date(entry.published)
    item["date_modified"] = _date(entry.updated)
    if entry.authors:
        item["authors"] = _authors(entry.authors)
        item["author"] = _author(entry.authors)
    if entry.language:
        item["language"] = entry.language
    if entry.categories:
        item["tags"] = list(entry.categories)
    if entry.enclosure is not None:
        enclosure = entry.enclosure
        item["attachments"] = [
            {"url": enclosure.url, "mime_type": enclosure.type, "size_in_bytes": enclosure.length}
        ]
    return item


def render(site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
    """The JSON Feed document for ``entries`` (in the order given), as UTF-8 bytes.

    ``self_url`` is the absolute URL the document will be served at.
    """
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": site.title,
        "home_page_url": home_url(site),
        "feed_url": self_url,
    }
    if site.hub:
        feed["hubs"] = [{"type": "WebSub", "url": site.hub}]
    if site.description:
        feed["description"] = site.description
    if site.language:
        feed["language"] = site.language
    if site.authors:
        feed["authors"] = _authors(site.authors)
        feed["author"] = _author(site.authors)
    feed["items"] = [_item(entry) for entry in entries]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read(content: bytes) -> list[FeedItem]:
    """The items of a JSON Feed document; :class:`ValueError` if it is not one."""
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

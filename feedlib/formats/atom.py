"""Atom 1.0, RFC 4287: https://www.rfc-editor.org/rfc/rfc4287"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Entry, Site
from ._feedgen import author_dicts, new_generator

__all__ = ["FILENAME", "MEDIA_TYPE", "render"]

FILENAME = "feed.xml"
MEDIA_TYPE = "application/atom+xml"


def render(site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
    """The Atom document for ``entries`` (in the order given), as UTF-8 bytes.

    ``self_url`` is the absolute URL the document will be served at.
    """
    generator = new_generator(site, entries, self_url, MEDIA_TYPE)
    if site.description:
        generator.subtitle(site.description)
    if site.authors:
        generator.author(author_dicts(site.authors))
    for entry in entries:
        item = generator.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.link(href=entry.url, rel="alternate", type="text/html")
        item.published(entry.published)
        item.updated(entry.updated)
        item.author(author_dicts(entry.authors))
        for term in entry.categories:
            item.category(term=term)
        if entry.summary:
            item.summary(entry.summary)
        if entry.content_html:
            item.content(entry.content_html, type="html")
    result: bytes = generator.atom_str(pretty=True, encoding="UTF-8")
    return result

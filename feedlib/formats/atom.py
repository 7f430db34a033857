"""Atom 1.0, RFC 4287: https://www.rfc-editor.org/rfc/rfc4287"""

from __future__ import annotations

import html
from collections.abc import Sequence

from lxml import etree

from ..model import Entry, Site
from ._common import feed_time, xml_safe_site
from ._feedgen import author_dicts, new_generator

__all__ = ["FILENAME", "MEDIA_TYPE", "render"]

FILENAME = "feed.xml"
MEDIA_TYPE = "application/atom+xml"

_ATOM = "{http://www.w3.org/2005/Atom}"
_TEXT_CONSTRUCTS = (f"{_ATOM}title", f"{_ATOM}subtitle", f"{_ATOM}summary")


def _needs_html_type(text: str) -> bool:
    return "<" in text or "&" in text


def _declare_html(document: bytes) -> bytes:
    """Mark text constructs that look like markup as ``type="html"``.

    In a plain-text ``<title>``, "Q&A" or "<b>" reads to clients and
    validators as undeclared HTML; RFC 4287 section 3.1.1.2 has it escaped
    as ``type="html"``, as jekyll-feed writes titles. feedgen cannot set a
    title's type, so the document is adjusted after it is built.
    """
    root = etree.fromstring(document)
    for element in root.iter(*_TEXT_CONSTRUCTS):
        text = element.text or ""
        if element.get("type") is None and _needs_html_type(text):
            element.set("type", "html")
            element.text = html.escape(text, quote=False)
    result: bytes = etree.tostring(
        root.getroottree(), pretty_print=True, encoding="UTF-8", xml_declaration=True
    )
    return result


def render(site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
    """The Atom document for ``entries`` (in the order given), as UTF-8 bytes.

    ``self_url`` is the absolute URL the document will be served at.
    """
    site = xml_safe_site(site)
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
        item.published(feed_time(entry.published))
        item.updated(feed_time(entry.updated))
        item.author(author_dicts(entry.authors))
        for term in entry.categories:
            item.category(term=term)
        if entry.summary:
            item.summary(entry.summary)
        if entry.content_html:
            item.content(entry.content_html, type="html")
    document: bytes = generator.atom_str(pretty=True, encoding="UTF-8")
    texts = [site.title, site.description] + [text for e in entries for text in (e.title, e.summary)]
    return _declare_html(document) if any(map(_needs_html_type, texts)) else document

"""RSS 2.0: https://www.rssboard.org/rss-specification

Full HTML goes in ``content:encoded`` (https://web.resource.org/rss/1.0/modules/content/),
authors in ``dc:creator`` (RSS's own ``<author>`` must be an e-mail address).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from lxml import etree

from ..model import Entry, Site
from ..urls import with_parameters
from . import FORMATS, FeedItem
from ._common import feed_time, xml_safe_site
from ._feedgen import (
    add_image,
    describe_images,
    element_text,
    feed_item,
    new_generator,
    parse_document,
    serialize,
    text_references,
)

__all__ = ["MEDIA_TYPE", "read", "render"]

MEDIA_TYPE = FORMATS["rss"].media_type

_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
# The elements whose text is plain text: in the channel its description too, in
# items not (an item's <description> is HTML).
_CHANNEL_TEXT = ("title", "description")
_ITEM_TEXT = ("title", "dc:creator", "category")


def render(site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
    """The RSS 2.0 document for ``entries`` (in the order given), as UTF-8 bytes.

    ``self_url`` is the absolute URL the document will be served at.
    """
    site = xml_safe_site(site)
    generator = new_generator(site, entries, self_url, MEDIA_TYPE, home_first=False)
    generator.description(site.description or site.title)
    generator.load_extension("dc", atom=False, rss=True)
    for entry in entries:
        item = generator.add_entry(order="append")
        item.title(entry.title)
        item.link(href=entry.url)
        # The id is the post's address when the link is it, or it with the site's url_parameters.
        permalink = entry.url in (entry.id, with_parameters(entry.id, site.url_parameters))
        item.guid(entry.id, permalink=permalink)
        item.pubDate(feed_time(entry.published))
        # RSS readers (and validators) read <description> as HTML; feedgen
        # writes content:encoded only beside a description.
        item.summary(html.escape(entry.summary or entry.title, quote=False))
        if entry.content_html:
            item.content(entry.content_html, type="html")
        if entry.authors:
            # One dc:creator naming every author: given several, rss-parser
            # shows the first and newsboat the last.
            item.dc.dc_creator(", ".join(author.name for author in entry.authors))
        for term in entry.categories:
            item.category(term=term)
        if entry.enclosure is not None:
            enclosure = entry.enclosure
            item.enclosure(enclosure.url, str(enclosure.length), enclosure.type)
        add_image(item, entry)
    document: bytes = generator.rss_str(pretty=True, encoding="UTF-8")
    if site.hub or any(entry.image and entry.image.alt for entry in entries):
        root = etree.fromstring(document)
        if site.hub:
            _add_hub(root, site.hub)
        describe_images(root, entries, "item")
        document = serialize(root)
    # The channel's own elements all come before its first item.
    items = document.find(b"<item>")
    items = len(document) if items < 0 else items
    return text_references(document[:items], _CHANNEL_TEXT) + text_references(document[items:], _ITEM_TEXT)


def _add_hub(root: etree._Element, hub: str) -> None:
    """An ``atom:link rel="hub"`` after the ``self`` link (feedgen writes only ``self`` into RSS)."""
    self_link = root.find(f"channel/{_ATOM_LINK}[@rel='self']")
    assert self_link is not None
    hub_link = etree.Element(_ATOM_LINK, href=hub, rel="hub")
    self_link.addnext(hub_link)


def read(content: bytes) -> list[FeedItem]:
    """The items of an RSS document, known by guid (or link); :class:`ValueError` if it is not one."""
    root = parse_document(content)
    if root.tag != "rss":
        raise ValueError(f"the root element is <{root.tag}>, not <rss>")
    items = []
    for item in root.iterfind("channel/item"):
        ident = element_text(item.find("guid")) or element_text(item.find("link"))
        items.append(
            feed_item(item, ident, element_text(item.find("title")), element_text(item.find("pubDate")))
        )
    return items

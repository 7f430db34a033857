"""What the Atom and RSS writers share: a feedgen generator with no clock in it.

And the Media RSS elements (https://www.rssboard.org/media-rss) both carry.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from .._version import __version__
from ..model import Author, Entry, Site
from . import FeedItem
from ._common import feed_updated, home_url

__all__ = [
    "MEDIA_NS",
    "add_image",
    "author_dicts",
    "describe_images",
    "element_text",
    "feed_item",
    "new_generator",
    "parse_document",
    "serialize",
    "text_references",
]

#: The Media RSS namespace, for ``media:content`` and ``media:thumbnail``.
MEDIA_NS = "http://search.yahoo.com/mrss/"


def author_dicts(authors: Sequence[Author]) -> list[dict[str, str]]:
    """Authors in the form feedgen takes, without empty fields."""
    return [
        {key: value for key, value in (("name", a.name), ("email", a.email), ("uri", a.uri)) if value}
        for a in authors
    ]


def new_generator(
    site: Site, entries: Sequence[Entry], self_url: str, self_type: str, *, home_first: bool
) -> FeedGenerator:
    """A generator with the channel fields both formats carry.

    ``home_first`` (Atom) puts the site link before the ``self`` and ``hub``
    links: readers that take the first ``<link>`` as the site's (such as
    @extractus/feed-extractor) then show the home page, not the feed. RSS
    needs them the other way round, since feedgen's RSS channel ``<link>`` is
    the last link given, whatever its rel. (feedgen writes only the ``self``
    link into RSS; the RSS writer adds the hub.) The Media RSS extension is
    loaded when an entry has an image.
    """
    generator = FeedGenerator()
    generator.id(self_url)
    generator.title(site.title)
    home = {"href": home_url(site), "rel": "alternate", "type": "text/html"}
    links = [{"href": self_url, "rel": "self", "type": self_type}]
    if site.hub:
        links.append({"href": site.hub, "rel": "hub"})
    generator.link([home, *links] if home_first else [*links, home])
    if any(entry.image for entry in entries):
        generator.load_extension("media")
    if site.language:
        generator.language(site.language)
    generator.generator("feedlib", version=__version__)
    generator.updated(feed_updated(entries))
    return generator


def add_image(item: FeedEntry, entry: Entry) -> None:
    """``media:content`` and ``media:thumbnail`` for the entry's image, if it has one."""
    if entry.image is not None:
        item.media.content(url=entry.image.url, medium="image", group=None)
        item.media.thumbnail(url=entry.image.url, group=None)


def describe_images(root: etree._Element, entries: Sequence[Entry], entry_tag: str) -> None:
    """Add each image's alternative text as ``media:description`` (feedgen cannot).

    Text that looks like markup ("a <b> tag", "Q&A") is escaped as ``type="html"``,
    so validators and readers do not take it for undeclared HTML.
    """
    for element, entry in zip(root.iter(entry_tag), entries, strict=True):
        content = element.find(f"{{{MEDIA_NS}}}content")
        if entry.image is not None and entry.image.alt and content is not None:
            alt = entry.image.alt
            markup = "<" in alt or "&" in alt
            description = etree.SubElement(
                content, f"{{{MEDIA_NS}}}description", type="html" if markup else "plain"
            )
            description.text = html.escape(alt, quote=False) if markup else alt


# An element whose text (no child elements) holds an escaped "&", "<" or ">".
_ESCAPED_TEXT = rb"(<(%s)(?:\s[^>]*)?>)([^<]*&[^<]*)(</\2>)"
_REFERENCES = {b"&amp;": b"&#x26;", b"&lt;": b"&#x3C;", b"&gt;": b"&#x3E;"}
_ESCAPE = re.compile(rb"&(?:amp|lt|gt);")


def _numeric(match: re.Match[bytes]) -> bytes:
    opening, _, text, closing = match.groups()
    return opening + _ESCAPE.sub(lambda escape: _REFERENCES[escape.group()], text) + closing


@functools.cache
def _escaped_text(tags: tuple[str, ...]) -> re.Pattern[bytes]:
    names = b"|".join(re.escape(tag.encode("ascii")) for tag in tags)
    return re.compile(_ESCAPED_TEXT % names)


def text_references(document: bytes, tags: tuple[str, ...]) -> bytes:
    """``document`` with "&", "<" and ">" written ``&#x26;``, ``&#x3C;`` and ``&#x3E;`` in plain text.

    The text is that of the elements ``tags``, qualified names as written
    (``"title"``, ``"dc:creator"``), which hold no child elements. Plain
    text so escaped reads exactly in every reader tests/test_readers.py
    runs, and the W3C validator takes text with hexadecimal references for
    plain text, where ``&amp;`` and ``&lt;`` before a letter earn a
    "CharacterData" warning in RSS. (@extractus/feed-extractor unescapes
    text once more: it shows a title "Tom &amp; Jerry" as "Tom & Jerry" when
    it is written ``Tom &amp;amp; Jerry``, and exactly when written
    ``Tom &#x26;amp; Jerry``.)
    """
    if b"&" not in document:
        return document
    return _escaped_text(tags).sub(_numeric, document)


def serialize(root: etree._Element) -> bytes:
    """A document as feedgen writes it: pretty-printed UTF-8 with an XML declaration."""
    etree.indent(root, space="  ")
    result: bytes = etree.tostring(
        root.getroottree(), pretty_print=True, encoding="UTF-8", xml_declaration=True
    )
    return result


def parse_document(content: bytes) -> etree._Element:
    """A published XML feed, parsed safely (no entities, no network); :class:`ValueError` if it is not XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML: {error}") from None
    if root is None:
        raise ValueError("empty document")
    return root


def element_text(element: etree._Element | None) -> str:
    """The stripped text of ``element`` (empty when there is none)."""
    return (element.text or "").strip() if element is not None else ""


def feed_item(element: etree._Element, ident: str, title: str, when: str) -> FeedItem:
    """An item read from ``element``, compared by its canonical XML."""
    return FeedItem(ident, title, when, etree.tostring(element, method="c14n"))

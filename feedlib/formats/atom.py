"""Atom 1.0, RFC 4287: https://www.rfc-editor.org/rfc/rfc4287"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ..model import Entry, Site
from . import FORMATS, FeedItem
from ._common import feed_time, xml_safe_site
from ._feedgen import (
    add_image,
    author_dicts,
    describe_images,
    element_text,
    feed_item,
    new_generator,
    parse_document,
    serialize,
    text_references,
)

__all__ = ["MEDIA_TYPE", "read", "render"]

MEDIA_TYPE = FORMATS["atom"].media_type

_ATOM = "{http://www.w3.org/2005/Atom}"
# The elements whose text readers show as plain text: text constructs (RFC 4287
# section 3.1) written with no type, which is type="text", and authors' names.
_PLAIN_TEXT = ("title", "subtitle", "summary", "name")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def render(site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
    """The Atom document for ``entries`` (in the order given), as UTF-8 bytes.

    ``self_url`` is the absolute URL the document will be served at.
    """
    site = xml_safe_site(site)
    generator = new_generator(site, entries, self_url, MEDIA_TYPE, home_first=True)
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
        add_image(item, entry)
    document: bytes = generator.atom_str(pretty=True, encoding="UTF-8")
    alt_texts = any(entry.image and entry.image.alt for entry in entries)
    enclosures = any(entry.enclosure for entry in entries)
    languages = any(entry.language for entry in entries)
    if alt_texts or enclosures or languages or site.icon or site.logo:
        root = etree.fromstring(document)
        _add_enclosures(root, entries)
        _add_languages(root, entries)
        _add_images(root, site)
        describe_images(root, entries, f"{_ATOM}entry")
        document = serialize(root)
    return text_references(document, _PLAIN_TEXT)


def _add_languages(root: etree._Element, entries: Sequence[Entry]) -> None:
    """``xml:lang`` on each entry whose post says its language (feedgen cannot)."""
    for element, entry in zip(root.iter(f"{_ATOM}entry"), entries, strict=True):
        if entry.language:
            element.set(_XML_LANG, entry.language)


def _add_images(root: etree._Element, site: Site) -> None:
    """The feed's ``icon`` and ``logo``, after its ``subtitle`` (or ``title``), as jekyll-feed places them."""
    anchor = root.find(f"{_ATOM}subtitle")
    if anchor is None:
        anchor = root.find(f"{_ATOM}title")
    assert anchor is not None
    for tag, url in (("logo", site.logo), ("icon", site.icon)):
        if url:
            element = etree.Element(f"{_ATOM}{tag}")
            element.text = url
            anchor.addnext(element)


def _add_enclosures(root: etree._Element, entries: Sequence[Entry]) -> None:
    """Add ``link rel="enclosure"`` after each entry's link.

    feedgen 1.0 drops an entry link's ``rel``, ``type`` and ``length``, which
    would make it a second ``alternate`` link.
    """
    for element, entry in zip(root.iter(f"{_ATOM}entry"), entries, strict=True):
        if entry.enclosure is None:
            continue
        link = element.find(f"{_ATOM}link")
        assert link is not None
        enclosure = etree.Element(
            f"{_ATOM}link",
            href=entry.enclosure.url,
            rel="enclosure",
            type=entry.enclosure.type,
            length=str(entry.enclosure.length),
        )
        link.addnext(enclosure)


def _text_construct(element: etree._Element | None) -> str:
    """The text a reader shows of an Atom text construct, whatever its ``type``.

    feedlib writes titles as plain text; feeds it wrote before (and others)
    may hold them as escaped HTML (``type="html"``) or as XHTML.
    """
    if element is None or element.get("type") not in ("html", "xhtml"):
        return element_text(element)
    if element.get("type") == "xhtml":
        return " ".join(str(element.xpath("string()")).split())
    text = element_text(element)
    if not text:
        return ""
    import lxml.html  # Only for such feeds.

    return " ".join(lxml.html.fragment_fromstring(text, create_parent="div").text_content().split())


def read(content: bytes) -> list[FeedItem]:
    """The entries of an Atom document; :class:`ValueError` if it is not one."""
    root = parse_document(content)
    if root.tag != f"{_ATOM}feed":
        raise ValueError(f"the root element is <{root.tag}>, not an Atom <feed>")
    return [
        feed_item(
            entry,
            element_text(entry.find(f"{_ATOM}id")),
            _text_construct(entry.find(f"{_ATOM}title")),
            element_text(entry.find(f"{_ATOM}updated")),
        )
        for entry in root.iterfind(f"{_ATOM}entry")
    ]

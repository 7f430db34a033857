"""Links in post HTML made absolute, as a browser on the post's page would resolve them.

A feed is read away from the site: every relative ``href``, ``src`` and
``srcset`` is resolved against the post's URL. lxml's ``make_links_absolute``
is the reference; a faster pass over the attributes gives the same result
for HTML without CSS or the few elements whose links lxml finds elsewhere.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import TYPE_CHECKING, cast
from urllib.parse import urljoin

from .text import strip_xml_illegal

# lxml.html takes tens of milliseconds to load: imported where it is used.
if TYPE_CHECKING:
    from lxml.etree import XPath, _ElementUnicodeResult
    from lxml.html import HtmlElement, HTMLParser

__all__ = [
    "SPECIAL_LINK_ATTRIBUTES",
    "SPECIAL_LINK_TAGS",
    "absolute_links",
    "absolute_srcset",
    "fragment",
    "inner_html",
    "joined_url",
    "link_attributes",
]

# End tags of HTML 5's empty elements that libxml2's HTML 4 parser does not know as empty.
_HTML5_VOID_END = re.compile(r"</(?:embed|keygen|source|track|wbr)>")
_SRCSET_URL = re.compile(r"[\s,]*(\S*)")
_PARSERS = threading.local()


def _parser() -> HTMLParser:
    """The HTML parser of the calling thread (lxml's parsers are not shared between threads)."""
    parser: HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        import lxml.html

        # huge_tree: libxml2 otherwise cuts a text or attribute over 10 MB, or stops 256
        # elements deep, and says so only in the error log: the rest of the post was lost.
        parser = _PARSERS.parser = lxml.html.HTMLParser(huge_tree=True)
    return parser


def fragment(html: str) -> HtmlElement:
    """``html`` parsed as a fragment, inside one ``<div>``.

    Raises :class:`ValueError` when libxml2 could not parse it whole (nested
    more than 2,048 elements deep, or over its limits even so): a post is
    published whole or not at all.
    """
    import lxml.html

    parser = _parser()
    root = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    if any(error.level_name == "FATAL" for error in parser.error_log):
        raise ValueError(
            "its HTML is too large or nested too deeply to read whole (over 2,048 elements deep?)"
        )
    return root


def inner_html(root: HtmlElement) -> str:
    """The HTML inside ``root`` (a :func:`fragment`'s ``<div>``).

    libxml2 reads HTML 4, where ``<source>``, ``<track>``, ``<embed>``,
    ``<wbr>`` and ``<keygen>`` are not empty: it writes an end tag after what
    follows them (``<source src="a.mp4"> </source></video>``), which HTML 5
    has no place for and validators call invalid. Those end tags are dropped:
    an HTML 5 reader then reads what the author wrote.
    """
    import lxml.html

    wrapped: str = lxml.html.tostring(root, encoding="unicode")
    return _HTML5_VOID_END.sub("", wrapped[len("<div>") : -len("</div>")])


def _srcset_candidates(value: str) -> list[tuple[str, str]]:
    """``(url, descriptors)`` pairs, split as the HTML standard's srcset parser does.

    A URL is a run of non-space characters (commas included, as in ``data:``
    URLs) unless it ends in a comma; descriptors run to the next comma.
    """
    candidates = []
    position = 0
    while position < len(value):
        match = _SRCSET_URL.match(value, position)
        assert match is not None  # the pattern matches the empty string
        url, position = match.group(1), match.end()
        if not url:
            break
        if url.endswith(","):
            candidates.append((url.rstrip(","), ""))
            continue
        comma = value.find(",", position)
        end = len(value) if comma < 0 else comma
        candidates.append((url, value[position:end].strip()))
        position = end + 1
    return candidates


def joined_url(base: str, url: str) -> str:
    """``url`` resolved against ``base``; as written when it cannot be read."""
    try:
        return urljoin(base, url)
    except ValueError:
        return url  # An unreadable URL is left as the author wrote it.


def absolute_srcset(value: str, base: str) -> str:
    """A ``srcset`` value with each candidate's URL resolved against ``base``, its descriptors kept."""
    candidates = _srcset_candidates(value)
    return ", ".join(f"{joined_url(base, url)} {descriptors}".rstrip() for url, descriptors in candidates)


# Elements whose links lxml finds in more than a plain attribute (an object's
# codebase, a meta refresh, a param) or that change every link (base), and
# attributes that only matter on them or hold CSS.
SPECIAL_LINK_TAGS = frozenset({"object", "meta", "param", "base"})
SPECIAL_LINK_ATTRIBUTES = frozenset({"http-equiv", "valuetype", "style"})


@functools.cache
def link_attributes() -> frozenset[str]:
    """The attributes whose value lxml's ``make_links_absolute`` resolves."""
    from lxml.html.defs import link_attrs

    return frozenset(link_attrs)


@functools.cache
def _every_attribute() -> XPath:
    """An XPath to every attribute under an element, each knowing its name and element."""
    from lxml import etree

    return etree.XPath("descendant-or-self::*/@*")


def _plain_links(root: HtmlElement) -> list[tuple[HtmlElement, str, str]] | None:
    """``(element, attribute, value)`` of each link and ``srcset`` under ``root``.

    ``None`` when lxml's own pass is needed: for CSS (a ``style`` element or
    attribute) and the special elements. Asking libxml2 for the attributes
    spares a Python loop over every element of the post.
    """
    if next(root.iter("style"), None) is not None:
        return None
    links = link_attributes()
    found = []
    for attribute in cast("list[_ElementUnicodeResult]", _every_attribute()(root)):
        name = attribute.attrname
        if name in links or name == "srcset" or name in SPECIAL_LINK_ATTRIBUTES:
            element = cast("HtmlElement", attribute.getparent())
            if name in SPECIAL_LINK_ATTRIBUTES or element.tag in SPECIAL_LINK_TAGS:
                return None
            found.append((element, name, str(attribute)))
    return found


def _lxml_links_absolute(root: HtmlElement, base_url: str) -> None:
    """Make the links under ``root`` absolute with lxml, then each ``srcset``.

    lxml also drops ``<base>`` (even with ``resolve_base_href=False``) and
    rewrites URLs in CSS.
    """
    try:
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="ignore")
    except AttributeError as error:
        # lxml fails so on a link attribute it expects but does not find
        # (<param valuetype="ref"> without a value): the post is reported, not the build crashed.
        raise ValueError(f"cannot make the links in its HTML absolute ({error})") from None
    for element in root.iter("*"):
        srcset = element.get("srcset")
        if srcset:
            element.set("srcset", absolute_srcset(srcset, base_url))


def _resolve_links(root: HtmlElement, base_url: str) -> None:
    """Make the links under ``root`` absolute, ``srcset`` included, as :func:`_lxml_links_absolute` does.

    For a link attribute, as lxml's ``handle_failures="ignore"``: the value
    stripped and joined to ``base_url``, or kept (stripped) when it cannot be.
    """
    links = _plain_links(root)
    if links is None:
        _lxml_links_absolute(root, base_url)
        return
    for element, name, value in links:
        if name == "srcset":
            resolved = absolute_srcset(value, base_url) if value else value
        else:
            resolved = joined_url(base_url, value.strip())
        if resolved != value:
            element.set(name, resolved)


def absolute_links(html: str, base_url: str) -> str:
    """Make every relative ``href``, ``src`` and ``srcset`` in ``html`` absolute.

    lxml rewrites the attributes it knows; ``srcset`` holds a list of URLs that
    lxml leaves alone, so it is resolved here.
    """
    if not html.strip():
        return ""
    root = fragment(html)
    _resolve_links(root, base_url)
    # A feed carries the HTML as escaped text or CDATA; "]]>" would end a CDATA
    # section early, and "]]&gt;" reads the same in HTML.
    return strip_xml_illegal(inner_html(root)).replace("]]>", "]]&gt;")

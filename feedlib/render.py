"""Markdown to feed-ready HTML, and HTML to the plain text of a summary.

Rendering is the expensive step of the pipeline (Python-Markdown needs about
15 ms for a 20 KB post), so it runs only for posts a feed shows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast
from urllib.parse import urljoin

from .errors import ConfigError
from .text import collapse_whitespace, strip_xml_illegal, truncate

# Python-Markdown (with its extensions), lxml.html and nh3 take tens of
# milliseconds to load, so they are imported where they are used: a build that
# renders nothing (everything cached, or a dry run) never loads them.
if TYPE_CHECKING:
    from lxml.etree import XPath, _ElementUnicodeResult
    from lxml.html import HtmlElement
    from markdown import Markdown

__all__ = [
    "MORE_SEPARATOR",
    "RENDERERS",
    "absolute_links",
    "check_markdown_extensions",
    "check_renderer",
    "html_to_text",
    "markdown_renderer",
    "prepare_renderer",
    "render_markdown",
    "sanitize_html",
    "summarize",
]

#: Text before this marker is a post's summary, as in Jekyll and Hugo.
MORE_SEPARATOR = "<!--more-->"
#: Markdown renderers: Python-Markdown (the default, with extensions) and cmarkgfm
#: (GitHub-flavoured CommonMark in C, about 40 times faster; ``pip install feedlib[fast]``).
RENDERERS = ("markdown", "commonmark")

# Extension sets that Python-Markdown always has.
_BUILT_IN_EXTENSIONS = frozenset({(), ("extra",)})
_SANITIZE_SCHEMES = {"http", "https", "mailto"}
_SRCSET_URL = re.compile(r"[\s,]*(\S*)")

# Markdown without markup: ASCII letters, digits and spaces, the ASCII
# punctuation that neither Python-Markdown (bare or with "extra") nor
# CommonMark gives a meaning inside a line, and non-ASCII text (see below).
# So no newline or tab (no second line or block), no "&" or "<" (no entity,
# no HTML), no "*", "_", "`", "[", "\\", "|", "~", "{", "#", ">", "+" or "=".
_PLAIN = re.compile(r"[A-Za-z0-9 .,;:?!'\"()/%@\x80-\U0010ffff-]*")
# Line starts that mean something even so: an indented code block, a list item
# or rule ("-", "1. ", "1) "; Python-Markdown's \d is any Unicode digit) and a
# definition (":"), each after up to three spaces.
_BLOCK_START = re.compile(r" {4}| *(?:[-:]|\d+[.)](?: |\Z))")
# Non-ASCII letters, marks, numbers, punctuation and symbols are text to both
# renderers; separators, controls, format characters and unassigned code
# points are left to them.
_PLAIN_CATEGORIES = frozenset("LMNPS")


@functools.cache
def _sanitize_rules() -> tuple[set[str], dict[str, set[str]]]:
    """The tags and attributes :func:`sanitize_html` keeps.

    ammonia's safe defaults (no script, style, iframe, form or event handler;
    http, https and mailto links only), plus what Markdown's extensions write:
    code highlighting classes, footnote ids, tfoot, srcset.
    """
    import nh3

    tags = set(nh3.ALLOWED_TAGS) | {"tfoot"}
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()} | {
        "*": {"class", "title", "lang", "dir"},
        "img": {"align", "src", "srcset", "width", "alt", "height", "title"},
        "a": {"href", "hreflang", "title", "id"},
        **{tag: {"id"} for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div", "section")},
    }
    return tags, attributes


@functools.cache
def _breaks() -> frozenset[str]:
    """The elements after which a summary's text needs a space."""
    from lxml.html.defs import block_tags

    return frozenset(block_tags) | {"br", "li", "td", "th", "dt", "dd"}


@functools.lru_cache(maxsize=8)
def markdown_renderer(extensions: tuple[str, ...]) -> Markdown:
    """A Python-Markdown instance for ``extensions``, built once and reused.

    Raises :class:`ConfigError` when an extension cannot be loaded.
    """
    from markdown import Markdown

    try:
        return Markdown(extensions=list(extensions), output_format="html")
    except (ImportError, AttributeError, TypeError, ValueError) as error:
        raise ConfigError(f"markdown_extensions: cannot load {list(extensions)}: {error}") from None


def prepare_renderer(extensions: Sequence[str], renderer: str) -> None:
    """Import the renderer and lxml.html and build the Markdown parser, ahead of the first post.

    A cold build runs this in a thread while worker processes read the posts,
    so rendering the posts its feeds show does not start by waiting for it.
    """
    if renderer == "commonmark":
        import cmarkgfm  # noqa: F401
    else:
        markdown_renderer(tuple(extensions))
    import lxml.html  # noqa: F401


def check_markdown_extensions(extensions: tuple[str, ...]) -> tuple[str, ...]:
    """``extensions`` if Python-Markdown can load them; :class:`ConfigError` otherwise.

    No extensions and ``("extra",)`` ship with Python-Markdown and need no
    trial load, so reading a default configuration does not import it.
    """
    if extensions not in _BUILT_IN_EXTENSIONS:
        markdown_renderer(extensions)
    return extensions


def check_renderer(name: str) -> str:
    """``name`` if it is a renderer that can run here; :class:`ConfigError` otherwise."""
    if name not in RENDERERS:
        raise ConfigError(f"build.renderer must be one of {', '.join(RENDERERS)}, got {name!r}")
    if name == "commonmark":
        try:
            import cmarkgfm  # noqa: F401
        except ImportError:
            raise ConfigError(
                'build.renderer = "commonmark" needs cmarkgfm: pip install "feedlib[fast]"'
            ) from None
    return name


def _commonmark(source: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    # Raw HTML passes through, as in Python-Markdown; footnotes as in its "extra".
    html: str = cmarkgfm.github_flavored_markdown_to_html(
        source, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    )
    return html


def render_markdown(source: str, extensions: Sequence[str] = ("extra",), renderer: str = "markdown") -> str:
    """Render Markdown to an HTML fragment, with Python-Markdown or (``"commonmark"``) cmarkgfm.

    ``extensions`` are Python-Markdown's; cmarkgfm always renders GitHub-flavoured
    Markdown (tables, strikethrough, autolinks, footnotes). Raises
    :class:`ValueError` for Markdown nested too deeply to render.
    """
    if renderer == "commonmark":
        return _commonmark(source)
    md = markdown_renderer(tuple(extensions))
    # One instance keeps footnotes, abbreviations and the like between
    # documents until reset.
    try:
        html: str = md.reset().convert(source)
    except RecursionError:
        # The instance is left mid-document; the next post gets a new one.
        markdown_renderer.cache_clear()
        raise ValueError("the Markdown is nested too deeply to render") from None
    return html


def sanitize_html(html: str) -> str:
    """``html`` made safe to show from an untrusted author, with nh3 (ammonia).

    Scripts, styles, frames and forms go, and so do event-handler attributes
    and ``javascript:`` URLs; formatting, links, images, code blocks and
    tables stay. Links get ``rel="noopener noreferrer"``.

    >>> sanitize_html('<p onclick="steal()">Hi <script>x()</script><a href="javascript:x()">me</a></p>')
    '<p>Hi <a rel="noopener noreferrer">me</a></p>'
    """
    import nh3

    tags, attributes = _sanitize_rules()
    return nh3.clean(html, tags=tags, attributes=attributes, url_schemes=_SANITIZE_SCHEMES)


def _fragment(html: str) -> HtmlElement:
    import lxml.html

    return lxml.html.fragment_fromstring(html, create_parent="div")


def _serialize_children(root: HtmlElement) -> str:
    import lxml.html

    wrapped: str = lxml.html.tostring(root, encoding="unicode")
    return wrapped[len("<div>") : -len("</div>")]


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


def _joined(base: str, url: str) -> str:
    try:
        return urljoin(base, url)
    except ValueError:
        return url  # An unreadable URL is left as the author wrote it.


def _absolute_srcset(value: str, base: str) -> str:
    candidates = _srcset_candidates(value)
    return ", ".join(f"{_joined(base, url)} {descriptors}".rstrip() for url, descriptors in candidates)


# Elements whose links lxml finds in more than a plain attribute (an object's
# codebase, a meta refresh, a param) or that change every link (base), and
# attributes that only matter on them or hold CSS.
_SPECIAL_LINK_TAGS = frozenset({"object", "meta", "param", "base"})
_SPECIAL_LINK_ATTRIBUTES = frozenset({"http-equiv", "valuetype", "style"})


@functools.cache
def _link_attributes() -> frozenset[str]:
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
    links = _link_attributes()
    found = []
    for attribute in cast("list[_ElementUnicodeResult]", _every_attribute()(root)):
        name = attribute.attrname
        if name in links or name == "srcset" or name in _SPECIAL_LINK_ATTRIBUTES:
            element = cast("HtmlElement", attribute.getparent())
            if name in _SPECIAL_LINK_ATTRIBUTES or element.tag in _SPECIAL_LINK_TAGS:
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
            element.set("srcset", _absolute_srcset(srcset, base_url))


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
            resolved = _absolute_srcset(value, base_url) if value else value
        else:
            resolved = _joined(base_url, value.strip())
        if resolved != value:
            element.set(name, resolved)


def absolute_links(html: str, base_url: str) -> str:
    """Make every relative ``href``, ``src`` and ``srcset`` in ``html`` absolute.

    lxml rewrites the attributes it knows; ``srcset`` holds a list of URLs that
    lxml leaves alone, so it is resolved here.
    """
    if not html.strip():
        return ""
    root = _fragment(html)
    _resolve_links(root, base_url)
    # A feed carries the HTML as escaped text or CDATA; "]]>" would end a CDATA
    # section early, and "]]&gt;" reads the same in HTML.
    return strip_xml_illegal(_serialize_children(root)).replace("]]>", "]]&gt;")


def _spaced(root: HtmlElement) -> HtmlElement:
    # text_content() runs blocks together ("a</p><p>b" gives "ab").
    breaks = _breaks()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in breaks:
            element.tail = " " + (element.tail or "")
    return root


def _text_of(element: HtmlElement) -> str:
    return collapse_whitespace(strip_xml_illegal(element.text_content()))


def _plain_char(char: str) -> bool:
    return char.isascii() or unicodedata.category(char)[0] in _PLAIN_CATEGORIES


def _plain_text(source: str) -> str | None:
    """The summary text of the Markdown ``source`` when it has no markup at all, else ``None``.

    For such a source ``html_to_text(render_markdown(source))`` is ``source``
    with its spaces collapsed, with either renderer and with Python-Markdown's
    built-in extension sets: this gives it without a Markdown run.
    """
    if not _PLAIN.fullmatch(source) or _BLOCK_START.match(source):
        return None
    if not source.isascii() and not all(map(_plain_char, source)):
        return None
    # No character of a plain source is one XML forbids.
    return collapse_whitespace(source)


def _markdown_text(source: str, extensions: Sequence[str], renderer: str) -> str:
    """``html_to_text(render_markdown(source, extensions, renderer))``, cheaply for plain text."""
    if renderer == "commonmark" or tuple(extensions) in _BUILT_IN_EXTENSIONS:
        text = _plain_text(source)
        if text is not None:
            return text
    return html_to_text(render_markdown(source, extensions, renderer))


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return _text_of(_spaced(_fragment(html))) if html.strip() else ""


def _first_paragraph(html: str) -> str:
    if not html.strip():
        return ""
    root = _spaced(_fragment(html))
    children = [element for element in root if isinstance(element.tag, str)]
    paragraphs = [element for element in children if element.tag == "p"]
    for element in paragraphs + children:
        text = _text_of(element)
        if text:
            return text
    return ""


def summarize(
    excerpt: str | None,
    body: str,
    content_html: str,
    length: int,
    extensions: Sequence[str] = ("extra",),
    *,
    renderer: str = "markdown",
) -> str:
    """A post's plain-text summary, at most ``length`` characters.

    From the front-matter excerpt (Markdown) if there is one, else the text
    before ``<!--more-->``, else the first paragraph of ``content_html``.
    """
    if excerpt is not None:
        text = _markdown_text(excerpt, extensions, renderer)
    elif MORE_SEPARATOR in body:
        text = _markdown_text(body.split(MORE_SEPARATOR, 1)[0], extensions, renderer)
    else:
        text = _first_paragraph(content_html)
    return truncate(text, length)

"""Markdown to feed-ready HTML, and HTML to the plain text of a summary.

Rendering is the expensive step of the pipeline (Python-Markdown needs about
15 ms for a 20 KB post), so it runs only for posts a feed shows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import ConfigError, shown
from .limits import check_markdown_work
from .links import fragment
from .model import RENDERERS, Kramdown
from .text import collapse_whitespace, strip_xml_illegal, truncate

# Python-Markdown (with its extensions), lxml.html and nh3 take tens of
# milliseconds to load, so they are imported where they are used: a build that
# renders nothing (everything cached, or a dry run) never loads them.
if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from markdown import Markdown

__all__ = [
    "BUILT_IN_EXTENSIONS",
    "MORE_SEPARATOR",
    "RENDERERS",
    "block_breaks",
    "check_markdown_extensions",
    "check_renderer",
    "convert",
    "forget_renderers",
    "has_words",
    "html_to_text",
    "markdown_renderer",
    "markdown_text",
    "plain_text",
    "prepare_renderer",
    "render_markdown",
    "sanitize_html",
    "summarize",
]

#: Text before this marker is a post's summary, as in Jekyll and Hugo.
MORE_SEPARATOR = "<!--more-->"

# Extension sets that Python-Markdown always has.
BUILT_IN_EXTENSIONS = frozenset({(), ("extra",)})
_SANITIZE_SCHEMES = {"http", "https", "mailto"}

# Markdown without markup: ASCII letters, digits and spaces, the ASCII
# punctuation that neither Python-Markdown (bare or with "extra") nor
# CommonMark gives a meaning inside a line, and non-ASCII text (see below).
# So no newline or tab (no second line or block), no "&" or "<" (no entity,
# no HTML), no "*", "_", "`", "[", "\\", "|", "~", "{", "#", ">", "+" or "=".
_PLAIN = r"[A-Za-z0-9 .,;:?!'\"()/%@\x80-\U0010ffff-]*"
# Line starts that mean something even so: an indented code block, a list item
# or rule ("-", "1. ", "1) "; Python-Markdown's \d is any Unicode digit) and a
# definition (":"), each after up to three spaces.
_BLOCK_START = r" {4}| *(?:[-:]|\d+[.)](?: |\Z))"
# Non-ASCII letters, marks, numbers, punctuation and symbols are text to both
# renderers; separators, controls, format characters and unassigned code
# points are left to them.
_PLAIN_CATEGORIES = frozenset("LMNPS")


@functools.cache
def _plain_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """:data:`_PLAIN` and :data:`_BLOCK_START` compiled, on first use (milliseconds a build may not need)."""
    return re.compile(_PLAIN), re.compile(_BLOCK_START)


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
def block_breaks() -> frozenset[str]:
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


def prepare_renderer(extensions: Sequence[str], renderer: str, kramdown: Kramdown | None = None) -> None:
    """Import the renderer and lxml.html and build the Markdown parser, ahead of the first post.

    A cold build runs this in a thread while worker processes read the posts,
    so rendering the posts its feeds show does not start by waiting for it.
    """
    if renderer == "commonmark":
        import cmarkgfm  # noqa: F401
    elif renderer == "kramdown":
        from .kramdown import kramdown_renderer

        kramdown_renderer(kramdown or Kramdown())
    else:
        markdown_renderer(tuple(extensions))
    import lxml.html  # noqa: F401


def check_markdown_extensions(extensions: tuple[str, ...]) -> tuple[str, ...]:
    """``extensions`` if Python-Markdown can load them; :class:`ConfigError` otherwise.

    No extensions and ``("extra",)`` ship with Python-Markdown and need no
    trial load, so reading a default configuration does not import it.
    """
    if extensions not in BUILT_IN_EXTENSIONS:
        markdown_renderer(extensions)
    return extensions


def check_renderer(name: str) -> str:
    """``name`` if it is a renderer that can run here; :class:`ConfigError` otherwise."""
    if name not in RENDERERS:
        raise ConfigError(f"build.renderer must be one of {', '.join(RENDERERS)}, got {shown(name)}")
    if name == "commonmark":
        try:
            import cmarkgfm  # noqa: F401
        except ImportError:
            raise ConfigError(
                'build.renderer = "commonmark" needs cmarkgfm: pip install "feedlib[fast]"'
            ) from None
    return name


def _python_markdown(extensions: Sequence[str], renderer: str, kramdown: Kramdown | None) -> Markdown:
    if renderer == "kramdown":
        from .kramdown import kramdown_renderer

        return kramdown_renderer(kramdown or Kramdown())
    return markdown_renderer(tuple(extensions))


def forget_renderers() -> None:
    """Drop the cached Markdown instances: one was left mid-document."""
    markdown_renderer.cache_clear()
    from .kramdown.extension import kramdown_renderer

    kramdown_renderer.cache_clear()


def _commonmark(source: str) -> str:
    import cmarkgfm
    from cmarkgfm.cmark import Options

    # Raw HTML passes through, as in Python-Markdown; footnotes as in its "extra".
    html: str = cmarkgfm.github_flavored_markdown_to_html(
        source, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    )
    return html


def render_markdown(
    source: str,
    extensions: Sequence[str] = ("extra",),
    renderer: str = "markdown",
    kramdown: Kramdown | None = None,
) -> str:
    """Render Markdown to an HTML fragment, with Python-Markdown, cmarkgfm or as kramdown would.

    ``extensions`` are Python-Markdown's (``"markdown"`` only); cmarkgfm
    (``"commonmark"``) always renders GitHub-flavoured Markdown (tables,
    strikethrough, autolinks, footnotes); ``"kramdown"`` reads kramdown's
    dialect with the ``kramdown`` options (Jekyll's defaults if ``None``).
    Raises :class:`ValueError` for Markdown nested too deeply to render, or that
    Python-Markdown would take minutes on (:func:`~feedlib.limits.check_markdown_work`).
    """
    if renderer == "commonmark":
        return _commonmark(source)
    check_markdown_work(source)
    return convert(_python_markdown(extensions, renderer, kramdown), source)


def convert(md: Markdown, source: str) -> str:
    """``source`` rendered by the Python-Markdown instance ``md``, reset first.

    One instance keeps footnotes, abbreviations and the like between
    documents until reset. Raises :class:`ValueError` for Markdown nested too
    deeply to render (the instance, left mid-document, is dropped: the next
    post gets a new one).
    """
    try:
        html: str = md.reset().convert(source)
    except RecursionError:
        forget_renderers()
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


def _spaced(root: HtmlElement) -> HtmlElement:
    # text_content() runs blocks together ("a</p><p>b" gives "ab").
    breaks = block_breaks()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in breaks:
            element.tail = " " + (element.tail or "")
    return root


def _text_of(element: HtmlElement) -> str:
    return collapse_whitespace(strip_xml_illegal(element.text_content()))


def _plain_char(char: str) -> bool:
    return char.isascii() or unicodedata.category(char)[0] in _PLAIN_CATEGORIES


def plain_text(source: str) -> str | None:
    """The summary text of the Markdown ``source`` when it has no markup at all, else ``None``.

    For such a source ``html_to_text(render_markdown(source))`` is ``source``
    with its spaces collapsed, with either renderer and with Python-Markdown's
    built-in extension sets: this gives it without a Markdown run.
    """
    plain, block_start = _plain_patterns()
    if not plain.fullmatch(source) or block_start.match(source):
        return None
    if not source.isascii() and not all(map(_plain_char, source)):
        return None
    # No character of a plain source is one XML forbids.
    return collapse_whitespace(source)


def markdown_text(
    source: str,
    extensions: Sequence[str] = ("extra",),
    renderer: str = "markdown",
    kramdown: Kramdown | None = None,
) -> str:
    """``html_to_text(render_markdown(...))``, cheaply for plain text.

    Not cheaply for kramdown, whose plain text has smart quotes and dashes.
    """
    if renderer == "commonmark" or (renderer == "markdown" and tuple(extensions) in BUILT_IN_EXTENSIONS):
        text = plain_text(source)
        if text is not None:
            return text
    return html_to_text(render_markdown(source, extensions, renderer, kramdown))


def has_words(text: str) -> bool:
    """Whether ``text`` has a letter or digit: a block of punctuation or emoji alone is no summary."""
    return any(char.isalnum() for char in text)


def _with_alt_text(root: HtmlElement) -> HtmlElement:
    """``root`` with each image's alternative text in its place, where it is part of the text.

    It is where the block holding the image (its paragraph, list item, cell…)
    has words of its own: "![A cat](cat.png) and ![a dog](dog.png)." reads
    "A cat and a dog.", as a text browser shows it. A block of pictures
    alone gains nothing: its alt texts are no summary.
    """
    breaks = block_breaks()
    images = [image for image in root.iter("img") if (image.get("alt") or "").strip()]
    if not images:
        return root
    worded: dict[HtmlElement, bool] = {}
    chosen = []
    for image in images:
        block = next((up for up in image.iterancestors() if up.tag in breaks), root)
        if block not in worded:
            worded[block] = has_words(block.text_content())
        if worded[block]:
            chosen.append(image)
    for image in chosen:  # Only once every block has been judged by its own text.
        image.tail = " ".join(image.get("alt", "").split()) + (image.tail or "")
    return root


def html_to_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed.

    An image within text reads as its alternative text (see :func:`summarize`).
    """
    return _text_of(_with_alt_text(_spaced(fragment(html)))) if html.strip() else ""


def _first_paragraph(html: str) -> str:
    """The text of the first paragraph (else top-level block) that has words of its own.

    Its images read as their alternative text (:func:`_with_alt_text`); a
    paragraph of images alone is skipped. Without words anywhere (emoji or
    punctuation only), the first text there is.
    """
    if not html.strip():
        return ""
    root = _spaced(fragment(html))
    children = [element for element in root if isinstance(element.tag, str)]
    paragraphs = [element for element in children if element.tag == "p"]
    blocks = paragraphs + children
    for element in blocks:
        if has_words(_text_of(element)):
            return _text_of(_with_alt_text(element))
    return next(filter(None, map(_text_of, blocks)), "")


def summarize(
    excerpt: str | None,
    body: str,
    content_html: str,
    length: int,
    extensions: Sequence[str] = ("extra",),
    *,
    renderer: str = "markdown",
    kramdown: Kramdown | None = None,
    separator: str = MORE_SEPARATOR,
    text: str | None = None,
) -> str:
    """A post's plain-text summary, at most ``length`` characters.

    From the front-matter excerpt (Markdown) if there is one, else the text
    before ``separator`` (``<!--more-->``), else the first paragraph of ``content_html`` that
    has words of its own. An image within text reads as its alternative text:
    a paragraph "![A cat](cat.png) and ![a dog](dog.png)." gives "A cat and a
    dog.", not "and ."; a paragraph of images alone is skipped.
    ``text`` is the text taken so, when it is already known (read in
    Python-Markdown's tree: :mod:`feedlib.mdtree`).
    """
    if text is not None:
        pass
    elif excerpt is not None:
        text = markdown_text(excerpt, extensions, renderer, kramdown)
    elif separator and separator in body:
        text = markdown_text(body.split(separator, 1)[0], extensions, renderer, kramdown)
    else:
        text = _first_paragraph(content_html)
    return truncate(text, length)

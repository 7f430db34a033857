"""Absolute links and the first paragraph's text from Python-Markdown's own element tree.

The lxml path (:func:`~feedlib.links.absolute_links`, then the summary's
:func:`~feedlib.render.summarize`) parses the HTML Python-Markdown has just
written, twice. A tree processor that runs after every other one does the
same work on the tree Python-Markdown serialises from, where it can tell that
the result is the same:

- every link attribute is resolved as :func:`~feedlib.links.absolute_links`
  resolves it, which takes its value as written in the tree: a value with a
  character reference or a placeholder for stashed HTML is left to lxml;
- the HTML Python-Markdown stashed aside (raw HTML, fenced code) is not in
  the tree: the tree tells every link only when each stashed piece is a
  character reference, a comment, fenced code or a tag without attributes;
- the first paragraph with words is read as :func:`~feedlib.render.summarize`
  reads it, when its text holds no placeholder and no character reference.

Where it cannot tell, the post takes the lxml path, whole or for its summary.
The HTML is then Python-Markdown's own: what lxml would write again differs
only in how it writes the same HTML (a character reference such as
``&copy;`` as the character, ``&quot;`` in fenced code as ``"``, ``&`` in a
URL unescaped, non-ASCII in a URL percent-encoded).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from .limits import check_markdown_work
from .links import SPECIAL_LINK_ATTRIBUTES, SPECIAL_LINK_TAGS, absolute_srcset, joined_url, link_attributes
from .render import (
    BUILT_IN_EXTENSIONS,
    block_breaks,
    convert,
    has_words,
    markdown_renderer,
    plain_text,
)
from .text import collapse_whitespace, xml_illegal

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown
    from markdown.treeprocessors import Treeprocessor

__all__ = ["TreeRendering", "tree_render", "tree_text"]

# Text that does not read the same in the tree and in the HTML: a placeholder for
# stashed HTML, or a character reference (Python-Markdown's serialiser writes it
# as it is, and lxml reads it as the character it stands for).
_UNCLEAR = re.compile(r"[\x02\x03]|&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.IGNORECASE)
# Stashed HTML without links: a character reference; a comment; fenced code
# (escaped, with a class or id at most); a tag of a few kinds with no attribute.
_SAFE_STASH = re.compile(
    r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);"
    r"|<!--(?:(?!--)[^<>])*-->\n?"
    r'|<pre(?: (?:class|id)="[^"<>&]*")*><code(?: (?:class|id)="[^"<>&]*")*>[^<]*</code></pre>'
    r"|</?(?:b|i|em|strong|u|s|sub|sup|small|mark|kbd|code|span|del|ins|q|var|samp|dfn|abbr|div|p)>"
    r"|<(?:br|hr) ?/?>",
    re.IGNORECASE,
)
# Stashed HTML that stands as a block of its own (Python-Markdown drops the <p> around it).
_BLOCK_STASH = re.compile(r"<!--|<pre")


class TreeRendering(NamedTuple):
    """A post rendered by Python-Markdown: its HTML, and what the tree told.

    ``content`` is the HTML with every link absolute, ready for a feed, or
    ``None`` when the tree could not tell (``html`` is then Python-Markdown's
    HTML as it wrote it). ``first_paragraph`` is the text
    :func:`~feedlib.render.summarize` takes from the first paragraph, or ``None``.
    """

    html: str
    content: str | None
    first_paragraph: str | None


class _Found(NamedTuple):
    links: bool
    first_paragraph: str | None


def _stash_is_plain(md: Markdown) -> tuple[bool, frozenset[str]]:
    """Whether every stashed piece is one without links, and the placeholders of those that are blocks."""
    blocks = set()
    for index, piece in enumerate(md.htmlStash.rawHtmlBlocks):
        if not isinstance(piece, str) or (piece and not _SAFE_STASH.fullmatch(piece)):
            return False, frozenset()
        if _BLOCK_STASH.match(piece):
            blocks.add(md.htmlStash.get_placeholder(index))
    return True, frozenset(blocks)


@functools.cache
def _checked_attributes() -> frozenset[str]:
    """The attributes :func:`_link_changes` looks at: links, ``srcset``, and those that need lxml."""
    return link_attributes() | {"srcset"} | SPECIAL_LINK_ATTRIBUTES


def _plain_tag(tag: object) -> bool:
    """Whether lxml finds links on an element ``tag`` only in its plain attributes."""
    return isinstance(tag, str) and tag != "style" and tag not in SPECIAL_LINK_TAGS and tag == tag.lower()


def _resolved(name: str, value: str, base: str) -> str | None:
    """``value`` of attribute ``name`` made absolute as lxml would, or ``None`` if lxml must decide."""
    if name in SPECIAL_LINK_ATTRIBUTES or _UNCLEAR.search(value):
        return None
    if name == "srcset":
        resolved = absolute_srcset(value, base) if value else value
    else:
        resolved = joined_url(base, value.strip())
    return None if _UNCLEAR.search(resolved) else resolved


def _link_changes(root: Element, base: str) -> list[tuple[Element, str, str]] | None:
    """``(element, attribute, absolute value)`` for each link to change, or ``None`` if lxml must decide."""
    checked = _checked_attributes()
    known: set[str] = set()  # Tags already found plain.
    changes = []
    for element in root.iter():
        tag = element.tag
        if tag not in known:
            if not _plain_tag(tag):
                return None
            known.add(tag)
        if not element.attrib:
            continue
        for name, value in element.items():
            if name not in checked:
                if name != name.lower():
                    return None  # libxml2 reads attribute names in lower case.
                continue
            resolved = _resolved(name, value, base)
            if resolved is None:
                return None
            if resolved != value:
                changes.append((element, name, resolved))
    return changes


def _text(
    element: Element, breaks: frozenset[str], alt: frozenset[Element], *, nested: bool = False
) -> str | None:
    """The text lxml's ``text_content`` gives ``element`` once spaced, with the ``alt`` images' alt texts in.

    ``None`` where the text holds what lxml reads otherwise, or (unless
    ``nested``) an element after which text is spaced, other than ``br``.
    """
    parts = [element.text or ""]
    stack: list[tuple[Element, bool]] = [(child, False) for child in reversed(element)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node in alt:
                parts.append(" ".join(node.get("alt", "").split()))
            if node.tag in breaks:
                parts.append(" ")
            parts.append(node.tail or "")
            continue
        if not nested and node.tag in breaks and node.tag != "br":
            return None  # A block inside a paragraph: its images' alt texts are judged by its own words.
        if node in alt and _UNCLEAR.search(node.get("alt", "")):
            return None
        parts.append(node.text or "")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    text = "".join(parts)
    return None if _UNCLEAR.search(text) else text


def _first_paragraph(root: Element, blocks: frozenset[str]) -> str | None:
    """The first paragraph with words, as :func:`feedlib.render._first_paragraph` reads it; else ``None``."""
    breaks = block_breaks()
    for element in root:
        if element.tag != "p" or (not len(element) and element.text in blocks):
            continue  # Not a paragraph in the HTML (a stashed block stands there).
        text = _text(element, breaks, frozenset())
        if text is None:
            return None
        if has_words(text):
            images = frozenset(image for image in element.iter("img") if (image.get("alt") or "").strip())
            with_alt = _text(element, breaks, images)
            return None if with_alt is None else collapse_whitespace(with_alt)
    return None


def _read_tree(md: Markdown, root: Element, *, base: str) -> _Found:
    """Make the links under ``root`` absolute where the tree tells them all; read the first paragraph."""
    plain, blocks = _stash_is_plain(md)
    changes = _link_changes(root, base) if plain else None
    if changes is None:
        return _Found(False, None)
    for element, name, value in changes:
        element.set(name, value)
    return _Found(True, _first_paragraph(root, blocks))


def _image_blocks(root: Element, breaks: frozenset[str]) -> list[tuple[Element, Element]]:
    """Each image with alternative text, and the nearest element around it after which text is spaced."""
    found = []
    stack = [(child, root) for child in reversed(root)]
    while stack:
        node, block = stack.pop()
        if node.tag == "img" and (node.get("alt") or "").strip():
            found.append((node, block))
        inner = node if node.tag in breaks else block
        stack.extend((child, inner) for child in reversed(node))
    return found


def _read_text(md: Markdown, root: Element) -> str | None:
    """The whole text, as :func:`feedlib.render.html_to_text` reads Python-Markdown's HTML; else ``None``."""
    breaks = block_breaks()
    images = _image_blocks(root, breaks)
    worded: dict[Element, bool] = {}
    for _, block in images:
        if block not in worded:
            text = _text(block, breaks, frozenset(), nested=True)
            if text is None:
                return None
            worded[block] = has_words(text)
    text = _text(root, breaks, frozenset(image for image, block in images if worded[block]), nested=True)
    if text is None or xml_illegal().search(text):
        return None
    return collapse_whitespace(text)


@functools.cache
def _processor_class() -> type[Treeprocessor]:
    from markdown.treeprocessors import Treeprocessor

    class TreeReader(Treeprocessor):
        """Armed with a reader, keeps what it finds in the finished tree; idle otherwise."""

        reader: Callable[[Markdown, Element], object] | None = None
        found: object = None

        def run(self, root: Element) -> None:
            if self.reader is not None:
                self.found = self.reader(self.md, root)

    return TreeReader


_NAME = "feedlib-tree-reader"


def _armed(extensions: tuple[str, ...]) -> Markdown:
    """The cached Markdown instance for ``extensions``, with the tree processor last."""
    md = markdown_renderer(extensions)
    if _NAME not in md.treeprocessors:
        # Below every tree processor of the built-in extension sets (the lowest, unescape, is 0).
        md.treeprocessors.register(_processor_class()(md), _NAME, -100)
    return md


def _armed_processor(md: Markdown) -> Treeprocessor:
    processor: Treeprocessor = md.treeprocessors[_NAME]
    return processor


def _read(md: Markdown, source: str, reader: Callable[[Markdown, Element], object]) -> tuple[str, object]:
    """``source`` rendered by ``md``, and what ``reader`` found in its tree."""
    processor = _armed_processor(md)
    processor.reader, processor.found = reader, None  # type: ignore[attr-defined]
    try:
        return convert(md, source), processor.found  # type: ignore[attr-defined]
    finally:
        processor.reader = processor.found = None  # type: ignore[attr-defined]


def tree_render(source: str, extensions: Sequence[str], base_url: str) -> TreeRendering:
    """Render ``source`` with Python-Markdown; links made absolute and first paragraph read in its tree.

    Only for Python-Markdown's built-in extension sets (no extension, or
    ``"extra"``), whose every step is known; with others the tree tells
    nothing. Raises :class:`ValueError` as :func:`~feedlib.render.render_markdown` does.
    """
    check_markdown_work(source)
    wanted = tuple(extensions)
    if wanted not in BUILT_IN_EXTENSIONS:
        return TreeRendering(convert(markdown_renderer(wanted), source), None, None)
    md = _armed(wanted)
    html, found = _read(md, source, partial(_read_tree, base=base_url))
    if not isinstance(found, _Found) or not found.links:
        return TreeRendering(html, None, None)
    if xml_illegal().search(html):
        # lxml reads such characters its own way: the post is rendered again, untouched.
        return TreeRendering(convert(md, source), None, None)
    return TreeRendering(html, html.replace("]]>", "]]&gt;"), found.first_paragraph)


def tree_text(source: str, extensions: Sequence[str]) -> str | None:
    """:func:`~feedlib.render.markdown_text` of ``source`` (Python-Markdown), read in its tree; else ``None``.

    ``None`` where the tree cannot tell (stashed HTML in the text, a character
    reference) and for extension sets other than the built-in ones.
    Raises :class:`ValueError` as :func:`~feedlib.render.render_markdown` does.
    """
    wanted = tuple(extensions)
    if wanted not in BUILT_IN_EXTENSIONS:
        return None
    plain = plain_text(source)
    if plain is not None:
        return plain
    check_markdown_work(source)
    _, found = _read(_armed(wanted), source, _read_text)
    return found if isinstance(found, str) else None

r"""The finishing touches of kramdown on Python-Markdown's element tree, and its math blocks.

- header ids as kramdown makes them (``auto_ids``): GFM keeps Unicode
  letters, the kramdown parser ASCII only; duplicates numbered ``-1``,
  ``-2``; ``auto_id_prefix`` in front;
- the table of contents ``{:toc}`` asks for: a nested list of links to the
  headers of ``toc_levels`` that have an id (``.no_toc`` excluded);
- footnotes numbered from ``footnote_nr``;
- GFM task lists (``[ ]``, ``[x]``);
- a block ``$$…$$`` as MathJax's ``\[…\]``.
"""

from __future__ import annotations

import copy
import html
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections import Counter
from typing import TYPE_CHECKING

from markdown.blockprocessors import BlockProcessor, ReferenceProcessor
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from markdown import Markdown
    from markdown.blockparser import BlockParser

    from ..model import Kramdown
    from .blocks import Marks

__all__ = ["gfm_id", "kramdown_id", "register_tree"]

_HEADERS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ESCAPED = re.compile("\x02(\\d+)\x03")
_PLACEHOLDER = re.compile("\x02[^\x02\x03]*\x03")
_TASK = re.compile(r"\s*\[([ xX])\]\s+")
_BLOCKS = frozenset({"pre", "table", "dl", "div", "blockquote", "p", *_HEADERS})


def _headers(root: etree.Element) -> list[etree.Element]:
    return [element for element in root.iter() if element.tag in _HEADERS]


def gfm_id(text: str) -> str:
    """kramdown-parser-gfm's id for a header's text: lower case, word characters, ``-`` for spaces."""
    kept = (c for c in text.lower() if c in "- \t" or unicodedata.category(c)[0] in "LMN" or c == "_")
    return "".join(kept).replace(" ", "-").replace("\t", "-")


def kramdown_id(text: str) -> str:
    """The id kramdown gives a header's text: ASCII letters, digits and ``-``, from the first letter."""
    kept = re.sub(r"[^a-zA-Z0-9 -]", "", re.sub(r"^[^a-zA-Z]+", "", text))
    return kept.replace(" ", "-").lower() or "section"


def _text(element: etree.Element) -> str:
    """A header's text as kramdown reads it: no footnote marks, no raw HTML, escapes undone."""
    parts = [element.text or ""]
    for child in element:
        if not (child.tag == "sup" and str(child.get("id", "")).startswith("fnref")):
            parts.append(_text(child))
        parts.append(child.tail or "")
    text = _ESCAPED.sub(lambda m: chr(int(m[1])), "".join(parts))
    return _PLACEHOLDER.sub("", text)


class _HeaderIds(Treeprocessor):
    """An id for every header that has none, as kramdown's ``auto_ids`` gives it."""

    def __init__(self, md: Markdown, options: Kramdown) -> None:
        super().__init__(md)
        self.options = options

    def run(self, root: etree.Element) -> None:
        seen: Counter[str] = Counter()
        make = gfm_id if self.options.gfm else kramdown_id
        for header in _headers(root):
            if header.get("id"):
                continue
            base = make(_text(header))
            count = seen[base]
            seen[base] += 1
            header.set("id", self.options.auto_id_prefix + (f"{base}-{count}" if count else base))


def _toc_entry(header: etree.Element, list_id: str) -> etree.Element:
    """An item of the table of contents: a link to ``header`` with a copy of its content."""
    item = etree.Element("li")
    ident = header.get("id")
    link = etree.SubElement(item, "a", {"href": f"#{ident}", "id": f"{list_id}-{ident}"})
    content = copy.deepcopy(header)
    for parent in list(content.iter()):
        for child in list(parent):
            if child.tag == "sup" and str(child.get("id", "")).startswith("fnref"):
                _remove(parent, child, keep_content=False)
            elif child.tag == "a":
                _remove(parent, child, keep_content=True)
    link.text = content.text
    link.extend(list(content))
    return item


def _remove(parent: etree.Element, child: etree.Element, *, keep_content: bool) -> None:
    """Take ``child`` out of ``parent``, keeping its tail (and, if asked, its text and children)."""
    index = list(parent).index(child)
    moved = list(child) if keep_content else []
    parent.remove(child)
    _add_text(parent, index, (child.text or "") if keep_content else "")
    for offset, grandchild in enumerate(moved):
        parent.insert(index + offset, grandchild)
    _add_text(parent, index + len(moved), child.tail or "")


def _add_text(parent: etree.Element, index: int, text: str) -> None:
    """Add ``text`` where the child at ``index`` of ``parent`` would start."""
    if not text:
        return
    if index > 0:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _TableOfContents(Treeprocessor):
    """The list ``{:toc}`` stands for: links to the headers, nested by level, as kramdown writes it."""

    def __init__(self, md: Markdown, options: Kramdown, marks: Marks) -> None:
        super().__init__(md)
        self.options = options
        self.marks = marks

    def run(self, root: etree.Element) -> None:
        if not (self.marks.toc or self.marks.separators):
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for paragraph in [p for p in root.iter("p") if (p.text or "").strip() in self.marks.separators]:
            parents[paragraph].remove(paragraph)
        headers = [
            header
            for header in _headers(root)
            if header.get("id")
            and int(header.tag[1]) in self.options.toc_levels
            and "no_toc" not in str(header.get("class", "")).split()
        ]
        for placeholder, kind in self.marks.toc:
            for paragraph in root.iter("p"):
                if (paragraph.text or "").strip() == placeholder and paragraph in parents:
                    parent = parents[paragraph]
                    index = list(parent).index(paragraph)
                    parent.remove(paragraph)
                    if headers:
                        parent.insert(index, self._tree(headers, kind))
                    break

    def _tree(self, headers: list[etree.Element], kind: str) -> etree.Element:
        top = etree.Element(kind, {"id": "markdown-toc"})
        stack: list[tuple[int, etree.Element]] = []
        for header in headers:
            level = int(header.tag[1])
            item = _toc_entry(header, "markdown-toc")
            while stack and stack[-1][0] >= level:
                stack.pop()
            if stack:
                owner = stack[-1][1]
                nested = owner.find(kind)
                if nested is None:
                    nested = etree.SubElement(owner, kind)
                    nested.text = nested.tail = "\n"
                nested.append(item)
            else:
                top.append(item)
            item.tail = "\n"
            stack.append((level, item))
        top.text = top.tail = "\n"
        return top


class _ItemParagraphs(Treeprocessor):
    """An item's text before a block of its own (code, a table) in a paragraph, as kramdown writes it."""

    def run(self, root: etree.Element) -> None:
        for item in root.iter("li"):
            first = next((index for index, child in enumerate(item) if child.tag in _BLOCKS), None)
            if first is None or not ((item.text or "").strip() or first > 0):
                continue
            paragraph = etree.Element("p")
            paragraph.text, item.text = (item.text or "").lstrip(), "\n"
            for child in list(item)[:first]:
                item.remove(child)
                paragraph.append(child)
            if len(paragraph):
                paragraph[-1].tail = (paragraph[-1].tail or "").rstrip()
            else:
                paragraph.text = paragraph.text.rstrip()
            paragraph.tail = "\n"
            item.insert(0, paragraph)


class _TableAlignment(Treeprocessor):
    """A column's alignment written as kramdown writes it (``text-align: left``, no semicolon)."""

    def run(self, root: etree.Element) -> None:
        for cell in root.iter():
            if cell.tag in ("th", "td") and (style := cell.get("style", "")).endswith(";"):
                cell.set("style", style[:-1])


class _FootnoteNumbers(Treeprocessor):
    """Footnotes numbered from kramdown's ``footnote_nr``."""

    def __init__(self, md: Markdown, first: int) -> None:
        super().__init__(md)
        self.first = first

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if link.get("class") == "footnote-ref" and (link.text or "").isdigit():
                link.text = str(int(link.text or "0") + self.first - 1)
        for division in root.iter("div"):
            listing = division.find("ol") if division.get("class") == "footnote" else None
            if listing is not None:
                listing.set("start", str(self.first))


class _TaskLists(Treeprocessor):
    """GFM task lists: an item starting ``[ ]`` or ``[x]`` gets a checkbox."""

    def run(self, root: etree.Element) -> None:
        for listing in [*root.iter("ul"), *root.iter("ol")]:
            tasks = [self._check(item) for item in listing.findall("li")]
            if any(tasks):
                listing.set("class", "task-list")

    def _check(self, item: etree.Element) -> bool:
        target = item[0] if not (item.text or "").strip() and len(item) and item[0].tag == "p" else item
        match = _TASK.match(target.text or "")
        if match is None:
            return False
        box = etree.Element("input", {"type": "checkbox", "class": "task-list-item-checkbox"})
        box.set("disabled", "disabled")
        if match[1] != " ":
            box.set("checked", "checked")
        box.tail = (target.text or "")[match.end() :]
        target.text = None
        target.insert(0, box)
        item.set("class", "task-list-item")
        return True


class _MathBlock(BlockProcessor):
    r"""A block that is ``$$…$$`` alone: MathJax's ``\[…\]`` (or kept, with no math engine)."""

    PATTERN = re.compile(r"^ {0,3}\$\$((?:(?!\$\$).)*)\$\$\s*$", re.DOTALL)

    def __init__(self, parser: BlockParser, math: bool) -> None:
        super().__init__(parser)
        self.math = math

    def test(self, parent: etree.Element, block: str) -> bool:
        return self.PATTERN.match(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = self.PATTERN.match(blocks.pop(0))
        assert match is not None
        body = match[1].strip()
        text = f"\\[{body}\\]" if self.math else f"$$\n{body}\n$$"
        etree.SubElement(parent, "p").text = self.parser.md.htmlStash.store(html.escape(text, quote=False))


class _Reference(ReferenceProcessor):
    """A reference definition, whose URL may be ``<in angle brackets, with spaces>`` as in kramdown."""

    RE = re.compile(
        ReferenceProcessor.RE.pattern.replace(r"([^\s]+)", r"(<[^>\n]*>|[^\s]+)", 1), re.MULTILINE
    )


def register_tree(md: Markdown, options: Kramdown, marks: Marks) -> None:
    """Register kramdown's block math, reference definitions and treeprocessors on ``md``."""
    md.parser.blockprocessors.register(_MathBlock(md.parser, options.math), "kramdown_math", 77)
    md.parser.blockprocessors.register(_Reference(md.parser), "reference", 15)
    if options.auto_ids:
        md.treeprocessors.register(_HeaderIds(md, options), "kramdown_ids", 6)
    md.treeprocessors.register(_TableOfContents(md, options, marks), "kramdown_toc", 5)
    md.treeprocessors.register(_ItemParagraphs(md), "kramdown_item_paragraphs", 4.5)
    md.treeprocessors.register(_TableAlignment(md), "kramdown_table_alignment", 4.4)
    if options.footnote_nr != 1:
        md.treeprocessors.register(_FootnoteNumbers(md, options.footnote_nr), "kramdown_footnotes", 4)
    if options.gfm:
        md.treeprocessors.register(_TaskLists(md), "gfm_task_lists", 3)

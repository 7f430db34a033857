"""The block structure of kramdown, rewritten line by line into what Python-Markdown reads the same way.

Python-Markdown nests a list only 4 spaces in, never lets a list interrupt a
paragraph, and knows none of kramdown's block extensions. Before it parses,
:func:`rewrite` turns a post's lines into their Python-Markdown equivalent:

- list items re-indented to 4 spaces a level (kramdown-parser-gfm nests a
  list 2 spaces in), and (GFM) a blank line before a list that interrupts a
  paragraph;
- a line right after an indented code block joined to its last line, as
  kramdown's lazy continuation does;
- block attribute lists ``{: …}`` moved onto the header they follow, or
  dropped where Python-Markdown would print them; attribute list
  definitions ``{:name: …}`` expanded where referenced;
- ``* TOC`` + ``{:toc}`` replaced by a marker the TOC treeprocessor fills;
- the end-of-block marker ``^`` made a blank line; ``{::comment}``,
  ``{::nomarkdown}`` and ``{::options}`` taken out;
- (GFM) ``#`` not followed by a space is not a header; (kramdown input) nor
  is a header line right after a paragraph line;
- with ``parse_block_html``, ``markdown="1"`` added to HTML blocks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Kramdown

__all__ = ["Marks", "rewrite"]

_ITEM = re.compile(r"^( *)([*+-]|\d+\.)([ \t]+|$)(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_FENCE = re.compile(r"^( *)(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#")
_ATX_NO_SPACE = re.compile(r"^( {0,3})(#{1,6})(?=[^#\s])")
_HEADER_ID = re.compile(r"(?<!\\)\s*\{#([\w:.-]+)\}\s*$")
_HEADER_IAL = re.compile(r"(\{:[^}]*\}\s*#*\s*)$")
_IAL = re.compile(r"^ {0,3}\{:(?!:)\s*([^}]*)\}\s*$")
_ALD = re.compile(r"^ {0,3}\{:([\w-]+):\s*([^}]*)\}\s*$")
_EOB = re.compile(r"^ {0,3}\^\s*$")
_HTML_START = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])([^>]*)>?")
_EXTENSION_START = re.compile(r"\{::(comment|nomarkdown)\}|\{::(options)\b[^}]*/\}")
_EXTENSION_END = re.compile(r"\{:/(comment|nomarkdown|)\}")
_IAL_TOKEN = re.compile(r"""[.#][^\s"'=]+|[^\s"'=]+=(?:"[^"]*"|'[^']*'|\S+)|[^\s"'=]+""")
_NOT_LAZY = (">", "<", "```", "~~~", "|")
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "details", "dialog", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "li", "main"),
        *("nav", "ol", "p", "section", "table", "ul"),
    }
)


@dataclass
class Marks:
    """What the rewrite leaves for the treeprocessors: where each ``{:toc}`` list was."""

    #: The stash placeholder standing for the table of contents, and its list type.
    toc: list[tuple[str, str]] = field(default_factory=list)
    #: Placeholders that only keep two lists apart: their paragraphs go.
    separators: set[str] = field(default_factory=set)

    def clear(self) -> None:
        """Forget the last document's marks."""
        self.toc.clear()
        self.separators.clear()


@dataclass
class _Frame:
    """An open list item: where its marker and its content are, in the source and in the output."""

    marker: int
    content: int
    depth: int
    ordered: bool = False

    @property
    def out_content(self) -> int:
        return 4 * (self.depth + 1)


class _Rewriter:
    """The state of one pass over a post's lines."""

    def __init__(self, options: Kramdown, stash: Callable[[str], str], marks: Marks) -> None:
        self.options = options
        self.stash = stash
        self.marks = marks
        self.out: list[str] = []
        self.frames: list[_Frame] = []
        self.list_start = 0
        self.prev = "blank"
        self.fence: str | None = None
        self.fence_shift = 0
        # kramdown input: the lines of a backtick "fence", which is a code span there.
        self.span: list[str] | None = None
        self.span_indent = (0, 0)
        self.html: tuple[str, int] | None = None
        self.alds: dict[str, str] = {}

    # --- a line of each kind ------------------------------------------------------------

    def line(self, text: str) -> None:
        if self.fence is not None:
            self._in_fence(text)
        elif self.html is not None:
            self._in_html(text)
        elif not text.strip():
            self.out.append("")
            self.prev = "blank"
        elif _EOB.match(text):
            self._end_of_block()
        elif self.prev == "code" and text.startswith("    "):
            self.out.append(text)
        elif self.prev == "code" and _joins_code(text):
            self.out[-1] += " " + text.strip()
        elif _ALD.match(text) or _IAL.match(text):
            self._attributes(text)
        else:
            self._block(text)

    def _end_of_block(self) -> None:
        """The end-of-block mark ``^``: the block ends, and a list with it (Python-Markdown would go on)."""
        self.out.append("")
        if self.frames:
            self._separate()
        self.frames.clear()
        self.prev = "blank"

    def _separate(self) -> None:
        """Something between two blocks that Python-Markdown would otherwise read as one list."""
        separator = self.stash("")
        self.marks.separators.add(separator)
        self.out.extend(["", separator, ""])

    def _in_fence(self, text: str) -> None:
        assert self.fence is not None
        marker = self.fence
        indent = len(text) - len(text.lstrip(" "))
        stripped = text.strip()
        closes = stripped.startswith(marker) and not stripped.strip(marker[0])
        if self.span is not None:
            self._in_span(text, closes)
            return
        self.out.append(" " * max(0, indent + self.fence_shift) + text.lstrip(" "))
        if closes:
            self.fence = None
            self.prev = "fence"

    def _open_fence(self, marker: str, shift: int, source_indent: int) -> None:
        """A fence opened on the last line written; with kramdown input, backticks open a code span."""
        self.fence, self.fence_shift = marker, shift
        if self.options.gfm or marker[0] != "`":
            return
        line = self.out.pop()
        indent = len(line) - len(line.lstrip(" "))
        self.span = [line.lstrip(" ")[len(marker) :]]
        self.span_indent = (indent, source_indent)

    def _in_span(self, text: str, closes: bool) -> None:
        assert self.span is not None
        written, source = self.span_indent
        if not closes:
            indent = len(text) - len(text.lstrip(" "))
            self.span.append(text[min(indent, source) :])
            return
        code = html.escape("\n".join(self.span) + "\n", quote=False)
        self.out.append(" " * written + self.stash(f"<code>{code}</code>"))
        self.fence = self.span = None
        self.prev = "text"

    def _in_html(self, text: str) -> None:
        assert self.html is not None
        self.out.append(text)
        self._html_depth(self.html[0], self.html[1], text)

    def _html_depth(self, tag: str, depth: int, text: str) -> None:
        depth += len(re.findall(rf"<{tag}[\s>]", text, re.IGNORECASE))
        depth -= len(re.findall(rf"</{tag}\s*>", text, re.IGNORECASE))
        self.html = (tag, depth) if depth > 0 else None
        self.prev = "html"

    # --- blocks ---------------------------------------------------------------------------

    def _block(self, text: str) -> None:
        indent = len(text) - len(text.lstrip(" "))
        item = _ITEM.match(text)
        if item and not _RULE.match(text) and self._starts_item(indent):
            self._item(item)
        elif self.prev == "item-code" and indent < self.frames[-1].content + 4 and _joins_code(text):
            self.out[-1] += " " + text.strip()
        elif self.frames and self._in_list(text, indent):
            pass
        elif indent >= 4 and self.prev in ("blank", "fence", "html"):
            self.out.append(text)
            self.prev = "code"
        else:
            self._plain(text)

    def _starts_item(self, indent: int) -> bool:
        if not self.frames:
            return indent <= 3 and (self.options.gfm or self.prev != "text")
        return True

    def _item(self, item: re.Match[str]) -> None:
        indent, marker, space, rest = len(item[1]), item[2], item[3], item[4]
        frame = self._place(indent)
        if frame is None:
            # kramdown input: not indented enough to nest, too far to be a sibling: text.
            written = item[0].lstrip(" ")
            written = written.replace(".", "\\.", 1) if written[0].isdigit() else "\\" + written
            self.out.append(" " * self.frames[-1].out_content + written)
            self.prev = "item-text"
            return
        if self.prev in ("text", "item-text"):
            # A list interrupting a paragraph (GFM), or an item after a paragraph of the last one.
            self.out.append("")
        frame.ordered = marker[0].isdigit()
        if frame.depth < len(self.frames) and self.frames[frame.depth].ordered != frame.ordered:
            # kramdown starts another list where the kind of marker changes; Python-Markdown
            # needs something between two lists to keep them apart.
            self._separate()
        if not self.frames:
            self.list_start = len(self.out)
        del self.frames[frame.depth :]
        frame.content = indent + len(marker) + (len(space) if 0 < len(space) <= 4 else 1)
        self.frames.append(frame)
        self.out.append(" " * (4 * frame.depth) + marker + " " + rest)
        self.prev = "item"

    def _place(self, indent: int) -> _Frame | None:
        """The frame of an item at ``indent``: a sibling or a child of an open one; ``None``: text."""
        gfm = self.options.gfm
        while self.frames:
            top = self.frames[-1]
            if indent >= (top.marker + 2 if gfm else top.content):
                return _Frame(indent, 0, len(self.frames))
            if not gfm and top.marker + 1 < indent and self.prev != "blank":
                return None
            if indent >= top.marker:
                return _Frame(indent, 0, top.depth)
            self.frames.pop()
        return _Frame(indent, 0, 0)

    def _in_list(self, text: str, indent: int) -> bool:
        """Whether ``text`` continues an open item (then written re-indented); if not, the list ends."""
        stripped = text.lstrip(" ")
        plain = not (_ATX.match(stripped) or stripped.startswith(_NOT_LAZY))
        top = self.frames[-1]
        if self.prev in ("item", "item-lazy") and plain and indent < top.content + 4:
            # The item's first paragraph goes on: Python-Markdown keeps such a line's
            # indentation in the text, so it is written where the item's marker is.
            self.out.append(" " * (4 * top.depth) + stripped)
            self.prev = "item-lazy"
            return True
        for frame in reversed(self.frames):
            if indent >= frame.content:
                if self.prev == "blank":
                    del self.frames[frame.depth + 1 :]
                self.out.append(" " * (frame.out_content + indent - frame.content) + stripped)
                code = indent - frame.content >= 4 and self.prev in ("blank", "item-code")
                self.prev = "item-code" if code else "item-text"
                fence = _FENCE.match(stripped)
                if fence is not None:
                    self._open_fence(fence[2], frame.out_content - frame.content, frame.content)
                return True
        if self.prev != "blank" and plain:
            self.out.append(" " * top.out_content + stripped)
            self.prev = "item-text"
            return True
        self.frames.clear()
        return False

    def _plain(self, text: str) -> None:
        """A line outside any list: a fence, an HTML block, a header or a paragraph line."""
        fence = _FENCE.match(text)
        if fence is not None and len(fence[1]) <= 3:
            self.out.append(text)
            self._open_fence(fence[2], 0, 0)
            return
        html_start = _HTML_START.match(text)
        if html_start is not None and html_start[1].lower() in _BLOCK_TAGS and self.prev != "text":
            self._html_start(text, html_start)
            return
        if _ATX.match(text):
            # kramdown takes only {#id} at the end of a header, not an attribute list.
            text = _HEADER_IAL.sub(r"\\\1", text)
        if self.options.gfm:
            text = _ATX_NO_SPACE.sub(r"\1\\\2", text)
        elif self.prev == "text" and _ATX.match(text):
            text = text.replace("#", "\\#", 1)
        self.out.append(text)
        self.prev = "header" if _ATX.match(text) else "text"

    def _html_start(self, text: str, match: re.Match[str]) -> None:
        if "markdown=" not in match[2] and self.options.parse_block_html:
            text = text[: match.end(2)] + ' markdown="1"' + text[match.end(2) :]
        self.out.append(text)
        if "markdown=" in text:
            self.prev = "html"
        else:
            self._html_depth(match[1].lower(), 0, text)

    # --- attribute lists --------------------------------------------------------------------

    def _attributes(self, text: str) -> None:
        ald = _ALD.match(text)
        if ald is not None:
            self.alds[ald[1]] = ald[2]
            return
        ial = _IAL.match(text)
        assert ial is not None
        tokens = self._expand(ial[1])
        if "toc" in tokens and self.frames:
            self._toc()
            return
        tokens = [token for token in tokens if token[0] in ".#" or "=" in token]
        if not tokens:
            return
        if self.prev == "header":
            # One attribute list for the header: with its own {#id}, if it has one.
            own = _HEADER_ID.search(self.out[-1])
            if own is not None:
                self.out[-1] = self.out[-1][: own.start()]
                tokens.insert(0, "#" + own[1])
            self.out[-1] = self.out[-1].rstrip() + " {: " + " ".join(tokens) + "}"
            return
        attributes = "{: " + " ".join(tokens) + "}"
        if self.prev in ("item", "item-lazy"):
            self.out.append(" " * (4 * self.frames[-1].depth) + attributes)
        elif self.prev in ("text", "item-text"):
            self.out.append(" " * (self.frames[-1].out_content if self.frames else 0) + attributes)

    def _expand(self, text: str) -> list[str]:
        tokens: list[str] = []
        for token in _IAL_TOKEN.findall(text):
            if token in self.alds:
                tokens.extend(_IAL_TOKEN.findall(self.alds[token]))
            else:
                tokens.append(token)
        return tokens

    def _toc(self) -> None:
        if self.marks.toc:
            return  # kramdown writes one table of contents: the first list marked {:toc}.
        first = self.out[self.list_start].lstrip(" ") if self.list_start < len(self.out) else "*"
        del self.out[self.list_start :]
        placeholder = self.stash("")
        self.marks.toc.append((placeholder, "ol" if first[:1].isdigit() else "ul"))
        self.out.extend(["", placeholder, ""])
        self.frames.clear()
        self.prev = "blank"


def _joins_code(text: str) -> bool:
    """Whether kramdown takes a line right after code (no blank line between) into the code, lazily."""
    return not (text.lstrip(" ").startswith("<") or _IAL.match(text))


def _extensions(text: str, stash: Callable[[str], str]) -> str:
    """The extensions ``{::comment}``, ``{::nomarkdown}`` and ``{::options /}``, as kramdown reads them."""
    if "{::" not in text:
        return text
    written: list[str] = []
    position = 0
    while (start := _EXTENSION_START.search(text, position)) is not None:
        written.append(text[position : start.start()])
        position = start.end()
        if start[2] == "options":
            continue
        end = _EXTENSION_END.search(text, position)
        if end is None:
            written.append(start[0])  # Not closed (nor any after it): text, as in kramdown.
            break
        if end[1] not in ("", start[1]):
            written.append(start[0])
            continue
        body, position = text[start.end() : end.start()], end.end()
        if start[1] == "comment":
            written.append(stash(f"<!-- {html.escape(body.strip(), quote=False).replace('--', '- -')} -->"))
        else:
            written.append(stash(body))
    written.append(text[position:])
    return "".join(written)


def _join_attribute_lines(lines: list[str]) -> list[str]:
    """A span attribute list ``{: …}`` broken over two lines, joined (kramdown allows it)."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        start = previous.rfind("{:")
        if start >= 0 and "}" not in previous[start:] and "}" in line and line.strip():
            joined[-1] = previous + " " + line.lstrip()
        else:
            joined.append(line)
    return joined


def rewrite(lines: list[str], options: Kramdown, stash: Callable[[str], str], marks: Marks) -> list[str]:
    """``lines`` of kramdown Markdown as lines Python-Markdown reads the same way.

    ``stash`` keeps raw HTML out of Markdown's way and returns its placeholder
    (Python-Markdown's ``htmlStash.store``); ``marks`` collects what the
    treeprocessors need to finish the job.
    """
    text = _extensions("\n".join(lines), stash)
    rewriter = _Rewriter(options, stash, marks)
    for line in _join_attribute_lines(text.split("\n")):
        rewriter.line(line)
    return rewriter.out

"""What one post may cost: its size, and the work Python-Markdown's super-linear corners would take.

A build reads and renders posts written by people it does not control (a
guest author, a pull request, a scraped archive): one post must not take
minutes or gigabytes. A post file is at most :data:`MAX_POST_BYTES`; and
Markdown that would send Python-Markdown into one of its quadratic corners is
refused before it is rendered, with a message that says how to write it
instead. (cmarkgfm, ``renderer = "commonmark"``, renders in linear time and
needs no such check.)
"""

from __future__ import annotations

import re

__all__ = ["MAX_MARKDOWN_WORK", "MAX_POST_BYTES", "check_markdown_work", "markdown_work"]

#: The largest post file feedlib reads: 10 MiB, far above any post (Python-Markdown
#: renders about 2.5 MB a second), far below what would take minutes.
MAX_POST_BYTES = 10 * 1024 * 1024

#: The most characters Python-Markdown may read again in its quadratic corners for one
#: text: one to two seconds of work here (20,000 "[" would be 200 million: minutes). A
#: post of ordinary prose and code is far below: this README five times over is 3,000.
MAX_MARKDOWN_WORK = 5_000_000

# Brackets (not escaped), and the blank lines that end a block: Python-Markdown looks for
# the "]" of each "[" to the end of its block, one character at a time, so every "[" without
# one costs the rest of the block.
_BRACKETS = re.compile(r"\\.|[\[\]]|\n[ \t]*\n")
# What Python's html.parser takes for the start of a tag, and its end: from each start, it
# reads on to the next ">".
_TAGS = re.compile(r"<[A-Za-z/!?]|>")
# html.parser reads with a regular expression (C): four to ten times cheaper a character.
_TAG_WEIGHT = 4
# A fenced code block's opening line (its text is code: neither is read in it).
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def _outside_fences(text: str) -> str:
    """``text`` without its fenced code blocks (an unclosed one runs to the end), blocks kept apart."""
    pieces: list[str] = []
    position = 0
    while (opening := _FENCE.search(text, position)) is not None:
        pieces.append(text[position : opening.start()])
        fence = opening.group(1)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        end = closing.search(text, opening.end())
        position = len(text) if end is None else end.end()
    pieces.append(text[position:])
    return "\n\n".join(pieces)


def _bracket_work(text: str) -> int:
    """Characters Python-Markdown reads looking for the ``]`` of every ``[``."""
    work = 0
    opened: list[int] = []
    for match in _BRACKETS.finditer(text):
        found = match.group()
        if found == "[":
            opened.append(match.start())
        elif found == "]":
            if opened:
                work += match.start() - opened.pop()
        elif found[0] == "\n":  # A block ends: every "[" still open was read to here.
            work += sum(match.start() - start for start in opened)
            opened.clear()
    return work + sum(len(text) - start for start in opened)


def _tag_work(text: str) -> int:
    """Characters Python's html.parser reads from each tag start to the next ``>``."""
    work = pending = pending_sum = 0
    for match in _TAGS.finditer(text):
        if match.group() == ">":
            work += pending * match.start() - pending_sum
            pending = pending_sum = 0
        else:
            pending += 1
            pending_sum += match.start()
    return work + pending * len(text) - pending_sum


def markdown_work(text: str) -> int:
    """How many characters Python-Markdown would read again in its quadratic corners for ``text``.

    Linear in ``text``: one pass over its brackets, one over its angle brackets,
    outside fenced code blocks (which Python-Markdown's ``extra`` sets aside
    first). 0 when it cannot reach :data:`MAX_MARKDOWN_WORK` even if every
    ``[`` and ``<`` were read to the end: most posts, at the cost of counting.
    """
    brackets, tags = text.count("["), text.count("<")
    if (brackets + tags / _TAG_WEIGHT) * len(text) <= MAX_MARKDOWN_WORK:
        return 0
    prose = _outside_fences(text) if "``" in text or "~~" in text else text
    return _bracket_work(prose) + _tag_work(prose) // _TAG_WEIGHT


def check_markdown_work(text: str) -> None:
    """Raise :class:`ValueError` for Markdown that Python-Markdown would take too long on.

    >>> check_markdown_work("[a link](https://example.com) and [another][1]")
    >>> markdown_work("[" * 20_000) > MAX_MARKDOWN_WORK
    True
    """
    work = markdown_work(text)
    if work > MAX_MARKDOWN_WORK:
        raise ValueError(
            "its Markdown would take Python-Markdown minutes to render (many '[' without ']', or '<' "
            "without '>'): escape them as \\[ and &lt;, or use renderer = \"commonmark\""
        )

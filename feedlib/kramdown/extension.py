"""The ``"kramdown"`` renderer: a Python-Markdown instance that reads Markdown as Jekyll's kramdown does.

Python-Markdown's ``extra`` extensions (abbreviations, attribute lists,
definition lists, footnotes numbered in the order they are referred to,
Markdown in HTML, tables), pymdown-extensions' SuperFences (fenced code
anywhere a block can be, as kramdown-parser-gfm reads it: inside list items
too), ``nl2br`` for ``hard_wrap``, and :class:`KramdownExtension` for the rest
(:mod:`feedlib.kramdown.blocks`, :mod:`~feedlib.kramdown.inline`,
:mod:`~feedlib.kramdown.tree`).
"""

from __future__ import annotations

import functools
import html
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor

from ..model import Kramdown
from .blocks import Marks, rewrite
from .inline import register_inline
from .tree import register_tree

__all__ = ["KramdownExtension", "kramdown_renderer"]


class _Rewrite(Preprocessor):
    """kramdown's blocks as Python-Markdown reads them (:func:`feedlib.kramdown.blocks.rewrite`)."""

    def __init__(self, md: Markdown, options: Kramdown, marks: Marks) -> None:
        super().__init__(md)
        self.options = options
        self.marks = marks

    def run(self, lines: list[str]) -> list[str]:
        return rewrite(lines, self.options, self.md.htmlStash.store, self.marks)


class KramdownExtension(Extension):
    """What kramdown reads differently from Python-Markdown with ``extra``, for one set of options."""

    def __init__(self, options: Kramdown) -> None:
        super().__init__()
        self.options = options
        self.marks = Marks()

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the rewrite of blocks, the span syntax and the treeprocessors on ``md``."""
        md.registerExtension(self)
        # After tabs are expanded (30), before fenced code (25) and HTML blocks (20).
        md.preprocessors.register(_Rewrite(md, self.options, self.marks), "kramdown_blocks", 28)
        register_inline(md, self.options)
        register_tree(md, self.options, self.marks)

    def reset(self) -> None:
        """Forget the last document (Python-Markdown calls this from ``Markdown.reset``)."""
        self.marks.clear()


def _fence(options: Kramdown) -> Any:
    """SuperFences' formatter: a code block as kramdown writes it with Rouge (without colours) or none."""

    def write(source: str, language: str, *args: Any, **kwargs: Any) -> str:
        code = html.escape(source if source.endswith("\n") else source + "\n", quote=False)
        if options.highlighter is None:
            css = f' class="language-{html.escape(language)}"' if language else ""
            return f"<pre><code{css}>{code}</code></pre>"
        language = html.escape(language or "plaintext")
        return (
            f'<div class="language-{language} highlighter-rouge"><div class="highlight">'
            f'<pre class="highlight"><code>{code}</code></pre></div></div>'
        )

    return write


@functools.lru_cache(maxsize=4)
def kramdown_renderer(options: Kramdown) -> Markdown:
    """A Python-Markdown instance for ``options``, built once and reused (reset between documents)."""
    from pymdownx.superfences import SuperFencesCodeExtension

    fences = [{"name": "*", "class": "", "format": _fence(options)}]
    extensions: list[Extension | str] = [
        AbbrExtension(),
        AttrListExtension(),
        DefListExtension(),
        FootnoteExtension(USE_DEFINITION_ORDER=False),
        MarkdownInHtmlExtension(),
        TableExtension(),
        SuperFencesCodeExtension(custom_fences=fences),
        KramdownExtension(options),
    ]
    if options.hard_wrap and options.gfm:
        extensions.append("nl2br")
    return Markdown(extensions=extensions, output_format="html")

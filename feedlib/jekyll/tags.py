"""Jekyll's Liquid tags, for python-liquid: ``link``, ``post_url``, ``highlight`` and ``include``.

``link`` and ``post_url`` write the absolute URL of another post or page;
``highlight`` writes code as Jekyll does without a highlighter; ``include``
renders a file of ``_includes/`` with its parameters as ``include.*``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token
from liquid.undefined import is_undefined

from ..errors import shown
from .filters import renderer_of

__all__ = ["INCLUDED_FROM", "INCLUDE_DEPTH", "TAGS", "include_parameters"]

_INCLUDE_NAME = re.compile(r"^[\w/.\-()+~#@]+$")
_INCLUDE_PARAM = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))"""
)
_LANGUAGE = re.compile(r"^[\w+#.-]+$")
_HIGHLIGHT_OPTION = re.compile(r"""^(linenos(?:=\w+)?|mark_lines="[\d ]*"|\w+=\S+)$""")
# Newlines at the start of a highlight block; those at its end are cut in code (a pattern
# anchored at the end is tried from every newline of a run, quadratic in the run).
_LEADING_NEWLINES = re.compile(r"\A(?:\r?\n)+")
#: The attribute a Liquid error passing out of an include gets: the ``include`` tag's token.
INCLUDED_FROM = "_feedlib_included_from"
#: How deep includes may nest: an include in a post is 1, an include in that include 2.
INCLUDE_DEPTH = 20
# Where a render context keeps how deep the include being rendered is.
_DEPTH = "feedlib_include_depth"
# An include's parameter: its name, and its literal value or the variable it names.
_Param = tuple[str, str | None, str | None]


def _expression(stream: Any, token: Token, what: str) -> str:
    """The raw text after a tag's name (``{% link PATH %}``), leaving the stream on it."""
    current = stream.current
    if current.kind != TOKEN_EXPRESSION or not current.value.strip():
        raise LiquidSyntaxError(f"{what} needs an argument", token=token)
    return str(current.value).strip()


class _TextNode(Node):
    """A node that writes what a function of the render context gives."""

    __slots__ = ("write",)

    def __init__(self, token: Token, write: Callable[[Any], str]) -> None:
        super().__init__(token)
        self.write = write
        self.blank = False

    def __str__(self) -> str:
        return f"{{% {self.token.value} %}}"

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        return buffer.write(self.write(context))


class _UrlTag(Tag):
    """A tag that names another post or page and writes its absolute URL.

    The renderer's ``resolve`` resolves the target, with the method of the tag's own name.
    """

    block = False

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        target = _expression(stream, token, self.name)
        renderer, name = renderer_of(self.env), self.name
        return _TextNode(token, lambda _: renderer.resolve(name, target, token))


class _LinkTag(_UrlTag):
    """``{% link _posts/2025-01-15-hello.md %}``: the absolute URL of that post or page."""

    name = "link"


class _PostUrlTag(_UrlTag):
    """``{% post_url 2025-01-15-hello %}``: the absolute URL of that post."""

    name = "post_url"


def _escape_html(text: str) -> str:
    """Ruby's ``CGI.escapeHTML``: ``& < > " '``."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def _without_edge_newlines(text: str) -> str:
    r"""``text`` without the line ends (``\n`` or ``\r\n``) at its start and end."""
    text = _LEADING_NEWLINES.sub("", text, count=1)
    end = len(text)
    while end and text[end - 1] == "\n":
        end -= 2 if end >= 2 and text[end - 2] == "\r" else 1
    return text[:end]


class _HighlightNode(Node):
    __slots__ = ("block", "language", "line_numbers")

    def __init__(self, token: Token, language: str, block: BlockNode, line_numbers: bool) -> None:
        super().__init__(token)
        self.language = language
        self.block = block
        self.line_numbers = line_numbers
        self.blank = False

    def __str__(self) -> str:
        return f"{{% highlight {self.language} %}}{self.block}{{% endhighlight %}}"

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        # Jekyll's highlight tag with "highlighter: none": h(code).strip, then add_code_tag.
        code = _escape_html(_without_edge_newlines(inner.getvalue())).strip()
        if self.line_numbers and renderer_of(context.env).site.kramdown.highlighter == "rouge":
            code = _rouge_table(code)
        language = _escape_html(self.language)
        css = language.replace("+", "-")
        return buffer.write(
            f'<figure class="highlight"><pre><code class="language-{css}" data-lang="{language}">'
            f"{code}</code></pre></figure>"
        )

    def children(self, static_context: Any, *, include_partials: bool = True) -> Iterable[Node]:
        yield self.block


def _rouge_table(code: str) -> str:
    """Code with its line numbers beside it, as Rouge's table formatter writes them (without colours)."""
    numbers = "".join(f"{number}\n" for number in range(1, code.count("\n") + 2))
    return (
        '<table class="rouge-table"><tbody><tr><td class="gutter gl">'
        f'<pre class="lineno">{numbers}</pre></td><td class="code"><pre>{code}\n</pre></td>'
        "</tr></tbody></table>"
    )


class _HighlightTag(Tag):
    """``{% highlight ruby linenos %}…{% endhighlight %}``: escaped code in ``<pre><code>``.

    The code is not coloured. ``linenos`` numbers the lines as Rouge (Jekyll's
    default highlighter) does; with ``highlighter: none`` it adds no numbers.
    """

    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        words = _expression(stream, token, "highlight").split()
        language, options = words[0], words[1:]
        if not _LANGUAGE.match(language):
            raise LiquidSyntaxError(f"highlight: {shown(language)} is not a language name", token=token)
        bad = [option for option in options if not _HIGHLIGHT_OPTION.match(option)]
        if bad:
            raise LiquidSyntaxError(f"highlight: unknown option {shown(bad[0])}", token=token)
        next(stream)
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return _HighlightNode(token, language, block, any(o.startswith("linenos") for o in options))


class _IncludeNode(Node):
    __slots__ = ("params", "path")

    def __init__(self, token: Token, path: str, params: list[_Param]) -> None:
        super().__init__(token)
        self.path = path
        self.params = params
        self.blank = False

    def __str__(self) -> str:
        return f"{{% include {self.path} %}}"

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        values: dict[str, object] = {}
        for name, literal, variable in self.params:
            if variable is None:
                values[name] = literal
            else:
                found = context.get(variable.split("."), token=self.token)
                values[name] = None if is_undefined(found) else found
        depth = context.tag_namespace.get(_DEPTH, 0) + 1
        try:
            if depth > INCLUDE_DEPTH:
                raise LiquidError(
                    f"include {self.path}: includes nest more than {INCLUDE_DEPTH} deep "
                    "(does an include include itself?)",
                    token=self.token,
                )
            template = context.env.get_template(self.path, context=context, tag="include")
            context.tag_namespace[_DEPTH] = depth
            with context.extend({"include": values}, template=template):
                template.render_with_context(context, buffer, partial=True)
        except LiquidError as error:
            if error.token is None:  # The loader's: the file cannot be included.
                error.token = self.token
            # Passing outwards, the last include to set this is the one in the post.
            setattr(error, INCLUDED_FROM, self.token)
            raise
        finally:
            context.tag_namespace[_DEPTH] = depth - 1
        return 1


def _after_separators(text: str, position: int) -> int:
    """The first position from ``position`` on that is not a space or a comma."""
    while position < len(text) and text[position] in " ,":
        position += 1
    return position


def include_parameters(rest: str) -> tuple[list[_Param], str]:
    """The ``name=value`` parameters of an include tag (name, literal, variable), and what is left unread.

    Each parameter is matched where the last one ended, after spaces and
    commas: a search would try every later position of a run that is no
    parameter, quadratic in the run.
    """
    params: list[_Param] = []
    position = _after_separators(rest, 0)
    while (match := _INCLUDE_PARAM.match(rest, position)) is not None:
        name, double, single, variable = match.groups()
        literal = double if double is not None else single
        params.append((name, literal, variable if literal is None else None))
        position = _after_separators(rest, match.end())
    return params, rest[position:].strip(" ,")


class _IncludeTag(Tag):
    """Jekyll's ``{% include note.html text="hi" %}``: a file of ``_includes/``, with ``include.*``."""

    block = False
    name = "include"

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = _expression(stream, token, "include")
        path, _, rest = expression.partition(" ")
        parts = PurePosixPath(path).parts
        if not _INCLUDE_NAME.match(path) or ".." in parts or path.startswith("/"):
            raise LiquidSyntaxError(
                f"include: {shown(path)} is not a file name inside _includes/ "
                "('..' and absolute paths are refused)",
                token=token,
            )
        params, unread = include_parameters(rest.strip())
        if unread:
            raise LiquidSyntaxError(f"include: cannot read the parameters {shown(unread)}", token=token)
        return _IncludeNode(token, path, params)


#: Jekyll's tags, added to Liquid's own.
TAGS: tuple[type[Tag], ...] = (_LinkTag, _PostUrlTag, _HighlightTag, _IncludeTag)

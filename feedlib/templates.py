"""Liquid in posts, rendered before Markdown as Jekyll renders it (python-liquid 2).

Jekyll's tags (``highlight``, ``link``, ``post_url``, its ``include``) and
common filters are added to a python-liquid environment with limits on loop
iterations, output size and include depth. Templates read nothing but the
post, the site's settings and the files of ``_includes/`` (read once, up
front: an include can name nothing else), never run code and never read
the clock: ``"now" | date`` is refused rather than put the build time in a feed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote, quote_plus, urlsplit

from liquid import DictLoader, Environment, Mode
from liquid.ast import BlockNode, Node
from liquid.builtin.filters.misc import date as liquid_date
from liquid.exceptions import FilterArgumentError, LiquidError, LiquidSyntaxError
from liquid.filter import with_environment
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token
from liquid.undefined import is_undefined

from .dates import parse_date, zone
from .errors import PostError
from .liquid_settings import LiquidSettings, json_value, liquid_fingerprint, read_includes, uses_liquid
from .model import Post, Site
from .posts import POST_SUFFIXES, decode_post, read_front_matter
from .render import render_markdown
from .urls import PERMALINK_STYLES, absolute_url, expand_permalink, slugify

__all__ = [
    "LiquidSettings",
    "PostRenderer",
    "liquid_fingerprint",
    "read_includes",
    "uses_liquid",
]

# Posts whose Liquid asks for another post's URL: their rendering changes when
# that post moves, so it is never cached.
_URL_TAGS = re.compile(r"\{%-?\s*(?:link|post_url)\b")
_INCLUDE_NAME = re.compile(r"^[\w/.\-()+~#@]+$")
_INCLUDE_PARAM = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))"""
)
_POST_NAME = re.compile(r"^(?:(.+)/)*(\d+-\d+-\d+)-(.*)$")
_LANGUAGE = re.compile(r"^[\w+#.-]+$")
_HIGHLIGHT_OPTION = re.compile(r"""^(linenos(?:=\w+)?|mark_lines="[\d ]*"|\w+=\S+)$""")
_EDGE_NEWLINES = re.compile(r"\A(?:\r?\n)+|(?:\r?\n)+\Z")
_CLOCK_WORDS = ("now", "today")
_INCLUDED_FROM = "_feedlib_included_from"


# --- the environment -------------------------------------------------------------


class _Limited(Environment):
    """python-liquid with limits: no template loops, nests or writes without bound."""

    loop_iteration_limit = 100_000
    output_stream_limit = 2_000_000
    context_depth_limit = 20
    local_namespace_limit = 2_000_000

    def __init__(self, renderer: PostRenderer, includes: dict[str, str]) -> None:
        self.renderer = renderer
        super().__init__(loader=DictLoader(includes), tolerance=Mode.STRICT, strict_filters=True)


def _renderer(env: Environment) -> PostRenderer:
    assert isinstance(env, _Limited)
    return env.renderer


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

    The renderer method with the tag's own name resolves the target.
    """

    block = False

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        target = _expression(stream, token, self.name)
        resolve = getattr(_renderer(self.env), self.name)
        return _TextNode(token, lambda _: resolve(target, token))


class _LinkTag(_UrlTag):
    """``{% link _posts/2025-01-15-hello.md %}``: the absolute URL of that post or page."""

    name = "link"


class _PostUrlTag(_UrlTag):
    """``{% post_url 2025-01-15-hello %}``: the absolute URL of that post."""

    name = "post_url"


class _JekyllTime(datetime):
    """A time that prints as Ruby's Time#to_s (``2025-01-16 13:07:54 +0900``), as ``{{ page.date }}`` does."""

    @classmethod
    def of(cls, moment: datetime) -> _JekyllTime:
        return cls.combine(moment.date(), moment.timetz(), moment.tzinfo).replace(fold=moment.fold)

    def __str__(self) -> str:
        return self.strftime("%Y-%m-%d %H:%M:%S %z")


def _escape_html(text: str) -> str:
    """Ruby's ``CGI.escapeHTML``: ``& < > " '``."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


class _HighlightNode(Node):
    __slots__ = ("block", "language")

    def __init__(self, token: Token, language: str, block: BlockNode) -> None:
        super().__init__(token)
        self.language = language
        self.block = block
        self.blank = False

    def __str__(self) -> str:
        return f"{{% highlight {self.language} %}}{self.block}{{% endhighlight %}}"

    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        inner = context.get_buffer(buffer)
        self.block.render(context, inner)
        # Jekyll's highlight tag with "highlighter: none": h(code).strip, then add_code_tag.
        code = _escape_html(_EDGE_NEWLINES.sub("", inner.getvalue())).strip()
        language = _escape_html(self.language)
        css = language.replace("+", "-")
        return buffer.write(
            f'<figure class="highlight"><pre><code class="language-{css}" data-lang="{language}">'
            f"{code}</code></pre></figure>"
        )

    def children(self, static_context: Any, *, include_partials: bool = True) -> Iterable[Node]:
        yield self.block


class _HighlightTag(Tag):
    """``{% highlight ruby linenos %}…{% endhighlight %}``: escaped code in ``<pre><code>``.

    Without a highlighter, the code is not coloured and ``linenos`` adds no numbers.
    """

    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: Any) -> Node:
        token = stream.eat(TOKEN_TAG)
        words = _expression(stream, token, "highlight").split()
        language, options = words[0], words[1:]
        if not _LANGUAGE.match(language):
            raise LiquidSyntaxError(f"highlight: {language!r} is not a language name", token=token)
        bad = [option for option in options if not _HIGHLIGHT_OPTION.match(option)]
        if bad:
            raise LiquidSyntaxError(f"highlight: unknown option {bad[0]!r}", token=token)
        next(stream)
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return _HighlightNode(token, language, block)


class _IncludeNode(Node):
    __slots__ = ("params", "path")

    def __init__(self, token: Token, path: str, params: list[tuple[str, str | None, str | None]]) -> None:
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
        try:
            template = context.env.get_template(self.path, context=context, tag="include")
            with context.extend({"include": values}, template=template):
                template.render_with_context(context, buffer, partial=True)
        except LiquidError as error:
            # Passing outwards, the last include to set this is the one in the post.
            setattr(error, _INCLUDED_FROM, self.token)
            raise
        return 1


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
                f"include: {path!r} is not a file name inside _includes/ "
                "('..' and absolute paths are refused)",
                token=token,
            )
        params: list[tuple[str, str | None, str | None]] = []
        position = 0
        rest = rest.strip()
        for match in _INCLUDE_PARAM.finditer(rest):
            if rest[position : match.start()].strip(" ,"):
                break
            name, double, single, variable = match.groups()
            literal = double if double is not None else single
            params.append((name, literal, variable if literal is None else None))
            position = match.end()
        if rest[position:].strip(" ,"):
            raise LiquidSyntaxError(f"include: cannot read the parameters {rest[position:]!r}", token=token)
        return _IncludeNode(token, path, params)


# --- filters -------------------------------------------------------------------


def _moment(value: object, env: Environment) -> datetime:
    renderer = _renderer(env)
    if isinstance(value, str) and value.strip().lower() in _CLOCK_WORDS:
        raise FilterArgumentError(
            f"{value!r} would put the build's clock in the feed; write a date, or use page.date",
            token=None,
        )
    try:
        return parse_date(value, zone(renderer.site.timezone))
    except ValueError as error:
        raise FilterArgumentError(str(error), token=None) from None


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@with_environment
def _date_to_xmlschema(value: object, *, environment: Environment) -> str:
    return _moment(value, environment).isoformat()


@with_environment
def _date_to_rfc822(value: object, *, environment: Environment) -> str:
    return format_datetime(_moment(value, environment))


@with_environment
def _date_to_string(
    value: object, kind: object = None, style: object = None, *, environment: Environment
) -> str:
    moment = _moment(value, environment)
    day = _ordinal(moment.day) if kind == "ordinal" else f"{moment.day:02d}"
    if style == "US":
        return f"{moment:%b} {day}, {moment.year}"
    return f"{day} {moment:%b} {moment.year}"


@with_environment
def _date(value: object, fmt: object = None, *, environment: Environment) -> str:
    if isinstance(value, str) and value.strip().lower() in _CLOCK_WORDS:
        _moment(value, environment)
    result: str = liquid_date(value, fmt, environment=environment)
    return result


@with_environment
def _relative_url(value: object, *, environment: Environment) -> str:
    return _renderer(environment).relative_url(str(value or ""))


@with_environment
def _absolute_url(value: object, *, environment: Environment) -> str:
    return _renderer(environment).absolute_url(str(value or ""))


def _xml_escape(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True).replace("&#x27;", "'")


def _cgi_escape(value: object) -> str:
    return quote_plus(str(value or ""), safe="~")


def _uri_escape(value: object) -> str:
    return quote(str(value or ""), safe="!#$%&'()*+,/:;=?@[]~")


@with_environment
def _markdownify(value: object, *, environment: Environment) -> str:
    return render_markdown(str(value or ""), _renderer(environment).site.markdown_extensions)


def _slugify(value: object, mode: object = "default") -> str:
    text = str(value or "")
    if mode == "raw":
        return re.sub(r"\s+", "-", text.strip()).lower()
    return slugify(text, pretty=mode == "pretty")


def _jsonify(value: object) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), default=json_value)


def _plain(value: object) -> object:
    if is_undefined(value):
        return None
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _property(item: object, key: object) -> object:
    if isinstance(item, Mapping):
        return item.get(str(key))
    return None


def _where(items: object, key: object, value: object = None) -> list[object]:
    # Jekyll compares as strings, and an array property matches when it holds the value.
    wanted = "" if value is None else str(value)
    found = []
    for item in _sequence(items):
        current = _property(item, key)
        values = current if isinstance(current, list | tuple) else [current]
        if any(("" if candidate is None else str(candidate)) == wanted for candidate in values):
            found.append(item)
    return found


def _sort(items: object, key: object = None, nils: object = "first") -> list[object]:
    sequence = _sequence(items)
    if key is None:
        return sorted(sequence, key=_sort_key)
    present = [item for item in sequence if _property(item, key) is not None]
    missing = [item for item in sequence if _property(item, key) is None]
    ordered = sorted(present, key=lambda item: _sort_key(_property(item, key)))
    return ordered + missing if nils == "last" else missing + ordered


def _sort_key(value: object) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, datetime):
        return (0, value.timestamp())
    return (1, str(value))


def _group_by(items: object, key: object) -> list[dict[str, object]]:
    groups: dict[str, list[object]] = {}
    for item in _sequence(items):
        value = _property(item, key)
        groups.setdefault("" if value is None else str(value), []).append(item)
    return [{"name": name, "items": members, "size": len(members)} for name, members in groups.items()]


def _number_of_words(value: object, mode: object = None) -> int:
    text = str(value or "")
    if mode == "cjk":
        cjk = re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", text)
        rest = re.sub(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", " ", text)
        return len(cjk) + len(rest.split())
    return len(text.split())


def _sequence(value: object) -> list[object]:
    if is_undefined(value) or value is None:
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    raise FilterArgumentError(f"expected an array, got {type(value).__name__}", token=None)


_FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": _relative_url,
    "absolute_url": _absolute_url,
    "xml_escape": _xml_escape,
    "cgi_escape": _cgi_escape,
    "uri_escape": _uri_escape,
    "date_to_xmlschema": _date_to_xmlschema,
    "date_to_rfc822": _date_to_rfc822,
    "date_to_string": _date_to_string,
    "date": _date,
    "markdownify": _markdownify,
    "slugify": _slugify,
    "jsonify": _jsonify,
    "where": _where,
    "sort": _sort,
    "group_by": _group_by,
    "number_of_words": _number_of_words,
}


# --- rendering -------------------------------------------------------------------


def _page_url(relative: str, front_matter: Mapping[str, Any], site: Site) -> str:
    """A Jekyll page's URL path (``about.md`` → ``/about.html``, ``/about/`` when pretty)."""
    permalink = front_matter.get("permalink")
    if isinstance(permalink, str) and permalink.strip():
        return "/" + permalink.strip().lstrip("/")
    pure = PurePosixPath(relative)
    folder = "/".join(pure.parts[:-1])
    prefix = f"/{folder}/" if folder else "/"
    markup = pure.suffix.lower() in (*POST_SUFFIXES, ".html")
    if not markup:
        return prefix + pure.name
    if pure.stem == "index":
        return prefix
    style = PERMALINK_STYLES.get(site.permalink, site.permalink)
    return prefix + pure.stem + ("/" if style.endswith("/") else ".html")


class PostRenderer:
    """Renders the Liquid of posts of one site, with every post's URL known (for ``link`` and ``post_url``).

    ``urls`` maps each post's key (its path relative to ``settings.root``) to its absolute URL.
    """

    def __init__(self, site: Site, settings: LiquidSettings, urls: Mapping[str, str]) -> None:
        self.site = site
        self.settings = settings
        self.urls = dict(urls)
        self._env = _Limited(self, read_includes(settings.includes))
        for tag in (_LinkTag, _PostUrlTag, _HighlightTag, _IncludeTag):
            self._env.add_tag(tag)
        for name, function in _FILTERS.items():
            self._env.add_filter(name, function)

    # -- URLs ---------------------------------------------------------------------

    def relative_url(self, path: str) -> str:
        """Jekyll's ``relative_url``: ``path`` under the site's base path, percent-encoded."""
        if "://" in path or path.startswith("//"):
            return path
        base = urlsplit(self.site.base_url).path.rstrip("/")
        joined = base + "/" + path.lstrip("/") if path else base + "/"
        return quote(joined, safe="/-._~!$&'()*+,;=:@%?#")

    def absolute_url(self, path: str) -> str:
        """Jekyll's ``absolute_url``: ``path`` as an absolute URL on the site."""
        if "://" in path or path.startswith("//"):
            return path
        parts = urlsplit(self.site.base_url)
        return f"{parts.scheme}://{parts.netloc}{self.relative_url(path)}"

    def link(self, target: str, token: Token) -> str:
        """The absolute URL of the post or page at ``target`` (relative to the site root)."""
        key = target.strip().lstrip("/")
        if key in self.urls:
            return self.urls[key]
        root = self.settings.root
        if root is not None and ".." not in PurePosixPath(key).parts and not key.startswith("_"):
            path = root / key
            if path.is_file() and path.resolve().is_relative_to(root.resolve()):
                return absolute_url(_page_url(key, self._page_front_matter(path), self.site), self.site)
        raise LiquidError(f"link: no post or page {target!r} in the site", token=token)

    def _page_front_matter(self, path: Path) -> Mapping[str, Any]:
        try:
            return read_front_matter(path, decode_post(path, path.read_bytes()))
        except (PostError, OSError):
            return {}

    def post_url(self, target: str, token: Token) -> str:
        """The absolute URL of the post named ``target`` (``2025-01-15-hello``, or ``news/2025-…``)."""
        match = _POST_NAME.match(target.strip().lstrip("/"))
        if match is None:
            raise LiquidError(f"post_url: {target!r} is not a post name (YYYY-MM-DD-title)", token=token)
        folder, day, slug = match.groups()
        stem = f"{day}-{slug}"
        for key in sorted(self.urls):
            pure = PurePosixPath(key)
            if pure.stem != stem:
                continue
            if folder is None or f"/{folder.strip('/')}/" in "/" + pure.parent.as_posix() + "/":
                return self.urls[key]
        raise LiquidError(f"post_url: no post named {target!r}", token=token)

    # -- rendering ------------------------------------------------------------------

    def page(self, post: Post) -> dict[str, Any]:
        """What ``{{ page.* }}`` reads: the front matter, and Jekyll's computed values."""
        data = dict(post.front_matter)
        data.update(
            url=expand_permalink(post.permalink or self.site.permalink, post, self.site),
            date=_JekyllTime.of(post.date),
            title=post.title,
            slug=post.slug,
            categories=list(post.categories),
            tags=list(post.tags),
        )
        return data

    def render(self, post: Post) -> str:
        """The body of ``post`` with its Liquid rendered; :class:`PostError` naming the file and line."""
        try:
            template = self._env.from_string(post.body, path=str(post.path))
            return template.render(site=dict(self.settings.site), page=self.page(post))
        except LiquidError as error:
            raise self._post_error(post, error) from None
        except RecursionError:
            raise PostError(post.path, "Liquid: templates nested too deeply") from None

    def _post_error(self, post: Post, error: LiquidError) -> PostError:
        message = str(error.message) if error.message is not None else type(error).__name__
        token = error.token
        # An unclosed block is found at the end of the post.
        line = post.body_line + post.body.rstrip("\n").count("\n") if "end of" in message else None
        if token is not None and token.start_index >= 0 and token.source != post.body:
            included: Token | None = getattr(error, _INCLUDED_FROM, None)
            context = error.context()
            if context is not None:
                message = f"{message} (in an include, at its line {context[0]})"
            token = included
        if token is not None and token.start_index >= 0 and token.source == post.body:
            line = post.body_line + token.source.count("\n", 0, token.start_index)
        return PostError(post.path, f"Liquid: {message}", line)

    def depends_on_urls(self, post: Post) -> bool:
        """Whether the rendering of ``post`` reads other posts' URLs (so is not worth caching)."""
        if _URL_TAGS.search(post.body):
            return True
        return "include" in post.body and any(_URL_TAGS.search(text) for text in self._includes())

    def _includes(self) -> Sequence[str]:
        loader = self._env.loader
        assert isinstance(loader, DictLoader)
        return list(loader.templates.values())

"""Liquid in posts, rendered before Markdown as Jekyll renders it (python-liquid 2).

Jekyll's tags (:mod:`.tags`) and filters (:mod:`.filters`) are added to a
python-liquid environment with limits on loop iterations, output size,
ranges, and the depth and number of includes. Templates read nothing but the
post, the site's settings and the files of ``_includes/`` (each read when
first included: :mod:`.includes`), never run code and never read the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from liquid import Environment, Mode
from liquid.ast import Node
from liquid.builtin.expressions.primitive import RangeLiteral
from liquid.exceptions import LiquidError
from liquid.expression import Expression
from liquid.token import Token

from ..config import LiquidSettings
from ..discover import POST_SUFFIXES
from ..errors import QUOTE_MAX, PostError, clipped, shown
from ..frontmatter import read_front_matter
from ..model import Post, Site
from ..posts import FRONT_MATTER, decode_post
from ..urls import PERMALINK_STYLES, absolute_url, expand_permalink
from .filters import FILTERS
from .includes import Includes
from .tags import INCLUDED_FROM, TAGS

__all__ = ["RANGE_MAX", "PostRenderer"]

#: The most numbers a range literal ``(1..n)`` may give: as many as a loop may run.
RANGE_MAX = 100_000

# Posts whose Liquid asks for another post's URL: their rendering changes when
# that post moves, so it is never cached.
_URL_TAGS = re.compile(r"\{%-?\s*(?:link|post_url)\b")
# "(?:(.+)/)?", not "*": the greedy ".+" takes every folder at once, and a repeated group
# that can also match "/" tried every way of cutting the folders (exponential in them).
_POST_NAME = re.compile(r"^(?:(.+)/)?(\d+-\d+-\d+)-(.*)$")


class _BoundedRange(RangeLiteral):
    """A range literal ``(1..n)`` of at most :data:`RANGE_MAX` numbers.

    python-liquid bounds loops, but a range passed to a filter is not a loop:
    ``(1..100000000) | join: ","`` built a string of 900 MB.
    """

    __slots__ = ()

    def _make_range(self, start: Any, stop: Any) -> range:
        numbers = super()._make_range(start, stop)
        if len(numbers) > RANGE_MAX:
            raise LiquidError(f"range of {len(numbers):,} numbers; at most {RANGE_MAX:,}", token=self.token)
        return numbers


def _bound_ranges(nodes: list[Node]) -> None:
    """Make every range literal in ``nodes`` (and the nodes and expressions under them) a bounded one."""
    waiting: list[Node] = list(nodes)
    while waiting:
        node = waiting.pop()
        expressions: list[Expression] = list(node.expressions())
        while expressions:
            expression = expressions.pop()
            if type(expression) is RangeLiteral:
                expression.__class__ = _BoundedRange
            expressions.extend(expression.children())
        waiting.extend(node.children(None, include_partials=False))  # type: ignore[arg-type]


class _Limited(Environment):
    """python-liquid with limits: no template loops, nests, ranges or writes without bound.

    Includes nest at most :data:`~feedlib.jekyll.tags.INCLUDE_DEPTH` deep
    (counted by the include tag: python-liquid's context depth counts two or
    more for each, so its limit is set well above) and load at most
    :data:`~feedlib.jekyll.includes.INCLUDE_LOADS_MAX` files per post.
    """

    loop_iteration_limit = 100_000
    output_stream_limit = 2_000_000
    context_depth_limit = 100
    local_namespace_limit = 2_000_000

    def __init__(self, renderer: PostRenderer, includes: Includes) -> None:
        self.renderer = renderer
        super().__init__(loader=includes, tolerance=Mode.STRICT, strict_filters=True)

    def _parse(self, source: str) -> list[Node]:
        nodes = super()._parse(source)
        _bound_ranges(nodes)
        return nodes


class _JekyllTime(datetime):
    """A time that prints as Ruby's Time#to_s (``2025-01-16 13:07:54 +0900``), as ``{{ page.date }}`` does."""

    @classmethod
    def of(cls, moment: datetime) -> _JekyllTime:
        return cls.combine(moment.date(), moment.timetz(), moment.tzinfo).replace(fold=moment.fold)

    def __str__(self) -> str:
        return self.strftime("%Y-%m-%d %H:%M:%S %z")


def _liquid_value(value: object) -> object:
    """A field as Liquid's ``page`` shows it: times as Ruby prints them, tuples as lists."""
    if isinstance(value, datetime):
        return _JekyllTime.of(value)
    if isinstance(value, tuple):
        return list(value)
    return value


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
        self._includes = Includes(settings.includes)
        self._env = _Limited(self, self._includes)
        for tag in TAGS:
            self._env.add_tag(tag)
        for name, function in FILTERS.items():
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
        raise LiquidError(f"link: no post or page {shown(target)} in the site", token=token)

    def _page_front_matter(self, path: Path) -> Mapping[str, Any]:
        try:
            return read_front_matter(path, decode_post(path, path.read_bytes()))
        except (PostError, OSError):
            return {}

    def post_url(self, target: str, token: Token) -> str:
        """The absolute URL of the post named ``target`` (``2025-01-15-hello``, or ``news/2025-…``)."""
        match = _POST_NAME.match(target.strip().lstrip("/"))
        if match is None:
            raise LiquidError(f"post_url: {shown(target)} is not a post name (YYYY-MM-DD-title)", token=token)
        folder, day, slug = match.groups()
        stem = f"{day}-{slug}"
        for key in sorted(self.urls):
            pure = PurePosixPath(key)
            if pure.stem != stem:
                continue
            if folder is None or f"/{folder.strip('/')}/" in "/" + pure.parent.as_posix() + "/":
                return self.urls[key]
        raise LiquidError(f"post_url: no post named {shown(target)}", token=token)

    # -- rendering ------------------------------------------------------------------

    def page(self, post: Post) -> dict[str, Any]:
        """What ``{{ page.* }}`` reads: the front matter, and Jekyll's computed values.

        The fields :data:`~feedlib.posts.FRONT_MATTER` names a ``page`` for are
        shown as read (dates as Ruby prints them, terms as lists), and ``url``
        is the site-relative URL, as Jekyll's.
        """
        data = dict(post.front_matter)
        for key in FRONT_MATTER:
            if key.page is not None:
                data[key.page] = _liquid_value(getattr(post, key.field))
        data["url"] = expand_permalink(post.permalink or self.site.permalink, post, self.site)
        return data

    def applies_to(self, post: Post) -> bool:
        """Whether ``post`` is rendered as Liquid (:meth:`~feedlib.config.LiquidSettings.applies_to`)."""
        return self.settings.applies_to(post)

    def render(self, post: Post) -> str:
        """The body of ``post`` with its Liquid rendered; :class:`PostError` naming the file and line."""
        self._includes.start_post()
        try:
            template = self._env.from_string(post.body, path=str(post.path))
            return template.render(site=dict(self.settings.site), page=self.page(post))
        except LiquidError as error:
            raise self._post_error(post, error) from None
        except RecursionError:
            raise PostError(post.path, "Liquid: templates nested too deeply") from None

    def _post_error(self, post: Post, error: LiquidError) -> PostError:
        message = (
            clipped(str(error.message), 4 * QUOTE_MAX) if error.message is not None else type(error).__name__
        )
        token = error.token
        # An unclosed block is found at the end of the post.
        line = post.body_line + post.body.rstrip("\n").count("\n") if "end of" in message else None
        if token is None or token.start_index < 0 or token.source != post.body:
            included: Token | None = getattr(error, INCLUDED_FROM, None)
            context = error.context()
            if context is not None:
                message = f"{message} (in an include, at its line {context[0]})"
            token = included if included is not None else token
        if token is not None and token.start_index >= 0 and token.source == post.body:
            line = post.body_line + token.source.count("\n", 0, token.start_index)
        return PostError(post.path, f"Liquid: {message}", line)

    def depends_on_urls(self, post: Post) -> bool:
        """Whether the rendering of ``post`` reads other posts' URLs (so is not worth caching)."""
        if _URL_TAGS.search(post.body):
            return True
        return "include" in post.body and any(
            _URL_TAGS.search(text) for text in self._includes.used_by(post.body)
        )

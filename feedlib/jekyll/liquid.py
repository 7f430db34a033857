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

from liquid import Environment, Mode, StrictDefaultUndefined, StrictUndefined, Undefined
from liquid.ast import Node
from liquid.builtin.expressions.primitive import RangeLiteral
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.expression import Expression
from liquid.template import BoundTemplate
from liquid.token import Token

from ..config import LiquidSettings
from ..errors import QUOTE_MAX, PostError, clipped, shown
from ..frontmatter import HANDLERS, split_front_matter
from ..model import Post, Site
from ..posts import FRONT_MATTER, decode_post
from ..psych import JEKYLL_HANDLERS
from ..urls import absolute_url, expand_permalink
from .data import DataFolder, data_folder
from .filters import FILTERS
from .includes import Includes
from .pages import collection_of, document_url, page_url
from .tags import INCLUDED_FROM, TAGS

__all__ = ["RANGE_MAX", "PostRenderer"]

#: The most numbers a range literal ``(1..n)`` may give: as many as a loop may run.
RANGE_MAX = 100_000

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


# Liquid's error_mode "warn" and "lax" (Jekyll's default is "warn"): Ruby's Liquid still stops on a
# tag it cannot read (an unknown tag, an "if" without a condition, a block never closed), but
# renders an output statement it cannot read ({{ a b }}) as its lax parser reads it; Jekyll then
# prints a warning, feedlib does not (`feedlib check` reports it).
_OUTPUT_OPENING = "{{"


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

    def __init__(
        self, renderer: PostRenderer, includes: Includes, *, checking: bool = False, lax: bool = False
    ) -> None:
        self.renderer = renderer
        settings = renderer.settings
        undefined: type[Undefined]
        if checking:  # What `feedlib check` reports: Liquid at its strictest (a `default` still applies).
            mode, filters, undefined = Mode.STRICT, True, StrictDefaultUndefined
        else:
            mode = Mode.LAX if lax else Mode.STRICT
            filters = settings.strict_filters
            undefined = StrictUndefined if settings.strict_variables else Undefined
        super().__init__(loader=includes, tolerance=mode, strict_filters=filters, undefined=undefined)
        for tag in TAGS:
            self.add_tag(tag)
        for name, function in FILTERS.items():
            self.add_filter(name, function)

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


def _in_output(source: str, token: Token | None) -> bool:
    """Whether the syntax error at ``token`` is inside an output statement (``{{ … }}``) of ``source``."""
    if token is None or token.source != source or token.start_index < 0:
        return False
    at = min(token.start_index, len(source))
    opening = source.rfind(_OUTPUT_OPENING, 0, at + 1)
    return opening > source.rfind("{%", 0, at + 1) and "}}" not in source[opening:at]


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
        self._checker: _Limited | None = None
        self._lax: _Limited | None = None
        self._site: dict[str, Any] | None = None
        self._links: list[tuple[str, str, str]] | None = None

    def site_variables(self) -> dict[str, Any]:
        """What ``{{ site.* }}`` reads: the settings, and ``site.data`` from ``_data/``.

        A ``_data`` file is read when a template first looks it up; one that
        cannot be read raises :class:`~feedlib.errors.ConfigError` naming it.
        """
        if self._site is None:
            site = dict(self.settings.site)
            if self.settings.data is not None:
                site["data"] = data_folder(self.settings.data)
            self._site = site
        return self._site

    def check_data(self) -> None:
        """Read every file of ``_data/``: a :class:`~feedlib.errors.ConfigError` names one that cannot be."""
        data = self.site_variables().get("data")
        if isinstance(data, DataFolder):
            data.load()

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
        """The absolute URL of the post, page, document or file at ``target`` (from the site's root)."""
        key = target.strip().lstrip("/")
        if key in self.urls:
            return self.urls[key]
        path = self._site_file(key)
        if path is None:
            raise LiquidError(f"link: no post or page {shown(target)} in the site", token=token)
        label = collection_of(key, self.site)
        if label is not None:
            try:
                url = document_url(key, label, self._page_front_matter(path), self.site)
            except ValueError as error:
                raise LiquidError(f"link: {error}", token=token) from None
        elif key.startswith("_"):
            raise LiquidError(f"link: {shown(target)} is in a folder the site does not publish", token=token)
        else:
            style = (
                self.settings.site.get("permalink") if self.site.jekyll is not None else self.site.permalink
            )
            url = page_url(key, self._page_front_matter(path), str(style or "date"))
        return absolute_url(url, self.site)

    def _site_file(self, key: str) -> Path | None:
        """The file ``key`` names in the site's folder, if it is there (and not outside it)."""
        root = self.settings.root
        if root is None or ".." in PurePosixPath(key).parts:
            return None
        path = root / key
        return path if path.is_file() and path.resolve().is_relative_to(root.resolve()) else None

    def _page_front_matter(self, path: Path) -> Mapping[str, Any]:
        try:
            handlers = JEKYLL_HANDLERS if self.site.jekyll is not None else HANDLERS
            return split_front_matter(path, decode_post(path, path.read_bytes()), handlers).data
        except (PostError, OSError):
            return {}

    def resolve(self, tag: str, target: str, token: Token | None) -> str:
        """What the tag ``link`` or ``post_url`` writes for ``target``, noted for the entry's cache record."""
        url: str = getattr(self, tag)(target, token)
        if self._links is not None:
            self._links.append((tag, target, url))
        return url

    def still_resolve(self, links: Any) -> bool:
        """Whether each (tag, target, URL) of ``links`` (as the cache stored them) still resolves so."""
        if type(links) is not list:
            return False
        for link in links:
            if type(link) is not list or len(link) != 3 or not all(type(part) is str for part in link):
                return False
            tag, target, url = link
            if tag not in ("link", "post_url"):
                return False
            try:
                if getattr(self, tag)(target, None) != url:
                    return False
            except LiquidError:
                return False
        return True

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

    def render(
        self, post: Post, *, checking: bool = False, links: list[tuple[str, str, str]] | None = None
    ) -> str:
        """The body of ``post`` with its Liquid rendered; :class:`PostError` naming the file and line.

        ``checking`` renders it at Liquid's strictest, whatever the site's
        settings: an unknown filter, an undefined variable (without a
        ``default``) or a template that cannot be read is an error (what
        ``feedlib check`` reports). Each ``link`` and ``post_url`` it
        resolves is added to ``links`` as (tag, target, URL).
        """
        self._includes.start_post()
        self._links = links
        try:
            template = self._template(post, checking)
            return template.render(site=self.site_variables(), page=self.page(post))
        except LiquidError as error:
            raise self._post_error(post, error) from None
        except RecursionError:
            raise PostError(post.path, "Liquid: templates nested too deeply") from None
        finally:
            self._links = None

    def _template(self, post: Post, checking: bool) -> BoundTemplate:
        """The post's body parsed: strictly, or laxly where an output statement fails (warn or lax)."""
        if checking:
            if self._checker is None:
                self._checker = _Limited(self, self._includes, checking=True)
            return self._checker.from_string(post.body, path=str(post.path))
        try:
            return self._env.from_string(post.body, path=str(post.path))
        except LiquidSyntaxError as error:
            if self.settings.error_mode == "strict" or not _in_output(post.body, error.token):
                raise
        if self._lax is None:
            self._lax = _Limited(self, self._includes, lax=True)
        return self._lax.from_string(post.body, path=str(post.path))

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

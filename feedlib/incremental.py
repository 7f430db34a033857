"""Reading and rendering posts through a :class:`~feedlib.cache.PostCache`.

Every post file is read and hashed on every build (that is how a change is
seen); only the files whose hash is not in the cache are parsed, and only the
posts a feed shows that the cache has no rendering for are rendered.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from .cache import CachedPost, PostCache, content_digest
from .entries import post_identity, render_post, to_entry
from .errors import PostError, raise_or_report
from .model import Entry, Post, Rendered, Site
from .parallel import map_ordered
from .posts import PostFile, decode_post, parse_post, post_body, post_files
from .templates import PostRenderer, uses_liquid

__all__ = ["LoadedPost", "Progress", "identities", "liquid_check", "load_posts_cached", "render_entries"]

_T = TypeVar("_T")
_LIQUID_BYTES = re.compile(rb"\{[{%]")
_log = logging.getLogger(__name__)
#: At least this many posts to parse, or to render, before a process pool pays for itself
#: (parsing a post takes about 0.3 ms, rendering one a few ms; a pool takes tens of ms to start).
PARALLEL_PARSE_MIN = 256
PARALLEL_RENDER_MIN = 24
# What a worker sends back for a post that failed: where, what, and the line.
_Failure = tuple[str, str, int | None]


class Progress(Protocol):
    """Wraps the items of a long step, to show how far it got (a progress bar on a terminal)."""

    def __call__(self, items: Sequence[_T], label: str) -> Iterable[_T]:
        """Yield ``items``, one by one, while showing progress under ``label``."""
        ...


@dataclass(frozen=True)
class LoadedPost:
    """A post, where it came from, and its URL and entry id.

    ``cached`` is true when the post came from the cache without its body:
    ``post.body`` is empty until :func:`render_entries` needs it.
    """

    post: Post
    key: str
    digest: str
    url: str
    id: str
    cached: bool = False
    categories: tuple[str, ...] = ()
    dateless: bool = False

    def parse(self, text: str, site: Site) -> Post:
        """Parse ``text`` as this post's file says it is read (categories from folders, drafts)."""
        return parse_post(self.post.path, text, site, categories=self.categories, dateless=self.dateless)

    def identity(self) -> tuple[str, str]:
        """The URL and id, as :func:`feedlib.entries.post_identity` gives them."""
        return self.url, self.id


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise PostError(path, f"cannot read: {error.strerror or error}") from None


def _parse(file: PostFile, raw: bytes, digest: str, site: Site, cache: PostCache) -> LoadedPost:
    path, key = file.path, file.key
    _log.debug("cache miss: %s", path)
    text = decode_post(path, raw)
    post = parse_post(path, text, site, categories=file.categories, dateless=file.dateless)
    url, ident = post_identity(post, site)
    cache.put_post(key, digest, CachedPost(post, url, ident))
    return LoadedPost(post, key, digest, url, ident, False, file.categories, file.dateless)


def _portable(post: Post) -> Post:
    """``post`` without what a worker need not send back: its body and raw front matter."""
    return replace(post, body="", front_matter={})


def _parse_fresh(site: Site, file: PostFile) -> LoadedPost | _Failure:
    """In a worker: the post in ``file``, read afresh, or what was wrong with it.

    The post comes back without its body, as if from the cache: rendering reads it again.
    """
    try:
        raw = _read(file.path)
        text = decode_post(file.path, raw)
        post = parse_post(file.path, text, site, categories=file.categories, dateless=file.dateless)
        url, ident = post_identity(post, site)
    except PostError as error:
        return str(error.path), error.message, error.line
    digest = content_digest(raw)
    return LoadedPost(_portable(post), file.key, digest, url, ident, True, file.categories, file.dateless)


def _parse_misses(
    misses: Sequence[PostFile], site: Site, cache: PostCache
) -> Iterator[LoadedPost | PostError]:
    """The posts in the files the cache had nothing for, parsed on every core, in order."""
    for result in map_ordered(partial(_parse_fresh, site), misses, minimum=PARALLEL_PARSE_MIN):
        if isinstance(result, LoadedPost):
            cache.put_post(result.key, result.digest, CachedPost(result.post, result.url, result.id))
            yield result
        else:
            yield PostError(*result)


def load_posts_cached(
    folder: Path | str,
    site: Site,
    cache: PostCache,
    on_error: Callable[[PostError], None] | None = None,
    *,
    files: Sequence[PostFile] | None = None,
) -> list[LoadedPost]:
    """Every post under ``folder`` (or in ``files``), from the cache where a file's bytes are unchanged.

    Errors are handled as :func:`feedlib.posts.load_posts` does. Records of
    files that are gone are dropped from the cache. When many files are new
    or changed (a cold build), they are parsed in a process pool.
    """
    if files is None:
        files = [PostFile(key, path) for key, path in post_files(folder)]
    results: list[LoadedPost | PostError | None] = []
    misses: list[tuple[int, PostFile]] = []
    for file in files:
        try:
            raw = _read(file.path)
            digest = content_digest(raw)
            cached = cache.post(file.key, digest, file.path)
            if cached is not None:
                _log.debug("cache hit: %s", file.path)
                results.append(
                    LoadedPost(
                        cached.post,
                        file.key,
                        digest,
                        cached.url,
                        cached.id,
                        True,
                        file.categories,
                        file.dateless,
                    )
                )
            elif len(files) < PARALLEL_PARSE_MIN:
                results.append(_parse(file, raw, digest, site, cache))
            else:
                misses.append((len(results), file))
                results.append(None)
        except PostError as unreadable:
            results.append(unreadable)
    if misses:
        parsed = _parse_misses([file for _, file in misses], site, cache)
        for (index, _), result in zip(misses, parsed, strict=True):
            results[index] = result
    cache.retain(file.key for file in files)
    loaded = [result for result in results if isinstance(result, LoadedPost)]
    errors = [result for result in results if isinstance(result, PostError)]
    for invalid in errors:
        _log.debug("invalid: %s", invalid)
    raise_or_report(errors, on_error)
    return loaded


def identities(loaded: Iterable[LoadedPost]) -> Callable[[Post, Site], tuple[str, str]]:
    """A lookup of the URL and id of each post in ``loaded``, for :func:`~feedlib.entries.select_posts`."""
    known = {item.post.path: item.identity() for item in loaded}
    return lambda post, site: known[post.path]


def _with_body(item: LoadedPost, site: Site, *, full: bool = False) -> tuple[Post, str]:
    """The post with its real body, and the hash of the bytes it was read from.

    ``full`` reads its front matter again too (Liquid's ``page.*`` needs it;
    the cache keeps only what feeds show).
    """
    if not item.cached:
        return item.post, item.digest
    path = item.post.path
    raw = _read(path)
    digest = content_digest(raw)
    text = decode_post(path, raw)
    if digest != item.digest:
        # Edited since it was hashed a moment ago: use what it says now.
        _log.debug("changed while building: %s", path)
        return item.parse(text, site), digest
    if full:
        return item.parse(text, site), digest
    return replace(item.post, body=post_body(path, text)), digest


def _no_progress(items: Sequence[_T], label: str) -> Iterable[_T]:
    return items


def _render(item: LoadedPost, site: Site, liquid: PostRenderer | None) -> tuple[Post, str, Rendered, bool]:
    """The post (body read), its digest, its rendering, and whether that may be cached."""
    post, digest = _with_body(item, site, full=liquid is not None)
    cacheable = True
    if liquid is not None and uses_liquid(post, liquid.settings):
        cacheable = not liquid.depends_on_urls(post)
        post = replace(post, body=liquid.render(post))
    return post, digest, render_post(post, site), cacheable


def _render_item(site: Site, item: LoadedPost) -> tuple[Post, str, Rendered, bool] | _Failure:
    """In a worker: :func:`_render` without Liquid, the post sent back light; or the failure."""
    try:
        post, digest, fresh, cacheable = _render(item, site, None)
    except PostError as error:
        return str(error.path), error.message, error.line
    return _portable(post), digest, fresh, cacheable


def _outcome(
    result: tuple[Post, str, Rendered, bool] | _Failure,
) -> tuple[Post, str, Rendered, bool] | PostError:
    if len(result) == 4:
        return result
    path, message, line = result
    return PostError(path, message, line)


def _rendered_here(
    missing: Sequence[LoadedPost], site: Site, liquid: PostRenderer | None
) -> Iterator[tuple[Post, str, Rendered, bool] | PostError]:
    for item in missing:
        try:
            yield _render(item, site, liquid)
        except PostError as error:
            yield error


def _renderings(
    missing: Sequence[LoadedPost], site: Site, liquid: PostRenderer | None
) -> Iterator[tuple[Post, str, Rendered, bool] | PostError]:
    """:func:`_render` of each of ``missing``, in order: in a process pool (started now) when there are many.

    Liquid renders here, in this process (its environment does not pickle).
    """
    if liquid is not None or len(missing) < PARALLEL_RENDER_MIN:
        return _rendered_here(missing, site, liquid)
    # Raw front matter may not pickle (and is not needed); the body is, unless it comes from the file.
    light = [replace(item, post=replace(item.post, front_matter={})) for item in missing]
    return map(_outcome, map_ordered(partial(_render_item, site), light, minimum=PARALLEL_RENDER_MIN))


def liquid_check(item: LoadedPost, site: Site, liquid: PostRenderer) -> None:
    """Render the Liquid of ``item`` (not its Markdown); :class:`PostError` if it cannot be."""
    if item.cached and not _LIQUID_BYTES.search(_read(item.post.path)):
        return  # No Liquid in it: not worth parsing again.
    post, _ = _with_body(item, site, full=True)
    if uses_liquid(post, liquid.settings):
        liquid.render(post)


def render_entries(
    selected: Sequence[LoadedPost],
    site: Site,
    cache: PostCache,
    progress: Progress | None = None,
    *,
    liquid: PostRenderer | None = None,
    on_error: Callable[[PostError], None] | None = None,
) -> list[Entry]:
    """The entries for ``selected`` posts (in that order), rendering only what the cache lacks.

    With ``liquid``, posts are rendered as Liquid before Markdown; a post
    whose Liquid reads other posts' URLs (``link``, ``post_url``) is rendered
    on every build rather than cached. A post that cannot be rendered raises
    :class:`PostErrors` (every such post, after trying all), or with
    ``on_error`` is passed there and left out. Afterwards the cache keeps
    renderings for exactly these posts.
    """
    rendered = {item.key: cache.rendered(item.key, item.digest) for item in selected}
    posts = {item.key: item.post for item in selected}
    missing = [item for item in selected if rendered[item.key] is None]
    errors: list[PostError] = []
    # A pool starts (forks) before a progress bar starts its thread.
    outcomes = _renderings(missing, site, liquid)
    for item in (progress or _no_progress)(missing, "rendering"):
        outcome = next(outcomes)
        if isinstance(outcome, PostError):
            errors.append(outcome)
            continue
        post, digest, fresh, cacheable = outcome
        posts[item.key] = post
        rendered[item.key] = fresh
        if cacheable:
            cache.put_rendered(item.key, digest, fresh)
        _log.debug("rendered: %s", post.path)
    raise_or_report(errors, on_error)
    entries = []
    for item in selected:
        result = rendered[item.key]
        if result is not None:
            entries.append(to_entry(posts[item.key], site, result))
    cache.keep_renderings(key for key, result in rendered.items() if result is not None)
    return entries

"""Reading and rendering posts through a :class:`~feedlib.cache.PostCache`.

Every post file is read and hashed on every build (that is how a change is
seen); only the files whose hash is not in the cache are parsed, and only the
posts a feed shows that the cache has no rendering for are rendered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from .cache import CachedPost, PostCache, content_digest
from .entries import post_identity, render_post, to_entry
from .errors import PostError, PostErrors
from .model import Entry, Post, Rendered, Site
from .parallel import map_ordered
from .posts import decode_post, parse_post, post_body, post_files

__all__ = ["LoadedPost", "Progress", "identities", "load_posts_cached", "render_entries"]

_T = TypeVar("_T")
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

    def identity(self) -> tuple[str, str]:
        """The URL and id, as :func:`feedlib.entries.post_identity` gives them."""
        return self.url, self.id


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise PostError(path, f"cannot read: {error.strerror or error}") from None


def _parse(path: Path, key: str, raw: bytes, digest: str, site: Site, cache: PostCache) -> LoadedPost:  # noqa: PLR0917
    _log.debug("cache miss: %s", path)
    text = decode_post(path, raw)
    post = parse_post(path, text, site)
    url, ident = post_identity(post, site)
    cache.put_post(key, digest, CachedPost(post, url, ident))
    return LoadedPost(post, key, digest, url, ident)


def _portable(post: Post) -> Post:
    """``post`` without what a worker need not send back: its body and raw front matter."""
    return replace(post, body="", front_matter={})


def _parse_fresh(path: Path, key: str, site: Site) -> LoadedPost | _Failure:
    """In a worker: the post in ``path``, read afresh, or what was wrong with it.

    The post comes back without its body, as if from the cache: rendering reads it again.
    """
    try:
        raw = _read(path)
        text = decode_post(path, raw)
        post = parse_post(path, text, site)
        url, ident = post_identity(post, site)
    except PostError as error:
        return str(error.path), error.message, error.line
    return LoadedPost(_portable(post), key, content_digest(raw), url, ident, cached=True)


def _parse_item(site: Site, item: tuple[Path, str]) -> LoadedPost | _Failure:
    return _parse_fresh(item[0], item[1], site)


def _parse_misses(
    misses: Sequence[tuple[Path, str]], site: Site, cache: PostCache
) -> Iterator[LoadedPost | PostError]:
    """The posts in the files the cache had nothing for, parsed on every core, in order."""
    for result in map_ordered(partial(_parse_item, site), misses, minimum=PARALLEL_PARSE_MIN):
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
) -> list[LoadedPost]:
    """Every post under ``folder``, from the cache where a file's bytes are unchanged.

    Errors are handled as :func:`feedlib.posts.load_posts` does. Records of
    files that are gone are dropped from the cache. When many files are new
    or changed (a cold build), they are parsed in a process pool.
    """
    files = post_files(folder)
    results: list[LoadedPost | PostError | None] = []
    misses: list[tuple[int, Path, str]] = []
    for key, path in files:
        try:
            raw = _read(path)
            digest = content_digest(raw)
            cached = cache.post(key, digest, path)
            if cached is not None:
                _log.debug("cache hit: %s", path)
                results.append(LoadedPost(cached.post, key, digest, cached.url, cached.id, cached=True))
            elif len(misses) < PARALLEL_PARSE_MIN and len(files) < PARALLEL_PARSE_MIN:
                results.append(_parse(path, key, raw, digest, site, cache))
            else:
                misses.append((len(results), path, key))
                results.append(None)
        except PostError as unreadable:
            results.append(unreadable)
    if misses:
        parsed = _parse_misses([(path, key) for _, path, key in misses], site, cache)
        for (index, _, _), result in zip(misses, parsed, strict=True):
            results[index] = result
    cache.retain(key for key, _ in files)
    loaded = [result for result in results if isinstance(result, LoadedPost)]
    errors = [result for result in results if isinstance(result, PostError)]
    for invalid in errors:
        _log.debug("invalid: %s", invalid)
    if errors and on_error is None:
        raise PostErrors(errors)
    for problem in errors:
        assert on_error is not None
        on_error(problem)
    return loaded


def identities(loaded: Iterable[LoadedPost]) -> Callable[[Post, Site], tuple[str, str]]:
    """A lookup of the URL and id of each post in ``loaded``, for :func:`~feedlib.entries.select_posts`."""
    known = {item.post.path: item.identity() for item in loaded}
    return lambda post, site: known[post.path]


def _with_body(item: LoadedPost, site: Site) -> tuple[Post, str]:
    """The post with its real body, and the hash of the bytes it was read from."""
    if not item.cached:
        return item.post, item.digest
    path = item.post.path
    raw = _read(path)
    digest = content_digest(raw)
    text = decode_post(path, raw)
    if digest != item.digest:
        # Edited since it was hashed a moment ago: use what it says now.
        _log.debug("changed while building: %s", path)
        return parse_post(path, text, site), digest
    return replace(item.post, body=post_body(path, text)), digest


def _no_progress(items: Sequence[_T], label: str) -> Iterable[_T]:
    return items


def _render_item(site: Site, item: LoadedPost) -> tuple[Post, str, Rendered] | _Failure:
    """In a worker (or here): the post with its body, its digest and its rendering, or the failure."""
    try:
        post, digest = _with_body(item, site)
        rendered = render_post(post, site)
    except PostError as error:
        return str(error.path), error.message, error.line
    return _portable(post), digest, rendered


def render_entries(
    selected: Sequence[LoadedPost],
    site: Site,
    cache: PostCache,
    progress: Progress | None = None,
) -> list[Entry]:
    """The entries for ``selected`` posts (in that order), rendering only what the cache lacks.

    Many posts to render (a whole archive) are rendered in a process pool;
    the results are the same as rendering them one by one. Afterwards the
    cache keeps renderings for exactly these posts.
    """
    rendered = {item.key: cache.rendered(item.key, item.digest) for item in selected}
    posts = {item.key: item.post for item in selected}
    # Raw front matter may not pickle (and is not needed); the body is, unless it comes from the file.
    missing = [
        replace(item, post=replace(item.post, front_matter={}))
        for item in selected
        if rendered[item.key] is None
    ]
    # The pool starts (forks) before a progress bar starts its thread.
    results = map_ordered(partial(_render_item, site), missing, minimum=PARALLEL_RENDER_MIN)
    for item in (progress or _no_progress)(missing, "rendering"):
        outcome = next(results)
        if not isinstance(outcome[2], Rendered):
            raise PostError(str(outcome[0]), str(outcome[1]), outcome[2])
        post, digest, fresh = outcome
        posts[item.key] = post
        rendered[item.key] = fresh
        cache.put_rendered(item.key, digest, fresh)
        _log.debug("rendered: %s", post.path)
    entries = []
    for item in selected:
        result = rendered[item.key]
        assert result is not None
        entries.append(to_entry(posts[item.key], site, result))
    cache.keep_renderings(rendered)
    return entries

"""Reading and rendering posts through a :class:`~feedlib.cache.PostCache`.

Every post file is read and hashed on every build (that is how a change is
seen); only the files whose hash is not in the cache are parsed, and only the
posts a feed shows that the cache has no rendering for are rendered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from .cache import CachedPost, PostCache, content_digest
from .entries import post_identity, render_post, to_entry
from .errors import PostError, PostErrors
from .model import Entry, Post, Site
from .posts import PostFile, decode_post, parse_post, post_body, post_files

__all__ = ["LoadedPost", "Progress", "identities", "load_posts_cached", "render_entries"]

_T = TypeVar("_T")
_log = logging.getLogger(__name__)


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


def _parse(file: PostFile, raw: bytes, site: Site, cache: PostCache) -> LoadedPost:
    path, key = file.path, file.key
    digest = content_digest(raw)
    cached = cache.post(key, digest, path)
    if cached is not None:
        _log.debug("cache hit: %s", path)
        return LoadedPost(
            cached.post, key, digest, cached.url, cached.id, True, file.categories, file.dateless
        )
    _log.debug("cache miss: %s", path)
    text = decode_post(path, raw)
    post = parse_post(path, text, site, categories=file.categories, dateless=file.dateless)
    url, ident = post_identity(post, site)
    cache.put_post(key, digest, CachedPost(post, url, ident))
    return LoadedPost(post, key, digest, url, ident, False, file.categories, file.dateless)


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
    files that are gone are dropped from the cache.
    """
    loaded: list[LoadedPost] = []
    errors: list[PostError] = []
    if files is None:
        files = [PostFile(key, path) for key, path in post_files(folder)]
    for file in files:
        try:
            loaded.append(_parse(file, _read(file.path), site, cache))
        except PostError as error:
            _log.debug("invalid: %s", error)
            errors.append(error)
    cache.retain(file.key for file in files)
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
        return item.parse(text, site), digest
    return replace(item.post, body=post_body(path, text)), digest


def _no_progress(items: Sequence[_T], label: str) -> Iterable[_T]:
    return items


def render_entries(
    selected: Sequence[LoadedPost],
    site: Site,
    cache: PostCache,
    progress: Progress | None = None,
) -> list[Entry]:
    """The entries for ``selected`` posts (in that order), rendering only what the cache lacks.

    Afterwards the cache keeps renderings for exactly these posts.
    """
    rendered = {item.key: cache.rendered(item.key, item.digest) for item in selected}
    posts = {item.key: item.post for item in selected}
    missing = [item for item in selected if rendered[item.key] is None]
    for item in (progress or _no_progress)(missing, "rendering"):
        post, digest = _with_body(item, site)
        posts[item.key] = post
        fresh = rendered[item.key] = render_post(post, site)
        cache.put_rendered(item.key, digest, fresh)
        _log.debug("rendered: %s", post.path)
    entries = []
    for item in selected:
        result = rendered[item.key]
        assert result is not None
        entries.append(to_entry(posts[item.key], site, result))
    cache.keep_renderings(rendered)
    return entries

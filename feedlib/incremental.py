"""Reading and rendering posts through a :class:`~feedlib.cache.PostCache`.

A post file whose signature (inode, size, times) the cache has is not read
at all; any other is read and hashed, and parsed only when its hash is new.
Choosing the posts a feed shows needs only the cache's index records; whole
posts are decoded, or parsed and rendered, only for the entries written.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeVar

from .cache import RACY_MARGIN_NS, Indexed, PostCache, content_digest, file_signature, indexed, microseconds
from .entries import newest_published, post_identity, render_post, to_entry
from .errors import PostError, raise_or_report
from .liquid_settings import uses_liquid
from .model import Entry, Post, Rendered, Site
from .parallel import map_ordered
from .posts import PostFile, decode_post, parse_post, post_file_locations
from .render import prepare_renderer

if TYPE_CHECKING:
    from .templates import PostRenderer

__all__ = [
    "LoadedPost",
    "Progress",
    "Source",
    "liquid_check",
    "load_posts_cached",
    "render_entries",
    "select_loaded",
]

_T = TypeVar("_T")
_LIQUID_BYTES = re.compile(rb"\{[{%]")
_log = logging.getLogger(__name__)
#: At least this many posts to read, or to render, before a process pool pays for itself
#: (reading a post takes about 0.2 ms, rendering one a few ms; a pool takes tens of ms to start).
PARALLEL_PARSE_MIN = 256
PARALLEL_RENDER_MIN = 24
# Posts a worker takes at a time when it renders them: a chunk takes tens of milliseconds,
# so the last one leaves the other core idle only that long.
_RENDER_CHUNK = 8


class Progress(Protocol):
    """Wraps the items of a long step, to show how far it got (a progress bar on a terminal)."""

    def __call__(self, items: Sequence[_T], label: str) -> Iterable[_T]:
        """Yield ``items``, one by one, while showing progress under ``label``."""
        ...


class Source(NamedTuple):
    """A post file to read, as :class:`~feedlib.posts.PostFile` says, with its path as text.

    Text, because a build of a large archive handles every file's path but
    needs a :class:`~pathlib.Path` only for the few posts it writes.
    """

    key: str
    location: str
    categories: tuple[str, ...] = ()
    dateless: bool = False

    @property
    def path(self) -> Path:
        """The file."""
        return Path(self.location)

    @classmethod
    def of(cls, file: PostFile) -> Source:
        """The source of ``file``."""
        return cls(file.key, str(file.path), file.categories, file.dateless)


class LoadedPost(NamedTuple):
    """A post file and its index record: what choosing the posts a feed shows needs.

    ``post`` is the whole post (body and front matter) when this process
    parsed it; otherwise it is read again if a feed shows it. ``rendered``
    is the post (without its body) and its rendering, when a worker
    rendered it as it read it (a feed of every post).
    """

    file: Source
    record: Indexed
    post: Post | None = None
    rendered: tuple[Post, Rendered] | None = None

    @property
    def key(self) -> str:
        """The file's key (its path relative to the posts folder)."""
        return self.file.key

    @property
    def location(self) -> str:
        """The post file's path, as text."""
        return self.file.location

    @property
    def path(self) -> Path:
        """The post file."""
        return self.file.path

    @property
    def digest(self) -> str:
        """The hash of the bytes the record was made from."""
        return self.record.digest

    @property
    def url(self) -> str:
        """The post's absolute URL."""
        return self.record.url

    @property
    def categories(self) -> tuple[str, ...]:
        """The post's categories."""
        return self.record.categories

    @property
    def tags(self) -> tuple[str, ...]:
        """The post's tags."""
        return self.record.tags


# What a look at one file found: its bytes unchanged, a post read afresh, or what was wrong.
class _Same(NamedTuple):
    digest: str


class _Parsed(NamedTuple):
    record: Indexed
    post: Post | None
    rendering: tuple[Post, Rendered] | None = None


class _Failed(NamedTuple):
    path: str
    message: str
    line: int | None


def _read(location: str) -> bytes:
    try:
        with open(location, "rb") as file:  # noqa: PTH123 (a Path costs more than the read)
            return file.read()
    except OSError as error:
        raise PostError(location, f"cannot read: {error.strerror or error}") from None


def _parse(file: Source, raw: bytes, site: Site) -> Post:
    path = file.path
    return parse_post(path, decode_post(path, raw), site, categories=file.categories, dateless=file.dateless)


def _examine(
    site: Site, keep: bool, render: bool, task: tuple[Source, str | None]
) -> _Same | _Parsed | _Failed:
    """Read and hash one file; parse it unless its hash is the one expected.

    Runs in a worker process when many files need a look (a cold build), so it
    takes and returns only what pickles cheaply; ``keep`` sends the whole post
    back, ``render`` its rendering too (a feed of every post would read it again
    for that otherwise; one it cannot render is rendered, and reported, later).
    """
    file, expected = task
    try:
        raw = _read(file.location)
        digest = content_digest(raw)
        if digest == expected:
            return _Same(digest)
        _log.debug("cache miss: %s", file.location)
        post = _parse(file, raw, site)
        url, ident = post_identity(post, site)
    except PostError as error:
        return _Failed(str(error.path), error.message, error.line)
    rendering = None
    if render:
        with contextlib.suppress(PostError):
            rendering = _portable(post), render_post(post, site)
    return _Parsed(indexed(post, digest, url, ident), post if keep else None, rendering)


def _settle(
    file: Source, signature: str | None, found: _Same | _Parsed | _Failed, site: Site, cache: PostCache
) -> LoadedPost | PostError:
    """What a look at ``file`` means: a post (recorded in the cache) or an error."""
    if isinstance(found, _Failed):
        return PostError(found.path, found.message, found.line)
    if isinstance(found, _Same):
        record = cache.known(file.key, found.digest)
        if record is None:  # The cached record could not be decoded: read the post afresh.
            return _settle(file, signature, _examine(site, True, False, (file, None)), site, cache)
        _log.debug("cache hit: %s", file.location)
        cache.put(file.key, signature, record)
        return LoadedPost(file, record)
    cache.put(file.key, signature, found.record)
    if found.rendering is not None:
        cache.put_rendered(file.key, found.record.digest, *found.rendering)
    return LoadedPost(file, found.record, found.post, found.rendering)


def _prepare_in_background(site: Site) -> threading.Thread:
    """Set the renderer up in a thread, while this process waits for its workers (a cold build).

    Started once the pool's workers exist: a process forked while another
    thread imports could inherit a held import lock.
    """

    def prepare() -> None:
        try:
            prepare_renderer(site.markdown_extensions, site.renderer)
        except Exception as error:  # Rendering reports it again, in order, for the right post.
            _log.debug("renderer set-up failed: %s", error)

    thread = threading.Thread(target=prepare, name="feedlib-prepare-renderer", daemon=True)
    thread.start()
    return thread


def load_posts_cached(
    folder: Path | str,
    site: Site,
    cache: PostCache,
    on_error: Callable[[PostError], None] | None = None,
    *,
    files: Sequence[PostFile] | None = None,
    will_render: bool = False,
    render_all: bool = False,
) -> list[LoadedPost]:
    """Every post under ``folder`` (or in ``files``), from the cache where a file is unchanged.

    Errors are handled as :func:`feedlib.posts.load_posts` does. Records of
    files that are gone are dropped from the cache. When many files need
    reading (a cold build), they are read, hashed and parsed in a process pool;
    with ``will_render``, the renderer is set up meanwhile, and with
    ``render_all`` (a feed of every post, without Liquid) each post read there
    is rendered there too, into the cache.
    """
    sources = (
        [Source(key, location) for key, location in post_file_locations(folder)]
        if files is None
        else [Source.of(file) for file in files]
    )
    trusted_before = time.time_ns() - RACY_MARGIN_NS
    debug = _log.isEnabledFor(logging.DEBUG)
    results: list[LoadedPost | PostError | None] = []
    pending: list[tuple[int, Source, str | None]] = []
    for file in sources:
        try:
            signature = file_signature(file.location, trusted_before)
        except OSError as error:
            results.append(PostError(file.location, f"cannot read: {error.strerror or error}"))
            continue
        record = cache.signed(file.key, signature) if signature is not None else None
        if record is not None:
            if debug:
                _log.debug("cache hit: %s", file.location)
            results.append(LoadedPost(file, record))
        else:
            pending.append((len(results), file, signature))
            results.append(None)
    tasks = [(file, cache.digest(file.key)) for _, file, _ in pending]
    # Posts parsed here keep their bodies for rendering; a pool sends back only records.
    keep = len(tasks) < PARALLEL_PARSE_MIN
    render_here = render_all and not keep
    looks = map_ordered(
        partial(_examine, site, keep, render_here),
        tasks,
        minimum=PARALLEL_PARSE_MIN,
        chunk=_RENDER_CHUNK if render_here else 256,
    )
    preparing = _prepare_in_background(site) if will_render and not keep and not render_here else None
    for (index, file, signature), found in zip(pending, looks, strict=True):
        results[index] = _settle(file, signature, found, site, cache)
    if preparing is not None:
        preparing.join()
    cache.retain(file.key for file in sources)
    loaded = [result for result in results if isinstance(result, LoadedPost)]
    errors = [result for result in results if isinstance(result, PostError)]
    for invalid in errors:
        _log.debug("invalid: %s", invalid)
    raise_or_report(errors, on_error)
    return loaded


def select_loaded(
    loaded: Iterable[LoadedPost],
    *,
    now: datetime | None = None,
    on_error: Callable[[PostError], None] | None = None,
) -> list[LoadedPost]:
    """The published posts, newest first, as :func:`feedlib.entries.select_posts` chooses them.

    Works on index records alone, so no post is decoded to choose.
    """
    cutoff = microseconds(now if now is not None else datetime.now(UTC))
    # attrgetter, not lambdas: these run for every post of the archive on every build.
    return newest_published(
        loaded,
        hidden=lambda item: item.record.draft or item.record.when > cutoff,
        when=attrgetter("record.when"),
        path=attrgetter("file.location"),
        identify=attrgetter("record.url", "record.id"),
        on_error=on_error,
    )


def _whole(item: LoadedPost, site: Site) -> tuple[Post, str]:
    """The whole post (body and front matter), and the hash of the bytes it was read from."""
    if item.post is not None:
        return item.post, item.digest
    raw = _read(item.location)
    digest = content_digest(raw)
    if digest != item.digest:
        # Edited since it was looked at a moment ago: use what it says now.
        _log.debug("changed while building: %s", item.location)
    return _parse(item.file, raw, site), digest


def _portable(post: Post) -> Post:
    """``post`` without what a worker need not send back: its body and raw front matter."""
    return replace(post, body="", front_matter={})


def _no_progress(items: Sequence[_T], label: str) -> Iterable[_T]:
    return items


_Rendering = tuple[Post, str, Rendered, bool]


def _render(item: LoadedPost, site: Site, liquid: PostRenderer | None) -> _Rendering:
    """The post, the hash of its bytes, its rendering, and whether that may be cached."""
    post, digest = _whole(item, site)
    cacheable = True
    if liquid is not None and uses_liquid(post, liquid.settings):
        cacheable = not liquid.depends_on_urls(post)
        post = replace(post, body=liquid.render(post))
    return post, digest, render_post(post, site), cacheable


def _render_item(site: Site, item: LoadedPost) -> _Rendering | _Failed:
    """In a worker: :func:`_render` without Liquid, the post sent back light; or the failure."""
    try:
        post, digest, fresh, cacheable = _render(item, site, None)
    except PostError as error:
        return _Failed(str(error.path), error.message, error.line)
    return _portable(post), digest, fresh, cacheable


def _outcome(result: _Rendering | _Failed) -> _Rendering | PostError:
    if isinstance(result, _Failed):
        return PostError(result.path, result.message, result.line)
    return result


def _rendered_here(
    missing: Sequence[LoadedPost], site: Site, liquid: PostRenderer | None
) -> Iterator[_Rendering | PostError]:
    for item in missing:
        try:
            yield _render(item, site, liquid)
        except PostError as error:
            yield error


def _renderings(
    missing: Sequence[LoadedPost], site: Site, liquid: PostRenderer | None
) -> Iterator[_Rendering | PostError]:
    """:func:`_render` of each of ``missing``, in order: in a process pool (started now) when there are many.

    Liquid renders here, in this process (its environment does not pickle).
    """
    if liquid is not None or len(missing) < PARALLEL_RENDER_MIN:
        return _rendered_here(missing, site, liquid)
    # Raw front matter may not pickle (and is not needed); the body is, unless it comes from the file.
    light = [item._replace(post=item.post and replace(item.post, front_matter={})) for item in missing]
    rendered = map_ordered(
        partial(_render_item, site), light, minimum=PARALLEL_RENDER_MIN, chunk=_RENDER_CHUNK
    )
    return map(_outcome, rendered)


def liquid_check(item: LoadedPost, site: Site, liquid: PostRenderer) -> None:
    """Render the Liquid of ``item`` (not its Markdown); :class:`PostError` if it cannot be."""
    if item.post is None and not _LIQUID_BYTES.search(_read(item.location)):
        return  # No Liquid in it: not worth parsing again.
    post, _ = _whole(item, site)
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
    known = {item.key: item.rendered or cache.rendered(item.key, item.digest, item.path) for item in selected}
    missing = [item for item in selected if known[item.key] is None]
    errors: list[PostError] = []
    # A pool starts (forks) before a progress bar starts its thread.
    outcomes = _renderings(missing, site, liquid)
    for item in (progress or _no_progress)(missing, "rendering"):
        outcome = next(outcomes)
        if isinstance(outcome, PostError):
            errors.append(outcome)
            continue
        post, digest, fresh, cacheable = outcome
        known[item.key] = post, fresh
        if cacheable:
            cache.put_rendered(item.key, digest, post, fresh)
        _log.debug("rendered: %s", post.path)
    raise_or_report(errors, on_error)
    entries = []
    for item in selected:
        found = known[item.key]
        if found is not None:
            entries.append(to_entry(found[0], site, found[1]))
    cache.keep_renderings(key for key, found in known.items() if found is not None)
    return entries

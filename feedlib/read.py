"""Reading the archive: every post file → a :class:`~feedlib.model.PostRecord`, through the cache.

A file whose signature the cache knows is not read at all; any other is read
and hashed, and parsed only when its hash is new. When many files need
reading (a cold build), worker processes read, hash and parse them and send
back records only, while this process sets the renderer up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial

from .cache import PostCache
from .cache.stamps import post_digest, post_signature, trusted_before
from .dates import microseconds
from .entries import render_post, to_entry
from .errors import PostError, raise_or_report
from .model import Entry, Post, PostFile, PostRecord, Site
from .parallel import map_ordered
from .selection import post_identity

__all__ = ["PARALLEL_READ_MIN", "read_posts", "record_of"]

#: At least this many posts to read before a process pool pays for itself
#: (reading a post takes about 0.2 ms; a pool takes tens of milliseconds to start).
PARALLEL_READ_MIN = 256
# Posts a worker takes at a time: many when it only reads them; few when it renders them
# too (a chunk then takes tens of milliseconds, so the last leaves the other core idle only that long).
_READ_CHUNK = 256
_RENDER_CHUNK = 8

_log = logging.getLogger(__name__)

# What reading one file found: its record (None: its bytes are those the cache has), or
# why it cannot be read; and its entry, when asked to render it too.
_Found = tuple[PostRecord | PostError | None, Entry | None]


def record_of(post: Post, site: Site, *, file: PostFile | None = None, digest: str = "") -> PostRecord:
    """The record of ``post``, which keeps the post: for selecting posts a program made or read itself.

    ``file`` is where it was read from (default: its path, keyed by itself),
    ``digest`` the hash of those bytes. Raises :class:`PostError` when its
    URL cannot be made.
    """
    url, ident = post_identity(post, site)
    when = microseconds(post.date)
    file = file if file is not None else PostFile(str(post.path), str(post.path))
    authors = tuple(author.name for author in post.authors)
    return PostRecord(
        file, digest, url, ident, when, post.draft, post.categories, post.tags, authors, post.lang, post
    )


def _read(site: Site, keep: bool, render: bool, task: tuple[PostFile, str | None]) -> _Found:
    """Read and hash one file; parse it unless its hash is the one expected.

    Runs in a worker process when many files need a look (a cold build), so it
    takes and returns only what pickles cheaply: the whole post only with
    ``keep``, its entry only with ``render`` (one it cannot render is
    rendered, and reported, later).
    """
    from .posts import parse_post_file, read_bytes  # PyYAML and the like: only when a post is read.

    file, expected = task
    try:
        raw = read_bytes(file)
        digest = post_digest(file, raw)
        if digest == expected:
            return None, None
        _log.debug("cache miss: %s", file.location)
        post = parse_post_file(file, raw, site)
        record = record_of(post, site, file=file, digest=digest)
    except PostError as error:
        return error, None
    entry = None
    if render:
        try:
            entry = to_entry(post, site, render_post(post, site))
        except PostError:
            entry = None
    return (record if keep else record._replace(post=None)), entry


def _prepare_in_background(site: Site) -> threading.Thread:
    """Set the renderer up in a thread, while this process waits for its workers (a cold build).

    Started once the pool's workers exist: a process forked while another
    thread imports could inherit a held import lock.
    """

    def prepare() -> None:
        from .render import prepare_renderer

        try:
            prepare_renderer(site.markdown_extensions, site.renderer, site.kramdown)
        except Exception as error:  # Rendering reports it again, in order, for the right post.
            _log.debug("renderer set-up failed: %s", error)

    thread = threading.Thread(target=prepare, name="feedlib-prepare-renderer", daemon=True)
    thread.start()
    return thread


def read_posts(
    files: Sequence[PostFile],
    site: Site,
    *,
    cache: PostCache | None = None,
    on_error: Callable[[PostError], None] | None = None,
    keep: bool = False,
    render: bool = False,
) -> list[PostRecord]:
    """The record of every post in ``files``, in order, from ``cache`` where a file is unchanged.

    Without ``on_error``, invalid posts raise :class:`~feedlib.errors.PostErrors`
    (all of them); with it, each is passed there and left out. Records of
    files that are gone are dropped from the cache. When many files need
    reading, they are read in a process pool; ``keep`` has the whole post of
    each file read kept in its record (sent back from the pool), and
    ``render`` has each file read rendered where it is read, its entry put in
    the cache (for a feed of every post). Without ``cache``, every file is read.
    """
    cache = cache if cache is not None else PostCache.open(None, site)
    results, pending = _looked_up(files, cache)
    tasks = [(file, cache.digest(file.key)) for _, file, _ in pending]
    in_pool = len(tasks) >= PARALLEL_READ_MIN
    # Posts read here keep their bodies for rendering; a pool sends back only records, unless asked.
    found = map_ordered(
        partial(_read, site, keep or not in_pool, render and in_pool),
        tasks,
        minimum=PARALLEL_READ_MIN,
        chunk=_RENDER_CHUNK if render else _READ_CHUNK,
    )
    preparing = _prepare_in_background(site) if in_pool and not render else None
    for (index, file, signature), outcome in zip(pending, found, strict=True):
        results[index] = _told(file, signature, outcome, site, cache)
    if preparing is not None:
        preparing.join()
    cache.forget_others(file.key for file in files)
    errors = [result for result in results if isinstance(result, PostError)]
    for invalid in errors:
        _log.debug("invalid: %s", invalid)
    raise_or_report(errors, on_error)
    return [result for result in results if isinstance(result, PostRecord)]


def _looked_up(
    files: Sequence[PostFile], cache: PostCache
) -> tuple[list[PostRecord | PostError | None], list[tuple[int, PostFile, str | None]]]:
    """Each file's record where its signature is the one the cache has (else ``None``), and the rest to read.

    The rest are (index in the results, file, its signature if it has a trustworthy one).
    """
    before = trusted_before()
    debug = _log.isEnabledFor(logging.DEBUG)
    results: list[PostRecord | PostError | None] = []
    pending: list[tuple[int, PostFile, str | None]] = []
    for file in files:
        try:
            signature = post_signature(file, before)
        except OSError as error:
            results.append(PostError(file.location, f"cannot read: {error.strerror or error}"))
            continue
        known = cache.record(file, signature=signature) if signature is not None else None
        if known is not None:
            if debug:
                _log.debug("cache hit: %s", file.location)
            results.append(known)
        else:
            pending.append((len(results), file, signature))
            results.append(None)
    return results, pending


def _told(
    file: PostFile, signature: str | None, found: _Found, site: Site, cache: PostCache
) -> PostRecord | PostError:
    """What a look at ``file`` found, told to the cache: its record, or why it cannot be read."""
    record, entry = found
    if isinstance(record, PostError):
        return record
    if record is None:  # Its bytes are the ones the cache has a record of.
        known = cache.digest(file.key)
        record = cache.record(file, digest=known) if known is not None else None
        if record is None:  # The record could not be decoded: read the post afresh.
            return _told(file, signature, _read(site, True, False, (file, None)), site, cache)
        _log.debug("cache hit: %s", file.location)
    cache.remember(record, signature)
    if entry is not None:
        cache.remember_entry(record, entry)
    return record

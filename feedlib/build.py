"""One build, start to end: configuration → posts → entries → published feeds.

This is what ``feedlib build`` and ``feedlib check`` run; the command only
turns their results and errors into lines and exit statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from .cache import CACHE_FILE, PostCache
from .config import Config
from .entries import select_posts
from .errors import ConfigError, PostError, PostErrors, PublishError
from .formats import FORMATS
from .formats.stylesheet import STYLESHEET_NAME, stylesheet_bytes
from .incremental import LoadedPost, Progress, identities, load_posts_cached, render_entries
from .lock import DEFAULT_WAIT, output_lock
from .model import Entry, Post, Site
from .preview import FeedPreview, preview_documents
from .publish import Document, Published, remove_stale_temporaries, render_documents, write_documents
from .terms import format_path, term_feeds

__all__ = ["CheckReport", "build", "check", "dry_run", "render_site"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found: how many posts it read, and every problem."""

    posts: int
    problems: tuple[PostError, ...]


def render_site(
    config: Config,
    cache: PostCache,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
    progress: Progress | None = None,
) -> list[Document]:
    """Read every post and render every configured feed in memory; writes nothing.

    Every invalid post is found before anything is rendered: they are raised
    together as :class:`PostErrors`. With ``skip_invalid``, each is passed to
    ``on_skip`` and left out instead. ``now`` (default: the current time)
    leaves out posts dated after it. ``cache`` is read and updated, not saved.
    """
    problems: list[PostError] = []
    site, options = config.site, config.build
    loaded = load_posts_cached(options.posts, site, cache, on_error=problems.append)
    by_path = {item.post.path: item for item in loaded}
    visible = select_posts(
        (item.post for item in loaded),
        site,
        now=now,
        limit=None,
        on_error=problems.append,
        identify=identities(loaded),
    )
    if problems and not skip_invalid:
        raise PostErrors(problems)
    for problem in problems:
        if on_skip is not None:
            on_skip(problem)
    main = visible if options.limit is None else visible[: options.limit]
    per_term = term_feeds(visible, options.feeds, options.limit)
    # Every post any feed shows is rendered once, in the archive's order.
    shown = {post.path for post in main} | {post.path for feed in per_term for post in feed.posts}
    to_render: list[LoadedPost] = [by_path[post.path] for post in visible if post.path in shown]
    rendered = render_entries(to_render, site, cache, progress)
    entries = {item.post.path: entry for item, entry in zip(to_render, rendered, strict=True)}

    def entries_of(posts: Sequence[Post]) -> list[Entry]:
        return [entries[post.path] for post in posts]

    documents = render_documents(site, entries_of(main), options.formats, stylesheet=options.stylesheet)
    for feed in per_term:
        documents += render_documents(
            _term_site(site, feed.term),
            entries_of(feed.posts),
            options.formats,
            paths={name: format_path(feed.path, name) for name in options.formats},
            stylesheet=options.stylesheet,
        )
    if options.stylesheet:
        documents.append(Document("xsl", STYLESHEET_NAME, stylesheet_bytes(), 0))
    _check_distinct(documents)
    return documents


def _term_site(site: Site, term: str) -> Site:
    """The site as a term's feed names itself: "Site — Term"."""
    return replace(site, title=f"{site.title} \u2014 {term}")


def _check_distinct(documents: Sequence[Document]) -> None:
    seen: set[str] = set()
    for document in documents:
        if document.relative_path in seen:
            raise ConfigError(
                f"two feeds would be written to {document.relative_path}: "
                "give [feeds] categories and tags different paths"
            )
        seen.add(document.relative_path)


def _remove_stale_temporaries(out: Path, documents: Sequence[Document]) -> None:
    """What a killed build left beside any of these documents (call while holding the lock)."""
    names: dict[PurePosixPath, set[str]] = {PurePosixPath("."): {spec.filename for spec in FORMATS.values()}}
    for document in documents:
        relative = PurePosixPath(document.relative_path)
        names.setdefault(relative.parent, set()).add(relative.name)
    for folder, found in sorted(names.items()):
        remove_stale_temporaries(out / folder, found)


def _open_cache(config: Config) -> PostCache:
    return PostCache.load(config.build.cache, config.site)


def _save_cache(cache: PostCache) -> None:
    # The cache only saves time: failing to write it is worth a warning, not a failed build.
    try:
        cache.save()
    except PublishError as error:
        _log.warning("%s (the cache was not saved; the feeds are not affected)", error)


def build(
    config: Config,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Progress | None = None,
) -> list[Published]:
    """Read every post, then render and publish every configured feed.

    Holds the output folder's lock throughout (waiting up to ``wait`` seconds
    for another build: :class:`~feedlib.errors.LockTimeout`), removes what a
    killed build left behind, renders every feed in memory, and then writes
    each file that changed atomically. With invalid posts nothing is written
    (see :func:`render_site`). The cache folder is ``config.build.cache``
    (``None``: no cache).
    """
    out = config.build.out
    with output_lock(out, wait):
        if config.build.cache is not None:
            remove_stale_temporaries(config.build.cache, [CACHE_FILE])
        cache = _open_cache(config)
        try:
            documents = render_site(
                config, cache, now=now, skip_invalid=skip_invalid, on_skip=on_skip, progress=progress
            )
        finally:
            _save_cache(cache)  # What was read stays useful even when some posts are invalid.
        _remove_stale_temporaries(Path(out), documents)
        return write_documents(documents, out)


def dry_run(
    config: Config,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
    progress: Progress | None = None,
) -> list[FeedPreview]:
    """What :func:`build` would change in each feed, without writing anything (not even the cache)."""
    documents = render_site(
        config, _open_cache(config), now=now, skip_invalid=skip_invalid, on_skip=on_skip, progress=progress
    )
    return preview_documents(documents, config.build.out)


def check(config: Config, *, now: datetime | None = None) -> CheckReport:
    """Read every post as a build would and report every problem; writes nothing.

    Problems are invalid posts and posts whose URL or id another post has.
    ``now`` is as for :func:`render_site`.
    """
    invalid: list[PostError] = []
    loaded = load_posts_cached(config.build.posts, config.site, _open_cache(config), on_error=invalid.append)
    clashes: list[PostError] = []
    select_posts(
        (item.post for item in loaded),
        config.site,
        now=now,
        limit=None,
        on_error=clashes.append,
        identify=identities(loaded),
    )
    return CheckReport(len(loaded) + len(invalid), tuple(invalid + clashes))

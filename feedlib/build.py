"""One build, start to end: configuration → posts → entries → published feeds.

This is what ``feedlib build`` and ``feedlib check`` run; the command only
turns their results and errors into lines and exit statuses.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from .cache import CACHE_FILES, RACY_MARGIN_NS, PostCache, file_signature
from .config import Config
from .errors import ConfigError, PostError, PostErrors, PublishError
from .formats import FORMATS
from .formats.stylesheet import STYLESHEET_NAME, stylesheet_bytes
from .incremental import LoadedPost, Progress, liquid_check, load_posts_cached, render_entries, select_loaded
from .liquid_settings import liquid_fingerprint
from .lock import DEFAULT_WAIT, output_lock
from .model import Site
from .posts import PostFile
from .publish import Document, Feed, Published, remove_stale_temporaries, render_feeds, write_documents
from .terms import format_path, term_feeds
from .urls import absolute_url

if TYPE_CHECKING:
    from .preview import FeedPreview
    from .templates import PostRenderer

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
    ``on_skip`` and left out instead. A post that fails only when rendered
    (its Liquid) is handled the same way, and the next post takes its place.
    ``now`` (default: the current time) leaves out posts dated after it.
    ``cache`` is read and updated, not saved.
    """
    rendering = _render_site(
        config, cache, now=now, skip_invalid=skip_invalid, on_skip=on_skip, progress=progress
    )
    assert rendering is not None  # Only a build asks whether its files are unchanged.
    return list(rendering)


class _Outline(NamedTuple):
    """What a build is about to write, known before anything is rendered.

    ``plan`` is a hash of everything its files are made from (``None`` when
    that cannot be known beforehand: posts rendered as Liquid may read other
    posts); ``files`` holds each file's format, path in the output folder,
    number of entries and URL.
    """

    plan: str | None
    files: list[tuple[str, str, int, str | None]]


def _outline(
    config: Config, cache: PostCache, feeds: Sequence[tuple[Site, Sequence[LoadedPost], Mapping[str, str]]]
) -> _Outline:
    files: list[tuple[str, str, int, str | None]] = [
        (name, path, len(items), absolute_url(path, site))
        for site, items, paths in feeds
        for name, path in paths.items()
    ]
    if config.build.stylesheet:
        files.append(("xsl", STYLESHEET_NAME, 0, None))
    if config.liquid.enabled:
        return _Outline(None, files)
    made_from = {
        # The settings, feedlib and the libraries that read and render posts and write feeds.
        "cache": cache.fingerprint,
        "site": repr(config.site),
        "out": str(config.build.out),
        "stylesheet": config.build.stylesheet,
        "feeds": [
            [site.title, dict(paths), [[item.key, item.digest] for item in items]]
            for site, items, paths in feeds
        ],
    }
    text = json.dumps(made_from, ensure_ascii=False, sort_keys=True)
    return _Outline(hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest(), files)


def _render_site(
    config: Config,
    cache: PostCache,
    *,
    now: datetime | None,
    skip_invalid: bool,
    on_skip: Callable[[PostError], None] | None,
    progress: Progress | None,
    unchanged: Callable[[_Outline], bool] | None = None,
) -> Iterator[Document] | None:
    """:func:`render_site`, with large feeds still rendering (in other processes) when it returns.

    The cache is complete by then: it can be saved while they render.
    ``unchanged`` is asked, before anything is rendered, whether the files
    this build would write are already published as they would be: if it
    says so, nothing is rendered and this returns ``None``. It is asked again
    with each new choice of posts, when some failed to render.
    """
    problems: list[PostError] = []
    site, options = config.site, config.build
    # A feed of every post shows (nearly) every post read: render each where it is read.
    render_all = options.limit is None and not config.liquid.enabled
    loaded = load_posts_cached(
        options.posts,
        site,
        cache,
        on_error=problems.append,
        files=_post_files(config),
        will_render=True,
        render_all=render_all,
    )
    liquid = _liquid_renderer(config, loaded)
    formats = options.formats
    paths = {name: options.paths.get(name, FORMATS[name].filename) for name in formats}
    failed: list[PostError] = []
    while True:
        clashes: list[PostError] = []
        left_out = {str(problem.path) for problem in failed}
        visible = select_loaded(
            (item for item in loaded if item.location not in left_out), now=now, on_error=clashes.append
        )
        if (problems or clashes) and not skip_invalid:
            raise PostErrors(problems + clashes)
        main = visible if options.limit is None else visible[: options.limit]
        per_term = term_feeds(visible, options.feeds, options.limit)
        feeds = [(site, main, paths)] + [
            (
                _term_site(site, feed.term),
                feed.posts,
                {name: format_path(feed.path, name) for name in formats},
            )
            for feed in per_term
        ]
        stylesheet = [STYLESHEET_NAME] if options.stylesheet else []
        _check_distinct([path for _, _, feed_paths in feeds for path in feed_paths.values()] + stylesheet)
        # Asked on every pass, so that the last outline is the one rendered; only the first may skip
        # (after posts failed to render, the files hold what the build made without them).
        if unchanged is not None and unchanged(_outline(config, cache, feeds)) and not failed:
            _report(problems + clashes, on_skip)
            return None
        # Every post any feed shows is rendered once, in the archive's order.
        shown = {item.key for item in main} | {item.key for feed in per_term for item in feed.posts}
        to_render = [item for item in visible if item.key in shown]
        fresh: list[PostError] = []
        rendered = render_entries(to_render, site, cache, progress, liquid=liquid, on_error=fresh.append)
        failed.extend(fresh)
        if not fresh:
            break
        if not skip_invalid:
            raise PostErrors(problems + failed)
    _report(problems + clashes + failed, on_skip)
    entries = {item.key: entry for item, entry in zip(to_render, rendered, strict=True)}
    more = [Document("xsl", STYLESHEET_NAME, stylesheet_bytes(), 0)] if options.stylesheet else []
    rendering = [
        Feed(feed_site, [entries[item.key] for item in items], feed_paths)
        for feed_site, items, feed_paths in feeds
    ]
    return itertools.chain(render_feeds(rendering, stylesheet=options.stylesheet), more)


def _report(problems: Sequence[PostError], on_skip: Callable[[PostError], None] | None) -> None:
    for problem in problems:
        if on_skip is not None:
            on_skip(problem)


def _term_site(site: Site, term: str) -> Site:
    """The site as a term's feed names itself: "Site — Term"."""
    return replace(site, title=f"{site.title} \u2014 {term}")


def _check_distinct(paths: Sequence[str]) -> None:
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise ConfigError(
                f"two feeds would be written to {path}: give [feeds] categories and tags different paths"
            )
        seen.add(path)


def _remove_stale_temporaries(out: Path, documents: Sequence[Document]) -> None:
    """What a killed build left beside any of these documents (call while holding the lock)."""
    names: dict[PurePosixPath, set[str]] = {PurePosixPath("."): {spec.filename for spec in FORMATS.values()}}
    for document in documents:
        relative = PurePosixPath(document.relative_path)
        names.setdefault(relative.parent, set()).add(relative.name)
    for folder, found in sorted(names.items()):
        remove_stale_temporaries(out / folder, found)


def _liquid_renderer(config: Config, loaded: Sequence[LoadedPost]) -> PostRenderer | None:
    """The Liquid renderer of ``config``'s posts, or ``None`` when Liquid is off."""
    if not config.liquid.enabled:
        return None
    from .templates import PostRenderer  # python-liquid: only for sites that use it.

    return PostRenderer(config.site, config.liquid, {item.key: item.url for item in loaded})


def _post_files(config: Config) -> list[PostFile] | None:
    """The post files of a Jekyll site; ``None``: every post file under ``config.build.posts``."""
    return config.jekyll.post_files() if config.jekyll is not None else None


def _feed_paths(config: Config) -> list[Path]:
    """Every feed file a build of ``config`` may write, relative to its output folder."""
    return [Path(config.build.paths.get(name, FORMATS[name].filename)) for name in config.build.formats]


def _open_cache(config: Config) -> PostCache:
    return PostCache.load(config.build.cache, config.site, liquid_fingerprint(config.liquid))


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
        remove_stale_temporaries(out, [spec.filename for spec in FORMATS.values()])
        for path in _feed_paths(config):
            remove_stale_temporaries(out / path.parent, [path.name])
        if config.build.cache is not None:
            remove_stale_temporaries(config.build.cache, CACHE_FILES)
        cache = _open_cache(config)
        outlines: list[_Outline] = []

        def unchanged(outline: _Outline) -> bool:
            outlines.append(outline)
            return _still_published(Path(out), cache, outline)

        try:
            rendering = _render_site(
                config,
                cache,
                now=now,
                skip_invalid=skip_invalid,
                on_skip=on_skip,
                progress=progress,
                unchanged=unchanged,
            )
            if rendering is None:
                return [
                    Published(Path(out) / path, name, entries, False, url)
                    for name, path, entries, url in outlines[0].files
                ]
            _save_cache(cache)  # While large feeds render in other processes.
            documents = list(rendering)
        finally:
            _save_cache(cache)  # What was read stays useful even when some posts are invalid.
        _remove_stale_temporaries(Path(out), documents)
        published = write_documents(documents, out)
        _record_published(Path(out), cache, outlines[-1].plan, documents)
        return published


def _still_published(out: Path, cache: PostCache, outline: _Outline) -> bool:
    """Whether each file of ``outline`` is as the last build published it from the same plan.

    A file is known by its signature (inode, size, times), as post files are.
    """
    recorded = cache.published(outline.plan) if outline.plan is not None else None
    if recorded is None or set(recorded) != {path for _, path, _, _ in outline.files}:
        return False
    for path, signature in recorded.items():
        try:
            if file_signature(out / path) != signature:
                return False
        except OSError:
            return False
    _log.debug("published files are up to date: nothing to render")
    return True


def _record_published(out: Path, cache: PostCache, plan: str | None, documents: Sequence[Document]) -> None:
    """Remember what the files in ``out`` were published from, for the next build to skip rendering them."""
    trusted_before = time.time_ns() - RACY_MARGIN_NS
    signatures: dict[str, str | None] = {}
    for document in documents:
        try:
            signatures[document.relative_path] = file_signature(out / document.relative_path, trusted_before)
        except OSError:
            signatures[document.relative_path] = None
    cache.set_published(plan, signatures)
    _save_cache(cache)


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
    from .preview import preview_documents  # lxml's parser, for --dry-run only.

    return preview_documents(documents, config.build.out)


def check(config: Config, *, now: datetime | None = None) -> CheckReport:
    """Read every post as a build would and report every problem; writes nothing.

    Problems are invalid posts, posts whose URL or id another post has, and
    (when Liquid is on) published posts whose Liquid cannot be rendered.
    ``now`` is as for :func:`render_site`.
    """
    invalid: list[PostError] = []
    loaded = load_posts_cached(
        config.build.posts,
        config.site,
        _open_cache(config),
        on_error=invalid.append,
        files=_post_files(config),
    )
    clashes: list[PostError] = []
    published = select_loaded(loaded, now=now, on_error=clashes.append)
    unreadable = len(invalid)
    liquid = _liquid_renderer(config, loaded)
    if liquid is not None:
        for item in published:
            try:
                liquid_check(item, config.site, liquid)
            except PostError as error:
                invalid.append(error)
    return CheckReport(len(loaded) + unreadable, tuple(invalid + clashes))

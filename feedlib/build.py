"""One build, start to end, through the pipeline's public stages.

``discover_posts`` → ``read_posts`` → ``select_posts`` → ``plan_feeds`` →
``render_entries`` → ``render_feeds`` → ``write_documents``, with the cache
as a memo each stage consults and the output folder's lock held throughout.
This is what ``feedlib build``, ``feedlib check`` and ``--dry-run`` run; the
command only turns their results and errors into lines and exit statuses.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .cache import CACHE_FILES, PostCache
from .cache.stamps import signatures
from .config import Config
from .discover import discover_posts
from .entries import Progress, render_entries
from .errors import PostChanged, PostError, PostErrors, PublishError
from .feeds import Document, Feed, plan_feeds, render_feeds
from .formats import FORMATS
from .formats.stylesheet import STYLESHEET_NAME, stylesheet_bytes
from .lock import DEFAULT_WAIT, output_lock
from .model import Entry, PostFile, PostRecord
from .publish import Published, remove_stale_temporaries, remove_stale_temporaries_of, write_documents
from .read import read_posts
from .selection import select_posts
from .uptodate import Outline, listing_digest, next_change, outline, remembered, still_published

if TYPE_CHECKING:
    from .jekyll.liquid import PostRenderer
    from .preview import FeedPreview

__all__ = ["CheckReport", "build", "check", "dry_run", "open_cache", "post_files", "render_site"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")
# A post that changes while a build reads it makes the build start over, this many times at most.
_ATTEMPTS = 3
_LIQUID_BYTES = re.compile(rb"\{[{%]")


def _newest_first(record: PostRecord) -> tuple[int, str]:
    """The order :func:`~feedlib.selection.select_posts` gives: newest first, one instant by path."""
    return -record.when, record.location


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found: how many posts it read, every problem, and the settings it ignores.

    ``ignored`` is :attr:`Config.ignored <feedlib.config.Config>`: worth saying
    once, by a check, and not a problem.
    """

    posts: int
    problems: tuple[PostError, ...]
    ignored: tuple[str, ...] = ()


def post_files(config: Config, on_error: Callable[[PostError], None] | None = None) -> list[PostFile]:
    """The post files of ``config``: as Jekyll finds them (a Jekyll site), else all under ``build.posts``.

    What cannot be read (a folder, a link out of the site) is raised as
    :class:`~feedlib.errors.PostErrors`, or passed to ``on_error``. With
    ``build.dates = "git"``, each carries the times of its first and last
    commits (:func:`~feedlib.history.add_commit_dates`); a
    :class:`~feedlib.errors.ConfigError` names the folder when it is not in
    a git repository.
    """
    if config.jekyll is not None:
        files, folder = config.jekyll.post_files(on_error), config.jekyll.root
    else:
        files, folder = discover_posts(config.build.posts, on_error), config.build.posts
    if config.build.dates != "git":
        return files
    from .history import add_commit_dates  # git, and subprocess: only for sites that ask.

    return add_commit_dates(files, folder)


def open_cache(config: Config) -> PostCache:
    """The cache of ``config`` (``build.cache``; in memory when that is ``None``)."""
    return PostCache.open(config.build.cache, config.site, config.liquid)


def _liquid_renderer(config: Config, records: Sequence[PostRecord]) -> PostRenderer | None:
    """The Liquid renderer of ``config``'s posts, or ``None`` when Liquid is off."""
    if not config.liquid.enabled:
        return None
    from .jekyll.liquid import PostRenderer  # python-liquid: only for sites that use it.

    return PostRenderer(config.site, config.liquid, {record.key: record.url for record in records})


def _report(problems: Sequence[PostError], on_skip: Callable[[PostError], None] | None) -> None:
    for problem in problems:
        if on_skip is not None:
            on_skip(problem)


def _feeds(
    config: Config,
    records: Sequence[PostRecord],
    *,
    now: datetime | None,
    invalid: Sequence[PostError],
    skip_invalid: bool,
) -> tuple[list[Feed[PostRecord]], list[PostError]]:
    """The feeds to write, and the problems found choosing their posts.

    Without ``skip_invalid``, ``invalid`` posts or clashes raise them all together.
    """
    clashes: list[PostError] = []
    published = select_posts(records, now=now, on_error=clashes.append, future=config.build.future)
    if (invalid or clashes) and not skip_invalid:
        raise PostErrors([*invalid, *clashes])
    return plan_feeds(config.site, config.build, published), clashes


def _render_site(
    config: Config,
    cache: PostCache,
    *,
    now: datetime | None,
    skip_invalid: bool,
    on_skip: Callable[[PostError], None] | None,
    progress: Progress | None,
    unchanged: Callable[[Outline], bool] | None = None,
) -> Iterator[Document] | None:
    """:func:`render_site`, with large feeds still rendering (in other processes) when it returns.

    The cache is complete by then: it can be saved while they render.
    ``unchanged`` is asked, before anything is rendered, whether the files
    this build would write are already published as they would be: if it
    says so, nothing is rendered and this returns ``None``. It is asked again
    with each new choice of posts, when some failed to render.
    """
    invalid: list[PostError] = []
    # A feed of every post shows (nearly) every post read: render each where it is read.
    render = config.build.limit is None and not config.liquid.enabled
    files = post_files(config, invalid.append)
    listing = listing_digest(config, cache, files) if unchanged is not None and not invalid else None
    if listing is not None and unchanged is not None:
        known = remembered(cache, listing, now)
        if known is not None and unchanged(known):
            return None  # The same posts as when these files were published: not even read.
    records = read_posts(files, config.site, cache=cache, on_error=invalid.append, render=render)
    until = next_change(records, now, config.build.future)
    liquid = _liquid_renderer(config, records)
    failed: list[PostError] = []
    while True:
        left_out = {str(problem.path) for problem in failed}
        kept = [record for record in records if record.location not in left_out] if failed else records
        feeds, clashes = _feeds(config, kept, now=now, invalid=invalid, skip_invalid=skip_invalid)
        # Asked on every pass, so that the last outline is the one rendered; only the first may skip
        # (after posts failed to render, the files hold what the build made without them).
        clean = not (invalid or clashes or failed)
        planned = outline(config, cache, feeds, listing if clean else None, until)
        if unchanged is not None and unchanged(planned) and not failed:
            _report(invalid + clashes, on_skip)
            return None
        entries, fresh = _shown_entries(config, cache, feeds, liquid, progress)
        failed.extend(fresh)
        if not fresh:
            break
        if not skip_invalid:
            raise PostErrors(invalid + failed)
    _report(invalid + clashes + failed, on_skip)
    return _documents(config, [feed.showing(entries[record.key] for record in feed.items) for feed in feeds])


def _shown_entries(
    config: Config,
    cache: PostCache,
    feeds: Sequence[Feed[PostRecord]],
    liquid: PostRenderer | None,
    progress: Progress | None,
) -> tuple[dict[str, Entry], list[PostError]]:
    """The entry of each post the ``feeds`` show, by key (each rendered once), and the posts that failed."""
    shown = {record.key: record for feed in feeds for record in feed.items}
    failed: list[PostError] = []
    records = sorted(shown.values(), key=_newest_first)
    entries = render_entries(
        records, config.site, cache=cache, liquid=liquid, on_error=failed.append, progress=progress
    )
    return dict(zip(_keys(records, failed), entries, strict=True)), failed


def _keys(records: Sequence[PostRecord], failed: Sequence[PostError]) -> list[str]:
    """The keys of ``records`` whose posts did not fail, in order."""
    left_out = {str(problem.path) for problem in failed}
    return [record.key for record in records if record.location not in left_out]


def _documents(config: Config, feeds: Sequence[Feed[Entry]]) -> Iterator[Document]:
    """The documents of ``feeds`` (rendering, in other processes when large), then the stylesheet if asked."""
    stylesheet = config.build.stylesheet
    more = [Document("xsl", STYLESHEET_NAME, stylesheet_bytes(), 0)] if stylesheet else []
    return itertools.chain(render_feeds(feeds, stylesheet=stylesheet), more)


def _until_unchanged(run: Callable[[], _T]) -> _T:
    """``run()``, started over when a post file changes while it reads the posts."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return run()
        except PostChanged as changed:
            if attempt == _ATTEMPTS:
                raise PostError(
                    changed.path, f"changed while the build read it, {_ATTEMPTS} times; build again"
                ) from None
            _log.debug("%s; starting over", changed)
    raise AssertionError("unreachable")


def render_site(
    config: Config,
    cache: PostCache | None = None,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
    progress: Progress | None = None,
) -> list[Document]:
    """Read every post and render every configured feed in memory; writes nothing.

    Every invalid post is found before anything is rendered: they are raised
    together as :class:`~feedlib.errors.PostErrors`. With ``skip_invalid``,
    each is passed to ``on_skip`` and left out instead. A post that fails
    only when rendered (its Liquid) is handled the same way, and the next
    post takes its place. ``now`` (default: the current time) leaves out
    posts dated after it. ``cache`` (default: none, every post is read) is
    read and updated, not saved.
    """
    memo = cache if cache is not None else PostCache.open(None, config.site, config.liquid)

    def run() -> list[Document]:
        rendering = _render_site(
            config, memo, now=now, skip_invalid=skip_invalid, on_skip=on_skip, progress=progress
        )
        assert rendering is not None  # Only a build asks whether its files are unchanged.
        return list(rendering)

    return _until_unchanged(run)


def _save_cache(cache: PostCache) -> None:
    # The cache only saves time: failing to write it is worth a warning, not a failed build.
    try:
        cache.save()
    except PublishError as error:
        _log.warning("%s (the cache was not saved; the feeds are not affected)", error)


def _remove_stale_temporaries(config: Config) -> None:
    """What a killed build left in the output and cache folders (call while holding the lock)."""
    out = config.build.out
    remove_stale_temporaries(out, [spec.filename for spec in FORMATS.values()])
    remove_stale_temporaries_of(out, list(config.build.feed_paths().values()))
    if config.build.cache is not None:
        remove_stale_temporaries(config.build.cache, CACHE_FILES)


def build(
    config: Config,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
    wait: float = DEFAULT_WAIT,
    progress: Progress | None = None,
) -> list[Published]:
    """Read every post, then render and publish every configured feed: what ``feedlib build`` does.

    Holds the output folder's lock throughout (waiting up to ``wait`` seconds
    for another build: :class:`~feedlib.errors.LockTimeout`), removes what a
    killed build left behind, renders every feed in memory, and then writes
    each file that changed atomically; returns what it published.
    Every invalid post is found before anything is rendered, and they are
    raised together as :class:`~feedlib.errors.PostErrors`, with nothing
    written; with ``skip_invalid``, each is passed to ``on_skip`` (if given)
    and left out instead (as is a post whose Liquid fails when rendered).
    ``now`` (default: the current time; timezone-aware) leaves out posts
    dated after it. ``progress`` wraps the posts being rendered, to show how
    far it got (a progress bar). The cache (``config.build.cache``;
    ``None``: no cache) is saved even when posts are invalid; when the feeds
    would come out as they were last published, nothing is rendered.
    """
    out = Path(config.build.out)
    with output_lock(out, wait):
        _remove_stale_temporaries(config)
        cache = open_cache(config)
        outlines: list[Outline] = []

        def unchanged(planned: Outline) -> bool:
            outlines.append(planned)
            return still_published(out, cache, planned)

        render = partial(_render_site, config, cache, now=now, skip_invalid=skip_invalid, on_skip=on_skip)
        try:
            rendering = _until_unchanged(partial(render, progress=progress, unchanged=unchanged))
            if rendering is None:
                _remember_listing(cache, outlines[-1])
                return [
                    Published(out / path, name, count, False, url)
                    for name, path, count, url in outlines[-1].files
                ]
            _save_cache(cache)  # While large feeds render in other processes.
            documents = list(rendering)
        finally:
            _save_cache(cache)  # What was read stays useful even when some posts are invalid.
        return _publish(out, cache, documents, outlines[-1])


def _remember_listing(cache: PostCache, made: Outline) -> None:
    """Remember the listing of the posts ``made`` was made from, when it may be trusted next time."""
    if made.listing is not None and made.plan is not None:
        cache.remember_listing(made.listing, made.plan, made.files, made.until)


def _publish(out: Path, cache: PostCache, documents: Sequence[Document], made: Outline) -> list[Published]:
    """Write ``documents``, and remember what they were made from (``made``) for the next build."""
    paths = [document.relative_path for document in documents]
    remove_stale_temporaries_of(out, paths)
    published = write_documents(documents, out)
    cache.remember_published(made.plan, signatures(out, paths))
    _remember_listing(cache, made)
    _save_cache(cache)
    return published


def dry_run(
    config: Config,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
    progress: Progress | None = None,
) -> list[FeedPreview]:
    """What a build would change in each feed, without writing anything (not even the cache).

    Reads every post and renders every configured feed in memory, then
    compares each with the file published under ``config.build.out``: the
    entries it would add, update and remove. Invalid posts raise
    :class:`~feedlib.errors.PostErrors` together; with ``skip_invalid``, each
    is passed to ``on_skip`` (if given) and left out. ``now`` (default: the
    current time; timezone-aware) leaves out posts dated after it;
    ``progress`` wraps the posts being rendered, to show how far it got.
    """
    documents = render_site(
        config, open_cache(config), now=now, skip_invalid=skip_invalid, on_skip=on_skip, progress=progress
    )
    from .preview import preview_documents  # For --dry-run only.

    return preview_documents(documents, config.build.out)


def check(config: Config, *, now: datetime | None = None) -> CheckReport:
    """Read every post as a build would and report every problem; writes nothing.

    Problems are invalid posts (and files and folders that cannot be read),
    posts whose URL or id another post has, a post whose term would give a
    feed the path of another file, and (when Liquid is on) published posts
    whose Liquid cannot be rendered at its strictest: an unknown filter or
    an undefined variable is reported even where the site's Liquid settings
    let a build pass over it, as a ``_data`` file that cannot be read is
    raised. ``now`` (default: the current time; timezone-aware) is the
    cut-off for future-dated posts, which are not published and so not
    checked for clashes.
    """
    invalid: list[PostError] = []
    files = post_files(config, invalid.append)
    records = read_posts(files, config.site, cache=open_cache(config), on_error=invalid.append)
    clashes: list[PostError] = []
    published = select_posts(records, now=now, on_error=clashes.append, future=config.build.future)
    try:
        plan_feeds(config.site, config.build, published)  # A post's term may give a feed a taken path.
    except PostError as error:
        clashes.append(error)
    liquid = _liquid_renderer(config, records)
    if liquid is not None:
        liquid.check_data()  # A _data file that cannot be read is a ConfigError, used or not.
        invalid.extend(_liquid_problems(config, liquid, published))
    return CheckReport(len(files), tuple(invalid + clashes), config.ignored)


def _liquid_problems(
    config: Config, liquid: PostRenderer, published: Sequence[PostRecord]
) -> list[PostError]:
    """A problem for each of ``published`` whose Liquid cannot be rendered (its Markdown is not rendered)."""
    from .posts import parse_post_file, read_bytes

    problems = []
    for record in published:
        try:
            post = record.post
            if post is None:
                raw = read_bytes(record.file)
                if not _LIQUID_BYTES.search(raw):
                    continue  # No Liquid in it: not worth parsing.
                post = parse_post_file(record.file, raw, config.site)
            if liquid.applies_to(post):
                liquid.render(post, checking=True)
        except PostError as error:
            problems.append(error)
    return problems

"""Whether a build has anything to do: what it would write, and whether that is already published.

Before rendering, a build knows its outline: the files it would write, and a
hash of everything they are made from (the plan). When the last build
published them from the same plan and nobody touched them since, there is
nothing to render.

A build with nothing changed is told so even earlier, from the post files'
signatures alone (:func:`listing_digest`): the last build that completed
without a problem remembered, with its outline, a hash of the settings and of
every post file's signature (the listing), and until when its choice of
posts holds (the date of the first post still in the future). While both
hold, the same files would be made from the same plan, so the cache's
records need not even be read: the build stats each post file and stops.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .cache.stamps import files_unchanged, plan_digest, post_signature, trusted_before
from .dates import microseconds
from .formats.stylesheet import STYLESHEET_NAME
from .model import PostFile, PostRecord
from .text import hex_digest
from .urls import absolute_url

if TYPE_CHECKING:
    from .cache import PostCache
    from .config import Config
    from .feeds import Feed

__all__ = ["Outline", "listing_digest", "next_change", "outline", "remembered", "still_published"]

_log = logging.getLogger(__name__)


class Outline(NamedTuple):
    """What a build is about to write, known before anything is rendered.

    ``plan`` is a hash of everything its files are made from (``None`` when
    that cannot be known beforehand: posts rendered as Liquid may read other
    posts); ``files`` holds each file's format, path in the output folder,
    number of entries and URL. ``listing`` (:func:`listing_digest`) and
    ``until`` (:func:`next_change`) say when the same outline holds again
    without reading a post: ``listing`` is ``None`` when it must not be
    remembered (a post was invalid, or a signature cannot be trusted).
    """

    plan: str | None
    files: list[tuple[str, str, int, str | None]]
    listing: str | None = None
    until: int | None = None


def outline(
    config: Config,
    cache: PostCache,
    feeds: Sequence[Feed[PostRecord]],
    listing: str | None = None,
    until: int | None = None,
) -> Outline:
    """The outline of a build of ``config`` that writes ``feeds``."""
    files: list[tuple[str, str, int, str | None]] = [
        (name, path, len(feed.items), absolute_url(path, feed.site))
        for feed in feeds
        for name, path in feed.paths.items()
    ]
    if config.build.stylesheet:
        files.append(("xsl", STYLESHEET_NAME, 0, None))
    if config.liquid.enabled:
        return Outline(None, files)
    made_from = {
        # The settings, feedlib and the libraries that read and render posts and write feeds.
        "cache": cache.fingerprint,
        "site": repr(config.site),
        "out": str(config.build.out),
        "stylesheet": config.build.stylesheet,
        "feeds": [
            [feed.site.title, dict(feed.paths), [[record.key, record.digest] for record in feed.items]]
            for feed in feeds
        ],
    }
    return Outline(plan_digest(made_from), files, listing, until)


def listing_digest(config: Config, cache: PostCache, files: Sequence[PostFile]) -> str | None:
    """A hash of ``config`` and of each post file's signature; ``None`` if one cannot be trusted.

    Posts rendered as Liquid read more than their own files (other posts,
    ``_data``, includes): they get ``None`` too.
    """
    if config.liquid.enabled:
        return None
    before = trusted_before()
    listed: list[str] = []
    for file in files:
        try:
            signature = post_signature(file, before)
        except OSError:
            return None
        if signature is None:
            return None
        # No path (nor key, nor signature) can hold a NUL: joined by NULs, they stay apart.
        listed.append(f"{file.key}\0{file.location}\0{signature}")
    settings = [cache.fingerprint, repr(config.site), repr(config.build), repr(config.jekyll)]
    return hex_digest(json.dumps(settings, ensure_ascii=False) + "\0".join(["", *listed]))


def next_change(records: Sequence[PostRecord], now: datetime | None, future: bool) -> int | None:
    """When the choice of published posts among ``records`` changes next (µs), if ever.

    That is when the first post dated after ``now`` comes due; never with ``future``.
    """
    if future:
        return None
    cutoff = microseconds(now if now is not None else datetime.now(UTC))
    coming = [record.when for record in records if not record.draft and record.when > cutoff]
    return min(coming, default=None)


def remembered(cache: PostCache, listing: str, now: datetime | None) -> Outline | None:
    """The outline the last build remembered for ``listing``, if its choice of posts holds at ``now``."""
    found = cache.listed(listing)
    if found is None:
        return None
    plan, files, until = found
    if until is not None and microseconds(now if now is not None else datetime.now(UTC)) >= until:
        return None
    return Outline(plan, files, listing, until)


def still_published(out: Path, cache: PostCache, plan: Outline) -> bool:
    """Whether each file of the outline ``plan`` is as the last build published it from the same plan."""
    recorded = cache.published(plan.plan) if plan.plan is not None else None
    if recorded is None or set(recorded) != {path for _, path, _, _ in plan.files}:
        return False
    if not files_unchanged(out, recorded):
        return False
    _log.debug("published files are up to date: nothing to render")
    return True

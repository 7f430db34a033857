"""One build, start to end: configuration → posts → entries → published feeds.

This is what ``feedlib build`` runs; the command only turns its results and
errors into lines and exit statuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .config import Config
from .entries import select_posts, to_entry
from .errors import PostError, PostErrors
from .posts import load_posts
from .publish import Published, render_documents, write_documents

__all__ = ["build"]


def build(
    config: Config,
    *,
    now: datetime | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[PostError], None] | None = None,
) -> list[Published]:
    """Read every post, then render and write every configured feed.

    Every invalid post is found before anything is rendered or written: they
    are raised together as :class:`PostErrors`, and nothing is written. With
    ``skip_invalid``, each is passed to ``on_skip`` and left out instead.
    ``now`` (default: the current time) leaves out posts dated after it.
    """
    problems: list[PostError] = []
    site = config.site
    posts = load_posts(config.build.posts, site, on_error=problems.append)
    selected = select_posts(posts, site, now=now, limit=config.build.limit, on_error=problems.append)
    if problems and not skip_invalid:
        raise PostErrors(problems)
    for problem in problems:
        if on_skip is not None:
            on_skip(problem)
    entries = [to_entry(post, site) for post in selected]
    documents = render_documents(site, entries, config.build.formats)
    return write_documents(documents, config.build.out)

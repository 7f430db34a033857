"""From posts to feed entries: which posts a feed shows, and what it shows of each."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .errors import PostError, PostErrors
from .model import Author, Entry, Post, Rendered, Site
from .render import absolute_links, render_markdown, summarize
from .urls import absolute_url, post_url

__all__ = [
    "DEFAULT_LIMIT",
    "build_entries",
    "entry_id",
    "newest_first",
    "post_identity",
    "render_post",
    "select_posts",
    "to_entry",
]

#: How many entries a feed shows unless told otherwise (jekyll-feed's default too).
DEFAULT_LIMIT = 20


def entry_id(post: Post, site: Site) -> str:
    """The entry id: front-matter ``id`` if any, else the post's absolute URL.

    An ``id`` that is not already an absolute URI (``tag:…``, ``urn:…``,
    ``https://…``) is resolved against the site URL, as jekyll-feed does.
    """
    if post.id is None:
        return post_url(post, site)
    if urlsplit(post.id).scheme:
        return post.id.strip()
    return absolute_url(post.id, site)


def newest_first(posts: Iterable[Post]) -> list[Post]:
    """Posts sorted newest first; posts of the same instant by source path."""
    by_path = sorted(posts, key=lambda post: str(post.path))
    return sorted(by_path, key=lambda post: post.date, reverse=True)


def post_identity(post: Post, site: Site) -> tuple[str, str]:
    """The absolute URL and the entry id of ``post``: what no two posts may share."""
    return post_url(post, site), entry_id(post, site)


def _clashes(
    posts: Iterable[Post], site: Site, identify: Callable[[Post, Site], tuple[str, str]]
) -> list[PostError]:
    """An error for each post whose URL or id an earlier file (by path) has."""
    seen_urls: dict[str, Post] = {}
    seen_ids: dict[str, Post] = {}
    errors: list[PostError] = []
    for post in sorted(posts, key=lambda post: str(post.path)):
        url, ident = identify(post, site)
        clash = seen_urls.get(url) or seen_ids.get(ident)
        if clash is not None:
            what = f"URL {url}" if url in seen_urls else f"id {ident}"
            errors.append(PostError(post.path, f"same {what} as {clash.path}; change its permalink or id"))
            continue
        seen_urls[url] = seen_ids[ident] = post
    return errors


def select_posts(
    posts: Iterable[Post],
    site: Site,
    *,
    now: datetime | None = None,
    limit: int | None = DEFAULT_LIMIT,
    on_error: Callable[[PostError], None] | None = None,
    identify: Callable[[Post, Site], tuple[str, str]] = post_identity,
) -> list[Post]:
    """The posts a feed shows: published, not after ``now``, newest first, at most ``limit``.

    ``now`` (default: the current time) is the cut-off for future-dated posts:
    the clock decides which posts are in, never a value written in a feed.

    Two published posts with the same URL or id are an error naming both
    files (:class:`PostErrors`); with ``on_error`` the later file is reported
    there and left out instead. ``identify`` gives a post's URL and id, as
    :func:`post_identity` does; a caller that already knows them passes a lookup.
    """
    cutoff = now if now is not None else datetime.now(UTC)
    visible = newest_first(post for post in posts if not post.draft and post.date <= cutoff)
    errors = _clashes(visible, site, identify)
    if errors and on_error is None:
        raise PostErrors(errors)
    for problem in errors:
        assert on_error is not None
        on_error(problem)
    dropped = {error.path for error in errors}
    unique = [post for post in visible if post.path not in dropped]
    return unique if limit is None else unique[:limit]


def render_post(post: Post, site: Site) -> Rendered:
    """The HTML (links made absolute) and the summary of ``post``: the slow part of an entry.

    Pure: reads neither the disk nor the clock, so its result can be kept and reused
    for as long as the post file and the site settings stay the same.
    """
    content = absolute_links(render_markdown(post.body, site.markdown_extensions), post_url(post, site))
    summary = summarize(post.excerpt, post.body, content, site.summary_length, site.markdown_extensions)
    return Rendered(content, summary)


def to_entry(post: Post, site: Site, rendered: Rendered | None = None) -> Entry:
    """The feed entry for ``post``: renders its Markdown, makes links absolute.

    ``rendered`` is the result of :func:`render_post` when it is already known.
    Pure: reads neither the disk nor the clock.
    """
    if rendered is None:
        rendered = render_post(post, site)
    return Entry(
        id=entry_id(post, site),
        url=post_url(post, site),
        title=post.title,
        published=post.date,
        updated=post.updated,
        authors=post.authors or site.authors or (Author(site.title),),
        categories=tuple(dict.fromkeys(post.categories + post.tags)),
        summary=rendered.summary,
        content_html=rendered.content_html,
        source=post.path,
    )


def build_entries(
    posts: Iterable[Post],
    site: Site,
    *,
    limit: int | None = DEFAULT_LIMIT,
    now: datetime | None = None,
    on_error: Callable[[PostError], None] | None = None,
) -> list[Entry]:
    """Entries for the newest ``limit`` published posts, newest first.

    ``now`` and ``on_error`` are as for :func:`select_posts`.
    """
    selected = select_posts(posts, site, now=now, limit=limit, on_error=on_error)
    return [to_entry(post, site) for post in selected]

"""From posts to feed entries: which posts a feed shows, and what it shows of each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from .errors import PostError, raise_or_report
from .model import Author, Enclosure, Entry, Image, Post, Rendered, Site
from .render import absolute_links, render_markdown, sanitize_html, summarize
from .text import strip_xml_illegal, xml_safe_author
from .urls import absolute_url, post_url

__all__ = [
    "DEFAULT_LIMIT",
    "build_entries",
    "entry_id",
    "newest_first",
    "newest_published",
    "post_identity",
    "render_post",
    "select_posts",
    "shows_content",
    "to_entry",
]

_T = TypeVar("_T")

#: How many entries a feed shows unless told otherwise (jekyll-feed's default too).
DEFAULT_LIMIT = 20


def entry_id(post: Post, site: Site) -> str:
    """The entry id: front-matter ``id`` if any, else the post's absolute URL.

    A ``tag:`` or ``urn:`` id is kept as it is; any other is resolved
    against the site URL (as jekyll-feed does) and encoded like a permalink.
    """
    if post.id is None:
        return post_url(post, site)
    scheme = urlsplit(post.id).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return strip_xml_illegal(post.id).strip()
    return absolute_url(post.id, site)


def _newest(items: Iterable[_T], when: Callable[[_T], Any], path: Callable[[_T], str]) -> list[_T]:
    by_path = sorted(items, key=path)
    return sorted(by_path, key=when, reverse=True)


def newest_first(posts: Iterable[Post]) -> list[Post]:
    """Posts sorted newest first; posts of the same instant by source path."""
    return _newest(posts, lambda post: post.date, lambda post: str(post.path))


def post_identity(post: Post, site: Site) -> tuple[str, str]:
    """The absolute URL and the entry id of ``post``: what no two posts may share.

    Raises :class:`PostError` when either cannot be made.
    """
    try:
        url = post_url(post, site)
        # Most posts have no id of their own: their id is the URL, made once.
        return url, url if post.id is None else entry_id(post, site)
    except ValueError as error:
        raise PostError(post.path, f"cannot make its URL: {error}") from None


def _clashes(
    items: Sequence[_T], path: Callable[[_T], str], identify: Callable[[_T], tuple[str, str]]
) -> list[PostError]:
    """An error for each item whose URL or id an earlier file (by path) has."""
    seen_urls: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    errors: list[PostError] = []
    for item in sorted(items, key=path):
        try:
            url, ident = identify(item)
        except PostError as error:
            errors.append(error)
            continue
        clash = seen_urls.get(url) or seen_ids.get(ident)
        if clash is not None:
            what = f"URL {url}" if url in seen_urls else f"id {ident}"
            errors.append(PostError(path(item), f"same {what} as {clash}; change its permalink or id"))
            continue
        seen_urls[url] = seen_ids[ident] = path(item)
    return errors


def newest_published(
    items: Iterable[_T],
    *,
    hidden: Callable[[_T], bool],
    when: Callable[[_T], Any],
    path: Callable[[_T], str],
    identify: Callable[[_T], tuple[str, str]],
    on_error: Callable[[PostError], None] | None = None,
) -> list[_T]:
    """The items not ``hidden``, newest first (by ``when``; one instant: by ``path``), without clashes.

    What :func:`select_posts` does, for posts or for anything that stands for
    one (the cache's records): two items with the same URL or id (from
    ``identify``) are an error naming both files; with ``on_error`` the later
    file is reported there and left out.
    """
    visible = _newest((item for item in items if not hidden(item)), when, path)
    errors = _clashes(visible, path, identify)
    raise_or_report(errors, on_error)
    dropped = {str(error.path) for error in errors}
    return [item for item in visible if path(item) not in dropped]


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
    unique = newest_published(
        posts,
        hidden=lambda post: post.draft or post.date > cutoff,
        when=lambda post: post.date,
        path=lambda post: str(post.path),
        identify=lambda post: identify(post, site),
        on_error=on_error,
    )
    return unique if limit is None else unique[:limit]


def render_post(post: Post, site: Site) -> Rendered:
    """The HTML (links made absolute) and the summary of ``post``: the slow part of an entry.

    Pure: reads neither the disk nor the clock, so its result can be kept and reused
    for as long as the post file and the site settings stay the same. Raises
    :class:`PostError` for Markdown that cannot be rendered.
    """
    url, _ = post_identity(post, site)
    extensions = site.markdown_extensions
    try:
        html = render_markdown(post.body, extensions, site.renderer)
        content = absolute_links(sanitize_html(html) if site.sanitize else html, url)
        summary = summarize(
            post.excerpt, post.body, content, site.summary_length, extensions, renderer=site.renderer
        )
    except ValueError as error:
        raise PostError(post.path, str(error)) from None
    return Rendered(content, summary)


def _media_url(raw: str, base: str, site: Site, post: Post, key: str) -> str:
    """``raw`` resolved against the post's URL, as a browser on the post's page would."""
    try:
        return absolute_url(urljoin(base, raw), site)
    except ValueError as error:
        raise PostError(post.path, f"{key}: cannot make its URL: {error}") from None


def _media(post: Post, site: Site, url: str) -> tuple[Image | None, Enclosure | None]:
    image = enclosure = None
    if post.image is not None:
        image = Image(
            _media_url(post.image.url, url, site, post, "image"),
            strip_xml_illegal(post.image.alt) if post.image.alt else None,
        )
    if post.enclosure is not None:
        enclosure = replace(post.enclosure, url=_media_url(post.enclosure.url, url, site, post, "enclosure"))
    return image, enclosure


def shows_content(post: Post, site: Site) -> bool:
    """Whether a feed carries the full HTML of ``post``, not only its summary."""
    return site.content == "full" and not post.excerpt_only


def to_entry(post: Post, site: Site, rendered: Rendered | None = None) -> Entry:
    """The feed entry for ``post``: renders its Markdown, makes links absolute.

    ``rendered`` is the result of :func:`render_post` when it is already known.
    Pure: reads neither the disk nor the clock. The content is left out
    (only the summary shown) when the site's ``content`` is ``"summary"`` or
    the post says ``excerpt_only: true``. Every text is XML-safe: YAML
    escapes in double-quoted strings can put characters XML forbids into front matter.
    Raises :class:`PostError` for a post whose URL cannot be made or whose
    Markdown cannot be rendered.
    """
    url, ident = post_identity(post, site)
    if rendered is None:
        rendered = render_post(post, site)
    title = strip_xml_illegal(post.title).strip() or strip_xml_illegal(post.slug).strip() or "Untitled"
    authors = post.authors or site.authors or (Author(site.title),)
    terms = (strip_xml_illegal(term) for term in post.categories + post.tags)
    image, enclosure = _media(post, site, url)
    return Entry(
        id=ident,
        url=url,
        title=title,
        published=post.date,
        updated=post.updated,
        authors=tuple(map(xml_safe_author, authors)),
        categories=tuple(dict.fromkeys(term for term in terms if term)),
        # Every entry has a summary: RSS keeps content:encoded only beside a
        # description, and an Atom entry needs some text (RFC 4287 4.1.1).
        summary=rendered.summary or title,
        content_html=rendered.content_html if shows_content(post, site) else "",
        source=post.path,
        image=image,
        enclosure=enclosure,
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

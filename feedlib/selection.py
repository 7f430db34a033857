"""Which posts a feed shows: each post's URL and id, no two alike, newest first, none from the future."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from urllib.parse import urlsplit

from .dates import microseconds
from .errors import PostError, raise_or_report, shown
from .model import Post, PostRecord, Site
from .text import strip_xml_illegal
from .urls import absolute_url, document_id, post_url
from .values import off_site

__all__ = ["entry_id", "post_identity", "select_posts"]


def entry_id(post: Post, site: Site) -> str:
    """The entry id: front-matter ``id`` if any, else the post's absolute URL.

    A ``tag:`` or ``urn:`` id is kept as it is; any other is resolved
    against the site URL (as jekyll-feed does) and encoded like a permalink.
    A Jekyll site's entry id is Jekyll's document id, as jekyll-feed writes it.
    """
    if site.jekyll is not None:
        return absolute_url(document_id(post, site), site)
    if post.id is None:
        return post_url(post, site)
    scheme = urlsplit(post.id).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return strip_xml_illegal(post.id).strip()
    return absolute_url(post.id, site)


def post_identity(post: Post, site: Site) -> tuple[str, str]:
    """The absolute URL and the entry id of ``post``: what no two posts may share.

    Raises :class:`PostError` when either cannot be made, or leads out of the
    site (:func:`~feedlib.values.off_site`; an id may also be a ``tag:`` or
    ``urn:uuid:`` URI).
    """
    try:
        url = post_url(post, site)
        # Most posts have no id of their own: their id is the URL, made once.
        ident = url if post.id is None and site.jekyll is None else entry_id(post, site)
    except ValueError as error:
        raise PostError(post.path, f"cannot make its URL: {error}") from None
    base = absolute_url("", site)
    for what, link in (("URL", url), ("id", ident)):
        if what == "id" and (link is url or link.startswith(("tag:", "urn:uuid:"))):
            continue
        problem = off_site(link, base)
        if problem is not None:
            raise PostError(post.path, f"its {what} {shown(link)} is {problem}")
    return url, ident


def _clashes(records: Sequence[PostRecord]) -> list[PostError]:
    """An error for each record whose URL or id an earlier file (by path) has."""
    seen_urls: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    errors: list[PostError] = []
    for record in sorted(records, key=_LOCATION):
        url, ident, location = record.url, record.id, record.location
        clash = seen_urls.get(url) or seen_ids.get(ident)
        if clash is not None:
            what = f"URL {url}" if url in seen_urls else f"id {ident}"
            errors.append(PostError(location, f"same {what} as {clash}; change its permalink or id"))
            continue
        seen_urls[url] = seen_ids[ident] = location
    return errors


# attrgetter, not lambdas: these run for every post of the archive on every build.
_LOCATION = attrgetter("file.location")
_WHEN = attrgetter("when")


def select_posts(
    records: Iterable[PostRecord],
    *,
    now: datetime | None = None,
    limit: int | None = None,
    on_error: Callable[[PostError], None] | None = None,
    future: bool = False,
) -> list[PostRecord]:
    """The posts a feed shows: published, not after ``now``, newest first, at most ``limit``.

    ``now`` (default: the current time) is the cut-off for future-dated posts
    (with ``future``, there is none: Jekyll's ``future: true``):
    the clock decides which posts are in, never a value written in a feed.
    Posts of one instant are ordered by path. Two published posts with the
    same URL or id are an error naming both files
    (:class:`~feedlib.errors.PostErrors`); with ``on_error`` the later file
    is reported there and left out instead.
    """
    cutoff = microseconds(now if now is not None else datetime.now(UTC))
    visible = [record for record in records if not record.draft and (future or record.when <= cutoff)]
    visible.sort(key=_LOCATION)
    visible.sort(key=_WHEN, reverse=True)
    errors = _clashes(visible)
    raise_or_report(errors, on_error)
    if errors:
        dropped = {str(error.path) for error in errors}
        visible = [record for record in visible if record.location not in dropped]
    return visible if limit is None else visible[:limit]

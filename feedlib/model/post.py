"""A post: what its file says (:class:`Post`), what choosing needs (:class:`PostRecord`), what a feed shows.

The records the pipeline makes in bulk are not checked where they are made
but where a program passes them to a public function.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .common import Author, Enclosure, Image

__all__ = ["Entry", "Post", "PostFile", "PostRecord", "Rendered"]


def _frozen_mapping(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Post:
    """What one post file says, checked and typed, before anything is rendered.

    ``date`` and ``updated`` are timezone-aware. ``body`` is the raw Markdown.
    ``liquid`` is false when the post opts out of Liquid (``render_with_liquid: false``).
    ``lang`` is its language tag (``None``: the site's language).
    ``front_matter`` keeps every key of the file, for callers that need more
    than feedlib reads. ``body_line`` is the line of the file the body starts on.
    Which front-matter keys give which field is :data:`feedlib.posts.FRONT_MATTER`.
    """

    path: Path
    title: str
    date: datetime
    updated: datetime
    slug: str
    body: str
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    excerpt: str | None = None
    permalink: str | None = None
    id: str | None = None
    draft: bool = False
    image: Image | None = None
    enclosure: Enclosure | None = None
    excerpt_only: bool = False
    liquid: bool = True
    lang: str | None = None
    excerpt_separator: str | None = None
    # Keys as YAML gives them: most are text, but "1:" or "2025-01-01:" are not.
    front_matter: Mapping[Any, Any] = field(default_factory=_frozen_mapping, compare=False)
    body_line: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Rendered:
    """The expensive part of an entry: a post's HTML with absolute links, and its summary."""

    content_html: str
    summary: str


@dataclass(frozen=True)
class Entry:
    """What a feed shows for one post: absolute URL and id, HTML and a summary.

    ``url`` is the link a reader follows (the post's URL, with the site's
    ``url_parameters``). ``content_html`` is empty when the feed shows only
    the summary. The URLs of ``image`` and ``enclosure`` are absolute.
    ``language`` is the post's language tag when it says one (else the
    feed's is the entry's).
    """

    id: str
    url: str
    title: str
    published: datetime
    updated: datetime
    authors: tuple[Author, ...]
    categories: tuple[str, ...]
    summary: str
    content_html: str
    source: Path
    image: Image | None = None
    enclosure: Enclosure | None = None
    language: str | None = None


# PostFile and PostRecord are named tuples, not frozen dataclasses: a build makes
# one of each for every file of the archive, every time, and a named tuple is
# made about four times faster. They are as immutable.


class PostFile(NamedTuple):
    """A post file to read: its key, where it is, and how to read it.

    ``key`` is its path relative to where posts are read from, with ``/``
    between folders: what names it in the cache and in ``{% link %}``.
    ``location`` is its path as text (a :class:`~pathlib.Path` costs more
    than looking at the file, and a build of a large archive looks at every
    one). ``categories`` come before the front matter's (Jekyll's folders
    above ``_posts``). A ``dateless`` file (a Jekyll draft) takes no date
    from its name. ``first_commit`` and ``last_commit`` are the author
    dates of the first and last commits that changed it, when its dates come
    from git (:func:`feedlib.history.add_commit_dates`). ``collection`` is
    the Jekyll collection it belongs to (``posts``, or another one a feed
    of its own shows).
    """

    key: str
    location: str
    categories: tuple[str, ...] = ()
    dateless: bool = False
    first_commit: datetime | None = None
    last_commit: datetime | None = None
    collection: str = "posts"

    @property
    def path(self) -> Path:
        """The file."""
        return Path(self.location)


class PostRecord(NamedTuple):
    """What choosing the posts a feed shows needs of one post; a build holds one for every post.

    ``digest`` is the hash of the bytes the post was read from; ``url`` and
    ``id`` are its absolute URL and entry id; ``when`` is its date as
    microseconds since 1970 UTC (an exact order of instants);
    ``categories``, ``tags``, ``authors`` (their names) and ``language``
    are its own (not the site's). ``post`` is the whole post when
    this process parsed it; otherwise the file is read again (and must hash
    to ``digest``) if a feed shows it.
    """

    file: PostFile
    digest: str
    url: str
    id: str
    when: int
    draft: bool
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    authors: tuple[str, ...] = ()
    language: str | None = None
    post: Post | None = None

    @property
    def key(self) -> str:
        """The file's key."""
        return self.file.key

    @property
    def location(self) -> str:
        """The file's path, as text."""
        return self.file.location

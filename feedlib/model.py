"""The data model: what a site is, what a post file says, what a feed shows.

Frozen dataclasses built from the standard library only, so every later stage
of the pipeline (``posts → entries → formats → publish``) can rely on them
without importing anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

__all__ = [
    "CONTENT_MODES",
    "DEFAULT_PERMALINK",
    "Author",
    "Enclosure",
    "Entry",
    "Image",
    "Post",
    "PostFile",
    "PostRecord",
    "Rendered",
    "Site",
]

#: jekyll-feed's and Jekyll's default (the ``date`` permalink style).
DEFAULT_PERMALINK = "/:categories/:year/:month/:day/:title.html"

#: What a feed carries of each post: its full HTML, or only its summary.
CONTENT_MODES = ("full", "summary")


@dataclass(frozen=True)
class Author:
    """A person: a name, with an e-mail address and a web page if known."""

    name: str
    email: str | None = None
    uri: str | None = None


@dataclass(frozen=True)
class Image:
    """A post's image: its URL and its alternative text.

    The URL is as written (maybe relative to the post) in a :class:`Post`,
    absolute in an :class:`Entry`.
    """

    url: str
    alt: str | None = None


@dataclass(frozen=True)
class Enclosure:
    """A file that goes with a post (a podcast episode): URL, size in bytes and MIME type."""

    url: str
    length: int
    type: str


@dataclass(frozen=True)
class Site:
    """Everything about a site that decides what its feeds say.

    ``url`` is the absolute URL the site is served at, with or without a path
    (``https://example.com/blog/``); permalinks and feed URLs are relative to it.
    Times written without an offset are read in ``timezone`` (an IANA name).
    ``renderer`` is ``"markdown"`` (Python-Markdown with ``markdown_extensions``)
    or ``"commonmark"`` (cmarkgfm, from the ``fast`` extra).
    ``hub`` is a WebSub hub every feed names. ``content`` is ``"full"`` (each
    entry carries its HTML) or ``"summary"`` (only its summary); ``sanitize``
    cleans post HTML of scripts and event handlers, for untrusted authors.
    """

    url: str
    title: str
    description: str = ""
    authors: tuple[Author, ...] = ()
    language: str | None = None
    timezone: str = "UTC"
    permalink: str = DEFAULT_PERMALINK
    summary_length: int = 300
    markdown_extensions: tuple[str, ...] = ("extra",)
    renderer: str = "markdown"
    hub: str | None = None
    content: str = "full"
    sanitize: bool = False

    @property
    def base_url(self) -> str:
        """The site URL with exactly one trailing slash."""
        return self.url.rstrip("/") + "/"


def _frozen_mapping(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class Post:
    """What one post file says, checked and typed, before anything is rendered.

    ``date`` and ``updated`` are timezone-aware. ``body`` is the raw Markdown.
    ``liquid`` is false when the post opts out of Liquid (``render_with_liquid: false``).
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
    front_matter: Mapping[str, Any] = field(default_factory=_frozen_mapping, compare=False)
    body_line: int = field(default=1, compare=False)


@dataclass(frozen=True)
class Rendered:
    """The expensive part of an entry: a post's HTML with absolute links, and its summary."""

    content_html: str
    summary: str


@dataclass(frozen=True)
class Entry:
    """What a feed shows for one post: absolute URL and id, HTML and a summary.

    ``content_html`` is empty when the feed shows only the summary. The URLs
    of ``image`` and ``enclosure`` are absolute.
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
    from its name.
    """

    key: str
    location: str
    categories: tuple[str, ...] = ()
    dateless: bool = False

    @property
    def path(self) -> Path:
        """The file."""
        return Path(self.location)


class PostRecord(NamedTuple):
    """What choosing the posts a feed shows needs of one post; a build holds one for every post.

    ``digest`` is the hash of the bytes the post was read from; ``url`` and
    ``id`` are its absolute URL and entry id; ``when`` is its date as
    microseconds since 1970 UTC (an exact order of instants);
    ``categories`` and ``tags`` are its own. ``post`` is the whole post when
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
    post: Post | None = None

    @property
    def key(self) -> str:
        """The file's key."""
        return self.file.key

    @property
    def location(self) -> str:
        """The file's path, as text."""
        return self.file.location

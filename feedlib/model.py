"""The data model: what a site is, what a post file says, what a feed shows.

Frozen dataclasses built from the standard library only, so every later stage
of the pipeline (``posts → entries → formats → publish``) can rely on them
without importing anything else. A :class:`Site`, :class:`Author`,
:class:`Image` or :class:`Enclosure` checks what it is given when it is
made (:class:`~feedlib.errors.ConfigError`, worded as the configuration file
words it); the records the pipeline makes in bulk (:class:`Post`,
:class:`Entry`, :class:`PostRecord`…) are checked where a program passes
them to a public function.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .errors import ConfigError, shown
from .values import (
    author_fields,
    check_author,
    check_fields,
    check_language,
    check_media_url,
    check_mime_type,
    check_site_url,
    check_timezone,
    check_url_parameters,
)

__all__ = [
    "CONTENT_MODES",
    "DEFAULT_PERMALINK",
    "RENDERERS",
    "SITE_KEYS",
    "Author",
    "Enclosure",
    "Entry",
    "FrontMatterDefault",
    "Image",
    "JekyllSite",
    "Post",
    "PostFile",
    "PostRecord",
    "Rendered",
    "Site",
    "parse_authors",
]

#: jekyll-feed's and Jekyll's default (the ``date`` permalink style).
DEFAULT_PERMALINK = "/:categories/:year/:month/:day/:title.html"

#: What a feed carries of each post: its full HTML, or only its summary.
CONTENT_MODES = ("full", "summary")
#: Markdown renderers: Python-Markdown (the default, with extensions) and cmarkgfm
#: (GitHub-flavoured CommonMark in C, about 40 times faster; ``pip install feedlib[fast]``).
RENDERERS = ("markdown", "commonmark")


def _checked(check: Any, *args: Any) -> Any:
    """``check(*args)``, its :class:`ValueError` raised as a :class:`ConfigError` (a program's value)."""
    try:
        return check(*args)
    except ValueError as error:
        raise ConfigError(str(error)) from None


@dataclass(frozen=True)
class Author:
    """A person: a name, with an e-mail address and a web page if known."""

    name: str
    email: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        """Check the name (not empty), e-mail address and web page (http or https); strip spaces."""
        name, email, uri = _checked(check_author, self.name, self.email, self.uri)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "email", email)
        object.__setattr__(self, "uri", uri)


def parse_authors(value: object) -> tuple[Author, ...]:
    """Authors from an :class:`Author`, a name, a ``{name, email, uri}`` mapping, or a list of them.

    Raises :class:`ValueError` with a message fit for a user.
    """
    items = value if isinstance(value, list | tuple) else [value]
    authors = []
    for item in items:
        if isinstance(item, Author):
            authors.append(item)
        elif item is not None:
            authors.extend(Author(*fields) for fields in author_fields([item]))
    return tuple(authors)


@dataclass(frozen=True)
class Image:
    """A post's image: its URL and its alternative text.

    The URL is as written (maybe relative to the post) in a :class:`Post`,
    absolute in an :class:`Entry`.
    """

    url: str
    alt: str | None = None

    def __post_init__(self) -> None:
        """Check the URL (http(s), or relative) and the alternative text."""
        object.__setattr__(self, "url", _checked(_media_url, self.url, "image"))
        if self.alt is not None and not isinstance(self.alt, str):
            raise ConfigError(f"image.alt must be text, got {shown(self.alt)}")


def _media_url(url: object, key: str) -> str:
    try:
        return check_media_url(url)
    except ValueError as error:
        raise ValueError(f"{key}.url: {error}") from None


@dataclass(frozen=True)
class Enclosure:
    """A file that goes with a post (a podcast episode): URL, size in bytes and MIME type."""

    url: str
    length: int
    type: str

    def __post_init__(self) -> None:
        """Check the URL, the size (a whole number of bytes, 0 or more) and the MIME type."""
        object.__setattr__(self, "url", _checked(_media_url, self.url, "enclosure"))
        length = self.length
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise ConfigError(
                f"enclosure.length must be the file's size in bytes (0 or more), got {shown(length)}"
            )
        try:
            object.__setattr__(self, "type", check_mime_type(self.type))
        except ValueError as error:
            raise ConfigError(f"enclosure.type {error}") from None


#: The configuration key each :class:`Site` field is set by, for messages that speak its language.
SITE_KEYS = {
    "url": "site.url",
    "title": "site.title",
    "description": "site.description",
    "authors": "site.author",
    "language": "site.language",
    "timezone": "site.timezone",
    "permalink": "build.permalink",
    "summary_length": "build.summary_length",
    "markdown_extensions": "build.markdown_extensions",
    "renderer": "build.renderer",
    "hub": "site.hub",
    "content": "build.content",
    "sanitize": "build.sanitize",
    "url_parameters": "build.url_parameters",
    "icon": "site.icon",
    "logo": "site.logo",
}


def _frozen_mapping(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(data or {}))


@dataclass(frozen=True)
class FrontMatterDefault:
    """One set of a Jekyll site's front-matter ``defaults``: the files it applies to, and what it gives them.

    ``path`` is the scope's path (a folder or file name prefix, relative to
    the site; ``*`` globs; empty: every file), ``type`` its type
    (``posts``, a collection's name; ``None``: any), ``values`` the front
    matter it gives, under each file's own.
    """

    path: str = ""
    type: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JekyllSite:
    """What a Jekyll site says beyond feedlib's own settings (``--jekyll``): posts read as Jekyll reads them.

    A site with this set has its posts' front matter read as Jekyll does
    (Psych's dates, ``defaults`` applied, categories and tags merged as
    Jekyll merges them) and its entries written as jekyll-feed writes them:
    Jekyll's document id, times in the site's zone, the whole excerpt as the
    summary. ``root`` is the site's folder (``defaults`` globs are matched
    there); ``collections`` maps each collection's name to its permalink
    pattern; ``authors`` is ``site.data.authors``, by key, and ``author``
    the author of a post that names none (the site's, looked up there).
    Its mappings are plain (a :class:`Site` goes to worker processes, and a
    mapping proxy does not pickle); nothing changes them.
    """

    root: Path | None = None
    defaults: tuple[FrontMatterDefault, ...] = ()
    excerpt_separator: str = "\n\n"
    collections: Mapping[str, str] = field(default_factory=dict)
    authors: Mapping[str, Author] = field(default_factory=dict)
    author: tuple[Author, ...] = ()


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
    ``url_parameters`` are query parameters added to each entry's link
    (``(("utm_source", "feed"),)``, or a mapping), never to its id.

    Every value is checked when the site is made, and a
    :class:`~feedlib.errors.ConfigError` says what is wrong in the words of
    the configuration file (``site.url must be an absolute http(s) URL``).
    Plain forms are converted: ``authors`` as a name, a mapping or a list of
    them; ``markdown_extensions`` as a list; ``url_parameters`` as a mapping.
    Whether ``markdown_extensions`` load, and whether cmarkgfm is installed
    for ``renderer="commonmark"``, is known only when a post is rendered
    (a :class:`~feedlib.errors.ConfigError` then).
    ``icon`` and ``logo`` are absolute URLs of the feed's images (Atom's
    ``icon`` and ``logo``). ``jekyll`` is set for a Jekyll site read as
    Jekyll reads it (``feedlib build --jekyll``).
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
    url_parameters: tuple[tuple[str, str], ...] = ()
    icon: str | None = None
    logo: str | None = None
    jekyll: JekyllSite | None = None

    def __post_init__(self) -> None:
        """Check every field, converting plain forms (see the class)."""
        _checked(_check_site, self)

    @property
    def base_url(self) -> str:
        """The site URL with exactly one trailing slash."""
        return self.url.rstrip("/") + "/"


def _check_site(site: Site) -> None:
    """Check (and convert) the fields of ``site``; :class:`ValueError` with the configuration file's words."""
    if not (isinstance(site.authors, tuple) and all(isinstance(a, Author) for a in site.authors)):
        try:
            object.__setattr__(site, "authors", parse_authors(site.authors))
        except ConfigError as error:
            raise ValueError(f"site.author: {error}") from None
        except ValueError as error:
            raise ValueError(f"site.author: {error}") from None
    object.__setattr__(site, "url_parameters", check_url_parameters(site.url_parameters))
    check_fields(site, "site", SITE_KEYS)
    if not site.url:
        raise ValueError('site.url is required, e.g. url = "https://example.com/blog/"')
    check_site_url(site.url)
    if not site.title.strip():
        raise ValueError("site.title is required")
    for key in ("hub", "icon", "logo"):
        if getattr(site, key) is not None:
            check_site_url(getattr(site, key), f"site.{key}")
    if site.language is not None:
        check_language(site.language)
    check_timezone(site.timezone)
    if not site.permalink.strip():
        raise ValueError("build.permalink must not be empty (leave it out for the default)")
    if site.summary_length < 2:
        raise ValueError(
            f"build.summary_length must be a whole number of at least 2, got {site.summary_length}"
        )
    if site.renderer not in RENDERERS:
        raise ValueError(f"build.renderer must be one of {', '.join(RENDERERS)}, got {shown(site.renderer)}")
    if site.content not in CONTENT_MODES:
        raise ValueError(f'build.content must be "full" or "summary", got {shown(site.content)}')


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

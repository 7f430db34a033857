"""Which feeds a build writes (the site's, and one per category or tag), and their documents as bytes.

A :class:`Feed` is first planned with the posts it shows (their records), then
rendered with their entries: each configured format becomes one
:class:`Document`, the bytes of one file. Large feeds (a whole archive) render
side by side in a process pool; small ones here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from .errors import ConfigError, PostError, shown
from .formats import format_named
from .formats.stylesheet import STYLESHEET_NAME, add_stylesheet, stylesheet_href
from .kramdown import smartify_title
from .model import Entry, PostRecord, Site
from .parallel import map_shared
from .terms import TermFeed, TermFeedConfig, format_path, term_feeds
from .urls import absolute_url

if TYPE_CHECKING:
    from .config import BuildOptions

__all__ = [
    "PARALLEL_ENTRIES_MIN",
    "CollectionFeedConfig",
    "Document",
    "Feed",
    "plan_feeds",
    "render_documents",
    "render_feed",
    "render_feeds",
]

#: Entries (summed over the documents to write) from which the documents are
#: rendered in a process pool: each takes about 0.1 ms, a pool tens of milliseconds.
PARALLEL_ENTRIES_MIN = 2000

_T = TypeVar("_T")


@dataclass(frozen=True)
class Document:
    """A feed rendered to bytes, and the path (inside the output folder) it goes to.

    ``entries`` is how many entries it holds; ``url`` is where it is served
    (``None`` for a file that is not a feed, such as the stylesheet).
    """

    format: str
    relative_path: str
    content: bytes
    entries: int
    url: str | None = None


@dataclass(frozen=True)
class Feed(Generic[_T]):
    """One feed to write: the site as it names the feed, what it shows (in order), and each format's path.

    ``items`` are the records of its posts when it is planned, and their
    entries when it is rendered (:meth:`showing`). ``paths`` maps each format
    to its path inside the output folder.
    """

    site: Site
    items: tuple[_T, ...]
    paths: Mapping[str, str]

    def showing(self, items: Iterable[Entry]) -> Feed[Entry]:
        """The same feed, showing ``items`` in place of its own."""
        return Feed(self.site, tuple(items), self.paths)


def _term_site(site: Site, feed: TermFeed[PostRecord]) -> Site:
    """The site as a term's feed names itself: "Site — Term" (in the term's language, for a language)."""
    title = feed.title_of(site.title)
    if feed.kind == "languages":
        return replace(site, title=title, language=feed.term)
    return replace(site, title=title)


def _titled(site: Site) -> Site:
    """The site with its feed title as written (smartified, as jekyll-feed does, when the site says so)."""
    title = smartify_title(site.title, site)
    return site if title == site.title else replace(site, title=title)


@dataclass(frozen=True)
class CollectionFeedConfig:
    """A feed of a Jekyll collection other than the posts (jekyll-feed's ``feed.collections``).

    ``path`` is its Atom file's path, ``title`` its title (of ``{site}``, the
    site's title); ``categories`` asks for a feed per category of its documents.
    """

    collection: str
    path: str
    title: str
    categories: TermFeedConfig | None = None


class _Claim(NamedTuple):
    """A file a build would write: what it is, and for a term's feed, its newest post."""

    what: str
    post: str | None = None


def _term_claim(feed: TermFeed[PostRecord], pattern: str) -> _Claim:
    kind = feed.kind.removesuffix("s").replace("categorie", "category")
    what = f"the feed of the {kind} {shown(feed.term)} (the {feed.kind} feeds' path {shown(pattern)})"
    return _Claim(what, feed.posts[0].location if feed.posts else None)


def _check_distinct(claims: Iterable[tuple[str, _Claim]]) -> None:
    """Raise when two claims name one path.

    When a post's term gives a feed the path of a file the settings name (the
    rss feed), the post is named: a post error. Two settings that overlap
    are a configuration error, whatever post shows it.
    """
    seen: dict[str, _Claim] = {}
    for path, claim in claims:
        other = seen.setdefault(path, claim)
        if other is claim:
            continue
        message = f"{claim.what} would be written to {path}, where {other.what} goes: change the path"
        if claim.post is not None and other.post is None:
            raise PostError(claim.post, f"{message}, or the post's term")
        raise ConfigError(message)


def plan_feeds(site: Site, options: BuildOptions, published: Sequence[PostRecord]) -> list[Feed[PostRecord]]:
    """The feeds ``options`` ask for, each with the records of the posts it shows.

    ``published`` are every published post's records, newest first
    (:func:`feedlib.selection.select_posts` without a limit). The site's feed
    comes first, then each term's feed. When two files would have one path,
    raises :class:`~feedlib.errors.PostError` naming the newest post with the
    term whose feed it is (a post tagged ``rss`` with tag feeds at
    ``:term.xml``), else :class:`~feedlib.errors.ConfigError`.
    """
    formats = options.formats
    posts = [record for record in published if record.file.collection == "posts"]
    chosen = tuple(posts if options.limit is None else posts[: options.limit])
    feeds = [Feed(_titled(site), chosen, options.feed_paths())]
    claims = [(path, _Claim(f"the {name} feed")) for name, path in options.feed_paths().items()]
    patterns = {config.kind: config.path for config in options.feeds}
    for feed in term_feeds(posts, options.feeds, options.limit, site):
        paths = {name: format_path(feed.path, name) for name in formats}
        feeds.append(Feed(_titled(_term_site(site, feed)), feed.posts, paths))
        claim = _term_claim(feed, patterns[feed.kind])
        claims.extend((path, claim) for path in paths.values())
    for collection in options.collections:
        for collection_feed in _collection_feeds(site, options, collection, published):
            feeds.append(collection_feed)
            claim = _Claim(
                f"the feed {shown(collection_feed.site.title)} of the collection {collection.collection}"
            )
            claims.extend((path, claim) for path in collection_feed.paths.values())
    if options.stylesheet:
        claims.append((STYLESHEET_NAME, _Claim("the stylesheet")))
    _check_distinct(claims)
    return feeds


def _collection_feeds(
    site: Site, options: BuildOptions, collection: CollectionFeedConfig, published: Sequence[PostRecord]
) -> list[Feed[PostRecord]]:
    """The feed of one collection's documents, and one per category of them if asked."""
    documents = [record for record in published if record.file.collection == collection.collection]
    limit = options.limit
    paths = {name: format_path(collection.path, name) for name in options.formats}
    title = collection.title.format(site=site.title)
    feeds = [
        Feed(
            _titled(replace(site, title=title)),
            tuple(documents if limit is None else documents[:limit]),
            paths,
        )
    ]
    configs = [collection.categories] if collection.categories is not None else []
    for feed in term_feeds(documents, configs, limit, site):
        term_paths = {name: format_path(feed.path, name) for name in options.formats}
        feeds.append(Feed(_titled(_term_site(site, feed)), feed.posts, term_paths))
    return feeds


def render_documents(
    site: Site,
    entries: Sequence[Entry],
    formats: Iterable[str],
    paths: Mapping[str, str] | None = None,
    *,
    stylesheet: bool = False,
) -> list[Document]:
    """Every requested format of one feed, rendered in memory.

    ``paths`` gives a format's path inside the output folder (and under the
    site URL, ``/`` between folders) where it is not the format's default
    file name. With ``stylesheet``, the documents browsers can show through
    ``feed.xsl`` (Atom, RSS) point at it, at the top of the output folder.
    Raises :class:`~feedlib.errors.ConfigError` for an unknown format.
    """
    documents = []
    for name in formats:
        spec = format_named(name)
        relative_path = (paths or {}).get(name, spec.filename)
        url = absolute_url(relative_path, site)
        content = spec.render(site, entries, url)
        if stylesheet and spec.stylesheet:
            content = add_stylesheet(content, stylesheet_href(relative_path))
        documents.append(Document(name, relative_path, content, len(entries), url))
    return documents


def render_feed(site: Site, entries: Sequence[Entry], format: str = "atom") -> bytes:
    """One feed document of ``entries`` (in that order) as bytes, served at the format's default file name.

    ``format`` is ``"atom"`` (``feed.xml``), ``"rss"`` (``rss.xml``) or
    ``"json"`` (``feed.json``); any other is a :class:`~feedlib.errors.ConfigError`.
    """
    return render_documents(site, entries, [format])[0].content


def _render_job(shared: tuple[Sequence[Feed[Entry]], bool], job: tuple[int, str]) -> Document:
    """The document of format ``name`` for feed number ``index`` of ``feeds``."""
    (feeds, stylesheet), (index, name) = shared, job
    feed = feeds[index]
    return render_documents(feed.site, feed.items, [name], feed.paths, stylesheet=stylesheet)[0]


def render_feeds(feeds: Sequence[Feed[Entry]], *, stylesheet: bool = False) -> Iterator[Document]:
    """Every format of every feed, in order, as documents: a feed's items in each format of its ``paths``.

    Each document goes to the path ``feed.paths`` gives its format and is
    served there under the site URL; with ``stylesheet``, the Atom and RSS
    documents point browsers at ``feed.xsl``, at the top of the output folder.

    When the feeds are large (a feed of a whole archive), the documents are
    rendered side by side in a process pool, started before this returns:
    the caller can do other work while they render.
    """
    for feed in feeds:
        for name in feed.paths:
            format_named(name)
    jobs = [(index, name) for index, feed in enumerate(feeds) for name in feed.paths]
    size = sum(len(feed.items) * len(feed.paths) for feed in feeds)
    # Small feeds render here, one by one: more jobs than there are is never enough for a pool.
    minimum = 2 if size >= PARALLEL_ENTRIES_MIN else len(jobs) + 1
    return map_shared(_render_job, (feeds, stylesheet), jobs, minimum=minimum)

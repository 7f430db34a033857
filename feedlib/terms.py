"""Per-category, per-tag, per-author and per-language feeds: which terms get a feed, and the file of each.

A term is any text a post gives (Japanese, spaces, punctuation): its feed's
file name is a slug of it that can never leave the output folder (no ``/``,
``..``, NUL, empty name or Windows reserved name such as ``CON``). Terms are
matched without regard to case or Unicode normalization ("Python" and
"python" are one feed). Two terms whose slugs are alike ("C++" and "C#" both
give "c") get distinct files: each, except one that is its own slug, gets a
short hash of the term appended. That is deterministic: the same terms always
give the same file names.

A post's authors are its own, else the site's; its language is its own
(front-matter ``lang``), else the site's.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Generic, Protocol, TypeVar

from .errors import ConfigError, shown
from .formats import FORMATS
from .model import Site
from .text import hex_digest
from .urls import slugify
from .values import check_fields, check_language

__all__ = [
    "DEFAULT_TERM_PATHS",
    "DEFAULT_TERM_TITLE",
    "TERM_KINDS",
    "TERM_PLACEHOLDER",
    "TermFeed",
    "TermFeedConfig",
    "Termed",
    "check_term_path",
    "format_path",
    "term_feeds",
    "term_file_names",
    "term_key",
]

#: The kinds of term a post has, as the ``[feeds]`` table names them.
TERM_KINDS = ("categories", "tags", "authors", "languages")
#: Where the feed of one term goes (its Atom file): jekyll-feed's paths, and alike for the rest.
DEFAULT_TERM_PATHS = {
    "categories": "feed/:term.xml",
    "tags": "feed/by_tag/:term.xml",
    "authors": "feed/by_author/:term.xml",
    "languages": "feed/by_lang/:term.xml",
}
#: The placeholder a path pattern must hold, replaced by the term's file name.
TERM_PLACEHOLDER = ":term"

# Names Windows reserves for devices, with any extension ("con.xml" too).
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{name}{n}" for name in ("com", "lpt") for n in range(1, 10)]
)
# File names are limited to 255 bytes: leave room for a hash and ".rss.xml".
_MAX_SLUG_BYTES = 120


#: How a term's feed is titled unless told otherwise: "Site — term".
DEFAULT_TERM_TITLE = "{site} \u2014 {term}"


@dataclass(frozen=True)
class TermFeedConfig:
    """Which terms of one kind get a feed, and where (``[feeds] categories``, ``tags``, ``authors``…).

    ``kind`` is one of :data:`TERM_KINDS`. ``only`` (when not ``None``)
    lists the terms that get one, even with no posts yet; otherwise every
    term does, except those in ``exclude``. ``path`` is the Atom file's path
    pattern, relative, with ``:term`` once and ending in ``.xml``
    (``feed/by_tag/:term.xml``); the RSS and JSON files sit beside it
    (see :func:`format_path`). Checked when made
    (:class:`~feedlib.errors.ConfigError`); lists are taken for tuples.
    ``title`` is the feed's title, of ``{site}`` (its title), ``{term}``
    (as written) and ``{Term}`` (capitalised). jekyll-feed's feeds have
    ``verbatim`` file names (the term as written, when that is a safe file
    name) and get a feed only for terms matching ``pattern`` (its tags).
    """

    kind: str
    path: str
    only: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    title: str = DEFAULT_TERM_TITLE
    verbatim: bool = False
    pattern: str | None = None

    def __post_init__(self) -> None:
        """Check the kind, the path pattern and the lists of terms."""
        try:
            if self.kind not in TERM_KINDS:
                raise ValueError(
                    f"feeds: unknown kind of term feed {shown(self.kind)} (known: {', '.join(TERM_KINDS)})"
                )
            check_fields(self, f"feeds.{self.kind}")
            if self.kind == "languages":
                for term in (*(self.only or ()), *self.exclude):
                    check_language(term, "feeds.languages: a language")
            try:
                check_term_path(self.path)
            except ValueError as error:
                raise ValueError(f"feeds.{self.kind}.path {error}") from None
        except ValueError as error:
            raise ConfigError(str(error)) from None


class Termed(Protocol):
    """What has terms: the record of a post (:class:`~feedlib.model.PostRecord`)."""

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories, as written."""
        ...

    @property
    def tags(self) -> tuple[str, ...]:
        """The tags, as written."""
        ...

    @property
    def authors(self) -> tuple[str, ...]:
        """The names of its own authors (none: the site's)."""
        ...

    @property
    def language(self) -> str | None:
        """Its own language tag (``None``: the site's)."""
        ...


_P = TypeVar("_P", bound=Termed)


@dataclass(frozen=True)
class TermFeed(Generic[_P]):
    """The feed of one term: its name as posts write it, its Atom file path, and its posts."""

    kind: str
    term: str
    path: str
    posts: tuple[_P, ...]
    title: str = DEFAULT_TERM_TITLE

    def title_of(self, site_title: str) -> str:
        """The feed's title, for a site titled ``site_title``."""
        return self.title.format(site=site_title, term=self.term, Term=self.term.capitalize())


def term_key(term: str) -> str:
    """What makes two spellings one term: NFC normalization and case folding.

    >>> term_key("Python") == term_key("python")
    True
    """
    return unicodedata.normalize("NFC", term).strip().casefold()


def check_term_path(pattern: str) -> str:
    """``pattern`` if it is a safe relative path pattern; :class:`ValueError` otherwise.

    >>> check_term_path("feed/by_tag/:term.xml")
    'feed/by_tag/:term.xml'
    """
    if pattern.count(TERM_PLACEHOLDER) != 1 or not pattern.endswith(".xml"):
        raise ValueError(f"must hold {TERM_PLACEHOLDER} once and end in .xml, got {shown(pattern)}")
    if "\\" in pattern or "\0" in pattern or pattern.startswith("/"):
        raise ValueError(f"must be a relative path with / between folders, got {shown(pattern)}")
    parts = pattern.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"must not hold empty, '.' or '..' folders, got {shown(pattern)}")
    return pattern


def _cut(slug: str) -> str:
    encoded = slug.encode("utf-8")
    if len(encoded) <= _MAX_SLUG_BYTES:
        return slug
    return encoded[:_MAX_SLUG_BYTES].decode("utf-8", "ignore").rstrip("-")


def term_file_names(keys: Iterable[str]) -> dict[str, str]:
    """A distinct, safe file name (without extension) for each term key.

    >>> names = term_file_names(["c", "c++", "日本語", "con", "!!!"])
    >>> names["c"], names["日本語"]
    ('c', '日本語')
    >>> names["c++"].startswith("c-") and names["con"].startswith("con-") and names["!!!"].startswith("term-")
    True
    """
    unique = sorted(set(keys))
    slugs = {key: _cut(slugify(key)) for key in unique}
    groups: dict[str, int] = {}
    for slug in slugs.values():
        groups[slug] = groups.get(slug, 0) + 1
    names = {}
    for key, slug in slugs.items():
        unsafe = not slug or slug in _RESERVED
        shared = groups[slug] > 1 and key != slug
        names[key] = f"{slug or 'term'}-{hex_digest(key, 4)}" if unsafe or shared else slug
    if len(set(names.values())) == len(names):
        return names
    # A bare slug equal to another term's hashed name (astronomically rare): hash them all, longer.
    return {key: f"{slug or 'term'}-{hex_digest(key, 16)}" for key, slug in slugs.items()}


def format_path(path: str, format: str) -> str:
    """The file of a term feed in ``format``, from its Atom path.

    >>> format_path("feed/python.xml", "rss"), format_path("feed/python.xml", "json")
    ('feed/python.rss.xml', 'feed/python.json')
    """
    return path[: -len(".xml")] + FORMATS[format].term_suffix


def _terms_of(post: Termed, kind: str, site: Site | None) -> tuple[str, ...]:
    if kind == "categories":
        return post.categories
    if kind == "tags":
        return post.tags
    if kind == "authors":
        return post.authors or (tuple(author.name for author in site.authors) if site else ())
    language = post.language or (site.language if site else None)
    return (language,) if language else ()


def _members(posts: Sequence[_P], kind: str, site: Site | None) -> tuple[dict[str, str], dict[str, list[_P]]]:
    """Each term key's spelling (the newest post's) and its posts, in order."""
    spelled: dict[str, str] = {}
    members: dict[str, list[_P]] = {}
    for post in posts:
        for term in _terms_of(post, kind, site):
            key = term_key(term)
            if not key:
                continue
            spelled.setdefault(key, term.strip())
            if not members.get(key) or members[key][-1] is not post:
                members.setdefault(key, []).append(post)
    return spelled, members


def _feeds_of(
    posts: Sequence[_P], config: TermFeedConfig, limit: int | None, site: Site | None
) -> list[TermFeed[_P]]:
    """The feeds one configuration asks for."""
    spelled, members = _members(posts, config.kind, site)
    if config.only is not None:
        wanted: Mapping[str, str] = {term_key(term): term.strip() for term in config.only}
        keys = [key for key in wanted if key]
        for key in keys:
            # jekyll-feed names a feed as configured; feedlib as the newest post writes the term.
            spelled[key] = wanted[key] if config.verbatim else spelled.get(key, wanted[key])
    else:
        excluded = {term_key(term) for term in config.exclude}
        keys = [key for key in members if key not in excluded]
    if config.pattern is not None:
        keys = [key for key in keys if re.fullmatch(config.pattern, spelled[key])]
    names = term_file_names(keys)
    if config.verbatim:
        names = {key: spelled[key] if _safe_name(spelled[key]) else names[key] for key in keys}
    feeds = []
    for key in sorted(keys):
        chosen = tuple(members.get(key, []))
        path = config.path.replace(TERM_PLACEHOLDER, names[key])
        assert not PurePosixPath(path).is_absolute() and ".." not in PurePosixPath(path).parts
        kept = chosen if limit is None else chosen[:limit]
        feeds.append(TermFeed(config.kind, spelled[key], path, kept, config.title))
    return feeds


def term_feeds(
    posts: Sequence[_P], configs: Iterable[TermFeedConfig], limit: int | None, site: Site | None = None
) -> list[TermFeed[_P]]:
    """The term feeds of ``posts`` (published, newest first) for each configuration.

    Each feed holds the newest ``limit`` posts with the term (``None``: all).
    A term is shown as the newest post spelling it writes it (an ``only``
    term no post has yet: as configured). A post without authors of its own
    is by the ``site``'s authors, and one without a language is in its language.
    """
    return [feed for config in configs for feed in _feeds_of(posts, config, limit, site)]


def _safe_name(name: str) -> bool:
    """Whether ``name`` can be a file name as it is (jekyll-feed's): no folder, no device, nothing hidden."""
    return (
        bool(name)
        and not any(char in name for char in '/\\\0:*?"<>|')
        and name not in (".", "..")
        and not name.startswith(".")
        and name.split(".", maxsplit=1)[0].lower() not in _RESERVED
        and len(name.encode("utf-8")) <= _MAX_SLUG_BYTES
    )

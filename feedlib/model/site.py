"""The site: everything that decides what its feeds say, and how its Markdown and posts are read.

:class:`Site` checks every field when it is made; :class:`Kramdown` holds
the options of the ``"kramdown"`` renderer, :class:`JekyllSite` what a
Jekyll site says beyond feedlib's own settings.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, shown
from ..values import check_fields, check_language, check_site_url, check_timezone, check_url_parameters
from .common import CONTENT_MODES, DEFAULT_PERMALINK, RENDERERS, Author, _checked, parse_authors

__all__ = ["KRAMDOWN_QUOTES", "SITE_KEYS", "FrontMatterDefault", "JekyllSite", "Kramdown", "Site"]

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
    "kramdown": "kramdown",
    "hub": "site.hub",
    "content": "build.content",
    "sanitize": "build.sanitize",
    "url_parameters": "build.url_parameters",
    "icon": "site.icon",
    "logo": "site.logo",
}


#: kramdown's smart quotes (``smart_quotes: lsquo,rsquo,ldquo,rdquo``), as characters.
KRAMDOWN_QUOTES = ("\u2018", "\u2019", "\u201c", "\u201d")


@dataclass(frozen=True)
class Kramdown:
    """How the ``"kramdown"`` renderer reads Markdown: kramdown's options, as Jekyll sets them.

    The defaults are Jekyll's (``input: GFM``, ``auto_ids``, Rouge). ``input``
    is ``"GFM"`` or ``"kramdown"``; ``smart_quotes`` are the four characters
    for a left and right single and a left and right double quote;
    ``typographic_symbols`` replaces the text kramdown writes for ``hellip``,
    ``mdash``, ``ndash``, ``laquo``, ``raquo``, ``laquo_space`` and
    ``raquo_space``; ``math`` is whether ``$$`` delimits math (``math_engine``
    set); ``highlighter`` is ``"rouge"`` or ``None`` (``highlighter: none``).
    ``smartify_titles`` puts titles through kramdown's SmartyPants, as
    jekyll-feed's ``smartify`` does.
    """

    input: str = "GFM"
    auto_ids: bool = True
    auto_id_prefix: str = ""
    toc_levels: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    smart_quotes: tuple[str, str, str, str] = KRAMDOWN_QUOTES
    typographic_symbols: tuple[tuple[str, str], ...] = ()
    hard_wrap: bool = False
    footnote_nr: int = 1
    parse_block_html: bool = False
    math: bool = True
    highlighter: str | None = "rouge"
    smartify_titles: bool = False

    @property
    def gfm(self) -> bool:
        """Whether the input is GitHub-flavoured (kramdown-parser-gfm), Jekyll's default."""
        return self.input.lower() == "gfm"


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
    ``renderer`` is ``"markdown"`` (Python-Markdown with ``markdown_extensions``),
    ``"commonmark"`` (cmarkgfm, from the ``fast`` extra) or ``"kramdown"``
    (Python-Markdown reading Markdown as Jekyll's kramdown does, with ``kramdown``'s options).
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
    kramdown: Kramdown = Kramdown()
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

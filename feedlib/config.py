"""Configuration: ``feedlib.toml`` or ``[tool.feedlib]`` in ``pyproject.toml``.

Unknown keys are errors, so a typo never passes silently. Relative paths are
relative to the file they are written in.
"""

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .discover import JekyllLayout
from .errors import ConfigError, shown
from .feeds import CollectionFeedConfig
from .formats import FORMATS
from .model import DEFAULT_PERMALINK, Post, Site
from .terms import DEFAULT_TERM_PATHS, TERM_KINDS, TermFeedConfig
from .urls import absolute_url
from .values import check_fields, check_relative_path, check_site_url

__all__ = [
    "BUILD_KEYS",
    "CONFIG_NAME",
    "DATE_SOURCES",
    "DEFAULT_CACHE",
    "DEFAULT_LIMIT",
    "SITE_KEYS",
    "TERM_FEED_KEYS",
    "BuildOptions",
    "Config",
    "LiquidSettings",
    "config_from_mapping",
    "find_config",
    "load_config",
]

#: The file ``feedlib build`` reads from the current folder.
CONFIG_NAME = "feedlib.toml"

#: How many entries a feed shows unless told otherwise (jekyll-feed's default too).
DEFAULT_LIMIT = 20
#: The keys of ``[site]``.
SITE_KEYS = frozenset(
    {"url", "title", "description", "author", "language", "timezone", "hub", "data", "icon", "logo"}
)
#: The keys of ``[build]``.
BUILD_KEYS = frozenset(
    {
        "posts",
        "out",
        "formats",
        "limit",
        "permalink",
        "summary_length",
        "markdown_extensions",
        "cache",
        "renderer",
        "content",
        "sanitize",
        "stylesheet",
        "liquid",
        "includes",
        "url_parameters",
        "dates",
        "future",
    }
)
#: Where a post's dates come from (``[build] dates``): its front matter and file name, or git too.
DATE_SOURCES = ("front-matter", "git")
#: The keys of a term feed's table (``[feeds.categories]``, ``[feeds.tags]``).
TERM_FEED_KEYS = frozenset({"only", "except", "path"})
#: The cache folder of a configuration file, beside it, unless it says otherwise.
DEFAULT_CACHE = ".feedlib-cache"
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
# Any Liquid tag or output in a post's body.
_LIQUID = re.compile(r"\{[{%]")


@dataclass(frozen=True)
class LiquidSettings:
    """Whether posts are rendered as Liquid, with what ``site.*`` and which includes.

    ``site`` is what ``{{ site.* }}`` reads (all of ``_config.yml`` for a
    Jekyll site; the ``[site]`` table, ``data`` included, otherwise).
    ``includes`` is the ``_includes`` folder, if any; ``root`` is the folder
    ``{% link %}`` paths are relative to; ``data`` is a Jekyll site's
    ``_data`` folder, read as ``site.data``. ``error_mode`` (``strict``,
    ``warn`` or ``lax``), ``strict_filters`` and ``strict_variables`` are
    Liquid's settings: what a build makes of a template it cannot read, an
    unknown filter and an undefined variable (``feedlib check`` reports all three).
    """

    enabled: bool = False
    site: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    includes: Path | None = None
    root: Path | None = None
    data: Path | None = None
    error_mode: str = "strict"
    strict_filters: bool = True
    strict_variables: bool = False

    def __post_init__(self) -> None:
        """Check each field's type (a path may be given as text)."""
        _check(check_fields, self, "liquid")

    def applies_to(self, post: Post) -> bool:
        """Whether ``post`` is rendered as Liquid: on for the site, not opted out, and any tag in it."""
        return self.enabled and post.liquid and _LIQUID.search(post.body) is not None


@dataclass(frozen=True)
class BuildOptions:
    """Where posts are read from and which feeds are written where.

    ``limit`` is the number of entries per feed; ``None`` means every post.
    ``cache`` is the folder of the build cache; ``None`` means no cache.
    ``paths`` maps a format to its path inside ``out`` where that is not the
    format's default file name (jekyll-feed's ``feed.path``).
    ``stylesheet`` writes ``feed.xsl`` and points the Atom and RSS feeds at
    it; ``feeds`` are the per-term feeds to write (category, tag, author,
    language); ``collections`` the feeds of a Jekyll site's other
    collections. ``dates`` is where a post's dates come from: ``"front-matter"``
    (and the file name), or ``"git"`` (its commits, where the front matter
    gives none; see :func:`feedlib.history.add_commit_dates`). ``future``
    shows posts dated after the build too (Jekyll's ``future: true``).

    Every value is checked when the options are made
    (:class:`~feedlib.errors.ConfigError`, in the configuration file's
    words); paths may be given as text, lists where tuples are wanted, and
    a ``limit`` of 0 means every post, as in the configuration file.
    """

    posts: Path = Path("posts")
    out: Path = Path("public")
    formats: tuple[str, ...] = ("atom", "rss")
    limit: int | None = DEFAULT_LIMIT
    cache: Path | None = None
    paths: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stylesheet: bool = False
    feeds: tuple[TermFeedConfig, ...] = ()
    dates: str = "front-matter"
    collections: tuple[CollectionFeedConfig, ...] = ()
    future: bool = False

    def __post_init__(self) -> None:
        """Check (and convert) every field."""
        _check(_check_build_options, self)

    def feed_paths(self) -> dict[str, str]:
        """Each format's path inside ``out``: as ``paths`` says, else the format's file name."""
        return {name: self.paths.get(name, FORMATS[name].filename) for name in self.formats}


@dataclass(frozen=True)
class Config:
    """A site and its build options, and the file they came from (if any).

    ``jekyll`` is set for a Jekyll site (``feedlib build --jekyll``): its
    posts are found as Jekyll finds them, not every file under ``build.posts``.
    ``liquid`` says whether posts are rendered as Liquid, and with what.
    ``ignored`` says, one message each, the settings feedlib accepts but does
    not honour: ``feedlib check`` says them, a build does not (cron's mail
    would carry them on every run).
    """

    site: Site
    build: BuildOptions
    path: Path | None = None
    jekyll: JekyllLayout | None = None
    liquid: LiquidSettings = field(default_factory=LiquidSettings)
    ignored: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check each field's type (the path may be given as text)."""
        _check(check_fields, self, "config")


def _check(check: Any, *args: Any) -> None:
    """``check(*args)``, its :class:`ValueError` raised as a :class:`ConfigError`."""
    try:
        check(*args)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def _check_build_options(options: BuildOptions) -> None:
    if isinstance(options.limit, int) and not isinstance(options.limit, bool) and options.limit == 0:
        object.__setattr__(options, "limit", None)
    check_fields(options, "build")
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown or not options.formats:
        raise ValueError(f"build.formats: unknown format {unknown} (known: {', '.join(FORMATS)})")
    object.__setattr__(options, "formats", tuple(dict.fromkeys(options.formats)))
    if options.limit is not None and options.limit < 0:
        raise ValueError(f"build.limit must be a whole number of at least 0, got {options.limit}")
    for name, path in options.paths.items():
        if name not in FORMATS:
            raise ValueError(f"build.paths: unknown format {shown(name)} (known: {', '.join(FORMATS)})")
        check_relative_path(path, f"build.paths.{name}")
    if options.dates not in DATE_SOURCES:
        raise ValueError(f"build.dates must be one of {', '.join(DATE_SOURCES)}, got {shown(options.dates)}")


class _Table:
    """One TOML table, checked key by key with errors naming the file."""

    def __init__(self, data: object, name: str, allowed: set[str], source: Path | None) -> None:
        self.name = name
        self.source = source
        if not isinstance(data, Mapping):
            raise self.error(f"[{name}] must be a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.error(f"unknown key {name}.{unknown[0]} (known: {', '.join(sorted(allowed))})")
        self.data: Mapping[str, Any] = data

    def error(self, message: str) -> ConfigError:
        return ConfigError(message, self.source)

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.data.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.error(f"{self.name}.{key} must be a string, got {shown(value)}")
        return value

    def integer(self, key: str, default: int, minimum: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(
                f"{self.name}.{key} must be a whole number of at least {minimum}, got {shown(value)}"
            )
        return value

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.data.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(f"{self.name}.{key} must be a list of strings, got {shown(value)}")
        return tuple(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.error(f"{self.name}.{key} must be true or false, got {shown(value)}")
        return value

    def path(self, key: str, default: str) -> Path:
        value = Path(self.text(key, default) or default)
        return value if value.is_absolute() or self.source is None else self.source.parent / value


def _site(table: _Table, build: _Table) -> Site:
    """The ``[site]`` table (and the ``[build]`` keys that shape posts) as a :class:`Site`.

    :class:`Site` checks every value; its message gets the file's name here.
    """
    if not table.text("url"):
        raise table.error('site.url is required, e.g. url = "https://example.com/blog/"')
    extensions = build.strings("markdown_extensions", ("extra",))
    try:
        site = Site(
            url=table.data["url"],
            title=table.data.get("title", ""),
            description=table.text("description", "") or "",
            authors=table.data.get("author"),  # type: ignore[arg-type]  # Site converts it.
            language=table.data.get("language"),
            timezone=table.data.get("timezone", "UTC"),
            permalink=build.text("permalink", DEFAULT_PERMALINK) or DEFAULT_PERMALINK,
            summary_length=build.data.get("summary_length", 300),
            markdown_extensions=extensions,
            renderer=build.data.get("renderer", "markdown"),
            hub=table.data.get("hub"),
            content=build.data.get("content", "full"),
            sanitize=build.data.get("sanitize", False),
            url_parameters=build.data.get("url_parameters", ()),
        )
    except ConfigError as error:
        raise table.error(error.message) from None
    from .render import check_markdown_extensions, check_renderer  # Renders nothing: loads no renderer.

    check_markdown_extensions(extensions)
    try:
        check_renderer(site.renderer)
    except ConfigError as error:
        raise build.error(str(error)) from None
    return replace(site, icon=_image_url(table, "icon", site), logo=_image_url(table, "logo", site))


def _image_url(table: _Table, key: str, site: Site) -> str | None:
    """``site.icon`` or ``site.logo``: an absolute http(s) URL, or a path on the site made absolute."""
    value = table.text(key)
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return check_site_url(value, f"site.{key}") if "://" in value else absolute_url(value, site)
    except ValueError as error:
        raise table.error(f"site.{key}: {error}") from None


def _build_options(table: _Table) -> BuildOptions:
    formats = table.strings("formats", ("atom", "rss"))
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise table.error(f"build.formats: unknown format {unknown} (known: {', '.join(FORMATS)})")
    limit = table.integer("limit", DEFAULT_LIMIT, 0)
    try:
        return BuildOptions(
            posts=table.path("posts", "posts"),
            out=table.path("out", "public"),
            formats=tuple(dict.fromkeys(formats)),
            limit=limit or None,
            cache=table.path("cache", DEFAULT_CACHE),
            stylesheet=table.flag("stylesheet"),
            dates=table.data.get("dates", "front-matter"),
            future=table.flag("future"),
        )
    except ConfigError as error:
        raise table.error(error.message) from None


def _term_feed(feeds: _Table, kind: str) -> TermFeedConfig | None:
    """``[feeds] KIND``: true/false, a list of the only terms, or a table of only/except/path."""
    value = feeds.data.get(kind, False)
    default_path = DEFAULT_TERM_PATHS[kind]
    try:
        if isinstance(value, bool):
            return TermFeedConfig(kind, default_path) if value else None
        if isinstance(value, list):
            return TermFeedConfig(kind, default_path, only=feeds.strings(kind, ()))
        table = _Table(value, f"feeds.{kind}", set(TERM_FEED_KEYS), feeds.source)
        if "only" in table.data and "except" in table.data:
            raise table.error(f"feeds.{kind}: give only or except, not both")
        path = table.text("path", default_path) or default_path
        only = table.strings("only", ()) if "only" in table.data else None
        return TermFeedConfig(kind, path, only=only, exclude=table.strings("except", ()))
    except ConfigError as error:
        raise feeds.error(error.message) from None


def _term_feeds(feeds: _Table) -> tuple[TermFeedConfig, ...]:
    configs = (_term_feed(feeds, kind) for kind in TERM_KINDS)
    return tuple(config for config in configs if config is not None)


def config_from_mapping(data: Mapping[str, Any], source: Path | None = None) -> Config:
    """A :class:`Config` from parsed TOML: a mapping of the ``[site]``, ``[build]`` and ``[feeds]`` tables.

    ``source`` is the file it was read from: relative paths are relative to
    its folder (to the current folder without one), and errors name it.
    Every key and value is checked (:class:`~feedlib.errors.ConfigError`).
    """
    top = _Table(data, "feedlib", {"site", "build", "feeds"}, source)
    build = _Table(top.data.get("build", {}), "build", set(BUILD_KEYS), source)
    feeds = _Table(top.data.get("feeds", {}), "feeds", set(TERM_KINDS), source)
    site = _Table(top.data.get("site"), "site", set(SITE_KEYS), source) if "site" in top.data else None
    if site is None:
        raise top.error("a [site] table with url and title is required")
    options = replace(_build_options(build), feeds=_term_feeds(feeds))
    return Config(site=_site(site, build), build=options, path=source, liquid=_liquid(site, build, options))


def _liquid(site: _Table, build: _Table, options: BuildOptions) -> LiquidSettings:
    enabled = build.data.get("liquid", False)
    if not isinstance(enabled, bool):
        raise build.error(f"build.liquid must be true or false, got {shown(enabled)}")
    data = site.data.get("data", {})
    if not isinstance(data, Mapping):
        raise site.error("[site.data] must be a table")
    return LiquidSettings(
        enabled=enabled,
        site=MappingProxyType(dict(site.data)),
        includes=build.path("includes", "_includes"),
        root=options.posts,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror or error}", path) from None
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", path) from None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_LINE.search(str(error))
        message = _TOML_LINE.sub("", str(error)).strip()
        raise ConfigError(f"invalid TOML: {message}", path, int(match.group(1)) if match else None) from None


def find_config(folder: Path | str = ".") -> Path:
    """``feedlib.toml`` in ``folder``, else a ``pyproject.toml`` there with ``[tool.feedlib]``."""
    folder = Path(folder)
    candidate = folder / CONFIG_NAME
    if candidate.is_file():
        return candidate
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and "feedlib" in _read_toml(pyproject).get("tool", {}):
        return pyproject
    raise ConfigError(f"no {CONFIG_NAME} here: create one (see the README) or pass --config FILE", folder)


def load_config(path: Path | str | None = None) -> Config:
    """Read a configuration file: ``feedlib.toml``, or ``pyproject.toml`` with a ``[tool.feedlib]`` table.

    Without ``path``: ``feedlib.toml`` in the current folder, else its
    ``pyproject.toml`` if that has ``[tool.feedlib]``. Raises
    :class:`~feedlib.errors.ConfigError` naming the file (and line) for
    anything it cannot read or use.
    """
    path = Path(path) if path is not None else find_config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if "feedlib" not in tool:
            raise ConfigError("no [tool.feedlib] table", path)
        data = tool["feedlib"]
    return config_from_mapping(data, path)

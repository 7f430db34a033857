"""A Jekyll site's ``_config.yml`` → feedlib's :class:`~feedlib.config.Config`.

``feedlib build --jekyll SITE`` writes what jekyll-feed would (an Atom feed at
``_site/feed.xml``, or ``feed.path``), from the same files Jekyll reads:
jekyll-feed's settings become feedlib's own, and posts are found as Jekyll
finds them (:class:`~feedlib.discover.JekyllLayout`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..config import DEFAULT_CACHE, Config, LiquidSettings, config_from_mapping
from ..discover import JekyllLayout
from ..errors import ConfigError, shown
from ..kramdown.options import HONOURED, kramdown_options
from ..model import Author, FrontMatterDefault, JekyllSite, Kramdown, Site, parse_authors
from ..urls import absolute_url
from .data import load_data
from .feed import FEED_KEYS, JEKYLL_FEED_LIMIT, JekyllFeed, read_feed_block

__all__ = [
    "CONFIG_KEYS",
    "FEED_KEYS",
    "JEKYLL_CONFIG",
    "JEKYLL_FEED_LIMIT",
    "KRAMDOWN_KEYS",
    "JekyllFeed",
    "load_jekyll_config",
]

#: The configuration file of a Jekyll site.
JEKYLL_CONFIG = "_config.yml"
#: The top-level ``_config.yml`` keys feedlib honours (every key is ``site.*`` in Liquid too).
CONFIG_KEYS = (
    "url",
    "baseurl",
    "title",
    "name",
    "description",
    "author",
    "timezone",
    "lang",
    "permalink",
    "destination",
    "exclude",
    "markdown_ext",
    "show_drafts",
    "includes_dir",
    "collections",
    "defaults",
    "data_dir",
    "excerpt_separator",
    "future",
    "liquid",
    "markdown",
    "highlighter",
)
#: Liquid's ``error_mode`` values.
ERROR_MODES = ("strict", "warn", "lax")
#: The keys of the ``kramdown:`` block that change what feedlib renders.
KRAMDOWN_KEYS = HONOURED

# feedlib's names for what a Jekyll key became, so errors speak Jekyll.
_JEKYLL_NAMES = {
    "site.url": "url",
    "site.title": "title",
    "site.description": "description",
    "site.language": "lang",
    "site.timezone": "timezone",
    "site.author": "author",
    "build.permalink": "permalink",
    "build.limit": "feed.posts_limit",
    "build.out": "destination",
}


# --- _config.yml ---------------------------------------------------------------


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^(['\"]?){re.escape(key)}\1\s*:")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.match(line):
            return number
    return None


class _Reader:
    """``_config.yml``, read safely, with errors naming the file and the key's line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(f"no {JEKYLL_CONFIG}: is this a Jekyll site?", path) from None
        except OSError as error:
            raise ConfigError(f"cannot read: {error.strerror or error}", path) from None
        except UnicodeDecodeError:
            raise ConfigError("not valid UTF-8", path) from None
        import yaml  # Only for Jekyll sites; a build from the cache needs no YAML otherwise.

        try:
            data = yaml.safe_load(self.text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            raise ConfigError(f"invalid YAML: {error.problem or error.context}", path, line) from None
        except yaml.YAMLError as error:
            raise ConfigError(f"invalid YAML: {error}", path) from None
        except (ValueError, TypeError, OverflowError) as error:
            raise ConfigError(f"cannot read a value: {error}", path) from None
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError("must be a mapping of settings", path, 1)
        self.data: Mapping[str, Any] = data

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{key}: {message}", self.path, _line_of(self.text, key.split(".", maxsplit=1)[0]))

    def text_of(self, key: str, data: Mapping[str, Any] | None = None) -> str | None:
        value = (self.data if data is None else data).get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.error(key, f"expected text, got {shown(value)}")
        return str(value)

    def names(self, key: str, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
            raise self.error(key, f"expected a list of names, got {shown(value)}")
        return tuple(str(item) for item in value)


def _author(value: object) -> object:
    """An author as jekyll-feed writes one: its name, email and uri (other keys, ``url`` too, ignored)."""
    if isinstance(value, list):
        return [_author(item) for item in value]
    if isinstance(value, Mapping):
        return {key: value[key] for key in ("name", "email", "uri") if value.get(key) is not None}
    return value


def _site_url(reader: _Reader) -> str:
    url = reader.text_of("url")
    if url is None:
        raise ConfigError(
            'url is required for a feed: add url: "https://example.com" (and baseurl if the site '
            "lives in a folder)",
            reader.path,
        )
    baseurl = (reader.text_of("baseurl") or "").strip("/")
    return url.rstrip("/") + "/" + (baseurl + "/" if baseurl else "")


def _feedlib_name(message: str) -> str:
    for ours, theirs in _JEKYLL_NAMES.items():
        message = message.replace(ours, theirs)
    return message


def _jekyll_error(reader: _Reader, message: str) -> ConfigError:
    """An error of feedlib's settings, said in terms of the ``_config.yml`` key it came from."""
    message = _feedlib_name(message)
    named = [key for key in _JEKYLL_NAMES.values() if message.startswith(key)]
    valued = [
        key
        for key in ("url", "timezone", "lang", "permalink", "destination", "author")
        if isinstance(reader.data.get(key), str) and str(reader.data[key]) in message
    ]
    if not (named or valued):
        return ConfigError(message, reader.path)
    key = (named or valued)[0]
    if not message.startswith(key):
        message = f"{key}: {message}"
    return ConfigError(message, reader.path, _line_of(reader.text, key.split(".")[0]))


def load_jekyll_config(site_dir: Path | str, *, drafts: bool = False) -> Config:
    """The :class:`~feedlib.config.Config` of the Jekyll site in ``site_dir``.

    Reads ``_config.yml`` (safely; errors name its line) and jekyll-feed's
    ``feed:`` block: every key of :data:`CONFIG_KEYS` and :data:`FEED_KEYS`
    (docs/jekyll.md says what each becomes). The feed is Atom, at
    ``DESTINATION/feed.xml`` (or ``feed.path``), with the newest 10 posts (or
    ``feed.posts_limit``), as jekyll-feed writes it; posts are read and
    entries written as Jekyll and jekyll-feed would (:class:`~feedlib.model.JekyllSite`).
    """
    root = Path(site_dir)
    reader = _Reader(root / JEKYLL_CONFIG)
    feed = reader.data.get("feed") or {}
    if not isinstance(feed, Mapping):
        raise reader.error("feed", f"expected a mapping, got {shown(feed)}")
    jekyll_feed, feed_path = read_feed_block(feed, reader.error)
    try:
        config = config_from_mapping(_feedlib_tables(reader, feed, jekyll_feed), reader.path)
    except ConfigError as error:
        raise _jekyll_error(reader, error.message) from None
    ignored = ", ".join(f"feed.{key}" for key in jekyll_feed.extra)
    notes = (f"{reader.path}: {ignored} not honoured by feedlib (see docs/jekyll.md)",) if ignored else ()
    collections = _collections(reader)
    layout = JekyllLayout(
        root=root,
        drafts=drafts or reader.data.get("show_drafts") is True,
        exclude=(*reader.names("exclude", reader.data.get("exclude") or []), _destination(reader)),
        markdown_ext=reader.names("markdown_ext", reader.data.get("markdown_ext") or []),
        collections=tuple(feed.collection for feed in jekyll_feed.collections),
    )
    site = replace(
        config.site,
        permalink=collections.get("posts") or config.site.permalink,
        icon=_feed_image(config.site, jekyll_feed.icon),
        logo=_feed_image(config.site, jekyll_feed.logo),
        jekyll=_jekyll_site(reader, root, collections, config.site),
        **_markdown(reader),
    )
    build = replace(
        config.build,
        paths=MappingProxyType({"atom": feed_path}),
        feeds=jekyll_feed.term_feeds(),
        collections=jekyll_feed.collections,
        future=_flag(reader, "future"),
    )
    return replace(config, site=site, build=build, jekyll=layout, liquid=_liquid(reader, root), ignored=notes)


def _markdown(reader: _Reader) -> dict[str, Any]:
    """How posts are rendered: as kramdown (Jekyll's ``markdown:`` default) with the site's ``kramdown:``.

    Another ``markdown:`` (a plugin's converter) is rendered with Python-Markdown.
    """
    if (reader.text_of("markdown") or "kramdown").lower() != "kramdown":
        return {}
    settings = reader.data.get("kramdown") or {}
    if not isinstance(settings, Mapping):
        raise reader.error("kramdown", f"expected a mapping of kramdown options, got {settings!r}")
    try:
        options: Kramdown = kramdown_options(settings, reader.data.get("highlighter", "rouge"))
    except ValueError as error:
        raise reader.error("kramdown", str(error).removeprefix("kramdown.")) from None
    return {"renderer": "kramdown", "kramdown": replace(options, smartify_titles=True)}


def _destination(reader: _Reader) -> str:
    return reader.text_of("destination") or "_site"


def _flag(reader: _Reader, key: str, default: bool = False) -> bool:
    value = reader.data.get(key, default)
    if not isinstance(value, bool):
        raise reader.error(key, f"expected true or false, got {shown(value)}")
    return value


def _feed_image(site: Site, url: str | None) -> str | None:
    """``feed.icon`` or ``feed.logo`` as jekyll-feed writes it: made absolute unless it has ``://``."""
    if url is None:
        return None
    return url if "://" in url else absolute_url(url, site)


def _feedlib_tables(reader: _Reader, feed: Mapping[str, Any], jekyll_feed: JekyllFeed) -> dict[str, Any]:
    """What ``_config.yml`` and its ``feed:`` block say, as feedlib's ``[site]`` and ``[build]`` tables."""
    site: dict[str, Any] = {
        "url": _site_url(reader),
        "title": reader.text_of("title") or reader.text_of("name") or _site_url(reader),
        "description": reader.text_of("description") or "",
        "timezone": reader.text_of("timezone") or "UTC",
    }
    lang = reader.text_of("lang")
    if lang is not None:
        site["language"] = lang.replace("_", "-")
    if reader.data.get("author") is not None:
        site["author"] = _author(reader.data["author"])
    build = {
        "posts": ".",
        "out": _destination(reader),
        "formats": ["atom"],
        "limit": feed.get("posts_limit", JEKYLL_FEED_LIMIT),
        "permalink": reader.text_of("permalink") or "date",
        "cache": DEFAULT_CACHE,
        "content": jekyll_feed.content,
    }
    return {"site": site, "build": build}


def _collections(reader: _Reader) -> dict[str, str]:
    """Each collection's permalink pattern, as Jekyll makes them (the posts' if ``collections`` says it)."""
    value = reader.data.get("collections")
    if value is None:
        return {}
    if isinstance(value, list):
        value = {str(name): {} for name in value}
    if not isinstance(value, Mapping):
        raise reader.error("collections", f"expected a mapping or a list of collections, got {shown(value)}")
    style = reader.text_of("permalink") or "date"
    patterns = {}
    for name, meta in value.items():
        if meta is not None and not isinstance(meta, Mapping):
            raise reader.error(
                "collections", f"{name}: expected a mapping such as {{output: true}}, got {shown(meta)}"
            )
        permalink = reader.text_of("permalink", meta or {})
        if permalink is not None:
            patterns[str(name)] = permalink
        elif name != "posts":
            patterns[str(name)] = _with_suffix("/:collection/:path", style)
    return patterns


def _with_suffix(template: str, style: str) -> str:
    """Jekyll's ``add_permalink_suffix``: a page's pattern ends as the site's permalink style does."""
    if style == "pretty" or (style not in ("date", "ordinal", "none") and style.endswith("/")):
        return template + "/"
    if style in ("date", "ordinal", "none") or style.endswith(":output_ext"):
        return template + ":output_ext"
    return template


_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}


def _defaults(reader: _Reader) -> tuple[FrontMatterDefault, ...]:
    """``defaults``: each set's scope (path, type) and values."""
    value = reader.data.get("defaults")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise reader.error("defaults", f"expected a list of {{scope, values}}, got {shown(value)}")
    found = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("values"), Mapping):
            raise reader.error("defaults", f"set {number} needs values: a mapping of front matter")
        scope = item.get("scope") or {}
        if not isinstance(scope, Mapping):
            raise reader.error("defaults", f"set {number}: scope must be a mapping with path and type")
        path = scope.get("path")
        kind = scope.get("type")
        found.append(
            FrontMatterDefault(
                path if isinstance(path, str) else "",
                None if kind is None else _DEPRECATED_TYPES.get(str(kind), str(kind)),
                dict(item["values"]),
            )
        )
    return tuple(found)


def _data_authors(folder: Path) -> dict[str, Author]:
    """``site.data.authors``: jekyll-feed's authors by key (a name, or a mapping with name, email, uri)."""
    data = load_data(folder, only="authors").get("authors")
    if not isinstance(data, Mapping):
        return {}
    authors: dict[str, Author] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            named: object = {
                "name": value.get("name") or str(key),
                "email": value.get("email"),
                "uri": value.get("uri"),
            }
        elif isinstance(value, str):
            named = value
        else:
            continue
        try:
            authors[str(key)] = parse_authors(named)[0]
        except (ValueError, IndexError) as error:
            raise ConfigError(f"authors: {key}: {error}", folder / "authors.yml") from None
    return authors


def _jekyll_site(reader: _Reader, root: Path, collections: Mapping[str, str], site: Site) -> JekyllSite:
    """How the site's posts are read and written as Jekyll and jekyll-feed would."""
    authors = _data_authors(root / (reader.text_of("data_dir") or "_data"))
    raw = reader.data.get("author")
    author = site.authors[:1]
    if isinstance(raw, str) and raw in authors:
        author = (authors[raw],)
    separator = reader.data.get("excerpt_separator", "\n\n")
    return JekyllSite(
        root=root,
        defaults=_defaults(reader),
        excerpt_separator="" if separator is None else str(separator),
        collections={name: value for name, value in collections.items() if name != "posts"},
        authors=authors,
        author=author,
    )


def _liquid(reader: _Reader, root: Path) -> LiquidSettings:
    """Liquid in every post, as ``liquid:`` sets it (a post opts out with ``render_with_liquid: false``)."""
    settings = reader.data.get("liquid") or {}
    if not isinstance(settings, Mapping):
        raise reader.error(
            "liquid",
            f"expected a mapping of error_mode, strict_filters, strict_variables, got {shown(settings)}",
        )
    mode = settings.get("error_mode", "warn")
    if mode not in ERROR_MODES:
        raise reader.error("liquid", f"error_mode must be one of {', '.join(ERROR_MODES)}, got {shown(mode)}")
    flags = {}
    for key in ("strict_filters", "strict_variables"):
        flags[key] = settings.get(key, False)
        if not isinstance(flags[key], bool):
            raise reader.error("liquid", f"{key} must be true or false, got {shown(flags[key])}")
    return LiquidSettings(
        enabled=True,
        site=MappingProxyType(dict(reader.data)),
        includes=root / (reader.text_of("includes_dir") or "_includes"),
        root=root,
        data=root / (reader.text_of("data_dir") or "_data"),
        error_mode=mode,
        **flags,
    )

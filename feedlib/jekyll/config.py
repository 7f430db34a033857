"""A Jekyll site's ``_config.yml`` → feedlib's :class:`~feedlib.config.Config`.

``feedlib build --jekyll SITE`` writes what jekyll-feed would (an Atom feed at
``_site/feed.xml``, or ``feed.path``), from the same files Jekyll reads:
jekyll-feed's settings become feedlib's own, and posts are found as Jekyll
finds them (:class:`~feedlib.discover.JekyllLayout`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from ..config import DEFAULT_CACHE, Config, LiquidSettings, config_from_mapping
from ..discover import JekyllLayout
from ..errors import ConfigError, shown
from ..terms import TERM_PLACEHOLDER

__all__ = [
    "CONFIG_KEYS",
    "FEED_KEYS",
    "JEKYLL_CONFIG",
    "JEKYLL_FEED_LIMIT",
    "JekyllFeed",
    "load_jekyll_config",
]

#: The configuration file of a Jekyll site.
JEKYLL_CONFIG = "_config.yml"
#: jekyll-feed's default ``feed.posts_limit``.
JEKYLL_FEED_LIMIT = 10
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
)
#: The keys of jekyll-feed's ``feed:`` block that feedlib honours.
FEED_KEYS = ("path", "posts_limit", "excerpt_only", "categories", "tags")

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


@dataclass(frozen=True)
class JekyllFeed:
    """jekyll-feed's ``feed:`` settings that belong to per-term feeds and summaries.

    They are kept in the shapes of feedlib's own settings:
    ``categories`` as ``[feeds] categories`` (``True`` or a list of names),
    ``tags`` as ``[feeds] tags`` (``True`` or ``{"only": [...], "except": [...]}``),
    ``tags_path`` as the folder of tag feeds (jekyll-feed's ``feed.tags.path``,
    ``path`` in ``[feeds] tags``), and ``content`` as ``[build] content``
    (``"summary"`` for ``excerpt_only: true``).
    ``None`` means the site does not ask for it.
    """

    categories: bool | tuple[str, ...] | None = None
    tags: bool | Mapping[str, tuple[str, ...]] | None = None
    tags_path: str | None = None
    content: str = "full"

    def feedlib_settings(self) -> dict[str, Any]:
        """These settings as feedlib's ``[feeds]`` and ``[build]`` tables would say them."""
        feeds: dict[str, Any] = {}
        if isinstance(self.categories, bool):
            feeds["categories"] = self.categories
        elif self.categories is not None:
            feeds["categories"] = list(self.categories)
        tags: dict[str, Any] = {}
        if isinstance(self.tags, Mapping):
            tags = {key: list(value) for key, value in self.tags.items()}
        if self.tags_path is not None:
            tags["path"] = self.tags_path
        if tags:
            feeds["tags"] = tags
        elif self.tags is not None:
            feeds["tags"] = self.tags
        return {"feeds": feeds, "build": {"content": self.content}}


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
    """Jekyll authors carry other keys (twitter, picture) and say ``url`` for ``uri``."""
    if isinstance(value, list):
        return [_author(item) for item in value]
    if isinstance(value, Mapping):
        kept = {key: value[key] for key in ("name", "email", "uri") if value.get(key) is not None}
        if "uri" not in kept and isinstance(value.get("url"), str):
            kept["uri"] = value["url"]
        return kept
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


def _feed_path(reader: _Reader, feed: Mapping[str, Any]) -> str:
    path = (reader.text_of("path", feed) or "feed.xml").lstrip("/")
    pure = PurePosixPath(path)
    if not path or ".." in pure.parts or "\\" in path or "\0" in path or path.endswith("/"):
        raise reader.error("feed.path", f"must be a file path inside the site, got {shown(path)}")
    return pure.as_posix()


def _feed_terms(reader: _Reader, feed: Mapping[str, Any]) -> JekyllFeed:
    categories: bool | tuple[str, ...] | None = None
    value = feed.get("categories")
    if value is True:
        categories = True
    elif value not in (None, False):
        categories = reader.names("feed.categories", value)
    tags: bool | Mapping[str, tuple[str, ...]] | None = None
    tags_path = None
    value = feed.get("tags")
    if value is True:
        tags = True
    elif isinstance(value, Mapping):
        tags = {
            key: reader.names(f"feed.tags.{key}", value[key]) for key in ("only", "except") if key in value
        }
        tags_path = reader.text_of("path", value)
    elif value not in (None, False):
        raise reader.error(
            "feed.tags", f"expected true or a mapping with only/except/path, got {shown(value)}"
        )
    excerpt_only = feed.get("excerpt_only", False)
    if not isinstance(excerpt_only, bool):
        raise reader.error("feed.excerpt_only", f"expected true or false, got {shown(excerpt_only)}")
    return JekyllFeed(categories, tags, tags_path, "summary" if excerpt_only else "full")


def _term_feed_settings(feed: JekyllFeed) -> dict[str, Any]:
    """``feed``'s settings for feedlib's configuration; jekyll-feed's ``tags.path`` is a folder."""
    settings = feed.feedlib_settings()
    tags = settings["feeds"].get("tags")
    if isinstance(tags, dict) and "path" in tags and TERM_PLACEHOLDER not in tags["path"]:
        tags["path"] = tags["path"].strip("/") + f"/{TERM_PLACEHOLDER}.xml"
    return settings


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

    Reads ``_config.yml`` (safely; errors name its line): ``url`` + ``baseurl``,
    ``title`` (or ``name``), ``description``, ``author``, ``timezone``,
    ``lang``, ``permalink``, ``destination``, ``exclude``, ``markdown_ext``,
    ``show_drafts`` and jekyll-feed's ``feed:`` block (``path``,
    ``posts_limit``, ``excerpt_only``, ``categories``, ``tags``). The feed is
    Atom, at ``DESTINATION/feed.xml`` (or ``feed.path``), with the newest 10
    posts (or ``feed.posts_limit``), as jekyll-feed writes it.
    """
    root = Path(site_dir)
    reader = _Reader(root / JEKYLL_CONFIG)
    feed = reader.data.get("feed") or {}
    if not isinstance(feed, Mapping):
        raise reader.error("feed", f"expected a mapping, got {shown(feed)}")
    try:
        config = config_from_mapping(_feedlib_tables(reader, feed), reader.path)
    except ConfigError as error:
        raise _jekyll_error(reader, error.message) from None
    unknown = [key for key in feed if key not in FEED_KEYS]
    ignored = ", ".join(f"feed.{key}" for key in unknown)
    notes = (f"{reader.path}: {ignored} not honoured by feedlib (see docs/jekyll.md)",) if unknown else ()
    layout = JekyllLayout(
        root=root,
        drafts=drafts or reader.data.get("show_drafts") is True,
        exclude=(*reader.names("exclude", reader.data.get("exclude") or []), _destination(reader)),
        markdown_ext=reader.names("markdown_ext", reader.data.get("markdown_ext") or []),
    )
    paths = MappingProxyType({"atom": _feed_path(reader, feed)})
    # Jekyll renders Liquid in every post; a post opts out with render_with_liquid: false.
    liquid = LiquidSettings(
        enabled=True,
        site=MappingProxyType(dict(reader.data)),
        includes=root / (reader.text_of("includes_dir") or "_includes"),
        root=root,
    )
    build = replace(config.build, paths=paths)
    return replace(config, build=build, jekyll=layout, liquid=liquid, ignored=notes)


def _destination(reader: _Reader) -> str:
    return reader.text_of("destination") or "_site"


def _feedlib_tables(reader: _Reader, feed: Mapping[str, Any]) -> dict[str, Any]:
    """What ``_config.yml`` and its ``feed:`` block say, as feedlib's ``[site]``, ``[build]``, ``[feeds]``."""
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
    }
    settings = _term_feed_settings(_feed_terms(reader, feed))
    return {"site": site, "build": {**build, **settings["build"]}, "feeds": settings["feeds"]}

"""jekyll-feed's ``feed:`` block of ``_config.yml``: which feeds it writes, where, and titled how.

jekyll-feed writes the posts' feed at ``feed.path`` (``feed.xml``), one feed
per category named in ``feed.categories`` at ``feed/CATEGORY.xml`` titled
"Site | Category", one per tag (``feed.tags``: all, or ``only``/``except``;
only tags of letters, digits and ``_``) at ``feed/by_tag/TAG.xml`` titled as
the site, and a feed of each collection of ``feed.collections`` at
``feed/COLLECTION.xml`` ("Site | Collection", with its own categories at
``feed/COLLECTION/CATEGORY.xml``). :func:`read_feed_block` reads the block
into :class:`JekyllFeed`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..errors import ConfigError, shown
from ..feeds import CollectionFeedConfig
from ..terms import TERM_PLACEHOLDER, TermFeedConfig

__all__ = ["FEED_KEYS", "JEKYLL_FEED_LIMIT", "JekyllFeed", "read_feed_block"]

#: The keys of jekyll-feed's ``feed:`` block that feedlib honours.
FEED_KEYS = (
    "path",
    "posts_limit",
    "excerpt_only",
    "categories",
    "tags",
    "collections",
    "icon",
    "logo",
    "disable_in_development",
)
#: jekyll-feed's default ``feed.posts_limit``.
JEKYLL_FEED_LIMIT = 10
#: The tags jekyll-feed writes a feed for (its file names stay simple).
TAG_PATTERN = "[A-Za-z0-9_]+"

_Error = Callable[[str, str], ConfigError]


@dataclass(frozen=True)
class JekyllFeed:
    """jekyll-feed's settings that belong to per-term feeds and summaries.

    They are kept in the shapes of feedlib's own settings:
    ``categories`` as ``[feeds] categories`` (``True`` or a list of names),
    ``tags`` as ``[feeds] tags`` (``True`` or ``{"only": [...], "except": [...]}``),
    ``tags_path`` as the folder of tag feeds (jekyll-feed's ``feed.tags.path``,
    ``path`` in ``[feeds] tags``), and ``content`` as ``[build] content``
    (``"summary"`` for ``excerpt_only: true``). ``None`` means the site does
    not ask for it. ``collections`` are the feeds of other collections;
    ``icon`` and ``logo`` the feed's images, as written.
    """

    categories: bool | tuple[str, ...] | None = None
    tags: bool | Mapping[str, tuple[str, ...]] | None = None
    tags_path: str | None = None
    content: str = "full"
    collections: tuple[CollectionFeedConfig, ...] = ()
    icon: str | None = None
    logo: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

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

    def term_feeds(self) -> tuple[TermFeedConfig, ...]:
        """The per-category and per-tag feeds, named, placed and titled as jekyll-feed's."""
        configs = []
        if self.categories:
            only = None if isinstance(self.categories, bool) else tuple(self.categories)
            configs.append(
                TermFeedConfig("categories", "feed/:term.xml", only, title="{site} | {Term}", verbatim=True)
            )
        if self.tags:
            tags = self.tags if isinstance(self.tags, Mapping) else {}
            only = tags.get("only")
            excluded = tuple(tags.get("except", ()))
            if only is not None:
                only, excluded = tuple(tag for tag in only if tag not in excluded), ()
            folder = (self.tags_path or "feed/by_tag/").strip("/")
            path = f"{folder}/{TERM_PLACEHOLDER}.xml"
            configs.append(
                TermFeedConfig(
                    "tags", path, only, excluded, title="{site}", verbatim=True, pattern=TAG_PATTERN
                )
            )
        return tuple(configs)


def _names(error: _Error, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise error(key, f"expected a list of names, got {shown(value)}")
    return tuple(str(item) for item in value)


def _text(error: _Error, key: str, value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise error(key, f"expected text, got {shown(value)}")
    return str(value)


def _categories(error: _Error, key: str, value: object) -> bool | tuple[str, ...] | None:
    if value is True:
        return True
    if value is None or value is False:
        return None
    return _names(error, key, value)


def _tags(
    error: _Error, feed: Mapping[str, Any]
) -> tuple[bool | Mapping[str, tuple[str, ...]] | None, str | None]:
    value = feed.get("tags")
    if value is True:
        return True, None
    if isinstance(value, Mapping):
        lists = {
            key: _names(error, f"feed.tags.{key}", value[key]) for key in ("only", "except") if key in value
        }
        return lists, _text(error, "feed.tags.path", value.get("path"))
    if value not in (None, False):
        raise error("feed.tags", f"expected true or a mapping with only/except/path, got {shown(value)}")
    return None, None


def _feed_file(error: _Error, key: str, value: object, default: str, *, xml: bool = False) -> str:
    """A feed's path inside the site (jekyll-feed writes it under the site's destination).

    ``xml``: it must end in ``.xml`` (a collection's feed, whose RSS and JSON go beside it).
    """
    path = (_text(error, key, value) or default).lstrip("/")
    pure = PurePosixPath(path)
    if not path or ".." in pure.parts or "\\" in path or "\0" in path or path.endswith("/"):
        raise error(key, f"must be a file path inside the site, got {shown(path)}")
    if xml and not path.endswith(".xml"):
        raise error(key, f"must end in .xml (feedlib writes its RSS and JSON beside it), got {shown(path)}")
    return pure.as_posix()


def _collections(error: _Error, value: object) -> dict[str, Mapping[str, Any]]:
    """``feed.collections``: a list of names or a mapping of names to ``{path, categories}``."""
    if value in (None, False):
        return {}
    if isinstance(value, list):
        return {str(name): {} for name in value}
    if not isinstance(value, Mapping):
        raise error("feed.collections", f"expected a list or a mapping of collections, got {shown(value)}")
    found = {}
    for name, meta in value.items():
        if meta is not None and not isinstance(meta, Mapping):
            raise error(
                f"feed.collections.{name}", f"expected a mapping with path and categories, got {shown(meta)}"
            )
        found[str(name)] = meta or {}
    return found


def _collection_feed(error: _Error, name: str, meta: Mapping[str, Any]) -> CollectionFeedConfig:
    key = f"feed.collections.{name}"
    path = _feed_file(error, f"{key}.path", meta.get("path"), f"feed/{name}.xml", xml=True)
    title = "{site} | " + name.capitalize().replace("{", "{{").replace("}", "}}")
    categories = _categories(error, f"{key}.categories", meta.get("categories"))
    config = None
    if categories:
        only = None if isinstance(categories, bool) else categories
        term_title = title + " | {Term}"
        config = TermFeedConfig("categories", f"feed/{name}/:term.xml", only, title=term_title, verbatim=True)
    return CollectionFeedConfig(name, path, title, config)


def read_feed_block(feed: Mapping[str, Any], error: _Error) -> tuple[JekyllFeed, str]:
    """jekyll-feed's settings and the posts' feed path; ``error(key, message)`` makes a ConfigError."""
    collections = _collections(error, feed.get("collections"))
    posts = collections.pop("posts", {})
    path = _feed_file(error, "feed.path", feed.get("path") or posts.get("path"), "feed.xml")
    categories = _categories(error, "feed.categories", feed.get("categories") or posts.get("categories"))
    tags, tags_path = _tags(error, feed)
    excerpt_only = feed.get("excerpt_only", False)
    if not isinstance(excerpt_only, bool):
        raise error("feed.excerpt_only", f"expected true or false, got {shown(excerpt_only)}")
    jekyll_feed = JekyllFeed(
        categories,
        tags,
        tags_path,
        "summary" if excerpt_only else "full",
        tuple(_collection_feed(error, name, meta) for name, meta in collections.items()),
        _text(error, "feed.icon", feed.get("icon")),
        _text(error, "feed.logo", feed.get("logo")),
        {key: value for key, value in feed.items() if key not in FEED_KEYS},
    )
    return jekyll_feed, path

"""feedlib: Atom, RSS and JSON feeds from a folder of Markdown posts with front matter.

One pipeline, each stage a function; :func:`build` runs them all, as the
``feedlib`` command does:

>>> import feedlib
>>> site = feedlib.Site(url="https://example.com/blog/", title="Example")
>>> files = feedlib.discover_posts("posts")                          # doctest: +SKIP
>>> records = feedlib.read_posts(files, site)                        # doctest: +SKIP
>>> chosen = feedlib.select_posts(records, limit=20)                 # doctest: +SKIP
>>> entries = feedlib.render_entries(chosen, site)                   # doctest: +SKIP
>>> documents = feedlib.render_documents(site, entries, ["atom"])    # doctest: +SKIP
>>> feedlib.publish_documents(documents, "public")                             # doctest: +SKIP
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .build import CheckReport, build, check, dry_run, open_cache, post_files, render_site
from .cache import PostCache
from .config import BuildOptions, Config, LiquidSettings, load_config
from .discover import discover_posts
from .entries import render_entries, render_post, select_posts, to_entry
from .errors import ConfigError, FeedlibError, LockTimeout, PostError, PostErrors, PublishError
from .feeds import Document, Feed, plan_feeds, render_documents, render_feed, render_feeds
from .formats import FORMATS
from .model import Author, Enclosure, Entry, Image, Post, PostFile, PostRecord, Rendered, Site
from .posts import load_post, load_posts
from .publish import Published, publish_documents
from .read import read_posts, record_of
from .terms import TermFeedConfig

if TYPE_CHECKING:
    from .jekyll.config import load_jekyll_config
    from .preview import EntryChange, FeedPreview
    from .websub import PingFailure, ping_hub

__all__ = [
    "FORMATS",
    "Author",
    "BuildOptions",
    "CheckReport",
    "Config",
    "ConfigError",
    "Document",
    "Enclosure",
    "Entry",
    "EntryChange",
    "Feed",
    "FeedPreview",
    "FeedlibError",
    "Image",
    "LiquidSettings",
    "LockTimeout",
    "PingFailure",
    "Post",
    "PostCache",
    "PostError",
    "PostErrors",
    "PostFile",
    "PostRecord",
    "PublishError",
    "Published",
    "Rendered",
    "Site",
    "TermFeedConfig",
    "__version__",
    "build",
    "check",
    "discover_posts",
    "dry_run",
    "load_config",
    "load_jekyll_config",
    "load_post",
    "load_posts",
    "open_cache",
    "ping_hub",
    "plan_feeds",
    "post_files",
    "publish_documents",
    "read_posts",
    "record_of",
    "render_documents",
    "render_entries",
    "render_feed",
    "render_feeds",
    "render_post",
    "render_site",
    "select_posts",
    "to_entry",
]


# What most builds never use is imported on first use: a build from the cache
# should not pay for Jekyll's configuration reader, dry runs or WebSub.
_LAZY = {
    "EntryChange": "preview",
    "FeedPreview": "preview",
    "PingFailure": "websub",
    "load_jekyll_config": "jekyll.config",
    "ping_hub": "websub",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'feedlib' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

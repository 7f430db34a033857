"""feedlib: Atom and RSS feeds from a folder of Markdown posts with front matter.

>>> import feedlib
>>> site = feedlib.Site(url="https://example.com/blog/", title="Example")
>>> posts = feedlib.load_posts("posts", site)                    # doctest: +SKIP
>>> entries = feedlib.build_entries(posts, site, limit=20)       # doctest: +SKIP
>>> feedlib.write_feeds(site, entries, "public")                 # doctest: +SKIP
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .build import CheckReport, build, check, dry_run, render_site
from .cache import PostCache
from .config import BuildOptions, Config, load_config
from .entries import build_entries, render_post, select_posts, to_entry
from .errors import ConfigError, FeedlibError, LockTimeout, PostError, PostErrors, PublishError
from .formats import FORMATS
from .liquid_settings import LiquidSettings
from .lock import output_lock
from .model import Author, Enclosure, Entry, Image, Post, Rendered, Site
from .posts import PostFile, load_post, load_posts
from .publish import (
    Document,
    Published,
    remove_stale_temporaries,
    render_documents,
    render_feed,
    write_atomic,
    write_documents,
    write_feeds,
)
from .terms import TermFeedConfig

if TYPE_CHECKING:
    from .jekyll import JekyllFeed, JekyllSite, jekyll_post_files, load_jekyll_config
    from .preview import EntryChange, FeedPreview
    from .templates import PostRenderer
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
    "FeedPreview",
    "FeedlibError",
    "Image",
    "JekyllFeed",
    "JekyllSite",
    "LiquidSettings",
    "LockTimeout",
    "PingFailure",
    "Post",
    "PostCache",
    "PostError",
    "PostErrors",
    "PostFile",
    "PostRenderer",
    "PublishError",
    "Published",
    "Rendered",
    "Site",
    "TermFeedConfig",
    "__version__",
    "build",
    "build_entries",
    "check",
    "dry_run",
    "jekyll_post_files",
    "load_config",
    "load_jekyll_config",
    "load_post",
    "load_posts",
    "output_lock",
    "ping_hub",
    "remove_stale_temporaries",
    "render_documents",
    "render_feed",
    "render_post",
    "render_site",
    "select_posts",
    "to_entry",
    "write_atomic",
    "write_documents",
    "write_feeds",
]


# What most builds never use is imported on first use: a build from the cache
# should not pay for Jekyll sites, Liquid (python-liquid), dry runs or WebSub.
_LAZY = {
    "EntryChange": "preview",
    "FeedPreview": "preview",
    "JekyllFeed": "jekyll",
    "JekyllSite": "jekyll",
    "PingFailure": "websub",
    "PostRenderer": "templates",
    "jekyll_post_files": "jekyll",
    "load_jekyll_config": "jekyll",
    "ping_hub": "websub",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'feedlib' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

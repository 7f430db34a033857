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
>>> feedlib.publish_documents(documents, "public")                   # doctest: +SKIP

Every public function checks its arguments, and every record checks its
fields, when a program passes them: a wrong value raises
:class:`ConfigError` (a :class:`FeedlibError`, as every error feedlib
raises) saying which and why, in the configuration file's words where there
is one.
"""

import inspect
from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import build as _build
from . import config as _config
from . import discover as _discover
from . import entries as _entries
from . import feeds as _feeds
from . import history as _history
from . import posts as _posts
from . import publish as _publish
from . import read as _read
from ._version import __version__
from .build import CheckReport
from .cache import PostCache
from .config import BuildOptions, Config, LiquidSettings
from .errors import ConfigError, FeedlibError, LockTimeout, PostError, PostErrors, PublishError
from .feeds import Document, Feed
from .formats import FORMATS
from .model import Author, Enclosure, Entry, Image, Post, PostFile, PostRecord, Rendered, Site
from .public import checked, readable_annotations
from .publish import Published
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
    "add_commit_dates",
    "build",
    "check",
    "config_from_mapping",
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


readable_annotations(
    Author, Enclosure, Entry, Image, Post, Rendered, Site, BuildOptions, Config, LiquidSettings,
    TermFeedConfig, Document, Feed, CheckReport, Published, PostCache.open,
)  # fmt: skip
# Each stage as a program calls it: its arguments checked (the pipeline calls the stages unchecked).
build = checked(_build.build)
check = checked(_build.check)
dry_run = checked(_build.dry_run)
open_cache = checked(_build.open_cache)
post_files = checked(_build.post_files)
render_site = checked(_build.render_site)
load_config = checked(_config.load_config)
config_from_mapping = checked(_config.config_from_mapping)
discover_posts = checked(_discover.discover_posts)
add_commit_dates = checked(_history.add_commit_dates)
render_entries = checked(_entries.render_entries)
render_post = checked(_entries.render_post)
select_posts = checked(_entries.select_posts)
to_entry = checked(_entries.to_entry)
plan_feeds = checked(_feeds.plan_feeds)
render_documents = checked(_feeds.render_documents)
render_feed = checked(_feeds.render_feed)
render_feeds = checked(_feeds.render_feeds)
load_post = checked(_posts.load_post)
load_posts = checked(_posts.load_posts)
publish_documents = checked(_publish.publish_documents)
read_posts = checked(_read.read_posts)
record_of = checked(_read.record_of)
readable_annotations(
    Author, Enclosure, Entry, Image, Post, Rendered, Site, BuildOptions, Config, LiquidSettings,
    TermFeedConfig, Document, Feed, CheckReport, Published, PostCache.open,
    *(globals()[name] for name in __all__ if inspect.isfunction(globals().get(name))),
)  # fmt: skip

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
    if inspect.isfunction(value):
        readable_annotations(value)
        value = checked(value)
    globals()[name] = value
    return value

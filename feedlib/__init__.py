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

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .build import CheckReport, build, check, dry_run, open_cache, post_files, render_site
    from .cache import PostCache
    from .config import BuildOptions, Config, LiquidSettings, config_from_mapping, load_config
    from .discover import discover_posts
    from .entries import render_entries, render_post, to_entry
    from .errors import ConfigError, FeedlibError, LockTimeout, PostError, PostErrors, PublishError
    from .feeds import Document, Feed, plan_feeds, render_documents, render_feed, render_feeds
    from .formats import FORMATS
    from .history import add_commit_dates
    from .jekyll.config import load_jekyll_config
    from .model import Author, Enclosure, Entry, Image, Post, PostFile, PostRecord, Rendered, Site
    from .posts import load_post, load_posts
    from .preview import EntryChange, FeedPreview
    from .publish import Published, publish_documents
    from .read import read_posts, record_of
    from .selection import select_posts
    from .terms import TermFeedConfig
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

# Where each public name is defined. Nothing is imported until a program asks for a
# name: the ``feedlib`` command (feedlib.cli) imports only the stages a build runs,
# and a build that finds nothing changed imports no reader, renderer or writer.
_NAMES_BY_MODULE = {
    "build": "CheckReport build check dry_run open_cache post_files render_site",
    "cache": "PostCache",
    "config": "BuildOptions Config LiquidSettings config_from_mapping load_config",
    "discover": "discover_posts",
    "entries": "render_entries render_post to_entry",
    "errors": "ConfigError FeedlibError LockTimeout PostError PostErrors PublishError",
    "feeds": "Document Feed plan_feeds render_documents render_feed render_feeds",
    "formats": "FORMATS",
    "history": "add_commit_dates",
    "model": "Author Enclosure Entry Image Post PostFile PostRecord Rendered Site",
    "posts": "load_post load_posts",
    "publish": "Published publish_documents",
    "read": "read_posts record_of",
    "selection": "select_posts",
    "terms": "TermFeedConfig",
}
_HOME = {name: module for module, names in _NAMES_BY_MODULE.items() for name in names.split()}
# What most programs never use is imported on its own first use: Jekyll's configuration
# reader, dry runs' previews, WebSub.
_ON_ITS_OWN = {
    "EntryChange": "preview",
    "FeedPreview": "preview",
    "PingFailure": "websub",
    "load_jekyll_config": "jekyll.config",
    "ping_hub": "websub",
}
# The records whose help() shows the types their fields name.
_RECORDS = (
    "Author", "Enclosure", "Entry", "Image", "Post", "Rendered", "Site", "BuildOptions", "Config",
    "LiquidSettings", "TermFeedConfig", "Document", "Feed", "CheckReport", "Published",
)  # fmt: skip


def _load() -> None:
    """Import every stage and set each public name: each function with its arguments checked."""
    from .public import checked, readable_annotations

    values = {name: getattr(import_module(f".{module}", __name__), name) for name, module in _HOME.items()}
    records = [values[name] for name in _RECORDS]
    readable_annotations(*records, values["PostCache"].open)
    # Each stage as a program calls it: its arguments checked (the pipeline calls the stages unchecked).
    for name, value in values.items():
        if isinstance(value, types.FunctionType):
            values[name] = checked(value)
    functions = [value for value in values.values() if isinstance(value, types.FunctionType)]
    readable_annotations(*records, values["PostCache"].open, *functions)
    globals().update(values)


def _load_on_its_own(name: str) -> Any:
    from .public import checked, readable_annotations

    value = getattr(import_module(f".{_ON_ITS_OWN[name]}", __name__), name)
    if isinstance(value, types.FunctionType):
        readable_annotations(value)
        value = checked(value)
    globals()[name] = value
    return value


def __getattr__(name: str) -> Any:
    if name in _HOME:
        _load()
        return globals()[name]
    if name in _ON_ITS_OWN:
        return _load_on_its_own(name)
    raise AttributeError(f"module 'feedlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package's module: importing the submodule ``feedlib.build`` leaves ``feedlib.build`` the function.

    Python sets a package's attribute to each submodule imported; for the one
    public name that is also a module's (:func:`build`, in ``build.py``), the
    module stays in ``sys.modules`` only, and the name gives the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

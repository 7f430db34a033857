"""feedlib: Atom and RSS feeds from a folder of Markdown posts with front matter.

>>> import feedlib
>>> site = feedlib.Site(url="https://example.com/blog/", title="Example")
>>> posts = feedlib.load_posts("posts", site)                    # doctest: +SKIP
>>> entries = feedlib.build_entries(posts, site, limit=20)       # doctest: +SKIP
>>> feedlib.write_feeds(site, entries, "public")                 # doctest: +SKIP
"""

from ._version import __version__
from .build import build
from .config import BuildOptions, Config, load_config
from .entries import build_entries, select_posts, to_entry
from .errors import ConfigError, FeedlibError, PostError, PostErrors, PublishError
from .formats import FORMATS
from .model import Author, Entry, Post, Site
from .posts import load_post, load_posts
from .publish import Published, render_documents, render_feed, write_atomic, write_documents, write_feeds

__all__ = [
    "FORMATS",
    "Author",
    "BuildOptions",
    "Config",
    "ConfigError",
    "Entry",
    "FeedlibError",
    "Post",
    "PostError",
    "PostErrors",
    "PublishError",
    "Published",
    "Site",
    "__version__",
    "build",
    "build_entries",
    "load_config",
    "load_post",
    "load_posts",
    "render_documents",
    "render_feed",
    "select_posts",
    "to_entry",
    "write_atomic",
    "write_documents",
    "write_feeds",
]

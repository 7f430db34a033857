"""The data model: what a site is, what a post file says, what a feed shows.

Frozen dataclasses built from the standard library only, so every later stage
of the pipeline (``posts → entries → formats → publish``) can rely on them
without importing anything else. A :class:`Site`, :class:`Author`,
:class:`Image` or :class:`Enclosure` checks what it is given when it is
made (:class:`~feedlib.errors.ConfigError`, worded as the configuration file
words it); the records the pipeline makes in bulk (:class:`Post`,
:class:`Entry`, :class:`PostRecord`…) are checked where a program passes
them to a public function.
"""

from .common import CONTENT_MODES, DEFAULT_PERMALINK, RENDERERS, Author, Enclosure, Image, parse_authors
from .post import Entry, Post, PostFile, PostRecord, Rendered
from .site import KRAMDOWN_QUOTES, SITE_KEYS, FrontMatterDefault, JekyllSite, Kramdown, Site

__all__ = [
    "CONTENT_MODES",
    "DEFAULT_PERMALINK",
    "KRAMDOWN_QUOTES",
    "RENDERERS",
    "SITE_KEYS",
    "Author",
    "Enclosure",
    "Entry",
    "FrontMatterDefault",
    "Image",
    "JekyllSite",
    "Kramdown",
    "Post",
    "PostFile",
    "PostRecord",
    "Rendered",
    "Site",
    "parse_authors",
]

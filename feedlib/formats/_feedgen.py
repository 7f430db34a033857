"""What the Atom and RSS writers share: a feedgen generator with no clock in it."""

from __future__ import annotations

from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from .._version import __version__
from ..model import Author, Entry, Site
from ._common import feed_updated, home_url

__all__ = ["author_dicts", "new_generator"]


def author_dicts(authors: Sequence[Author]) -> list[dict[str, str]]:
    """Authors in the form feedgen takes, without empty fields."""
    return [
        {key: value for key, value in (("name", a.name), ("email", a.email), ("uri", a.uri)) if value}
        for a in authors
    ]


def new_generator(site: Site, entries: Sequence[Entry], self_url: str, self_type: str) -> FeedGenerator:
    """A generator with the channel fields both formats carry.

    The ``self`` link is added before the site link: feedgen's RSS channel
    ``<link>`` is the last ``alternate`` link given.
    """
    generator = FeedGenerator()
    generator.id(self_url)
    generator.title(site.title)
    generator.link(href=self_url, rel="self", type=self_type)
    generator.link(href=home_url(site), rel="alternate", type="text/html")
    if site.language:
        generator.language(site.language)
    generator.generator("feedlib", version=__version__)
    generator.updated(feed_updated(entries))
    return generator

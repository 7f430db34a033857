"""Feed formats: each turns a site and its entries into the bytes of one document.

Writers never read the clock or the disk; :mod:`feedlib.publish` writes files.
Each writer is imported when it first writes a document: the Atom and RSS
writers load feedgen and lxml, which a build whose feeds are already up to
date never needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Entry, Site

__all__ = ["FORMATS", "Format"]


@dataclass(frozen=True)
class Format:
    """One feed format: its name, default file name, media type and writer module."""

    name: str
    filename: str
    media_type: str
    writer: str

    def render(self, site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
        """The document of ``entries`` (in the order given) served at ``self_url``, as bytes."""
        module = importlib.import_module(f"{__name__}.{self.writer}")
        document: bytes = module.render(site, entries, self_url)
        return document


#: The formats feedlib writes, by name.
FORMATS: dict[str, Format] = {
    "atom": Format("atom", "feed.xml", "application/atom+xml", "atom"),
    "rss": Format("rss", "rss.xml", "application/rss+xml", "rss"),
    "json": Format("json", "feed.json", "application/feed+json", "jsonfeed"),
}

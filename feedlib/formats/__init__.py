"""Feed formats: each turns a site and its entries into the bytes of one document.

Writers never read the clock or the disk; :mod:`feedlib.publish` writes files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Entry, Site
from . import atom, jsonfeed, rss

__all__ = ["FORMATS", "Format"]


@dataclass(frozen=True)
class Format:
    """One feed format: its name, default file name, media type and writer."""

    name: str
    filename: str
    media_type: str
    render: Callable[[Site, Sequence[Entry], str], bytes]


#: The formats feedlib writes, by name.
FORMATS: dict[str, Format] = {
    "atom": Format("atom", atom.FILENAME, atom.MEDIA_TYPE, atom.render),
    "rss": Format("rss", rss.FILENAME, rss.MEDIA_TYPE, rss.render),
    "json": Format("json", jsonfeed.FILENAME, jsonfeed.MEDIA_TYPE, jsonfeed.render),
}

"""Feed formats: one record each (name, file, media type, term-feed suffix, writer and reader).

A format's module writes a site and its entries as the bytes of one document
(``render``) and reads a published document back into its items (``read``,
for ``--dry-run``); it names its specification in its docstring. Writers
never read the clock or the disk; :mod:`feedlib.publish` writes files. Each
module is imported when it is first used: the Atom and RSS writers load
feedgen and lxml, which a build whose feeds are already up to date never needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..model import Entry, Site

__all__ = ["FORMATS", "FeedItem", "Format", "format_named"]


@dataclass(frozen=True)
class FeedItem:
    """One entry of a published feed document: its id, title, date as written, and canonical form."""

    id: str
    title: str
    when: str
    xml: bytes


@dataclass(frozen=True)
class Format:
    """One feed format.

    ``filename`` is its file in the output folder; a term feed's file is its
    Atom path with ``.xml`` replaced by ``term_suffix``. ``stylesheet`` says
    whether browsers can show it through ``feed.xsl``. ``module`` (in this
    package) has ``render(site, entries, self_url) -> bytes`` and
    ``read(content) -> list[FeedItem]``.
    """

    name: str
    filename: str
    media_type: str
    term_suffix: str
    module: str
    stylesheet: bool = False

    def render(self, site: Site, entries: Sequence[Entry], self_url: str) -> bytes:
        """The document of ``entries`` (in the order given) served at ``self_url``, as bytes."""
        document: bytes = self._module().render(site, entries, self_url)
        return document

    def read(self, content: bytes) -> list[FeedItem]:
        """The items of a document in this format; :class:`ValueError` if it cannot be read."""
        items: list[FeedItem] = self._module().read(content)
        return items

    def _module(self) -> Any:
        return importlib.import_module(f"{__name__}.{self.module}")


#: The formats feedlib writes, by name.
FORMATS: dict[str, Format] = {
    "atom": Format("atom", "feed.xml", "application/atom+xml", ".xml", "atom", stylesheet=True),
    "rss": Format("rss", "rss.xml", "application/rss+xml", ".rss.xml", "rss", stylesheet=True),
    "json": Format("json", "feed.json", "application/feed+json", ".json", "jsonfeed"),
}


def format_named(name: str) -> Format:
    """The format called ``name``; :class:`~feedlib.errors.ConfigError` naming the known ones otherwise."""
    try:
        return FORMATS[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown feed format {name!r} (known: {', '.join(FORMATS)})") from None

"""What every format writer shares: the times and URLs a feed states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from ..model import Entry, Site
from ..text import strip_xml_illegal, xml_safe_author
from ..urls import absolute_url

__all__ = ["EMPTY_FEED_UPDATED", "feed_time", "feed_updated", "home_url", "xml_safe_site"]

#: The ``updated`` time of a feed with no entries: fixed, so no clock leaks in
#: (and late enough that validators do not call it implausible).
EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)

_HALF_HOUR = 1800


def feed_time(moment: datetime) -> datetime:
    """``moment`` as a feed should state it.

    The post's own offset is kept when RFC 822 and RFC 3339 can both write it
    (whole half hours); other offsets (Asia/Kathmandu's +05:45, local mean
    time before 1888) are converted to UTC.
    """
    offset = moment.utcoffset()
    if offset is None or offset.total_seconds() % _HALF_HOUR:
        return moment.astimezone(UTC)
    return moment


def feed_updated(entries: Sequence[Entry]) -> datetime:
    """The newest time any entry was published or updated."""
    times = [moment for entry in entries for moment in (entry.published, entry.updated)]
    return feed_time(max(times, default=EMPTY_FEED_UPDATED))


def home_url(site: Site) -> str:
    """The site's URL in canonical form."""
    return absolute_url("/", site)


def xml_safe_site(site: Site) -> Site:
    """``site`` with the characters XML forbids dropped from what a feed shows of it."""
    return replace(
        site,
        title=strip_xml_illegal(site.title).strip() or site.url,
        description=strip_xml_illegal(site.description),
        authors=tuple(map(xml_safe_author, site.authors)),
    )

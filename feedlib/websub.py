"""WebSub publishing: telling a hub which feeds changed (https://www.w3.org/TR/websub/).

A hub fetches the feed and pushes it to subscribers. The publish ping is the
form most hubs accept: ``POST hub.mode=publish&hub.url=FEED_URL``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from ._version import __version__

__all__ = ["DEFAULT_PING_TIMEOUT", "PingFailure", "ping_hub"]

#: Seconds to wait for a hub's answer to one ping.
DEFAULT_PING_TIMEOUT = 10.0


@dataclass(frozen=True)
class PingFailure:
    """A feed the hub was not told about, and why."""

    feed_url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.feed_url}: {self.reason}"


def _ping(hub: str, feed_url: str, timeout: float) -> None:
    import urllib.request  # Only when pinging: a slow import every other build would pay for.

    data = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode("ascii")
    request = urllib.request.Request(
        hub,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": f"feedlib/{__version__}",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only: config checks the hub
        response.read()


def ping_hub(
    hub: str, feed_urls: Iterable[str], *, timeout: float = DEFAULT_PING_TIMEOUT
) -> list[PingFailure]:
    """Tell the WebSub ``hub`` that each of ``feed_urls`` changed, one request per feed.

    Never raises for a network or hub problem: each failed ping is returned,
    so a build that published its feeds stays a success.
    """
    import urllib.error

    failures = []
    for url in feed_urls:
        try:
            _ping(hub, url, timeout)
        except urllib.error.HTTPError as error:
            failures.append(PingFailure(url, f"the hub {hub} answered {error.code} {error.reason}"))
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", None) or error
            failures.append(PingFailure(url, f"cannot reach the hub {hub}: {reason}"))
    return failures

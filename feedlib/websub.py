"""WebSub publishing: telling a hub which feeds changed (https://www.w3.org/TR/websub/).

A hub fetches the feed and pushes it to subscribers. The publish ping is the
form most hubs accept: ``POST hub.mode=publish&hub.url=FEED_URL``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from ._version import __version__
from .errors import clipped

__all__ = ["DEFAULT_PING_TIMEOUT", "MAX_ANSWER_BYTES", "PingFailure", "ping_hub"]

#: Seconds to wait for a hub's whole answer to one ping.
DEFAULT_PING_TIMEOUT = 10.0
#: The most of a hub's answer that is read.
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class PingFailure:
    """A feed the hub was not told about, and why."""

    feed_url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.feed_url}: {self.reason}"


class _TooLong(Exception):
    """A hub's answer longer than :data:`MAX_ANSWER_BYTES`."""


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
        # A hub answers "202 Accepted" with little or nothing: an answer without end is no answer.
        if len(response.read(MAX_ANSWER_BYTES + 1)) > MAX_ANSWER_BYTES:
            raise _TooLong


def _reason(hub: str, error: BaseException | None) -> str | None:
    """Why the ping failed, in a user's words (``None``: it did not)."""
    import http.client
    import urllib.error

    if error is None:
        return None
    if isinstance(error, urllib.error.HTTPError):
        return f"the hub {hub} answered {error.code} {clipped(str(error.reason))}"
    if isinstance(error, _TooLong):
        return f"the hub {hub} answered with more than {MAX_ANSWER_BYTES // 1024} KB; the rest was not read"
    if isinstance(error, http.client.HTTPException):
        return f"the hub {hub} did not answer in HTTP ({type(error).__name__}: {clipped(str(error))})"
    if isinstance(error, urllib.error.URLError | OSError | ValueError):
        reason = getattr(error, "reason", None) or error
        return f"cannot reach the hub {hub}: {clipped(str(reason))}"
    return f"the hub {hub} could not be told ({type(error).__name__}: {clipped(str(error))})"


def _ping_within(hub: str, feed_url: str, timeout: float) -> str | None:
    """:func:`_ping` in a thread given ``timeout`` seconds in all: why it failed, or ``None``.

    The socket's timeout bounds each read, not the whole answer: a hub that
    sends a byte every few seconds would hold the build without end. A thread
    left waiting ends with the process.
    """
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            _ping(hub, feed_url, timeout)
        except BaseException as error:
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, name="feedlib-websub", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        return f"the hub {hub} did not answer within {timeout:g} s"
    return _reason(hub, outcome[0])


def ping_hub(
    hub: str, feed_urls: Iterable[str], *, timeout: float = DEFAULT_PING_TIMEOUT
) -> list[PingFailure]:
    """Tell the WebSub ``hub`` that each of ``feed_urls`` changed, one request per feed.

    Never raises for a network or hub problem: each failed ping is returned,
    so a build that published its feeds stays a success. Each ping takes at
    most ``timeout`` seconds, and at most :data:`MAX_ANSWER_BYTES` of the
    hub's answer are read.
    """
    failures = []
    for url in feed_urls:
        reason = _ping_within(hub, url, timeout)
        if reason is not None:
            failures.append(PingFailure(url, reason))
    return failures

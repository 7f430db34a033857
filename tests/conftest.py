"""Fixtures for the feedlib tests; plain helper functions live in helpers.py."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import feedgen.entry
import feedgen.feed
import pytest
from helpers import SITE_URL, frozen_datetime
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

import feedlib.entries
import feedlib.selection
import feedlib.uptodate
from feedlib import Author, Site

# Deterministic, bounded property tests. Nothing is written into the repository: no example
# database, and Hypothesis's caches (constants, Unicode tables) go to the temporary folder.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "feedlib-tests-hypothesis")
settings.register_profile(
    "feedlib",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("feedlib")


@pytest.fixture
def site() -> Site:
    """A plain UTC site served under a path."""
    return Site(url=SITE_URL, title="Example Blog", description="Posts for the tests", language="en")


@pytest.fixture
def tokyo_site() -> Site:
    """The bundled example site's settings (Asia/Tokyo, one site author)."""
    return Site(
        url=SITE_URL,
        title="ALLFORCES テックブログ",
        description="AI、投資、ソフトウェアについての記事",
        authors=(Author("ALLFORCES編集部", uri="https://example.com/blog/about/"),),
        language="ja",
        timezone="Asia/Tokyo",
    )


@pytest.fixture
def freeze_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[datetime], None]]:
    """Make every clock feedlib and feedgen could read say the given (aware) moment."""

    def freeze(moment: datetime) -> None:
        frozen = frozen_datetime(moment)
        for module in (feedgen.feed, feedgen.entry, feedlib.entries, feedlib.selection, feedlib.uptodate):
            monkeypatch.setattr(module, "datetime", frozen)
        monkeypatch.setattr(time, "time", moment.timestamp)
        monkeypatch.setattr(time, "time_ns", lambda: int(moment.timestamp() * 1_000_000_000))

    yield freeze


@pytest.fixture
def posts_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    return folder

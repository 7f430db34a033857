"""A build whose feeds are already published as they would be renders nothing and writes nothing."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cron_helpers import post_text, write_site

import feedlib
import feedlib.cache.stamps
from feedlib.cache import OUTPUTS_FILE

_BUILD = sys.modules["feedlib.build"]


@pytest.fixture
def trusted_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago get a signature (normally only after two seconds)."""
    monkeypatch.setattr(feedlib.cache.stamps, "RACY_MARGIN_NS", 0)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many feeds each build renders."""
    counts: list[int] = []
    original = _BUILD.render_feeds

    def counting(feeds: Any, **options: Any) -> Any:
        counts.append(len(feeds))
        return original(feeds, **options)

    monkeypatch.setattr(_BUILD, "render_feeds", counting)
    return counts


def _config(root: Path, extra: str = "") -> feedlib.Config:
    """A site of eight posts; ``extra`` goes after its [build] table's settings."""
    site = write_site(root, count=8, build_extra='cache = ".feedlib-cache"\n' + extra)
    config = feedlib.load_config(site.config)
    assert (config.build.out, config.build.cache) == (root / "public", root / ".feedlib-cache")
    return config


def _build(config: feedlib.Config) -> list[feedlib.Published]:
    return feedlib.build(config, wait=5)


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.usefixtures("trusted_at_once")
def test_an_unchanged_site_renders_nothing(tmp_path: Path, renders: list[int]) -> None:
    config = _config(
        tmp_path, 'formats = ["atom", "rss", "json"]\nstylesheet = true\n\n[feeds]\ntags = true\n'
    )
    first = _build(config)
    files = _files(tmp_path / "public")
    assert len(files) > 10  # Feeds of every tag, in each format, and the stylesheet.
    again = _build(config)
    assert len(renders) == 1  # The first build only.
    assert [(p.path, p.format, p.entries, p.url) for p in again] == [
        (p.path, p.format, p.entries, p.url) for p in first
    ]
    assert not any(p.changed for p in again)
    assert _files(tmp_path / "public") == files


@pytest.mark.usefixtures("trusted_at_once")
@pytest.mark.parametrize(
    "change", ["edit a post", "add a post", "delete the feed", "edit the feed", "retitle"]
)
def test_a_change_renders_again(tmp_path: Path, renders: list[int], change: str) -> None:
    config = _config(tmp_path)
    _build(config)
    out = tmp_path / "public"
    before = (out / "feed.xml").read_bytes()
    if change == "edit a post":
        (tmp_path / "posts" / "post-00007.md").write_text(post_text(7, edit=1), encoding="utf-8")
    elif change == "add a post":
        (tmp_path / "posts" / "post-00008.md").write_text(post_text(8), encoding="utf-8")
    elif change == "delete the feed":
        (out / "feed.xml").unlink()
    elif change == "edit the feed":
        (out / "feed.xml").write_bytes(before.replace(b"Post", b"Tsop"))  # the same size
    else:
        config = replace(config, site=replace(config.site, title="Another title"))
    published = _build(config)
    assert len(renders) == 2
    after = (out / "feed.xml").read_bytes()
    if change in ("delete the feed", "edit the feed"):
        assert after == before  # Restored.
    else:
        assert after != before
        assert any(p.changed for p in published)


@pytest.mark.usefixtures("trusted_at_once")
def test_a_post_published_later_renders_again(tmp_path: Path, renders: list[int]) -> None:
    config = _config(tmp_path)
    # The newest post (2020-01-08) is not yet published on the 5th.
    early = datetime(2020, 1, 5, tzinfo=UTC)
    feedlib.build(config, wait=5, now=early)
    feedlib.build(config, wait=5, now=early)
    assert len(renders) == 1
    feedlib.build(config, wait=5, now=datetime(2020, 2, 1, tzinfo=UTC))
    assert len(renders) == 2


@pytest.mark.usefixtures("trusted_at_once")
def test_liquid_sites_always_render(tmp_path: Path, renders: list[int]) -> None:
    config = _config(tmp_path, "liquid = true\n")
    assert config.liquid.enabled
    _build(config)
    _build(config)
    assert len(renders) == 2


def test_files_written_a_moment_ago_are_rendered_again(tmp_path: Path, renders: list[int]) -> None:
    config = _config(tmp_path)
    _build(config)
    # Just written: the next build cannot trust their signatures, so it renders (and writes nothing).
    assert not (tmp_path / ".feedlib-cache" / OUTPUTS_FILE).exists()
    published = _build(config)
    assert len(renders) == 2
    assert not any(p.changed for p in published)


@pytest.mark.usefixtures("trusted_at_once")
@pytest.mark.parametrize("garbage", [b"", b"{", b'{"version": 3, "plan": 1, "files": []}', b"\xff"])
def test_a_damaged_record_of_outputs_is_ignored(tmp_path: Path, renders: list[int], garbage: bytes) -> None:
    config = _config(tmp_path)
    _build(config)
    (tmp_path / ".feedlib-cache" / OUTPUTS_FILE).write_bytes(garbage)
    (tmp_path / "public" / "rss.xml").unlink()
    _build(config)
    assert len(renders) == 2
    assert (tmp_path / "public" / "rss.xml").is_file()
    _build(config)
    assert len(renders) == 2  # Recorded again.


@pytest.mark.usefixtures("trusted_at_once")
def test_a_post_that_cannot_be_rendered_is_left_out_each_time(tmp_path: Path, renders: list[int]) -> None:
    config = _config(tmp_path)
    nested = "---\ntitle: Deep\ndate: 2021-01-02\n---\n" + "* " * 3000 + "deep\n"
    (tmp_path / "posts" / "deep.md").write_text(nested, encoding="utf-8")
    skipped: list[feedlib.PostError] = []
    for _ in range(2):
        feedlib.build(config, wait=5, skip_invalid=True, on_skip=skipped.append)
    # Each build renders, finds the post fails, and publishes the feed without it.
    assert len(renders) == 2
    assert [error.path.name for error in skipped] == ["deep.md", "deep.md"]
    assert b"Deep" not in (tmp_path / "public" / "feed.xml").read_bytes()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a build reads the posts' records (from the cache or the files)."""
    counts: list[int] = []
    original = _BUILD.read_posts

    def counting(files: Any, site: Any, **options: Any) -> Any:
        counts.append(len(files))
        return original(files, site, **options)

    monkeypatch.setattr(_BUILD, "read_posts", counting)
    return counts


@pytest.mark.usefixtures("trusted_at_once")
def test_an_unchanged_site_reads_no_record(tmp_path: Path, renders: list[int], reads: list[int]) -> None:
    """The post files' signatures alone tell that nothing changed: not one record is decoded."""
    config = _config(tmp_path, 'formats = ["atom", "rss"]\n\n[feeds]\ntags = true\n')
    first = _build(config)
    again = _build(config)
    assert (len(renders), len(reads)) == (1, 1)
    assert [(p.path, p.entries, p.changed) for p in again] == [(p.path, p.entries, False) for p in first]
    (tmp_path / "posts" / "post-00003.md").write_text(post_text(3, edit=1), encoding="utf-8")
    _build(config)
    assert (len(renders), len(reads)) == (2, 2)


@pytest.mark.usefixtures("trusted_at_once")
def test_invalid_posts_are_reported_by_every_build(tmp_path: Path, reads: list[int]) -> None:
    config = _config(tmp_path)
    (tmp_path / "posts" / "bad.md").write_text("---\ntitle: [\n---\nBody\n", encoding="utf-8")
    skipped: list[feedlib.PostError] = []
    for _ in range(3):
        feedlib.build(config, wait=5, skip_invalid=True, on_skip=skipped.append)
    assert [error.path.name for error in skipped] == ["bad.md"] * 3
    assert len(reads) == 3


@pytest.mark.usefixtures("trusted_at_once")
@pytest.mark.parametrize(
    "memo",
    [
        {"listing": 1},
        {"until": "soon"},
        {"outline": "x"},
        {"outline": [["atom", "feed.xml", "8", None]]},
        {"outline": [["atom", "feed.xml", 8]]},
    ],
)
def test_a_damaged_listing_is_ignored(tmp_path: Path, reads: list[int], memo: dict[str, Any]) -> None:
    config = _config(tmp_path)
    _build(config)
    outputs = tmp_path / ".feedlib-cache" / OUTPUTS_FILE
    data = json.loads(outputs.read_text(encoding="utf-8"))
    assert data["listing"]
    outputs.write_text(json.dumps({**data, **memo}), encoding="utf-8")
    published = _build(config)
    assert len(reads) == 2
    assert not any(p.changed for p in published)
    _build(config)
    assert len(reads) == 2  # Remembered again.

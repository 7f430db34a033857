"""Reading and rendering on every core: the same feeds, errors and cache as one process."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cron_helpers import post_text, write_site

import feedlib
import feedlib.entries
import feedlib.feeds
import feedlib.publish
import feedlib.read
from feedlib.cache import ENTRIES_FILE, INDEX_FILE
from feedlib.parallel import WORKERS_VARIABLE, map_ordered, map_shared, worker_count

_PARENT = os.getpid()


def _square(value: int) -> int:
    return value * value


def _square_here_only(value: int) -> int:
    if os.getpid() != _PARENT and value == 150:
        os._exit(1)  # A worker dies, as one killed by the OOM killer would.
    return value * value


def test_worker_count_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "3")
    assert worker_count() == 3
    monkeypatch.setenv(WORKERS_VARIABLE, "0")
    assert worker_count() == 1
    monkeypatch.delenv(WORKERS_VARIABLE)
    assert worker_count() >= 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_map_ordered_keeps_the_order(monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, workers)
    items = list(range(300))
    assert list(map_ordered(_square, items, minimum=10)) == [n * n for n in items]


def test_a_dead_worker_does_not_fail_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    items = list(range(300))
    assert list(map_ordered(_square_here_only, items, minimum=10)) == [n * n for n in items]


def _indexed(table: dict[int, str], key: int) -> tuple[str, int]:
    if os.getpid() != _PARENT and key == 3:
        os._exit(1)
    return table[key], os.getpid()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_map_shared_gives_each_call_the_shared_value(monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, workers)
    table = {key: f"value {key}" for key in range(3)}
    results = list(map_shared(_indexed, table, [2, 0, 1, 2], minimum=2))
    assert [value for value, _ in results] == ["value 2", "value 0", "value 1", "value 2"]
    assert ({pid for _, pid in results} == {os.getpid()}) == (workers == "1")
    # Too few items for a pool: every call runs here.
    assert {pid for _, pid in map_shared(_indexed, table, [0, 1], minimum=3)} == {os.getpid()}


def test_map_shared_goes_on_here_when_a_worker_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    table = {key: f"value {key}" for key in range(6)}
    results = list(map_shared(_indexed, table, list(range(6)), minimum=2))
    assert [value for value, _ in results] == [f"value {key}" for key in range(6)]


def _build(config_path: Path, out: Path, cache: Path | None, limit: int | None) -> list[feedlib.Published]:
    config = feedlib.load_config(config_path)
    config = replace(config, build=replace(config.build, out=out, cache=cache, limit=limit))
    return feedlib.build(config, wait=5, skip_invalid=True)


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Every parse and render goes through a two-process pool, however few posts."""
    monkeypatch.setenv(WORKERS_VARIABLE, "2")
    monkeypatch.setattr(feedlib.read, "PARALLEL_READ_MIN", 1)
    monkeypatch.setattr(feedlib.entries, "PARALLEL_RENDER_MIN", 1)
    monkeypatch.setattr(feedlib.feeds, "PARALLEL_ENTRIES_MIN", 1)
    return monkeypatch


@pytest.mark.parametrize("limit", [None, 5])
def test_a_pooled_build_writes_what_a_serial_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: pytest.MonkeyPatch, limit: int | None
) -> None:
    site = write_site(
        tmp_path / "site",
        count=30,
        build_extra='formats = ["atom", "rss", "json"]\nstylesheet = true\n\n[feeds]\ntags = true\n',
    )
    (site.posts / "post-00003.md").write_text(post_text(3) + "\n<!--more-->\nmore", encoding="utf-8")
    pooled_out, pooled_cache = tmp_path / "pooled", tmp_path / "pooled-cache"
    _build(site.config, pooled_out, pooled_cache, limit)
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    serial_out, serial_cache = tmp_path / "serial", tmp_path / "serial-cache"
    _build(site.config, serial_out, serial_cache, limit)
    written = sorted(path.relative_to(serial_out) for path in serial_out.rglob("*") if path.is_file())
    assert len(written) > 10  # Feeds of every tag, in each format, and the stylesheet.
    assert sorted(path.relative_to(pooled_out) for path in pooled_out.rglob("*") if path.is_file()) == written
    for name in written:
        assert (pooled_out / name).read_bytes() == (serial_out / name).read_bytes(), name
    for name in (INDEX_FILE, ENTRIES_FILE):
        assert (pooled_cache / name).read_bytes() == (serial_cache / name).read_bytes()
    # Warm, from the pooled cache, in one process: nothing changes.
    published = _build(site.config, pooled_out, pooled_cache, limit)
    assert not any(item.changed for item in published)


def test_a_pooled_build_reports_the_same_errors_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", count=12)
    (site.posts / "post-00004.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    (site.posts / "post-00009.md").write_text("---\ndate: 2024-13-45\n---\nbody\n", encoding="utf-8")
    (site.posts / "post-00010.md").write_bytes(b"---\ntitle: x\n---\n\xff\n")
    config = feedlib.load_config(site.config)

    def problems() -> list[str]:
        with pytest.raises(feedlib.PostErrors) as caught:
            feedlib.build(replace(config, build=replace(config.build, cache=None)), wait=5)
        return [str(error) for error in caught.value.errors]

    pooled_problems = problems()
    monkeypatch.setenv(WORKERS_VARIABLE, "1")
    assert pooled_problems == problems()
    assert [Path(line.split(":")[0]).name for line in pooled_problems] == [
        "post-00004.md",
        "post-00009.md",
        "post-00010.md",
    ]


def test_a_post_that_fails_to_render_in_a_worker_is_a_post_error(
    tmp_path: Path, pooled: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", count=3)
    nested = "---\ntitle: Deep\ndate: 2020-01-02\n---\n" + "* " * 3000 + "deep\n"
    (site.posts / "post-00001.md").write_text(nested, encoding="utf-8")
    config = feedlib.load_config(site.config)
    with pytest.raises(feedlib.PostErrors) as caught:
        feedlib.build(replace(config, build=replace(config.build, cache=None)), wait=5)
    assert [error.path.name for error in caught.value.errors] == ["post-00001.md"]
    assert "nested too deeply" in str(caught.value)


def test_a_pooled_archive_renders_each_post_where_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pooled: pytest.MonkeyPatch
) -> None:
    site = write_site(tmp_path / "site", count=12)
    rendered_later: list[int] = []
    original = feedlib.entries._entries

    def renderings(missing: Any, *args: Any) -> Any:
        rendered_later.append(len(missing))
        return original(missing, *args)

    monkeypatch.setattr(feedlib.entries, "_entries", renderings)
    _build(site.config, tmp_path / "out", tmp_path / "cache", None)
    assert rendered_later == [0]
    # A feed of the newest five reads every post but renders only those five, afterwards.
    rendered_later.clear()
    _build(site.config, tmp_path / "out-5", tmp_path / "cache-5", 5)
    assert rendered_later == [5]

"""Golden feeds for the bundled example site, and byte-for-byte determinism of builds.

tests/golden/feed.xml and tests/golden/rss.xml are what `feedlib build` writes for
posts/ with the repository's feedlib.toml and --now 2026-01-01T00:00:00+00:00.
After a change that is meant to alter the output, review the diff, then regenerate:

    FEEDLIB_UPDATE_GOLDEN=1 /work/venv/bin/python -m pytest tests/test_golden.py

Only that environment variable makes a test write into the repository.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import (
    CANONICAL_TITLE,
    GOLDEN,
    NOW,
    REPO_CONFIG,
    check_feed,
    make_project,
    run_main,
    run_module,
    snapshot,
)

UPDATE = os.environ.get("FEEDLIB_UPDATE_GOLDEN") == "1"
FILES = {"feed.xml": "atom", "rss.xml": "rss"}
#: Published posts in posts/: not the draft, the unpublished post or _template.md.
BUNDLED_ENTRIES = 7


def bundled_args(out: Path, now: str = NOW) -> list[str | Path]:
    """``feedlib build`` of the bundled site into ``out``, Atom and RSS, cut off at ``now``."""
    formats = ["--format", "atom", "--format", "rss"]
    return ["build", "--config", REPO_CONFIG, "--out", out, "--now", now, *formats]


def build_bundled(out: Path, now: str = NOW, *extra: str) -> dict[str, bytes]:
    argv = [
        *bundled_args(out, now),
        # The cache would go beside the repository's feedlib.toml.
        "--cache",
        out.parent / ".feedlib-cache",
    ]
    assert run_main(*argv, *extra) == 0
    return feeds(out)


def feeds(out: Path) -> dict[str, bytes]:
    """The files a build published in ``out`` (its lock file left out)."""
    return {name: data for name, data in snapshot(out).items() if name != ".feedlib.lock"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build_bundled(tmp_path_factory.mktemp("golden") / "public")


@pytest.mark.parametrize("name", sorted(FILES))
def test_golden(built: dict[str, bytes], name: str):
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(built[name])
    assert golden.exists(), f"{golden} is missing; see the top of {Path(__file__).name} to generate it"
    assert built[name] == golden.read_bytes(), f"{name} differs from {golden}; review, then regenerate"


@pytest.mark.parametrize("name", sorted(FILES))
def test_golden_files_are_valid_feeds(name: str):
    data = (GOLDEN / name).read_bytes()
    parsed = check_feed(data, FILES[name], count=BUNDLED_ENTRIES)
    titles = [entry.title for entry in parsed.entries]
    assert titles[0] == "日付だけの投稿"  # the newest
    assert CANONICAL_TITLE in titles
    assert "An unpublished post" not in titles
    assert "Next steps (draft)" not in titles
    assert "A template for new posts" not in titles
    assert titles[-1] == "Date From The File Name"


def test_builds_are_byte_identical_across_folders_and_cutoffs(built: dict[str, bytes], tmp_path: Path):
    again = build_bundled(tmp_path / "a" / "public")
    later = build_bundled(tmp_path / "b" / "out", "2031-06-30T12:00:00+09:00")
    naive = build_bundled(tmp_path / "c" / "public", "2026-01-01 09:00")
    assert again == later == naive == built
    assert set(built) == set(FILES)


def test_clock_never_changes_the_output(built: dict[str, bytes], tmp_path: Path, freeze_clock, capsys):
    freeze_clock(datetime(2027, 3, 4, 5, 6, 7, tzinfo=UTC))
    first = build_bundled(tmp_path / "one")
    freeze_clock(datetime(2040, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-10))))
    second = build_bundled(tmp_path / "two")
    # Without --now the (frozen) clock is only the cut-off for future posts.
    three = tmp_path / "three"
    assert run_main("build", "--config", REPO_CONFIG, "--out", three, "--cache", tmp_path / "cache") == 0
    assert first == second == feeds(three) == built


def test_building_over_the_same_files_changes_nothing(tmp_path: Path):
    out = tmp_path / "public"
    first = build_bundled(out)
    assert build_bundled(out) == first


def test_machine_timezone_does_not_matter_for_the_bundled_site(tmp_path: Path, built: dict[str, bytes]):
    for tz in ("UTC", "America/New_York", "Pacific/Chatham"):
        out = tmp_path / tz.replace("/", "-")
        result = run_module(*bundled_args(out), "--no-cache", cwd=tmp_path, env={"TZ": tz})
        assert result.returncode == 0, result.stderr
        assert feeds(out) == built


def test_machine_timezone_does_not_change_a_post_date(tmp_path: Path):
    post = "---\ntitle: Abbreviated zone\ndate: 2025-10-08 08:40:48 JST\n---\nBody.\n"
    root = make_project(tmp_path / "site", {"post.md": post})
    outputs = []
    for tz in ("UTC", "Asia/Tokyo"):
        result = run_module("build", "--now", NOW, "--out", tz.replace("/", "-"), cwd=root, env={"TZ": tz})
        assert result.returncode in (0, 1), result.stderr
        outputs.append((result.returncode, snapshot(root / tz.replace("/", "-"))))
    assert outputs[0] == outputs[1]

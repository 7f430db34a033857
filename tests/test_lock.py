"""One build at a time: the output folder's lock, waited for and given up on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cron_helpers import assert_feed_parses, feed_bytes, post_text, write_site

import feedlib
from feedlib.cli import main
from feedlib.lock import LOCK_NAME, output_lock


def test_lock_timeout_exits_3_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", count=3)
    with output_lock(site.out, 0):
        status = main(["build", "--config", str(site.config), "--wait", "0.2"])
    captured = capsys.readouterr()
    assert status == 3
    assert captured.out == ""
    assert captured.err == f"feedlib: another build holds {site.out}; gave up after 0.2 s\n"
    assert list(site.out.iterdir()) == []


def test_lock_timeout_is_a_feedlib_error(tmp_path: Path) -> None:
    with (
        output_lock(tmp_path, 0),
        pytest.raises(feedlib.LockTimeout) as caught,
        output_lock(tmp_path, 0),
    ):
        pass
    assert isinstance(caught.value, feedlib.FeedlibError)
    assert caught.value.path == tmp_path


def test_the_lock_is_on_the_folder_whatever_names_it(tmp_path: Path) -> None:
    """A lock on the folder itself: nothing in it, and a link to it is the same lock."""
    (tmp_path / "public").mkdir()
    (tmp_path / "link").symlink_to("public")
    with (
        output_lock(tmp_path / "public", 0),
        pytest.raises(feedlib.LockTimeout),
        output_lock(tmp_path / "link" / ".", 0),
    ):
        pass
    assert list((tmp_path / "public").iterdir()) == []


def test_a_build_removes_the_lock_file_of_an_earlier_version(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", count=1)
    site.out.mkdir()
    (site.out / LOCK_NAME).write_bytes(b"")
    assert main(["build", "-q", "--config", str(site.config)]) == 0
    assert sorted(path.name for path in site.out.iterdir()) == ["feed.xml", "rss.xml"]


def test_the_lock_is_released_after_a_build(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", count=3)
    config = feedlib.load_config(site.config)
    feedlib.build(config, wait=0)
    with output_lock(site.out, 0):
        pass
    feedlib.build(config, wait=0)


def test_a_negative_wait_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", count=1)
    assert main(["build", "--config", str(site.config), "--wait", "-1"]) == 2
    assert capsys.readouterr().err == "feedlib: --wait must be 0 or more seconds, got -1\n"


@pytest.mark.slow
def test_simultaneous_builds_all_finish_with_a_complete_current_result(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", count=120, limit=0)
    assert main(["build", "-q", "--config", str(site.config)]) == 0
    for number in range(0, 120, 3):
        (site.posts / f"post-{number:05d}.md").write_text(post_text(number, edit=1), encoding="utf-8")
    (site.posts / "post-00120.md").write_text(post_text(120), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "feedlib", "build", "--config", str(site.config), "--wait", "120"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [process.communicate(timeout=180) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], results
    assert all(err == "" for _, err in results)
    # One of them wrote the new feeds; the others, waiting their turn, found them up to date.
    assert sum(out.startswith("wrote ") for out, _ in results) == 1
    assert sum(out.startswith("up to date ") for out, _ in results) == 3
    fresh = tmp_path / "fresh"
    assert main(["build", "-q", "--config", str(site.config), "--out", str(fresh), "--no-cache"]) == 0
    assert feed_bytes(site.out) == feed_bytes(fresh)
    for name in ("feed.xml", "rss.xml"):
        assert_feed_parses(site.out / name)
    assert sorted(path.name for path in site.out.iterdir()) == ["feed.xml", "rss.xml"]

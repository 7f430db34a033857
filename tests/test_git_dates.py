"""Dates from git history (``[build] dates = "git"``), tested in temporary repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from helpers import NS, check_output_tree, run_main
from lxml import etree

import feedlib
import feedlib.history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

NOW = datetime.fromisoformat("2030-01-01T00:00:00+00:00")
CONFIG = """\
[site]
url = "https://example.com/"
title = "Git"
timezone = "Asia/Tokyo"

[build]
posts = "posts"
out = "public"
formats = ["atom", "rss", "json"]
dates = "git"
"""


def git(repo: Path, *args: str, when: str = "2025-01-01T10:00:00+09:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def commit(repo: Path, when: str, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", when, when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "feedlib.toml").write_text(CONFIG, encoding="utf-8")
    commit(
        root,
        "2025-01-01T10:00:00+09:00",
        {
            "posts/undated.md": "---\ntitle: Undated\n---\nFirst words.\n",
            "posts/dated.md": "---\ntitle: Dated\ndate: 2024-06-01 09:00:00 +0900\n---\nBody.\n",
            "posts/old-name.md": "---\ntitle: Moved\n---\nMoved later.\n",
        },
    )
    commit(root, "2025-02-01T12:30:00+01:00", {"posts/undated.md": "---\ntitle: Undated\n---\nMore words.\n"})
    git(root, "mv", "posts/old-name.md", "posts/new-name.md")
    commit(
        root,
        "2025-03-01T08:00:00+00:00",
        {"posts/dated.md": "---\ntitle: Dated\ndate: 2024-06-01 09:00:00 +0900\n---\nEdited.\n"},
    )
    return root


def entries(out: Path) -> dict[str, tuple[str, str]]:
    atom = etree.fromstring((out / "feed.xml").read_bytes())
    return {
        entry.findtext("a:title", namespaces=NS): (
            entry.findtext("a:published", namespaces=NS),
            entry.findtext("a:updated", namespaces=NS),
        )
        for entry in atom.iterfind("a:entry", namespaces=NS)
    }


def build(root: Path) -> list[feedlib.Published]:
    return feedlib.build(feedlib.load_config(root / "feedlib.toml"), now=NOW)


def test_published_is_the_first_commit_and_updated_the_last(repo: Path):
    build(repo)
    assert entries(repo / "public") == {
        # No date in the front matter or the name: the first commit's; updated: the last one's.
        "Undated": ("2025-01-01T10:00:00+09:00", "2025-02-01T12:30:00+01:00"),
        # The front matter's date wins; updated is the last commit's.
        "Dated": ("2024-06-01T09:00:00+09:00", "2025-03-01T08:00:00+00:00"),
        # Renamed: its history goes back through the rename.
        "Moved": ("2025-01-01T10:00:00+09:00", "2025-03-01T08:00:00+00:00"),
    }
    check_output_tree(repo / "public")


def test_one_git_log_for_the_whole_folder(repo: Path, monkeypatch: pytest.MonkeyPatch):
    calls: list[list[str]] = []
    run = subprocess.run

    def counting(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(args)
        return run(args, **kwargs)  # type: ignore[call-overload,no-any-return]

    for index in range(30):
        (repo / "posts" / f"extra-{index}.md").write_text(f"---\ntitle: E{index}\n---\nx\n", "utf-8")
    commit(repo, "2025-04-01T00:00:00+00:00", {})
    monkeypatch.setattr(feedlib.history.subprocess, "run", counting)
    build(repo)
    assert [args[3] for args in calls] == ["rev-parse", "log"]
    assert all(isinstance(args, list) for args in calls)  # No shell.


def test_a_new_commit_reaches_a_cached_build(repo: Path):
    build(repo)
    # Edited and built before it is committed: updated is still the last commit's.
    (repo / "posts" / "undated.md").write_text("---\ntitle: Undated\n---\nEdited again.\n", "utf-8")
    build(repo)
    assert entries(repo / "public")["Undated"][1] == "2025-02-01T12:30:00+01:00"
    # Committing changes no byte of the post, but its updated time.
    commit(repo, "2025-05-05T05:05:05+05:00", {})
    published = build(repo)
    assert entries(repo / "public")["Undated"][1] == "2025-05-05T05:05:05+05:00"
    assert any(item.changed for item in published)
    assert not any(item.changed for item in build(repo))


def test_the_same_commit_gives_the_same_feeds_on_another_checkout(repo: Path, tmp_path: Path):
    build(repo)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True, capture_output=True)
    build(clone)
    for name in ("feed.xml", "rss.xml", "feed.json"):
        assert (clone / "public" / name).read_bytes() == (repo / "public" / name).read_bytes()


def test_an_uncommitted_post_without_a_date_is_an_error(repo: Path):
    (repo / "posts" / "new.md").write_text("---\ntitle: New\n---\nNot committed.\n", "utf-8")
    with pytest.raises(feedlib.PostErrors, match=r"new\.md: no date"):
        build(repo)


def test_outside_a_repository_is_one_line_naming_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    site = tmp_path / "plain"
    (site / "posts").mkdir(parents=True)
    (site / "posts" / "2025-01-01-a.md").write_text("---\ntitle: A\n---\nA.\n", "utf-8")
    (site / "feedlib.toml").write_text(CONFIG, encoding="utf-8")
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        status = run_main("build", "--config", site / "feedlib.toml", "--now", NOW.isoformat())
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and f"{site / 'posts'}: not in a git repository" in err
    assert not (site / "public" / "feed.xml").exists()


def test_dates_must_be_a_known_source(tmp_path: Path):
    (tmp_path / "feedlib.toml").write_text(CONFIG.replace('dates = "git"', 'dates = "svn"'), "utf-8")
    message = r"build\.dates must be one of front-matter, git, got .svn."
    with pytest.raises(feedlib.ConfigError, match=message):
        feedlib.load_config(tmp_path / "feedlib.toml")

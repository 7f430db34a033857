"""Helpers for the unattended-publishing tests: small generated sites, runs, snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import feedparser
from lxml import etree

FEED_NAMES = ("feed.xml", "rss.xml")
SITE_URL = "https://example.com/blog/"
_REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SiteFiles:
    """A generated site: its config file, posts folder, output folder and cache folder."""

    root: Path
    config: Path
    posts: Path
    out: Path
    cache: Path


def post_text(number: int, *, edit: int = 0, words: int = 40) -> str:
    """A valid post with Markdown worth rendering: a link, a list, a code block, a footnote."""
    day = 1 + number % 28
    month = 1 + (number // 28) % 12
    year = 2020 + number // (28 * 12)
    body = " ".join(f"word{(number * 7 + i) % 97}" for i in range(words))
    return (
        "---\n"
        f'title: "Post {number} edit {edit}"\n'
        f"date: {year:04d}-{month:02d}-{day:02d} 08:{number % 60:02d}:00 +0900\n"
        f"tags: [t{number % 5}, shared]\n"
        f"author: Writer {number % 3}\n"
        "---\n"
        f"First paragraph of post {number}, edit {edit}, with [a link](../other/{number}.html).\n\n"
        f"{body}\n\n"
        "- one\n- two[^1]\n\n"
        "```python\nprint('hello')\n```\n\n"
        f"[^1]: A footnote for {number}.\n"
    )


def write_site(
    root: Path,
    count: int = 6,
    *,
    limit: int = 20,
    build_extra: str = "",
    site_extra: str = "",
    words: int = 40,
) -> SiteFiles:
    """A site with ``count`` generated posts under ``root``."""
    posts = root / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (posts / f"post-{number:05d}.md").write_text(post_text(number, words=words), encoding="utf-8")
    config = root / "feedlib.toml"
    config.write_text(
        "[site]\n"
        f'url = "{SITE_URL}"\n'
        'title = "Test site"\n'
        'timezone = "Asia/Tokyo"\n'
        f"{site_extra}"
        "[build]\n"
        'posts = "posts"\n'
        'out = "public"\n'
        f"limit = {limit}\n"
        f"{build_extra}",
        encoding="utf-8",
    )
    return SiteFiles(root, config, posts, root / "public", root / ".feedlib-cache")


def run_feedlib(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m feedlib ARGS`` in a child process, as cron would run it."""
    env = {**os.environ, "PYTHONPATH": str(_REPO)}
    return subprocess.run(
        [sys.executable, "-m", "feedlib", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_feed_parses(path: Path) -> None:
    """The file is complete, well-formed XML, and feedparser reads it without complaint."""
    content = path.read_bytes()
    etree.fromstring(content)
    parsed = feedparser.parse(content)
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"


def temporaries(folder: Path) -> list[str]:
    """Temporary files left in ``folder``."""
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``folder``: its bytes, modification time and inode."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            result[path.relative_to(folder).as_posix()] = (path.read_bytes(), info.st_mtime_ns, info.st_ino)
    return result


def feed_bytes(out: Path) -> dict[str, bytes]:
    """The published feeds in ``out``, by file name."""
    return {name: (out / name).read_bytes() for name in FEED_NAMES if (out / name).exists()}

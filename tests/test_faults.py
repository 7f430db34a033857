"""Never torn, never lost: builds killed (SIGKILL) at many points, full disks, folders that cannot exist."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cron_helpers import (
    FEED_NAMES,
    SiteFiles,
    assert_feed_parses,
    feed_bytes,
    post_text,
    run_feedlib,
    temporaries,
    write_site,
)

from feedlib.cache import ENTRIES_FILE, INDEX_FILE
from feedlib.cli import main

# The driver runs a normal `feedlib` command line, after arming one point of the
# build to SIGKILL its own process on the Nth call: no cleanup code can run.
DRIVER = r'''
import os, signal, sys, tempfile

point, nth, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

import feedlib.cache, feedlib.cli, feedlib.entries, feedlib.mdtree, feedlib.read, feedlib.render

calls = 0


def due():
    global calls
    calls += 1
    return calls == nth


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def around(module, name):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        if due():
            die()
        return original(*args, **kwargs)

    setattr(module, name, wrapper)


class Torn:
    """A file whose write stops halfway, then the process dies."""

    def __init__(self, file):
        self.file = file

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.file.__exit__(*exc)

    def write(self, data):
        if due():
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            die()
        return self.file.write(data)

    def __getattr__(self, name):
        return getattr(self.file, name)


if point == "render_markdown":
    # Both imported from their modules when a post is first rendered.
    around(feedlib.mdtree, "tree_render")
    around(feedlib.render, "render_markdown")
elif point == "to_entry":
    around(feedlib.entries, "to_entry")
elif point in ("fsync", "replace"):
    around(os, point)
elif point == "write":
    fdopen = os.fdopen
    os.fdopen = lambda *args, **kwargs: Torn(fdopen(*args, **kwargs))
elif point == "cache":
    write_atomic = feedlib.cache.write_atomic

    def half_written(path, content):
        if due():
            fd, _ = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.write(fd, content[: len(content) // 2])
            die()
        return write_atomic(path, content)

    feedlib.cache.write_atomic = half_written
else:
    raise SystemExit(f"unknown point {point}")
sys.exit(feedlib.cli.main(argv))
'''

# How many times each point is reached in the killed build below, with and
# without a cache; the kill comes at a call drawn from 1..that.
CALLS = {
    ("render_markdown", True): 2,
    ("render_markdown", False): 10,
    ("to_entry", True): 2,
    ("to_entry", False): 10,
    ("fsync", True): 6,
    ("fsync", False): 4,
    ("replace", True): 3,
    ("replace", False): 2,
    ("write", True): 3,
    ("write", False): 2,
    ("cache", True): 1,
}


def _cases() -> list[tuple[str, bool, int]]:
    rng = random.Random(20251127)
    cases = []
    for (point, cached), calls in sorted(CALLS.items()):
        picks = sorted({rng.randint(1, calls) for _ in range(3)} | {calls})
        cases.extend((point, cached, nth) for nth in picks)
    return cases


def _quiet_main(*args: str | Path) -> int:
    return main([str(arg) for arg in args])


def _edit(site: SiteFiles) -> None:
    """Changes that alter both feeds: an edit, a new post, a deletion."""
    (site.posts / "post-00003.md").write_text(post_text(3, edit=1), encoding="utf-8")
    (site.posts / "post-00012.md").write_text(post_text(12), encoding="utf-8")
    (site.posts / "post-00000.md").unlink()


def _expected(site: SiteFiles, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "expected"
    assert _quiet_main("build", "-q", "--config", site.config, "--out", out, "--no-cache") == 0
    return feed_bytes(out)


def _assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    for name in FEED_NAMES:
        content = (out / name).read_bytes()
        assert content in (old[name], new[name]), f"{name} is neither the old nor the new feed"
        assert_feed_parses(out / name)


def _assert_recovers(site: SiteFiles, new: dict[str, bytes], *extra: str) -> None:
    assert _quiet_main("build", "-q", "--config", site.config, *extra) == 0
    assert feed_bytes(site.out) == new
    assert temporaries(site.out) == []
    assert temporaries(site.cache) == []


@pytest.mark.slow
@pytest.mark.parametrize(("point", "cached", "nth"), _cases())
def test_killed_build_leaves_old_or_new_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], point: str, cached: bool, nth: int
) -> None:
    site = write_site(tmp_path / "site", count=12, limit=10)
    extra = () if cached else ("--no-cache",)
    assert _quiet_main("build", "-q", "--config", site.config, *extra) == 0
    old = feed_bytes(site.out)
    _edit(site)
    new = _expected(site, tmp_path)
    assert old != new
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    killed = subprocess.run(
        [sys.executable, str(driver), point, str(nth), "build", "--config", str(site.config), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _assert_old_or_new(site.out, old, new)
    _assert_recovers(site, new, *extra)
    capsys.readouterr()


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_real_sigkill_at_random_moments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    site = write_site(tmp_path / "site", count=300, limit=0, words=200)
    assert _quiet_main("build", "-q", "--config", site.config) == 0
    old = feed_bytes(site.out)
    for number in range(0, 300, 7):
        (site.posts / f"post-{number:05d}.md").write_text(post_text(number, edit=seed + 1), encoding="utf-8")
    new = _expected(site, tmp_path)
    # A cold cache half of the time, so the killed build spends long rendering.
    if seed % 2 == 0:
        for name in (INDEX_FILE, ENTRIES_FILE):
            (site.cache / name).unlink()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    process = subprocess.Popen(
        [sys.executable, "-m", "feedlib", "build", "-q", "--config", str(site.config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(random.Random(seed).uniform(0.1, 1.0))
    process.kill()
    process.wait(timeout=60)
    _assert_no_process_left(str(site.config))
    _assert_old_or_new(site.out, old, new)
    _assert_recovers(site, new)
    capsys.readouterr()


def _assert_no_process_left(argument: str) -> None:
    """No process (a pool's worker, say) of the killed build outlives it by more than a few seconds."""

    def left() -> list[str]:
        found = []
        for folder in Path("/proc").iterdir():
            try:
                command = (folder / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if argument.encode() in command:
                found.append(folder.name)
        return found

    deadline = time.monotonic() + 10
    while left() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left() == []


def _failing_writes(monkeypatch: pytest.MonkeyPatch, fail_from: int) -> None:
    """Writes of temporary files fail with ENOSPC, from the ``fail_from``-th one on."""
    original = os.fdopen
    count = 0

    class Full:
        def __init__(self, file: Any) -> None:
            self.file = file

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            nonlocal count
            count += 1
            if count >= fail_from:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            written: int = self.file.write(data)
            return written

        def __getattr__(self, name: str) -> Any:
            return getattr(self.file, name)

    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: Full(original(*args, **kwargs)))


@pytest.mark.parametrize(("fail_from", "replaced"), [(1, ()), (2, ("feed.xml",))])
def test_full_disk_keeps_published_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fail_from: int,
    replaced: tuple[str, ...],
) -> None:
    site = write_site(tmp_path / "site", count=5)
    assert _quiet_main("build", "-q", "--config", site.config, "--no-cache") == 0
    old = feed_bytes(site.out)
    _edit(site)
    new = _expected(site, tmp_path)
    capsys.readouterr()
    _failing_writes(monkeypatch, fail_from)
    status = _quiet_main("build", "--config", site.config, "--no-cache")
    captured = capsys.readouterr()
    assert status == 1
    failed = "rss.xml" if replaced else "feed.xml"
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(str(site.out / failed) + ": cannot write: ")
    assert "No space left on device" in lines[0]
    for name in FEED_NAMES:
        assert (site.out / name).read_bytes() == (new[name] if name in replaced else old[name])
    assert temporaries(site.out) == []
    monkeypatch.undo()
    _assert_recovers(site, new, "--no-cache")


def test_full_disk_for_the_cache_only_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site", count=5)
    _failing_writes(monkeypatch, 1)
    # Only the cache is written: the feeds' own failure is the test above.
    monkeypatch.setattr(sys.modules["feedlib.build"], "write_documents", lambda documents, out: [])
    assert _quiet_main("build", "-q", "--config", site.config) == 0
    err = capsys.readouterr().err
    assert "index.json: cannot write: No space left on device" in err
    assert "the cache was not saved" in err
    assert temporaries(site.cache) == []


def test_uncreatable_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_site(tmp_path / "site", count=3)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    status = _quiet_main("build", "--config", site.config, "--out", blocker / "public")
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out == ""
    assert captured.err == f"{blocker / 'public'}: cannot create the output folder: Not a directory\n"


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", count=3)
    site.out.mkdir(parents=True)
    stale = [".feed.xml.abc123_x.tmp", ".rss.xml.zzzzzzzz.tmp"]
    kept = [".other.xml.abcdefgh.tmp", "feed.xml.tmp", "notes.txt", ".feed.xml.abc.tmp.bak"]
    for name in stale + kept:
        (site.out / name).write_text("x", encoding="utf-8")
    result = run_feedlib("build", "-q", "--config", site.config)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    left = sorted(path.name for path in site.out.iterdir())
    assert left == sorted([*kept, "feed.xml", "rss.xml"])

"""The examples run as a user would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_example(out: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / "build_feed.py"), str(REPO / "posts"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def test_build_feed_says_unchanged_when_nothing_changed(tmp_path: Path):
    out = tmp_path / "public-example"
    first = run_example(out).splitlines()
    names = [str(out / "feed.xml"), str(out / "rss.xml")]
    assert [line.split(" (")[0] for line in first[:2]] == [f"wrote {name}" for name in names]
    assert first[2].startswith("the Atom feed is ")
    second = run_example(out).splitlines()
    assert [line.split(" (")[0] for line in second[:2]] == [f"unchanged {name}" for name in names]
    assert [line.split(" (")[1] for line in second[:2]] == [line.split(" (")[1] for line in first[:2]]
    assert (tmp_path / ".example-cache").is_dir()  # beside the output, never in the repository

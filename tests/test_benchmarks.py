"""The benchmark still runs: a 100-post smoke run of benchmarks/run.py, and a deterministic corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
CASES = ("cold", "cold-libs", "warm", "edit", "archive-cold", "archive-libs", "archive-warm", "archive-cm")


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_corpus_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        subprocess.run(
            [
                sys.executable,
                str(BENCHMARKS / "generate.py"),
                str(tmp_path / name),
                "--posts",
                "12",
                "--hugo",
            ],
            check=True,
        )
    first = _files(tmp_path / "a" / "posts")
    assert len(first) == 12
    assert first == _files(tmp_path / "b" / "posts")
    assert first.keys() == _files(tmp_path / "a" / "hugo" / "content" / "posts").keys()
    text = b"".join(first.values()).decode("utf-8")
    for feature in ("## ", "```", "![", "](", "- ", "date: ", "categories: ", "。"):
        assert feature in text


def test_a_small_benchmark_run_prints_every_case(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--posts",
            "100",
            "--quick",
            "--no-hugo",
            "--dir",
            str(tmp_path / "corpus"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for case in CASES:
        assert any(line.startswith(case + " ") for line in lines), case
    assert any("floor" in line for line in lines)
    assert any("µs/post" in line for line in lines)
    assert any(line.strip().startswith("2 warm wall / floor wall") for line in lines)

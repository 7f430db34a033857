"""Benchmark feedlib against the floor (reading and hashing every post) and against Hugo.

``python benchmarks/run.py --posts 10000`` generates a corpus (benchmarks/generate.py)
and prints, for each case, the median of several runs, the floor
measured in the same run, the ratio to the floor, the peak memory, and the
ratio to Hugo when ``hugo`` is on the PATH. Each case runs in a fresh process,
so peaks are per case; each feedlib build runs in a fresh process too
(benchmarks/once.py, which imports only feedlib and what timing needs), so
its wall time includes starting Python and importing feedlib, as the
``feedlib`` command's does and as Hugo's includes starting Hugo. The floor
(benchmarks/floor.py) runs in a fresh process too, and ratios to it compare
wall times: what a build costs beyond reading every post, start-up included.
Where a case is
compared with Hugo, Hugo builds the same posts right before each feedlib
build, and the ratio printed is the median of the ratios of those pairs:
this machine's speed drifts by up to 1.5x over minutes, and a pair sees the
same drift.

Cases:
  cold          no cache: Atom + RSS of the newest 20
  warm          the same build again, nothing changed
  edit          the newest post edited (it is in the feed), then built; compared with a warm
                build run right after each (the same load) plus what reading and rendering that
                one post costs a fresh process
  archive-cold  every post, full content, no cache (a process pool renders)
  archive-warm  the same, again, nothing changed
  archive-cm    archive-cold with renderer = "commonmark" (cmarkgfm)
  cold-libs     the libraries alone (benchmarks/libs.py): python-frontmatter's YAML handler
                (libyaml) over every post, on every core; nothing else a build does
  archive-libs  the same, and Python-Markdown ("extra") rendering every post
  scale-N       reading the front matter of N posts (feedlib check, no cache), per post
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

_NOW = generate.NOW


# --- in a case process -------------------------------------------------------


def _feedlib(root: Path, *args: str, config: str = "feedlib.toml") -> dict[str, Any]:
    """One build in a fresh process: its wall time, in-process time and peak."""
    argv = [sys.executable, str(HERE / "once.py"), *args, "--config", config]
    if args[0] == "build":
        argv += ["--quiet", "--now", _NOW]
    return _timed(root, argv)


def _libs(root: Path, markdown: bool) -> dict[str, Any]:
    """The libraries alone over every post (benchmarks/libs.py) in a fresh process, timed as a build."""
    argv = [sys.executable, str(HERE / "libs.py"), "posts"] + (["--markdown"] if markdown else [])
    return _timed(root, argv)


def _timed(root: Path, argv: list[str]) -> dict[str, Any]:
    """Run ``argv`` (which prints its in-process times as JSON) in ``root``; add its wall time."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[1:])} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def _hugo(root: Path, limit: str) -> float:
    """Seconds Hugo takes to build the corpus's Hugo site with RSS ``limit`` ("all": every post)."""
    config = generate.hugo_config(root, -1 if limit == "all" else int(limit))
    _fresh(root / "hugo", "public")
    start = time.perf_counter()
    subprocess.run(["hugo", "--quiet", "--config", config.name], cwd=root / "hugo", check=True)
    return time.perf_counter() - start


#: Every case but scaling, in the order they run and are printed.
CASES = ("cold", "cold-libs", "warm", "edit", "archive-cold", "archive-libs", "archive-warm", "archive-cm")
#: The cases compared with Hugo, and the Hugo build each is compared with.
HUGO_PAIRS = {
    "cold": "10",
    "warm": "10",
    "archive-cold": "all",
    "archive-cm": "all",
    "cold-libs": "10",
    "archive-libs": "all",
}


def _floor(root: Path) -> dict[str, Any]:
    """Listing, reading and hashing every post file in a fresh process (benchmarks/floor.py)."""
    return _timed(root, [sys.executable, str(HERE / "floor.py"), "posts"])


def _fresh(root: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(root / name, ignore_errors=True)


def _newest_post(root: Path) -> Path:
    return max((root / "posts").iterdir(), key=lambda path: path.name)


def _render_once(root: Path) -> None:
    """Print the seconds this fresh process takes to read and render the newest post, once.

    That is what rendering one post costs a build: the post's front matter,
    its Markdown, and what the first rendering in a process sets up
    (importing the YAML reader, Python-Markdown and lxml, building the parser).
    """
    import feedlib

    site = feedlib.load_config(root / "feedlib.toml").site
    newest = _newest_post(root)
    start = time.perf_counter()
    feedlib.render_post(feedlib.load_post(newest, site), site)
    print(json.dumps({"render": time.perf_counter() - start}))


def _render_one(root: Path, runs: int) -> dict[str, float]:
    """Seconds to read and render the newest post in a fresh process (median), and to render it again."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--render-once", "--dir", str(root)]
    first = []
    for _ in range(max(3, runs)):
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        first.append(json.loads(done.stdout.strip().splitlines()[-1])["render"])
    import feedlib

    site = feedlib.load_config(root / "feedlib.toml").site
    post = feedlib.load_post(_newest_post(root), site)
    feedlib.render_post(post, site)
    again = []
    for _ in range(max(3, runs * 3)):
        start = time.perf_counter()
        feedlib.render_post(post, site)
        again.append(time.perf_counter() - start)
    return {"render_one": statistics.median(first), "render_again": statistics.median(again)}


def _edits(root: Path, runs: int, command: list[str]) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Builds after editing the newest post (it is in the feed), and what to compare them with.

    Each edited build is followed by a warm one, so the two are compared
    under the same load: this machine's speed drifts over seconds.
    """
    _feedlib(root, *command)
    newest = _newest_post(root)
    original = newest.read_bytes()
    builds, warm_between = [], []
    try:
        for number in range(runs):
            newest.write_bytes(original + f"\nEdited, run {number}.\n".encode())
            builds.append(_feedlib(root, *command))
            warm_between.append(_feedlib(root, *command)["run"])
    finally:
        newest.write_bytes(original)
    return builds, {"warm_between": statistics.median(warm_between), **_render_one(root, runs)}


def _case(name: str, root: Path, runs: int, hugo: bool) -> dict[str, Any]:  # noqa: PLR0912
    """Run case ``name`` ``runs`` times (each after a Hugo build, with ``hugo``); what it measured."""
    builds: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    hugo_walls: list[float] = []
    paired = HUGO_PAIRS.get(name) if hugo else None

    def pair() -> None:
        if paired is not None:
            hugo_walls.append(_hugo(root, paired))

    cold = ["build", "--limit", "20"]
    archive = ["build", "--limit", "0", "--out", "public-archive", "--cache", ".cache-archive"]
    if name == "floor":
        builds = [_floor(root) for _ in range(runs)]
    if name == "cold":
        for _ in range(runs):
            pair()
            _fresh(root, ".feedlib-cache", "public")
            builds.append(_feedlib(root, *cold))
    elif name == "warm":
        _feedlib(root, *cold)
        for _ in range(runs):
            pair()
            builds.append(_feedlib(root, *cold))
    elif name == "edit":
        builds, edit_extra = _edits(root, runs, cold)
        extra.update(edit_extra)
    elif name == "archive-cold":
        for _ in range(runs):
            pair()
            _fresh(root, ".cache-archive", "public-archive")
            builds.append(_feedlib(root, *archive))
    elif name == "archive-warm":
        if not (root / ".cache-archive").is_dir():
            _feedlib(root, *archive)
        builds = [_feedlib(root, *archive) for _ in range(runs)]
    elif name == "archive-cm":
        config = root / "feedlib-cm.toml"
        text = generate.FEEDLIB_TOML.replace('cache = ".feedlib-cache"', 'renderer = "commonmark"')
        config.write_text(text, encoding="utf-8")
        for _ in range(runs):
            pair()
            _fresh(root, ".cache-cm", "public-cm")
            args = ["build", "--limit", "0", "--out", "public-cm", "--cache", ".cache-cm"]
            builds.append(_feedlib(root, *args, config=config.name))
    elif name in ("cold-libs", "archive-libs"):
        for _ in range(runs):
            pair()
            builds.append(_libs(root, markdown=name == "archive-libs"))
    elif name.startswith("scale-"):
        for _ in range(runs):
            _fresh(root, ".feedlib-cache")  # check reads the cache a build left
            builds.append(_feedlib(root, "check"))
    elif name != "floor":
        raise SystemExit(f"unknown case {name}")
    return {
        "wall": [build["wall"] for build in builds],
        "run": [build["run"] for build in builds],
        "import": [build["import"] for build in builds],
        "rss_main": max((build.get("rss", 0) for build in builds), default=0),
        # The builds' own workers, not Hugo (which runs as a child of this process too).
        "rss_any": max((build.get("rss_workers", 0) for build in builds), default=0),
        "hugo": hugo_walls,
        **extra,
    }


# --- the driver ----------------------------------------------------------------


def _run_case(name: str, root: Path, runs: int, hugo: bool = False) -> dict[str, Any]:
    argv = [sys.executable, str(Path(__file__).resolve()), "--case", name, "--dir", str(root)]
    argv += ["--runs", str(runs)] + ([] if hugo else ["--no-hugo"])
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"case {name} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _corpus(root: Path, posts: int, seed: int, hugo: bool) -> None:
    """Generate the corpus in ``root`` unless the same one is there already."""
    marker = root / "corpus.json"
    wanted = {"posts": posts, "seed": seed, "hugo": hugo, "generator": generate.__doc__}
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    generate.generate(root, posts, seed, hugo)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    print(f"generated {posts} posts in {root} ({time.perf_counter() - started:.1f} s)", flush=True)


def _compile_feedlib() -> None:
    """Compile feedlib's modules to bytecode once, as installing a package does.

    An editable install leaves that to the first import, which cannot write it
    where PYTHONDONTWRITEBYTECODE is set: every build would compile every
    module again, a cost no installed copy pays.
    """
    import compileall

    import feedlib

    compileall.compile_dir(Path(feedlib.__file__).parent, quiet=1)


def _mb(kilobytes: float) -> str:
    return f"{kilobytes / 1024:.0f}"


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value is not None and base else "-"


def _row(*cells: object) -> str:
    widths = (13, 9, 9, 9, 7, 7, 9, 7)
    return "  ".join(
        str(cell).rjust(width) if i else str(cell).ljust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=False))
    )


def main() -> None:  # noqa: PLR0912, PLR0915
    """The command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (the median is printed)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, help="where the corpus lives (default: a folder under /tmp)")
    parser.add_argument(
        "--scaling", help="sizes for the scaling case, e.g. 1000,10000,100000 (default: N/10,N)"
    )
    parser.add_argument("--quick", action="store_true", help="one run per case (a smoke test)")
    parser.add_argument("--no-hugo", action="store_true", help="do not run Hugo even if it is on the PATH")
    parser.add_argument("--cases", help="comma-separated cases to run (default: all)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--render-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_once:
        _render_once(args.dir)
        return
    hugo = shutil.which("hugo") is not None and not args.no_hugo
    if args.case:
        print(json.dumps(_case(args.case, args.dir, args.runs, hugo)))
        return

    runs = 1 if args.quick else args.runs
    root = args.dir or Path("/tmp") / f"feedlib-bench-{args.posts}-{args.seed}"
    _corpus(root, args.posts, args.seed, hugo)
    _compile_feedlib()
    wanted = set(args.cases.split(",")) if args.cases else None

    def run(name: str, where: Path = root) -> dict[str, Any] | None:
        if wanted is not None and name not in wanted and name.split("-", maxsplit=1)[0] not in wanted:
            return None
        return _run_case(name, where, runs, hugo)

    floor = _run_case("floor", root, max(runs, 3))
    floor_s, floor_in = statistics.median(floor["wall"]), statistics.median(floor["run"])
    results = {name: run(name) for name in CASES}
    sizes = (
        [int(size) for size in args.scaling.split(",")]
        if args.scaling
        else [max(10, args.posts // 10), args.posts]
    )
    scaling: dict[int, dict[str, Any] | None] = {}
    for size in sizes:
        where = root if size == args.posts else root.parent / f"{root.name}-scale-{size}"
        if where != root and (wanted is None or "scale" in wanted):
            _corpus(where, size, args.seed, False)
        scaling[size] = run(f"scale-{size}", where)

    print()
    print(f"feedlib benchmark: {args.posts} posts, median of {runs} run(s), {os.cpu_count()} CPUs")
    print(f"floor (list, read and hash every post, fresh process): {floor_s:.3f} s", end=" ")
    print(f"({floor_in:.3f} s in-process)")
    print(_row("case", "wall s", "build s", "x floor", "peak MB", "wkr MB", "Hugo s", "x Hugo"))
    medians: dict[str, float] = {}
    # Each paired case's own Hugo runs; a case without them is compared with its neighbour's.
    hugo_wall: dict[str, float] = {}
    against_hugo: dict[str, float] = {}
    for name in HUGO_PAIRS:
        result = results[name]
        if result and result["hugo"]:
            hugo_wall[name] = statistics.median(result["hugo"])
            pairs = zip(result["wall"], result["hugo"], strict=True)
            against_hugo[name] = statistics.median(wall / hugo_s for wall, hugo_s in pairs)
    neighbours = {"edit": "warm", "archive-warm": "archive-cold"}
    for name in CASES:
        result = results[name]
        if result is None:
            continue
        wall, build = statistics.median(result["wall"]), statistics.median(result["run"])
        medians[name] = build
        medians[name + "/wall"] = wall
        hugo_s = hugo_wall.get(name, hugo_wall.get(neighbours.get(name, "")))
        ratio = against_hugo.get(name)
        print(
            _row(
                name,
                f"{wall:.3f}",
                f"{build:.3f}",
                _ratio(wall, floor_s),
                _mb(result["rss_main"]),
                _mb(result["rss_any"]),
                f"{hugo_s:.3f}" if hugo_s else "-",
                f"{ratio:.2f}" if ratio is not None else _ratio(wall, hugo_s),
            )
        )
    if against_hugo:
        print("(x Hugo: the median of the ratios of runs paired with a Hugo build of the same posts)")
    print()
    print("scaling (feedlib check, no cache: read, hash and parse front matter of every post)")
    for size, result in scaling.items():
        if result:
            build = statistics.median(result["run"])
            per_post = build / size * 1e6
            peak = _mb(result["rss_main"])
            print(f"  {size:>7} posts  {build:8.3f} s  {per_post:8.1f} µs/post  peak {peak} MB")
    print()
    print("targets")
    checks: list[tuple[str, float | None, float]] = []
    if "cold" in against_hugo:
        checks.append(("1 cold newest-20 wall / Hugo newest-10 < 0.7", against_hugo["cold"], 0.7))
    if "cold-libs" in against_hugo:
        checks.append(("  (the libraries alone: YAML of every post)", against_hugo["cold-libs"], 0.7))
    if "warm" in medians:
        warm = results["warm"]
        assert warm is not None
        imports = statistics.median(warm["import"])
        start = medians["warm/wall"] - imports - medians["warm"]
        print(
            f"  (warm: Python's start-up {start:.3f} s, importing feedlib {imports:.3f} s,"
            f" the build {medians['warm']:.3f} s)"
        )
        checks.append(("2 warm wall / floor wall < 1.5", medians["warm/wall"] / floor_s, 1.5))
        if "warm" in against_hugo:
            checks.append(("2 warm wall / Hugo newest-10 < 0.15", against_hugo["warm"], 0.15))
    edit = results.get("edit")
    if edit:
        bound = edit["warm_between"] + edit["render_one"]
        print(
            f"  (warm builds between the edited ones: {edit['warm_between']:.3f} s;"
            f" reading and rendering the edited post, fresh process: {edit['render_one'] * 1000:.1f} ms,"
            f" rendering it again in the same process: {edit['render_again'] * 1000:.1f} ms;"
            f" warm + the first: {bound:.3f} s)"
        )
        checks.append(("4 edit build / (warm + render one) < 1", medians["edit"] / bound, 1))
    if "archive-cold" in against_hugo:
        checks.append(("3 archive cold wall / Hugo all <= 1", against_hugo["archive-cold"], 1))
    if "archive-libs" in against_hugo:
        checks.append(("  (the libraries alone: YAML, Python-Markdown)", against_hugo["archive-libs"], 1))
    if "archive-cm" in against_hugo:
        checks.append(("3 archive cold, commonmark / Hugo all <= 1", against_hugo["archive-cm"], 1))
    if "archive-cold" in medians and "archive-warm" in medians:
        checks.append(
            ("4 archive warm / archive cold < 0.3", medians["archive-warm"] / medians["archive-cold"], 0.3)
        )
    for name in ("archive-cold", "archive-cm"):
        result = results.get(name)
        if result:
            peak_gb = max(result["rss_main"], result["rss_any"]) / 1024 / 1024
            checks.append((f"4 {name} peak of any one process, GB < 1", peak_gb, 1))
    per_post = [statistics.median(r["run"]) / size for size, r in scaling.items() if r]
    if len(per_post) > 1:
        checks.append(("4 per-post cost, largest / smallest size < 1.5", per_post[-1] / per_post[0], 1.5))
    for label, value, limit in checks:
        met = (
            "met"
            if (value is not None and value < limit) or (label.endswith("<= 1") and value <= 1)
            else "NOT met"
        )
        if label.startswith("  ("):
            # A reference, not a target: how much of the target the libraries take on their own.
            met = f"({value / limit:.0%} of what the target allows)"
        print(f"  {label:<50} {value:7.2f}  {met}")


if __name__ == "__main__":
    main()

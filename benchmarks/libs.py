"""What the libraries a build must use take on their own: the least any build of the same posts could take.

``python benchmarks/libs.py POSTS_DIR [--markdown]`` reads every post file,
splits it and loads its YAML with python-frontmatter's YAML handler
(libyaml's CSafeLoader, as feedlib does) and, with ``--markdown``, renders
each body with Python-Markdown and its "extra" extensions (feedlib's default
renderer), in a process pool of one worker per CPU; then it prints, as JSON,
what benchmarks/once.py prints for a build (seconds importing and running,
peak memory). Nothing else: no hashing, no checks, no URLs, no cache, no
feed. benchmarks/run.py times it in a fresh process, next to Hugo, so that a
target can be compared with what the libraries alone leave of it.
"""

import json
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial

_START = time.perf_counter()
# Imported before the pool forks, so that each worker has them already.
import markdown  # noqa: E402
from frontmatter.default_handlers import YAMLHandler  # noqa: E402

_IMPORTED = time.perf_counter()

_CHUNK = 64


def _read(markdown_too: bool, paths: list[str]) -> int:
    """Read (and render) ``paths``; how many there were."""
    handler = YAMLHandler()
    md = markdown.Markdown(extensions=["extra"], output_format="html") if markdown_too else None
    for path in paths:
        with open(path, "rb") as file:  # noqa: PTH123
            front_matter, body = handler.split(file.read().decode("utf-8"))
        handler.load(front_matter)
        if md is not None:
            md.reset().convert(body)
    return len(paths)


def main() -> None:
    """Read the posts under ``sys.argv[1]`` on every CPU; print the times and the peak memory."""
    folder = sys.argv[1]
    markdown_too = "--markdown" in sys.argv[2:]
    paths = sorted(
        os.path.join(current, name)  # noqa: PTH118
        for current, _folders, names in os.walk(folder)
        for name in names
        # feedlib.posts.POST_SUFFIXES, not imported: this measures the libraries without feedlib.
        if name.endswith((".md", ".markdown", ".txt"))
    )
    chunks = [paths[start : start + _CHUNK] for start in range(0, len(paths), _CHUNK)]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        read = sum(pool.map(partial(_read, markdown_too), chunks))
    assert read == len(paths)
    times = {"import": _IMPORTED - _START, "run": time.perf_counter() - _IMPORTED}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"status": 0, **times, "rss": rss, "rss_workers": workers}))


if __name__ == "__main__":
    main()

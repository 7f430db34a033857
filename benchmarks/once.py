"""Run ``feedlib ARGS`` once in this process and print, as JSON, how long the import and the command took.

benchmarks/run.py times each build through this script: it imports nothing
but what it needs to measure, so its start-up is that of the ``feedlib``
command itself.
"""

import json
import resource
import sys
import time


def main() -> None:
    """Time ``feedlib`` with this process's arguments; print status, times and peak memory."""
    start = time.perf_counter()
    from feedlib.cli import main as feedlib_main

    imported = time.perf_counter()
    status = feedlib_main(sys.argv[1:])
    done = time.perf_counter()
    times = {"import": imported - start, "run": done - imported}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"status": status, **times, "rss": rss, "rss_workers": workers}))


if __name__ == "__main__":
    main()

"""The floor: list, read and hash every post file in a fresh process, as any build must.

benchmarks/run.py runs it as it runs a build (benchmarks/once.py), so its wall
time includes starting Python, as a build's does; it prints its in-process
time as JSON. It imports only the standard library: hashing is BLAKE2b, as
feedlib's.
"""

import hashlib
import json
import os
import resource
import sys
import time


def main() -> None:
    """List, read and hash every file under the folder given (default: posts); print the time taken."""
    start = time.perf_counter()
    for current, _folders, names in os.walk(sys.argv[1] if len(sys.argv) > 1 else "posts"):
        for name in sorted(names):
            with open(os.path.join(current, name), "rb") as file:  # noqa: PTH123, PTH118
                hashlib.blake2b(file.read(), digest_size=20).hexdigest()
    done = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": 0, "import": 0.0, "run": done - start, "rss": rss, "rss_workers": 0}))


if __name__ == "__main__":
    main()

"""Running one function over many items on every core, in order, or serially when that is cheaper.

Reading and rendering posts are pure Python and bound by the CPU, so threads
would not help; a process pool does. A pool costs tens of milliseconds to
start, so it is used only for enough items to pay for itself. The results are
the same as a serial run, in the same order: each item is handled by the same
function either way.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["WORKERS_VARIABLE", "map_ordered", "worker_count"]

#: The environment variable that sets the number of worker processes (1: no pool).
WORKERS_VARIABLE = "FEEDLIB_WORKERS"

_log = logging.getLogger(__name__)
_PARENT_CHECK_SECONDS = 0.5
_In = TypeVar("_In")
_Out = TypeVar("_Out")


def worker_count() -> int:
    """How many processes to use: ``$FEEDLIB_WORKERS`` if set, else the CPUs this process may run on."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if configured.isdigit():
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Not on Linux.
        return max(1, os.cpu_count() or 1)


def map_ordered(function: Callable[[_In], _Out], items: Sequence[_In], *, minimum: int) -> Iterator[_Out]:
    """``function`` applied to each of ``items``, yielded in order.

    With at least ``minimum`` items and more than one worker, the calls run in
    a process pool (``function`` and the items must pickle), started before
    this returns; otherwise they run here, one by one as results are taken.
    """
    workers = min(worker_count(), len(items))
    if workers < 2 or len(items) < minimum:
        return map(function, items)
    # Chunks big enough to keep pickling overhead low, small enough to balance the cores.
    chunksize = max(1, min(256, len(items) // (workers * 8)))
    from concurrent.futures import ProcessPoolExecutor  # Only when a pool pays: a slow import.

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_exit_with, initargs=(os.getpid(),))
    try:
        results = pool.map(function, items, chunksize=chunksize)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return _draining(pool, results, function, items)


def _exit_with(parent: int) -> None:
    """In a worker: end when ``parent`` does.

    A build killed outright (SIGKILL, out of memory) cannot stop its pool, and
    a worker waiting for work would wait for ever: a cron job would leave
    one behind each time.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="feedlib-parent-watch", daemon=True).start()


def _draining(
    pool: ProcessPoolExecutor, results: Iterator[_Out], function: Callable[[_In], _Out], items: Sequence[_In]
) -> Iterator[_Out]:
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        for result in results:
            done += 1
            yield result
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish here rather than fail the build.
        _log.warning("a worker process died; going on in this process")
        yield from map(function, items[done:])
    finally:
        pool.shutdown(cancel_futures=True)

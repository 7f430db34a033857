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
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["WORKERS_VARIABLE", "map_ordered", "map_shared", "worker_count"]

#: The environment variable that sets the number of worker processes (1: no pool).
WORKERS_VARIABLE = "FEEDLIB_WORKERS"

_log = logging.getLogger(__name__)
_PARENT_CHECK_SECONDS = 0.5
_In = TypeVar("_In")
_Out = TypeVar("_Out")
_Shared = TypeVar("_Shared")


def worker_count() -> int:
    """How many processes to use: ``$FEEDLIB_WORKERS`` if set, else the CPUs this process may run on."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if configured.isdigit():
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Not on Linux.
        return max(1, os.cpu_count() or 1)


def map_ordered(
    function: Callable[[_In], _Out], items: Sequence[_In], *, minimum: int, chunk: int = 256
) -> Iterator[_Out]:
    """``function`` applied to each of ``items``, yielded in order.

    With at least ``minimum`` items and more than one worker, the calls run in
    a process pool (``function`` and the items must pickle), started before
    this returns; otherwise they run here, one by one as results are taken.
    A worker takes at most ``chunk`` items at a time: fewer for items that
    take long, so that no core waits long for the last one at the end.
    """
    return _map(function, items, here=function, minimum=minimum, chunk=chunk)


def map_shared(
    function: Callable[[_Shared, _In], _Out], shared: _Shared, items: Sequence[_In], *, minimum: int
) -> Iterator[_Out]:
    """``function(shared, item)`` for each of ``items``, yielded in order, one item per task.

    As :func:`map_ordered`, for a few costly items that all need one large
    value: each worker process gets ``shared`` once, when it starts (where
    processes fork, as on Linux before Python 3.14, it inherits it without
    a copy), where passing it with each item would pickle it each time.
    """
    here: Callable[[_In], _Out] = partial(function, shared)
    return _map(partial(_call_shared, function), items, here=here, minimum=minimum, chunk=1, shared=shared)


def _map(
    function: Callable[[_In], _Out],
    items: Sequence[_In],
    *,
    here: Callable[[_In], _Out],
    minimum: int,
    chunk: int,
    shared: object = None,
) -> Iterator[_Out]:
    """``function`` over ``items`` in a pool (its workers given ``shared``), or ``here`` in this process."""
    workers = min(worker_count(), len(items))
    if workers < 2 or len(items) < minimum:
        return map(here, items)
    # Chunks big enough to keep pickling overhead low, small enough to balance the cores.
    chunksize = max(1, min(chunk, len(items) // (workers * 8)))
    from concurrent.futures import ProcessPoolExecutor  # Only when a pool pays: a slow import.

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(), shared))
    try:
        results = pool.map(function, items, chunksize=chunksize)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return _draining(pool, results, here, items)


# In a worker process: what map_shared's items share.
_worker: dict[str, Any] = {}


def _call_shared(function: Callable[[Any, _In], _Out], item: _In) -> _Out:
    return function(_worker["shared"], item)


def _start_worker(parent: int, shared: object) -> None:
    """In a worker: keep ``shared`` for :func:`_call_shared`, and end when ``parent`` does.

    A build killed outright (SIGKILL, out of memory) cannot stop its pool, and
    a worker waiting for work would wait for ever: a cron job would leave
    one behind each time.
    """
    _worker["shared"] = shared

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

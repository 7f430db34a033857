"""One build at a time per output folder: a lock file inside it, held for the whole build.

The lock is an operating-system file lock (through :mod:`filelock`), so it is
released when its process ends, however it ends: a build killed with
``kill -9`` never leaves a stale lock behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import ConfigError, LockTimeout, PublishError

__all__ = ["DEFAULT_WAIT", "LOCK_NAME", "output_lock"]

#: The lock file, inside the output folder.
LOCK_NAME = ".feedlib.lock"
#: How many seconds a build waits for another one to finish, by default.
DEFAULT_WAIT = 60.0

_log = logging.getLogger(__name__)


@contextmanager
def output_lock(out: Path | str, wait: float = DEFAULT_WAIT) -> Iterator[Path]:
    """Hold the lock of the output folder ``out`` (created if needed); yields the lock file's path.

    Raises :class:`LockTimeout` when another process holds it for more than
    ``wait`` seconds, :class:`PublishError` when the folder cannot be created,
    and :class:`ConfigError` for a negative ``wait``.
    """
    if not wait >= 0:  # NaN too.
        raise ConfigError(f"wait must be 0 or more seconds, got {wait}")
    folder = Path(out)
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PublishError(folder, f"cannot create the output folder: {error.strerror or error}") from None
    lock = FileLock(path, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(path, wait) from None
    except OSError as error:
        raise PublishError(path, f"cannot lock: {error.strerror or error}") from None
    _log.debug("locked %s", path)
    try:
        yield path
    finally:
        lock.release()
        _log.debug("unlocked %s", path)

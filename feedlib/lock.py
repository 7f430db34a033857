"""One build at a time per output folder: a lock on the folder itself, held for the whole build.

The lock is an operating-system lock (``flock``) on the output folder's own
descriptor, taken through :mod:`filelock` (which waits and gives up), so:

- nothing is written into the output folder for it, and a web server that
  publishes the folder publishes only the feeds;
- every build that writes to the folder takes the same lock, whatever
  configuration it came from, and whatever path names the folder (a symbolic
  link, a relative path): the lock is on the folder, not on a name;
- it is released when its process ends, however it ends: a build killed with
  ``kill -9`` never leaves a stale lock behind.

Where ``flock`` does not exist (Windows), a lock file in the folder is used,
as feedlib did before.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import BaseFileLock, FileLock, Timeout

from .errors import ConfigError, LockTimeout, PublishError
from .folders import make_public_folders

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

__all__ = ["DEFAULT_WAIT", "LOCK_NAME", "output_lock"]

#: The lock file that earlier versions kept in the output folder (and Windows still does).
LOCK_NAME = ".feedlib.lock"
#: How many seconds a build waits for another one to finish, by default.
DEFAULT_WAIT = 60.0

_log = logging.getLogger(__name__)
# What flock says when another process holds the lock (some file systems say EACCES).
_HELD = frozenset({errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK})


class FolderLock(BaseFileLock):
    """An exclusive ``flock`` on a folder's own descriptor; :mod:`filelock` waits for it and gives up.

    ``lock_file`` is the folder, which must exist. Nothing is created in it.
    """

    def _acquire(self) -> None:
        descriptor = os.open(self.lock_file, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(descriptor)
            if error.errno in _HELD:
                return  # Not acquired: filelock tries again until its timeout.
            raise
        self._context.lock_file_fd = descriptor

    def _release(self) -> None:
        descriptor = self._context.lock_file_fd
        assert descriptor is not None
        self._context.lock_file_fd = None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)


def _lock_of(folder: Path, wait: float) -> BaseFileLock:
    if fcntl is None:  # pragma: no cover (Windows)
        return FileLock(folder / LOCK_NAME, timeout=wait)
    return FolderLock(folder, timeout=wait)


@contextmanager
def output_lock(out: Path | str, wait: float = DEFAULT_WAIT) -> Iterator[Path]:
    """Hold the lock of the output folder ``out`` (created if needed, readable by all); yields the folder.

    Raises :class:`LockTimeout` when another process holds it for more than
    ``wait`` seconds, :class:`PublishError` when the folder cannot be created,
    and :class:`ConfigError` for a negative ``wait``.
    """
    if not wait >= 0:  # NaN too.
        raise ConfigError(f"wait must be 0 or more seconds, got {wait}")
    folder = Path(out)
    try:
        make_public_folders(folder)
    except OSError as error:
        raise PublishError(folder, f"cannot create the output folder: {error.strerror or error}") from None
    lock = _lock_of(folder, wait)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeout(folder, wait) from None
    except OSError as error:
        raise PublishError(folder, f"cannot lock: {error.strerror or error}") from None
    _log.debug("locked %s", folder)
    try:
        yield folder
    finally:
        lock.release()
        _log.debug("unlocked %s", folder)

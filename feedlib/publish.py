"""Writing feed files: the only module that writes into the output folder.

Each file is written to a temporary file, flushed to disk, then renamed over
the old one, so a reader sees the old complete file or the new complete one,
never a mix. The temporary file is written in the staging folder beside the
output folder (:func:`~feedlib.folders.staging_folder`), so that the output
folder never holds anything but feeds, even after ``kill -9``; where that
folder cannot be made on the same file system, beside the file itself. A
published file has mode 0644 whatever the old file's mode and the umask; a
file whose bytes would not change is not written at all, so its modification
time and inode stay.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import PublishError
from .feeds import Document
from .folders import PUBLIC_FILE_MODE, make_public_folders, staging_folder
from .lock import DEFAULT_WAIT, LOCK_NAME, output_lock

__all__ = [
    "Published",
    "publish_documents",
    "remove_stale_temporaries",
    "remove_stale_temporaries_of",
    "write_atomic",
    "write_documents",
]

_NEW_FILE_MODE = 0o644
_TEMPORARY_SUFFIX = ".tmp"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """A feed file published by :func:`write_documents`.

    ``changed`` is false when the file already held exactly these bytes and
    was left untouched. ``url`` is where the feed is served (``None`` for a
    file that is not a feed, such as the stylesheet).
    """

    path: Path
    format: str
    entries: int
    changed: bool = True
    url: str | None = None


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Not every platform can open a folder; the rename itself is done.
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some file systems refuse fsync on folders; nothing more to do.
    finally:
        os.close(fd)


def write_atomic(
    path: Path | str, content: bytes, *, mode: int | None = None, staging: Path | None = None
) -> None:
    """Replace ``path`` with ``content`` atomically; raise :class:`PublishError` on failure.

    ``mode`` is the new file's (default: the old file's, or 0644); the
    temporary file is written in ``staging`` (default: beside ``path``), which
    must be on the same file system. On any failure the old file is left as it
    was and no temporary file remains.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.exists() else _NEW_FILE_MODE
        folder = staging if staging is not None else path.parent
        import tempfile  # Only when a file is written: a build with nothing to do writes none.

        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX, dir=folder)
    except OSError as error:
        raise PublishError(path, f"cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise PublishError(path, f"cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _holds(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False  # Missing or unreadable: write it, and let that report any real problem.


class _Staging:
    """The staging folder of one output folder, made when first needed and removed when done."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder: Path | None = None
        self._tried = False

    def for_folder(self, folder: Path) -> Path | None:
        """Where the temporary file of a file in ``folder`` goes (``None``: beside it)."""
        if not self._tried:
            self._tried = True
            staging = staging_folder(self.out)
            try:
                staging.mkdir(mode=0o700, exist_ok=True)
                self.folder = staging
            except OSError as error:  # A parent we may not write to: temporaries go beside the files.
                _log.debug("%s: cannot make it (%s); temporary files go beside the feeds", staging, error)
        if self.folder is None or _device(self.folder) != _device(folder):
            return None
        return self.folder

    def remove(self) -> None:
        """Remove the staging folder, if it was made and is empty."""
        if self.folder is not None:
            with contextlib.suppress(OSError):  # Not empty, or a mount point: left as it is.
                self.folder.rmdir()


def _device(folder: Path) -> int | None:
    try:
        return folder.stat().st_dev
    except OSError:
        return None


def write_documents(documents: Iterable[Document], out: Path | str) -> list[Published]:
    """Write each document under ``out`` atomically, unless the file already holds its bytes.

    Each file written has mode 0644, and each folder made for one 0755
    (:mod:`feedlib.folders`). Raises :class:`PublishError` naming the file
    that could not be written; the files written before it are complete, the
    ones after it untouched.
    """
    published = []
    staging = _Staging(Path(out))
    try:
        for document in documents:
            target = Path(out) / document.relative_path
            changed = not _holds(target, document.content)
            if changed:
                _make_folders(target.parent)
                where = staging.for_folder(target.parent)
                write_atomic(target, document.content, mode=PUBLIC_FILE_MODE, staging=where)
                _log.debug("wrote %s", target)
            else:
                _log.debug("unchanged %s", target)
            published.append(Published(target, document.format, document.entries, changed, document.url))
    finally:
        staging.remove()
    return published


def _make_folders(folder: Path) -> None:
    try:
        make_public_folders(folder)
    except OSError as error:
        raise PublishError(folder, f"cannot create the folder: {error.strerror or error}") from None


def _temporary_pattern(names: Iterable[str]) -> re.Pattern[str]:
    # The names write_atomic gives its temporary files: ".feed.xml.k3j2_x9a.tmp".
    alternatives = "|".join(re.escape(name) for name in sorted(names))
    return re.compile(rf"^\.(?:{alternatives})\.[a-z0-9_]+{re.escape(_TEMPORARY_SUFFIX)}$")


def remove_stale_temporaries(folder: Path | str, names: Iterable[str]) -> list[Path]:
    """Remove the temporary files :func:`write_atomic` left in ``folder`` for files called ``names``.

    Only a process killed while writing leaves one behind. Call this only while
    holding the folder's lock, so no running build's temporary is taken.
    Returns what was removed; a folder that does not exist holds none.
    """
    pattern = _temporary_pattern(names)
    removed = []
    try:
        candidates = sorted(Path(folder).iterdir())
    except OSError:
        return []
    for path in candidates:
        if pattern.match(path.name):
            try:
                path.unlink()
            except OSError as error:
                _log.warning("%s: cannot remove a stale temporary file: %s", path, error.strerror or error)
                continue
            _log.debug("removed stale temporary %s", path)
            removed.append(path)
    return removed


def publish_documents(
    documents: Iterable[Document], out: Path | str, *, wait: float = DEFAULT_WAIT
) -> list[Published]:
    """Write ``documents`` under the folder ``out`` (created if needed), holding its lock; only what changed.

    Each document goes to its ``relative_path`` under ``out``, atomically (a
    temporary file in the same folder, flushed, then renamed over the old
    one), and only when the file does not already hold its bytes; each
    :class:`~feedlib.publish.Published` says whether it was written. What a
    build killed while writing these files left behind is removed first.
    Waits up to ``wait`` seconds for another build of ``out``
    (:class:`~feedlib.errors.LockTimeout`); raises
    :class:`~feedlib.errors.PublishError` naming a file that could not be
    written (those written before it are complete, the rest untouched).
    """
    documents = list(documents)
    with output_lock(out, wait):
        remove_stale_temporaries_of(out, [document.relative_path for document in documents])
        return write_documents(documents, out)


def remove_stale_temporaries_of(out: Path | str, relative_paths: Iterable[str]) -> None:
    """Remove what a killed build left for any of these files of ``out`` (call while holding the lock).

    That is its temporary files, in the staging folder or beside the files
    (where no staging folder can be made, and where earlier versions wrote
    them), and the lock file earlier versions kept in ``out``, unless it is
    one of these files.
    """
    names: dict[PurePosixPath, set[str]] = {}
    for relative_path in relative_paths:
        relative = PurePosixPath(relative_path)
        names.setdefault(relative.parent, set()).add(relative.name)
    for folder, found in sorted(names.items()):
        remove_stale_temporaries(Path(out) / folder, found)
    staging = staging_folder(out)
    if staging.is_dir():
        remove_stale_temporaries(staging, {name for found in names.values() for name in found})
    legacy = Path(out) / LOCK_NAME
    if LOCK_NAME not in names.get(PurePosixPath("."), set()) and legacy.is_file():
        try:
            legacy.unlink()
        except OSError as error:
            _log.warning("%s: cannot remove the lock file of an earlier feedlib: %s", legacy, error.strerror)

"""Writing feed files: the only module that writes into the output folder.

Each file is written to a temporary file in its own folder, flushed to disk,
then renamed over the old one, so a reader sees the old complete file or the
new complete one, never a mix. A file whose bytes would not change is not
written at all, so its modification time and inode stay.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import PublishError
from .feeds import Document
from .lock import DEFAULT_WAIT, output_lock

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


def write_atomic(path: Path | str, content: bytes) -> None:
    """Replace ``path`` with ``content`` atomically; raise :class:`PublishError` on failure.

    On any failure the old file is left as it was and no temporary file remains.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else _NEW_FILE_MODE
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX, dir=path.parent)
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


def write_documents(documents: Iterable[Document], out: Path | str) -> list[Published]:
    """Write each document under ``out`` atomically, unless the file already holds its bytes.

    Raises :class:`PublishError` naming the file that could not be written;
    the files written before it are complete, the ones after it untouched.
    """
    published = []
    for document in documents:
        target = Path(out) / document.relative_path
        changed = not _holds(target, document.content)
        if changed:
            write_atomic(target, document.content)
            _log.debug("wrote %s", target)
        else:
            _log.debug("unchanged %s", target)
        published.append(Published(target, document.format, document.entries, changed, document.url))
    return published


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
    """Remove what a killed build left beside any of these files of ``out`` (call while holding the lock)."""
    names: dict[PurePosixPath, set[str]] = {}
    for relative_path in relative_paths:
        relative = PurePosixPath(relative_path)
        names.setdefault(relative.parent, set()).add(relative.name)
    for folder, found in sorted(names.items()):
        remove_stale_temporaries(Path(out) / folder, found)

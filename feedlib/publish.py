"""Writing feed files: the only module that touches the output folder.

Each file is written to a temporary file in its own folder, flushed to disk,
then renamed over the old one, so a reader sees the old complete file or the
new complete one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import PublishError
from .formats import FORMATS
from .model import Entry, Site
from .urls import absolute_url

__all__ = [
    "Document",
    "Published",
    "render_documents",
    "render_feed",
    "write_atomic",
    "write_documents",
    "write_feeds",
]

_NEW_FILE_MODE = 0o644


@dataclass(frozen=True)
class Document:
    """A feed rendered to bytes, and the path (inside the output folder) it goes to."""

    format: str
    relative_path: str
    content: bytes
    entries: int


@dataclass(frozen=True)
class Published:
    """A feed file written by :func:`write_documents`."""

    path: Path
    format: str
    entries: int


def _format(name: str) -> None:
    if name not in FORMATS:
        raise ValueError(f"unknown feed format {name!r} (known: {', '.join(FORMATS)})")


def render_feed(site: Site, entries: Sequence[Entry], format: str = "atom") -> bytes:
    """One feed document as bytes, served at the format's default file name."""
    return render_documents(site, entries, [format])[0].content


def render_documents(site: Site, entries: Sequence[Entry], formats: Iterable[str]) -> list[Document]:
    """Every requested feed, rendered in memory before anything is written."""
    documents = []
    for name in formats:
        _format(name)
        spec = FORMATS[name]
        content = spec.render(site, entries, absolute_url(spec.filename, site))
        documents.append(Document(name, spec.filename, content, len(entries)))
    return documents


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
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def write_documents(documents: Iterable[Document], out: Path | str) -> list[Published]:
    """Write each document under ``out``, atomically, and say what was written."""
    written = []
    for document in documents:
        target = Path(out) / document.relative_path
        write_atomic(target, document.content)
        written.append(Published(target, document.format, document.entries))
    return written


def write_feeds(
    site: Site,
    entries: Sequence[Entry],
    out: Path | str,
    formats: Iterable[str] = ("atom", "rss"),
) -> list[Published]:
    """Render every format first, then write each file atomically under ``out``.

    The files are named as the formats say (``feed.xml``, ``rss.xml``) and
    their ``self`` links assume ``out`` is served at the site URL.
    """
    return write_documents(render_documents(site, entries, formats), out)

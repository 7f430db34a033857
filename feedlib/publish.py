"""Writing feed files: the only module that touches the output folder.

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import PublishError
from .formats import FORMATS
from .formats.stylesheet import STYLESHEET_FORMATS, add_stylesheet, stylesheet_href
from .model import Entry, Site
from .parallel import map_shared
from .urls import absolute_url

__all__ = [
    "Document",
    "Feed",
    "Published",
    "remove_stale_temporaries",
    "render_documents",
    "render_feed",
    "render_feeds",
    "write_atomic",
    "write_documents",
    "write_feeds",
]

_NEW_FILE_MODE = 0o644
_TEMPORARY_SUFFIX = ".tmp"
#: Entries (summed over the documents to write) from which the documents are
#: rendered in a process pool: each takes about 0.1 ms, a pool tens of milliseconds.
PARALLEL_ENTRIES_MIN = 2000

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Document:
    """A feed rendered to bytes, and the path (inside the output folder) it goes to."""

    format: str
    relative_path: str
    content: bytes
    entries: int
    url: str | None = None


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


def _format(name: str) -> None:
    if name not in FORMATS:
        raise ValueError(f"unknown feed format {name!r} (known: {', '.join(FORMATS)})")


def render_feed(site: Site, entries: Sequence[Entry], format: str = "atom") -> bytes:
    """One feed document as bytes, served at the format's default file name."""
    return render_documents(site, entries, [format])[0].content


def render_documents(
    site: Site,
    entries: Sequence[Entry],
    formats: Iterable[str],
    paths: Mapping[str, str] | None = None,
    *,
    stylesheet: bool = False,
) -> list[Document]:
    """Every requested feed, rendered in memory before anything is written.

    ``paths`` gives a format's path inside the output folder (and under the
    site URL, ``/`` between folders) where it is not the format's default
    file name. With ``stylesheet``, Atom and RSS documents point browsers at
    ``feed.xsl`` at the top of the output folder.
    """
    documents = []
    for name in formats:
        _format(name)
        spec = FORMATS[name]
        relative_path = (paths or {}).get(name, spec.filename)
        url = absolute_url(relative_path, site)
        content = spec.render(site, entries, url)
        if stylesheet and name in STYLESHEET_FORMATS:
            content = add_stylesheet(content, stylesheet_href(relative_path))
        documents.append(Document(name, relative_path, content, len(entries), url))
    return documents


class Feed(NamedTuple):
    """One feed to render: the site as it names the feed, its entries, and the path of each format.

    ``paths`` maps each format to render to its path inside the output folder.
    """

    site: Site
    entries: Sequence[Entry]
    paths: Mapping[str, str]


def _render_job(shared: tuple[Sequence[Feed], bool], job: tuple[int, str]) -> Document:
    """The document of format ``name`` for feed number ``index`` of ``feeds``."""
    (feeds, stylesheet), (index, name) = shared, job
    feed = feeds[index]
    return render_documents(feed.site, feed.entries, [name], feed.paths, stylesheet=stylesheet)[0]


def render_feeds(feeds: Sequence[Feed], *, stylesheet: bool = False) -> Iterator[Document]:
    """Every format of every feed, in order, as :func:`render_documents` renders them.

    When the feeds are large (a feed of a whole archive), the documents are
    rendered side by side in a process pool, started before this returns:
    the caller can do other work while they render.
    """
    for feed in feeds:
        for name in feed.paths:
            _format(name)
    jobs = [(index, name) for index, feed in enumerate(feeds) for name in feed.paths]
    size = sum(len(feed.entries) * len(feed.paths) for feed in feeds)
    # Small feeds render here, one by one: more jobs than there are is never enough for a pool.
    minimum = 2 if size >= PARALLEL_ENTRIES_MIN else len(jobs) + 1
    return map_shared(_render_job, (feeds, stylesheet), jobs, minimum=minimum)


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

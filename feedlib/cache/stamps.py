"""Has it changed? The one place that decides, for post files, settings and published feeds.

As Pelican's ``FileStampDataCacher``: a post file is known by its signature
(inode, size, modification and change times; git's rule for its index) and,
when that changed, by the hash of its bytes; everything else that shapes what
a post renders to is one fingerprint of the settings, feedlib and the
libraries; and the feeds a build would write are known by a hash of what they
are made from, the files by their signatures.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import fields
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..discover import site_files
from ..model import PostFile, Site
from ..text import hex_digest, json_default

if TYPE_CHECKING:
    from ..config import LiquidSettings

__all__ = [
    "CACHE_VERSION",
    "RACY_MARGIN_NS",
    "content_digest",
    "file_signature",
    "files_unchanged",
    "plan_digest",
    "post_digest",
    "post_signature",
    "settings_fingerprint",
    "signatures",
    "trusted_before",
]

#: The layout of the cache files; a file of another version is ignored.
CACHE_VERSION = 4
#: A file changed this close to the moment a build looked at it may change
#: again within the same tick of the file system's clock: it gets no signature.
RACY_MARGIN_NS = 2_000_000_000

# The modules (of the libraries) whose behaviour shapes a Post, its HTML or a feed document.
_LIBRARIES = ("markdown", "frontmatter", "yaml", "lxml", "dateutil", "tzdata", "nh3", "cmarkgfm", "feedgen")
# Site fields only a feed as a whole shows: they never reach a post's record or entry.
_FEED_ONLY = frozenset({"description", "language", "hub", "icon", "logo"})


def content_digest(raw: bytes) -> str:
    """The hash that identifies a file's bytes in the cache."""
    return hex_digest(raw)


def _commits(file: PostFile) -> str:
    """What a file's dates from git add to its bytes: its first and last commits' times, if any."""
    if file.first_commit is None or file.last_commit is None:
        return ""
    return f"{file.first_commit.isoformat()} {file.last_commit.isoformat()}"


def post_digest(file: PostFile, raw: bytes) -> str:
    """The hash that identifies what a post is read from: its bytes, and its commits' times if it has them.

    Without dates from git it is :func:`content_digest`; with them, a commit
    that changes a post's dates (committing an edit) changes it too.
    """
    commits = _commits(file)
    return content_digest(raw) if not commits else hex_digest(raw + b"\0" + commits.encode())


def post_signature(file: PostFile, trusted_before: int | None = None) -> str | None:
    """:func:`file_signature` of ``file``, with its commits' times if it has them. Raises :class:`OSError`."""
    signature = file_signature(file.location, trusted_before)
    commits = _commits(file)
    return f"{signature}@{commits}" if signature is not None and commits else signature


def trusted_before() -> int:
    """The moment (ns since the epoch) after which a file's signature cannot be trusted yet."""
    return time.time_ns() - RACY_MARGIN_NS


def file_signature(path: Path | str, trusted_before: int | None = None) -> str | None:
    """What identifies a file's bytes without reading them: inode, size, modification and change times.

    ``None`` when the file changed at or after ``trusted_before`` (nanoseconds
    since the epoch): it may change again within the same clock tick, so its
    signature cannot be trusted. Raises :class:`OSError`.
    """
    stat = os.stat(path)  # noqa: PTH116 (for a path as text, without making a Path)
    if trusted_before is not None and max(stat.st_mtime_ns, stat.st_ctime_ns) >= trusted_before:
        return None
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


def _library_identity(module: str) -> str:
    # Where a library's code is and when it was written there: an upgrade or a
    # reinstall rewrites it. Finding a module is far cheaper than importing it
    # or reading its distribution's metadata, which a warm build must not pay for.
    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        spec = None
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "missing"
    try:
        stat = Path(origin).stat()
    except OSError:
        return origin
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"


def _own_identity() -> str:
    """The stamps of feedlib's own code as installed: each module's size and modification time.

    A change to feedlib that does not bump its version still changes what a
    post renders to; its files' stamps catch it, as the libraries' do. A
    stat of each module costs far less than hashing them.
    """
    package = Path(__file__).resolve().parent.parent
    stamps = []
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".xsl")):
                stat = os.stat(os.path.join(folder, name))  # noqa: PTH118, PTH116 (cheap, at every build)
                stamps.append(f"{os.path.relpath(folder, package)}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hex_digest("\n".join(stamps))


def _liquid_state(settings: LiquidSettings) -> dict[str, Any]:
    """Everything besides a post that its Liquid can read: ``site.*``, ``site.data`` and ``_includes/``."""
    from importlib import metadata  # Only for sites that use Liquid: a slow import.

    return {
        "python-liquid": metadata.version("python-liquid"),
        "site": settings.site,
        "includes": _digests(settings.includes),
        "data": _digests(settings.data),
        "root": str(settings.root),
        "modes": [settings.error_mode, settings.strict_filters, settings.strict_variables],
    }


def _digests(folder: Path | None) -> dict[str, str]:
    """The hash of each file under ``folder``, by its path there."""
    found = {}
    for name, path in site_files(folder).items():
        try:
            found[name] = content_digest(path.read_bytes())
        except OSError as error:
            found[name] = f"unreadable: {error.strerror or error}"
    return found


def settings_fingerprint(site: Site, liquid: LiquidSettings | None = None) -> str:
    """A hash of everything besides a post's bytes that decides what it reads and renders as.

    Site fields that only the feed as a whole shows (description, language,
    hub) are left out; every other one is in, a new one too. With Liquid on,
    what templates can read is in as well.
    """
    settings: dict[str, Any] = {
        "cache": CACHE_VERSION,
        "feedlib": [__version__, _own_identity()],
        "python": list(sys.version_info[:2]),
        "libraries": {name: _library_identity(name) for name in _LIBRARIES},
        "site": {
            field.name: repr(getattr(site, field.name))
            for field in fields(site)
            if field.name not in _FEED_ONLY
        },
    }
    if liquid is not None and liquid.enabled:
        settings["liquid"] = _liquid_state(liquid)
    return hex_digest(json.dumps(settings, sort_keys=True, default=json_default))


def plan_digest(made_from: Mapping[str, Any]) -> str:
    """A hash of everything a build's feed files are made from (settings and each shown post's hash)."""
    return hex_digest(json.dumps(made_from, ensure_ascii=False, sort_keys=True))


def signatures(out: Path, relative_paths: list[str]) -> dict[str, str | None]:
    """The trustworthy signature of each of these files of ``out`` (``None``: just written, or missing)."""
    before = trusted_before()
    found: dict[str, str | None] = {}
    for relative_path in relative_paths:
        try:
            found[relative_path] = file_signature(out / relative_path, before)
        except OSError:
            found[relative_path] = None
    return found


def files_unchanged(out: Path, recorded: Mapping[str, str]) -> bool:
    """Whether each of these files of ``out`` still has the signature recorded when it was published."""
    for path, signature in recorded.items():
        try:
            if file_signature(out / path) != signature:
                return False
        except OSError:
            return False
    return True

"""Finding files: the one place that lists post files (feedlib's layout and Jekyll's) and site files.

feedlib's own layout (and a Hugo ``content/`` folder) is every post file
under one folder; a Jekyll site's posts are the dated files under its
``_posts`` folders (and ``_drafts``). Both give :class:`~feedlib.model.PostFile`
records in the order of their keys. :func:`site_files` lists the files of a
folder such as ``_includes/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ConfigError
from .model import PostFile

__all__ = ["POST_SUFFIXES", "JekyllLayout", "discover_posts", "jekyll_post_files", "site_files"]

#: File name endings read as posts.
POST_SUFFIXES = (".md", ".markdown", ".txt")

_HIDDEN = (".", "_")
# Jekyll's DATE_FILENAME_MATCHER: only files named so in _posts are posts.
_JEKYLL_POST_NAME = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}-.+\.[^.]+$")
# Folders Jekyll never reads (its default exclude list), besides names starting with "." or "_".
_JEKYLL_EXCLUDED = frozenset({"node_modules", "vendor", "gemfiles"})


@dataclass(frozen=True)
class JekyllLayout:
    """Where a Jekyll site's posts are: ``_posts`` folders under ``root`` (and ``_drafts``).

    ``drafts`` adds ``_drafts/`` as ``jekyll build --drafts`` does;
    ``exclude`` and ``markdown_ext`` are the ``_config.yml`` settings.
    """

    root: Path
    drafts: bool = False
    exclude: tuple[str, ...] = ()
    markdown_ext: tuple[str, ...] = ()

    def post_files(self) -> list[PostFile]:
        """The site's post files, as :func:`jekyll_post_files` finds them."""
        return jekyll_post_files(
            self.root, drafts=self.drafts, exclude=self.exclude, suffixes=self.markdown_ext
        )


def _walk(
    folder: str,
    parts: tuple[str, ...],
    enter: Callable[[tuple[str, ...], str], bool],
    keep: Callable[[tuple[str, ...], os.DirEntry[str]], bool],
    found: list[tuple[tuple[str, ...], str]],
) -> None:
    """Add to ``found`` the files under ``folder`` that ``keep`` keeps, in the folders ``enter`` enters.

    Each is found as its path's parts below the top folder, and its path.
    os.scandir rather than rglob or os.walk: a warm build of a large archive
    is bound by listing and looking at files, and directory entries tell
    files from folders without a stat call each. Symbolic links to folders
    are not followed; unreadable folders are skipped, as os.walk skips them.
    """
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError:
        return
    for entry in listed:
        if entry.is_dir(follow_symlinks=False):
            if enter(parts, entry.name):
                _walk(entry.path, (*parts, entry.name), enter, keep, found)
        elif keep(parts, entry):
            found.append(((*parts, entry.name), entry.path))


def _files(
    root: Path,
    enter: Callable[[tuple[str, ...], str], bool],
    keep: Callable[[tuple[str, ...], os.DirEntry[str]], bool],
) -> list[tuple[tuple[str, ...], str]]:
    """What :func:`_walk` finds under ``root``, sorted by the parts of each path."""
    found: list[tuple[tuple[str, ...], str]] = []
    _walk(str(root), (), enter, keep, found)
    found.sort(key=lambda item: item[0])
    return found


def discover_posts(folder: Path | str) -> list[PostFile]:
    """Every post file under ``folder``, recursively, sorted by key.

    A file's key is its path relative to ``folder``, with ``/`` between parts.
    Names starting with ``.`` or ``_`` (files or folders) are skipped, and so
    are symbolic links to folders. Raises :class:`~feedlib.errors.ConfigError`
    when ``folder`` is not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError("posts folder not found", root)

    def keep(parts: tuple[str, ...], entry: os.DirEntry[str]) -> bool:
        # The name's extension (it does not start with a dot); is_file follows a link to a file.
        name = entry.name
        return not name.startswith(_HIDDEN) and name.lower().endswith(POST_SUFFIXES) and entry.is_file()

    found = _files(root, lambda parts, name: not name.startswith(_HIDDEN), keep)
    return [PostFile("/".join(parts), location) for parts, location in found]


def _jekyll_skipped(name: str, relative: str, exclude: tuple[str, ...]) -> bool:
    if name.startswith((".", "#")) or name.endswith("~") or name in _JEKYLL_EXCLUDED:
        return True
    return any(relative == item.strip("/") or relative.startswith(item.strip("/") + "/") for item in exclude)


def _special(parts: tuple[str, ...], specials: tuple[str, ...]) -> int | None:
    """Where in ``parts`` the first ``_posts`` (or ``_drafts``) folder is, if any."""
    return next((index for index, part in enumerate(parts) if part in specials), None)


def jekyll_post_files(
    root: Path | str,
    *,
    drafts: bool = False,
    exclude: tuple[str, ...] = (),
    suffixes: tuple[str, ...] = (),
) -> list[PostFile]:
    """Every post of the Jekyll site at ``root``, sorted by key: what Jekyll reads as posts.

    Posts are the files named ``YYYY-MM-DD-title.EXT`` under any ``_posts``
    folder (``_posts/`` or ``news/_posts/``); the folders above ``_posts``
    become the post's first categories (``news``), as in Jekyll. With
    ``drafts``, every file under a ``_drafts`` folder too: those take their
    date from front matter only. ``EXT`` is one of ``suffixes`` (Jekyll's
    ``markdown_ext``) or feedlib's own (``.md``, ``.markdown``, ``.txt``).
    Folders and files starting with ``.`` or ``_`` (other than ``_posts``
    and ``_drafts``), ``node_modules``, ``vendor`` and the ``exclude`` list are skipped.
    """
    root = Path(root)
    if not root.is_dir():
        raise ConfigError("Jekyll site folder not found", root)
    wanted = tuple(dict.fromkeys(POST_SUFFIXES + tuple(f".{ext.lstrip('.').lower()}" for ext in suffixes)))
    specials = ("_posts", "_drafts") if drafts else ("_posts",)

    def enter(parts: tuple[str, ...], name: str) -> bool:
        if _special(parts, specials) is not None:
            return not name.startswith((".", "_"))
        return name in specials or (
            not name.startswith("_") and not _jekyll_skipped(name, "/".join((*parts, name)), exclude)
        )

    def keep(parts: tuple[str, ...], entry: os.DirEntry[str]) -> bool:
        at, name = _special(parts, specials), entry.name
        if at is None or name.startswith((".", "_", "#")) or name.endswith("~"):
            return False
        dateless = parts[at] == "_drafts"
        suffix = PurePosixPath(name).suffix.lower()
        return (
            suffix in wanted and (dateless or _JEKYLL_POST_NAME.match(name) is not None) and entry.is_file()
        )

    files = []
    for parts, location in _files(root, enter, keep):
        at = _special(parts, specials)
        assert at is not None
        files.append(PostFile("/".join(parts), location, parts[:at], parts[at] == "_drafts"))
    return files


def site_files(folder: Path | None) -> dict[str, Path]:
    """Every file under ``folder`` by its ``/``-separated path, sorted; nothing outside it.

    Symbolic links that lead out of the folder are left out; a folder that
    does not exist holds nothing.
    """
    if folder is None or not folder.is_dir():
        return {}
    base = folder.resolve()

    def keep(parts: tuple[str, ...], entry: os.DirEntry[str]) -> bool:
        return entry.is_file() and Path(entry.path).resolve().is_relative_to(base)

    return {
        "/".join(parts): Path(location) for parts, location in _files(folder, lambda parts, name: True, keep)
    }

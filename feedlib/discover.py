"""Finding files: the one place that lists post files (feedlib's layout and Jekyll's) and site files.

feedlib's own layout (and a Hugo ``content/`` folder) is every post file
under one folder; a Jekyll site's posts are the dated files under its
``_posts`` folders (and ``_drafts``). Both give :class:`~feedlib.model.PostFile`
records in the order of their keys. :func:`site_files` lists the files of a
folder such as ``_includes/``.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ConfigError, PostError, raise_or_report
from .model import PostFile

__all__ = [
    "POST_SUFFIXES",
    "JekyllLayout",
    "collection_files",
    "discover_posts",
    "jekyll_post_files",
    "site_files",
]

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
    ``exclude`` and ``markdown_ext`` are the ``_config.yml`` settings;
    ``collections`` are the other collections whose documents a feed shows.
    """

    root: Path
    drafts: bool = False
    exclude: tuple[str, ...] = ()
    markdown_ext: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()

    def post_files(self, on_error: Callable[[PostError], None] | None = None) -> list[PostFile]:
        """The site's post files, as :func:`jekyll_post_files` finds them, then its collections' documents."""
        files = jekyll_post_files(
            self.root, drafts=self.drafts, exclude=self.exclude, suffixes=self.markdown_ext, on_error=on_error
        )
        for label in self.collections:
            files += collection_files(self.root, label, self.markdown_ext, on_error)
        return files


# What a walk found: each file as (its path's parts below the top folder, its path), and each
# problem as (the parts, the path, what is wrong).
_Found = list[tuple[tuple[str, ...], str]]
_Problems = list[tuple[tuple[str, ...], str, str]]


@dataclass(frozen=True)
class _Walk:
    """What to list under a folder: the folders to enter, the names to keep, where links may lead."""

    enter: Callable[[tuple[str, ...], str], bool]
    keep: Callable[[tuple[str, ...], str], bool]
    inside: str
    where: str

    def link_problem(self, path: str) -> str | None:
        """Why the symbolic link at ``path`` cannot be read, if it cannot: Jekyll's safe mode, and worse."""
        try:
            target = os.path.realpath(path, strict=True)
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "a symbolic link loop: nothing can be read through it"
            return f"a symbolic link that leads nowhere: {error.strerror or error}"
        if os.path.commonpath([target, self.inside]) != self.inside:
            return f"a symbolic link to a file outside {self.where}: refused (copy the file in instead)"
        return None


def _walk(walk: _Walk, folder: str, parts: tuple[str, ...], found: _Found, problems: _Problems) -> None:
    """Add to ``found`` the files under ``folder`` that ``walk`` keeps; to ``problems`` what cannot be read.

    os.scandir rather than rglob or os.walk: a warm build of a large archive
    is bound by listing and looking at files, and directory entries tell
    files from folders without a stat call each. Symbolic links to folders
    are not followed; a link to a file is followed only inside ``walk.inside``.
    A folder that cannot be listed is a problem (its files would be lost
    without a word), and so is a kept file whose name is not UTF-8.
    """
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as error:
        problems.append((parts, folder, f"cannot read this folder: {error.strerror or error}"))
        return
    for entry in listed:
        if entry.is_dir(follow_symlinks=False):
            if walk.enter(parts, entry.name):
                _walk(walk, entry.path, (*parts, entry.name), found, problems)
            continue
        if not walk.keep(parts, entry.name):
            continue
        problem = walk.link_problem(entry.path) if entry.is_symlink() else None
        if problem is None and not _is_utf8(entry.name):
            problem = "its name is not valid UTF-8: rename it"
        if problem is not None:
            problems.append(((*parts, entry.name), entry.path, problem))
        elif entry.is_file():
            found.append(((*parts, entry.name), entry.path))


def _is_utf8(name: str) -> bool:
    """Whether a name listed from the file system is valid UTF-8 (not decoded with surrogate escapes)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _files(walk: _Walk, root: Path) -> tuple[_Found, _Problems]:
    """What :func:`_walk` finds under ``root``, sorted by the parts of each path, and the problems."""
    found: _Found = []
    problems: _Problems = []
    _walk(walk, str(root), (), found, problems)
    found.sort(key=lambda item: item[0])
    problems.sort(key=lambda item: item[0])
    return found, problems


def _post_errors(problems: _Problems) -> list[PostError]:
    return [PostError(path, message) for _, path, message in problems]


def discover_posts(folder: Path | str, on_error: Callable[[PostError], None] | None = None) -> list[PostFile]:
    """Every post file under ``folder``, recursively, sorted by key.

    A file's key is its path relative to ``folder``, with ``/`` between parts.
    Names starting with ``.`` or ``_`` (files or folders) are skipped, and so
    are symbolic links to folders. Raises :class:`~feedlib.errors.ConfigError`
    when ``folder`` is not a folder. A sub-folder that cannot be read, a
    symbolic link that leads out of ``folder`` (or nowhere, or in a loop) and
    a post whose name is not UTF-8 are a :class:`~feedlib.errors.PostError`
    each: raised together as :class:`~feedlib.errors.PostErrors`, or passed to
    ``on_error`` while the other files are listed.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError("posts folder not found", root)

    def enter(parts: tuple[str, ...], name: str) -> bool:
        return not name.startswith(_HIDDEN)

    def keep(parts: tuple[str, ...], name: str) -> bool:
        # The name's extension (it does not start with a dot).
        return not name.startswith(_HIDDEN) and name.lower().endswith(POST_SUFFIXES)

    found, problems = _files(_Walk(enter, keep, os.path.realpath(root), "the posts folder"), root)
    raise_or_report(_post_errors(problems), on_error)
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
    on_error: Callable[[PostError], None] | None = None,
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
    What cannot be read is reported as :func:`discover_posts` reports it; a
    symbolic link may lead anywhere inside the site.
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

    def keep(parts: tuple[str, ...], name: str) -> bool:
        at = _special(parts, specials)
        if at is None or name.startswith((".", "_", "#")) or name.endswith("~"):
            return False
        dateless = parts[at] == "_drafts"
        suffix = PurePosixPath(name).suffix.lower()
        return suffix in wanted and (dateless or _JEKYLL_POST_NAME.match(name) is not None)

    found, problems = _files(_Walk(enter, keep, os.path.realpath(root), "the site"), root)
    raise_or_report(_post_errors(problems), on_error)
    files = []
    for parts, location in found:
        at = _special(parts, specials)
        assert at is not None
        files.append(PostFile("/".join(parts), location, parts[:at], parts[at] == "_drafts"))
    return files


def collection_files(
    root: Path,
    label: str,
    suffixes: tuple[str, ...] = (),
    on_error: Callable[[PostError], None] | None = None,
) -> list[PostFile]:
    """The documents of the Jekyll collection ``label``: its folder ``_label``'s Markdown files, by key.

    Names starting with ``.`` or ``_`` are skipped, as Jekyll skips them; what
    cannot be read is reported as :func:`discover_posts` reports it.
    """
    wanted = tuple(dict.fromkeys(POST_SUFFIXES + tuple(f".{ext.lstrip('.').lower()}" for ext in suffixes)))
    folder = f"_{label}"

    def enter(parts: tuple[str, ...], name: str) -> bool:
        return name == folder if not parts else not name.startswith((".", "_"))

    def keep(parts: tuple[str, ...], name: str) -> bool:
        visible = bool(parts) and not name.startswith((".", "_", "#")) and not name.endswith("~")
        return visible and PurePosixPath(name).suffix.lower() in wanted

    found, problems = _files(_Walk(enter, keep, os.path.realpath(root), "the site"), root)
    raise_or_report(_post_errors(problems), on_error)
    return [PostFile("/".join(parts), location, collection=label) for parts, location in found]


def site_files(folder: Path | None, refused: dict[str, str] | None = None) -> dict[str, Path]:
    """Every file under ``folder`` by its ``/``-separated path, sorted; nothing outside it.

    A symbolic link that leads out of the folder (or nowhere, or in a loop)
    is left out, and so is what is in a sub-folder that cannot be read; with
    ``refused``, each is put there by its path, with what is wrong with it.
    A folder that does not exist holds nothing.
    """
    if folder is None or not folder.is_dir():
        return {}
    walk = _Walk(lambda parts, name: True, lambda parts, name: True, os.path.realpath(folder), str(folder))
    found, problems = _files(walk, folder)
    if refused is not None:
        refused.update(("/".join(parts), message) for parts, _, message in problems)
    return {"/".join(parts): Path(location) for parts, location in found}

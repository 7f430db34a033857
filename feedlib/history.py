"""Dates from git history (``[build] dates = "git"``): each post file's first and last commit.

As Hugo's ``enableGitInfo`` and mkdocs-rss-plugin: a post's updated time is
the author date of the last commit that changed its file, and its published
time, when neither its front matter nor its file name gives one, the author
date of the first. One ``git log`` reads the history of the whole folder
(renames followed), through ``git`` itself, without a shell. Only commits
count, never the working tree, so the dates are the same on every checkout
of one commit; a file not committed yet has none.
"""

import logging
import os
import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from .errors import ConfigError
from .model import PostFile

__all__ = ["add_commit_dates", "commit_dates"]

_log = logging.getLogger(__name__)
# Each commit starts with this byte, then its author date (strict ISO 8601, the author's offset).
_COMMIT = "\x01"
_HOW = 'dates = "git" reads each post\'s dates from its commits'


def _git(folder: Path, *args: str) -> str:
    """What ``git ARGS`` prints, run in ``folder``; a :class:`ConfigError` naming it if git fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise ConfigError(f"git is not installed; {_HOW}", folder) from None
    except OSError as error:
        raise ConfigError(f"cannot run git: {error.strerror or error}; {_HOW}", folder) from None
    if done.returncode != 0:
        said = os.fsdecode(done.stderr).strip().splitlines()
        if said and "not a git repository" in said[0]:
            raise ConfigError(f"not in a git repository; {_HOW}", folder)
        if said and "does not have any commits" in said[0]:
            return ""  # A repository without commits: no file has any.
        raise ConfigError(f"git {args[0]} failed: {said[-1] if said else done.returncode}", folder)
    return os.fsdecode(done.stdout)


def _parse_log(text: str) -> dict[str, tuple[datetime, datetime]]:
    """Each path's (first, last) author date, from ``git log --name-status -z``, renames followed back."""
    times: dict[str, tuple[datetime, datetime]] = {}
    # Newest commits come first: a file renamed from "old" is "old" in the commits before the rename.
    now_named: dict[str, str] = {}
    for chunk in text.split(_COMMIT)[1:]:
        date, _, changes = chunk.partition("\0")
        when = datetime.fromisoformat(date.strip())
        tokens = changes.lstrip("\n").split("\0")
        index = 0
        while index + 1 < len(tokens):
            status, path = tokens[index], tokens[index + 1]
            index += 2
            if status[:1] in ("R", "C") and index < len(tokens):
                new_path, index = tokens[index], index + 1
                if status[:1] == "R":
                    now_named[path] = now_named.get(new_path, new_path)
                path = new_path
            current = now_named.get(path, path)
            first, last = times.get(current, (when, when))
            times[current] = (min(first, when), max(last, when))
    return times


def commit_dates(folder: Path | str) -> dict[Path, tuple[datetime, datetime]]:
    """The (first, last) author date of every file under ``folder`` that has a commit, by absolute path.

    Raises :class:`~feedlib.errors.ConfigError` naming ``folder`` when it is
    not in a git repository or git cannot run.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"not a folder; {_HOW}", folder)
    top, shallow = _git(folder, "rev-parse", "--show-toplevel", "--is-shallow-repository").splitlines()[:2]
    if shallow.strip() == "true":
        _log.warning(
            "%s: a shallow clone: posts changed before its oldest commit get that commit's date "
            "(fetch the whole history: git fetch --unshallow)",
            folder,
        )
    log = _git(
        Path(top), "log", f"--format={_COMMIT}%aI", "--name-status", "-M", "-z", "--", str(folder.resolve())
    )
    return {Path(top) / path: when for path, when in _parse_log(log).items()}


def add_commit_dates(files: Sequence[PostFile], folder: Path | str) -> list[PostFile]:
    """``files`` (under ``folder``, in a git repository) with the dates of their first and last commits.

    A file without a commit keeps none. Raises
    :class:`~feedlib.errors.ConfigError` naming ``folder`` when it is not
    in a git repository or git cannot run.
    """
    dates = commit_dates(folder)
    dated = []
    for file in files:
        found = dates.get(Path(file.location).resolve())
        dated.append(file._replace(first_commit=found[0], last_commit=found[1]) if found else file)
    return dated

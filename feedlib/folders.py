"""The folders feedlib publishes into: made readable by a web server, and kept free of its own files.

A web server (and ``rsync public/ host:``) publishes everything in the output
folder, so feedlib keeps nothing there but the feeds: the lock is on the
folder itself (:mod:`feedlib.lock`), and temporary files are written in a
hidden folder beside it, on the same file system, then renamed into place.
Folders and files feedlib creates can be read by everyone, whatever the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PUBLIC_FILE_MODE",
    "PUBLIC_FOLDER_MODE",
    "STAGING_SUFFIX",
    "make_public_folders",
    "staging_folder",
]

#: The mode of every published file: written by its owner, read by everyone (the web server).
PUBLIC_FILE_MODE = 0o644
#: The mode of every folder feedlib creates for published files.
PUBLIC_FOLDER_MODE = 0o755
#: The end of the name of the folder beside the output folder that holds temporary files.
STAGING_SUFFIX = ".feedlib-tmp"


def make_public_folders(folder: Path) -> None:
    """Create ``folder`` and any folder above it that is missing, each readable by everyone.

    Folders that exist are left as they are. Raises :class:`OSError`.
    """
    missing: list[Path] = []
    current = folder
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue  # Made meanwhile by another process: not ours to change.
        os.chmod(path, PUBLIC_FOLDER_MODE)


def staging_folder(out: Path | str) -> Path:
    """The folder beside ``out`` that holds the temporary files of what is published to it.

    ``public`` has ``.public.feedlib-tmp``; ``out`` is resolved first, so every
    way of naming one output folder names one staging folder.
    """
    real = Path(os.path.realpath(out))
    return real.parent / f".{real.name}{STAGING_SUFFIX}"

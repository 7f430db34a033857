"""The files of ``_includes/`` as Liquid templates: listed once, each read when a post first includes it.

Only what a post uses can fail its build: a file of ``_includes/`` that is not
UTF-8, cannot be read or is a symbolic link out of the folder is an error of
the post that includes it, never of the others. A link through which nothing
can be read at all (a loop, or a link to nothing) is said once, when the
folder is listed. Every include a post's rendering loads counts against a
budget, so that a few files including each other many times over cannot
render for minutes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from liquid.exceptions import LiquidError
from liquid.loader import BaseLoader, TemplateSource

from ..discover import site_files
from ..errors import PostError
from ..posts import decode_post

if TYPE_CHECKING:
    from liquid import Environment, RenderContext

__all__ = ["INCLUDE_LOADS_MAX", "Includes"]

#: How many includes (and renders) one post's Liquid may load in all, however they nest.
INCLUDE_LOADS_MAX = 10_000

# The include tags of a template, with the file each names (always written out: see tags.py).
_INCLUDE = re.compile(r"\{%-?\s*include\s+([^\s%]+)")

_log = logging.getLogger(__name__)


class Includes(BaseLoader):
    """The loader of ``folder``'s files, by their ``/``-separated paths (python-liquid's ``BaseLoader``)."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__()
        self.folder = folder
        self._refused: dict[str, str] = {}
        self._files = site_files(folder, self._refused)
        self._texts: dict[str, str] = {}
        self.loads_left = INCLUDE_LOADS_MAX
        for name, problem in sorted(self._refused.items()):
            if folder is not None and not (folder / name).exists():
                _log.warning("%s: %s", folder / name, problem)  # A loop or a link to nothing.

    def start_post(self) -> None:
        """A post's rendering starts: it gets the whole budget of loads."""
        self.loads_left = INCLUDE_LOADS_MAX

    def get_source(
        self, env: Environment, template_name: str, *, context: RenderContext | None = None, **kwargs: object
    ) -> TemplateSource:
        """The text of the include ``template_name``; a :class:`LiquidError` saying why there is none."""
        self.loads_left -= 1
        if self.loads_left < 0:
            raise LiquidError(
                f"include: more than {INCLUDE_LOADS_MAX:,} includes in one post (do they include each "
                "other many times over?)",
                token=None,
            )
        return TemplateSource(self.text(template_name), template_name, None)

    def text(self, name: str) -> str:
        """The text of the include ``name``, read once; :class:`LiquidError` when it cannot be."""
        known = self._texts.get(name)
        if known is not None:
            return known
        path = self._files.get(name)
        if path is None:
            raise LiquidError(f"include {name}: {self._missing(name)}", token=None)
        try:
            text = decode_post(path, path.read_bytes())
        except OSError as error:
            raise LiquidError(
                f"include {name}: cannot read it: {error.strerror or error}", token=None
            ) from None
        except PostError as error:
            raise LiquidError(f"include {name}: line {error.line}: {error.message}", token=None) from None
        self._texts[name] = text
        return text

    def _missing(self, name: str) -> str:
        """Why there is no include ``name``: refused, or no such file."""
        for part in (name, *(str(parent) for parent in PurePosixPath(name).parents)):
            if part in self._refused:
                return self._refused[part]
        where = self.folder.name if self.folder is not None else "_includes"
        return f"no such file in {where}/"

    def used_by(self, text: str) -> Iterator[str]:
        """The texts of the includes ``text`` names, and of those they name, in turn (each once).

        Includes that cannot be read are passed over: rendering says why.
        """
        seen: set[str] = set()
        waiting = _INCLUDE.findall(text)
        while waiting:
            name = waiting.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                included = self.text(name)
            except LiquidError:
                continue
            yield included
            waiting.extend(_INCLUDE.findall(included))

"""python-frontmatter's handlers, which read front matter: its YAML one, and Hugo's TOML and JSON.

Kept apart from :mod:`feedlib.posts`, which imports them on first use:
python-frontmatter imports PyYAML, and a build that takes every post from its
cache should import neither. ``feedlib.posts.TOMLHandler`` and
``feedlib.posts.JSONObjectHandler`` load this module on first use.
"""

from __future__ import annotations

import tomllib
from typing import Any

from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from .posts import _JSON_START, _TOML_FENCE, _split_json

__all__ = ["TOML", "YAML", "JSONObjectHandler", "TOMLHandler"]


class TOMLHandler(BaseHandler):
    """Hugo's TOML front matter between ``+++`` lines, read with the standard ``tomllib``.

    python-frontmatter's own TOML handler needs the third-party ``toml`` package.
    """

    FM_BOUNDARY = _TOML_FENCE
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        """Parse TOML front matter; raises :class:`tomllib.TOMLDecodeError`."""
        return tomllib.loads(fm)


class JSONObjectHandler(JSONHandler):
    """Hugo's JSON front matter: one object at the top of the file, then the body.

    The object ends where the JSON ends (found by the decoder), not at the
    first line holding ``}``: a one-line object works, and so does a ``}`` in a string.
    """

    FM_BOUNDARY = _JSON_START

    def split(self, text: str) -> tuple[str, str]:
        """The object's text and the body; raises :class:`json.JSONDecodeError`."""
        return _split_json(text)


#: The handlers :mod:`feedlib.posts` reads YAML and TOML front matter with.
YAML = YAMLHandler()
TOML = TOMLHandler()

"""Whether and how posts are rendered as Liquid: settings a build needs without python-liquid.

python-liquid itself (:mod:`feedlib.templates`) is imported only by a build
that renders Liquid.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .model import Post
from .posts import decode_post

__all__ = ["LiquidSettings", "json_value", "liquid_fingerprint", "read_includes", "uses_liquid"]

_LIQUID = re.compile(r"\{[{%]")


@dataclass(frozen=True)
class LiquidSettings:
    """Whether posts are rendered as Liquid, with what ``site.*`` and which includes.

    ``site`` is what ``{{ site.* }}`` reads (all of ``_config.yml`` for a
    Jekyll site; the ``[site]`` table, ``data`` included, otherwise).
    ``includes`` is the ``_includes`` folder, if any; ``root`` is the folder
    ``{% link %}`` paths are relative to.
    """

    enabled: bool = False
    site: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    includes: Path | None = None
    root: Path | None = None


def read_includes(folder: Path | None) -> dict[str, str]:
    """Every file under ``folder`` by its ``/``-separated path; nothing outside it.

    Symbolic links that lead out of the folder are left out.
    """
    if folder is None or not folder.is_dir():
        return {}
    base = folder.resolve()
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        resolved = path.resolve()
        if not path.is_file() or not resolved.is_relative_to(base):
            continue
        found[path.relative_to(folder).as_posix()] = decode_post(path, path.read_bytes())
    return found


def json_value(value: object) -> object:
    """What JSON writes for a value it has no form for: dates as ISO 8601, anything else as text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def liquid_fingerprint(settings: LiquidSettings | None) -> str:
    """A hash of everything besides a post that its Liquid can read: for the cache's fingerprint."""
    if settings is None or not settings.enabled:
        return ""
    from importlib import metadata  # Only for sites that use Liquid: a slow import.

    state = {
        "python-liquid": metadata.version("python-liquid"),
        "site": settings.site,
        "includes": read_includes(settings.includes),
        "root": str(settings.root),
    }
    text = json.dumps(state, sort_keys=True, default=json_value)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def uses_liquid(post: Post, settings: LiquidSettings | None) -> bool:
    """Whether ``post`` is rendered as Liquid: on for the site, not opted out, and any tag in it."""
    if settings is None or not settings.enabled:
        return False
    if post.front_matter.get("render_with_liquid") is False:
        return False
    return _LIQUID.search(post.body) is not None

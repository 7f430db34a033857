"""A Jekyll document's front matter as Jekyll merges it, and the author jekyll-feed names.

Jekyll gives each document the ``defaults`` of ``_config.yml`` whose scope
matches it (``FrontmatterDefaults#all``: a longer scope path wins, then a
scope with a type), deep-merged under the file's own front matter, a value
of ``null`` in the file keeping the default. Categories gather the folders
above ``_posts``, the defaults' and the file's own (a string is split on
whitespace), and ``category`` adds one; tags are the file's ``tag`` or
``tags``, or the defaults'. Pure functions: nothing here reads a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from ..model import Author, FrontMatterDefault, JekyllSite, parse_authors
from ..text import scalar_text
from ..urls import slugify

__all__ = [
    "collection_permalink",
    "collection_placeholders",
    "deep_merge",
    "defaults_for",
    "feed_author",
    "merged_front_matter",
    "scope_applies",
]

_COLLECTION_PLACEHOLDER = re.compile(r":(collection|path|name)(?![a-z_])")


@functools.lru_cache(maxsize=64)
def _glob(pattern: str) -> re.Pattern[str]:
    """Ruby's ``Dir.glob`` pattern as a regular expression: ``*`` stays in a folder, ``**/`` does not."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            end = pattern.find("}", index)
            if end > index:
                out.append("(?:" + "|".join(map(re.escape, pattern[index + 1 : end].split(","))) + ")")
                index = end + 1
                continue
            out.append(re.escape(char))
        elif char == "[":
            end = pattern.find("]", index + 1)
            out.append(pattern[index : end + 1] if end > index else re.escape(char))
            index = end + 1 if end > index else index + 1
            continue
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out))


def _sanitized(path: str) -> str:
    return path.strip("/") if path.startswith("/") else path


def _applies_path(scope_path: str, key: str) -> bool:
    """``applies_path?``: the file's path starts with the scope's (or with a path the scope's glob names).

    A glob is matched against the file and the folders above it (the paths
    of the site it could name that the file's path starts with).
    """
    if not scope_path:
        return True
    if "*" not in scope_path:
        return key.startswith(scope_path)
    pattern = _glob(_sanitized(scope_path))
    parts = key.split("/")
    return any(pattern.fullmatch("/".join(parts[:count])) for count in range(1, len(parts) + 1))


def scope_applies(default: FrontMatterDefault, key: str, kind: str) -> bool:
    """Whether ``default`` applies to the document ``key`` (its path in the site) of type ``kind``."""
    return (default.type is None or default.type == kind) and _applies_path(default.path, key)


def _precedes(old: FrontMatterDefault | None, new: FrontMatterDefault) -> bool:
    """``has_precedence?``: a longer scope path wins; at equal length, one with a type."""
    if old is None:
        return True
    new_path, old_path = _sanitized(new.path), _sanitized(old.path)
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    return new.type is not None or old.type is None


def deep_merge(target: Mapping[str, Any], overwrite: Mapping[str, Any]) -> dict[str, Any]:
    """Jekyll's ``Utils.deep_merge_hashes``: mappings merge key by key; ``None`` keeps the old value."""
    merged = dict(target)
    for key, new in overwrite.items():
        old = merged.get(key)
        if new is None and key in merged:
            continue
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            merged[key] = deep_merge(old, new)
        else:
            merged[key] = new
    return merged


def defaults_for(jekyll: JekyllSite, key: str, kind: str) -> dict[str, Any]:
    """``FrontmatterDefaults#all``: the default front matter of the document ``key`` of type ``kind``."""
    found: dict[str, Any] = {}
    previous: FrontMatterDefault | None = None
    for default in jekyll.defaults:
        if not scope_applies(default, key, kind):
            continue
        if _precedes(previous, default):
            found = deep_merge(found, default.values)
            previous = default
        else:
            found = deep_merge(default.values, found)
    return found


def _as_list(value: object) -> list[Any]:
    """A front-matter list as Jekyll reads one: a string split on whitespace, ``None`` dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return [value]


def _texts(items: Sequence[Any]) -> list[str]:
    """Each item as text (``to_s``), empty ones and repeats left out."""
    texts = (scalar_text(item) if not isinstance(item, list | Mapping) else str(item) for item in items)
    return list(dict.fromkeys(text for text in texts if text))


def merged_front_matter(
    data: Mapping[str, Any], jekyll: JekyllSite, key: str, kind: str, folders: Sequence[str]
) -> dict[str, Any]:
    """The front matter Jekyll gives the document ``key``: defaults, then ``data``, then its terms.

    ``folders`` are the categories its folders give (those above ``_posts``).
    ``categories`` and ``tags`` come out as the lists Jekyll shows: the
    folders', the defaults' and the file's categories and its ``category``;
    its ``tag`` or ``tags``.
    """
    defaults = defaults_for(jekyll, key, kind)
    categories = [*folders, *_as_list(defaults.get("categories")), *_as_list(data.get("categories"))]
    merged = deep_merge(defaults, data)
    single = merged.get("category")
    if single is not None:
        categories += single if isinstance(single, list) else [single]
    merged["categories"] = _texts(categories)
    tag = merged.get("tag")
    if tag is None:
        merged["tags"] = _texts(_as_list(merged.get("tags")))
    else:
        merged["tags"] = _texts(tag if isinstance(tag, list) else [tag])
    return merged


def feed_author(data: Mapping[str, Any], authors: Mapping[str, Author]) -> tuple[Author, ...]:
    """The author jekyll-feed names for a post: ``author``, else the first of ``authors``, looked up in data.

    ``site.data.authors`` (``authors``) names a key's author; a name it does
    not know is the author's name. ``()`` when the post names none (the
    site's author is then the entry's). Raises :class:`ValueError` for an
    author that cannot be read.
    """
    value = data.get("author")
    if value in (None, "", [], {}):
        listed = data.get("authors")
        value = listed[0] if isinstance(listed, list) and listed else None
    if value in (None, "", [], {}):
        return ()
    if isinstance(value, str) and value in authors:
        return (authors[value],)
    return parse_authors(value)[:1]


def collection_placeholders(pattern: str, label: str, key: str) -> str:
    """``pattern`` with a collection document's own placeholders filled, for the document ``key``.

    ``:collection`` is the collection's name, ``:path`` the document's path
    in the collection's folder without its extension, ``:name`` a slug of
    its file name; the post placeholders are left to the permalink.
    """
    folder = f"_{label}/"
    relative = key[len(folder) :] if key.startswith(folder) else key
    path = PurePosixPath(relative)
    cleaned = "/" + str(path.with_suffix("") if path.suffix else path).rstrip(".")
    values = {"collection": label, "path": cleaned, "name": slugify(path.stem)}
    return _COLLECTION_PLACEHOLDER.sub(lambda match: values[match.group(1)], pattern)


def collection_permalink(jekyll: JekyllSite, label: str, key: str) -> str | None:
    """The permalink of the document ``key`` of the collection ``label``: its collection's pattern, filled."""
    pattern = jekyll.collections.get(label)
    return None if pattern is None else collection_placeholders(pattern, label, key)

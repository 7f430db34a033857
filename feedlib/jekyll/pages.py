"""The URLs Jekyll gives a site's pages and collection documents, for ``{% link %}``.

A page (a Markdown or HTML file outside the ``_`` folders) is at its
``permalink``, else at its path with the extension the site's permalink style
gives (``about.md`` is ``/about.html``, or ``/about/`` with ``pretty``; an
``index`` is its folder). Any other file is at its path. A document of a
collection (``_docs/intro.md``) is at its ``permalink``, else at its
collection's pattern (``/:collection/:path:output_ext`` unless the site says
otherwise), front-matter ``defaults`` applied as to a post.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ..dates import jekyll_date_from_filename, parse_jekyll_date, zone
from ..discover import POST_SUFFIXES
from ..model import Post, Site
from ..urls import PERMALINK_STYLES, expand_permalink
from .defaults import collection_permalink, collection_placeholders, merged_front_matter

__all__ = ["collection_of", "document_url", "page_url"]

_DATED = re.compile(
    r":(year|short_year|month|i_month|day|i_day|hour|minute|second|y_day|week|w_year|w_day|"
    r"short_day|long_day|short_month|long_month)(?![a-z_])"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _suffix(style: str) -> str:
    """What a page's URL ends with under a permalink style (Jekyll's ``add_permalink_suffix``)."""
    if style == "pretty":
        return "/"
    if style in PERMALINK_STYLES or style.endswith(":output_ext"):
        return ".html"
    return "/" if style.endswith("/") else ""


def page_url(relative: str, front_matter: Mapping[str, Any], style: str) -> str:
    """A page's URL path (``about.md`` is ``/about.html``, ``/about/`` when ``style`` is pretty)."""
    permalink = front_matter.get("permalink")
    if isinstance(permalink, str) and permalink.strip():
        return "/" + permalink.strip().lstrip("/")
    pure = PurePosixPath(relative)
    folder = "/".join(pure.parts[:-1])
    prefix = f"/{folder}/" if folder else "/"
    if pure.suffix.lower() not in (*POST_SUFFIXES, ".html"):
        return prefix + pure.name
    if pure.stem == "index":
        return prefix
    return prefix + pure.stem + _suffix(style)


def collection_of(key: str, site: Site) -> str | None:
    """The collection (other than the posts) whose folder holds the file ``key``, if any."""
    jekyll = site.jekyll
    first = key.split("/", 1)[0]
    if jekyll is None or not first.startswith("_"):
        return None
    label = first[1:]
    return label if label in jekyll.collections else None


def _terms(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(item) for item in value if item is not None)
    return ()


def document_url(key: str, label: str, own: Mapping[str, Any], site: Site) -> str:
    """The URL path of the document ``key`` of the collection ``label``, whose front matter is ``own``.

    Raises :class:`ValueError` when its permalink needs a date it does not have
    (Jekyll would take the build's).
    """
    jekyll = site.jekyll
    assert jekyll is not None
    front_matter = merged_front_matter(own, jekyll, key, label, ())
    permalink = front_matter.get("permalink")
    if isinstance(permalink, str) and permalink.strip():
        pattern = collection_placeholders(permalink.strip(), label, key)
    else:
        pattern = collection_permalink(jekyll, label, key) or ""
    tz = zone(site.timezone)
    file_date, file_slug = jekyll_date_from_filename(PurePosixPath(key).stem, tz)
    written = front_matter.get("date")
    date = parse_jekyll_date(written, tz) if written is not None else file_date
    if date is None and _DATED.search(pattern):
        raise ValueError(f"{key} has no date, and its permalink {pattern!r} needs one")
    moment = date or _EPOCH
    post = Post(
        path=Path(key),
        title="",
        date=moment,
        updated=moment,
        slug=str(front_matter.get("slug") or file_slug),
        body="",
        categories=tuple(front_matter.get("categories", ())) or _terms(own.get("categories")),
    )
    return expand_permalink(pattern, post, site)

"""How each front-matter key becomes a field of a Post: read, checked, in feedlib's way or Jekyll's.

The readers of :data:`feedlib.posts.FRONT_MATTER`. Each takes the front
matter, the :class:`PostSource` (what the file's name and place say, and the
site) and the fields read before it, and gives one field or raises
:class:`~feedlib.errors.PostError` naming the file and line. A Jekyll site's
post (``site.jekyll`` set) is read as Jekyll reads it: Psych's dates and
``Time.parse``, ``last_modified_at`` as Liquid reads it, titles without
markup, the summary jekyll-feed writes (``description``, else ``excerpt``,
as written), jekyll-feed's author, and any extra keys of ``image`` ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .dates import parse_date, parse_jekyll_date, parse_liquid_date
from .errors import PostError, shown
from .frontmatter import SCALARS, FrontMatter
from .jekyll.defaults import collection_permalink, collection_placeholders, feed_author
from .model import Enclosure, Image, JekyllSite, parse_authors
from .text import collapse_whitespace, scalar_text
from .values import ABSOLUTE_HTTP, check_language, check_media_url, check_mime_type, kind_of

__all__ = [
    "PostSource",
    "read_authors",
    "read_categories",
    "read_enclosure",
    "read_entry_id",
    "read_excerpt",
    "read_excerpt_only",
    "read_image",
    "read_lang",
    "read_permalink",
    "read_published",
    "read_tags",
    "read_title",
    "read_updated",
    "strip_html",
]

_TAG_URI = re.compile(r"^tag:[a-z0-9.-]+(@[a-z0-9.-]+)?,\d{4}(-\d{2}(-\d{2})?)?:\S*$")
_UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
# Liquid's strip_html: script, style and comments with what is in them, then any tag.
_HTML_BLOCKS = re.compile(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<.*?>", re.DOTALL)


@dataclass(frozen=True)
class PostSource:
    """What a post's file says before its front matter: its path, the slug and date in its name.

    ``categories`` are those its folders give; ``jekyll`` is the site's
    Jekyll settings when it is read as Jekyll reads it; ``collection`` is the
    Jekyll collection the file belongs to and ``key`` its path in the site.
    """

    path: Path
    zone: tzinfo
    slug: str
    date: datetime | None
    categories: tuple[str, ...]
    dateless: bool
    # The author dates of its first and last commits, when dates come from git.
    commits: tuple[datetime, datetime] | None = None
    jekyll: JekyllSite | None = None
    key: str = ""
    collection: str = "posts"


# -- reading each key ---------------------------------------------------------------------------

_Fields = Mapping[str, Any]


def _terms(fm: FrontMatter, *keys: str) -> tuple[str, ...]:
    """Categories or tags: lists of scalars, or strings split like Jekyll."""
    terms: list[str] = []
    for key in keys:
        value = fm.data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            parts = value.split(",") if "," in value else value.split()
        elif isinstance(value, list):
            parts = []
            for item in value:
                if type(item) is str:  # Nearly every item: scalar_text would give it back.
                    parts.append(item)
                elif item is None:
                    continue
                elif not isinstance(item, SCALARS):
                    raise fm.error(key, f"expected a list of names, found a {kind_of(item)} in it")
                else:
                    parts.append(scalar_text(item))
        elif isinstance(value, SCALARS):
            parts = [scalar_text(value)]
        else:
            raise fm.error(key, f"expected a list or a comma-separated string, got a {kind_of(value)}")
        terms.extend([part.strip() for part in parts])
    return tuple(dict.fromkeys([term for term in terms if term]))


def read_categories(fm: FrontMatter, file: PostSource, fields: _Fields) -> tuple[str, ...]:
    """The folders' categories, then ``category`` and ``categories`` (Jekyll: as it merged them)."""
    if file.jekyll is not None:
        return tuple(fm.data["categories"])
    return tuple(dict.fromkeys(file.categories + _terms(fm, "category", "categories")))


def read_tags(fm: FrontMatter, file: PostSource, fields: _Fields) -> tuple[str, ...]:
    """``tag`` and ``tags`` (Jekyll: as it merged them)."""
    if file.jekyll is not None:
        return tuple(fm.data["tags"])
    return _terms(fm, "tag", "tags")


def _date(fm: FrontMatter, file: PostSource, *keys: str) -> datetime | None:
    found = fm.first(*keys)
    if found is None:
        return None
    key, value = found
    read = parse_date
    if file.jekyll is not None:
        read = parse_jekyll_date if key == "date" else parse_liquid_date
    try:
        return read(value, file.zone)
    except ValueError as error:
        raise fm.error(key, str(error)) from None


def read_published(fm: FrontMatter, file: PostSource, fields: _Fields) -> datetime:
    """``date``, else the file name's date."""
    published = _date(fm, file, "date") or file.date or (file.commits[0] if file.commits else None)
    if published is None:
        hint = (
            "a draft needs 'date: 2025-10-08 08:40:48 +0000' in its front matter "
            "(Jekyll would use the file's modification time, which no two checkouts share)"
            if file.dateless
            else "add 'date: 2025-10-08 08:40:48 +0000' to the front matter "
            "or name the file YYYY-MM-DD-slug.md"
        )
        raise PostError(file.path, f"no date: {hint}", fm.line_of("date"))
    return published


def read_updated(fm: FrontMatter, file: PostSource, fields: _Fields) -> datetime:
    """``last_modified_at``, ``updated`` or ``lastmod`` (Jekyll: ``last_modified_at`` only), else the date.

    When dates come from git, the last commit's time (never before the published time).
    """
    published: datetime = fields["date"]
    if file.commits is not None:
        return max(file.commits[1], published)
    if file.jekyll is not None:
        return _date(fm, file, "last_modified_at") or published
    return _date(fm, file, "last_modified_at", "updated", "lastmod") or published


def read_authors(fm: FrontMatter, file: PostSource, fields: _Fields) -> Any:
    """``author`` or ``authors`` (Jekyll: jekyll-feed's one author, looked up in ``site.data.authors``)."""
    found = fm.first("author", "authors")
    if found is None:
        return () if file.jekyll is None else file.jekyll.author
    key, value = found
    try:
        if file.jekyll is not None:
            return feed_author(fm.data, file.jekyll.authors) or file.jekyll.author
        return parse_authors(value)
    except ValueError as error:
        raise fm.error(key, str(error)) from None


def _titleize(slug: str) -> str:
    # Jekyll's Utils.titleize_slug.
    return " ".join(word.capitalize() for word in slug.split("-"))


def strip_html(text: str) -> str:
    """Liquid's ``strip_html``: tags (and scripts, styles and comments) removed, entities kept."""
    return _HTML_TAG.sub("", _HTML_BLOCKS.sub("", text))


def read_title(fm: FrontMatter, file: PostSource, fields: _Fields) -> str:
    """``title`` (Jekyll: without markup, as jekyll-feed writes it), else from the slug."""
    title = fm.scalar("title") or ""
    if file.jekyll is not None:
        title = strip_html(title)
    return collapse_whitespace(title) or _titleize(fields["slug"])


def read_excerpt(fm: FrontMatter, file: PostSource, fields: _Fields) -> str | None:
    """``excerpt``, ``summary`` or ``description`` (Jekyll: ``description``, else ``excerpt``, as written)."""
    if file.jekyll is not None:
        return fm.scalar("description", "excerpt")
    return fm.scalar("excerpt", "summary", "description")


def read_permalink(fm: FrontMatter, file: PostSource, fields: _Fields) -> str | None:
    """``permalink`` or ``url`` (Jekyll: ``permalink``, else its collection's pattern for a document)."""
    if file.jekyll is None:
        return (fm.scalar("permalink", "url") or "").strip() or None
    own = (fm.scalar("permalink") or "").strip()
    if file.collection == "posts":
        return own or None
    if own:
        return collection_placeholders(own, file.collection, file.key)
    return collection_permalink(file.jekyll, file.collection, file.key)


def read_entry_id(fm: FrontMatter, file: PostSource, fields: _Fields) -> str | None:
    """Front-matter ``id``: relative (resolved later), or an http(s), tag: or urn:uuid: URI.

    Jekyll's document id is not its front matter's: a Jekyll site's ``id`` is not read.
    """
    value = fm.scalar("id") if file.jekyll is None else None
    if value is None:
        return None
    value = value.strip()
    scheme = urlsplit(value).scheme.lower()
    if not scheme:
        return value
    if (scheme in ("http", "https") and ABSOLUTE_HTTP.match(value)) or (
        _TAG_URI.match(value) or _UUID_URN.match(value)
    ):
        return value
    raise fm.error(
        "id",
        f"{shown(value)} is not a feed id: use an http(s) URL, a tag: URI "
        "(tag:example.com,2025:post-1) or urn:uuid:…, or leave id out to use the permalink",
    )


def _url_text(fm: FrontMatter, value: object, key: str, field: str | None = None) -> str:
    def error(message: str) -> PostError:
        return fm.field_error(key, field, message) if field else fm.error(key, message)

    try:
        return check_media_url(value)
    except ValueError as problem:
        raise error(str(problem)) from None


def read_image(fm: FrontMatter, file: PostSource, fields: _Fields) -> Image | None:
    """Front-matter ``image``: a URL, or ``{path, alt}`` (Jekyll SEO's form; Jekyll: other keys ignored)."""
    value = fm.data.get("image")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        return Image(_url_text(fm, value, "image"))
    if file.jekyll is not None and value.get("path") in (None, ""):
        return None  # jekyll-feed reads image.path only.
    unknown = sorted(str(key) for key in value if key not in ("path", "alt"))
    if unknown and file.jekyll is None:
        raise fm.error("image", f"unknown key {shown(unknown[0])}; an image has path and alt")
    alt = value.get("alt")
    if alt is not None and not isinstance(alt, SCALARS):
        raise fm.field_error("image", "alt", f"must be text, got a {kind_of(alt)}")
    alt_text = collapse_whitespace(scalar_text(alt)) if alt is not None else ""
    return Image(_url_text(fm, value.get("path"), "image", "path"), alt_text or None)


def read_enclosure(fm: FrontMatter, file: PostSource, fields: _Fields) -> Enclosure | None:
    """Front-matter ``enclosure: {url, length, type}``, each checked."""
    value = fm.data.get("enclosure")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise fm.error("enclosure", f"expected a mapping with url, length and type, got a {kind_of(value)}")
    unknown = sorted(str(key) for key in value if key not in ("url", "length", "type"))
    if unknown:
        raise fm.error("enclosure", f"unknown key {shown(unknown[0])}; an enclosure has url, length and type")
    length, kind = value.get("length"), value.get("type")
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise fm.field_error(
            "enclosure", "length", f"must be the file's size in bytes (0 or more), got {shown(length)}"
        )
    try:
        mime_type = check_mime_type(kind)
    except ValueError as error:
        raise fm.field_error("enclosure", "type", str(error)) from None
    return Enclosure(_url_text(fm, value.get("url"), "enclosure", "url"), length, mime_type)


def read_excerpt_only(fm: FrontMatter, file: PostSource, fields: _Fields) -> bool:
    """``excerpt_only: true``, or jekyll-feed's ``feed: {excerpt_only: true}``."""
    feed = fm.data.get("feed")
    nested = feed.get("excerpt_only") if isinstance(feed, Mapping) else None
    if file.jekyll is not None:
        # Liquid's truth, after jekyll-feed's `default`: anything but nothing, false and empty.
        return nested not in (None, False, "", [], {}) or fm.data.get("excerpt_only") is True
    if nested is not None and not isinstance(nested, bool):
        raise fm.field_error("feed", "excerpt_only", f"expected true or false, got {shown(nested)}")
    return fm.flag("excerpt_only") is True or nested is True


def read_lang(fm: FrontMatter, file: PostSource, fields: _Fields) -> str | None:
    """``lang``: the post's language tag, ``_`` written ``-`` (``en_US`` is ``en-US``)."""
    value = fm.scalar("lang")
    if value is None or not value.strip():
        return None
    try:
        return check_language(value.strip().replace("_", "-"), "lang")
    except ValueError:
        raise fm.error("lang", f"must be a language tag such as ja or en-US, got {shown(value)}") from None

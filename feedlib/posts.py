"""One post file → a :class:`~feedlib.model.Post`: bytes → text → front matter → checked fields.

Every front-matter key feedlib reads is in one table, :data:`FRONT_MATTER`
(as Pelican's ``METADATA_PROCESSORS``): the Post field it gives, the keys it
is read from, how, and what Liquid's ``page.*`` shows of it. Reading a post
is cheap on purpose: nothing is rendered here, so a feed of the newest twenty
posts never pays for Markdown in the rest of the archive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .dates import date_from_filename, parse_date, zone
from .discover import discover_posts
from .errors import PostError, raise_or_report, shown
from .frontmatter import SCALARS, FrontMatter, split_front_matter
from .limits import MAX_POST_BYTES
from .model import Enclosure, Image, Post, PostFile, Site, parse_authors
from .onsite import check_links
from .text import collapse_whitespace, scalar_text, strip_xml_illegal, utf8_is_xml_legal
from .values import ABSOLUTE_HTTP, check_language, check_media_url, check_mime_type, kind_of

__all__ = [
    "FRONT_MATTER",
    "FrontMatterKey",
    "decode_post",
    "load_post",
    "load_posts",
    "parse_post",
    "parse_post_file",
    "read_bytes",
    "read_post",
]

_BOM = b"\xef\xbb\xbf"
_TAG_URI = re.compile(r"^tag:[a-z0-9.-]+(@[a-z0-9.-]+)?,\d{4}(-\d{2}(-\d{2})?)?:\S*$")
_UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def decode_post(path: Path, raw: bytes) -> str:
    """The text of a post file: UTF-8 without a BOM, Unix line ends, no XML-illegal characters.

    Raises :class:`PostError` naming the file and line of the first invalid byte.
    """
    skipped = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        text = raw[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skipped + error.start
        line = raw.count(b"\n", 0, offset) + 1
        raise PostError(
            path,
            f"not valid UTF-8: byte 0x{raw[offset]:02x} at byte offset {offset}; save the file as UTF-8",
            line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Checking the bytes is much faster than stripping the text, and most files have nothing to strip.
    return text if utf8_is_xml_legal(raw) else strip_xml_illegal(text)


@dataclass(frozen=True)
class _File:
    """What a post's file says before its front matter: its path, and the slug and date in its name."""

    path: Path
    zone: tzinfo
    slug: str
    date: datetime | None
    categories: tuple[str, ...]
    dateless: bool
    # The author dates of its first and last commits, when dates come from git.
    commits: tuple[datetime, datetime] | None = None


# -- reading each key ---------------------------------------------------------------------------


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


def _date(fm: FrontMatter, tz: tzinfo, *keys: str) -> datetime | None:
    found = fm.first(*keys)
    if found is None:
        return None
    key, value = found
    try:
        return parse_date(value, tz)
    except ValueError as error:
        raise fm.error(key, str(error)) from None


def _published(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> datetime:
    published = _date(fm, file.zone, "date") or file.date or (file.commits[0] if file.commits else None)
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


def _updated(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> datetime:
    """The last commit's time when dates come from git (never before published), else the front matter's."""
    published: datetime = fields["date"]
    if file.commits is not None:
        return max(file.commits[1], published)
    return _date(fm, file.zone, "last_modified_at", "updated", "lastmod") or published


def _authors(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> Any:
    found = fm.first("author", "authors")
    if found is None:
        return ()
    key, value = found
    try:
        return parse_authors(value)
    except ValueError as error:
        raise fm.error(key, str(error)) from None


def _titleize(slug: str) -> str:
    # Jekyll's Utils.titleize_slug.
    return " ".join(word.capitalize() for word in slug.split("-"))


def _entry_id(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> str | None:
    """Front-matter ``id``: relative (resolved later), or an http(s), tag: or urn:uuid: URI."""
    value = fm.scalar("id")
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


def _image(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> Image | None:
    """Front-matter ``image``: a URL, or ``{path, alt}`` (Jekyll SEO's form)."""
    value = fm.data.get("image")
    if value is None:
        return None
    if isinstance(value, Mapping):
        unknown = sorted(str(key) for key in value if key not in ("path", "alt"))
        if unknown:
            raise fm.error("image", f"unknown key {shown(unknown[0])}; an image has path and alt")
        alt = value.get("alt")
        if alt is not None and not isinstance(alt, SCALARS):
            raise fm.field_error("image", "alt", f"must be text, got a {kind_of(alt)}")
        alt_text = collapse_whitespace(scalar_text(alt)) if alt is not None else ""
        return Image(_url_text(fm, value.get("path"), "image", "path"), alt_text or None)
    return Image(_url_text(fm, value, "image"))


def _enclosure(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> Enclosure | None:
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


def _language(fm: FrontMatter, file: _File, fields: Mapping[str, Any]) -> str | None:
    """Front-matter ``lang``: a language tag, ``_`` written as ``-`` (``en_US`` is ``en-US``)."""
    value = fm.scalar("lang")
    if value is None or not value.strip():
        return None
    tag = value.strip().replace("_", "-")
    try:
        return check_language(tag, "lang")
    except ValueError:
        raise fm.error("lang", f"must be a language tag such as ja or en-US, got {shown(value)}") from None


# -- the table --------------------------------------------------------------------------------

_Reader = Callable[[FrontMatter, _File, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class FrontMatterKey:
    """One field of :class:`~feedlib.model.Post` and the front-matter keys it is read from.

    ``read`` gives the field's value from the front matter, the file, and
    the fields read before it in :data:`FRONT_MATTER` (a title falls back on
    the slug). ``page`` is the name Liquid's ``page.*`` shows the field
    under (``None``: Liquid shows the front matter as written).
    ``meaning`` is what the docs say of it.
    """

    field: str
    keys: tuple[str, ...]
    read: _Reader
    meaning: str
    page: str | None = None


def _key(field: str, *keys: str, read: _Reader, meaning: str, page: str | None = None) -> FrontMatterKey:
    return FrontMatterKey(field, keys, read, meaning, page)


#: Every front-matter key feedlib reads, in the order they are read (a key may use the ones before it).
FRONT_MATTER: tuple[FrontMatterKey, ...] = (
    _key(
        "slug", "slug",
        read=lambda fm, file, fields: fm.scalar("slug") or file.slug,
        meaning="replaces the file-name slug in :title and :slug",
        page="slug",
    ),
    _key(
        "date", "date",
        read=_published,
        meaning="the published time; missing: the file name's YYYY-MM-DD- prefix",
        page="date",
    ),
    _key("authors", "author", "authors", read=_authors, meaning="the entry's authors (default: the site's)"),
    _key(
        "title", "title",
        read=lambda fm, file, fields: (
            collapse_whitespace(fm.scalar("title") or "") or _titleize(fields["slug"])
        ),
        meaning="the entry title; missing: from the file name, as Jekyll",
        page="title",
    ),
    _key(
        "updated", "last_modified_at", "updated", "lastmod",
        read=_updated,
        meaning="the entry's updated time (default: date; with dates from git, the last commit's)",
    ),
    _key(
        "categories", "category", "categories",
        read=lambda fm, file, fields: tuple(
            dict.fromkeys(file.categories + _terms(fm, "category", "categories"))
        ),
        meaning="a list, or a string split on commas if it has any, else on whitespace",
        page="categories",
    ),
    _key(
        "tags", "tag", "tags",
        read=lambda fm, file, fields: _terms(fm, "tag", "tags"),
        meaning="as categories",
        page="tags",
    ),
    _key(
        "excerpt", "excerpt", "summary", "description",
        read=lambda fm, file, fields: fm.scalar("excerpt", "summary", "description"),
        meaning="the summary (Markdown, reduced to text)",
    ),
    _key(
        "permalink", "permalink", "url",
        read=lambda fm, file, fields: (fm.scalar("permalink", "url") or "").strip() or None,
        meaning="the post's URL (placeholders allowed), instead of the site pattern",
    ),
    _key("id", "id", read=_entry_id, meaning="the entry id (default: the absolute URL)"),
    _key(
        "draft", "published", "draft",
        read=lambda fm, file, fields: fm.flag("published") is False or fm.flag("draft") is True,
        meaning="published: false or draft: true leave the post out",
    ),
    _key("image", "image", read=_image, meaning="a URL, or {path, alt}"),
    _key("enclosure", "enclosure", read=_enclosure, meaning="{url, length, type}"),
    _key(
        "excerpt_only", "excerpt_only",
        read=lambda fm, file, fields: fm.flag("excerpt_only") is True,
        meaning="true: this post's entries carry only the summary",
    ),
    _key(
        "liquid", "render_with_liquid",
        read=lambda fm, file, fields: fm.data.get("render_with_liquid") is not False,
        meaning="false: the post is not rendered as Liquid",
    ),
    _key("lang", "lang", read=_language, meaning="the post's language tag, such as ja (default: the site's)"),
)  # fmt: skip


def parse_post(
    path: Path,
    text: str,
    site: Site,
    *,
    categories: tuple[str, ...] = (),
    dateless: bool = False,
    commits: tuple[datetime, datetime] | None = None,
) -> Post:
    """The post that ``text`` (from :func:`decode_post`) says; ``path`` is where it came from.

    ``categories`` come before the front matter's (Jekyll's folders above
    ``_posts``). A ``dateless`` file (a Jekyll draft) takes no date from its
    name, and needs one in its front matter. ``commits`` are the author
    dates of its first and last commits, when dates come from git: the
    last is its updated time, the first its published time if neither its
    front matter nor its name gives one. Raises :class:`PostError` naming
    the file (and line).
    """
    fm = split_front_matter(path, text)
    tz = zone(site.timezone)
    file_date, file_slug = (None, path.stem) if dateless else date_from_filename(path.stem, tz)
    file = _File(path, tz, file_slug, file_date, categories, dateless, commits)
    fields: dict[str, Any] = {}
    for key in FRONT_MATTER:
        fields[key.field] = key.read(fm, file, fields)
    post = Post(
        path=path,
        body=fm.body,
        front_matter=dict(fm.data),
        body_line=text.count("\n", 0, len(text) - len(fm.body)) + 1,
        **fields,
    )
    check_links(fm, post, site)
    return post


def read_bytes(file: PostFile) -> bytes:
    """The bytes of ``file``; :class:`PostError` naming it when it cannot be read or is too large.

    A post is at most :data:`~feedlib.limits.MAX_POST_BYTES`: a larger file
    is refused by its size, unread. (``read(limit)`` would be four times
    slower on the small files every build reads.)
    """
    try:
        with open(file.location, "rb") as handle:  # noqa: PTH123 (a Path costs more than the read)
            too_large = os.fstat(handle.fileno()).st_size > MAX_POST_BYTES
            raw = b"" if too_large else handle.read()
    except OSError as error:
        raise PostError(file.location, f"cannot read: {error.strerror or error}") from None
    if too_large or len(raw) > MAX_POST_BYTES:
        raise PostError(
            file.location, f"larger than {MAX_POST_BYTES >> 20} MiB, the most a post may be: split it"
        )
    return raw


def parse_post_file(file: PostFile, raw: bytes, site: Site) -> Post:
    """The post ``raw`` (the bytes of ``file``) says; :class:`PostError` naming the file (and line)."""
    path = file.path
    first, last = file.first_commit, file.last_commit
    commits = (first, last) if first is not None and last is not None else None
    text = decode_post(path, raw)
    return parse_post(path, text, site, categories=file.categories, dateless=file.dateless, commits=commits)


def read_post(file: PostFile, site: Site) -> tuple[Post, bytes]:
    """The post in ``file``, and the bytes it was read from; :class:`PostError` naming the file."""
    raw = read_bytes(file)
    return parse_post_file(file, raw, site), raw


def load_post(path: Path | str, site: Site) -> Post:
    """Read one post file. Raises :class:`PostError` naming the file (and line)."""
    return read_post(PostFile(Path(path).name, str(path)), site)[0]


def load_posts(
    folder: Path | str,
    site: Site,
    on_error: Callable[[PostError], None] | None = None,
) -> list[Post]:
    """Every post under ``folder`` (:func:`~feedlib.discover.discover_posts`), read with :func:`load_post`.

    Without ``on_error``, any invalid post raises :class:`PostErrors` listing
    every invalid file. With it, each :class:`PostError` is passed to
    ``on_error`` and that post is left out.
    """
    posts: list[Post] = []
    errors: list[PostError] = []
    for file in discover_posts(folder, errors.append):
        try:
            posts.append(read_post(file, site)[0])
        except PostError as error:
            errors.append(error)
    raise_or_report(errors, on_error)
    return posts

"""One post file → a :class:`~feedlib.model.Post`: bytes → text → front matter → checked fields.

Every front-matter key feedlib reads is in one table, :data:`FRONT_MATTER`
(as Pelican's ``METADATA_PROCESSORS``): the Post field it gives, the keys it
is read from, how, and what Liquid's ``page.*`` shows of it. Reading a post
is cheap on purpose: nothing is rendered here, so a feed of the newest twenty
posts never pays for Markdown in the rest of the archive.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .dates import date_from_filename, jekyll_date_from_filename, zone
from .discover import discover_posts
from .errors import PostError, raise_or_report
from .fields import (
    PostSource,
    read_authors,
    read_categories,
    read_enclosure,
    read_entry_id,
    read_excerpt,
    read_excerpt_only,
    read_image,
    read_lang,
    read_permalink,
    read_published,
    read_tags,
    read_title,
    read_updated,
)
from .frontmatter import HANDLERS, FrontMatter, split_front_matter
from .jekyll.defaults import merged_front_matter
from .limits import MAX_POST_BYTES
from .model import Post, PostFile, Site
from .onsite import check_links
from .psych import JEKYLL_HANDLERS
from .text import strip_xml_illegal, utf8_is_xml_legal

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


# -- the table --------------------------------------------------------------------------------

_Reader = Callable[[FrontMatter, PostSource, Mapping[str, Any]], Any]


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
        read=read_published,
        meaning="the published time; missing: the file name's YYYY-MM-DD- prefix",
        page="date",
    ),
    _key(
        "authors", "author", "authors",
        read=read_authors,
        meaning="the entry's authors (default: the site's)",
    ),
    _key(
        "title", "title",
        read=read_title,
        meaning="the entry title; missing: from the file name, as Jekyll",
        page="title",
    ),
    _key(
        "updated", "last_modified_at", "updated", "lastmod",
        read=read_updated,
        meaning="the entry's updated time (default: date; with dates from git, the last commit's)",
    ),
    _key(
        "categories", "category", "categories",
        read=read_categories,
        meaning="a list, or a string split on commas if it has any, else on whitespace",
        page="categories",
    ),
    _key("tags", "tag", "tags", read=read_tags, meaning="as categories", page="tags"),
    _key(
        "excerpt", "excerpt", "summary", "description",
        read=read_excerpt,
        meaning="the summary (Markdown, reduced to text)",
    ),
    _key(
        "permalink", "permalink", "url",
        read=read_permalink,
        meaning="the post's URL (placeholders allowed), instead of the site pattern",
    ),
    _key("id", "id", read=read_entry_id, meaning="the entry id (default: the absolute URL)"),
    _key(
        "draft", "published", "draft",
        read=lambda fm, file, fields: fm.flag("published") is False or fm.flag("draft") is True,
        meaning="published: false or draft: true leave the post out",
    ),
    _key("image", "image", read=read_image, meaning="a URL, or {path, alt}"),
    _key("enclosure", "enclosure", read=read_enclosure, meaning="{url, length, type}"),
    _key(
        "excerpt_only", "excerpt_only", "feed",
        read=read_excerpt_only,
        meaning="true: this post's entries carry only the summary",
    ),
    _key(
        "liquid", "render_with_liquid",
        read=lambda fm, file, fields: fm.data.get("render_with_liquid") is not False,
        meaning="false: the post is not rendered as Liquid",
    ),
    _key(
        "lang", "lang",
        read=read_lang,
        meaning="the post's language tag, such as ja (default: the site's): its entry's xml:lang",
        page="lang",
    ),
    _key(
        "excerpt_separator", "excerpt_separator",
        read=lambda fm, file, fields: fm.scalar("excerpt_separator"),
        meaning="where the summary ends in the body, instead of <!--more-->",
    ),
)  # fmt: skip


def _source(path: Path, site: Site, file: PostFile) -> PostSource:
    """What ``file``'s name and place say of the post at ``path``, read as ``site`` reads it."""
    tz = zone(site.timezone)
    if file.dateless:
        file_date, file_slug = None, path.stem
    elif site.jekyll is not None:
        try:
            file_date, file_slug = jekyll_date_from_filename(path.stem, tz)
        except ValueError as error:
            raise PostError(path, f"the date in the file name: {error}") from None
    else:
        file_date, file_slug = date_from_filename(path.stem, tz)
    first, last = file.first_commit, file.last_commit
    commits = (first, last) if first is not None and last is not None else None
    return PostSource(
        path,
        tz,
        file_slug,
        file_date,
        file.categories,
        file.dateless,
        commits,
        site.jekyll,
        file.key,
        file.collection,
    )


def parse_post(
    path: Path,
    text: str,
    site: Site,
    *,
    categories: tuple[str, ...] = (),
    dateless: bool = False,
    commits: tuple[datetime, datetime] | None = None,
    file: PostFile | None = None,
) -> Post:
    """The post that ``text`` (from :func:`decode_post`) says; ``path`` is where it came from.

    ``categories`` come before the front matter's (Jekyll's folders above
    ``_posts``). A ``dateless`` file (a Jekyll draft) takes no date from its
    name, and needs one in its front matter. ``commits`` are the author
    dates of its first and last commits, when dates come from git: the
    last is its updated time, the first its published time if neither its
    front matter nor its name gives one. ``file`` (whose key names it in a
    Jekyll site's ``defaults``) says all three instead, when given. Raises
    :class:`PostError` naming the file (and line).
    """
    if file is None:
        first, last = commits if commits is not None else (None, None)
        file = PostFile(path.name, str(path), categories, dateless, first, last)
    source = _source(path, site, file)
    jekyll = site.jekyll
    fm = split_front_matter(path, text, JEKYLL_HANDLERS if jekyll is not None else HANDLERS)
    if jekyll is not None:
        kind = "posts" if file.collection == "posts" else file.collection
        fm = fm.merged(merged_front_matter(fm.data, jekyll, file.key, kind, file.categories))
    fields: dict[str, Any] = {}
    for key in FRONT_MATTER:
        fields[key.field] = key.read(fm, source, fields)
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
    return parse_post(path, decode_post(path, raw), site, file=file)


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

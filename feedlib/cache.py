"""The build cache: what each post file says and renders to, kept between builds.

A record is reused only while the file's bytes (by BLAKE2b hash) and every
setting that affects reading or rendering (by :func:`settings_fingerprint`)
are the same, so an unchanged post is neither parsed nor rendered again.

Everything lives in one JSON file, written atomically: a warm build of a
large archive reads one file, not one per post. JSON and not pickle, because
loading a cache must never run code. Anything unexpected in it (truncated,
garbage, another version, wrong shapes) is logged at debug level and
ignored: the post is read again, never trusted and never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ._version import __version__
from .model import Author, Enclosure, Image, Post, Rendered, Site
from .publish import write_atomic

__all__ = ["CACHE_FILE", "CACHE_VERSION", "CachedPost", "PostCache", "content_digest", "settings_fingerprint"]

#: The cache file inside the cache folder.
CACHE_FILE = "posts.json"
#: The layout of the cache file; a file of another version is ignored.
CACHE_VERSION = 2

# The libraries whose behaviour shapes a Post or its HTML.
_LIBRARIES = (
    "markdown",
    "python-frontmatter",
    "PyYAML",
    "lxml",
    "python-dateutil",
    "tzdata",
    "nh3",
    "cmarkgfm",
)

# An escape json.dumps(ensure_ascii=False) writes only for characters XML forbids.
_FOREIGN_ESCAPE = re.compile(r"(?:^|[^\\])(?:\\\\)*\\[bfu]")

_log = logging.getLogger(__name__)


class _Invalid(ValueError):
    """A cache record that does not have the shape this version writes."""


def content_digest(raw: bytes) -> str:
    """The hash that identifies a file's bytes in the cache."""
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def settings_fingerprint(site: Site, extra: str = "") -> str:
    """A hash of everything besides a post's bytes that decides what it reads and renders as.

    Site fields that only the feed as a whole shows (title, description,
    authors, language) are left out: they never reach a cached record.
    ``extra`` stands for any other such setting (Liquid's, from
    :func:`feedlib.templates.liquid_fingerprint`).
    """
    settings = {
        "cache": CACHE_VERSION,
        "feedlib": __version__,
        "python": list(sys.version_info[:2]),
        "libraries": {name: _library_version(name) for name in _LIBRARIES},
        "url": site.url,
        "timezone": site.timezone,
        "permalink": site.permalink,
        "summary_length": site.summary_length,
        "markdown_extensions": list(site.markdown_extensions),
        "renderer": site.renderer,
        "content": site.content,
        "sanitize": site.sanitize,
    }
    if extra:
        settings["extra"] = extra
    text = json.dumps(settings, sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


# --- JSON shapes -----------------------------------------------------------
# Lists, not objects: a warm build decodes one record per post file, and
# json.loads is bound by the number of tokens.
#   record:   [digest, url, id, post, rendered or null]
#   post:     [title, date, updated, slug, categories, tags, authors, excerpt, permalink, id, draft,
#              image, enclosure, excerpt_only]
#   image:    [url, alt or null] or null;  enclosure: [url, length, type] or null
#   time:     [iso time with offset] or [local iso time, fold, zone name]
#   author:   [name, email or null, uri or null]
#   rendered: [html, summary]

_DIGEST, _URL, _ID, _POST, _RENDERED = range(5)
_RECORD_LENGTH = 5
_POST_LENGTH = 14


def _encode_time(moment: datetime) -> list[Any] | None:
    # A zone name, not only an offset: the same wall time in Asia/Tokyo and in
    # "+09:00" can print differently, and a feed must come out byte for byte.
    if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key:
        return [moment.replace(tzinfo=None).isoformat(), moment.fold, moment.tzinfo.key]
    if type(moment.tzinfo) is timezone:
        return [moment.isoformat()]
    return None  # A time zone this cache cannot write down: the post is not cached.


def _text(value: object) -> str:
    # No string can hold a character XML forbids: _records_in checked the whole file.
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {type(value).__name__}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _list(value: object, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise _Invalid(f"expected a list of {length or 'any number of'} items")
    return value


def _texts(value: object) -> tuple[str, ...]:
    return tuple(_text(item) for item in _list(value))


def _decode_time(value: object) -> datetime:
    parts = _list(value)
    if len(parts) == 3:
        local, fold, name = parts
        if fold not in (0, 1) or isinstance(fold, bool):
            raise _Invalid("fold must be 0 or 1")
        moment = datetime.fromisoformat(_text(local))
        if moment.tzinfo is not None:
            raise _Invalid("a local time carries no offset")
        return moment.replace(tzinfo=ZoneInfo(_text(name)), fold=fold)
    moment = datetime.fromisoformat(_text(_list(parts, 1)[0]))
    if moment.utcoffset() is None:
        raise _Invalid("a time without an offset")
    return moment


def _encode_post(post: Post) -> list[Any] | None:
    date, updated = _encode_time(post.date), _encode_time(post.updated)
    if date is None or updated is None:
        return None
    authors = [[author.name, author.email, author.uri] for author in post.authors]
    return [
        post.title,
        date,
        updated,
        post.slug,
        list(post.categories),
        list(post.tags),
        authors,
        post.excerpt,
        post.permalink,
        post.id,
        post.draft,
        [post.image.url, post.image.alt] if post.image else None,
        [post.enclosure.url, post.enclosure.length, post.enclosure.type] if post.enclosure else None,
        post.excerpt_only,
    ]


def _decode_author(value: object) -> Author:
    name, email, uri = _list(value, 3)
    return Author(_text(name), _optional_text(email), _optional_text(uri))


# A warm build decodes one record per post, and most posts share their authors,
# categories and tags: each distinct list is checked and built once per process.
_SHARED: dict[tuple[str, object], Any] = {}
_SHARED_MAX = 4096


def _frozen(item: object) -> object:
    return tuple(item) if type(item) is list else item


def _shared(kind: str, value: object) -> Any:
    # A key never equals one of a list of another shape: str, None and tuple compare unequal.
    try:
        items = _list(value)
        key = (kind, tuple(items) if kind == "terms" else tuple(map(_frozen, items)))
        return _SHARED[key]
    except KeyError:
        pass
    except TypeError:  # Something unhashable in it: not a shape this cache writes.
        raise _Invalid(f"unexpected {kind}") from None
    decoded = tuple(_decode_author(item) for item in _list(value)) if kind == "authors" else _texts(value)
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    _SHARED[key] = decoded
    return decoded


def _decode_image(value: object) -> Image | None:
    if value is None:
        return None
    url, alt = _list(value, 2)
    return Image(_text(url), _optional_text(alt))


def _decode_enclosure(value: object) -> Enclosure | None:
    if value is None:
        return None
    url, length, kind = _list(value, 3)
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise _Invalid("an enclosure's length must be a whole number")
    return Enclosure(_text(url), length, _text(kind))


def _decode_post(value: object, path: Path) -> Post:
    fields = _list(value, _POST_LENGTH)
    title, date, updated, slug, categories, tags, authors, excerpt, permalink, ident, draft = fields[:11]
    image, enclosure, excerpt_only = fields[11:]
    if not isinstance(draft, bool) or not isinstance(excerpt_only, bool):
        raise _Invalid("draft and excerpt_only must be true or false")
    published = _decode_time(date)
    return Post(
        path=path,
        title=_text(title),
        date=published,
        # Most posts were not updated: the same time, decoded once.
        updated=published if updated == date else _decode_time(updated),
        slug=_text(slug),
        body="",
        categories=_shared("terms", categories),
        tags=_shared("terms", tags),
        authors=_shared("authors", authors),
        excerpt=_optional_text(excerpt),
        permalink=_optional_text(permalink),
        id=_optional_text(ident),
        draft=draft,
        image=_decode_image(image),
        enclosure=_decode_enclosure(enclosure),
        excerpt_only=excerpt_only,
    )


def _decode_rendered(value: object) -> Rendered:
    html, summary = _list(value, 2)
    return Rendered(_text(html), _text(summary))


def _holds_xml_illegal(text: str) -> bool:
    r"""Whether decoding the JSON ``text`` could give a string with a character XML forbids.

    Checking the file once costs far less than checking every string in it.
    Raw, strict UTF-8 has no surrogates, and JSON rejects raw control
    characters, which leaves U+FFFE and U+FFFF. This cache writes every other
    character raw except \t \n \r " and \\, so an escape \b, \f or \uXXXX
    (after an even run of backslashes) was not written by it.
    """
    if "\ufffe" in text or "\uffff" in text:
        return True
    maybe_escaped = "\\u" in text or "\\b" in text or "\\f" in text
    return maybe_escaped and _FOREIGN_ESCAPE.search(text) is not None


def _records_in(raw: bytes, fingerprint: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
        if _holds_xml_illegal(text):
            raise _Invalid("holds characters that XML forbids, or escapes this cache never writes")
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _Invalid(f"is not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        raise _Invalid(f"is not a version {CACHE_VERSION} cache")
    if data.get("fingerprint") != fingerprint:
        raise _Invalid("was made with other settings or library versions")
    posts = data.get("posts")
    if not isinstance(posts, dict):
        raise _Invalid("has no table of posts")
    return posts


# --- the cache ---------------------------------------------------------------


@dataclass(frozen=True)
class CachedPost:
    """What the cache keeps of a post: the post, its URL and its entry id.

    The post's ``body`` is left out (empty) to keep the cache small, and so is
    its ``front_matter``: :func:`feedlib.posts.post_body` gets the body back
    from the file without YAML. ``url`` and ``id`` are kept because every
    build compares them across all posts.
    """

    post: Post
    url: str
    id: str


class PostCache:
    """Records of posts and their renderings, by file key (its path relative to the posts folder).

    A cache without a ``folder`` lives in memory only and is never saved.
    """

    def __init__(
        self,
        fingerprint: str,
        records: Mapping[str, Any] | None = None,
        folder: Path | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.folder = folder
        self._records: dict[str, Any] = dict(records or {})
        self._dirty = False

    @property
    def path(self) -> Path | None:
        """The cache file, or ``None`` for a cache kept in memory."""
        return self.folder / CACHE_FILE if self.folder is not None else None

    @property
    def dirty(self) -> bool:
        """Whether this cache holds anything its file does not."""
        return self._dirty

    @classmethod
    def load(cls, folder: Path | str | None, site: Site, extra: str = "") -> PostCache:
        """The cache in ``folder`` for ``site``; an empty one when there is none or it cannot be used.

        ``extra`` is as for :func:`settings_fingerprint`. Never raises for what the file holds.
        """
        fingerprint = settings_fingerprint(site, extra)
        if folder is None:
            return cls(fingerprint)
        cache = cls(fingerprint, folder=Path(folder))
        assert cache.path is not None
        try:
            raw = cache.path.read_bytes()
        except FileNotFoundError:
            _log.debug("cache: %s does not exist yet", cache.path)
            return cache
        except OSError as error:
            _log.debug("cache: cannot read %s (%s); starting afresh", cache.path, error.strerror or error)
            return cache
        try:
            cache._records = _records_in(raw, fingerprint)
        except _Invalid as error:
            _log.debug("cache: %s %s; starting afresh", cache.path, error)
            cache._dirty = True  # Rewrite it, even if no post changed.
        return cache

    def _record(self, key: str, digest: str) -> list[Any] | None:
        record = self._records.get(key)
        if not isinstance(record, list) or len(record) != _RECORD_LENGTH or record[_DIGEST] != digest:
            return None
        return record

    def post(self, key: str, digest: str, path: Path) -> CachedPost | None:
        """The post that the file ``key`` with bytes of hash ``digest`` says, if cached."""
        record = self._record(key, digest)
        if record is None:
            return None
        try:
            return CachedPost(_decode_post(record[_POST], path), _text(record[_URL]), _text(record[_ID]))
        except (ValueError, KeyError) as error:  # ZoneInfoNotFoundError is a KeyError.
            _log.debug("cache: record for %s is unusable (%s); reading the file again", key, error)
            del self._records[key]
            self._dirty = True
            return None

    def rendered(self, key: str, digest: str) -> Rendered | None:
        """What the file ``key`` with bytes of hash ``digest`` rendered to, if cached."""
        record = self._record(key, digest)
        if record is None or record[_RENDERED] is None:
            return None
        try:
            return _decode_rendered(record[_RENDERED])
        except ValueError as error:
            _log.debug("cache: rendering of %s is unusable (%s); rendering it again", key, error)
            self._set_rendered(key, record, None)
            return None

    def _set_rendered(self, key: str, record: list[Any], rendered: list[str] | None) -> None:
        if record[_RENDERED] != rendered:
            self._records[key] = [*record[:_RENDERED], rendered]
            self._dirty = True

    def put_post(self, key: str, digest: str, cached: CachedPost) -> None:
        """Remember what the file ``key`` with bytes of hash ``digest`` says."""
        encoded = _encode_post(cached.post)
        if encoded is None:
            _log.debug("cache: cannot record the time zone of %s; it will be read every time", key)
            return
        record = [digest, cached.url, cached.id, encoded, None]
        if self._records.get(key) != record:
            self._records[key] = record
            self._dirty = True

    def put_rendered(self, key: str, digest: str, rendered: Rendered) -> None:
        """Remember what the file ``key`` rendered to; only beside a record of the same bytes."""
        record = self._record(key, digest)
        if record is not None:
            self._set_rendered(key, record, [rendered.content_html, rendered.summary])

    def retain(self, keys: Iterable[str]) -> None:
        """Forget the files not in ``keys`` (they no longer exist)."""
        keep = set(keys)
        for key in [key for key in self._records if key not in keep]:
            del self._records[key]
            self._dirty = True

    def keep_renderings(self, keys: Iterable[str]) -> None:
        """Forget the renderings of the files not in ``keys``.

        Keeping renderings only for the posts a feed shows keeps the cache about
        as big as the feeds, not as big as the archive.
        """
        keep = set(keys)
        for key, record in list(self._records.items()):
            if key not in keep and isinstance(record, list) and len(record) == _RECORD_LENGTH:
                self._set_rendered(key, record, None)

    def to_bytes(self) -> bytes:
        """The cache file's content."""
        data = {"version": CACHE_VERSION, "fingerprint": self.fingerprint, "posts": self._records}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def save(self) -> Path | None:
        """Write the cache file atomically if anything changed; returns it if written.

        Raises :class:`~feedlib.errors.PublishError` when it cannot be written.
        """
        if self.path is None or not self._dirty:
            return None
        write_atomic(self.path, self.to_bytes())
        self._dirty = False
        _log.debug("cache: saved %d records to %s", len(self._records), self.path)
        return self.path

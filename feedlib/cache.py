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
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ._version import __version__
from .model import Author, Post, Rendered, Site
from .publish import write_atomic
from .text import strip_xml_illegal

__all__ = ["CACHE_FILE", "CACHE_VERSION", "CachedPost", "PostCache", "content_digest", "settings_fingerprint"]

#: The cache file inside the cache folder.
CACHE_FILE = "posts.json"
#: The layout of the cache file; a file of another version is ignored.
CACHE_VERSION = 1

# The libraries whose behaviour shapes a Post or its HTML.
_LIBRARIES = ("markdown", "python-frontmatter", "PyYAML", "lxml", "python-dateutil", "tzdata")

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


def settings_fingerprint(site: Site) -> str:
    """A hash of everything besides a post's bytes that decides what it reads and renders as.

    Site fields that only the feed as a whole shows (title, description,
    authors, language) are left out: they never reach a cached record.
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
    }
    text = json.dumps(settings, sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


# --- JSON shapes -----------------------------------------------------------


def _encode_time(moment: datetime) -> dict[str, Any] | None:
    # A zone name, not only an offset: the same wall time in Asia/Tokyo and in
    # "+09:00" can print differently, and a feed must come out byte for byte.
    if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key:
        return {
            "local": moment.replace(tzinfo=None).isoformat(),
            "fold": moment.fold,
            "zone": moment.tzinfo.key,
        }
    if type(moment.tzinfo) is timezone:
        return {"iso": moment.isoformat()}
    return None  # A time zone this cache cannot write down: the post is not cached.


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {type(value).__name__}")
    # What feedlib writes never holds these; a string that does would break the feed.
    if strip_xml_illegal(value) != value:
        raise _Invalid("a string with characters XML forbids")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list, got {type(value).__name__}")
    return tuple(_text(item) for item in value)


def _mapping(value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"expected an object, got {type(value).__name__}")
    return value


def _decode_time(value: object) -> datetime:
    data = _mapping(value)
    if "zone" in data:
        fold = data.get("fold")
        if fold not in (0, 1) or isinstance(fold, bool):
            raise _Invalid("fold must be 0 or 1")
        local = datetime.fromisoformat(_text(data.get("local")))
        if local.tzinfo is not None:
            raise _Invalid("a local time carries no offset")
        return local.replace(tzinfo=ZoneInfo(_text(data["zone"])), fold=fold)
    moment = datetime.fromisoformat(_text(data.get("iso")))
    if moment.utcoffset() is None:
        raise _Invalid("a time without an offset")
    return moment


def _encode_post(post: Post) -> dict[str, Any] | None:
    date, updated = _encode_time(post.date), _encode_time(post.updated)
    if date is None or updated is None:
        return None
    return {
        "title": post.title,
        "date": date,
        "updated": updated,
        "slug": post.slug,
        "categories": list(post.categories),
        "tags": list(post.tags),
        "authors": [[author.name, author.email, author.uri] for author in post.authors],
        "excerpt": post.excerpt,
        "permalink": post.permalink,
        "id": post.id,
        "draft": post.draft,
    }


def _decode_author(value: object) -> Author:
    if not isinstance(value, list) or len(value) != 3:
        raise _Invalid("an author is [name, email, uri]")
    name, email, uri = value
    return Author(_text(name), _optional_text(email), _optional_text(uri))


def _decode_post(value: object, path: Path) -> Post:
    data = _mapping(value)
    authors = data.get("authors")
    if not isinstance(authors, list):
        raise _Invalid("authors must be a list")
    draft = data.get("draft")
    if not isinstance(draft, bool):
        raise _Invalid("draft must be true or false")
    return Post(
        path=path,
        title=_text(data.get("title")),
        date=_decode_time(data.get("date")),
        updated=_decode_time(data.get("updated")),
        slug=_text(data.get("slug")),
        body="",
        categories=_texts(data.get("categories")),
        tags=_texts(data.get("tags")),
        authors=tuple(_decode_author(author) for author in authors),
        excerpt=_optional_text(data.get("excerpt")),
        permalink=_optional_text(data.get("permalink")),
        id=_optional_text(data.get("id")),
        draft=draft,
    )


def _decode_rendered(value: object) -> Rendered:
    data = _mapping(value)
    return Rendered(_text(data.get("html")), _text(data.get("summary")))


def _records_in(raw: bytes, fingerprint: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
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
    """A post read from the cache.

    Its ``body`` is left out (empty) to keep the cache small: the body is
    ``decode_post(path, raw)[body_start:]``, for the file bytes the record is for.
    ``front_matter`` is left out too.
    """

    post: Post
    body_start: int


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
    def load(cls, folder: Path | str | None, site: Site) -> PostCache:
        """The cache in ``folder`` for ``site``; an empty one when there is none or it cannot be used.

        Never raises for what the file holds.
        """
        fingerprint = settings_fingerprint(site)
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

    def _record(self, key: str, digest: str) -> Mapping[str, Any] | None:
        record = self._records.get(key)
        if not isinstance(record, dict) or record.get("digest") != digest:
            return None
        return record

    def _discard(self, key: str, error: Exception) -> None:
        _log.debug("cache: record for %s is unusable (%s); reading the file again", key, error)
        self._records.pop(key, None)
        self._dirty = True

    def post(self, key: str, digest: str, path: Path) -> CachedPost | None:
        """The post that the file ``key`` with bytes of hash ``digest`` says, if cached."""
        record = self._record(key, digest)
        if record is None:
            return None
        try:
            body_start = record.get("body_start")
            if not isinstance(body_start, int) or isinstance(body_start, bool) or body_start < 0:
                raise _Invalid("body_start must be a whole number")
            return CachedPost(_decode_post(record.get("post"), path), body_start)
        except (ValueError, KeyError) as error:  # ZoneInfoNotFoundError is a KeyError.
            self._discard(key, error)
            return None

    def rendered(self, key: str, digest: str) -> Rendered | None:
        """What the file ``key`` with bytes of hash ``digest`` rendered to, if cached."""
        record = self._record(key, digest)
        if record is None or "rendered" not in record:
            return None
        try:
            return _decode_rendered(record["rendered"])
        except ValueError as error:
            _log.debug("cache: rendering of %s is unusable (%s); rendering it again", key, error)
            self._records[key] = {name: value for name, value in record.items() if name != "rendered"}
            self._dirty = True
            return None

    def put_post(self, key: str, digest: str, post: Post, body_start: int) -> None:
        """Remember what the file ``key`` with bytes of hash ``digest`` says."""
        encoded = _encode_post(post)
        if encoded is None:
            _log.debug("cache: cannot record the time zone of %s; it will be read every time", key)
            return
        record = {"digest": digest, "body_start": body_start, "post": encoded}
        if self._records.get(key) != record:
            self._records[key] = record
            self._dirty = True

    def put_rendered(self, key: str, digest: str, rendered: Rendered) -> None:
        """Remember what the file ``key`` rendered to; only beside a record of the same bytes."""
        record = self._record(key, digest)
        if record is None:
            return
        value = {"html": rendered.content_html, "summary": rendered.summary}
        if record.get("rendered") != value:
            self._records[key] = {**record, "rendered": value}
            self._dirty = True

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
            if key not in keep and isinstance(record, dict) and "rendered" in record:
                self._records[key] = {name: value for name, value in record.items() if name != "rendered"}
                self._dirty = True

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

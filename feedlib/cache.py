"""The build cache: what each post file says and renders to, kept between builds.

A record is reused only while the file's bytes (by BLAKE2b hash) and every
setting that affects reading or rendering (by :func:`settings_fingerprint`)
are the same, so an unchanged post is neither parsed nor rendered again.

JSON files, each written atomically, only when it changed:

* the index (``index.json``) holds what every build needs of every post:
  its hash, URL, id, time, draft flag and terms, and the file's signature
  (inode, size, modification and change times). A file whose signature is
  unchanged is not even read: git's rule for its index. A signature is only
  kept for a file last changed well before the build looked at it, so an edit
  within the same clock tick can never hide behind one.
* its changes (``index-changes.json``): records changed since the index was
  last written whole, which names the index it changes by hash; an edit
  writes this small file, not the whole index, until the changes are many.
* the renderings (``rendered.json``) hold, for the posts the feeds show, the
  whole post (but its body) and its HTML and summary.
* the outputs (``outputs.json``): a hash of everything the last build's feed
  files were made from (settings, and the hash of each post they show) and
  each file's signature. A build that would make them from the same again,
  and finds them untouched, renders nothing (and reads no renderings).

A warm build of a large archive thus reads a few files, not one per post, and
decodes whole posts only for the entries it writes. JSON and not pickle,
because loading a cache must never run code. Anything unexpected in either
file (truncated, garbage, another version, wrong shapes) is logged at debug
level and ignored: the post is read again, never trusted and never a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from ._version import __version__
from .model import Author, Enclosure, Image, Post, Rendered, Site
from .publish import write_atomic

__all__ = [
    "CACHE_FILES",
    "CACHE_VERSION",
    "INDEX_CHANGES_FILE",
    "INDEX_FILE",
    "OUTPUTS_FILE",
    "RENDERED_FILE",
    "Indexed",
    "PostCache",
    "content_digest",
    "file_signature",
    "indexed",
    "microseconds",
    "settings_fingerprint",
]

#: The index of every post, inside the cache folder.
INDEX_FILE = "index.json"
#: Changes to the index since it was last written whole, inside the cache folder.
INDEX_CHANGES_FILE = "index-changes.json"
#: The renderings of the posts the feeds show, inside the cache folder.
RENDERED_FILE = "rendered.json"
#: What the last build published: a hash of what it wrote from, and each file's signature.
OUTPUTS_FILE = "outputs.json"
#: Every file the cache may write.
CACHE_FILES = (INDEX_FILE, INDEX_CHANGES_FILE, RENDERED_FILE, OUTPUTS_FILE)
# Changed index records are written apart, to a small file, until there are more than this
# many or an eighth of the index: editing one post must not rewrite the record of every post.
_CHANGES_MAX = 512
#: The layout of the cache files; a file of another version is ignored.
CACHE_VERSION = 3
# What versions before 3 wrote: removed when the cache is saved.
_OLD_FILES = ("posts.json",)
#: A file changed this close to the moment a build looked at it may change
#: again within the same tick of the file system's clock: it gets no signature.
RACY_MARGIN_NS = 2_000_000_000

# The modules (of the libraries) whose behaviour shapes a Post, its HTML or a feed document.
_LIBRARIES = ("markdown", "frontmatter", "yaml", "lxml", "dateutil", "tzdata", "nh3", "cmarkgfm", "feedgen")

# An escape json.dumps(ensure_ascii=False) writes only for characters XML forbids.
_FOREIGN_ESCAPE = re.compile(r"(?:^|[^\\])(?:\\\\)*\\[bfu]")

_log = logging.getLogger(__name__)


class _Invalid(ValueError):
    """A cache record that does not have the shape this version writes."""


def content_digest(raw: bytes) -> str:
    """The hash that identifies a file's bytes in the cache."""
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def file_signature(path: Path | str, trusted_before: int | None = None) -> str | None:
    """What identifies a file's bytes without reading them: inode, size, modification and change times.

    ``None`` when the file changed at or after ``trusted_before`` (nanoseconds
    since the epoch): it may change again within the same clock tick, so its
    signature cannot be trusted. Raises :class:`OSError`.
    """
    stat = os.stat(path)  # noqa: PTH116 (for a path as text, without making a Path)
    if trusted_before is not None and max(stat.st_mtime_ns, stat.st_ctime_ns) >= trusted_before:
        return None
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


def _library_identity(module: str) -> str:
    # Where a library's code is and when it was written there: an upgrade or a
    # reinstall rewrites it. Finding a module is far cheaper than importing it
    # or reading its distribution's metadata, which a warm build must not pay for.
    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        spec = None
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "missing"
    try:
        stat = Path(origin).stat()
    except OSError:
        return origin
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"


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
        "libraries": {name: _library_identity(name) for name in _LIBRARIES},
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
# Lists, not objects: a warm build decodes one index record per post file, and
# json.loads is bound by the number of tokens.
#   index record:    [signature or null, digest, url, id or null (the URL), time in µs, draft,
#                     categories, tags]
#   rendered record: [digest, post, html, summary]
#   post:     [title, date, updated, slug, categories, tags, authors, excerpt, permalink, id, draft,
#              image, enclosure, excerpt_only]
#   image:    [url, alt or null] or null;  enclosure: [url, length, type] or null
#   time:     [iso time with offset] or [local iso time, fold, zone name]
#   author:   [name, email or null, uri or null]

_INDEX_LENGTH = 8
_RENDERED_LENGTH = 4
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
    # No string can hold a character XML forbids: _data_in checked the whole file.
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


def _data_in(raw: bytes, fingerprint: str, table: str = "posts") -> dict[str, Any]:
    """What a cache file's bytes hold (a ``table`` of records); :class:`_Invalid` unless it is one of ours."""
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
    if not isinstance(data.get(table), dict):
        raise _Invalid(f"has no table of {table}")
    return data


# --- the cache ---------------------------------------------------------------


class Indexed(NamedTuple):
    """What the index keeps of every post: enough to choose the posts a feed shows.

    ``when`` is the post's date as microseconds since 1970 UTC (an exact
    order of instants). ``categories`` and ``tags`` are the post's own, for
    per-term feeds.
    """

    digest: str
    url: str
    id: str
    when: int
    draft: bool
    categories: tuple[str, ...]
    tags: tuple[str, ...]


def microseconds(moment: datetime) -> int:
    """``moment`` (aware) as whole microseconds since 1970-01-01 UTC: exact, unlike a float timestamp."""
    return (moment - _EPOCH) // _MICROSECOND


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def indexed(post: Post, digest: str, url: str, ident: str) -> Indexed:
    """The index record of ``post``, read from bytes of hash ``digest``, with its URL and id."""
    return Indexed(digest, url, ident, microseconds(post.date), post.draft, post.categories, post.tags)


def _terms(value: object) -> tuple[str, ...]:
    return () if value == [] else _shared("terms", value)


def _decode_indexed(record: list[Any]) -> Indexed:
    # Every build decodes one of these per post file: checked inline, not call by call.
    _, digest, url, ident, when, draft, categories, tags = record
    if (
        type(digest) is not str
        or type(url) is not str
        or (ident is not None and type(ident) is not str)
        or type(when) is not int
        or type(draft) is not bool
    ):
        raise _Invalid("an index record of the wrong shape")
    return Indexed(digest, url, ident or url, when, draft, _terms(categories), _terms(tags))


def _file_data(path: Path, fingerprint: str, table: str = "posts") -> tuple[dict[str, Any] | None, bytes]:
    """What one cache file holds (``None`` when it cannot be used; empty when missing), and its bytes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        _log.debug("cache: %s does not exist yet", path)
        return {table: {}}, b""
    except OSError as error:
        _log.debug("cache: cannot read %s (%s); starting afresh", path, error.strerror or error)
        return None, b""
    try:
        return _data_in(raw, fingerprint, table), raw
    except _Invalid as error:
        _log.debug("cache: %s %s; starting afresh", path, error)
        return None, raw


def _identity(raw: bytes) -> str:
    """What names one version of the index file: the changes file says which one it changes."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class PostCache:
    """Index records and renderings of posts, by file key (its path relative to the posts folder).

    A cache without a ``folder`` lives in memory only and is never saved.
    """

    def __init__(
        self,
        fingerprint: str,
        index: Mapping[str, Any] | None = None,
        rendered: Mapping[str, Any] | None = None,
        folder: Path | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.folder = folder
        self._index: dict[str, Any] = dict(index or {})
        # Read from the folder on first use: a build that renders nothing never needs it.
        self._rendered_table: dict[str, Any] | None = dict(rendered or {}) if rendered or not folder else None
        self._dirty = {INDEX_FILE: False, RENDERED_FILE: False, OUTPUTS_FILE: False}
        self._outputs: dict[str, Any] = {}
        # The index file as last read or written (None: there is none to change), and
        # every record changed (None: removed) since it was.
        self._index_identity: str | None = None
        self._changes: dict[str, Any] = {}

    @property
    def dirty(self) -> bool:
        """Whether this cache holds anything its files do not."""
        return any(self._dirty.values())

    @classmethod
    def load(cls, folder: Path | str | None, site: Site, extra: str = "") -> PostCache:
        """The cache in ``folder`` for ``site``; an empty one when there is none or it cannot be used.

        ``extra`` is as for :func:`settings_fingerprint`. Never raises for what the files hold.
        """
        fingerprint = settings_fingerprint(site, extra)
        if folder is None:
            return cls(fingerprint)
        cache = cls(fingerprint, folder=Path(folder))
        cache._load_index(Path(folder), fingerprint)
        outputs, _ = _file_data(Path(folder) / OUTPUTS_FILE, fingerprint, "files")
        if outputs is not None and isinstance(outputs.get("plan"), str):
            cache._outputs = {"plan": outputs["plan"], "files": outputs["files"]}
        return cache

    @property
    def _rendered(self) -> dict[str, Any]:
        """The renderings, read from the folder the first time they are asked for."""
        if self._rendered_table is None:
            assert self.folder is not None
            rendered, _ = _file_data(self.folder / RENDERED_FILE, self.fingerprint)
            if rendered is None:
                self._dirty[RENDERED_FILE] = True  # Rewrite it, even if no post changed.
            self._rendered_table = rendered["posts"] if rendered is not None else {}
        return self._rendered_table

    def _load_index(self, folder: Path, fingerprint: str) -> None:
        data, raw = _file_data(folder / INDEX_FILE, fingerprint)
        if data is None or not raw:
            self._dirty[INDEX_FILE] = data is None  # Rewrite a damaged one, even if no post changed.
            return
        self._index.update(data["posts"])
        self._index_identity = _identity(raw)
        changes, _ = _file_data(folder / INDEX_CHANGES_FILE, fingerprint)
        if changes is None or changes.get("index") != self._index_identity:
            return  # Changes to another version of the index (or none): the index alone stands.
        for key, record in changes["posts"].items():
            if record is None:
                self._index.pop(key, None)
            else:
                self._index[key] = record
        self._changes = dict(changes["posts"])

    def _forget(self, table: dict[str, Any], name: str, key: str, error: Exception) -> None:
        _log.debug("cache: record for %s in %s is unusable (%s); reading the file again", key, name, error)
        self._remove(table, name, key)

    def _remove(self, table: dict[str, Any], name: str, key: str) -> None:
        del table[key]
        self._dirty[name] = True
        if table is self._index:
            self._changes[key] = None

    def _indexed(self, key: str, test: int, value: str | None) -> Indexed | None:
        record = self._index.get(key)
        if type(record) is not list or len(record) != _INDEX_LENGTH or record[test] != value:
            return None
        try:
            return _decode_indexed(record)
        except (ValueError, TypeError) as error:
            self._forget(self._index, INDEX_FILE, key, error)
            return None

    def signed(self, key: str, signature: str) -> Indexed | None:
        """The index record of the file ``key`` if its signature is still ``signature``."""
        return self._indexed(key, 0, signature)

    def known(self, key: str, digest: str) -> Indexed | None:
        """The index record of the file ``key`` if its bytes still have hash ``digest``."""
        return self._indexed(key, 1, digest)

    def digest(self, key: str) -> str | None:
        """The hash the index has for the file ``key``, if any."""
        record = self._index.get(key)
        if type(record) is list and len(record) == _INDEX_LENGTH and type(record[1]) is str:
            return record[1]
        return None

    def put(self, key: str, signature: str | None, record: Indexed) -> None:
        """Remember what the file ``key`` says; ``signature`` (if any) stands for its bytes from now on."""
        digest, url, ident, when, draft, categories, tags = record
        encoded: list[Any] = [signature, digest, url, None if ident == url else ident, when, draft]
        encoded += [list(categories), list(tags)]
        if self._index.get(key) != encoded:
            self._index[key] = self._changes[key] = encoded
            self._dirty[INDEX_FILE] = True

    def rendered(self, key: str, digest: str, path: Path) -> tuple[Post, Rendered] | None:
        """The post in ``path`` (without its body) and what it rendered to, if cached for hash ``digest``."""
        record = self._rendered.get(key)
        if type(record) is not list or len(record) != _RENDERED_LENGTH or record[0] != digest:
            return None
        _, post, html, summary = record
        try:
            return _decode_post(post, path), Rendered(_text(html), _text(summary))
        except (ValueError, KeyError) as error:  # ZoneInfoNotFoundError is a KeyError.
            self._forget(self._rendered, RENDERED_FILE, key, error)
            return None

    def put_rendered(self, key: str, digest: str, post: Post, rendered: Rendered) -> None:
        """Remember the post in the file ``key`` (bytes of hash ``digest``) and what it rendered to."""
        encoded = _encode_post(post)
        if encoded is None:
            _log.debug("cache: cannot record the time zone of %s; it will be rendered every time", key)
            return
        record = [digest, encoded, rendered.content_html, rendered.summary]
        if self._rendered.get(key) != record:
            self._rendered[key] = record
            self._dirty[RENDERED_FILE] = True

    def retain(self, keys: Iterable[str]) -> None:
        """Forget the files not in ``keys`` (they no longer exist)."""
        self._keep_only(self._index, INDEX_FILE, set(keys))

    def keep_renderings(self, keys: Iterable[str]) -> None:
        """Forget the renderings of the files not in ``keys``.

        Keeping renderings only for the posts a feed shows keeps that file about
        as big as the feeds, not as big as the archive.
        """
        self._keep_only(self._rendered, RENDERED_FILE, set(keys))

    def _keep_only(self, table: dict[str, Any], name: str, keep: set[str]) -> None:
        for key in [key for key in table if key not in keep]:
            self._remove(table, name, key)

    def published(self, plan: str) -> Mapping[str, str] | None:
        """The signature of each file the last build published, if it published them from ``plan``.

        ``plan`` is a hash of everything the files were made from; see :meth:`set_published`.
        """
        files = self._outputs.get("files")
        return files if self._outputs.get("plan") == plan and isinstance(files, dict) else None

    def set_published(self, plan: str | None, files: Mapping[str, str | None]) -> None:
        """Remember that ``files`` (path: signature) were published from ``plan``.

        A file without a signature (or a ``plan`` of ``None``) cannot be
        trusted to hold what it was written with: no record is kept.
        """
        outputs: dict[str, Any] = {}
        if plan is not None and all(files.values()):
            outputs = {"plan": plan, "files": dict(files)}
        if outputs != self._outputs:
            self._outputs = outputs
            self._dirty[OUTPUTS_FILE] = True

    def keys(self) -> list[str]:
        """The keys of the files the index has a record of, sorted."""
        return sorted(self._index)

    def to_bytes(self, name: str = INDEX_FILE) -> bytes:
        """The content of the cache file ``name`` (one of :data:`CACHE_FILES`) as it stands."""
        data: dict[str, Any] = {"version": CACHE_VERSION, "fingerprint": self.fingerprint}
        if name == INDEX_CHANGES_FILE:
            data.update(index=self._index_identity, posts=self._changes)
        elif name == OUTPUTS_FILE:
            data.update(plan=self._outputs.get("plan"), files=self._outputs.get("files", {}))
        else:
            data["posts"] = self._index if name == INDEX_FILE else self._rendered
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def _save_index(self, folder: Path) -> Path:
        if self._index_identity is not None and len(self._changes) <= max(
            _CHANGES_MAX, len(self._index) // 8
        ):
            write_atomic(folder / INDEX_CHANGES_FILE, self.to_bytes(INDEX_CHANGES_FILE))
            return folder / INDEX_CHANGES_FILE
        content = self.to_bytes(INDEX_FILE)
        write_atomic(folder / INDEX_FILE, content)
        # A changes file left now names another version of the index: it is ignored, then replaced.
        self._index_identity, self._changes = _identity(content), {}
        with contextlib.suppress(OSError):
            (folder / INDEX_CHANGES_FILE).unlink()
        return folder / INDEX_FILE

    def save(self) -> list[Path]:
        """Write each cache file that changed, atomically; returns those written.

        Raises :class:`~feedlib.errors.PublishError` when one cannot be written.
        """
        if self.folder is None:
            return []
        written = []
        if self._dirty[INDEX_FILE]:
            written.append(self._save_index(self.folder))
            self._dirty[INDEX_FILE] = False
        for name in (RENDERED_FILE, OUTPUTS_FILE):
            if self._dirty[name]:
                write_atomic(self.folder / name, self.to_bytes(name))
                self._dirty[name] = False
                written.append(self.folder / name)
        for name in _OLD_FILES if written else ():
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        _log.debug("cache: %d posts; wrote %s", len(self._index), written)
        return written

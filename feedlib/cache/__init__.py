"""The build cache: a memo the pipeline's stages consult, kept between builds in JSON files.

A record is reused only while the file's bytes (by hash) and every setting
that affects reading or rendering (:func:`~feedlib.cache.stamps.settings_fingerprint`)
are the same, so an unchanged post is neither parsed nor rendered again.
Whether something changed is decided in :mod:`feedlib.cache.stamps`; the
records' shapes come from the model's fields (:mod:`feedlib.cache.records`).

JSON files, each written atomically, only when it changed:

* the index (``index.json``): a :class:`~feedlib.model.PostRecord` of every
  post, and its file's signature. A file whose signature is unchanged is not
  even read: git's rule for its index. A signature is only kept for a file
  last changed well before the build looked at it, so an edit within the
  same clock tick can never hide behind one.
* its changes (``index-changes.json``): records changed since the index was
  last written whole, naming the index it changes by hash; an edit writes
  this small file, not the whole index, until the changes are many.
* the entries (``entries.json``): the :class:`~feedlib.model.Entry` of each
  post the feeds show, by the hash of the bytes it was made from.
* the outputs (``outputs.json``): a hash of everything the last build's feed
  files were made from, and each file's signature. A build that would make
  them from the same again, and finds them untouched, renders nothing.

JSON and not pickle, because loading a cache must never run code. Anything
unexpected in a file (truncated, garbage, another version, wrong shapes) is
logged at debug level and ignored: the post is read again, never trusted and
never a crash.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..model import Entry, PostFile, PostRecord, Site
from ..publish import write_atomic
from ..text import hex_digest
from .files import file_data
from .records import Invalid, RecordCodec
from .stamps import CACHE_VERSION, settings_fingerprint

if TYPE_CHECKING:
    from ..config import LiquidSettings

__all__ = [
    "CACHE_FILES",
    "ENTRIES_FILE",
    "INDEX_CHANGES_FILE",
    "INDEX_FILE",
    "OUTPUTS_FILE",
    "PostCache",
]

#: The record of every post, inside the cache folder.
INDEX_FILE = "index.json"
#: Changes to the index since it was last written whole, inside the cache folder.
INDEX_CHANGES_FILE = "index-changes.json"
#: The entries of the posts the feeds show, inside the cache folder.
ENTRIES_FILE = "entries.json"
#: What the last build published: a hash of what it wrote from, and each file's signature.
OUTPUTS_FILE = "outputs.json"
#: Every file the cache may write.
CACHE_FILES = (INDEX_FILE, INDEX_CHANGES_FILE, ENTRIES_FILE, OUTPUTS_FILE)
# What earlier versions wrote: removed when the cache is saved.
_OLD_FILES = ("posts.json", "rendered.json")
# What the outputs file holds: the plan and files published from it, and the listing that gave them.
_OUTPUTS_KEYS = ("plan", "files", "listing", "until", "outline")
# Changed index records are written apart, to a small file, until there are more than this
# many or an eighth of the index: editing one post must not rewrite the record of every post.
_CHANGES_MAX = 512

# An index record is [signature or null, *the PostRecord's stored fields]: all but these.
_NOT_STORED = ("file", "post")
# Where the digest is in an index record.
_DIGEST_AT = 1 + [name for name in PostRecord._fields if name not in _NOT_STORED].index("digest")


# The codecs are made (their decoders generated) when first used: a build that finds
# nothing changed decodes no record.
@functools.cache
def _records() -> RecordCodec:
    """The codec of index records (an entry record is [digest, *the Entry's stored fields])."""
    return RecordCodec(PostRecord, given=_NOT_STORED[:1], transient=_NOT_STORED[1:], same_as={"id": "url"})


@functools.cache
def _entries() -> RecordCodec:
    """The codec of entry records: [digest, *the Entry's stored fields]."""
    return RecordCodec(Entry, given=("source",))


# Whether links an entry was made with (as stored: anything JSON) still lead where they led.
_Resolves = Callable[[Any], bool]

_log = logging.getLogger(__name__)


def _outline_item(item: object) -> bool:
    """Whether ``item`` is a file of an outline as stored: [format, path, entries, URL or null]."""
    if type(item) is not list or len(item) != 4:
        return False
    name, path, count, url = item
    texts = type(name) is str and type(path) is str
    return texts and type(count) is int and (url is None or type(url) is str)


def _check_open(folder: object, site: object, liquid: object) -> None:
    """The arguments of :meth:`PostCache.open`, checked: a program may pass anything."""
    from ..config import LiquidSettings  # The configuration comes after the cache in the pipeline.

    if folder is not None and (not isinstance(folder, str | Path) or "\0" in str(folder)):
        raise ConfigError(f"PostCache.open: folder must be a path or None, got {folder!r}")
    if not isinstance(site, Site):
        raise ConfigError(f"PostCache.open: site must be a Site, got a {type(site).__name__}")
    if liquid is not None and not isinstance(liquid, LiquidSettings):
        raise ConfigError(
            f"PostCache.open: liquid must be LiquidSettings or None, got a {type(liquid).__name__}"
        )


def _identity(raw: bytes) -> str:
    """What names one version of the index file: the changes file says which one it changes."""
    return hex_digest(raw, 16)


class PostCache:
    """Post records and entries by file key (a file's path relative to where posts are read from).

    A cache without a ``folder`` lives in memory only and is never saved.
    Stages consult it and tell it what they found; the caller saves it.
    """

    def __init__(self, fingerprint: str, folder: Path | None = None) -> None:
        self.fingerprint = fingerprint
        self.folder = folder
        # Read from the folder on first use: a build that finds nothing changed never needs them.
        self._index_table: dict[str, Any] | None = {} if folder is None else None
        self._entries_table: dict[str, Any] | None = {} if folder is None else None
        self._dirty = {INDEX_FILE: False, ENTRIES_FILE: False, OUTPUTS_FILE: False}
        self._outputs: dict[str, Any] = {}
        # The index file as last read or written (None: there is none to change), and
        # every record changed (None: removed) since it was.
        self._index_identity: str | None = None
        self._changes: dict[str, Any] = {}

    @classmethod
    def open(cls, folder: Path | str | None, site: Site, liquid: LiquidSettings | None = None) -> PostCache:
        """The cache in ``folder`` for ``site`` (and its ``liquid`` settings); in memory for ``None``.

        An empty cache when there is none or it cannot be used: never raises for what the files hold.
        Raises :class:`~feedlib.errors.ConfigError` for arguments of the wrong type.
        """
        _check_open(folder, site, liquid)
        fingerprint = settings_fingerprint(site, liquid)
        if folder is None:
            return cls(fingerprint)
        cache = cls(fingerprint, Path(folder))
        outputs, _ = file_data(Path(folder) / OUTPUTS_FILE, fingerprint, "files")
        if outputs is not None and isinstance(outputs.get("plan"), str):
            cache._outputs = {key: outputs[key] for key in _OUTPUTS_KEYS if key in outputs}
        return cache

    @property
    def dirty(self) -> bool:
        """Whether this cache holds anything its files do not."""
        return any(self._dirty.values())

    @property
    def _index(self) -> dict[str, Any]:
        """The index, read from the folder the first time it is asked for."""
        if self._index_table is None:
            assert self.folder is not None
            self._index_table = {}
            self._load_index(self.folder)
        return self._index_table

    def _load_index(self, folder: Path) -> None:
        data, raw = file_data(folder / INDEX_FILE, self.fingerprint)
        if data is None or not raw:
            self._dirty[INDEX_FILE] = data is None  # Rewrite a damaged one, even if no post changed.
            return
        self._index.update(data["posts"])
        self._index_identity = _identity(raw)
        changes, _ = file_data(folder / INDEX_CHANGES_FILE, self.fingerprint)
        if changes is None or changes.get("index") != self._index_identity:
            return  # Changes to another version of the index (or none): the index alone stands.
        for key, record in changes["posts"].items():
            if record is None:
                self._index.pop(key, None)
            else:
                self._index[key] = record
        self._changes = dict(changes["posts"])

    @property
    def _entries(self) -> dict[str, Any]:
        """The entries, read from the folder the first time they are asked for."""
        if self._entries_table is None:
            assert self.folder is not None
            entries, _ = file_data(self.folder / ENTRIES_FILE, self.fingerprint)
            if entries is None:
                self._dirty[ENTRIES_FILE] = True  # Rewrite it, even if no post changed.
            self._entries_table = entries["posts"] if entries is not None else {}
        return self._entries_table

    def _forget(self, table: dict[str, Any], name: str, key: str, error: Exception) -> None:
        _log.debug("cache: record for %s in %s is unusable (%s); reading the file again", key, name, error)
        self._remove(table, name, key)

    def _remove(self, table: dict[str, Any], name: str, key: str) -> None:
        del table[key]
        self._dirty[name] = True
        if table is self._index:
            self._changes[key] = None

    # -- the index: a record of every post ------------------------------------------------

    def record(
        self, file: PostFile, *, signature: str | None = None, digest: str | None = None
    ) -> PostRecord | None:
        """The record of ``file``, if its signature is still ``signature`` (or its hash ``digest``)."""
        stored = self._index.get(file.key)
        if type(stored) is not list or not stored:
            return None
        if (signature is not None and stored[0] != signature) or (
            digest is not None and (len(stored) <= _DIGEST_AT or stored[_DIGEST_AT] != digest)
        ):
            return None
        try:
            record: PostRecord = _records().decode(stored[1:], file=file)
        except Invalid as error:
            self._forget(self._index, INDEX_FILE, file.key, error)
            return None
        return record

    def digest(self, key: str) -> str | None:
        """The hash the index has for the file ``key``, if any."""
        stored = self._index.get(key)
        found = stored[_DIGEST_AT] if type(stored) is list and len(stored) > _DIGEST_AT else None
        return found if type(found) is str else None

    def remember(self, record: PostRecord, signature: str | None) -> None:
        """Remember ``record``; ``signature`` (if any) stands for its file's bytes from now on."""
        encoded = [signature, *_records().encode(record)]
        if self._index.get(record.key) != encoded:
            self._index[record.key] = self._changes[record.key] = encoded
            self._dirty[INDEX_FILE] = True

    def forget_others(self, keys: Iterable[str]) -> None:
        """Forget the files not in ``keys`` (they no longer exist)."""
        self._keep_only(self._index, INDEX_FILE, set(keys))

    def keys(self) -> list[str]:
        """The keys of the files the index has a record of, sorted."""
        return sorted(self._index)

    # -- entries: the posts the feeds show -------------------------------------------------

    def entry(self, record: PostRecord, resolves: _Resolves | None = None) -> Entry | None:
        """The entry made from the bytes ``record`` was read from, if known.

        An entry made from other posts' URLs too (a Liquid ``link`` or
        ``post_url``) is only given while ``resolves`` says each of those
        links still leads where it led.
        """
        stored = self._entries.get(record.key)
        if type(stored) is not list or not stored:
            return None
        made_from = stored[0]
        if type(made_from) is list:
            if len(made_from) != 2 or made_from[0] != record.digest:
                return None
            if resolves is None or not resolves(made_from[1]):
                return None
        elif made_from != record.digest:
            return None
        try:
            entry: Entry = _entries().decode(stored[1:], source=record.file.path)
        except Invalid as error:
            self._forget(self._entries, ENTRIES_FILE, record.key, error)
            return None
        return entry

    def remember_entry(self, record: PostRecord, entry: Entry, links: Sequence[Sequence[str]] = ()) -> None:
        """Remember the entry made from the bytes ``record`` was read from (and ``links``, resolved so)."""
        encoded = _entries().try_encode(entry)
        if encoded is None:
            _log.debug("cache: cannot record the time zone of %s; it will be rendered every time", record.key)
            return
        made_from: Any = [record.digest, [list(link) for link in links]] if links else record.digest
        stored = [made_from, *encoded]
        if self._entries.get(record.key) != stored:
            self._entries[record.key] = stored
            self._dirty[ENTRIES_FILE] = True

    def keep_entries(self, keys: Iterable[str]) -> None:
        """Forget the entries of the files not in ``keys``.

        Keeping entries only for the posts a feed shows keeps that file about
        as big as the feeds, not as big as the archive.
        """
        self._keep_only(self._entries, ENTRIES_FILE, set(keys))

    def _keep_only(self, table: dict[str, Any], name: str, keep: set[str]) -> None:
        for key in [key for key in table if key not in keep]:
            self._remove(table, name, key)

    # -- outputs: what the last build published ----------------------------------------------

    def published(self, plan: str) -> Mapping[str, str] | None:
        """The signature of each file the last build published, if it published them from ``plan``.

        ``plan`` is a hash of everything the files were made from; see :meth:`remember_published`.
        """
        files = self._outputs.get("files")
        return files if self._outputs.get("plan") == plan and isinstance(files, dict) else None

    def remember_published(self, plan: str | None, files: Mapping[str, str | None]) -> None:
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

    def remember_listing(
        self, listing: str, plan: str, files: Sequence[Sequence[Any]], until: int | None
    ) -> None:
        """Remember that the post files hashed as ``listing`` give the outline ``plan``, ``files``.

        ``until`` (µs since the epoch) is when the choice of posts changes
        next; ``None``: never. Kept only with the record of the files
        published from ``plan`` (:meth:`remember_published`).
        """
        if self._outputs.get("plan") != plan:
            return
        memo = {"listing": listing, "until": until, "outline": [list(item) for item in files]}
        if any(self._outputs.get(key) != value for key, value in memo.items()):
            self._outputs.update(memo)
            self._dirty[OUTPUTS_FILE] = True

    def listed(self, listing: str) -> tuple[str, list[tuple[str, str, int, str | None]], int | None] | None:
        """The plan, files and ``until`` remembered for ``listing`` (:meth:`remember_listing`), if any."""
        outputs = self._outputs
        until, files = outputs.get("until"), outputs.get("outline")
        if outputs.get("listing") != listing or not (until is None or type(until) is int):
            return None
        if type(files) is not list or not all(_outline_item(item) for item in files):
            return None
        return outputs["plan"], [(name, path, count, url) for name, path, count, url in files], until

    # -- the files ---------------------------------------------------------------------------

    def to_bytes(self, name: str = INDEX_FILE) -> bytes:
        """The content of the cache file ``name`` (one of :data:`CACHE_FILES`) as it stands."""
        data: dict[str, Any] = {"version": CACHE_VERSION, "fingerprint": self.fingerprint}
        if name == INDEX_CHANGES_FILE:
            data.update(index=self._index_identity, posts=self._changes)
        elif name == OUTPUTS_FILE:
            data.update(self._outputs)
            data.update(plan=self._outputs.get("plan"), files=self._outputs.get("files", {}))
        else:
            data["posts"] = self._index if name == INDEX_FILE else self._entries
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
        for name in (ENTRIES_FILE, OUTPUTS_FILE):
            if self._dirty[name]:
                write_atomic(self.folder / name, self.to_bytes(name))
                self._dirty[name] = False
                written.append(self.folder / name)
        for name in _OLD_FILES if written else ():
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        _log.debug("cache: wrote %s", written)
        return written

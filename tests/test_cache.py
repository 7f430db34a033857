"""The incremental build cache: same bytes out, whatever state the cache is in."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import markdown
import pytest
from cron_helpers import SiteFiles, feed_bytes, post_text, write_site
from hypothesis import given
from hypothesis import strategies as st

import feedlib
import feedlib.cache.stamps
import feedlib.entries
import feedlib.posts
from feedlib.cache import ENTRIES_FILE, INDEX_CHANGES_FILE, INDEX_FILE, PostCache
from feedlib.cache.records import RecordCodec
from feedlib.cache.stamps import settings_fingerprint
from feedlib.dates import microseconds
from feedlib.frontmatter import YAMLHandler


def _build(site: SiteFiles, **overrides: Any) -> list[feedlib.Published]:
    config = feedlib.load_config(site.config)
    if overrides:
        from dataclasses import replace

        config = replace(config, build=replace(config.build, **overrides))
    return feedlib.build(config, wait=5)


def _fresh(site: SiteFiles, tmp_path: Path) -> dict[str, bytes]:
    """What a build with no cache at all writes (into a folder of its own)."""
    out = tmp_path / "fresh-out"
    _build(site, out=out, cache=None)
    return feed_bytes(out)


class Calls:
    """Counts calls to YAML loading, Markdown conversion and post rendering."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.yaml = 0
        self.markdown = 0
        self.rendered: list[str] = []
        original_load = YAMLHandler.load
        original_convert = markdown.Markdown.convert
        original_render = feedlib.entries.render_post

        def load(handler: YAMLHandler, path: Path, text: str, first_line: int) -> Any:
            self.yaml += 1
            return original_load(handler, path, text, first_line)

        def convert(renderer: markdown.Markdown, source: str) -> str:
            self.markdown += 1
            return original_convert(renderer, source)

        def render(post: feedlib.Post, site: feedlib.Site) -> feedlib.Rendered:
            self.rendered.append(post.path.name)
            return original_render(post, site)

        monkeypatch.setattr(YAMLHandler, "load", load)
        monkeypatch.setattr(markdown.Markdown, "convert", convert)
        monkeypatch.setattr(feedlib.entries, "render_post", render)


@pytest.fixture
def site(tmp_path: Path) -> SiteFiles:
    return write_site(tmp_path / "site", count=8, limit=5)


def test_cold_and_warm_builds_write_the_same_bytes(site: SiteFiles, tmp_path: Path) -> None:
    _build(site)
    cold = feed_bytes(site.out)
    assert all((site.cache / name).is_file() for name in WHOLE_FILES)
    for name in cold:
        (site.out / name).unlink()
    _build(site)
    assert feed_bytes(site.out) == cold == _fresh(site, tmp_path)


def test_warm_build_neither_parses_yaml_nor_renders_markdown(
    site: SiteFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(site)
    calls = Calls(monkeypatch)
    published = _build(site)
    assert (calls.yaml, calls.markdown, calls.rendered) == (0, 0, [])
    assert not any(item.changed for item in published)


def test_a_new_post_entering_the_feed_is_rendered_from_the_cached_record(
    site: SiteFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Rendered only for the newest five; removing the newest brings an older,
    # indexed but never rendered, post into the feed. The index keeps no
    # bodies: that one file is read again, and no other.
    _build(site)
    (site.posts / "post-00007.md").unlink()
    calls = Calls(monkeypatch)
    _build(site)
    assert calls.yaml == 1
    assert calls.rendered == ["post-00002.md"]
    monkeypatch.undo()
    assert feed_bytes(site.out) == _fresh(site, tmp_path)


def test_editing_one_post_rerenders_only_that_post(
    site: SiteFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _build(site)
    (site.posts / "post-00005.md").write_text(post_text(5, edit=1), encoding="utf-8")
    calls = Calls(monkeypatch)
    _build(site)
    assert calls.yaml == 1
    assert calls.rendered == ["post-00005.md"]
    monkeypatch.undo()
    assert b"Post 5 edit 1" in (site.out / "feed.xml").read_bytes()
    assert feed_bytes(site.out) == _fresh(site, tmp_path)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("limit = 5\n", "limit = 5\nsummary_length = 40\n"),
        ('timezone = "Asia/Tokyo"', 'timezone = "America/New_York"'),
        ('url = "https://example.com/blog/"', 'url = "https://example.org/"'),
        ("limit = 5\n", 'limit = 5\nmarkdown_extensions = ["extra", "toc"]\n'),
    ],
)
def test_changing_a_setting_invalidates_the_cache(
    site: SiteFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, old: str, new: str
) -> None:
    _build(site)
    text = site.config.read_text(encoding="utf-8")
    assert old in text
    site.config.write_text(text.replace(old, new), encoding="utf-8")
    calls = Calls(monkeypatch)
    _build(site)
    assert calls.yaml == 8
    assert len(calls.rendered) == 5
    monkeypatch.undo()
    assert feed_bytes(site.out) == _fresh(site, tmp_path)


# The files every build with a cache writes (changes to the index go apart only later).
WHOLE_FILES = (INDEX_FILE, ENTRIES_FILE)


def _records(site: SiteFiles, name: str) -> dict[str, Any]:
    records: dict[str, Any] = json.loads((site.cache / name).read_bytes())["posts"]
    return records


def test_files_that_are_gone_are_pruned(site: SiteFiles) -> None:
    _build(site)
    (site.posts / "post-00000.md").unlink()
    _build(site)
    config = feedlib.load_config(site.config)
    assert PostCache.open(site.cache, config.site).keys() == [f"post-{n:05d}.md" for n in range(1, 8)]
    assert len(_records(site, ENTRIES_FILE)) == 5


@pytest.fixture
def never_signed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files never get a signature, however long a test takes: each build reads and hashes them."""
    monkeypatch.setattr(feedlib.cache.stamps, "RACY_MARGIN_NS", 10**20)


@pytest.fixture
def signed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files get a signature as soon as they were written (tests wait out the clock's tick themselves)."""
    monkeypatch.setattr(feedlib.cache.stamps, "RACY_MARGIN_NS", 0)


@pytest.mark.usefixtures("never_signed")
def test_an_unchanged_build_does_not_rewrite_the_cache(site: SiteFiles) -> None:
    _build(site)
    before = [(site.cache / name).stat() for name in WHOLE_FILES]
    _build(site)
    after = [(site.cache / name).stat() for name in WHOLE_FILES]
    assert [(stat.st_ino, stat.st_mtime_ns) for stat in before] == [
        (stat.st_ino, stat.st_mtime_ns) for stat in after
    ]


def test_a_file_just_written_gets_no_signature(site: SiteFiles) -> None:
    # Written a moment ago: it could change again within the same clock tick.
    _build(site)
    assert all(record[0] is None for record in _records(site, INDEX_FILE).values())


class Reads:
    """Counts post files read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        original = feedlib.posts.read_bytes

        def read(file: feedlib.PostFile) -> bytes:
            self.paths.append(Path(file.location).name)
            return original(file)

        monkeypatch.setattr(feedlib.posts, "read_bytes", read)


@pytest.mark.usefixtures("signed_at_once")
def test_a_signed_file_is_not_read_again(site: SiteFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    time.sleep(0.05)  # Past the tick the posts were written in.
    _build(site)
    assert all(record[0] for record in _records(site, INDEX_FILE).values())
    reads = Reads(monkeypatch)
    published = _build(site)
    assert reads.paths == []
    assert not any(item.changed for item in published)


@pytest.mark.usefixtures("signed_at_once")
def test_an_edit_that_keeps_size_and_modification_time_is_seen(
    site: SiteFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    time.sleep(0.05)
    _build(site)
    path = site.posts / "post-00006.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    time.sleep(0.05)  # The change time moves on (no program can set it back).
    path.write_text(text.replace("Post 6 edit 0", "Post 6 edit 9"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reads = Reads(monkeypatch)
    _build(site)
    assert "post-00006.md" in reads.paths and len(set(reads.paths)) == 1
    monkeypatch.undo()
    assert b"Post 6 edit 9" in (site.out / "feed.xml").read_bytes()
    assert feed_bytes(site.out) == _fresh(site, tmp_path)


def _mutate_records(change: Callable[[list[Any]], None]) -> Callable[[bytes], bytes]:
    def corrupt(raw: bytes) -> bytes:
        data = json.loads(raw)
        for record in data["posts"].values():
            change(record)
        return json.dumps(data).encode()

    return corrupt


def _set(*path: int, value: object) -> Callable[[list[Any]], None]:
    """Set one item of a record, found by its indexes (see the layout in feedlib.cache)."""

    def change(record: list[Any]) -> None:
        target = record
        for index in path[:-1]:
            target = target[index]
        target[path[-1]] = value

    return change


# Index records: [signature, *the fields of a PostRecord but file and post].
URL, WHEN, DRAFT_FLAG, CATEGORIES = 2, 4, 5, 6
# Entry records: [digest, *the fields of an Entry but its source path].
TITLE, PUBLISHED, UPDATED, AUTHORS, TERMS, HTML, IMAGE = 3, 4, 5, 6, 7, 9, 10

FILE_CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: random.Random(7).randbytes(len(raw)),
    "not utf-8": lambda raw: b"\xff\xfe" + raw,
    "deep nesting": lambda raw: b"[" * 200_000,
    "wrong version": lambda raw: json.dumps({**json.loads(raw), "version": 0}).encode(),
    "a list": lambda raw: b"[1, 2, 3]",
    "posts a list": lambda raw: json.dumps({**json.loads(raw), "posts": []}).encode(),
    "records emptied": _mutate_records(lambda record: record.clear()),
    "records too long": _mutate_records(lambda record: record.append(1)),
}
INDEX_CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "digest a number": _mutate_records(_set(1, value=12)),
    "url a number": _mutate_records(_set(URL, value=5)),
    "url with a control character": _mutate_records(_set(URL, value="https://example.com/\u0001")),
    "time a string": _mutate_records(_set(WHEN, value="2020")),
    "time true": _mutate_records(_set(WHEN, value=True)),
    "draft a string": _mutate_records(_set(DRAFT_FLAG, value="no")),
    "categories a string": _mutate_records(_set(CATEGORIES, value="abc")),
    "categories nested": _mutate_records(_set(CATEGORIES, value=[["x"]])),
    "signature of another file": _mutate_records(_set(0, value="1:2:3:4")),
}
ENTRY_CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "title a number": _mutate_records(_set(TITLE, value=123)),
    "title with a control character": _mutate_records(_set(TITLE, value="bad\u0001title")),
    "title with a lone surrogate": _mutate_records(_set(TITLE, value="bad\ud800")),
    "title with U+FFFE": lambda raw: (
        _mutate_records(_set(TITLE, value="bad\ufffe"))(raw)
        .decode("unicode-escape")
        .encode("utf-8", "surrogatepass")
    ),
    "unknown zone": _mutate_records(_set(PUBLISHED, value=["2020-01-01T00:00:00", 0, "../../etc/passwd"])),
    "naive time": _mutate_records(_set(UPDATED, value=["2020-01-01T00:00:00"])),
    "time a number": _mutate_records(_set(UPDATED, value=[20200101])),
    "authors a string": _mutate_records(_set(AUTHORS, value="someone")),
    "author too short": _mutate_records(_set(AUTHORS, value=[["a", None]])),
    "html null": _mutate_records(_set(HTML, value=None)),
    "image a string": _mutate_records(_set(IMAGE, value="cover.png")),
    "digest a number": _mutate_records(_set(0, value=12)),
    "terms nested": _mutate_records(_set(TERMS, value=[["x"]])),
}
CORRUPTIONS = [
    *((name, how, corrupt) for name in WHOLE_FILES for how, corrupt in FILE_CORRUPTIONS.items()),
    *((INDEX_FILE, how, corrupt) for how, corrupt in INDEX_CORRUPTIONS.items()),
    *((ENTRIES_FILE, how, corrupt) for how, corrupt in ENTRY_CORRUPTIONS.items()),
]


@pytest.mark.parametrize(
    ("name", "corrupt"),
    [pytest.param(name, corrupt, id=f"{name}: {how}") for name, how, corrupt in CORRUPTIONS],
)
@pytest.mark.usefixtures("signed_at_once")
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    site: SiteFiles,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    corrupt: Callable[[bytes], bytes],
) -> None:
    time.sleep(0.05)  # Signed: a corrupt index must not let a record stand for a file unread.
    _build(site)
    expected = feed_bytes(site.out)
    cache_file = site.cache / name
    cache_file.write_bytes(corrupt(cache_file.read_bytes()))
    for feed in expected:
        (site.out / feed).unlink()
    _build(site)
    assert feed_bytes(site.out) == expected == _fresh(site, tmp_path)
    # Rebuilt: the next build is warm again.
    calls = Calls(monkeypatch)
    _build(site)
    assert (calls.yaml, calls.rendered) == (0, [])


def test_a_cache_of_other_settings_is_not_used(site: SiteFiles) -> None:
    config = feedlib.load_config(site.config)
    _build(site)
    other = PostCache.open(site.cache, feedlib.Site(url="https://other.example/", title="x"))
    assert other.fingerprint != settings_fingerprint(config.site)
    digest = _records(site, INDEX_FILE)["post-00001.md"][1]
    assert config.site == feedlib.load_config(site.config).site
    file = feedlib.PostFile("post-00001.md", str(site.posts / "post-00001.md"))
    assert other.record(file, digest=digest) is None
    assert PostCache.open(site.cache, config.site).record(file, digest=digest) is not None


def test_no_cache_writes_no_cache_folder(site: SiteFiles) -> None:
    _build(site, cache=None)
    assert not site.cache.exists()
    assert feed_bytes(site.out)


def test_an_unwritable_cache_only_warns(site: SiteFiles, caplog: pytest.LogCaptureFixture) -> None:
    blocker = site.root / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    published = _build(site, cache=blocker / "cache")
    assert [item.changed for item in published] == [True, True]
    assert "the cache was not saved" in caplog.text


def test_records_sharing_authors_and_terms_are_each_checked(tmp_path: Path) -> None:
    # Decoded authors and term lists are shared between records; a record whose
    # author is the string "abc" must not pass for one whose author is ["a", "a@b.c", "http://c/"].
    at = ["2025-01-01T00:00:00+00:00"]
    url = "https://example.com/x.html"
    good = [url, url, "T", at, at, [["a", "a@b.c", "http://c/"]], ["x"], "x", "<p>x</p>", None, None, None]
    bad_author = [*good[:5], ["abc"], *good[6:]]
    bad_terms = [*good[:6], [1], *good[7:]]
    codec = RecordCodec(feedlib.Entry, given=("source",))
    first = codec.decode(good, source=tmp_path / "good.md")
    assert first.authors == (feedlib.Author("a", "a@b.c", "http://c/"),)
    assert first.categories == ("x",)
    for bad in (bad_author, bad_terms):
        with pytest.raises(ValueError, match="expected"):
            codec.decode(bad, source=tmp_path / "bad.md")
    assert codec.decode(good, source=tmp_path / "good.md") == first


@given(st.datetimes(timezones=st.timezones()), st.datetimes(timezones=st.timezones()))
def test_microseconds_order_instants_as_datetimes_do(first: datetime, second: datetime) -> None:
    # The index sorts posts by this number instead of by their dates.
    assert (microseconds(first) < microseconds(second)) == (first < second)
    assert (microseconds(first) == microseconds(second)) == (first == second)


@pytest.mark.usefixtures("never_signed")
def test_an_edit_writes_only_the_changes_to_the_index(
    site: SiteFiles, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _build(site)
    index = (site.cache / INDEX_FILE).read_bytes()
    for number, edit in ((6, 1), (3, 1), (6, 2)):
        (site.posts / f"post-{number:05d}.md").write_text(post_text(number, edit=edit), encoding="utf-8")
        _build(site)
        assert (site.cache / INDEX_FILE).read_bytes() == index
    changes = json.loads((site.cache / INDEX_CHANGES_FILE).read_bytes())["posts"]
    assert sorted(changes) == ["post-00003.md", "post-00006.md"]
    # Warm again: the changes are read back, nothing is parsed.
    calls = Calls(monkeypatch)
    published = _build(site)
    assert (calls.yaml, calls.rendered) == (0, [])
    assert not any(item.changed for item in published)
    monkeypatch.undo()
    assert feed_bytes(site.out) == _fresh(site, tmp_path)


@pytest.mark.usefixtures("never_signed")
def test_many_changes_rewrite_the_whole_index(site: SiteFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feedlib.cache, "_CHANGES_MAX", 2)
    _build(site)
    for number in range(4):
        (site.posts / f"post-{number:05d}.md").write_text(post_text(number, edit=1), encoding="utf-8")
    _build(site)
    assert not (site.cache / INDEX_CHANGES_FILE).exists()
    records = _records(site, INDEX_FILE)
    assert len(records) == 8


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(lambda data: {**data, "index": "another version"}, id="of another index"),
        pytest.param(lambda data: {**data, "posts": dict.fromkeys(data["posts"], "junk")}, id="junk records"),
        pytest.param(lambda data: {**data, "posts": {k: [1, 2] for k in data["posts"]}}, id="short records"),
        pytest.param(lambda data: {**data, "fingerprint": "other"}, id="other settings"),
    ],
)
@pytest.mark.usefixtures("never_signed")
def test_changes_that_do_not_fit_are_ignored(
    site: SiteFiles, tmp_path: Path, changes: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    _build(site)
    (site.posts / "post-00006.md").write_text(post_text(6, edit=1), encoding="utf-8")
    _build(site)
    changes_file = site.cache / INDEX_CHANGES_FILE
    changes_file.write_text(json.dumps(changes(json.loads(changes_file.read_bytes()))), encoding="utf-8")
    (site.posts / "post-00005.md").write_text(post_text(5, edit=3), encoding="utf-8")
    _build(site)
    assert b"Post 5 edit 3" in (site.out / "feed.xml").read_bytes()
    assert b"Post 6 edit 1" in (site.out / "feed.xml").read_bytes()
    assert feed_bytes(site.out) == _fresh(site, tmp_path)


def test_a_cache_of_an_older_layout_is_replaced(site: SiteFiles) -> None:
    site.cache.mkdir(parents=True)
    (site.cache / "posts.json").write_text('{"version": 2, "posts": {}}', encoding="utf-8")
    _build(site)
    assert sorted(path.name for path in site.cache.iterdir()) == sorted(WHOLE_FILES)


def test_the_index_finds_the_digest_where_the_record_codec_puts_it() -> None:
    """The index's digest column is known without making the codec (a warm build makes none)."""
    import feedlib.cache as cache_module

    codec = cache_module._records()
    assert 1 + codec.names.index("digest") == cache_module._DIGEST_AT

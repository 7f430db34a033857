"""Whatever a program passes to a public constructor or function, anything raised is a FeedlibError.

Each case starts from arguments that work, replaces some of them with values
of the wrong type or shape (text for a list, a naive datetime, a list holding
a number, a record whose fields are wrong), and calls: the call may succeed,
or raise a :class:`feedlib.FeedlibError`, never anything else.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import pydoc
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import feedlib
from feedlib.config import config_from_mapping

SITE = feedlib.Site(url="https://example.com/blog/", title="T", authors=(feedlib.Author("Ann"),))
WHEN = datetime(2025, 1, 1, tzinfo=UTC)
POST = feedlib.Post(
    path=Path("posts/2025-01-01-a.md"), title="A", date=WHEN, updated=WHEN, slug="a", body="Body *b*."
)
ENTRY = feedlib.to_entry(POST, SITE)
RECORD = feedlib.record_of(POST, SITE)
FILE = feedlib.PostFile("2025-01-01-a.md", "posts/2025-01-01-a.md")
OPTIONS = feedlib.BuildOptions(posts=Path("posts"), out=Path("public"), cache=None)
CONFIG = feedlib.Config(site=SITE, build=OPTIONS)
DOCUMENTS = feedlib.render_documents(SITE, [ENTRY], ["atom"])
FEEDS = [feedlib.Feed(SITE, (ENTRY,), {"atom": "feed.xml"})]
MAPPING = {
    "site": {"url": "https://example.com/", "title": "T", "author": ["Ann"], "timezone": "UTC"},
    "build": {"formats": ["atom", "json"], "limit": 5, "url_parameters": {"utm_source": "feed"}},
    "feeds": {"tags": {"only": ["a"]}, "languages": True},
}

# Names and paths kept inside the test's folder: no "/", so never the root of the disk.
_NAMES = st.text(alphabet="ab.\0 :_", max_size=6)
#: Values of every kind a program might pass by mistake.
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.integers(),
    st.floats(),
    _NAMES,
    st.text(max_size=8),
    st.sampled_from(
        ["", "atom", "rss2", "https://example.com/", "example.com", "posts", "..", "feed/:term.xml",
         "Asia/Tokio", "ja", "summry", "commonmak", "full", "tags", "a@b.c", "audio/mpeg"]
    ),
    st.binary(max_size=4),
    st.lists(st.one_of(_NAMES, st.integers(), st.none()), max_size=3),
    st.tuples(_NAMES),
    st.dictionaries(_NAMES, st.one_of(_NAMES, st.integers(), st.lists(_NAMES, max_size=2)), max_size=3),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    _NAMES.map(Path),
    st.sampled_from([object(), SITE, ENTRY, RECORD, POST, FILE, OPTIONS, CONFIG, [ENTRY], [RECORD], [FILE]]),
    # Callables of the right shape (a program's own callback that raises is the program's to handle).
    st.sampled_from([print, lambda *args: None, lambda *args: args]),
    st.sampled_from([RECORD._replace(when="x"), RECORD._replace(post=3), (1, 2), [RECORD, 3]]),
    st.just(iter([RECORD])),
)  # fmt: skip


def _deep_junk(value: Any) -> st.SearchStrategy[Any]:
    """``value`` (a mapping, as TOML gives) with one of its values, at any depth, replaced by junk."""
    if not isinstance(value, dict) or not value:
        return JUNK
    return st.sampled_from(sorted(value)).flatmap(
        lambda key: st.one_of(JUNK, _deep_junk(value[key])).map(lambda junk: {**value, key: junk})
    )


#: Each public constructor and function, with arguments that work.
CASES: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "Site": (feedlib.Site, {"url": "https://example.com/", "title": "T", "authors": "Ann", "timezone": "UTC",
                            "language": "ja", "content": "summary", "renderer": "markdown",
                            "summary_length": 9,
                            "markdown_extensions": ["extra"], "hub": None, "url_parameters": {"a": "b"}}),
    "Author": (feedlib.Author, {"name": "Ann", "email": "ann@example.com", "uri": "https://example.com/"}),
    "Image": (feedlib.Image, {"url": "a.png", "alt": "A"}),
    "Enclosure": (feedlib.Enclosure, {"url": "a.mp3", "length": 3, "type": "audio/mpeg"}),
    "BuildOptions": (feedlib.BuildOptions, {"posts": "posts", "out": "public", "formats": ["atom"],
                                            "limit": 3,
                                            "cache": None, "paths": {"atom": "a.xml"}, "stylesheet": False,
                                            "feeds": (), "dates": "front-matter"}),
    "TermFeedConfig": (feedlib.TermFeedConfig, {"kind": "tags", "path": "t/:term.xml", "only": ["a"],
                                                "exclude": ()}),
    "LiquidSettings": (feedlib.LiquidSettings, {"enabled": False, "site": {}, "includes": None,
                                                "root": None}),
    "Config": (feedlib.Config, {"site": SITE, "build": OPTIONS, "path": "feedlib.toml"}),
    "load_config": (feedlib.load_config, {"path": "feedlib.toml"}),
    "config_from_mapping": (feedlib.config_from_mapping, {"data": MAPPING, "source": None}),
    "discover_posts": (feedlib.discover_posts, {"folder": "posts"}),
    "add_commit_dates": (feedlib.add_commit_dates, {"files": [FILE], "folder": "posts"}),
    "load_post": (feedlib.load_post, {"path": "posts/2025-01-01-a.md", "site": SITE}),
    "load_posts": (feedlib.load_posts, {"folder": "posts", "site": SITE, "on_error": None}),
    "read_posts": (feedlib.read_posts, {"files": [FILE], "site": SITE, "cache": None, "keep": True}),
    "record_of": (feedlib.record_of, {"post": POST, "site": SITE, "file": FILE, "digest": ""}),
    "select_posts": (feedlib.select_posts, {"records": [RECORD], "now": WHEN, "limit": 2, "on_error": None}),
    "render_post": (feedlib.render_post, {"post": POST, "site": SITE}),
    "to_entry": (feedlib.to_entry, {"post": POST, "site": SITE, "rendered": None}),
    "render_entries": (feedlib.render_entries, {"records": [RECORD], "site": SITE, "cache": None,
                                                "progress": None}),
    "plan_feeds": (feedlib.plan_feeds, {"site": SITE, "options": OPTIONS, "published": [RECORD]}),
    "render_documents": (feedlib.render_documents, {"site": SITE, "entries": [ENTRY], "formats": ["rss"],
                                                    "paths": {"rss": "r.xml"}, "stylesheet": True}),
    "render_feed": (feedlib.render_feed, {"site": SITE, "entries": [ENTRY], "format": "json"}),
    "render_feeds": (lambda **kw: list(feedlib.render_feeds(**kw)), {"feeds": FEEDS, "stylesheet": False}),
    "publish_documents": (feedlib.publish_documents, {"documents": DOCUMENTS, "out": "public", "wait": 1}),
    "PostCache.open": (feedlib.PostCache.open, {"folder": None, "site": SITE, "liquid": None}),
    "open_cache": (feedlib.open_cache, {"config": CONFIG}),
    "post_files": (feedlib.post_files, {"config": CONFIG}),
    "check": (feedlib.check, {"config": CONFIG, "now": WHEN}),
    "render_site": (feedlib.render_site, {"config": CONFIG, "cache": None, "now": WHEN}),
    "dry_run": (feedlib.dry_run, {"config": CONFIG, "now": WHEN}),
    "build": (feedlib.build, {"config": CONFIG, "now": WHEN, "wait": 1}),
    "load_jekyll_config": (feedlib.load_jekyll_config, {"site_dir": "jekyll", "drafts": False}),
}  # fmt: skip


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with a post, a configuration file and a Jekyll site, as the current folder."""
    folder = tmp_path_factory.mktemp("public-api")
    (folder / "posts").mkdir()
    (folder / "posts" / "2025-01-01-a.md").write_text(
        "---\ntitle: A\ntags: [a]\n---\nBody.\n", encoding="utf-8"
    )
    (folder / "feedlib.toml").write_text(
        '[site]\nurl = "https://example.com/"\ntitle = "T"\n', encoding="utf-8"
    )
    (folder / "jekyll" / "_posts").mkdir(parents=True)
    (folder / "jekyll" / "_config.yml").write_text("url: https://example.com\ntitle: J\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)  # For add_commit_dates.
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)


def test_every_public_callable_has_a_case() -> None:
    public = {
        name for name in feedlib.__all__ if callable(getattr(feedlib, name)) and name not in {"ping_hub"}
    }
    classes = {name for name in public if isinstance(getattr(feedlib, name), type)}
    # Classes made only by feedlib itself (results), and exceptions, take what feedlib gives them.
    results = {"CheckReport", "Document", "Entry", "EntryChange", "Feed", "FeedPreview", "PingFailure",
               "Post", "PostCache", "PostFile", "PostRecord", "Published", "Rendered"}  # fmt: skip
    errors = {name for name in classes if issubclass(getattr(feedlib, name), BaseException)}
    assert public - results - errors - set(CASES) == set()


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_anything_raised_is_a_feedlib_error(workspace: Path, name: str, data: st.DataObject) -> None:
    function, valid = CASES[name]
    arguments = dict(valid)
    for key in data.draw(st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=2, unique=True)):
        arguments[key] = data.draw(_deep_junk(valid[key]), label=key)
    with contextlib.suppress(feedlib.FeedlibError):
        function(**arguments)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_valid_arguments_work(workspace: Path, name: str) -> None:
    function, valid = CASES[name]
    function(**valid)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: feedlib.Site(url="example.com", title="T"), "site.url must be an absolute http(s) URL"),
        (lambda: feedlib.Site(url="https://e.com/", title="T", content="summry"), "build.content must be"),
        (
            lambda: feedlib.Site(url="https://e.com/", title="T", renderer="commonmak"),
            "build.renderer must be",
        ),
        (lambda: feedlib.Site(url="https://e.com/", title="T", timezone="Asia/Tokio"), "unknown timezone"),
        (lambda: feedlib.Site(url="https://e.com/", title="T", authors=3), "site.author"),
        (lambda: feedlib.render_feed(SITE, [], "rss2"), "unknown feed format 'rss2'"),
        (lambda: feedlib.render_documents(SITE, [], "atom"), "formats must be a list of strings"),
        (lambda: feedlib.select_posts([RECORD], now=datetime(2025, 1, 1)), "with a time zone"),
        (lambda: feedlib.BuildOptions(formats=("atom", "rss2")), "build.formats: unknown format"),
        (lambda: feedlib.BuildOptions(limit=-1), "build.limit"),
        (lambda: feedlib.TermFeedConfig("tags", "/etc/:term.xml"), "feeds.tags.path"),
        (lambda: feedlib.Enclosure("a.mp3", -1, "audio/mpeg"), "enclosure.length"),
        (lambda: feedlib.Author(""), "an author needs a name"),
    ],
)
def test_wrong_values_are_refused_where_they_are_passed(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(feedlib.ConfigError, match=None) as caught:
        make()
    assert message in str(caught.value)


def test_the_configuration_file_says_what_the_library_says(tmp_path: Path) -> None:
    path = tmp_path / "feedlib.toml"
    path.write_text(
        '[site]\nurl = "https://e.com/"\ntitle = "T"\ntimezone = "Asia/Tokio"\n', encoding="utf-8"
    )
    with pytest.raises(feedlib.ConfigError) as from_file:
        feedlib.load_config(path)
    with pytest.raises(feedlib.ConfigError) as from_program:
        feedlib.Site(url="https://e.com/", title="T", timezone="Asia/Tokio")
    assert str(from_file.value) == f"{path}: {from_program.value}"
    with pytest.raises(feedlib.ConfigError) as mapped:
        config_from_mapping(
            {"site": {"url": "https://e.com/", "title": "T"}, "build": {"content": "x"}}, path
        )
    assert str(mapped.value).startswith(f"{path}: build.content must be")


def test_plain_forms_are_converted() -> None:
    site = feedlib.Site(
        url="https://e.com/", title="T", authors=["Ann", {"name": "Bob"}], markdown_extensions=[]
    )
    assert site.authors == (feedlib.Author("Ann"), feedlib.Author("Bob")) and site.markdown_extensions == ()
    assert feedlib.Site(url="https://e.com/", title="T", authors="Ann").authors == (feedlib.Author("Ann"),)
    options = feedlib.BuildOptions(posts="p", out="o", cache="c", formats=["rss", "rss"], limit=0)
    assert (options.posts, options.out, options.cache) == (Path("p"), Path("o"), Path("c"))
    assert options.formats == ("rss",) and options.limit is None
    assert replace(SITE, url_parameters={"utm_source": "feed"}).url_parameters == (("utm_source", "feed"),)


@pytest.mark.parametrize("name", ["Site", "BuildOptions", "Config", "TermFeedConfig", "render_feed", "build"])
def test_help_shows_types_not_strings(name: str) -> None:
    text = pydoc.render_doc(getattr(feedlib, name), renderer=pydoc.plaintext)
    parameters = inspect.signature(getattr(feedlib, name)).parameters.values()
    assert not [p for p in parameters if isinstance(p.annotation, str)], parameters
    assert ": 'str" not in text and "Site'" not in text


def test_public_docstrings_stand_on_their_own() -> None:
    for name in feedlib.__all__:
        doc = inspect.getdoc(getattr(feedlib, name)) or ""
        assert doc, f"{name} has no docstring"
        assert " as for " not in doc.lower() and not doc.lower().startswith("as for"), name

"""Whatever a post holds, a build writes feeds that parse, or fails naming the file."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

import feedlib
from feedlib.cache import ENTRIES_FILE

NOW = datetime(9999, 12, 31, tzinfo=UTC)

scalars = st.one_of(
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.timezones()),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(st.text(max_size=8), scalars, max_size=3),
)


def _mostly(good: st.SearchStrategy[Any], junk: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values a post plausibly holds seven times out of eight, anything else otherwise."""
    return st.integers(0, 7).flatmap(lambda n: junk if n == 0 else good)


# Years feedlib accepts (1000 to 9999), with a day to spare for any offset.
_EARLIEST, _LATEST = datetime(1000, 1, 2), datetime(9999, 12, 30)
moments = st.one_of(
    st.datetimes(_EARLIEST, _LATEST, timezones=st.none() | st.timezones()),
    st.dates(_EARLIEST.date(), _LATEST.date()),
    st.datetimes(_EARLIEST, _LATEST, timezones=st.timezones()).map(lambda moment: moment.isoformat()),
)
dates = _mostly(
    moments,
    st.one_of(
        st.text(),
        st.sampled_from(["2025-10-08 08:40:48 +0000", "2025-10-08", "2024-13-45", "yesterday", "0001-01-01"]),
        values,
    ),
)
terms = _mostly(st.one_of(st.text(), st.lists(st.one_of(st.text(), st.integers()), max_size=4)), values)
authors = _mostly(
    st.one_of(
        st.text(min_size=1),
        st.fixed_dictionaries(
            {"name": st.text(min_size=1)},
            optional={
                "email": st.emails(),
                "uri": st.sampled_from(["https://example.com/a", "http://x.org"]),
            },
        ),
    ),
    st.one_of(
        values,
        st.dictionaries(st.sampled_from(["name", "email", "uri"]), st.one_of(st.text(), st.integers())),
        st.lists(
            st.one_of(st.text(), st.dictionaries(st.sampled_from(["name", "email"]), st.text())), max_size=3
        ),
    ),
)
texts = _mostly(st.text(), values)


@st.composite
def post_files(draw: st.DrawFn) -> str:
    """The text of a post file: front matter from any values, maybe a raw junk line, and any body."""
    front: dict[str, Any] = {}
    for key, strategy in (
        ("title", texts),
        ("date", dates),
        ("tags", terms),
        ("categories", terms),
        ("author", authors),
        ("excerpt", texts),
        ("permalink", _mostly(st.sampled_from(["/a/:title/", "pretty", "none", "/:slug.html"]), st.text())),
        ("id", texts),
    ):
        if draw(st.booleans()):
            front[key] = draw(strategy)
    text = yaml.safe_dump(front, allow_unicode=True, default_flow_style=False) if front else ""
    if draw(st.integers(0, 5)) == 0:
        key = draw(st.sampled_from(["title", "date", "tags", "author", "extra"]))
        text += f"{key}: {draw(st.text(max_size=30))}\n"
    body = draw(st.text())
    if draw(st.booleans()):
        body += "\n\n<!--more-->\n\n" + draw(st.text(max_size=50))
    return f"---\n{text}---\n{body}"


def _config(root: Path, cache: bool) -> feedlib.Config:
    site = feedlib.Site(url="https://example.com/blog/", title="Property", timezone="Asia/Tokyo")
    options = feedlib.BuildOptions(
        posts=root / "posts", out=root / "public", limit=None, cache=root / "cache" if cache else None
    )
    return feedlib.Config(site=site, build=options)


def _assert_valid_feeds(out: Path) -> dict[str, bytes]:
    written = {}
    for name in ("feed.xml", "rss.xml"):
        content = (out / name).read_bytes()
        etree.fromstring(content)
        parsed = feedparser.parse(content)
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        written[name] = content
    return written


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=st.lists(post_files(), min_size=1, max_size=2), names=st.data())
def test_build_writes_valid_feeds_or_names_the_file(files: list[str], names: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "posts").mkdir()
        paths = []
        for number, text in enumerate(files):
            dated = names.draw(st.integers(0, 3), label="dated file name") > 0
            path = (
                root / "posts" / (f"2025-01-0{number + 1}-post-{number}.md" if dated else f"post-{number}.md")
            )
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            paths.append(path)
        try:
            feedlib.build(_config(root, cache=True), now=NOW, wait=5)
        except feedlib.FeedlibError as error:
            assert any(str(path) in str(error) for path in paths), str(error)
            assert not (root / "public" / "feed.xml").exists()
            event("a post was invalid")
            return
        event("feeds written")
        cold = _assert_valid_feeds(root / "public")
        # The cache must not change a byte: warm, and with no cache at all.
        for name in cold:
            (root / "public" / name).unlink()
        feedlib.build(_config(root, cache=True), now=NOW, wait=5)
        assert _assert_valid_feeds(root / "public") == cold
        for name in cold:
            (root / "public" / name).unlink()
        feedlib.build(_config(root, cache=False), now=NOW, wait=5)
        assert _assert_valid_feeds(root / "public") == cold
        # Posts in the index without their renderings: read from the files again.
        (root / "cache" / ENTRIES_FILE).unlink()
        for name in cold:
            (root / "public" / name).unlink()
        feedlib.build(_config(root, cache=True), now=NOW, wait=5)
        assert _assert_valid_feeds(root / "public") == cold

"""Hypothesis properties: any front matter a user or a YAML library writes: a valid feed or a PostError.

The pipeline under test is load_post → to_entry → render_feed, on a post file
written with yaml.safe_dump. Every run is deterministic (derandomize=True, see
conftest.py) and bounded (150 examples per property).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from helpers import atom_text, check_feed, check_json_feed, front_matter_text
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedlib import FeedlibError, Post, PostError, Site, frontmatter, load_post, posts, render_feed, to_entry
from feedlib.dates import parse_date
from feedlib.text import collapse_whitespace, strip_xml_illegal, truncate
from feedlib.urls import post_url, slugify

SITES = [
    Site(url="https://example.com/blog/", title="Example"),
    Site(url="https://example.com", title="例", timezone="Asia/Tokyo", language="ja", summary_length=40),
    Site(url="http://example.org/a/b/", title="NY", timezone="America/New_York", permalink="pretty"),
]

# -- strategies ----------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
)
junk = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def whole_minute_offset(moment: datetime) -> bool:
    # PyYAML writes an offset with seconds (historic LMT zones) as an explicit !!timestamp it cannot
    # read back: that is the known bug test_datetime_with_a_seconds_offset below.
    offset = moment.utcoffset()
    return offset is None or offset.seconds % 60 == 0


aware_or_naive = st.datetimes(
    min_value=datetime(1, 1, 1),
    max_value=datetime(9999, 12, 31, 23, 59, 59),
    timezones=st.none() | st.timezones() | st.just(UTC),
).filter(whole_minute_offset)
date_strings = st.sampled_from(
    [
        "2025-10-08 08:40:48 +0000",
        "2025-10-08T08:40:48Z",
        "2025-10-08",
        "2024-13-45",
        "hello",
        "October 2025",
        "0999-01-01",
        "9999-12-31 23:59:59 -1200",
        "2025-02-29",
        "2025-10-08 25:00",
        "Wed, 08 Oct 2025 08:40:48 +0000",
    ]
)
dates = st.one_of(aware_or_naive, st.dates(), date_strings, st.text(max_size=30), junk)


def not_only_forbidden_characters(title: object) -> bool:
    # A title made only of characters XML forbids crashes the writers: the known bug
    # test_entries.py::test_title_of_only_forbidden_characters.
    if not isinstance(title, str):
        return True
    visible = collapse_whitespace(title)
    return not visible or bool(strip_xml_illegal(visible).strip())


titles = st.one_of(st.text(), scalars, junk).filter(not_only_forbidden_characters)
terms = st.one_of(st.lists(st.text(max_size=15), max_size=5), st.text(max_size=40), scalars, junk)
emails = (
    st.emails() | st.sampled_from(["ada@example.com", "not-an-address", "a@b", ""]) | st.text(max_size=15)
)
uris = st.sampled_from(["https://example.com/ada/", "http://x.example", "/about/", "ftp://x", ""]) | st.text(
    max_size=15
)
author_mappings = st.fixed_dictionaries(
    {}, optional={"name": st.text(max_size=20) | scalars, "email": emails, "uri": uris}
)
authors = st.one_of(
    st.text(max_size=30),
    author_mappings,
    st.lists(st.text(max_size=10) | author_mappings, max_size=3),
    junk,
)
MARKDOWN_TOKENS = [
    "a",
    "日本語",
    " ",
    "\n",
    "\n\n",
    "# ",
    "* ",
    "1. ",
    "> ",
    "`",
    "```\n",
    "**",
    "_",
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#xFFFE;",
    "]]>",
    '"',
    "[x](rel/page.html)",
    "![img](../img/a.png)",
    "[root](/)",
    "[frag](#part)",
    "[abs](https://example.net/x)",
    '<a href="up/">a</a>',
    '<img src="a.png" srcset="a.png 1x, b.png 2x">',
    "<div>",
    "</div>",
    "<p>",
    "<!--more-->",
    "<!-- c -->",
    "[^1]",
    "\n[^1]: note\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "\x00",
    "\x0b",
    "\ufffe",
    "\r\n",
    "\u3000",
    "e\u0301",
]
bodies = st.one_of(st.text(), st.lists(st.sampled_from(MARKDOWN_TOKENS), max_size=40).map("".join))


@st.composite
def front_matters(draw: st.DrawFn) -> dict:
    data = {}
    for key, values in (
        ("title", titles),
        ("date", dates),
        ("tags", terms),
        ("categories", terms),
        ("author", authors),
        ("excerpt", st.text(max_size=60) | scalars),
        ("last_modified_at", dates),
        ("published", st.booleans() | scalars),
        ("draft", st.booleans() | scalars),
    ):
        if draw(st.booleans()):
            data[key] = draw(values)
    return data


# -- the pipeline --------------------------------------------------------------------------------


def pipeline(path: Path, site: Site) -> None:
    """A valid feed in both formats, or a PostError naming ``path``; never anything else."""
    try:
        post = load_post(path, site)
        entry = to_entry(post, site)
        documents = {fmt: render_feed(site, [entry], fmt) for fmt in ("atom", "rss")}
        json_feed = render_feed(site, [entry], "json")
    except PostError as error:
        assert str(error).startswith(str(path))
        assert "\n" not in str(error)
        return
    check_json_feed(json_feed)
    for fmt, data in documents.items():
        # An RSS item with an empty summary loses content:encoded: the known bug
        # test_formats.py::test_rss_item_without_summary_keeps_content_encoded.
        check_feed(data, fmt, entries=[entry], require_content=bool(entry.summary) or fmt == "atom")
    atom = etree.fromstring(documents["atom"])
    assert atom_text(atom, "a:entry/a:title") == entry.title
    assert atom_text(atom, "a:entry/a:summary") in (entry.summary, None)
    assert entry.url.isascii()
    # Else the known colon and control-character bugs in test_urls.py.
    if all(":" not in term and term.isprintable() for term in post.categories):
        assert entry.url.startswith(site.url.rstrip("/"))
    assert len(entry.summary) <= site.summary_length
    assert 1000 <= post.date.year <= 9999
    assert post.date.utcoffset() is not None


@pytest.fixture(scope="module")
def post_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties") / "2025-10-08-post.md"


@given(front_matter=front_matters(), body=bodies, site=st.sampled_from(SITES))
@example(front_matter={"title": "a\x01\ufffe", "date": "2025-10-08"}, body="x", site=SITES[0])
@example(
    front_matter={"date": datetime(9999, 12, 31, 23, 0, tzinfo=timezone(-timedelta(hours=5)))},
    body="",
    site=SITES[1],
)
@example(front_matter={"tags": ["\x02", "ok"], "author": {"name": "\x03"}}, body="]]>", site=SITES[0])
@example(front_matter={"date": "2024-13-45"}, body="", site=SITES[2])
def test_any_front_matter_gives_a_feed_or_a_post_error(
    post_path: Path, front_matter: dict, body: str, site: Site
):
    post_path.write_text(front_matter_text(front_matter) + "\n" + body, encoding="utf-8")
    pipeline(post_path, site)


@given(raw=st.binary(max_size=300), site=st.sampled_from(SITES))
@example(raw=b"---\ntitle: x\n---\n\xff", site=SITES[0])
@example(raw=b"\xef\xbb\xbf---\r\ndate: 2025-01-01\r\n---\r\nbody", site=SITES[0])
def test_any_bytes_give_a_feed_or_a_post_error(post_path: Path, raw: bytes, site: Site):
    post_path.write_bytes(b"---\n" + raw if not raw.startswith((b"---", b"\xef\xbb\xbf")) else raw)
    pipeline(post_path, site)


def _has_name(text: str) -> bool:
    return bool(strip_xml_illegal(text).strip())


valid_datetimes = st.datetimes(
    min_value=datetime(1001, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.none() | st.timezones()
).filter(whole_minute_offset)
valid_authors = st.one_of(
    # A name of characters XML forbids only is no name: feedlib drops them, then asks for one.
    st.text(min_size=1).filter(lambda text: _has_name(text) and not text.strip().startswith(("-", "?"))),
    st.fixed_dictionaries(
        {"name": st.text(min_size=1).filter(_has_name)},
        optional={
            "email": st.sampled_from(["ada@example.com", "a.b+c@mail.example.org"]),
            "uri": st.sampled_from(["https://example.com/ada/", "http://example.org/~g?x=1"]),
        },
    ),
)


@st.composite
def valid_front_matters(draw: st.DrawFn) -> dict:
    data = {"title": draw(st.text().filter(not_only_forbidden_characters))}
    data["date"] = draw(valid_datetimes | st.dates(min_value=date(1001, 1, 1), max_value=date(9998, 12, 31)))
    data["tags"] = draw(st.lists(st.text(), max_size=5) | st.text())
    data["categories"] = draw(st.lists(categories_like_load_post, max_size=2))
    if draw(st.booleans()):
        data["author"] = draw(valid_authors | st.lists(valid_authors, min_size=1, max_size=3))
    if draw(st.booleans()):
        data["excerpt"] = draw(st.text())
    return data


@given(front_matter=valid_front_matters(), body=bodies, site=st.sampled_from(SITES))
def test_valid_front_matter_always_gives_a_feed(post_path: Path, front_matter: dict, body: str, site: Site):
    post_path.write_text(front_matter_text(front_matter) + "\n" + body, encoding="utf-8")
    post = load_post(post_path, site)
    entry = to_entry(post, site)
    for fmt in ("atom", "rss"):
        data = render_feed(site, [entry], fmt)
        parsed = check_feed(data, fmt, entries=[entry], require_content=bool(entry.summary) or fmt == "atom")
        assert [tag.term for tag in parsed.entries[0].get("tags", [])] == list(entry.categories)
    check_json_feed(render_feed(site, [entry], "json"))
    assert entry.url.startswith(site.url.rstrip("/"))
    assert post.date.utcoffset() is not None


@st.composite
def media_front_matters(draw: st.DrawFn) -> dict:
    data = {"title": draw(st.text().filter(not_only_forbidden_characters)), "date": "2025-01-02"}
    if draw(st.booleans()):
        path = draw(
            st.sampled_from(["cover.png", "/img/a%20c.jpg", "https://cdn.example.com/x.webp", "../up.gif"])
        )
        data["image"] = draw(st.sampled_from([path, {"path": path}, {"path": path, "alt": draw(st.text())}]))
    if draw(st.booleans()):
        data["enclosure"] = {
            "url": draw(st.sampled_from(["ep.mp3", "https://media.example.com/e%201.m4a", "/a/b.ogg"])),
            "length": draw(st.integers(min_value=0, max_value=2**40)),
            "type": draw(st.sampled_from(["audio/mpeg", "audio/x-m4a", "video/mp4", "application/pdf"])),
        }
    data["excerpt_only"] = draw(st.booleans())
    return data


@given(front_matter=media_front_matters(), body=bodies, site=st.sampled_from(SITES))
@settings(max_examples=60)
def test_images_and_enclosures_always_give_valid_feeds(
    post_path: Path, front_matter: dict, body: str, site: Site
):
    post_path.write_text(front_matter_text(front_matter) + "\n" + body, encoding="utf-8")
    entry = to_entry(load_post(post_path, site), site)
    for fmt in ("atom", "rss"):
        parsed = check_feed(render_feed(site, [entry], fmt), fmt, entries=[entry], require_content=False)
        if entry.enclosure is not None:
            assert parsed.entries[0].enclosures[0]["href"] == entry.enclosure.url
        if entry.image is not None:
            assert parsed.entries[0].media_thumbnail[0]["url"] == entry.image.url
    check_json_feed(render_feed(site, [entry], "json"))


def test_datetime_with_a_seconds_offset(post_path: Path):
    moment = datetime(1900, 1, 1, 12, tzinfo=ZoneInfo("Europe/Amsterdam"))  # +00:19:32
    assert moment.utcoffset() == timedelta(minutes=19, seconds=32)
    post_path.write_text(front_matter_text({"title": "t", "date": moment}) + "\nbody\n", encoding="utf-8")
    pipeline(post_path, SITES[0])


# -- front matter without escapes needs no cleaning ---------------------------------------------

# Pieces of YAML a front matter might hold: structure, escapes, aliases, and
# characters XML forbids (decode_post drops those written in the file).
YAML_PIECES = [
    "title", "a", "日本", " ", "\n", "\n  ", ": ", ":", "- ", "[", "]", "{", "}", ", ", "#", "? ",
    '"', "'", "\\", "\\x01", "\\u0085", "\\N", "\\e", "\\0", "\\ud800", "\\\n", "\\t",
    "&a ", "*a", "<<: ", "!!str ", "!!binary ", "|\n  ", ">\n  ", "%", "@", "~", "true", "1.5",
    "2025-01-01", "\x01", "\x0b", "\x7f", "\x85", "\ufffe", "\u2028", "\t", "\r\n", "\r",
]  # fmt: skip
yaml_texts = st.one_of(
    st.lists(st.sampled_from(YAML_PIECES), max_size=30).map("".join),
    st.builds(
        yaml.safe_dump,
        junk,
        default_style=st.sampled_from([None, '"', "'", "|", ">"]),
        allow_unicode=st.booleans(),
        width=st.integers(min_value=10, max_value=80),
    ),
)
TOML_PIECES = ["a", "日本", " ", "\\", "\\u0001", "\\b", "\\f", "\\t", "\\u00e9", "\x01", "\x85", "'"]
toml_texts = st.lists(st.sampled_from(TOML_PIECES), max_size=12).map(
    lambda pieces: f"title = \"{''.join(pieces)}\"\nraw = '{''.join(pieces)}'\n"
)
json_texts = st.builds(
    json.dumps, st.dictionaries(st.text(max_size=8), junk), ensure_ascii=st.booleans(), default=st.just(str)
)


def check_no_escape_means_nothing_to_clean(path: Path, raw_text: str) -> None:
    """Whatever ``raw_text`` parses to, _xml_safe changes nothing unless _may_hold_xml_illegal says so."""
    path.write_text(raw_text, encoding="utf-8", errors="surrogatepass")
    text = posts.decode_post(path, path.read_bytes())
    try:
        handler = frontmatter._handler(path, text)
        fm_text, first_line, _ = handler.split(path, text)
        data = handler.load(path, fm_text, first_line)
    except PostError:
        return
    try:
        cleaned = frontmatter._xml_safe(data)
    except RecursionError:  # a list that contains itself (through an alias)
        assert frontmatter._may_hold_xml_illegal(fm_text)
        return
    if not frontmatter._may_hold_xml_illegal(fm_text):
        assert cleaned == data
    if isinstance(data, Mapping):
        assert frontmatter.read_front_matter(path, text) == cleaned


@given(fm=yaml_texts)
@example(fm='title: "a\\x01b"\ntags: [x, "\\u0085"]\n')
@example(fm="x: &a [*a]\n")
@example(fm="base: &b {k: [1]}\nother:\n  <<: *b\n")
def test_yaml_without_a_backslash_needs_no_cleaning(post_path: Path, fm: str):
    check_no_escape_means_nothing_to_clean(post_path, "---\n" + fm + "\n---\nBody.\n")


@given(fm=st.one_of(toml_texts.map("+++\n{}+++\n".format), json_texts))
@example(fm='+++\ntitle = "a\\u0001b"\n+++\n')
@example(fm='{"title": "a\\u0007b"}')
def test_toml_and_json_without_a_backslash_need_no_cleaning(post_path: Path, fm: str):
    check_no_escape_means_nothing_to_clean(post_path, fm + "\nBody.\n")


@given(
    text=st.lists(st.sampled_from(["-", "---", "+++", "+", "\n", " ", "a", "\t"]), max_size=20).map("".join),
    start=st.integers(min_value=1, max_value=30),
)
def test_the_closing_fence_is_the_next_match_of_the_fence(text: str, start: int):
    for fence, first in ((frontmatter.YAMLHandler.fence, "-"), (frontmatter.TOMLHandler.fence, "+")):
        found = frontmatter._next_fence(fence, first, text, start)
        expected = fence.search(text, start)
        assert (found and found.span()) == (expected and expected.span())


# -- smaller properties --------------------------------------------------------------------------


@given(
    value=st.one_of(st.text(max_size=40), date_strings, junk),
    tz=st.sampled_from([UTC, ZoneInfo("Asia/Tokyo")]),
)
def test_parse_date_gives_an_aware_date_in_range_or_value_error(value: object, tz):
    try:
        moment = parse_date(value, tz)
    except ValueError as error:
        assert str(error)
        return
    assert moment.utcoffset() is not None
    assert 1000 <= moment.year <= 9999
    assert 1000 <= moment.astimezone(UTC).year <= 9999


@given(text=st.text(), limit=st.integers(min_value=2, max_value=400))
def test_truncate(text: str, limit: int):
    result = truncate(text, limit)
    assert len(result) <= limit
    if len(text) <= limit:
        assert result == text
    else:
        assert result.endswith("…")
        assert text.startswith(result[:-1])


@given(text=st.text(), pretty=st.booleans(), cased=st.booleans())
def test_slugify_shape(text: str, pretty: bool, cased: bool):
    slug = slugify(text, pretty=pretty, cased=cased)
    assert "--" not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert not any(char.isspace() for char in slug)


# A colon in the first path segment is the known bug in
# test_urls.py::test_colon_in_the_first_segment_stays_under_the_site: no category below has one, and
# permalinks are built from these tokens (lower-case letters never follow a placeholder). Categories
# are stripped and non-empty, as load_post makes them.
PERMALINK_TOKENS = [
    "/",
    "/:year",
    "/:month",
    "-:day",
    "/:title",
    "/:slug",
    "/:categories",
    ":output_ext",
    "/A",
    "É",
    " ",
    "%20",
    "-",
    "1",
    ".html",
    "?q=1",
    "#f",
]
# Printable only: a category of control characters is the known bug
# test_urls.py::test_leading_space_or_control_character_stays_under_the_site.
categories_like_load_post = (
    st.text()
    .map(str.strip)
    .filter(lambda text: text and text.isprintable() and ":" not in text and "[" not in text)
)


@given(
    slug=st.text(min_size=1),
    categories=st.lists(categories_like_load_post, max_size=3),
    permalink=st.none() | st.lists(st.sampled_from(PERMALINK_TOKENS), max_size=12).map("".join),
    site=st.sampled_from(SITES),
)
def test_post_urls_are_absolute_ascii_under_the_site(slug: str, categories: list[str], permalink, site: Site):
    moment = datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)
    post = Post(
        path=Path("p.md"),
        title="t",
        date=moment,
        updated=moment,
        slug=slug,
        body="",
        categories=tuple(categories),
        permalink=permalink,
    )
    try:
        url = post_url(post, site)
    except FeedlibError:
        return
    assert url.isascii()
    assert not any(char.isspace() for char in url)
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https")
    assert url.startswith(site.url.rstrip("/"))


@given(text=st.text())
def test_strip_xml_illegal_output_is_accepted_by_lxml(text: str):
    element = etree.Element("t")
    element.text = strip_xml_illegal(text)
    assert etree.fromstring(etree.tostring(element)).text in (element.text, None)

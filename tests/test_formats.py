"""feedlib.formats and render_feed: the Atom 1.0, RSS 2.0 and JSON Feed documents, element by element."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from helpers import ATOM_NS, NS, atom_text, check_feed, check_json_feed
from lxml import etree

from feedlib import FORMATS, Author, ConfigError, Entry, Site, render_feed

SITE = Site(
    url="https://example.com/blog/",
    title="T & co",
    description="About <things>",
    authors=(Author("Site Author", "site@example.com", "https://example.com/about/"),),
    language="en",
)
PLUS2 = timezone(timedelta(hours=2))


def make_entry(number: int, **fields) -> Entry:
    url = f"https://example.com/blog/{number}.html"
    values = {
        "id": url,
        "url": url,
        "title": f"Post <{number}> & more",
        "published": datetime(2025, 1, number, tzinfo=UTC),
        "updated": datetime(2025, 1, number, tzinfo=UTC),
        "authors": (Author("Ada", "ada@example.com", "https://example.com/ada/"), Author("Grace")),
        "categories": ("python", "日本語"),
        "summary": f"Summary {number}",
        "content_html": (
            f'<p>Content {number} with <a href="https://example.com/x">a link</a> &amp; ]]&gt;</p>'
        ),
        "source": Path(f"posts/{number}.md"),
    }
    values.update(fields)
    return Entry(**values)


ENTRIES = [
    make_entry(3, updated=datetime(2025, 2, 1, 1, tzinfo=PLUS2)),
    make_entry(2, id="tag:example.com,2025:two"),
    make_entry(1),
]


def xml(fmt: str, site: Site = SITE, entries=ENTRIES):
    return etree.fromstring(render_feed(site, entries, fmt))


def test_formats_registry():
    assert {"atom", "rss"} <= set(FORMATS)
    assert (FORMATS["atom"].filename, FORMATS["atom"].media_type) == ("feed.xml", "application/atom+xml")
    assert (FORMATS["rss"].filename, FORMATS["rss"].media_type) == ("rss.xml", "application/rss+xml")


def test_unknown_format():
    with pytest.raises(ConfigError, match="unknown feed format"):
        render_feed(SITE, ENTRIES, "atom03")


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_documents_are_valid_utf8_xml(fmt: str):
    data = render_feed(SITE, ENTRIES, fmt)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    data.decode("utf-8")
    check_feed(data, fmt, entries=ENTRIES)


# -- Atom ----------------------------------------------------------------------------------------


def test_atom_feed_elements():
    root = xml("atom")
    assert root.tag == f"{{{ATOM_NS}}}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext("a:id", namespaces=NS) == "https://example.com/blog/feed.xml"
    assert atom_text(root, "a:title") == "T & co"
    assert atom_text(root, "a:subtitle") == "About <things>"
    # The newest time any entry was published or updated.
    assert root.findtext("a:updated", namespaces=NS) == "2025-02-01T01:00:00+02:00"
    links = {link.get("rel"): link for link in root.findall("a:link", namespaces=NS)}
    assert links["self"].get("href") == "https://example.com/blog/feed.xml"
    assert links["self"].get("type") == "application/atom+xml"
    assert links["alternate"].get("href") == "https://example.com/blog/"
    author = root.find("a:author", namespaces=NS)
    assert author.findtext("a:name", namespaces=NS) == "Site Author"
    assert author.findtext("a:email", namespaces=NS) == "site@example.com"
    assert author.findtext("a:uri", namespaces=NS) == "https://example.com/about/"
    generator = root.find("a:generator", namespaces=NS)
    assert generator.text == "feedlib"
    assert generator.get("version")


def test_atom_entries_in_the_order_given():
    entries = xml("atom").findall("a:entry", namespaces=NS)
    assert [entry.findtext("a:id", namespaces=NS) for entry in entries] == [
        "https://example.com/blog/3.html",
        "tag:example.com,2025:two",
        "https://example.com/blog/1.html",
    ]
    first = entries[0]
    assert atom_text(first, "a:title") == "Post <3> & more"
    assert first.find("a:link", namespaces=NS).get("href") == "https://example.com/blog/3.html"
    assert first.find("a:link", namespaces=NS).get("rel", "alternate") == "alternate"
    assert first.findtext("a:published", namespaces=NS) == "2025-01-03T00:00:00+00:00"
    assert first.findtext("a:updated", namespaces=NS) == "2025-02-01T01:00:00+02:00"
    assert [a.findtext("a:name", namespaces=NS) for a in first.findall("a:author", namespaces=NS)] == [
        "Ada",
        "Grace",
    ]
    assert first.find("a:author/a:email", namespaces=NS).text == "ada@example.com"
    assert first.find("a:author/a:uri", namespaces=NS).text == "https://example.com/ada/"
    assert [c.get("term") for c in first.findall("a:category", namespaces=NS)] == ["python", "日本語"]
    assert atom_text(first, "a:summary") == "Summary 3"
    content = first.find("a:content", namespaces=NS)
    assert content.get("type") == "html"
    assert content.text == ENTRIES[0].content_html


def test_atom_without_optional_fields():
    site = Site(url="https://example.com", title="Bare")
    root = xml("atom", site, [make_entry(1, summary="", content_html="", categories=())])
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") is None
    assert root.find("a:subtitle", namespaces=NS) is None
    assert root.find("a:author", namespaces=NS) is None
    entry = root.find("a:entry", namespaces=NS)
    assert entry.find("a:summary", namespaces=NS) is None
    assert entry.find("a:content", namespaces=NS) is None
    assert entry.find("a:category", namespaces=NS) is None


# -- RSS -----------------------------------------------------------------------------------------


def test_rss_channel_elements():
    root = xml("rss")
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "T & co"
    assert channel.findtext("link") == "https://example.com/blog/"
    assert channel.findtext("description") == "About <things>"
    assert channel.findtext("language") == "en"
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == datetime(2025, 2, 1, 1, tzinfo=PLUS2)
    self_link = channel.find("atom:link", namespaces=NS)
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == "https://example.com/blog/rss.xml"
    assert self_link.get("type") == "application/rss+xml"
    assert channel.findtext("generator").startswith("feedlib")


def test_rss_items():
    items = xml("rss").findall("channel/item")
    assert [item.findtext("link") for item in items] == [
        "https://example.com/blog/3.html",
        "https://example.com/blog/2.html",
        "https://example.com/blog/1.html",
    ]
    first, second = items[0], items[1]
    assert first.findtext("title") == "Post <3> & more"
    assert first.find("guid").get("isPermaLink") == "true"
    assert first.findtext("guid") == "https://example.com/blog/3.html"
    assert second.find("guid").get("isPermaLink") == "false"
    assert second.findtext("guid") == "tag:example.com,2025:two"
    assert parsedate_to_datetime(first.findtext("pubDate")) == datetime(2025, 1, 3, tzinfo=UTC)
    assert first.findtext("description") == "Summary 3"
    assert first.findtext("content:encoded", namespaces=NS) == ENTRIES[0].content_html
    # One dc:creator naming both: given two, rss-parser shows the first and newsboat the last.
    assert [c.text for c in first.findall("dc:creator", namespaces=NS)] == ["Ada, Grace"]
    assert [c.text for c in first.findall("category")] == ["python", "日本語"]
    assert first.find("author") is None  # RSS <author> must be an e-mail address: dc:creator instead


def test_rss_description_falls_back_to_the_title():
    channel = xml("rss", Site(url="https://example.com/", title="Only a title"), []).find("channel")
    assert channel.findtext("description") == "Only a title"
    assert channel.find("language") is None


# -- text that looks like markup ------------------------------------------------------------------

MARKUP_SITE = replace(SITE, title="Q&A <feeds>", description="Tom & Jerry <3", authors=(Author("Ann & Bob"),))
MARKUP_ENTRY = make_entry(
    1,
    title="A <b> tag, AT&T & &amp; or &#169;",
    summary="x < y & z",
    authors=(Author("Tom & Jerry"),),
    categories=("R&D <x>",),
)


def test_atom_text_that_looks_like_markup_is_plain_text():
    # Text constructs without a type are text (RFC 4287 3.1.1.1): every reader shows them as
    # written. type="html" made feedparser, rss-parser and feedsmith show "Q&amp;A".
    data = render_feed(MARKUP_SITE, [MARKUP_ENTRY], "atom")
    check_feed(data, "atom", entries=[MARKUP_ENTRY])
    assert b"<title>Q&#x26;A &#x3C;feeds&#x3E;</title>" in data
    assert b"<subtitle>Tom &#x26; Jerry &#x3C;3</subtitle>" in data
    assert b"<title>A &#x3C;b&#x3E; tag, AT&#x26;T &#x26; &#x26;amp; or &#x26;#169;</title>" in data
    assert b"<summary>x &#x3C; y &#x26; z</summary>" in data
    assert b"<name>Tom &#x26; Jerry</name>" in data
    assert b'type="html"' not in data.replace(b'<content type="html">', b"")
    parsed = feedparser.parse(data)
    assert (parsed.feed.title, parsed.feed.title_detail.type) == ("Q&A <feeds>", "text/plain")
    assert parsed.feed.subtitle == "Tom & Jerry <3"
    entry = parsed.entries[0]
    assert (entry.title, entry.title_detail.type) == (MARKUP_ENTRY.title, "text/plain")
    assert (entry.summary, entry.author) == ("x < y & z", "Tom & Jerry")


def test_rss_plain_text_that_looks_like_markup():
    # "&#x26;" and "&#x3C;" rather than "&amp;" and "&lt;": the W3C validator's "CharacterData"
    # recommendation for RSS, and @extractus/feed-extractor, which unescapes text once more.
    data = render_feed(MARKUP_SITE, [MARKUP_ENTRY], "rss")
    check_feed(data, "rss", entries=[MARKUP_ENTRY])
    assert b"<title>Q&#x26;A &#x3C;feeds&#x3E;</title>" in data
    assert b"<title>A &#x3C;b&#x3E; tag, AT&#x26;T &#x26; &#x26;amp; or &#x26;#169;</title>" in data
    assert b"<dc:creator>Tom &#x26; Jerry</dc:creator>" in data
    assert b"<category>R&#x26;D &#x3C;x&#x3E;</category>" in data
    # The channel's description is plain text too (the W3C validator warns on HTML in it).
    assert b"<description>Tom &#x26; Jerry &#x3C;3</description>" in data
    channel = etree.fromstring(data).find("channel")
    assert (channel.findtext("title"), channel.findtext("description")) == ("Q&A <feeds>", "Tom & Jerry <3")
    assert feedparser.parse(data).feed.subtitle == "Tom & Jerry <3"
    # An item's description is HTML: the text escaped once more, as before.
    assert b"<description>x &amp;lt; y &amp;amp; z</description>" in data
    assert html.unescape(channel.findtext("item/description")) == "x < y & z"


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_plain_text_without_markup_is_left_as_written(fmt: str):
    site = Site(url="https://example.com/", title="Plain", description="Plain, too")
    data = render_feed(site, [make_entry(1, title="Plain", summary="Plain too", categories=("x",))], fmt)
    assert b"&#x" not in data
    assert b">Plain<" in data


# -- links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("hub", [None, "https://hub.example.com/"])
def test_the_site_link_comes_first_in_atom_and_is_the_rss_channel_link(hub: str | None):
    # @extractus/feed-extractor takes the first Atom <link> for the site's; feedgen makes the
    # last link given the RSS channel's <link>.
    site = replace(SITE, hub=hub)
    links = xml("atom", site).findall("a:link", namespaces=NS)
    expected = [("alternate", "https://example.com/blog/"), ("self", "https://example.com/blog/feed.xml")]
    if hub:
        expected.append(("hub", hub))
    assert [(link.get("rel"), link.get("href")) for link in links] == expected
    assert xml("rss", site).findtext("channel/link") == "https://example.com/blog/"


# -- JSON Feed -----------------------------------------------------------------------------------


def test_json_feed_writes_the_1_0_author_beside_authors():
    # JSON Feed 1.0 readers know one "author" object; 1.1 deprecates it and keeps it for them.
    single = make_entry(2, authors=(Author("Ada", "ada@example.com"),))
    data = render_feed(SITE, [ENTRIES[0], single, make_entry(1, authors=(Author("Grace"),))], "json")
    check_json_feed(data)
    feed = json.loads(data)
    assert feed["authors"] == [{"name": "Site Author", "url": "https://example.com/about/"}]
    assert feed["author"] == {"name": "Site Author", "url": "https://example.com/about/"}
    both, ada, grace = feed["items"]
    assert both["authors"] == [{"name": "Ada", "url": "https://example.com/ada/"}, {"name": "Grace"}]
    assert both["author"] == {"name": "Ada, Grace"}  # A URL would belong to one of them.
    assert ada["author"] == {"name": "Ada", "url": "mailto:ada@example.com"}
    assert grace["author"] == {"name": "Grace"}
    assert "author" not in json.loads(render_feed(Site(url="https://example.com/", title="T"), [], "json"))


# -- empty feeds and the clock -------------------------------------------------------------------


def empty_feed_date(data: bytes, fmt: str) -> datetime:
    root = etree.fromstring(data)
    if fmt == "atom":
        return datetime.fromisoformat(root.findtext("a:updated", namespaces=NS))
    return parsedate_to_datetime(root.findtext("channel/lastBuildDate"))


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_empty_feed_has_a_fixed_date(fmt: str, freeze_clock):
    # The brief says 1970-01-01T00:00:00+00:00; commit a4c0f2a moved it to 2000-01-01 on purpose
    # (validators call 1970 implausible). What matters: a fixed instant, never the clock.
    freeze_clock(datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC))
    data = render_feed(SITE, [], fmt)
    check_feed(data, fmt, count=0)
    moment = empty_feed_date(data, fmt)
    assert moment in (datetime(1970, 1, 1, tzinfo=UTC), datetime(2000, 1, 1, tzinfo=UTC))
    freeze_clock(datetime(2044, 1, 2, tzinfo=UTC))
    assert render_feed(SITE, [], fmt) == data


@pytest.mark.parametrize("fmt", ["atom", "rss"])
@pytest.mark.parametrize("entries", [ENTRIES, []], ids=["entries", "empty"])
def test_output_never_depends_on_the_clock(fmt: str, entries, freeze_clock):
    freeze_clock(datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC))
    first = render_feed(SITE, entries, fmt)
    freeze_clock(datetime(2042, 6, 1, 12, tzinfo=timezone(timedelta(hours=-7))))
    second = render_feed(SITE, entries, fmt)
    assert first == second
    assert b"1999" not in first and b"2042" not in second


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_rendering_is_repeatable(fmt: str):
    assert render_feed(SITE, ENTRIES, fmt) == render_feed(SITE, list(ENTRIES), fmt)


@pytest.mark.parametrize(
    ("fmt", "field"),
    [
        ("atom", "title"),
        ("atom", "description"),
        ("atom", "authors"),
        ("rss", "title"),
        ("rss", "description"),
    ],
)
def test_site_text_with_xml_forbidden_characters(fmt: str, field: str):
    value = (Author("Site\x01Author"),) if field == "authors" else "Bad\x01Text"
    data = render_feed(replace(SITE, **{field: value}), ENTRIES, fmt)
    check_feed(data, fmt, entries=ENTRIES)


def test_the_clock_fixture_reaches_feedgen(freeze_clock):
    from feedgen.feed import FeedGenerator

    freeze_clock(datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC))
    assert FeedGenerator().updated().year == 1999
    assert FeedGenerator().add_entry().updated().year == 1999


def test_rss_item_without_summary_keeps_content_encoded():
    photo = make_entry(
        1, summary="", content_html='<p><img alt="" src="https://example.com/blog/2025/01/01/photo.jpg"></p>'
    )
    check_feed(render_feed(SITE, [photo], "rss"), "rss", entries=[photo])

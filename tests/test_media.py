"""Images and enclosures: front matter → Media RSS, enclosures and JSON Feed attachments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ATOM_NS, check_feed, check_json_feed, write_post
from lxml import etree

from feedlib import Enclosure, Image, PostError, Site, load_post, render_feed, to_entry

MEDIA = "http://search.yahoo.com/mrss/"
NS = {"a": ATOM_NS, "media": MEDIA, "atom": ATOM_NS}
SITE = Site(url="https://example.com/blog/", title="Media", language="en", permalink="/:year/:title/")

PODCAST = """\
title: Episode 1
date: 2025-03-01 10:00:00 +0000
image:
  path: cover.png
  alt: "The cover: a cat & a microphone"
enclosure:
  url: /media/ep1.mp3
  length: 12345678
  type: audio/mpeg
"""


def entries(folder: Path, posts: dict[str, str]):
    return [to_entry(load_post(write_post(folder, name, fm), SITE), SITE) for name, fm in posts.items()]


@pytest.fixture
def podcast(posts_dir: Path):
    return entries(
        posts_dir,
        {
            "2025-03-01-ep1.md": PODCAST,
            "2025-02-01-plain.md": "title: Plain\nimage: https://cdn.example.com/a%20b.jpg",
            "2025-01-01-none.md": "title: Nothing",
        },
    )


def test_post_reads_image_and_enclosure(posts_dir: Path):
    post = load_post(write_post(posts_dir, "2025-03-01-ep1.md", PODCAST), SITE)
    assert post.image == Image("cover.png", "The cover: a cat & a microphone")
    assert post.enclosure == Enclosure("/media/ep1.mp3", 12345678, "audio/mpeg")
    plain = load_post(write_post(posts_dir, "2025-01-01-x.md", "image: img/x.png"), SITE)
    assert plain.image == Image("img/x.png") and plain.enclosure is None


def test_urls_made_absolute_against_the_post(podcast):
    episode = podcast[0]
    assert episode.url == "https://example.com/blog/2025/ep1/"
    assert episode.image == Image(
        "https://example.com/blog/2025/ep1/cover.png", "The cover: a cat & a microphone"
    )
    assert episode.enclosure == Enclosure("https://example.com/media/ep1.mp3", 12345678, "audio/mpeg")
    assert podcast[1].image == Image("https://cdn.example.com/a%20b.jpg")


@pytest.mark.parametrize(
    ("front_matter", "line", "message"),
    [
        ("title: x\nenclosure:\n  url: a.mp3\n  length: -1\n  type: audio/mpeg", 5, "enclosure.length"),
        ("title: x\nenclosure:\n  url: a.mp3\n  length: 12 MB\n  type: audio/mpeg", 5, "enclosure.length"),
        ("title: x\nenclosure:\n  url: a.mp3\n  length: true\n  type: audio/mpeg", 5, "enclosure.length"),
        ("title: x\nenclosure:\n  url: a.mp3\n  length: 1\n  type: mp3", 6, "enclosure.type"),
        ("title: x\nenclosure:\n  url: a.mp3\n  length: 1", 3, "enclosure.type"),
        ("title: x\nenclosure: {length: 1, type: audio/mpeg}", 3, "enclosure.url"),
        ("title: x\nenclosure: a.mp3", 3, "enclosure: expected a mapping"),
        ("title: x\nenclosure: {url: a, length: 1, type: a/b, size: 2}", 3, "unknown key 'size'"),
        ("title: x\nimage: javascript:alert(1)", 3, "image: 'javascript:alert(1)'"),
        ("title: x\nimage: [a.png]", 3, "image: expected a URL"),
        ("title: x\nimage: {path: a b.png}", 3, "percent-encode"),
        ("title: x\nimage: {src: a.png}", 3, "unknown key 'src'"),
    ],
)
def test_invalid_media_names_the_key_and_line(posts_dir: Path, front_matter: str, line: int, message: str):
    path = write_post(posts_dir, "2025-01-01-bad.md", front_matter)
    with pytest.raises(PostError) as caught:
        load_post(path, SITE)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_atom_media_and_enclosure_link(podcast):
    data = render_feed(SITE, podcast, "atom")
    check_feed(data, "atom", entries=podcast)
    root = etree.fromstring(data)
    first, second, third = root.findall("a:entry", namespaces=NS)
    links = first.findall("a:link", namespaces=NS)
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        (None, "https://example.com/blog/2025/ep1/"),
        ("enclosure", "https://example.com/media/ep1.mp3"),
    ]
    assert (links[1].get("type"), links[1].get("length")) == ("audio/mpeg", "12345678")
    content = first.find("media:content", namespaces=NS)
    assert content.get("url") == "https://example.com/blog/2025/ep1/cover.png"
    assert content.get("medium") == "image"
    description = content.find("media:description", namespaces=NS)
    # Text that looks like markup is escaped HTML, as Atom titles are.
    assert (description.get("type"), description.text) == ("html", "The cover: a cat &amp; a microphone")
    assert first.find("media:thumbnail", namespaces=NS).get("url") == content.get("url")
    assert second.find("media:description", namespaces=NS) is None
    assert third.find("media:content", namespaces=NS) is None
    parsed = check_feed(data, "atom")
    assert parsed.entries[0].enclosures[0].href == "https://example.com/media/ep1.mp3"
    assert parsed.entries[0].media_thumbnail[0]["url"] == content.get("url")


def test_rss_media_and_enclosure(podcast):
    data = render_feed(SITE, podcast, "rss")
    root = etree.fromstring(data)
    item = root.find("channel/item")
    enclosure = item.find("enclosure")
    assert dict(enclosure.attrib) == {
        "url": "https://example.com/media/ep1.mp3",
        "length": "12345678",
        "type": "audio/mpeg",
    }
    assert item.find("media:content", namespaces=NS).get("url").endswith("/ep1/cover.png")
    assert item.find("media:thumbnail", namespaces=NS) is not None
    parsed = check_feed(data, "rss", entries=podcast)
    assert parsed.entries[0].enclosures[0]["length"] == "12345678"
    assert parsed.entries[0].media_content[0]["url"].endswith("/ep1/cover.png")


def test_json_feed_image_and_attachment(podcast):
    data = render_feed(SITE, podcast, "json")
    check_json_feed(data)
    items = json.loads(data)["items"]
    assert items[0]["image"] == "https://example.com/blog/2025/ep1/cover.png"
    assert items[0]["attachments"] == [
        {"url": "https://example.com/media/ep1.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 12345678}
    ]
    assert "attachments" not in items[1] and "image" not in items[2]


def test_feeds_without_media_declare_no_media_namespace(podcast):
    data = render_feed(SITE, podcast[2:], "rss")
    assert b"search.yahoo.com/mrss" not in data


def test_media_survives_the_cache(tmp_path: Path):
    from feedlib import PostCache, discover_posts, read_posts, render_entries

    folder = tmp_path / "posts"
    write_post(folder, "2025-03-01-ep1.md", PODCAST + "excerpt_only: true\n")
    cache = PostCache.open(tmp_path / "cache", SITE)
    first = render_entries(read_posts(discover_posts(folder), SITE, cache=cache), SITE, cache=cache)
    cache.save()
    again = PostCache.open(tmp_path / "cache", SITE)
    records = read_posts(discover_posts(folder), SITE, cache=again)
    assert records[0].post is None  # From the index, not parsed.
    assert again.entry(records[0]) is not None
    assert render_entries(records, SITE, cache=again) == first
    assert first[0].image is not None and first[0].enclosure is not None and not first[0].content_html

"""Query parameters on entry links (``[build] url_parameters``, mkdocs-rss-plugin's, for UTM tags)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from helpers import DEFAULT_CONFIG, NS, check_output_tree, make_project
from lxml import etree

import feedlib
from feedlib.urls import with_parameters

POSTS = {
    "2025-01-01-one.md": "---\ntitle: One\n---\nOne.\n",
    "2025-01-02-two.md": "---\ntitle: Two\nid: tag:example.com,2025:two\n---\nTwo.\n",
}
PARAMETERS = 'url_parameters = { utm_source = "feed", utm_medium = "rss & atom", "é" = "日本" }'


def built(tmp_path: Path, extra: str) -> Path:
    config = DEFAULT_CONFIG.replace('formats = ["atom", "rss"]', 'formats = ["atom", "rss", "json"]')
    root = make_project(tmp_path / "site", POSTS, config.replace("[build]", f"[build]\n{extra}"))
    feedlib.build(
        feedlib.load_config(root / "feedlib.toml"), now=datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    )
    return root / "public"


def test_links_carry_the_parameters_and_ids_do_not(tmp_path: Path):
    out = built(tmp_path, PARAMETERS)
    check_output_tree(out)
    query = "?utm_source=feed&utm_medium=rss%20%26%20atom&%C3%A9=%E6%97%A5%E6%9C%AC"
    one = "https://example.com/blog/2025/01/01/one.html"
    atom = etree.fromstring((out / "feed.xml").read_bytes())
    entries = {e.findtext("a:title", namespaces=NS): e for e in atom.iterfind("a:entry", namespaces=NS)}
    assert entries["One"].findtext("a:id", namespaces=NS) == one
    assert entries["One"].find("a:link", namespaces=NS).get("href") == one + query
    rss = etree.fromstring((out / "rss.xml").read_bytes())
    items = {item.findtext("title"): item for item in rss.iter("item")}
    assert items["One"].findtext("link") == one + query
    assert items["One"].findtext("guid") == one and items["One"].find("guid").get("isPermaLink") == "true"
    assert items["Two"].findtext("guid") == "tag:example.com,2025:two"
    assert items["Two"].find("guid").get("isPermaLink") == "false"
    feed = json.loads((out / "feed.json").read_bytes())
    item = next(item for item in feed["items"] if item["title"] == "One")
    assert (item["id"], item["url"]) == (one, one + query)
    # The feed's own links are not entry links.
    assert feed["feed_url"] == "https://example.com/blog/feed.json"


def test_without_parameters_nothing_changes(tmp_path: Path):
    plain = built(tmp_path / "a", "")
    empty = built(tmp_path / "b", "url_parameters = {}")
    for name in ("feed.xml", "rss.xml", "feed.json"):
        assert (plain / name).read_bytes() == (empty / name).read_bytes()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('url_parameters = "utm_source=feed"', "build.url_parameters must be a table"),
        ("url_parameters = { utm_source = 3 }", "build.url_parameters must map names to text values"),
        ('url_parameters = { "a b" = "x" }', "is not a parameter name"),
    ],
)
def test_bad_parameters_are_errors(tmp_path: Path, value: str, message: str):
    config = DEFAULT_CONFIG.replace("[build]", f"[build]\n{value}")
    root = make_project(tmp_path / "site", POSTS, config)
    with pytest.raises(feedlib.ConfigError) as caught:
        feedlib.load_config(root / "feedlib.toml")
    assert message in str(caught.value) and "feedlib.toml" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://e.com/a", "https://e.com/a?k=v"),
        ("https://e.com/a?x=1", "https://e.com/a?x=1&k=v"),
        ("https://e.com/a?", "https://e.com/a?k=v"),
        ("https://e.com/a#f", "https://e.com/a?k=v#f"),
    ],
)
def test_with_parameters(url: str, expected: str):
    assert with_parameters(url, [("k", "v")]) == expected

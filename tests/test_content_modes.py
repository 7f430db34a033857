"""Full content or summary only ([build] content, front-matter excerpt_only), and sanitize = true."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import DEFAULT_CONFIG, NS, check_feed, check_json_feed, make_project, write_post
from lxml import etree

from feedlib import ConfigError, Site, load_config, load_post, render_feed, to_entry
from feedlib.cache.stamps import settings_fingerprint
from feedlib.render import sanitize_html

SITE = Site(url="https://example.com/blog/", title="Modes", language="en")


def entries_for(folder: Path, site: Site):
    posts = [
        write_post(folder, "2025-01-02-full.md", {"title": "Full"}, "First paragraph.\n\nSecond one.\n"),
        write_post(
            folder, "2025-01-01-short.md", {"title": "Short", "excerpt_only": True}, "Only this.\n\nMore.\n"
        ),
    ]
    return [to_entry(load_post(path, site), site) for path in posts]


def test_excerpt_only_leaves_out_the_content(posts_dir: Path):
    full, short = entries_for(posts_dir, SITE)
    assert full.content_html.startswith("<p>First paragraph.</p>")
    assert short.content_html == "" and short.summary == "Only this."
    atom = etree.fromstring(render_feed(SITE, [full, short], "atom"))
    first, second = atom.findall("a:entry", namespaces=NS)
    assert first.find("a:content", namespaces=NS) is not None
    assert second.find("a:content", namespaces=NS) is None
    assert second.findtext("a:summary", namespaces=NS) == "Only this."
    rss = render_feed(SITE, [full, short], "rss")
    items = etree.fromstring(rss).findall("channel/item")
    assert items[1].find("content:encoded", namespaces=NS) is None
    assert items[1].findtext("description") == "Only this."
    check_feed(rss, "rss", entries=[full, short])
    data = render_feed(SITE, [full, short], "json")
    check_json_feed(data)
    item = json.loads(data)["items"][1]
    assert "content_html" not in item and item["content_text"] == item["summary"] == "Only this."


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_summary_mode_for_the_whole_site(posts_dir: Path, fmt: str):
    site = replace(SITE, content="summary")
    entries = entries_for(posts_dir, site)
    assert [entry.content_html for entry in entries] == ["", ""]
    data = render_feed(site, entries, fmt)
    assert b"Second one" not in data
    parsed = check_feed(data, fmt, entries=entries)
    assert [entry.summary for entry in parsed.entries] == ["First paragraph.", "Only this."]


def test_config_keys(tmp_path: Path):
    config = DEFAULT_CONFIG.replace("[build]\n", '[build]\ncontent = "summary"\nsanitize = true\n')
    site = load_config(make_project(tmp_path / "a", config=config) / "feedlib.toml").site
    assert (site.content, site.sanitize) == ("summary", True)
    for bad, message in (
        ('content = "excerpt"', 'build.content must be "full" or "summary"'),
        ('sanitize = "yes"', "build.sanitize must be true or false"),
    ):
        root = make_project(
            tmp_path / bad[:4], config=DEFAULT_CONFIG.replace("[build]\n", f"[build]\n{bad}\n")
        )
        with pytest.raises(ConfigError, match=message):
            load_config(root / "feedlib.toml")


def test_both_settings_change_the_cache_fingerprint():
    fingerprints = {
        settings_fingerprint(SITE),
        settings_fingerprint(replace(SITE, content="summary")),
        settings_fingerprint(replace(SITE, sanitize=True)),
    }
    assert len(fingerprints) == 3
    assert settings_fingerprint(replace(SITE, hub="https://hub.example.com/")) == settings_fingerprint(SITE)


UNTRUSTED = """\
<p onclick="steal()">Hello <strong>world</strong> <em>!</em></p>
<script>alert(1)</script>
<style>body{display:none}</style>
<iframe src="https://evil.example/"></iframe>
<p><a href="javascript:alert(1)">bad</a> <a href="https://example.com/" onmouseover="x()">good</a>
<img src="img/a.png" alt="A" onerror="x()"> <IMG SRC="jav&#x09;ascript:alert(1)"></p>
<form action="/x"><input name="q"></form>
<svg onload="alert(1)"><circle/></svg>

```python
if a < b and c > d:
    print("<script>")
```

| a | b |
|---|---|
| 1 | 2 |
"""


def test_sanitize_keeps_formatting_and_drops_scripts(posts_dir: Path):
    site = replace(SITE, sanitize=True)
    path = write_post(posts_dir, "2025-01-01-untrusted.md", {"title": "U"}, UNTRUSTED)
    html = to_entry(load_post(path, site), site).content_html
    lowered = html.lower()
    for banned in (
        "<script",
        "onclick",
        "onerror",
        "onmouseover",
        "onload",
        "javascript:",
        "<iframe",
        "<style",
        "<form",
        "<input",
        "<svg",
    ):
        assert banned not in lowered, banned
    assert "<strong>world</strong>" in html and "<em>!</em>" in html
    assert '<a href="https://example.com/"' in html
    assert '<img src="https://example.com/blog/2025/01/01/img/a.png" alt="A">' in html
    assert 'class="language-python"' in html and "if a &lt; b and c &gt; d:" in html
    assert "print(&quot;&lt;script&gt;&quot;)" in html or 'print("&lt;script&gt;")' in html
    assert "<table>" in html and "<td>1</td>" in html
    unsanitized = to_entry(load_post(path, SITE), SITE).content_html
    assert "<script>" in unsanitized  # off by default: authors are trusted unless told otherwise
    for fmt in ("atom", "rss"):
        check_feed(render_feed(site, [to_entry(load_post(path, site), site)], fmt), fmt, count=1)


def test_sanitize_html_is_idempotent():
    once = sanitize_html(UNTRUSTED)
    assert sanitize_html(once) == once

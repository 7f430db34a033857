"""Every field of a Post survives a warm build: what the cache gives back makes the same feeds.

The cache keeps records whose shapes come from the model's fields; this walks
``dataclasses.fields(Post)`` and gives each field a post that sets it, so a
field added to Post without a post here fails, and one the cache loses makes
the warm build's feeds differ from the cold build's.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

import feedlib
from feedlib.frontmatter import YAMLHandler

#: For each field of Post: a post (file name, then its text) that sets it away from its default.
POSTS_BY_FIELD: dict[str, tuple[str, str]] = {
    "path": ("notes/2025-01-01-in-a-folder.md", "---\ntitle: In a folder\n---\nBody.\n"),
    "title": ("2025-01-02-title.md", "---\ntitle: A title of its own\n---\nBody.\n"),
    "date": ("2025-01-03-date.md", "---\ndate: 2025-01-03 10:20:30 +0900\n---\nBody.\n"),
    "updated": ("2025-01-04-updated.md", "---\nlast_modified_at: 2025-02-01 08:00:00 +0000\n---\nBody.\n"),
    "slug": ("2025-01-05-slug.md", "---\nslug: another-slug\n---\nBody.\n"),
    "body": ("2025-01-06-body.md", "---\n---\nA [link](x.html), *emphasis* and `code`.\n"),
    "categories": ("2025-01-07-categories.md", "---\ncategories: [Guides, 日本語]\n---\nBody.\n"),
    "tags": ("2025-01-08-tags.md", "---\ntags: [python, feeds]\n---\nBody.\n"),
    "authors": (
        "2025-01-09-authors.md",
        "---\nauthor: [Ann, {name: Bob, email: bob@example.com}]\n---\nBody.\n",
    ),
    "excerpt": ("2025-01-10-excerpt.md", "---\nexcerpt: An excerpt of *its own*\n---\nBody.\n"),
    "permalink": ("2025-01-11-permalink.md", "---\npermalink: /elsewhere/page.html\n---\nBody.\n"),
    "id": ("2025-01-12-id.md", "---\nid: tag:example.com,2025:twelve\n---\nBody.\n"),
    "draft": ("2025-01-13-draft.md", "---\ndraft: true\n---\nA draft, never shown.\n"),
    "image": ("2025-01-14-image.md", "---\nimage: {path: cover.png, alt: The cover}\n---\nBody.\n"),
    "enclosure": (
        "2025-01-15-enclosure.md",
        "---\nenclosure: {url: /a.mp3, length: 1234, type: audio/mpeg}\n---\nBody.\n",
    ),
    "excerpt_only": ("2025-01-16-excerpt-only.md", "---\nexcerpt_only: true\n---\nOnly the summary.\n"),
    "liquid": (
        "2025-01-17-no-liquid.md",
        "---\nrender_with_liquid: false\n---\nKept as written: {{ page.title }}\n",
    ),
    "front_matter": (
        "2025-01-18-front-matter.md",
        "---\nmood: cheerful\n---\nThe mood is {{ page.mood }}.\n",
    ),
    "lang": ("2025-01-20-lang.md", "---\nlang: ja_JP\n---\n日本語の本文。\n"),
    "body_line": ("2025-01-19-body-line.md", "---\ntitle: Lines\n\n\n\n---\nThe body starts further down.\n"),
    "excerpt_separator": (
        "2025-01-21-excerpt-separator.md",
        "---\nexcerpt_separator: <!-- cut -->\n---\nThe summary.\n<!-- cut -->\nThe rest.\n",
    ),
}

CONFIG = """\
[site]
url = "https://example.com/blog/"
title = "Fields"
author = "Site Author"
timezone = "Asia/Tokyo"

[build]
posts = "posts"
out = "public"
formats = ["atom", "rss", "json"]
limit = 0
liquid = true

[feeds]
categories = true
tags = true
authors = true
languages = true
"""


def test_every_field_of_post_has_a_post_here() -> None:
    assert set(POSTS_BY_FIELD) == {field.name for field in dataclasses.fields(feedlib.Post)}


def _files(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def test_every_field_survives_a_warm_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "feedlib.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in POSTS_BY_FIELD.values():
        path = tmp_path / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = feedlib.load_config(tmp_path / "feedlib.toml")
    feedlib.build(config)
    cold = _files(tmp_path / "public")
    assert "feed.xml" in cold and b"A draft, never shown" not in cold["feed.xml"]
    shutil.rmtree(tmp_path / "public")
    parsed: list[str] = []
    original = YAMLHandler.load

    def counting(handler: YAMLHandler, path: Path, text: str, first_line: int) -> Any:
        parsed.append(text)
        return original(handler, path, text, first_line)

    monkeypatch.setattr(YAMLHandler, "load", counting)
    feedlib.build(config)
    assert parsed == [], "the warm build read posts again instead of taking them from the cache"
    assert _files(tmp_path / "public") == cold

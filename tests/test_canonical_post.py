"""The user's own post, posts/000_966dccc71f240b11.txt, end to end with the repository's settings."""

from __future__ import annotations

import shutil
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import CANONICAL, CANONICAL_TITLE, REPO_CONFIG, check_feed, run_main

from feedlib import Author, Post, load_config, load_post, render_feed, to_entry

TITLE = CANONICAL_TITLE
EXCERPT = "xAI、Nvidia出資で200億ドル調達へについて詳細に分析します。"
TAGS = ("AI", "最新ニュース", "技術動向", "NVIDIA", "OpenAI", "投資", "チップ")
URL = "https://example.com/blog/%E6%8A%95%E8%B3%87%E5%88%86%E6%9E%90/2025/10/08/000_966dccc71f240b11.html"
SITE = load_config(REPO_CONFIG).site


@pytest.fixture(scope="module")
def post() -> Post:
    return load_post(CANONICAL, SITE)


def test_front_matter(post: Post):
    assert post.title == TITLE
    assert post.date == datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)
    assert post.date.isoformat() == "2025-10-08T08:40:48+00:00"
    assert post.updated == post.date
    assert post.categories == ("投資分析",)
    assert post.tags == TAGS
    assert post.authors == (Author("ALLFORCES編集部"),)
    assert post.excerpt == EXCERPT
    assert post.slug == "000_966dccc71f240b11"
    assert post.draft is False
    assert post.front_matter["layout"] == "post"
    assert post.front_matter["reading_time"] == 8


def test_body(post: Post):
    assert post.body.startswith(
        f"{TITLE}\n\nまたか、という感じですよね？"  # noqa: RUF001
    )
    assert "### AIモデルの多様化と「真実」への挑戦" in post.body
    assert post.body.count("---END---") == 2  # lines of dashes in the body are not front matter
    assert post.body.rstrip().endswith("不可欠な要素\n\n---END---")


@pytest.mark.parametrize(
    "date_line",
    [
        'date: "2025-10-08 08:40:48 +0000"',
        "date: '2025-10-08 08:40:48 +0000'",
        "date: 2025-10-08T08:40:48Z",
        "date: 2025-10-08T17:40:48+09:00",
    ],
)
def test_same_post_with_the_date_written_differently(tmp_path: Path, post: Post, date_line: str):
    text = CANONICAL.read_text(encoding="utf-8")
    assert "\ndate: 2025-10-08 08:40:48 +0000\n" in text
    copy = tmp_path / CANONICAL.name
    copy.write_text(text.replace("date: 2025-10-08 08:40:48 +0000", date_line, 1), encoding="utf-8")
    other = load_post(copy, SITE)
    assert replace(other, path=post.path) == post
    assert other.date == post.date
    for field in fields(Post):
        if field.name not in ("path", "front_matter"):
            assert getattr(other, field.name) == getattr(post, field.name), field.name


def test_copy_with_windows_line_endings_and_bom(tmp_path: Path, post: Post):
    copy = tmp_path / CANONICAL.name
    copy.write_bytes(b"\xef\xbb\xbf" + CANONICAL.read_bytes().replace(b"\n", b"\r\n"))
    assert replace(load_post(copy, SITE), path=post.path) == post


def test_entry(post: Post):
    entry = to_entry(post, SITE)
    assert entry.url == URL
    assert entry.id == URL
    assert entry.url.isascii()
    assert unquote(entry.url).endswith("/投資分析/2025/10/08/000_966dccc71f240b11.html")
    assert entry.title == TITLE
    assert entry.summary == EXCERPT
    assert entry.categories == ("投資分析", *TAGS)
    assert entry.authors == (Author("ALLFORCES編集部"),)
    assert "<h3>AIモデルの多様化と「真実」への挑戦</h3>" in entry.content_html
    assert "<strong>AI倫理・安全性ソリューション</strong>" in entry.content_html


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_round_trip_through_feedparser(post: Post, fmt: str):
    entry = to_entry(post, SITE)
    parsed = check_feed(render_feed(SITE, [entry], fmt), fmt, entries=[entry])
    assert parsed.feed.title == "ALLFORCES テックブログ"
    (item,) = parsed.entries
    assert item.title == TITLE
    assert item.link == URL
    assert item.id == URL
    assert item.summary == EXCERPT
    assert [tag.term for tag in item.tags] == ["投資分析", *TAGS]
    assert item.author == "ALLFORCES編集部"
    assert item.published_parsed[:6] == (2025, 10, 8, 8, 40, 48)
    content = item.content[0].value
    assert "イーロン・マスク氏率いるxAI" in content
    assert "AIモデルの多様化と「真実」への挑戦" in content
    assert "不可欠な要素" in content


def test_build_in_a_fresh_site(tmp_path: Path, capsys):
    (tmp_path / "posts").mkdir()
    shutil.copyfile(CANONICAL, tmp_path / "posts" / CANONICAL.name)
    shutil.copyfile(REPO_CONFIG, tmp_path / "feedlib.toml")
    assert run_main("build", "--config", tmp_path / "feedlib.toml", "--now", "2026-01-01T00:00:00Z") == 0
    assert "(atom, 1 entry)" in capsys.readouterr().out
    for fmt, name in (("atom", "feed.xml"), ("rss", "rss.xml")):
        parsed = check_feed((tmp_path / "public" / name).read_bytes(), fmt, count=1)
        assert parsed.entries[0].title == TITLE

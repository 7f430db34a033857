"""A Jekyll site read as Jekyll reads it, without Jekyll: defaults, excerpts, site.data, ids, Liquid settings.

tests/test_jekyll_reference.py compares whole feeds with jekyll-feed's; these
pin the pieces, and what feedlib says when a site's files cannot be read.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from helpers import DATA, NOW, check_feed, run_main

import feedlib
from feedlib import ConfigError
from feedlib.jekyll.config import load_jekyll_config
from feedlib.jekyll.data import load_data
from feedlib.jekyll.defaults import defaults_for, merged_front_matter
from feedlib.jekyll.excerpt import excerpt_source
from feedlib.model import FrontMatterDefault, JekyllSite
from feedlib.urls import document_id

REFERENCE = DATA / "jekyll-reference"


def _site(root: Path, config: str, posts: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in posts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_jekyll_sites_settings_pickle() -> None:
    # Worker processes read the posts of a large site: its Site must pickle.
    for name in ("defaults", "feed-options", "data"):
        site = load_jekyll_config(REFERENCE / name).site
        assert pickle.loads(pickle.dumps(site)) == site


def test_defaults_longer_scopes_and_types_win() -> None:
    jekyll = JekyllSite(
        defaults=(
            FrontMatterDefault("", None, {"author": "Everyone", "image": {"path": "/a.png", "alt": "A"}}),
            FrontMatterDefault("", "posts", {"author": "Posts"}),
            FrontMatterDefault("ja", "posts", {"author": "Japanese", "image": {"path": "/ja.png"}}),
            FrontMatterDefault("_posts/2024-0*", None, {"tags": ["globbed"]}),
            FrontMatterDefault("_posts/**/deep.md", None, {"deep": True}),
        )
    )
    assert defaults_for(jekyll, "_posts/2024-01-01-a.md", "posts") == {
        "author": "Posts",
        "image": {"path": "/a.png", "alt": "A"},
        "tags": ["globbed"],
    }
    assert defaults_for(jekyll, "ja/_posts/2025-01-01-b.md", "posts")["image"] == {
        "path": "/ja.png",
        "alt": "A",
    }
    assert defaults_for(jekyll, "_posts/2025-01-01-c.md", "recipes") == {
        "author": "Everyone",
        "image": {"path": "/a.png", "alt": "A"},
    }
    assert defaults_for(jekyll, "_posts/x/y/deep.md", "posts")["deep"] is True


def test_front_matter_over_defaults_and_terms_as_jekyll_gathers_them() -> None:
    jekyll = JekyllSite(defaults=(FrontMatterDefault("", None, {"categories": "a b", "author": "D"}),))
    own = {"categories": ["c"], "category": "Single Name", "author": None, "tags": "x y"}
    merged = merged_front_matter(own, jekyll, "news/_posts/2024-01-01-p.md", "posts", ("news",))
    assert merged["categories"] == ["news", "a", "b", "c", "Single Name"]
    assert merged["tags"] == ["x", "y"]
    assert merged["author"] == "D"  # A null in the file keeps the default.


def test_excerpt_source() -> None:
    body = (
        "First [link][1] and a note[^n].\n\nSecond.\n\n"
        "[1]: https://example.com/\n[^n]: The note.\n[2]: unused\n"
    )
    assert excerpt_source(body, "\n\n") == (
        "First [link][1] and a note[^n].\n\n[1]: https://example.com/\n[^n]: The note."
    )
    assert excerpt_source("{% if true %}\nA\n\nB\n{% endif %}", "\n\n") == "{% if true %}\nA\n{% endif %}"
    assert excerpt_source("One block only", "\n\n") == "One block only"
    assert excerpt_source("No excerpt", "") is None


@pytest.mark.parametrize(
    ("pattern", "permalink", "expected"),
    [
        ("pretty", None, "/2024/03/05/hello"),
        ("date", None, "/2024/03/05/hello"),
        ("date", "/custom/path/", "/custom/hello"),
        ("/:year/:title.html", None, "/2024/hello"),
    ],
)
def test_document_ids(tmp_path: Path, pattern: str, permalink: str | None, expected: str) -> None:
    # jekyll-feed's entry id: the folder of the URL joined with the slug.
    site = feedlib.Site(url="https://example.com/blog/", title="T", permalink=pattern)
    path = tmp_path / "2024-03-05-hello.md"
    own = f"permalink: {permalink}\n" if permalink else ""
    path.write_text(f"---\ntitle: Hello\n{own}---\nBody.\n", encoding="utf-8")
    assert document_id(feedlib.load_post(path, site), site) == expected


def test_site_data_reads_every_format() -> None:
    data = load_data(REFERENCE / "data" / "_data")
    assert data["releases"][1]["version"] == "3.2.10"
    assert data["prices"][1] == {"item": "みかん", "price": "80", "note": "冬"}
    assert data["stats"] == [{"key": "alpha", "value": "1"}, {"key": "beta", "value": "2"}]
    assert data["settings"]["nested"]["list"] == [1, 2, 3]
    assert data["team"]["members"][1]["name"] == "山田太郎"
    assert data["my-list"]["items"] == ["one", "two", "three"]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("broken.yml", "a: 1\nb: [unclosed\n", 3),
        ("broken.json", '{"a": 1,\n "b": }\n', 2),
        ("broken.csv", 'a,b\n"unclosed,1\n', 3),
    ],
)
def test_a_broken_data_file_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, line: int
) -> None:
    root = _site(
        tmp_path / "site",
        "url: https://example.com\ntitle: T\n",
        {"_posts/2024-01-01-a.md": "---\n---\n{{ site.data.other }}\n", f"_data/{name}": text},
    )
    with pytest.raises(ConfigError) as caught:
        load_data(root / "_data")
    assert caught.value.path == root / "_data" / name
    assert run_main("check", "--jekyll", root, "--now", NOW) == 2
    assert capsys.readouterr().err.startswith(f"feedlib: {root / '_data' / name}:")


def test_missing_data_is_silent_in_a_build_and_reported_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = "---\ntitle: Missing\n---\nNothing: <{{ site.data.nothing.url }}> {{ 'x' | no_such_filter }}\n"
    root = _site(tmp_path / "site", "url: https://example.com\ntitle: T\n", {"_posts/2024-01-01-a.md": post})
    assert run_main("build", "--jekyll", root, "--now", NOW) == 0
    assert capsys.readouterr().err == ""
    assert run_main("check", "--jekyll", root, "--now", NOW) == 1
    assert "2024-01-01-a.md:4: Liquid:" in capsys.readouterr().err
    config = (root / "_config.yml").read_text(encoding="utf-8")
    (root / "_config.yml").write_text(config + "liquid:\n  strict_variables: true\n", encoding="utf-8")
    assert run_main("build", "--jekyll", root, "--now", NOW) == 1  # Jekyll stops there too.


def test_lang_is_the_entrys_language(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "2024-01-01-ja.md").write_text(
        "---\nlang: ja_JP\n---\n日本語。\n", encoding="utf-8"
    )
    (tmp_path / "posts" / "2024-01-02-en.md").write_text(
        "---\ntitle: English\n---\nText.\n", encoding="utf-8"
    )
    (tmp_path / "feedlib.toml").write_text(
        '[site]\nurl = "https://example.com/"\ntitle = "T"\nlanguage = "en"\nicon = "/icon.png"\n'
        '[build]\nformats = ["atom", "json"]\n',
        encoding="utf-8",
    )
    assert run_main("build", "--config", tmp_path / "feedlib.toml", "--now", NOW, "--quiet") == 0
    atom = (tmp_path / "public" / "feed.xml").read_bytes()
    assert b'<entry xml:lang="ja-JP">' in atom
    assert b"<icon>https://example.com/icon.png</icon>" in atom
    check_feed(atom, "atom", count=2)
    items = json.loads((tmp_path / "public" / "feed.json").read_bytes())["items"]
    assert [item.get("language") for item in items] == [None, "ja-JP"]


def test_a_language_that_is_not_a_tag_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-01-x.md"
    path.write_text("---\nlang: not a language\n---\nText.\n", encoding="utf-8")
    with pytest.raises(feedlib.PostError, match=r"lang: must be a language tag"):
        feedlib.load_post(path, feedlib.Site(url="https://example.com/", title="T"))


def test_future_posts_are_shown_when_asked(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "2099-01-01-later.md").write_text("---\ntitle: Later\n---\nSoon.\n", encoding="utf-8")
    (posts / "2024-01-01-now.md").write_text("---\ntitle: Now\n---\nToday.\n", encoding="utf-8")
    config = tmp_path / "feedlib.toml"
    settings = '[site]\nurl = "https://example.com/"\ntitle = "T"\n[build]\nformats = ["atom"]\n'
    for future, titles in ((False, ["Now"]), (True, ["Later", "Now"])):
        config.write_text(settings + f"future = {str(future).lower()}\n", encoding="utf-8")
        assert run_main("build", "--config", config, "--now", NOW, "--quiet") == 0
        parsed = check_feed((tmp_path / "public" / "feed.xml").read_bytes(), "atom", count=len(titles))
        assert [entry.title for entry in parsed.entries] == titles

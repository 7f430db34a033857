"""The Jekyll drop-in: _config.yml, _posts/ and _drafts/, written where jekyll-feed writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA, NOW, check_feed, run_main

from feedlib import ConfigError, TermFeedConfig
from feedlib.discover import jekyll_post_files
from feedlib.jekyll.config import JekyllFeed, load_jekyll_config

SITE = DATA / "jekyll-site"
TAGS = "[A-Za-z0-9_]+"  # The tags jekyll-feed writes a feed for.


@pytest.fixture
def jekyll_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


def write_config(root: Path, text: str) -> None:
    (root / "_config.yml").write_text(text, encoding="utf-8")


def test_config_maps_jekyll_settings():
    config = load_jekyll_config(SITE)
    site = config.site
    assert site.url == "https://example.com/blog/"  # url + baseurl
    assert site.title == "Example Jekyll Site"
    assert site.description == "Notes from a small Jekyll site."
    assert [(a.name, a.email) for a in site.authors] == [("Jane Doe", "jane@example.com")]
    assert site.timezone == "Asia/Tokyo"
    assert site.language == "en-US"  # lang: en_US
    assert site.permalink == "pretty"
    assert config.build.limit == 5  # feed.posts_limit
    assert config.build.formats == ("atom",)
    assert config.build.out == SITE / "_site"
    assert dict(config.build.paths) == {"atom": "feed.xml"}
    assert config.build.cache == SITE / ".feedlib-cache"
    assert config.jekyll is not None and config.jekyll.root == SITE
    assert config.liquid.site["plugins"] == ["jekyll-feed"]  # all of _config.yml, for Liquid


def test_feed_block_maps_to_feedlib_settings():
    config = load_jekyll_config(SITE)
    assert config.site.content == "summary"  # feed.excerpt_only
    # Named, titled and placed as jekyll-feed's: "Site | Category", tags as the site, tag names [A-Za-z0-9_].
    assert config.build.feeds == (
        TermFeedConfig("categories", "feed/:term.xml", ("news",), title="{site} | {Term}", verbatim=True),
        TermFeedConfig(
            "tags",
            "feed/by_tag/:term.xml",
            ("python",),
            title="{site}",
            verbatim=True,
            pattern="[A-Za-z0-9_]+",
        ),
    )
    feed = JekyllFeed(
        categories=("news",), tags={"only": ("python",)}, tags_path="feed/by_tag/", content="summary"
    )
    assert feed.feedlib_settings() == {
        "feeds": {"categories": ["news"], "tags": {"only": ["python"], "path": "feed/by_tag/"}},
        "build": {"content": "summary"},
    }
    assert JekyllFeed(categories=True, tags=True).feedlib_settings()["feeds"] == {
        "categories": True,
        "tags": True,
    }


def test_defaults_are_jekyll_feeds(jekyll_site: Path):
    write_config(jekyll_site, "url: https://example.com\nname: Named Site\n")
    config = load_jekyll_config(jekyll_site)
    assert config.site.url == "https://example.com/"
    assert config.site.title == "Named Site"  # title, else name
    assert config.site.permalink == "date"
    assert config.build.limit == 10
    assert dict(config.build.paths) == {"atom": "feed.xml"}
    assert config.build.feeds == () and config.site.content == "full"


def test_post_files_with_folder_categories_and_drafts():
    files = jekyll_post_files(SITE, exclude=("vendor-notes",))
    assert [(f.key, f.categories, f.dateless) for f in files] == [
        ("_posts/2025-01-15-hello-world.md", (), False),
        ("news/_posts/2025-02-01-release.md", ("news",), False),
    ]
    with_drafts = jekyll_post_files(SITE, drafts=True, exclude=("vendor-notes",))
    assert ("_drafts/a-draft.md", (), True) in [(f.key, f.categories, f.dateless) for f in with_drafts]
    # Without the exclude list, Jekyll would read vendor-notes/_posts too.
    assert any(f.key.startswith("vendor-notes/") for f in jekyll_post_files(SITE))


def _atom(root: Path, relative: str = "_site/feed.xml") -> bytes:
    return (root / relative).read_bytes()


def test_build_writes_where_jekyll_feed_would(jekyll_site: Path, capsys: pytest.CaptureFixture[str]):
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW) == 0
    assert f"wrote {jekyll_site / '_site' / 'feed.xml'} (atom, 2 entries)" in capsys.readouterr().out
    # The fixture's feed block says excerpt_only, categories [news] and tags only [python].
    parsed = check_feed(_atom(jekyll_site), "atom", count=2, require_content=False)
    assert b"<content" not in _atom(jekyll_site)
    assert all(entry.summary for entry in parsed.entries)
    news = check_feed(_atom(jekyll_site, "_site/feed/news.xml"), "atom", count=1, require_content=False)
    assert news.feed.title == "Example Jekyll Site | News"
    check_feed(_atom(jekyll_site, "_site/feed/by_tag/python.xml"), "atom", require_content=False)
    assert sorted(path.name for path in (jekyll_site / "_site" / "feed").rglob("*.xml")) == [
        "news.xml",
        "python.xml",
    ]
    assert parsed.feed.title == "Example Jekyll Site"
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [
        "https://example.com/blog/feed.xml"
    ]
    release, hello = parsed.entries
    assert release.link == "https://example.com/blog/news/releases/2025/02/01/release/"
    assert [tag.term for tag in release.tags] == ["news", "releases"]  # folder first, as Jekyll
    assert hello.link == "https://example.com/blog/2025/01/15/hello-world/"
    assert not (jekyll_site / "_site" / "rss.xml").exists()


def test_feed_path_format_and_out_flags(jekyll_site: Path):
    text = (jekyll_site / "_config.yml").read_text(encoding="utf-8")
    write_config(jekyll_site, text.replace("feed:\n", "feed:\n  path: /feeds/atom.xml\n"))
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW, "--quiet") == 0
    parsed = check_feed(_atom(jekyll_site, "_site/feeds/atom.xml"), "atom", count=2, require_content=False)
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [
        "https://example.com/blog/feeds/atom.xml"
    ]
    out = jekyll_site.parent / "elsewhere"
    args = ("--now", NOW, "--quiet", "--out", out, "--format", "atom", "--format", "rss")
    assert run_main("build", "--jekyll", jekyll_site, *args) == 0
    check_feed((out / "feeds" / "atom.xml").read_bytes(), "atom", count=2, require_content=False)
    check_feed((out / "rss.xml").read_bytes(), "rss", count=2, require_content=False)


def test_feed_path_of_any_name(jekyll_site: Path):
    """jekyll-feed writes its feed at any path: one not ending in .xml too (a collection's must)."""
    text = (jekyll_site / "_config.yml").read_text(encoding="utf-8")
    write_config(jekyll_site, text.replace("feed:\n", "feed:\n  path: atom.feed\n"))
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW, "--quiet") == 0
    check_feed(_atom(jekyll_site, "_site/atom.feed"), "atom", count=2, require_content=False)
    write_config(
        jekyll_site, text.replace("feed:\n", "feed:\n  collections:\n    recipes:\n      path: r.atom\n")
    )
    with pytest.raises(ConfigError, match=r"feed\.collections\.recipes\.path: must end in \.xml"):
        load_jekyll_config(jekyll_site)


def test_drafts_need_a_front_matter_date(jekyll_site: Path, capsys: pytest.CaptureFixture[str]):
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW, "--drafts", "--quiet") == 0
    assert (
        check_feed(_atom(jekyll_site), "atom", count=3, require_content=False).entries[0].title == "A draft"
    )
    undated = jekyll_site / "_drafts" / "2025-05-01-undated.md"
    undated.write_text("---\ntitle: No date\n---\nBody.\n", encoding="utf-8")
    capsys.readouterr()
    assert run_main("check", "--jekyll", jekyll_site, "--now", NOW, "--drafts") == 1
    error = capsys.readouterr().err.splitlines()[0]
    assert error.startswith(f"{undated}: no date: a draft needs 'date:")
    # Without --drafts, _drafts/ is not read at all.
    assert run_main("check", "--jekyll", jekyll_site, "--now", NOW, "--quiet") == 0


def test_config_errors_name_file_and_line(jekyll_site: Path):
    config = jekyll_site / "_config.yml"
    write_config(jekyll_site, "url: https://example.com\ntitle: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        load_jekyll_config(jekyll_site)
    assert str(caught.value).startswith(f"{config}:3: invalid YAML")
    write_config(jekyll_site, "title: No URL\n")
    with pytest.raises(ConfigError, match="url is required"):
        load_jekyll_config(jekyll_site)
    write_config(jekyll_site, "url: https://example.com\ntitle: T\ntimezone: Mars/Base\n")
    with pytest.raises(ConfigError) as caught:
        load_jekyll_config(jekyll_site)
    assert str(caught.value).startswith(f"{config}:3: ") and "Mars/Base" in str(caught.value)
    write_config(jekyll_site, "url: https://example.com\nfeed:\n  path: ../outside.xml\n")
    with pytest.raises(ConfigError, match=r"feed.path: must be a file path inside the site"):
        load_jekyll_config(jekyll_site)
    write_config(jekyll_site, "url: https://example.com\nfeed:\n  posts_limit: many\n")
    with pytest.raises(ConfigError, match=r"feed\.posts_limit"):
        load_jekyll_config(jekyll_site)
    write_config(jekyll_site, "- a list\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_jekyll_config(jekyll_site)
    write_config(jekyll_site, "url: https://example.com\nbad: !!python/object/apply:os.system [echo]\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_jekyll_config(jekyll_site)
    config.unlink()
    with pytest.raises(ConfigError, match=r"no _config\.yml"):
        load_jekyll_config(jekyll_site)


def test_usage_errors(jekyll_site: Path, capsys: pytest.CaptureFixture[str]):
    assert run_main("build", "--drafts") == 2
    assert "--drafts needs --jekyll" in capsys.readouterr().err
    assert run_main("build", "--jekyll", jekyll_site, "--config", jekyll_site / "x.toml") == 2
    assert run_main("check", "--jekyll", jekyll_site / "missing") == 2


def test_unhonoured_feed_keys_are_warned_about(jekyll_site: Path, capsys: pytest.CaptureFixture[str]):
    write_config(jekyll_site, "url: https://example.com\nfeed:\n  icon: /icon.png\n  iconn: /typo.png\n")
    assert run_main("check", "--jekyll", jekyll_site, "--now", NOW) == 0
    err = capsys.readouterr().err
    assert "feed.iconn not honoured" in err
    assert "feed.icon," not in err and "feed.icon " not in err  # honoured: no word about it
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW, "--quiet") == 0
    assert capsys.readouterr() == ("", "")  # Said by check, not on every build.


def test_warm_build_from_cache_is_identical(jekyll_site: Path):
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW, "--quiet") == 0
    first = _atom(jekyll_site)
    (jekyll_site / "_site" / "feed.xml").unlink()
    assert run_main("build", "--jekyll", jekyll_site, "--now", NOW, "--quiet") == 0
    assert _atom(jekyll_site) == first
    assert (jekyll_site / ".feedlib-cache" / "index.json").is_file()

"""Per-category and per-tag feeds: configuration, safe file names, and what a build writes."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest
from helpers import DEFAULT_CONFIG, NS, check_output_tree, make_project, run_main, snapshot
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import feedlib
from feedlib import ConfigError, TermFeedConfig, build, dry_run, load_config
from feedlib.terms import format_path, term_file_names, term_key

NOW = "2026-01-01T00:00:00+00:00"

POSTS = {
    "2025-01-01-one.md": "---\ntitle: One\ncategories: [News, お知らせ]\ntags: [python, C++]\n---\nOne.\n",
    "2025-01-02-two.md": "---\ntitle: Two\ncategory: news\ntags: [Python, 'C#', con]\n---\nTwo.\n",
    "2025-01-03-three.md": (
        "---\ntitle: Three\ntags: ['../../etc', 'a/b', 'hello world', '!!!']\n---\nThree.\n"
    ),
}


def project(tmp_path: Path, feeds: str, formats: str = '["atom", "rss", "json"]', limit: int = 20) -> Path:
    config = DEFAULT_CONFIG.replace('formats = ["atom", "rss"]', f"formats = {formats}")
    config = config.replace("limit = 20", f"limit = {limit}") + "\n" + feeds
    return make_project(tmp_path / "site", POSTS, config)


def feeds_in(out: Path) -> set[str]:
    """The published files under ``out``, without the lock file."""
    return {path for path in snapshot(out) if not path.startswith(".")}


def build_site(root: Path):
    from datetime import datetime

    return build(load_config(root / "feedlib.toml"), now=datetime.fromisoformat(NOW))


# -- configuration -----------------------------------------------------------------------------


def config_of(tmp_path: Path, feeds: str):
    return load_config(project(tmp_path, feeds) / "feedlib.toml").build.feeds


def test_feeds_off_by_default(tmp_path: Path):
    assert config_of(tmp_path, "") == ()


def test_true_a_list_or_a_table(tmp_path: Path):
    assert config_of(tmp_path, "[feeds]\ncategories = true\ntags = false") == (
        TermFeedConfig("categories", "feed/:term.xml"),
    )
    assert config_of(tmp_path, '[feeds]\ntags = ["python", "go"]') == (
        TermFeedConfig("tags", "feed/by_tag/:term.xml", only=("python", "go")),
    )
    feeds = config_of(tmp_path, '[feeds.tags]\nexcept = ["misc"]\npath = "tags/:term/feed.xml"')
    assert feeds == (TermFeedConfig("tags", "tags/:term/feed.xml", exclude=("misc",)),)


@pytest.mark.parametrize(
    ("feeds", "message"),
    [
        ("[feeds]\ncategory = true", "unknown key feeds.category"),
        ("[feeds.tags]\nonly = ['a']\nexcept = ['b']", "only or except, not both"),
        ("[feeds.tags]\nlimit = 3", "unknown key feeds.tags.limit"),
        ("[feeds.tags]\npath = '../:term.xml'", "'..'"),
        ("[feeds.tags]\npath = '/abs/:term.xml'", "relative path"),
        ("[feeds.tags]\npath = 'feed/tag.xml'", ":term once"),
        ("[feeds.tags]\npath = 'feed/:term.json'", "end in .xml"),
        ("[feeds]\ntags = 'yes'", "[feeds.tags] must be a table"),
        ("[feeds]\ntags = [1, 2]", "list of strings"),
    ],
)
def test_bad_feeds_tables(tmp_path: Path, feeds: str, message: str):
    with pytest.raises(ConfigError) as caught:
        config_of(tmp_path, feeds)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "site" / "feedlib.toml"))


# -- file names ----------------------------------------------------------------------------------

WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}


def assert_safe(name: str) -> None:
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\0" not in name
    assert not name.startswith((".", "-"))
    assert name.split(".", maxsplit=1)[0].lower() not in WINDOWS_RESERVED
    assert len(name.encode("utf-8")) <= 200
    assert all(unicodedata.category(char)[0] in "LMN" or char == "-" for char in name)


@given(st.lists(st.text(max_size=300), max_size=8))
def test_any_terms_give_safe_distinct_names(terms: list[str]):
    keys = [term_key(term) for term in terms if term_key(term)]
    names = term_file_names(keys)
    assert set(names) == set(keys)
    assert len(set(names.values())) == len(names)
    for name in names.values():
        assert_safe(name)
    assert term_file_names(reversed(keys)) == names  # deterministic, whatever the order


def test_names_of_alike_terms():
    names = term_file_names(["c", "c++", "c#", "con", "", "!!!", "hello world", "日本語"])
    assert names["c"] == "c"
    assert names["c++"].startswith("c-") and names["c#"].startswith("c-") and names["c++"] != names["c#"]
    assert names["con"].startswith("con-")
    assert names[""].startswith("term-") and names["!!!"].startswith("term-")
    assert names["hello world"] == "hello-world" and names["日本語"] == "日本語"
    assert format_path("feed/c.xml", "rss") == "feed/c.rss.xml"


# -- builds --------------------------------------------------------------------------------------


def test_build_writes_a_feed_per_term_in_every_format(tmp_path: Path):
    root = project(tmp_path, "[feeds]\ncategories = true\ntags = true")
    published = build_site(root)
    out = root / "public"
    files = feeds_in(out)
    assert {"feed/news.xml", "feed/news.rss.xml", "feed/news.json"} <= files
    assert {"feed/お知らせ.xml", "feed/by_tag/python.xml", "feed/by_tag/hello-world.json"} <= files
    for path in files:
        target = (out / path).resolve()
        assert target.is_relative_to(out.resolve())
        name = PurePosixPath(path).name
        assert_safe(name.removesuffix(".rss.xml").removesuffix(".xml").removesuffix(".json"))
    # "C++" and "C#" slug alike: distinct files, each its own feed.
    c_feeds = sorted(path for path in files if path.startswith("feed/by_tag/c-") and path.endswith(".json"))
    titles = sorted(json.loads((out / path).read_bytes())["title"] for path in c_feeds)
    assert titles == ["Example Blog \u2014 C#", "Example Blog \u2014 C++"]
    parsed = check_output_tree(out)
    assert len(parsed) == len(files)
    assert {item.path.relative_to(out).as_posix() for item in published} == files


def test_a_term_feed_names_itself(tmp_path: Path):
    root = project(tmp_path, "[feeds]\ncategories = true", formats='["atom", "rss"]')
    build_site(root)
    atom = etree.fromstring((root / "public/feed/お知らせ.xml").read_bytes())
    url = "https://example.com/blog/feed/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B.xml"
    assert atom.findtext("a:id", namespaces=NS) == url
    assert atom.find("a:link[@rel='self']", namespaces=NS).get("href") == url
    assert atom.findtext("a:title", namespaces=NS) == "Example Blog \u2014 お知らせ"
    assert unquote(url).endswith("/feed/お知らせ.xml")
    rss = etree.fromstring((root / "public/feed/news.rss.xml").read_bytes())
    assert rss.find("channel/atom:link", namespaces=NS).get("href").endswith("/feed/news.rss.xml")
    # "News" and "news" are one term, shown as the newest post writes it.
    assert rss.findtext("channel/title") == "Example Blog \u2014 news"
    assert [item.findtext("title") for item in rss.iterfind("channel/item")] == ["Two", "One"]


def test_only_except_and_limit(tmp_path: Path):
    root = project(tmp_path, '[feeds.tags]\nonly = ["Python", "Go"]', formats='["atom"]', limit=1)
    build_site(root)
    files = feeds_in(root / "public")
    assert files == {"feed.xml", "feed/by_tag/python.xml", "feed/by_tag/go.xml"}
    python = etree.fromstring((root / "public/feed/by_tag/python.xml").read_bytes())
    assert len(python.findall("a:entry", namespaces=NS)) == 1  # the same limit as the main feed
    assert (
        etree.fromstring((root / "public/feed/by_tag/go.xml").read_bytes()).find("a:entry", namespaces=NS)
        is None
    )
    root = project(
        tmp_path / "2", '[feeds.tags]\nexcept = ["PYTHON", "con", "c++", "c#"]', formats='["atom"]'
    )
    build_site(root)
    tags = {path for path in feeds_in(root / "public") if path.startswith("feed/by_tag/")}
    assert "feed/by_tag/python.xml" not in tags and len(tags) == 4


def test_custom_path_pattern(tmp_path: Path):
    root = project(
        tmp_path, '[feeds.categories]\npath = "category/:term/index.xml"', formats='["rss", "json"]'
    )
    build_site(root)
    files = feeds_in(root / "public")
    assert {"category/news/index.rss.xml", "category/news/index.json"} <= files


def test_paths_that_collide_are_a_config_error(tmp_path: Path, capsys):
    feeds = '[feeds.categories]\npath = "t/:term.xml"\n[feeds.tags]\npath = "t/:term.xml"'
    root = project(tmp_path, feeds.replace("t/", "x/"))
    (root / "posts" / "2025-01-04-four.md").write_text(
        "---\ncategories: python\n---\nFour\n", encoding="utf-8"
    )
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW) == 2
    err = capsys.readouterr().err
    assert "(the tags feeds' path 'x/:term.xml') would be written to x/python.xml, where the feed of" in err
    assert feeds_in(root / "public") == set()


def test_second_build_is_up_to_date_and_dry_run_lists_term_feeds(tmp_path: Path, capsys):
    root = project(tmp_path, "[feeds]\ncategories = true", formats='["atom", "json"]')
    config = root / "feedlib.toml"
    assert run_main("build", "--config", config, "--now", NOW, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would write" in out and "feed/news.xml (atom, 2 entries): 2 added" in out
    assert "feed/news.json (json, 2 entries): 2 added" in out
    assert not (root / "public").exists()
    assert run_main("build", "--config", config, "--now", NOW) == 0
    assert "wrote" in capsys.readouterr().out
    before = {path.name: path.stat().st_mtime_ns for path in (root / "public").rglob("*")}
    assert run_main("build", "--config", config, "--now", NOW) == 0
    assert capsys.readouterr().out.startswith("up to date")
    assert {path.name: path.stat().st_mtime_ns for path in (root / "public").rglob("*")} == before
    assert run_main("build", "--config", config, "--now", NOW, "--dry-run") == 0
    assert "up to date: " in capsys.readouterr().out


def test_dry_run_previews(tmp_path: Path):
    root = project(tmp_path, "[feeds]\ntags = true", formats='["rss"]')
    from datetime import datetime

    previews = dry_run(load_config(root / "feedlib.toml"), now=datetime.fromisoformat(NOW))
    paths = {preview.path.relative_to(root / "public").as_posix() for preview in previews}
    assert "feed/by_tag/python.rss.xml" in paths
    python = next(p for p in previews if p.path.name == "python.rss.xml")
    assert [change.title for change in python.added] == ["Two", "One"]


def test_stale_temporaries_in_term_folders_are_removed(tmp_path: Path):
    root = project(tmp_path, "[feeds]\ntags = true", formats='["atom"]')
    folder = root / "public" / "feed" / "by_tag"
    folder.mkdir(parents=True)
    stale = folder / ".python.xml.abc123_x.tmp"
    stale.write_bytes(b"half")
    build_site(root)
    assert not stale.exists()


# -- per-author and per-language feeds -----------------------------------------------------------

PEOPLE_POSTS = {
    "2025-02-01-ann.md": "---\ntitle: Ann's\nauthor: Ann Lee\nlang: en\n---\nIn English.\n",
    "2025-02-02-bob.md": (
        "---\ntitle: ボブ\nauthor: [Bob, {name: Ann Lee, email: ann@example.com}]\nlang: ja\n---\n日本語。\n"
    ),
    "2025-02-03-site.md": "---\ntitle: No author, no lang\n---\nThe site's.\n",
    "2025-02-04-pt.md": "---\ntitle: Olá\nauthor: Bob\nlang: pt_BR\n---\nPortuguês.\n",
}


def people_project(tmp_path: Path, feeds: str) -> Path:
    config = DEFAULT_CONFIG.replace('formats = ["atom", "rss"]', 'formats = ["atom", "rss", "json"]')
    config = config.replace('language = "en"', 'language = "en"\nauthor = "Site Owner"')
    return make_project(tmp_path / "site", PEOPLE_POSTS, config + "\n" + feeds)


def test_a_feed_per_author_and_per_language_in_every_format(tmp_path: Path):
    root = people_project(tmp_path, "[feeds]\nauthors = true\nlanguages = true")
    build_site(root)
    out = root / "public"
    files = feeds_in(out)
    for stem in ("by_author/ann-lee", "by_author/bob", "by_author/site-owner", "by_lang/en", "by_lang/ja"):
        assert {f"feed/{stem}.xml", f"feed/{stem}.rss.xml", f"feed/{stem}.json"} <= files
    assert {"feed/by_lang/pt-br.xml"} <= files
    check_output_tree(out)

    def titles(path: str) -> list[str]:
        return [item.findtext("title") for item in etree.fromstring((out / path).read_bytes()).iter("item")]

    assert titles("feed/by_author/ann-lee.rss.xml") == ["ボブ", "Ann's"]
    assert titles("feed/by_author/bob.rss.xml") == ["Olá", "ボブ"]
    # A post without authors of its own is by the site's; without lang, in the site's language.
    assert titles("feed/by_author/site-owner.rss.xml") == ["No author, no lang"]
    assert titles("feed/by_lang/en.rss.xml") == ["No author, no lang", "Ann's"]
    ja = etree.fromstring((out / "feed/by_lang/ja.xml").read_bytes())
    assert ja.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert ja.findtext("a:title", namespaces=NS) == "Example Blog \u2014 ja"
    assert json.loads((out / "feed/by_lang/pt-br.json").read_bytes())["language"] == "pt-BR"
    assert (
        etree.fromstring((out / "feed/by_lang/ja.rss.xml").read_bytes()).findtext("channel/language") == "ja"
    )


def test_author_and_language_feeds_take_only_except_and_path(tmp_path: Path):
    feeds = (
        '[feeds.authors]\nonly = ["Bob"]\npath = "people/:term/feed.xml"\n'
        '[feeds.languages]\nexcept = ["en"]\n'
    )
    root = people_project(tmp_path, feeds)
    build_site(root)
    files = feeds_in(root / "public")
    assert {"people/bob/feed.xml", "feed/by_lang/ja.xml", "feed/by_lang/pt-br.xml"} <= files
    assert not [path for path in files if "ann" in path or "by_lang/en" in path]


@pytest.mark.parametrize(
    ("feeds", "message"),
    [
        ('[feeds]\nlanguages = ["english"]', "feeds.languages: a language must be a language tag"),
        ('[feeds.authors]\npath = "../:term.xml"', "feeds.authors.path must not hold"),
        ("[feeds]\nauthors = 3", "[feeds.authors] must be a table"),
    ],
)
def test_bad_author_and_language_feeds(tmp_path: Path, feeds: str, message: str):
    with pytest.raises(ConfigError) as caught:
        load_config(people_project(tmp_path, feeds) / "feedlib.toml")
    assert message in str(caught.value) and "feedlib.toml" in str(caught.value)


def test_a_bad_lang_names_the_file_and_line(tmp_path: Path):
    root = people_project(tmp_path, "")
    (root / "posts" / "2025-03-01-bad.md").write_text("---\ntitle: x\nlang: not a tag\n---\nx\n", "utf-8")
    with pytest.raises(feedlib.PostErrors) as caught:
        build_site(root)
    assert "2025-03-01-bad.md:3: lang: must be a language tag" in str(caught.value)

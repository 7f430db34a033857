"""Liquid in posts (feedlib.jekyll.liquid): Jekyll's tags and filters, limits, errors and caching.

tests/data/liquid/site is a Jekyll site whose posts each use some of Jekyll's
tags and filters; tests/data/liquid/expected holds, for each post, the HTML
Jekyll makes of it (with ``highlighter: none``), as feedlib writes HTML:
links absolute (jekyll-feed leaves them relative), lxml's serialization.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA, NOW, check_feed, run_main

from feedlib import Site, read_posts, render_entries
from feedlib.build import post_files
from feedlib.cache import PostCache
from feedlib.cache.stamps import settings_fingerprint
from feedlib.config import LiquidSettings
from feedlib.jekyll.config import load_jekyll_config
from feedlib.jekyll.liquid import PostRenderer

LIQUID = DATA / "liquid"
SITE = LIQUID / "site"
EXPECTED = sorted((LIQUID / "expected").glob("*.html"))


def _entries(root: Path) -> dict[str, str]:
    """Each post's HTML by its file name (``2025-01-10-raw.md``), rendered in memory."""
    config = load_jekyll_config(root)
    records = read_posts(post_files(config), config.site)
    urls = {record.key: record.url for record in records}
    entries = render_entries(records, config.site, liquid=PostRenderer(config.site, config.liquid, urls))
    return {entry.source.name: entry.content_html for entry in entries}


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return _entries(SITE)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda path: path.stem)
def test_post_renders_as_jekyll_renders_it(expected: Path, rendered: dict[str, str]):
    assert rendered[expected.stem + ".md"] == expected.read_text(encoding="utf-8").rstrip("\n")


def test_every_post_has_an_expectation(rendered: dict[str, str]):
    assert {name.removesuffix(".md") for name in rendered} == {path.stem for path in EXPECTED}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    return root


def test_build_writes_a_valid_feed(site: Path):
    assert run_main("build", "--jekyll", site, "--now", NOW, "--quiet") == 0
    parsed = check_feed((site / "_site" / "feed.xml").read_bytes(), "atom", count=11)
    assert "{%" not in (site / "_site" / "feed.xml").read_text(encoding="utf-8").replace(
        "{{ page.title }} and {% raw %}", ""
    )
    assert parsed.entries[0].title == "No Liquid"


def _post(root: Path, name: str, body: str, front: str = "title: Bad\n") -> Path:
    path = root / "_posts" / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


ERRORS = [
    # (body, line in the file, part of the message); the front matter takes lines 1-3.
    ("Fine.\n\n{% nosuch thing %}\n", 6, "unexpected tag 'nosuch'"),
    ("Fine.\n{{ page.title | nosuchfilter }}\n", 5, "unknown filter 'nosuchfilter'"),
    ("{% post_url 2020-01-01-missing %}\n", 4, "post_url: no post named '2020-01-01-missing'"),
    ("a\nb\n{% link _posts/missing.md %}\n", 6, "link: no post or page '_posts/missing.md'"),
    ("one\ntwo\nthree {{ page.title | }}\n", 6, "Liquid:"),
    ("{% include ../../etc/passwd %}\n", 4, "'..' and absolute paths are refused"),
    ("{% include /etc/passwd %}\n", 4, "'..' and absolute paths are refused"),
    ("{% include missing.html %}\n", 4, "missing.html"),
    ("x\n{% for i in (1..1000000000) %}{{ i }}{% endfor %}\n", 5, "range of 1,000,000,000 numbers"),
    ("x\n{% for i in (1..999) %}{% for j in (1..999) %}{% endfor %}{% endfor %}\n", 5, "loop iteration"),
    ("{% for i in (1..90000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}\n", 4, "output stream limit"),
    ('{{ "now" | date: "%Y" }}\n', 4, "would put the build's clock in the feed"),
    ('{{ "today" | date_to_xmlschema }}\n', 4, "would put the build's clock in the feed"),
    ("{% if page.title %}\nno end\n", 5, "Liquid:"),
]


@pytest.mark.parametrize(("body", "line", "message"), ERRORS, ids=[m for _, _, m in ERRORS])
def test_errors_name_file_and_line(
    site: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, message: str
):
    path = _post(site, "2025-02-01-bad.md", body)
    assert run_main("check", "--jekyll", site, "--now", NOW) == 1
    problems = capsys.readouterr().err.splitlines()
    assert problems[0].startswith(f"{path}:{line}: Liquid: "), problems
    assert message in problems[0]
    assert problems[1:] == ["feedlib: 1 problem in 12 posts"]


def test_recursive_include_hits_the_depth_limit(site: Path, capsys: pytest.CaptureFixture[str]):
    (site / "_includes" / "loop.html").write_text("{% include loop.html %}", encoding="utf-8")
    path = _post(site, "2025-02-01-bad.md", "{% include loop.html %}\n")
    assert run_main("build", "--jekyll", site, "--now", NOW) == 1
    err = capsys.readouterr().err
    assert f"{path}:4: Liquid: include loop.html: includes nest more than 20 deep" in err
    assert not (site / "_site" / "feed.xml").exists()


def test_skip_invalid_leaves_the_post_out_and_the_next_takes_its_place(
    site: Path, capsys: pytest.CaptureFixture[str]
):
    path = _post(site, "2025-02-01-bad.md", "{% nosuch %}\n")
    assert run_main("build", "--jekyll", site, "--now", NOW, "--limit", "3", "--skip-invalid") == 0
    assert f"{path}:4: Liquid: unexpected tag 'nosuch' (skipped)" in capsys.readouterr().err
    parsed = check_feed((site / "_site" / "feed.xml").read_bytes(), "atom", count=3)
    assert [entry.title for entry in parsed.entries] == ["No Liquid", "Array filters", "Text filters"]


def test_include_confined_even_through_symlinks(site: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (site / "_includes" / "leak.html").symlink_to(secret)
    _post(site, "2025-02-01-leak.md", "{% include leak.html %}\n")
    assert run_main("check", "--jekyll", site, "--now", NOW, "--quiet") == 1


def test_opting_out_and_liquid_off_outside_jekyll_mode(tmp_path: Path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "2025-01-01-a.md").write_text("---\ntitle: A\n---\n{{ site.title }}\n", encoding="utf-8")
    config = tmp_path / "feedlib.toml"
    config.write_text('[site]\nurl = "https://example.com/"\ntitle = "T"\n', encoding="utf-8")
    assert run_main("build", "--config", config, "--now", NOW, "--quiet", "--no-cache") == 0
    assert "{{ site.title }}" in (tmp_path / "public" / "feed.xml").read_text(encoding="utf-8")


def test_liquid_in_a_feedlib_site(tmp_path: Path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "sig.html").write_text("<p>-- {{ include.who }}</p>", encoding="utf-8")
    (posts / "2025-01-01-a.md").write_text(
        "---\ntitle: A\n---\nBy {{ site.data.owner }} for {{ site.title }}.\n\n"
        '{% include sig.html who="Ann" %}\n\nSee {% post_url 2025-01-02-b %}\n',
        encoding="utf-8",
    )
    (posts / "2025-01-02-b.md").write_text("---\ntitle: B\n---\nB.\n", encoding="utf-8")
    config = tmp_path / "feedlib.toml"
    config.write_text(
        '[site]\nurl = "https://example.com/"\ntitle = "T"\n[site.data]\nowner = "Ann"\n'
        '[build]\nliquid = true\nincludes = "snippets"\npermalink = "pretty"\n',
        encoding="utf-8",
    )
    assert run_main("build", "--config", config, "--now", NOW, "--quiet") == 0
    parsed = check_feed((tmp_path / "public" / "feed.xml").read_bytes(), "atom", count=2)
    html = parsed.entries[1].content[0].value
    assert "By Ann for T." in html
    assert "<p>-- Ann</p>" in html
    assert "See https://example.com/2025/01/02/b/" in html


def test_config_liquid_must_be_boolean(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    config = tmp_path / "feedlib.toml"
    config.write_text('[site]\nurl = "https://example.com/"\ntitle = "T"\n[build]\nliquid = "yes"\n')
    assert run_main("check", "--config", config) == 2
    assert "build.liquid must be true or false" in capsys.readouterr().err


def _feed(site: Path) -> str:
    assert run_main("build", "--jekyll", site, "--now", NOW, "--quiet") == 0
    return (site / "_site" / "feed.xml").read_text(encoding="utf-8")


def test_cache_follows_includes_and_linked_urls(site: Path):
    first = _feed(site)
    assert "note warning" in first
    assert _feed(site) == first  # warm: from the cache, page.* read again where needed
    (site / "_includes" / "note.html").write_text("<aside>{{ include.text }}!</aside>\n")
    assert "Mind the gap!" in _feed(site)
    # The post that links to "raw" follows it when its URL changes, though the linking post did not.
    raw = site / "_posts" / "2025-01-10-raw.md"
    raw.write_text(raw.read_text(encoding="utf-8").replace("title: Raw", "title: Raw\npermalink: /moved/"))
    assert "https://example.com/blog/moved/" in _feed(site).split("Links")[1]


def test_a_linking_post_is_cached_while_its_links_lead_where_they_led(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_jekyll_config(site)
    records = read_posts(post_files(config), config.site)
    urls = {record.key: record.url for record in records}
    cache = PostCache.open(None, config.site, config.liquid)
    render_entries(records, config.site, cache=cache, liquid=PostRenderer(config.site, config.liquid, urls))

    def rendered_with(urls: dict[str, str]) -> list[str]:
        renderer = PostRenderer(config.site, config.liquid, urls)
        calls: list[str] = []
        monkeypatch.setattr(renderer, "render", lambda post, **_: calls.append(post.path.name) or "")
        render_entries(records, config.site, cache=cache, liquid=renderer)
        return calls

    assert rendered_with(urls) == []
    moved = {**urls, "_posts/2025-01-10-raw.md": "https://example.com/blog/moved/"}
    assert set(rendered_with(moved)) == {"2025-01-12-links.md"}  # its body, and its excerpt


def test_fingerprint_covers_settings_and_includes(tmp_path: Path):
    site = Site(url="https://example.com/", title="t")

    def fingerprint(settings: LiquidSettings | None) -> str:
        return settings_fingerprint(site, settings)

    assert fingerprint(None) == fingerprint(LiquidSettings())
    (tmp_path / "a.html").write_text("one", encoding="utf-8")
    settings = LiquidSettings(enabled=True, site={"title": "T"}, includes=tmp_path)
    before = fingerprint(settings)
    assert before != fingerprint(None)
    (tmp_path / "a.html").write_text("two", encoding="utf-8")
    assert fingerprint(settings) != before
    assert fingerprint(LiquidSettings(enabled=True, site={"title": "U"}, includes=tmp_path)) != (
        fingerprint(settings)
    )

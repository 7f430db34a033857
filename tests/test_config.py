"""feedlib.config: feedlib.toml or [tool.feedlib], checked key by key, paths relative to the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO_CONFIG

from feedlib import Author, ConfigError, load_config
from feedlib.config import config_from_mapping, find_config

MINIMAL = '[site]\nurl = "https://example.com/blog/"\ntitle = "Example"\n'


def write(folder: Path, text: str, name: str = "feedlib.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)
    return caught.value


def test_minimal_config_and_defaults(tmp_path: Path):
    config = load_config(write(tmp_path, MINIMAL))
    site, build = config.site, config.build
    assert (site.url, site.title, site.description) == ("https://example.com/blog/", "Example", "")
    assert site.authors == ()
    assert site.language is None
    assert site.timezone == "UTC"
    assert site.permalink == "/:categories/:year/:month/:day/:title.html"
    assert site.summary_length == 300
    assert site.markdown_extensions == ("extra",)
    assert build.posts == tmp_path / "posts"
    assert build.out == tmp_path / "public"
    assert build.formats == ("atom", "rss")
    assert build.limit == 20
    assert config.path == tmp_path / "feedlib.toml"


def test_full_config(tmp_path: Path):
    text = """
[site]
url = "https://example.com/"
title = "ALLFORCES テックブログ"
description = "説明"
author = { name = "ALLFORCES編集部", uri = "https://example.com/about/", email = "ed@example.com" }
language = "ja"
timezone = "Asia/Tokyo"

[build]
posts = "content/posts"
out = "/srv/www/feeds"
formats = ["rss", "atom", "rss"]
limit = 0
permalink = "pretty"
summary_length = 120
markdown_extensions = ["extra", "toc"]
"""
    config = load_config(write(tmp_path / "site", text))
    assert config.site.authors == (Author("ALLFORCES編集部", "ed@example.com", "https://example.com/about/"),)
    assert (config.site.language, config.site.timezone) == ("ja", "Asia/Tokyo")
    assert config.site.permalink == "pretty"
    assert config.site.summary_length == 120
    assert config.site.markdown_extensions == ("extra", "toc")
    assert config.build.posts == tmp_path / "site" / "content" / "posts"
    assert config.build.out == Path("/srv/www/feeds")
    assert config.build.formats == ("rss", "atom")
    assert config.build.limit is None  # 0 means every post


def test_author_list_and_string(tmp_path: Path):
    config = load_config(write(tmp_path, MINIMAL + 'author = ["Ada", { name = "Grace" }]\n'))
    assert config.site.authors == (Author("Ada"), Author("Grace"))
    config = load_config(write(tmp_path, MINIMAL + 'author = "Ada"\n'))
    assert config.site.authors == (Author("Ada"),)


def test_the_repository_config():
    config = load_config(REPO_CONFIG)
    assert config.site.url == "https://example.com/blog/"
    assert config.site.timezone == "Asia/Tokyo"
    assert config.build.posts == REPO_CONFIG.parent / "posts"


def test_pyproject_tool_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    text = (
        '[project]\nname = "x"\n\n'
        '[tool.feedlib.site]\nurl = "https://example.com/"\ntitle = "From pyproject"\n'
    )
    path = write(tmp_path, text, "pyproject.toml")
    assert load_config(path).site.title == "From pyproject"
    monkeypatch.chdir(tmp_path)
    assert find_config() == Path("pyproject.toml")
    assert load_config().site.title == "From pyproject"


def test_feedlib_toml_wins_over_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, '[tool.feedlib.site]\nurl = "https://example.com/"\ntitle = "P"\n', "pyproject.toml")
    write(tmp_path, MINIMAL)
    monkeypatch.chdir(tmp_path)
    assert load_config().site.title == "Example"


def test_pyproject_without_tool_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    assert "tool.feedlib" in str(config_error(path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert "feedlib.toml" in str(caught.value)


def test_no_config_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert "feedlib.toml" in str(caught.value)


def test_missing_file(tmp_path: Path):
    assert "cannot read" in str(config_error(tmp_path / "absent.toml"))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (MINIMAL + 'titel = "typo"\n', "site.titel"),
        (MINIMAL + "[build]\nlimt = 5\n", "build.limt"),
        (MINIMAL + "[deploy]\nhost = 'x'\n", "deploy"),
        ('theme = "dark"\n' + MINIMAL, "theme"),
    ],
)
def test_unknown_keys_and_tables_are_named(tmp_path: Path, text: str, key: str):
    error = config_error(write(tmp_path, text))
    assert "unknown" in error.message
    assert key in error.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[site]\nurl = "https://example.com/"\ntitle = \n', 3),
        ('[site]\nurl = "https://example.com/"\ntitle "x"\n', 3),
        ('[site]\nurl = "https://example.com/\n', 2),
        ("[site]\n[site]\n", 2),
    ],
)
def test_toml_syntax_errors_name_file_and_line(tmp_path: Path, text: str, line: int):
    path = write(tmp_path, text)
    error = config_error(path)
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: ")
    assert "TOML" in error.message


def test_not_utf8(tmp_path: Path):
    path = tmp_path / "feedlib.toml"
    path.write_bytes(b'[site]\ntitle = "caf\xe9"\n')
    assert "UTF-8" in str(config_error(path))


@pytest.mark.parametrize(
    "text",
    [
        '[site]\ntitle = "No URL"\n',
        '[site]\nurl = ""\ntitle = "Empty URL"\n',
        '[site]\nurl = "https://example.com/"\n',
        '[site]\nurl = "https://example.com/"\ntitle = ""\n',
        "[build]\nlimit = 5\n",
        "",
        "site = 5\n",
    ],
)
def test_required_site_fields(tmp_path: Path, text: str):
    config_error(write(tmp_path, text))


@pytest.mark.parametrize(
    "url",
    [
        "example.com/blog/",
        "/blog/",
        "ftp://example.com/",
        "https://",
        "mailto:a@example.com",
        "https://例え.jp/",
    ],
)
def test_site_url_must_be_absolute_http(tmp_path: Path, url: str):
    error = config_error(write(tmp_path, f'[site]\nurl = "{url}"\ntitle = "T"\n'))
    assert "site.url" in error.message


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ('timezone = "Mars/Olympus"', "Mars/Olympus"),
        ("language = 5", "site.language"),
        ("description = ['a']", "site.description"),
        ("author = 5", "int"),
        ('author = { email = "a@example.com" }', "name"),
        ('author = { name = "A", email = "nope" }', "nope"),
        ('author = { name = "A", uri = "/about/" }', "/about/"),
    ],
)
def test_invalid_site_values(tmp_path: Path, extra: str, fragment: str):
    assert fragment in config_error(write(tmp_path, MINIMAL + extra + "\n")).message


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        ('formats = ["atom", "xml"]', "xml"),
        ("formats = []", "build.formats"),
        ('formats = "atom"', "build.formats"),
        ("limit = -1", "build.limit"),
        ("limit = true", "build.limit"),
        ('limit = "20"', "build.limit"),
        ("limit = 2.5", "build.limit"),
        ("summary_length = 1", "build.summary_length"),
        ("posts = 5", "build.posts"),
        ("out = ['a']", "build.out"),
        ("permalink = 5", "build.permalink"),
        ('markdown_extensions = ["no_such_extension_xyz"]', "markdown_extensions"),
        ('markdown_extensions = "extra"', "markdown_extensions"),
    ],
)
def test_invalid_build_values(tmp_path: Path, build: str, fragment: str):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, MINIMAL + "[build]\n" + build + "\n"))
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_config_from_mapping_without_a_file():
    config = config_from_mapping(
        {"site": {"url": "https://example.com/", "title": "T"}, "build": {"posts": "p"}}
    )
    assert config.path is None
    assert config.build.posts == Path("p")
    with pytest.raises(ConfigError) as caught:
        config_from_mapping({"site": {"url": "https://example.com/", "title": "T", "colour": "red"}})
    assert "site.colour" in str(caught.value)

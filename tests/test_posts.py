"""feedlib.posts: finding post files, decoding them, reading their front matter into a Post."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers import BAD_POSTS, DATA, POSTS, write_post

import feedlib.posts
from feedlib import Author, ConfigError, PostError, PostErrors, Site, load_post, load_posts
from feedlib.discover import discover_posts

BAD = DATA / "bad"
EXPECTED = tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))
BAD_FILES = BAD_POSTS


def load(folder: Path, site: Site, front_matter, body: str = "Body.\n", name: str = "post.md"):
    return load_post(write_post(folder, name, front_matter, body), site)


def error_of(
    folder: Path, site: Site, front_matter, body: str = "Body.\n", name: str = "post.md"
) -> PostError:
    path = write_post(folder, name, front_matter, body)
    with pytest.raises(PostError) as caught:
        load_post(path, site)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)
    return caught.value


# -- the invalid-input fixtures ------------------------------------------------------------------


def test_every_bad_fixture_has_an_expectation():
    assert {path.name for path in BAD_FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda path: path.name)
def test_bad_fixture_is_a_post_error_naming_file_and_line(path: Path, site: Site):
    expected = EXPECTED[path.name]
    with pytest.raises(PostError) as caught:
        load_post(path, site)
    error = caught.value
    assert error.path == path
    assert expected["message"] in error.message
    assert str(error).startswith(str(path))
    if "line" in expected:
        assert error.line == expected["line"]
        assert str(error).startswith(f"{path}:{expected['line']}: ")
    assert "\n" not in str(error)


def test_safe_loading_never_runs_python_tags(tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    calls = []
    monkeypatch.setattr("os.system", lambda command: calls.append(command) or 0)
    with pytest.raises(PostError):
        load_post(BAD / "yaml-python-tag.md", site)
    assert calls == []
    assert not (tmp_path / "PWNED-BY-YAML").exists()


# -- finding files -------------------------------------------------------------------------------


def test_discover_posts_recursive_sorted_and_skipping(tmp_path: Path):
    root = tmp_path / "_site" / "posts"  # a '_' above the posts folder does not matter
    names = [
        "b.md",
        "a.markdown",
        "c.txt",
        "sub/deeper/d.md",
        "sub/e.md",
        "_drafts/x.md",
        ".hidden/y.md",
        "sub/_partial.md",
        "sub/.swap.md",
        "notes.rst",
        "image.png",
        "README",
    ]
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n---\n", encoding="utf-8")
    (root / "folder.md").mkdir()  # a folder with a post-like name is not a post
    found = discover_posts(root)
    assert [file.key for file in found] == ["a.markdown", "b.md", "c.txt", "sub/deeper/d.md", "sub/e.md"]
    assert [file.path.relative_to(root).as_posix() for file in found] == [file.key for file in found]


def test_discover_posts_missing_folder_is_config_error(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        discover_posts(tmp_path / "nope")
    assert "nope" in str(caught.value)


def test_bundled_posts_found_without_template():
    found = [file.key for file in discover_posts(POSTS)]
    assert "_template.md" not in found
    assert "000_966dccc71f240b11.txt" in found
    assert "notes/2025-08-20-date-from-the-file-name.md" in found
    assert found == sorted(found, key=lambda name: str(POSTS / name))


# -- bytes to text -------------------------------------------------------------------------------

POST_BYTES = "---\ntitle: Café\ndate: 2025-01-01\n---\nfirst line\nsecond line\n".encode()


@pytest.mark.parametrize(
    "raw",
    [
        POST_BYTES,
        b"\xef\xbb\xbf" + POST_BYTES,
        POST_BYTES.replace(b"\n", b"\r\n"),
        POST_BYTES.replace(b"\n", b"\r"),
        b"\xef\xbb\xbf" + POST_BYTES.replace(b"\n", b"\r\n"),
    ],
    ids=["lf", "bom", "crlf", "cr", "bom-crlf"],
)
def test_bom_and_line_endings(tmp_path: Path, site: Site, raw: bytes):
    path = tmp_path / "post.md"
    path.write_bytes(raw)
    post = load_post(path, site)
    assert post.title == "Café"
    assert post.date == datetime(2025, 1, 1, tzinfo=UTC)
    assert post.body == "first line\nsecond line\n"
    assert "\r" not in post.body and "\ufeff" not in post.body


def test_xml_forbidden_characters_removed(tmp_path: Path, site: Site):
    forbidden = "\x00\x01\x08\x0b\x0c\x0e\x1f\ufffe\uffff"
    raw = f"---\ntitle: A{forbidden}B\ndate: 2025-01-01\n---\nx{forbidden}y\ttab\n".encode()
    path = tmp_path / "post.md"
    path.write_bytes(raw)
    post = load_post(path, site)
    assert post.title == "AB"
    assert post.body == "xy\ttab\n"


@pytest.mark.parametrize(
    ("raw", "offset", "line"),
    [
        (b"---\ntitle: x\n---\n\xff\n", 17, 4),
        (b"\xef\xbb\xbf---\ntitle: caf\xe9\n---\n", 17, 2),
        (b"\xc3", 0, 1),
    ],
)
def test_non_utf8_names_offset_and_line(tmp_path: Path, site: Site, raw: bytes, offset: int, line: int):
    path = tmp_path / "latin1.md"
    path.write_bytes(raw)
    with pytest.raises(PostError) as caught:
        load_post(path, site)
    assert caught.value.line == line
    assert f"byte offset {offset}" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert "UTF-8" in str(caught.value)


# -- front matter --------------------------------------------------------------------------------


def test_empty_front_matter_takes_date_and_title_from_file_name(posts_dir: Path, site: Site):
    post = load(posts_dir, site, None, name="2025-08-20-date-from-the-file-name.md")
    assert post.title == "Date From The File Name"
    assert post.slug == "date-from-the-file-name"
    assert post.date == datetime(2025, 8, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: ok\nbad: [unclosed\nnext: 1\n---\n", None),
        ("---\n\n\ntitle: ok\nkey: a: b\n---\n", 5),
        ("---\ntitle: ok\ndate: 2025-01-01\ntags:\n  - a\n - b\n---\n", None),
        ("---   \ntitle: ok\nkey: value: other\n---\n", 3),
        ("---\ntitle: 'unterminated\n---\nbody\n", None),
    ],
)
def test_yaml_errors_report_the_line_in_the_file(tmp_path: Path, site: Site, text: str, line: int | None):
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PostError) as caught:
        load_post(path, site)
    error = caught.value
    assert "invalid YAML" in error.message
    assert error.line is not None
    assert 2 <= error.line <= text.count("\n")
    if line is not None:
        assert error.line == line


def test_front_matter_keys_are_kept(posts_dir: Path, site: Site):
    post = load(posts_dir, site, {"title": "t", "date": "2025-01-01", "layout": "post", "reading_time": 8})
    assert post.front_matter["layout"] == "post"
    assert post.front_matter["reading_time"] == 8


def test_body_keeps_later_dashes(posts_dir: Path, site: Site):
    post = load(posts_dir, site, {"title": "t", "date": "2025-01-01"}, body="a\n\n---\n\nb\n---END---\n")
    assert post.body == "a\n\n---\n\nb\n---END---\n"


# -- title ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_value", "title"),
    [
        ("Plain text", "Plain text"),
        ("'quoted: with colon'", "quoted: with colon"),
        ("42", "42"),
        ("3.5", "3.5"),
        ("true", "true"),
        ("false", "false"),
        ("2025-10-08", "2025-10-08"),
        ('"  many   spaces\\n and lines "', "many spaces and lines"),
        ("日本語のタイトル", "日本語のタイトル"),
    ],
)
def test_title_scalars_become_text(posts_dir: Path, site: Site, yaml_value: str, title: str):
    post = load(posts_dir, site, f"title: {yaml_value}\ndate: 2025-01-01")
    assert post.title == title


@pytest.mark.parametrize("yaml_value", ["", "''", "null", "'   '"])
def test_missing_or_empty_title_comes_from_slug(posts_dir: Path, site: Site, yaml_value: str):
    name = "2025-08-20-date-from-the-file-name.md"
    post = load(posts_dir, site, f"title: {yaml_value}", name=name)
    assert post.title == "Date From The File Name"


def test_title_from_front_matter_slug(posts_dir: Path, site: Site):
    post = load(posts_dir, site, "slug: my-custom-slug\ndate: 2025-01-01", name="whatever.md")
    assert post.slug == "my-custom-slug"
    assert post.title == "My Custom Slug"


@pytest.mark.parametrize(("yaml_value", "kind"), [("[a, b]", "list"), ("{en: Hi}", "mapping")])
def test_title_list_or_mapping_is_an_error(posts_dir: Path, site: Site, yaml_value: str, kind: str):
    error = error_of(posts_dir, site, f"date: 2025-01-01\nlayout: post\ntitle: {yaml_value}")
    assert error.line == 4
    assert error.message.startswith("title:")
    assert kind in error.message


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("2025-10-08 08:40:48 +0000", datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)),
        ('"2025-10-08 08:40:48 +0000"', datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)),
        ("2025-10-08T08:40:48Z", datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)),
        ("2025-10-08T17:40:48+09:00", datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)),
        ("'2025-10-08T04:40:48-04:00'", datetime(2025, 10, 8, 8, 40, 48, tzinfo=UTC)),
        ("2025-10-08", datetime(2025, 10, 8, tzinfo=UTC)),
        ("'2025-10-08'", datetime(2025, 10, 8, tzinfo=UTC)),
    ],
)
def test_date_forms(posts_dir: Path, site: Site, yaml_value: str, expected: datetime):
    post = load(posts_dir, site, f"title: t\ndate: {yaml_value}")
    assert post.date == expected
    assert post.date.utcoffset() is not None
    assert post.updated == post.date


def test_offsets_are_kept(posts_dir: Path, site: Site):
    post = load(posts_dir, site, "title: t\ndate: 2025-09-15T18:30:00+02:00")
    assert post.date.isoformat() == "2025-09-15T18:30:00+02:00"
    post = load(posts_dir, site, "title: t\ndate: 2025-10-08 08:40:48 +0000")
    assert post.date.isoformat() == "2025-10-08T08:40:48+00:00"


@pytest.mark.parametrize(
    "yaml_value", ["2025-10-01 09:00:00", "'2025-10-01 09:00:00'", "2025-10-01T09:00:00"]
)
def test_naive_times_are_in_the_site_timezone(posts_dir: Path, tokyo_site: Site, yaml_value: str):
    post = load(posts_dir, tokyo_site, f"title: t\ndate: {yaml_value}")
    assert post.date == datetime(2025, 10, 1, 9, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert post.date.utcoffset() == timedelta(hours=9)


def test_date_alone_is_midnight_in_the_site_timezone(posts_dir: Path, tokyo_site: Site):
    post = load(posts_dir, tokyo_site, "title: t\ndate: 2025-11-05")
    assert post.date.isoformat() == "2025-11-05T00:00:00+09:00"


def test_file_name_date_is_midnight_in_the_site_timezone(posts_dir: Path, tokyo_site: Site):
    post = load(posts_dir, tokyo_site, "title: t", name="2025-08-20-x.md")
    assert post.date.isoformat() == "2025-08-20T00:00:00+09:00"


def test_front_matter_date_wins_over_file_name(posts_dir: Path, site: Site):
    post = load(posts_dir, site, "title: t\ndate: 2024-02-03", name="2025-08-20-x.md")
    assert post.date == datetime(2024, 2, 3, tzinfo=UTC)
    assert post.slug == "x"


@pytest.mark.parametrize("name", ["no-date.md", "2025-02-30-impossible.md", "2025-1-2-short.md"])
def test_no_date_anywhere_is_an_error(posts_dir: Path, site: Site, name: str):
    error = error_of(posts_dir, site, "title: t", name=name)
    assert "no date" in error.message


@pytest.mark.parametrize(
    "yaml_value",
    ["'2024-13-45'", "hello", "October 2025", "'10:30'", "[2025, 10, 8]", "{year: 2025}", "true", "20251008"],
)
def test_invalid_dates_name_the_key_and_line(posts_dir: Path, site: Site, yaml_value: str):
    error = error_of(posts_dir, site, f"title: t\nlayout: post\ndate: {yaml_value}", name="2025-01-01-x.md")
    assert error.line == 4
    assert error.message.startswith("date:")


@pytest.mark.parametrize(
    "yaml_value",
    [
        "'0999-12-31'",
        "0999-12-31",
        "'10000-01-01'",
        "'1000-01-01 00:30:00 +01:00'",
        "9999-12-31 23:00:00 -05:00",
    ],
)
def test_years_outside_1000_9999_are_errors(posts_dir: Path, site: Site, yaml_value: str):
    error = error_of(posts_dir, site, f"title: t\ndate: {yaml_value}")
    assert error.line == 3
    assert "date" in error.message


@pytest.mark.parametrize("yaml_value", ["1000-01-01", "'1000-01-01 12:00:00 +0000'", "5000-06-15"])
def test_years_inside_the_range_load(posts_dir: Path, site: Site, yaml_value: str):
    post = load(posts_dir, site, f"title: t\ndate: {yaml_value}")
    assert 1000 <= post.date.year <= 9999


def test_year_9998_is_the_last_year_accepted(posts_dir: Path, site: Site):
    # 9999 is refused: converting its last day to another offset leaves datetime's range.
    post = load(posts_dir, site, "title: t\ndate: 9998-06-01")
    assert post.date == datetime(9998, 6, 1, tzinfo=UTC)
    with pytest.raises(PostError, match="1000 and 9998"):
        load(posts_dir, site, "title: t\ndate: 9999-06-01")


@pytest.mark.parametrize("key", ["last_modified_at", "updated"])
def test_updated(posts_dir: Path, site: Site, key: str):
    post = load(posts_dir, site, f"title: t\ndate: 2025-01-01\n{key}: 2025-02-03 04:05:06 +0100")
    assert post.updated == datetime(2025, 2, 3, 3, 5, 6, tzinfo=UTC)
    assert post.date == datetime(2025, 1, 1, tzinfo=UTC)


def test_last_modified_at_wins_over_updated(posts_dir: Path, site: Site):
    post = load(
        posts_dir, site, "title: t\ndate: 2025-01-01\nupdated: 2025-01-02\nlast_modified_at: 2025-01-03"
    )
    assert post.updated == datetime(2025, 1, 3, tzinfo=UTC)


# -- drafts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_lines", "draft"),
    [
        ("", False),
        ("published: true", False),
        ("published: false", True),
        ("published: no", True),
        ("draft: true", True),
        ("draft: false", False),
        ("published: true\ndraft: true", True),
        ("published: false\ndraft: false", True),
    ],
)
def test_drafts(posts_dir: Path, site: Site, yaml_lines: str, draft: bool):
    post = load(posts_dir, site, f"title: t\ndate: 2025-01-01\n{yaml_lines}")
    assert post.draft is draft


@pytest.mark.parametrize(
    ("key", "yaml_value"),
    [("published", "'false'"), ("published", "0"), ("draft", "'yes please'"), ("draft", "[true]")],
)
def test_non_boolean_draft_flags_are_errors(posts_dir: Path, site: Site, key: str, yaml_value: str):
    error = error_of(posts_dir, site, f"title: t\ndate: 2025-01-01\n{key}: {yaml_value}")
    assert error.line == 4
    assert error.message.startswith(f"{key}:")


# -- categories and tags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_lines", "categories", "tags"),
    [
        ("tags: [a, b]", (), ("a", "b")),
        ("tags: 'python, feeds, release notes'", (), ("python", "feeds", "release notes")),
        ("tags: フィード RSS Atom", (), ("フィード", "RSS", "Atom")),
        ("tag: single", (), ("single",)),
        ("tags: 2025", (), ("2025",)),
        ("tags: [1, true, 2.5, null, '', ' spaced ']", (), ("1", "true", "2.5", "spaced")),
        ("tags: [b, a, b, a]", (), ("b", "a")),
        ("tags: 'a,,b, a'", (), ("a", "b")),
        ("tag: x\ntags: [y, x]", (), ("x", "y")),
        ("categories: [投資分析]", ("投資分析",), ()),
        ("category: guides", ("guides",), ()),
        ("categories: 'one two'", ("one", "two"), ()),
        ("category: a\ncategories: [b, a]", ("a", "b"), ()),
        ("categories: []\ntags: []", (), ()),
    ],
)
def test_categories_and_tags(posts_dir: Path, site: Site, yaml_lines: str, categories, tags):
    post = load(posts_dir, site, f"title: t\ndate: 2025-01-01\n{yaml_lines}")
    assert post.categories == categories
    assert post.tags == tags


@pytest.mark.parametrize(
    ("key", "yaml_value"),
    [
        ("tags", "[[a, b]]"),
        ("tags", "[{a: 1}]"),
        ("tag", "{a: 1}"),
        ("categories", "[a, [b]]"),
        ("category", "{name: x}"),
    ],
)
def test_nested_terms_are_errors(posts_dir: Path, site: Site, key: str, yaml_value: str):
    error = error_of(posts_dir, site, f"title: t\ndate: 2025-01-01\n{key}: {yaml_value}")
    assert error.line == 4
    assert error.message.startswith(f"{key}:")


# -- authors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_lines", "authors"),
    [
        ("author: Ada Example", (Author("Ada Example"),)),
        ("author: '  Ada  '", (Author("Ada"),)),
        ("authors: Ada Example", (Author("Ada Example"),)),
        (
            "author: {name: Ada, email: ada@example.com, uri: 'https://example.com/ada/'}",
            (Author("Ada", "ada@example.com", "https://example.com/ada/"),),
        ),
        (
            "author: [Ada, {name: Grace, uri: 'http://example.org/g'}]",
            (Author("Ada"), Author("Grace", None, "http://example.org/g")),
        ),
        ("author: [ALLFORCES編集部]", (Author("ALLFORCES編集部"),)),
        ("author: ''", ()),
        ("", ()),
    ],
)
def test_authors(posts_dir: Path, site: Site, yaml_lines: str, authors):
    post = load(posts_dir, site, f"title: t\ndate: 2025-01-01\n{yaml_lines}")
    assert post.authors == authors


@pytest.mark.parametrize(
    ("yaml_value", "fragment"),
    [
        ("{name: Ada, email: not-an-address}", "not-an-address"),
        ("{name: Ada, email: 'a@b'}", "a@b"),
        ("{name: Ada, uri: /about/}", "/about/"),
        ("{name: Ada, uri: 'ftp://example.com/'}", "ftp://example.com/"),
        ("{email: ada@example.com}", "name"),
        ("{name: ''}", "name"),
        ("'   '", "name"),
        ("42", "int"),
        ("[Ada, [Grace]]", "list"),
        ("{name: [Ada]}", "name"),
    ],
)
def test_invalid_authors_are_errors(posts_dir: Path, site: Site, yaml_value: str, fragment: str):
    error = error_of(posts_dir, site, f"title: t\ndate: 2025-01-01\nauthor: {yaml_value}")
    assert error.line == 4
    assert error.message.startswith("author:")
    assert fragment in error.message


# -- excerpt, permalink, id ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["excerpt", "summary", "description"])
def test_excerpt_keys(posts_dir: Path, site: Site, key: str):
    post = load(posts_dir, site, f"title: t\ndate: 2025-01-01\n{key}: 'An **excerpt**'")
    assert post.excerpt == "An **excerpt**"


def test_no_excerpt(posts_dir: Path, site: Site):
    assert load(posts_dir, site, "title: t\ndate: 2025-01-01").excerpt is None


def test_permalink_and_id(posts_dir: Path, site: Site):
    post = load(
        posts_dir, site, "title: t\ndate: 2025-01-01\npermalink: /about/\nid: 'tag:example.com,2025:1'"
    )
    assert post.permalink == "/about/"
    assert post.id == "tag:example.com,2025:1"


# -- load_posts ----------------------------------------------------------------------------------


def test_load_posts_reads_all_sorted(posts_dir: Path, site: Site):
    write_post(posts_dir, "b.md", "title: B\ndate: 2025-01-02")
    write_post(posts_dir, "a.md", "title: A\ndate: 2025-01-03")
    write_post(posts_dir, "sub/c.txt", "title: C\ndate: 2025-01-01")
    posts = load_posts(posts_dir, site)
    assert [post.title for post in posts] == ["A", "B", "C"]


def test_load_posts_reports_every_invalid_file(posts_dir: Path, site: Site):
    write_post(posts_dir, "good.md", "title: Good\ndate: 2025-01-01")
    write_post(posts_dir, "bad-date.md", "title: t\ndate: hello")
    write_post(posts_dir, "bad-title.md", "title: [x]\ndate: 2025-01-01")
    (posts_dir / "no-front-matter.md").write_text("hello\n", encoding="utf-8")
    with pytest.raises(PostErrors) as caught:
        load_posts(posts_dir, site)
    paths = [error.path.name for error in caught.value.errors]
    assert paths == ["bad-date.md", "bad-title.md", "no-front-matter.md"]
    assert all(str(error) in str(caught.value) for error in caught.value.errors)


def test_load_posts_on_error_skips_invalid(posts_dir: Path, site: Site):
    write_post(posts_dir, "good.md", "title: Good\ndate: 2025-01-01")
    write_post(posts_dir, "bad.md", "title: t\ndate: hello")
    seen: list[PostError] = []
    posts = load_posts(posts_dir, site, on_error=seen.append)
    assert [post.title for post in posts] == ["Good"]
    assert [error.path.name for error in seen] == ["bad.md"]
    assert seen[0].line == 3


def test_load_posts_missing_folder(tmp_path: Path, site: Site):
    with pytest.raises(ConfigError):
        load_posts(tmp_path / "missing", site)


def test_unreadable_file_is_a_post_error(posts_dir: Path, site: Site, monkeypatch: pytest.MonkeyPatch):
    path = write_post(posts_dir, "post.md", "title: t\ndate: 2025-01-01")

    def refuse(name: str, mode: str) -> bytes:
        raise PermissionError(13, "Permission denied", name)

    # Tests run as root here, where file modes do not stop reads: refuse the open instead.
    monkeypatch.setattr(feedlib.posts, "open", refuse, raising=False)
    with pytest.raises(PostError) as caught:
        load_post(path, site)
    assert str(caught.value).startswith(str(path))
    assert "Permission denied" in str(caught.value)


def test_a_build_that_parses_nothing_imports_neither_pyyaml_nor_python_frontmatter():
    # A build whose posts all come from its cache never reads front matter,
    # so it should not pay for importing what reads it.
    code = "import sys, feedlib.build; print(sorted({'yaml', 'frontmatter'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- known bugs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "line"),
    [("title: t\ndate: !!timestamp hello", 3), ("date: 2025-01-01\ntitle: !!bool maybe", 3)],
)
def test_explicit_yaml_tags_with_bad_values_are_post_errors(
    posts_dir: Path, site: Site, yaml_text: str, line: int
):
    assert error_of(posts_dir, site, yaml_text).line == line


def test_fences_are_the_ones_python_frontmatter_detects() -> None:
    from frontmatter.default_handlers import YAMLHandler

    from feedlib import frontmatter

    assert frontmatter.YAMLHandler.fence.pattern == YAMLHandler.FM_BOUNDARY.pattern
    assert frontmatter.YAMLHandler.fence.flags == YAMLHandler.FM_BOUNDARY.flags


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("alias.md", "---\ntitle: A\nx: &a [*a]\n---\nbody\n", "contains itself"),
        ("mapping.md", "---\ntitle: A\nx: &a {y: *a}\n---\nbody\n", "contains itself"),
        (
            "deep.md",
            "{" + '"a":' + "[" * 100_000 + "]" * 100_000 + "}\nbody\n",
            "JSON front matter nests too deeply",
        ),
        (
            "deep-toml.md",
            "+++\nx = " + "[" * 100_000 + "]" * 100_000 + "\n+++\nbody\n",
            "TOML front matter nests",
        ),
    ],
)
def test_front_matter_that_cannot_end_is_a_post_error(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / f"2025-01-01-{name}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PostError, match=message) as caught:
        load_post(path, Site(url="https://example.com/", title="t"))
    assert caught.value.path == path

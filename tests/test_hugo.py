"""Hugo-style front matter: TOML between +++ lines and JSON objects, with Hugo's keys."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import DATA, NOW, run_main

from feedlib import PostError, Site, load_post, load_posts
from feedlib.frontmatter import post_body
from feedlib.posts import decode_post, parse_post
from feedlib.urls import post_url

HUGO = DATA / "hugo"
JST = timezone(timedelta(hours=9))


def test_toml_front_matter_with_hugo_keys(site: Site):
    post = load_post(HUGO / "toml-post.md", site)
    assert post.title == "A Hugo post in TOML"
    assert post.date == datetime(2025, 4, 1, 10, tzinfo=JST)
    assert post.updated == datetime(2025, 4, 2, 8, tzinfo=JST)  # lastmod
    assert post.excerpt == "What this post is about, in *Markdown*."  # summary
    assert post.slug == "toml-slug"
    assert post.permalink == "/articles/toml-post/"  # url
    assert post_url(post, site) == "https://example.com/blog/articles/toml-post/"
    assert post.tags == ("hugo", "toml")
    assert post.categories == ("notes",)
    assert not post.draft
    assert post.front_matter["params"] == {"mood": "calm"}
    assert post.body.startswith("The body of the TOML post.")
    assert "+++ is not a fence" in post.body


def test_json_front_matter_with_hugo_keys(site: Site):
    post = load_post(HUGO / "json-post.md", site)
    assert post.title == "A Hugo post in JSON"
    assert post.updated == datetime(2025, 4, 4, 8, tzinfo=JST)
    assert post.excerpt == "The JSON post's summary."
    assert post.slug == "json-slug"
    assert post.front_matter["params"]["note"].startswith("a } in a string")
    assert post.body == "The body of the JSON post.\n"


def test_json_on_one_line_and_draft(site: Site):
    post = load_post(HUGO / "json-one-line.md", site)
    assert post.title == "One line of JSON"
    assert post.draft
    assert post.body == "A draft, in JSON on one line.\n"


def test_hugo_keys_in_yaml(site: Site):
    post = load_post(HUGO / "yaml-hugo-keys.md", site)
    assert post.updated.date().isoformat() == "2025-04-07"
    assert post.permalink == "/yaml/hugo-keys/"


@pytest.mark.parametrize("name", ["toml-post.md", "json-post.md", "json-one-line.md", "yaml-hugo-keys.md"])
def test_post_body_cuts_every_kind_of_front_matter_like_parse_post(name: str, site: Site):
    path = HUGO / name
    text = decode_post(path, path.read_bytes())
    assert post_body(path, text) == parse_post(path, text, site).body


def test_front_matter_handlers_detect_split_and_load(tmp_path: Path):
    from feedlib.frontmatter import HANDLERS, JSONHandler, TOMLHandler, YAMLHandler

    assert [type(handler) for handler in HANDLERS] == [YAMLHandler, TOMLHandler, JSONHandler]
    path = tmp_path / "post.md"
    toml, json = TOMLHandler(), JSONHandler()
    assert toml.detect('+++\ntitle = "t"\n+++\nBody.\n')
    assert toml.split(path, '+++\ntitle = "t"\n+++\nBody.\n') == ('\ntitle = "t"\n', 1, "Body.\n")
    assert toml.load(path, 'title = "t"', 2) == {"title": "t"}
    assert json.detect('{"title": "}"} Body.')
    assert json.split(path, '{"title": "}"} Body.') == ('{"title": "}"}', 1, " Body.")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('+++\ntitle = "x"\ntitle = "y"\n+++\nBody.\n', 3, "invalid TOML"),
        ("+++\n+++\nBody.\n", None, "no date"),
        ('{\n  "title": "x",\n  "date": 2025-01-01\n}\nBody.\n', 3, "invalid JSON"),
        ('+++\ntitle = "x"\ndate = 2025-01-01\ntags = [{a = 1}]\n+++\n', 4, "tags"),
        ('{"title": ["a"], "date": "2025-01-01"}\n', 1, "title"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, site: Site, text: str, line: int | None, message: str):
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PostError) as caught:
        load_post(path, site)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}")


def test_json_front_matter_must_be_an_object_at_the_top(tmp_path: Path, site: Site):
    path = tmp_path / "2025-01-01-list.md"
    path.write_text('["not", "an object"]\nBody.\n', encoding="utf-8")
    with pytest.raises(PostError, match="no front matter"):
        load_post(path, site)


def _build(project: Path, *extra: str) -> bytes:
    assert run_main("build", "--config", project / "feedlib.toml", "--now", NOW, "--quiet", *extra) == 0
    return (project / "public" / "feed.xml").read_bytes()


def test_cached_builds_of_toml_and_json_posts_match_uncached(tmp_path: Path):
    posts = tmp_path / "posts"
    shutil.copytree(HUGO, posts)
    (tmp_path / "feedlib.toml").write_text(
        '[site]\nurl = "https://example.com/"\ntitle = "Hugo"\n[build]\nposts = "posts"\nout = "public"\n',
        encoding="utf-8",
    )
    fresh = _build(tmp_path, "--no-cache")
    (tmp_path / "public" / "feed.xml").unlink()
    cold = _build(tmp_path)
    (tmp_path / "public" / "feed.xml").unlink()
    warm = _build(tmp_path)  # posts and renderings from the cache: nothing parsed or rendered
    assert fresh == cold == warm
    assert b"The body of the TOML post." in warm
    assert b"The body of the JSON post." in warm
    assert len(load_posts(posts, Site(url="https://example.com/", title="Hugo"))) == 4

"""feedlib.entries: which posts a feed shows (select_posts) and what it shows of each (to_entry)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import check_feed, relative_links, write_post

from feedlib import (
    Author,
    FeedlibError,
    Post,
    PostError,
    PostErrors,
    Site,
    load_post,
    record_of,
    render_entries,
    render_feed,
)
from feedlib import select_posts as select_records
from feedlib import to_entry as make_entry
from feedlib.config import DEFAULT_LIMIT
from feedlib.render import markdown_renderer

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def post(name: str, day: int, **fields) -> Post:
    moment = datetime(2025, 1, day, 12, tzinfo=UTC)
    values = {
        "path": Path("posts") / name,
        "title": name,
        "date": moment,
        "updated": moment,
        "slug": Path(name).stem,
        "body": f"Body of {name}.",
    }
    values.update(fields)
    return Post(**values)


def select_posts(
    posts: Iterable[Post], site: Site, *, limit: int | None = DEFAULT_LIMIT, **options: Any
) -> list[Post]:
    """:func:`feedlib.select_posts` of these posts' records, as posts."""
    records = select_records([record_of(post, site) for post in posts], limit=limit, **options)
    return [record.post for record in records if record.post is not None]


# -- select_posts --------------------------------------------------------------------------------


def test_newest_first_and_drafts_and_future_left_out(site: Site):
    posts = [
        post("old.md", 1),
        post("draft.md", 5, draft=True),
        post("new.md", 3),
        post("future.md", 20),
        post("mid.md", 2),
    ]
    selected = select_posts(posts, site, now=datetime(2025, 1, 10, tzinfo=UTC), limit=None)
    assert [p.title for p in selected] == ["new.md", "mid.md", "old.md"]


def test_now_is_inclusive_and_compares_instants(site: Site):
    moment = datetime(2025, 1, 3, 12, tzinfo=UTC)
    same_instant = moment.astimezone(timezone(timedelta(hours=9)))
    assert [p.title for p in select_posts([post("a.md", 3)], site, now=same_instant)] == ["a.md"]
    assert select_posts([post("a.md", 3)], site, now=moment - timedelta(seconds=1)) == []


def test_default_now_is_the_clock(site: Site, freeze_clock):
    posts = [post("a.md", 1), post("b.md", 20)]
    freeze_clock(datetime(2025, 1, 10, tzinfo=UTC))
    assert [p.title for p in select_posts(posts, site)] == ["a.md"]
    freeze_clock(datetime(2025, 2, 1, tzinfo=UTC))
    assert [p.title for p in select_posts(posts, site)] == ["b.md", "a.md"]


def test_ties_are_broken_by_source_path(site: Site):
    moment = datetime(2025, 1, 1, 12, tzinfo=UTC)
    tokyo = moment.astimezone(timezone(timedelta(hours=9)))
    posts = [post("c.md", 1), post("a.md", 1, date=tokyo), post("b.md", 1)]
    assert [p.title for p in select_posts(posts, site, now=NOW)] == ["a.md", "b.md", "c.md"]
    assert [p.title for p in select_posts(reversed(posts), site, now=NOW)] == ["a.md", "b.md", "c.md"]


def test_limit(site: Site):
    posts = [post(f"p{day:02d}.md", day) for day in range(1, 31)]
    assert len(select_posts(posts, site, now=NOW)) == DEFAULT_LIMIT == 20
    assert [p.title for p in select_posts(posts, site, now=NOW, limit=2)] == ["p30.md", "p29.md"]
    assert len(select_posts(posts, site, now=NOW, limit=None)) == 30


def test_same_url_names_both_files(site: Site):
    first = post("a.md", 1, permalink="/same/")
    second = post("b.md", 2, permalink="/same/")
    with pytest.raises(PostErrors) as caught:
        select_posts([second, first], site, now=NOW)
    (error,) = caught.value.errors
    assert error.path == second.path
    assert str(first.path) in str(error)
    assert "https://example.com/blog/same/" in str(error)


def test_same_id_names_both_files(site: Site):
    first = post("a.md", 1, id="tag:example.com,2025:1")
    second = post("b.md", 2, id="tag:example.com,2025:1")
    with pytest.raises(PostErrors) as caught:
        select_posts([first, second], site, now=NOW)
    (error,) = caught.value.errors
    assert error.path == second.path
    assert str(first.path) in error.message
    assert "tag:example.com,2025:1" in error.message


def test_clash_with_on_error_leaves_the_later_file_out(site: Site):
    first = post("a.md", 1, permalink="/same/")
    second = post("b.md", 2, permalink="/same/")
    third = post("c.md", 3, permalink="/same/")
    seen: list[PostError] = []
    selected = select_posts([third, second, first], site, now=NOW, on_error=seen.append)
    assert [p.title for p in selected] == ["a.md"]
    assert [error.path for error in seen] == [second.path, third.path]


def test_drafts_and_future_posts_never_clash(site: Site):
    posts = [
        post("a.md", 1, permalink="/same/"),
        post("b.md", 2, permalink="/same/", draft=True),
        post("c.md", 3, permalink="/same/", date=datetime(2030, 1, 1, tzinfo=UTC)),
    ]
    assert [p.title for p in select_posts(posts, site, now=NOW)] == ["a.md"]


# -- to_entry ------------------------------------------------------------------------------------


def test_to_entry_fields(site: Site):
    source = post(
        "2025-01-05-hello.md",
        5,
        title="Hello & <goodbye>",
        body="See [the other post](other.html) and ![img](/i.png).\n\nSecond paragraph.",
        categories=("Guides",),
        tags=("python", "Guides", "feeds"),
        updated=datetime(2025, 2, 1, tzinfo=UTC),
        authors=(Author("Ada", "ada@example.com"),),
    )
    entry = make_entry(source, site)
    url = "https://example.com/blog/guides/2025/01/05/2025-01-05-hello.html"
    assert entry.url == url
    assert entry.id == url
    assert entry.title == "Hello & <goodbye>"
    assert entry.published == source.date
    assert entry.updated == datetime(2025, 2, 1, tzinfo=UTC)
    assert entry.authors == (Author("Ada", "ada@example.com"),)
    assert entry.categories == ("Guides", "python", "feeds")
    assert entry.summary == "See the other post and img."
    assert 'href="https://example.com/blog/guides/2025/01/05/other.html"' in entry.content_html
    assert 'src="https://example.com/i.png"' in entry.content_html
    assert relative_links(entry.content_html) == []
    assert entry.source == source.path


def test_authors_fall_back_to_site_then_site_title(site: Site):
    with_site_author = replace(site, authors=(Author("Site Author"),))
    assert make_entry(post("a.md", 1), with_site_author).authors == (Author("Site Author"),)
    assert make_entry(post("a.md", 1), site).authors == (Author("Example Blog"),)


def test_summary_uses_site_summary_length(site: Site):
    body = "x" * 1000
    assert len(make_entry(post("a.md", 1, body=body), replace(site, summary_length=40)).summary) == 40


def test_markdown_extensions_from_the_site(site: Site):
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    assert "<table>" in make_entry(post("a.md", 1, body=table), site).content_html
    assert (
        "<table>"
        not in make_entry(post("a.md", 1, body=table), replace(site, markdown_extensions=())).content_html
    )


def test_to_entry_reads_neither_disk_nor_clock(tmp_path: Path, site: Site, freeze_clock):
    path = write_post(tmp_path, "2025-01-05-x.md", "title: T\ndate: 2025-01-05", body="[a](b.html)")
    loaded = load_post(path, site)
    path.unlink()
    freeze_clock(datetime(1999, 1, 1, tzinfo=UTC))
    first = make_entry(loaded, site)
    freeze_clock(datetime(2099, 1, 1, tzinfo=UTC))
    assert make_entry(loaded, site) == first


def test_render_entries_of_selected_records(site: Site):
    posts = [post("a.md", 1), post("b.md", 2, draft=True), post("c.md", 3)]
    records = [record_of(one, site) for one in posts]
    entries = render_entries(select_records(records, now=NOW), site)
    assert [entry.title for entry in entries] == ["c.md", "a.md"]
    assert render_entries(select_records(records, now=NOW, limit=1), site)[0].title == "c.md"


def test_xml_forbidden_characters_from_yaml_escapes_are_dropped(tmp_path: Path, site: Site):
    front_matter = (
        'title: "A\\x01B"\ndate: 2025-01-01\ntags: ["t\\x02", "\\x03"]\n'
        'author: {name: "Ada\\x04", email: "ada@example.com"}\nid: "tag:example.com,2025:\\x05x"'
    )
    entry = make_entry(load_post(write_post(tmp_path, "p.md", front_matter), site), site)
    assert entry.title == "AB"
    assert entry.categories == ("t",)
    assert entry.authors == (Author("Ada", "ada@example.com"),)
    assert entry.id == "tag:example.com,2025:x"


# -- known bugs ----------------------------------------------------------------------------------


def entry_or_feedlib_error(source: Post, site: Site) -> None:
    try:
        entry = make_entry(source, site)
    except FeedlibError as error:
        assert str(source.path) in str(error)
    else:
        assert relative_links(entry.content_html) == []


def test_malformed_url_in_body(site: Site):
    entry_or_feedlib_error(post("a.md", 1, body="A [broken link](http://[::1/) here."), site)


@pytest.mark.parametrize("fields", [{"permalink": "http://[::1/x"}, {"id": "http://[::1/x"}])
def test_malformed_url_in_front_matter(site: Site, fields: dict):
    entry_or_feedlib_error(post("a.md", 1, **fields), site)


@pytest.fixture
def fresh_renderer():
    """Drop the cached Markdown instance afterwards: a failed conversion can leave it broken."""
    markdown_renderer.cache_clear()
    yield
    markdown_renderer.cache_clear()


def test_deeply_nested_markdown(site: Site, fresh_renderer):
    entry_or_feedlib_error(post("a.md", 1, body="* " * 1000 + "x"), site)


def test_a_failed_conversion_does_not_break_later_posts(site: Site, fresh_renderer):
    good = post("good.md", 1, body="Some **bold** text.")
    assert make_entry(good, site).content_html == "<p>Some <strong>bold</strong> text.</p>"
    with contextlib.suppress(RecursionError, FeedlibError):
        make_entry(post("deep.md", 2, body="* " * 1000 + "x"), site)
    assert make_entry(good, site).content_html == "<p>Some <strong>bold</strong> text.</p>"


@pytest.mark.parametrize("fmt", ["atom"])  # RSS copes: the item keeps its description
def test_title_of_only_forbidden_characters(tmp_path: Path, site: Site, fmt: str):
    path = write_post(tmp_path, "2025-01-05-x.md", 'title: "\\x01\\ufffe"\ndate: 2025-01-05')
    try:
        entry = make_entry(load_post(path, site), site)
        data = render_feed(site, [entry], fmt)
    except FeedlibError as error:
        assert str(path) in str(error)
    else:
        check_feed(data, fmt, entries=[entry])

"""Entry links and ids lead into the site: values.off_site, and the post errors that name the key's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedlib import PostError, Site, load_post
from feedlib.values import off_site

BASE = "https://example.com/blog/"
SITE = Site(url=BASE, title="T")


@pytest.mark.parametrize(
    "url",
    [
        BASE + "2025/01/01/post.html",
        BASE + "%E6%97%A5%E6%9C%AC/post.html",  # Encoded text, no dot or slash in it.
        BASE + ".well-known/x",  # A segment that starts with a dot is not "." or "..".
        BASE + "a..b/c?q=../x#..",  # Dots in a segment, a query or a fragment lead nowhere.
    ],
)
def test_on_site(url: str) -> None:
    assert off_site(url, BASE) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("javascript:///%0Aalert(1)", "a javascript URL"),
        ("data://text/html,x", "a data URL"),
        ("https://evil.example/x", "outside the site"),
        ("https://example.com/other/x", "outside the site"),
        ("http://example.com/blog/x", "outside the site"),  # Another scheme is another site.
        (BASE + "../x", "'..' segment"),
        (BASE + "%2e%2E/x", "'..' segment"),
        (BASE + "a%2f..%2fb", "'..' segment"),  # An encoded slash hides the segment.
        (BASE + "..%5cx", "'..' segment"),  # Browsers read a backslash as a slash.
        (BASE + "x/.", "'..' segment"),
    ],
)
def test_off_site(url: str, words: str) -> None:
    problem = off_site(url, BASE)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('permalink: "https://evil.example/x.html"', "permalink"),
        ('url: "../../x.html"', "url"),
        ('id: "/%2e%2e/x"', "id"),
    ],
)
def test_a_post_error_names_the_key_and_its_line(tmp_path: Path, line: str, key: str) -> None:
    path = tmp_path / "2025-01-02-x.md"
    path.write_text(f"---\ntitle: X\n{line}\n---\nBody\n", encoding="utf-8")
    with pytest.raises(PostError) as caught:
        load_post(path, SITE)
    assert (caught.value.line, caught.value.message.split(":")[0]) == (3, key)


def test_tag_and_uuid_ids_are_no_links(tmp_path: Path) -> None:
    for ident in ("tag:example.com,2025:x", "urn:uuid:0f8fad5b-d9cb-4f8a-9c3a-5b4a6e0f2a1b"):
        path = tmp_path / "2025-01-02-x.md"
        path.write_text(f"---\ntitle: X\nid: {ident}\n---\nBody\n", encoding="utf-8")
        assert load_post(path, SITE).id == ident

"""What one post may cost: its size, Python-Markdown's quadratic corners, and HTML past libxml2's limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedlib.errors import PostError
from feedlib.limits import MAX_MARKDOWN_WORK, MAX_POST_BYTES, check_markdown_work, markdown_work
from feedlib.links import absolute_links
from feedlib.model import PostFile
from feedlib.posts import read_bytes
from feedlib.render import html_to_text, render_markdown


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "2025-01-01-huge.md"
    with path.open("wb") as file:
        file.truncate(MAX_POST_BYTES + 1)  # Sparse: nothing is written, and nothing must be read.
    with pytest.raises(PostError, match="larger than 10 MiB"):
        read_bytes(PostFile(path.name, str(path)))
    path.write_bytes(b"---\ntitle: T\n---\n")
    assert read_bytes(PostFile(path.name, str(path))).startswith(b"---")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20_000,  # Every "[" read to the end: Python-Markdown takes minutes.
        "[" * 10_000 + "]" * 10_000,  # Nested: each "[" read to its "]".
        "<a " * 20_000,  # Python's html.parser reads from each tag start to the next ">".
        "<http://" * 10_000,
        ("word " * 20_000 + "[ ") * 100,  # Stray "[" in a long paragraph.
        "for (i = 0; i<n; i++)\n\n" * 2000,  # "<x" and no ">" after: 1.5 s; 5 times: 40 s.
    ],
    ids=["brackets", "nested-brackets", "tag-starts", "autolink-starts", "stray-brackets", "code-as-prose"],
)
def test_quadratic_markdown_is_refused_before_rendering(text: str) -> None:
    assert markdown_work(text) > MAX_MARKDOWN_WORK
    with pytest.raises(ValueError, match="Python-Markdown"):
        render_markdown(text)
    render_markdown(text, renderer="commonmark") if _has_cmarkgfm() else None


def _has_cmarkgfm() -> bool:
    try:
        import cmarkgfm  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize(
    "text",
    [
        Path(__file__).parent.parent.joinpath("README.md").read_text(encoding="utf-8") * 20,
        "[a link](https://example.com) " * 20_000,
        ("A paragraph with a stray [ bracket, a <b>tag</b> and 1 < 2 in it.\n\n") * 20_000,
        "```\n" + "[" * 100_000 + "\n```\n",  # Work counted in code is far below the limit too.
    ],
    ids=["readme", "many-links", "many-short-paragraphs", "code"],
)
def test_ordinary_markdown_is_far_below_the_limit(text: str) -> None:
    assert markdown_work(text) < MAX_MARKDOWN_WORK // 2
    check_markdown_work(text)


def test_html_over_libxml2s_10_mb_limit_is_kept_whole() -> None:
    html = "<p>" + "word " * 2_400_000 + "</p><p><a href='tail.html'>TAIL</a></p>"
    linked = absolute_links(html, "https://example.com/blog/post.html")
    assert linked.endswith('<p><a href="https://example.com/blog/tail.html">TAIL</a></p>')
    assert html_to_text(html).endswith("word TAIL")


def test_html_nested_past_libxml2s_limit_is_an_error() -> None:
    html = "<div>" * 3000 + "x" + "</div>" * 3000 + "<p>TAIL</p>"
    with pytest.raises(ValueError, match="nest"):
        absolute_links(html, "https://example.com/")
    absolute_links("<div>" * 1000 + "x" + "</div>" * 1000, "https://example.com/")

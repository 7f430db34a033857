"""Links and summaries read from Python-Markdown's tree are the ones lxml reads from its HTML.

For every Markdown file of the tests, the bundled posts, a generated corpus
and generated Markdown, :func:`feedlib.mdtree.tree_render` is compared with
the lxml path (:func:`~feedlib.links.absolute_links` on Python-Markdown's HTML,
then the first paragraph read from it): the same summary, and HTML that lxml
reads as the same document. The HTML itself is Python-Markdown's where the tree
path is taken, so it is compared once lxml has written both again
(``&copy;`` as ``©``, ``&quot;`` in fenced code as ``"``, URLs as libxml2 writes them).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import feedlib
import feedlib.selection
from feedlib import FeedlibError, Site
from feedlib.entries import render_post
from feedlib.links import absolute_links, fragment, inner_html
from feedlib.mdtree import tree_render, tree_text
from feedlib.model import Post
from feedlib.render import _first_paragraph, html_to_text, render_markdown, summarize

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.com/blog/2025/10/11/post.html"
SITE = Site(url="https://example.com/blog/", title="Example")


def _written_again(html: str) -> str:
    """``html`` as lxml writes it: how two ways of writing the same HTML are compared."""
    return inner_html(fragment(html)) if html.strip() else ""


def _check(source: str, extensions: tuple[str, ...] = ("extra",), base: str = BASE) -> bool:
    """Compare both paths on ``source``; whether the tree path was taken."""
    html = render_markdown(source, extensions)
    text = tree_text(source, extensions)
    if text is not None:
        assert text == html_to_text(html)
    old = absolute_links(html, base)
    tree = tree_render(source, extensions, base)
    if tree.content is None:
        assert tree.html == html
        assert tree.first_paragraph is None
        return False
    assert _written_again(tree.content) == _written_again(old)
    if tree.first_paragraph is not None:
        assert tree.first_paragraph == _first_paragraph(old)
    return True


def _sources(folder: Path) -> list[str]:
    """Each Markdown file under ``folder``, whole (front matter read as Markdown too) and its post body."""
    sources = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".md", ".markdown", ".txt") or not path.is_file():
            continue
        try:
            sources.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
        with contextlib.suppress(FeedlibError, ValueError):
            sources.append(feedlib.load_post(path, SITE).body)
    return sources


@pytest.mark.parametrize("folder", ["tests", "posts"])
def test_every_bundled_markdown_file_reads_the_same(folder: str) -> None:
    sources = _sources(ROOT / folder)
    assert sources
    for source in sources:
        for extensions in (("extra",), ()):
            try:
                _check(source, extensions)
            except ValueError:
                continue  # Markdown too deep or too costly to render: both paths refuse it.


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate = ROOT / "benchmarks" / "generate.py"
    subprocess.run([sys.executable, str(generate), "--posts", "300", str(root)], check=True)
    return root


def test_a_generated_corpus_reads_the_same_and_takes_the_tree_path(corpus: Path) -> None:
    site = feedlib.load_config(corpus / "feedlib.toml").site
    paths = sorted((corpus / "posts").rglob("*.md"))
    taken = texts = 0
    for path in paths:
        post = feedlib.load_post(path, site)
        taken += _check(post.body, site.markdown_extensions, feedlib.selection.post_identity(post, site)[0])
        _check_post(post, site)
        before, more, _ = post.body.partition("<!--more-->")
        if more:
            texts += tree_text(before, site.markdown_extensions) is not None
    assert taken == len(paths)
    assert texts > 50


def _check_post(post: Post, site: Site) -> None:
    """render_post gives the summary, and the same HTML, as the lxml path."""
    url = feedlib.selection.post_identity(post, site)[0]
    old = absolute_links(render_markdown(post.body, site.markdown_extensions), url)
    rendered = render_post(post, site)
    assert _written_again(rendered.content_html) == _written_again(old)
    separator = post.excerpt_separator or "<!--more-->"
    summary = summarize(post.excerpt, post.body, old, site.summary_length, separator=separator)
    assert rendered.summary == summary


# --- generated Markdown ----------------------------------------------------------------------

URLS = [
    "",
    "x.html",
    "../up/x.png",
    "/root/y.png",
    "#part",
    "?q=1&r=2",
    "//cdn.example.org/y.png",
    "https://abs.example/a/../b",
    "mailto:a@example.com",
    "日本語/画像.png",
    "a&amp;b.png",
    "a&copy;b",
    "http://[::1",
    "sp%20ace.png",
]
WORDS = ["feed", "The", "日本語", "AT&T", "&copy;", "&amp;", "a<b", "**bold**", "_em_", "`a & b`", "`<x>`"]
WORDS += ["x\\*y", "--", "…", "🙂", '"q"', "1.", "  ", "\\<", "<b>b</b>", "<span class='s'>s</span>"]
WORDS += ["[^1]", "[ref][r]", "<https://example.org/a?b=1&c=2>", "<a@example.com>", "line  \nbreak"]
ALTS = ["", "A cat", "  ", "x & y", "&copy;", "a\nb", "画像"]

_url = st.sampled_from(URLS)
_inline = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda text, url: f"[{text}]({url})", st.sampled_from(["link", "", "a b"]), _url),
    st.builds(lambda alt, url: f"![{alt}]({url})", st.sampled_from(ALTS), _url),
    st.builds(lambda url: f'<img src="{url}" alt="raw">', _url),
    st.builds(lambda a, b: f'<img srcset="{a} 1x, {b} 2x" alt="set">', _url, _url),
    st.builds(lambda url: f'<a href="{url}">raw</a>', _url),
)
_paragraph = st.lists(_inline, min_size=1, max_size=6).map(" ".join)
_block = st.one_of(
    _paragraph,
    _paragraph.map(lambda text: f"## {text}"),
    _paragraph.map(lambda text: f"> {text}"),
    st.lists(_paragraph, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.sampled_from(["```python\nx = \"q\" & 'r' < 1\n```", '    indented <code> & "q"', "<!--more-->"]),
    st.sampled_from(["<div>\n<p>raw <a href='r.html'>block</a></p>\n</div>", "---", "<hr>"]),
    st.sampled_from(['<div markdown="1">\n[in](div.html)\n</div>', "| a | b |\n|---|---|\n| [c](c) | d |"]),
    st.sampled_from(["[^1]: A note [n](n.html).", "[r]: ref.html", "*[AT]: Atom", "{: #anchor }"]),
    st.builds(lambda url: f'![alt]({url}){{: srcset="{url} 2x" }}', _url),
    st.builds(lambda url: f"[a]({url}){{: data='{url}' }}", _url),
)


@given(st.lists(_block, max_size=6).map("\n\n".join))
@example("![A cat](cat.png) and ![a dog](dog.png).\n\nMore.")
@example("![only](a.png)\n\n&copy; words")
@example('```\n"q"\n```\n\nText [a](b c.html)')
def test_generated_markdown_reads_the_same(source: str) -> None:
    for extensions in (("extra",), ()):
        _check(source, extensions)


def test_text_is_read_in_the_tree() -> None:
    source = "Before [a](a.html), ![A cat](c.png) and `code`.\n\n- one\n- two\n\n![alone](x.png)"
    assert tree_text(source, ("extra",)) == "Before a, A cat and code. one two"
    assert tree_text("Plain words only.", ("extra",)) == "Plain words only."
    assert tree_text("Text &copy; <b>b</b>", ("extra",)) is None  # the HTML reads otherwise
    assert tree_text("*a*", ("toc",)) is None  # not a built-in extension set


def test_the_tree_path_is_taken_for_plain_markdown() -> None:
    source = 'Text [a](a.html) ![A cat](c.png)\n\n```python\nx = "q"\n```\n\n<!--more-->\n\n- [b](../b)\n'
    tree = tree_render(source, ("extra",), BASE)
    assert tree.content is not None
    assert 'href="https://example.com/blog/2025/10/11/a.html"' in tree.content
    assert 'src="https://example.com/blog/2025/10/11/c.png"' in tree.content
    assert 'href="https://example.com/blog/2025/10/b"' in tree.content
    assert tree.first_paragraph == "Text a A cat"


@pytest.mark.parametrize(
    "source",
    [
        "<p><a href='raw.html'>raw</a></p>",  # raw HTML: its links are not in the tree
        "Text <a href='raw.html'>raw</a>",
        "[a](x&copy;y)",  # a reference in a URL reads otherwise in the HTML
        "[a](x.html){: style='color: red' }",  # CSS
    ],
)
def test_the_lxml_path_is_taken_where_the_tree_cannot_tell(source: str) -> None:
    assert tree_render(source, ("extra",), BASE).content is None
    assert _check(source) is False

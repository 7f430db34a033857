"""absolute_links resolves links as lxml's make_links_absolute does, srcset included."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedlib import links
from feedlib.links import absolute_links
from feedlib.text import strip_xml_illegal

BASE = "https://example.com/blog/2025/10/11/post.html"

PLAIN_TAGS = ["a", "img", "p", "div", "source", "video", "span", "svg", "form"]
TAGS = [*PLAIN_TAGS, "object", "meta", "param", "base"]
ATTRIBUTES = [
    "href",
    "src",
    "srcset",
    "action",
    "cite",
    "data",
    "codebase",
    "archive",
    "poster",
    "xlink:href",
    "HREF",
    "style",
    "http-equiv",
    "content",
    "valuetype",
    "value",
    "class",
    "alt",
]
VALUES = [
    "",
    " ",
    "x.html",
    " ../up/x.png ",
    "/root",
    "#part",
    "?q=1",
    "//cdn.example.org/y",
    "https://abs.example/a/../b",
    "mailto:a@example.com",
    "javascript:x()",
    "http://[::1",
    "a.png 1x, /b.png 2x",
    "data:image/png;base64,AA== 1x,c.png",
    "refresh",
    "0; url=next.html",
    "ref",
    "background: url(bg.png)",
    "日本語/画像.png",
    'a&amp;b"c',
]
PLAIN_ATTRIBUTES = [name for name in ATTRIBUTES if name not in ("style", "http-equiv", "valuetype")]
PLAIN_TEXTS = ["", "text", " ]]> ", "<!-- note -->", "&amp;", "<br>"]
TEXTS = [*PLAIN_TEXTS, "<style>p { background: url(x.png) }</style>"]


@st.composite
def elements(draw: st.DrawFn, plain: bool = False, depth: int = 0) -> str:
    tag = draw(st.sampled_from(PLAIN_TAGS if plain else TAGS))
    choices = st.sampled_from(PLAIN_ATTRIBUTES if plain else ATTRIBUTES)
    names = draw(st.lists(choices, max_size=3, unique_by=str.lower))
    attributes = "".join(f' {name}="{draw(st.sampled_from(VALUES))}"' for name in names)
    texts = st.sampled_from(PLAIN_TEXTS if plain else TEXTS)
    inner = draw(st.lists(texts | elements(plain, depth + 1), max_size=2)) if depth < 2 else []
    return f"<{tag}{attributes}>{''.join(inner)}</{tag}>"


def fragments(plain: bool) -> st.SearchStrategy[str]:
    texts = st.sampled_from(PLAIN_TEXTS if plain else TEXTS)
    return st.lists(elements(plain) | texts, min_size=1, max_size=4).map("".join)


def with_lxml(html: str, base_url: str) -> str:
    """absolute_links as it was: lxml's pass over every element."""
    root = links.fragment(html)
    links._lxml_links_absolute(root, base_url)
    return strip_xml_illegal(links.inner_html(root)).replace("]]>", "]]&gt;")


def outcome(resolve: Callable[[str, str], str], html: str) -> str:
    # lxml resolves links against a <base href> without handle_failures, so a bad
    # link raises; and it fails on a <param valuetype="ref"> with no value.
    try:
        return resolve(html, BASE)
    except (ValueError, AttributeError) as error:
        return repr(error)


@given(fragments(plain=False))
def test_same_as_lxml(html: str):
    assert outcome(absolute_links, html) == outcome(with_lxml, html)


@given(fragments(plain=True))
def test_same_as_lxml_without_css_or_special_elements(html: str):
    assert absolute_links(html, BASE) == with_lxml(html, BASE)


def test_base_element_is_dropped_as_lxml_does():
    html = '<base href="https://other.example/"><a href="x.html">x</a>'
    assert (
        absolute_links(html, BASE) == with_lxml(html, BASE) == '<a href="https://other.example/x.html">x</a>'
    )


def test_css_and_special_elements_are_left_to_lxml():
    for html in (
        '<p style="background: url(bg.png)">x</p>',
        "<style>p { background: url(bg.png) }</style>",
        '<object codebase="lib/" data="movie.swf"></object>',
        '<meta http-equiv="refresh" content="0; url=next.html">',
    ):
        assert links._plain_links(links.fragment(html)) is None
        assert absolute_links(html, BASE) == with_lxml(html, BASE)
        assert "https://example.com/blog/2025/10/11/" in absolute_links(html, BASE)


@pytest.mark.parametrize("tag", ["source", "track", "embed", "wbr"])
def test_html5_empty_elements_get_no_end_tag(tag: str) -> None:
    # libxml2 reads HTML 4 and would close them after what follows: invalid HTML 5 (W3C's NotHtml).
    html = f'<video controls><{tag} src="a.mp4">\n<{tag} src="b.webm"></video>\n<p>After</p>'
    result = absolute_links(html, BASE)
    assert f"</{tag}>" not in result
    assert result.count(f"<{tag} ") == 2 and result.endswith("<p>After</p>")

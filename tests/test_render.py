"""feedlib.render: Markdown to HTML, absolute links, plain-text summaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feedlib import ConfigError
from feedlib.links import absolute_links
from feedlib.render import (
    MORE_SEPARATOR,
    html_to_text,
    markdown_renderer,
    render_markdown,
    summarize,
)

BASE = "https://example.com/blog/guides/2025/10/11/post.html"


def test_markdown_extra_is_the_default():
    html = render_markdown(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: note\n\n```python\nx = 1\n```\n"
    )
    assert "<table>" in html
    assert 'class="footnote"' in html
    assert '<code class="language-python">' in html


def test_markdown_extensions_are_configurable():
    assert "<table>" not in render_markdown("| a | b |\n|---|---|\n| 1 | 2 |", ())
    assert 'id="title"' in render_markdown("# Title", ("toc",))


def test_unknown_markdown_extension_is_a_config_error():
    with pytest.raises(ConfigError) as caught:
        markdown_renderer(("no_such_extension_xyz",))
    assert "markdown_extensions" in str(caught.value)


def test_renderer_state_does_not_leak_between_posts():
    first = render_markdown("x[^1]\n\n[^1]: first note")
    second = render_markdown("plain text")
    assert "first note" in first
    assert second == "<p>plain text</p>"


def test_html_is_escaped_once():
    html = render_markdown('`a < b && c > d` and "quotes"')
    assert "a &lt; b &amp;&amp; c &gt; d" in html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<a href="other.html">x</a>',
            '<a href="https://example.com/blog/guides/2025/10/11/other.html">x</a>',
        ),
        ('<a href="../up/">x</a>', '<a href="https://example.com/blog/guides/2025/10/up/">x</a>'),
        ('<a href="/">x</a>', '<a href="https://example.com/">x</a>'),
        ('<a href="#part">x</a>', f'<a href="{BASE}#part">x</a>'),
        ('<a href="?page=2">x</a>', f'<a href="{BASE}?page=2">x</a>'),
        ('<a href="//cdn.example.org/y">x</a>', '<a href="https://cdn.example.org/y">x</a>'),
        ('<a href="https://abs.example/">x</a>', '<a href="https://abs.example/">x</a>'),
        ('<a href="mailto:a@example.com">x</a>', '<a href="mailto:a@example.com">x</a>'),
        (
            '<img src="img/a.png" alt="">',
            '<img src="https://example.com/blog/guides/2025/10/11/img/a.png" alt="">',
        ),
        (
            '<img src="a.jpg" srcset="small.jpg 480w, /large.jpg 1080w">',
            '<img src="https://example.com/blog/guides/2025/10/11/a.jpg" '
            'srcset="https://example.com/blog/guides/2025/10/11/small.jpg 480w, '
            'https://example.com/large.jpg 1080w">',
        ),
    ],
)
def test_absolute_links(html: str, expected: str):
    assert absolute_links(html, BASE) == expected


def test_absolute_links_keeps_text_and_makes_cdata_safe():
    assert absolute_links("", BASE) == ""
    assert absolute_links("plain ]]> text", BASE) == "plain ]]&gt; text"
    assert "]]>" not in absolute_links("<pre><code>]]&gt;</code></pre>", BASE)


def test_srcset_with_a_data_url():
    html = '<img srcset="data:image/png;base64,iVBORw0K 1x, big.png 2x">'
    result = absolute_links(html, BASE)
    assert "data:image/png;base64,iVBORw0K 1x" in result
    assert "https://example.com/blog/guides/2025/10/11/big.png 2x" in result


def test_html_to_text():
    assert html_to_text("<p>a</p><p>b<br>c</p><ul><li>x</li><li>y</li></ul>") == "a b c x y"
    assert html_to_text("<p>a &lt; b &amp; c</p>") == "a < b & c"
    assert html_to_text("") == ""


def test_summary_from_excerpt_markdown():
    body = "The first paragraph.\n\nThe second."
    summary = summarize("An **excerpt** with [a link](x.html)", body, render_markdown(body), 300)
    assert summary == "An excerpt with a link"


def test_summary_from_more_separator():
    body = f"Intro **bold**\n\nand more\n{MORE_SEPARATOR}\n\nThe rest."
    assert summarize(None, body, render_markdown(body), 300) == "Intro bold and more"


def test_summary_from_first_paragraph():
    body = "# A heading\n\nThe   first\nparagraph.\n\nThe second."
    assert summarize(None, body, render_markdown(body), 300) == "The first paragraph."


def test_summary_without_paragraphs_uses_first_block_with_text():
    body = "    only code"
    assert summarize(None, body, render_markdown(body), 300) == "only code"
    assert summarize(None, "", "", 300) == ""


def test_summary_is_truncated_with_an_ellipsis():
    body = "word " * 200
    summary = summarize(None, body, render_markdown(body), 50)
    assert len(summary) <= 50
    assert summary.endswith("…")


def test_japanese_summary_without_spaces_is_truncated():
    body = "これは空白のない日本語の長い段落です。" * 40
    summary = summarize(None, body, render_markdown(body), 100)
    assert len(summary) == 100
    assert summary.endswith("…")
    assert body.startswith(summary[:-1])


def test_absolute_links_in_media_elements():
    html = (
        '<picture><source srcset="a.webp"><img src="a.png"></picture>'
        '<video><source src="v.mp4"></video><audio src="a.mp3"></audio><iframe src="f.html"></iframe>'
    )
    result = absolute_links(html, BASE)
    folder = "https://example.com/blog/guides/2025/10/11/"
    for name in ("a.png", "v.mp4", "a.mp3", "f.html"):
        assert f'src="{folder}{name}"' in result
    assert f'srcset="{folder}a.webp"' in result


def test_reading_a_default_config_imports_no_renderer(tmp_path: Path):
    # A build with every post cached renders nothing; it should not pay for these imports.
    config = tmp_path / "feedlib.toml"
    config.write_text('[site]\nurl = "https://example.com/"\ntitle = "T"\n')
    code = (
        "import sys, feedlib; feedlib.load_config(sys.argv[1]); "
        "print([m for m in ('markdown', 'lxml.html', 'nh3') if m in sys.modules])"
    )
    command = [sys.executable, "-c", code, str(config)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_html_lxml_cannot_rewrite_is_a_post_error(tmp_path: Path) -> None:
    # lxml's link rewriting raises AttributeError on <param valuetype="ref"> without a value.
    from feedlib import PostError, Site, load_post, render_post

    path = tmp_path / "2025-01-01-param.md"
    path.write_text(
        '---\ntitle: P\n---\n<object><param name="x" valuetype="ref"></object>\n', encoding="utf-8"
    )
    site = Site(url="https://example.com/", title="t")
    with pytest.raises(PostError, match="cannot make the links in its HTML absolute") as caught:
        render_post(load_post(path, site), site)
    assert caught.value.path == path

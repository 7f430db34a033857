"""Summaries of posts that open with images: readable text, never what is left of a sentence.

"![A cat](cat.png) and <img alt="a dog">." read "and ." once its images were dropped. An
image within text now reads as its alternative text; a paragraph of images alone is
skipped for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedlib.render import html_to_text, render_markdown, summarize

RENDERERS = [("markdown", ()), ("markdown", ("extra",)), ("commonmark", ())]
NEXT = "The next paragraph says what the post is about."


def summary_of(body: str, renderer: str = "markdown", extensions: tuple[str, ...] = ("extra",)) -> str:
    html = render_markdown(body, extensions, renderer)
    return summarize(None, body, html, 1000, extensions, renderer=renderer)


@pytest.mark.parametrize(("renderer", "extensions"), RENDERERS)
def test_images_then_words_read_as_their_alt_text(renderer: str, extensions: tuple[str, ...]):
    body = f'![A cat](cat.png) and <img src="x.png" alt="a dog">.\n\n{NEXT}\n'
    assert summary_of(body, renderer, extensions) == "A cat and a dog."


@pytest.mark.parametrize(("renderer", "extensions"), RENDERERS)
def test_a_paragraph_of_images_alone_is_skipped(renderer: str, extensions: tuple[str, ...]):
    body = f"![A cat](cat.png) ![a dog](dog.png)\n\n{NEXT}\n"
    assert summary_of(body, renderer, extensions) == NEXT


def test_html_to_text_reads_images_within_text_as_their_alt_text():
    assert html_to_text('<p>Look at <img alt="the  sunset" src="s.jpg"> tonight.</p>') == (
        "Look at the sunset tonight."
    )
    assert html_to_text('<p><img alt="cover" src="c.png"></p><p>Text.</p>') == "Text."
    assert html_to_text('<p><img alt="cover" src="c.png"></p>') == ""
    assert html_to_text('<ul><li><img alt="a cat" src="c.png"> purrs</li><li><img alt="x"></li></ul>') == (
        "a cat purrs"
    )


def test_an_excerpt_of_images_and_words():
    assert summarize("![A cat](cat.png) and ![a dog](dog.png).", "", "", 300) == "A cat and a dog."
    assert summarize("![cover](cover.png)", "", "", 300) == ""  # The entry then shows its title.


def test_without_words_anywhere_the_first_text_stays():
    assert summary_of("🎉🎉\n\n…\n") == "🎉🎉"
    assert summary_of('![A cat](cat.png)\n\n<img src="x.png" alt="a dog">\n') == ""


# -- property: any mix of images and words -------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """An image in a post's first paragraph: Markdown or HTML, with or without alt text."""

    html: bool
    alt: str | None

    def markdown(self) -> str:
        if not self.html:
            return f"![{self.alt or ''}](pic.png)"
        return '<img src="pic.png">' if self.alt is None else f'<img src="pic.png" alt="{self.alt}">'

    def text(self) -> str:
        return self.alt or ""


@dataclass(frozen=True)
class Words:
    """Words of a post's first paragraph."""

    words: str

    def markdown(self) -> str:
        return self.words

    def text(self) -> str:
        return self.words


pictures = st.builds(
    Picture, st.booleans(), st.sampled_from([None, "", "A cat", "a dog", "東京の夜景", "two  spaces"])
)
words = st.builds(Words, st.sampled_from(["and", "then", "here is", "a photo of", "猫と", "in 2025"]))
paragraphs = st.lists(st.one_of(pictures, words), min_size=1, max_size=6)


def expected(paragraph: list[Picture | Words]) -> str:
    """What a reader should see: the paragraph with alt text where it has words, else the next one."""
    if not any(isinstance(part, Words) for part in paragraph):
        return NEXT
    return " ".join((" ".join(part.text() for part in paragraph) + ".").split())


@pytest.mark.parametrize(("renderer", "extensions"), RENDERERS)
@given(paragraph=paragraphs)
def test_the_summary_is_the_text_a_reader_sees(renderer: str, extensions: tuple[str, ...], paragraph):
    first = " ".join(part.markdown() for part in paragraph) + "."
    if not any(isinstance(part, Words) for part in paragraph):
        first = first[:-1]  # Images alone: no full stop either.
    summary = summary_of(f"{first}\n\n{NEXT}\n", renderer, extensions)
    assert summary == expected(paragraph), first

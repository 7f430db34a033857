"""The browser view: feed.xsl beside the feeds, and <?xml-stylesheet?> in Atom and RSS.

The rendering is checked in a real headless Chromium (Debian's chromium, which
.ci/run installs) loading the feeds from a local HTTP server.
"""

# Japanese text is written with full-width parentheses.
# ruff: noqa: RUF001

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import lxml.html
import pytest
from helpers import DEFAULT_CONFIG, check_feed, make_project, run_main
from lxml import etree

from feedlib import Site, render_documents
from feedlib.formats.stylesheet import add_stylesheet, stylesheet_bytes

NOW = "2026-01-01T00:00:00+00:00"
SITE = Site(url="https://example.com/blog/", title="Styled")
PI = b'<?xml-stylesheet type="text/xsl" href="'

POSTS = {
    "2025-01-01-first.md": "---\ntitle: First & foremost\ntags: [python]\n---\nThe first post's summary.\n",
    "2025-02-01-second.md": (
        "---\ntitle: 二番目の投稿\ntags: [python]\n---\n日本語の要約です。<b>太字</b>も。\n"
    ),
}


def styled_project(tmp_path: Path, language: str = "en") -> Path:
    config = DEFAULT_CONFIG.replace("[build]\n", "[build]\nstylesheet = true\n")
    config = config.replace('title = "Example Blog"', 'title = "Q&A ブログ"')
    config = config.replace('language = "en"', f'language = "{language}"')
    return make_project(tmp_path / "site", POSTS, config + "\n[feeds]\ntags = true\n")


def test_the_instruction_follows_the_declaration():
    documents = render_documents(SITE, [], ["atom", "rss", "json"], stylesheet=True)
    for document in documents[:2]:
        declaration, instruction, rest = document.content.split(b"\n", 2)
        assert declaration == b"<?xml version='1.0' encoding='UTF-8'?>"
        assert instruction == b'<?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
        assert rest.lstrip().startswith((b"<feed", b"<rss"))
        check_feed(document.content, document.format, count=0)
    assert PI not in documents[2].content  # a browser cannot style JSON
    again = render_documents(SITE, [], ["atom"], stylesheet=True)[0].content
    assert again == documents[0].content
    term = render_documents(SITE, [], ["rss"], paths={"rss": "feed/by_tag/x.rss.xml"}, stylesheet=True)[0]
    assert b'href="../../feed.xsl"' in term.content


def test_not_an_xml_document():
    with pytest.raises(ValueError):
        add_stylesheet(b"{}", "feed.xsl")


def test_build_writes_the_stylesheet(tmp_path: Path, capsys):
    root = styled_project(tmp_path)
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW, "--dry-run") == 0
    assert "would write " + str(root / "public" / "feed.xsl") + " (stylesheet)" in capsys.readouterr().out
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW) == 0
    assert "wrote " + str(root / "public" / "feed.xsl") + " (stylesheet)" in capsys.readouterr().out
    out = root / "public"
    assert (out / "feed.xsl").read_bytes() == stylesheet_bytes()
    etree.XSLT(etree.parse(str(out / "feed.xsl")))  # a valid XSLT 1.0 stylesheet
    assert PI + b'feed.xsl"?>' in (out / "feed.xml").read_bytes()
    assert PI + b'../../feed.xsl"?>' in (out / "feed/by_tag/python.xml").read_bytes()
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW) == 0
    assert capsys.readouterr().out.startswith("up to date")


def lxml_page(root: Path, name: str) -> lxml.html.HtmlElement:
    transform = etree.XSLT(etree.parse(str(root / "public" / "feed.xsl")))
    return lxml.html.fromstring(str(transform(etree.parse(str(root / "public" / name)))))


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_lxml_renders_both_formats(tmp_path: Path, name: str):
    root = styled_project(tmp_path)
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW) == 0
    page = lxml_page(root, name)
    text = " ".join(page.text_content().split())
    assert "This is a web feed" in text and "Subscribe" in text
    assert page.findtext(".//title") == "Q&A ブログ (feed)"
    assert "二番目の投稿" in text and "日本語の要約です。" in text
    assert page.find(".//p[@class='description']").text == "Posts for the tests"
    # Dates read the same on the Atom and the RSS page.
    assert [(t.text, t.get("datetime")[:10]) for t in page.iterfind(".//time")] == [
        ("2025-02-01", "2025-02-01"),
        ("2025-01-01", "2025-01-01"),
    ]


@pytest.mark.parametrize(
    ("language", "japanese"), [("ja", True), ("ja-JP", True), ("JA", True), ("en-US", False), ("jam", False)]
)
def test_the_page_speaks_the_feeds_language(tmp_path: Path, language: str, japanese: bool):
    root = styled_project(tmp_path, language)
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW) == 0
    for name in ("feed.xml", "rss.xml"):
        page = lxml_page(root, name)
        about = page.find(".//p[@class='about']").text_content()
        assert page.get("lang") == language
        if japanese:
            assert about.startswith("これはウェブフィード（RSS・Atom フィード）です。"), about
            assert "アドレス（https://example.com/blog/" in about and "購読" in about
            assert page.findtext(".//title") == "Q&A ブログ（フィード）"
        else:
            assert about.startswith("This is a web feed"), about
            assert page.findtext(".//title") == "Q&A ブログ (feed)"


def test_a_description_with_markup_characters_reads_exactly(tmp_path: Path):
    root = styled_project(tmp_path)
    config = root / "feedlib.toml"
    config.write_text(config.read_text().replace("Posts for the tests", "Tom & Jerry <3 feeds"))
    assert run_main("build", "--config", config, "--now", NOW) == 0
    for name in ("feed.xml", "rss.xml"):
        assert lxml_page(root, name).find(".//p[@class='description']").text == "Tom & Jerry <3 feeds"


# -- a real browser ------------------------------------------------------------------------------


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    return found


class _Handler(http.server.SimpleHTTPRequestHandler):
    # Chromium applies XSLT to XML served as application/xml or text/xml.
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".xsl": "text/xsl",
        ".json": "application/feed+json",
    }

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=["en"])
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    root = styled_project(tmp_path, request.param)
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW) == 0
    out = root / "public"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(out))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FEEDLIB_TEST_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def browse(tmp_path: Path, url: str, *options: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *options,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.parametrize(
    ("name", "shot"), [("feed.xml", "atom"), ("rss.xml", "rss"), ("feed/by_tag/python.xml", "tag")]
)
def test_chromium_shows_a_page(served: tuple[Path, str], tmp_path: Path, name: str, shot: str):
    _, base = served
    result = browse(tmp_path, base + name, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    page = lxml.html.fromstring(result.stdout)
    text = " ".join(page.text_content().split())
    assert "This is a web feed" in text and "Subscribe" in text, text[:500]
    heading = " ".join(page.findtext(".//h1/a").split())
    assert heading == ("Q&A ブログ — python" if shot == "tag" else "Q&A ブログ")
    titles = [" ".join(a.text_content().split()) for a in page.iterfind(".//article/h2/a")]
    assert titles == ["二番目の投稿", "First & foremost"]
    assert "日本語の要約です。太字も。" in text and "The first post's summary." in text
    assert [time.text for time in page.iterfind(".//article/time")] == ["2025-02-01", "2025-01-01"]
    assert page.find(".//article/h2/a").get("href") == "https://example.com/blog/2025/02/01/second.html"
    picture = artifacts(tmp_path) / f"feed-{shot}.png"
    picture.unlink(missing_ok=True)
    result = browse(tmp_path, base + name, f"--screenshot={picture}", "--window-size=1000,900")
    assert result.returncode == 0, result.stderr[-2000:]
    assert picture.read_bytes().startswith(b"\x89PNG") and picture.stat().st_size > 5000


@pytest.mark.parametrize("served", ["ja"], indirect=True)
@pytest.mark.parametrize(("name", "shot"), [("feed.xml", "ja-atom"), ("rss.xml", "ja-rss")])
def test_chromium_shows_a_japanese_page(served: tuple[Path, str], tmp_path: Path, name: str, shot: str):
    _, base = served
    result = browse(tmp_path, base + name, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    page = lxml.html.fromstring(result.stdout)
    assert page.get("lang") == "ja"
    about = " ".join(page.find(".//p[@class='about']").text_content().split())
    assert about.startswith("これはウェブフィード（RSS・Atom フィード）です。"), about
    assert [time.text for time in page.iterfind(".//article/time")] == ["2025-02-01", "2025-01-01"]
    picture = artifacts(tmp_path) / f"feed-{shot}.png"
    picture.unlink(missing_ok=True)
    result = browse(tmp_path, base + name, f"--screenshot={picture}", "--window-size=1000,900")
    assert result.returncode == 0, result.stderr[-2000:]
    assert picture.read_bytes().startswith(b"\x89PNG") and picture.stat().st_size > 5000

"""Helpers shared by the test modules: writing posts and projects, checking feeds, running the CLI."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import jsonfeed
import jsonschema
import lxml.html
import yaml
from lxml import etree

from feedlib.cli import main
from feedlib.discover import POST_SUFFIXES
from feedlib.model import Entry

REPO = Path(__file__).resolve().parents[1]
POSTS = REPO / "posts"
REPO_CONFIG = REPO / "feedlib.toml"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
CANONICAL = POSTS / "000_966dccc71f240b11.txt"
#: The user's post's title (its full-width question mark is part of it).
CANONICAL_TITLE = "xAIの200億ドル調達、Nvidiaの出資が意味するものとは？"  # noqa: RUF001

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
NS = {"a": ATOM_NS, "content": CONTENT_NS, "dc": DC_NS, "atom": ATOM_NS}

#: A fixed --now for builds of the bundled posts (after every one of them).
NOW = "2026-01-01T00:00:00+00:00"

#: One post file per class of invalid input (tests/data/bad/expected.toml says what each must report).
BAD_POSTS = sorted(path for path in (DATA / "bad").iterdir() if path.suffix in POST_SUFFIXES)

SITE_URL = "https://example.com/blog/"

DEFAULT_CONFIG = f"""\
[site]
url = "{SITE_URL}"
title = "Example Blog"
description = "Posts for the tests"
language = "en"
timezone = "UTC"

[build]
posts = "posts"
out = "public"
formats = ["atom", "rss"]
limit = 20
"""

GOOD_POST = """\
---
title: A good post
date: 2025-01-02 03:04:05 +0000
tags: [ok]
---

A [relative link](other.html) and an image ![x](img/x.png).
"""


# -- writing posts and projects ------------------------------------------------------------------


def front_matter_text(data: Mapping[str, Any]) -> str:
    """``data`` as YAML front matter between ``---`` lines, as a user's editor might write it."""
    return "---\n" + yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False) + "---\n"


def write_post(
    folder: Path,
    name: str,
    front_matter: Mapping[str, Any] | str | None = None,
    body: str = "Body text.\n",
) -> Path:
    """Write a post file; ``front_matter`` is a mapping (dumped as YAML) or the raw YAML text."""
    folder.mkdir(parents=True, exist_ok=True)
    if front_matter is None:
        header = "---\n---\n"
    elif isinstance(front_matter, str):
        header = "---\n" + front_matter.rstrip("\n") + "\n---\n"
    else:
        header = front_matter_text(front_matter)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def make_project(
    root: Path,
    posts: Mapping[str, str | bytes] | None = None,
    config: str | None = DEFAULT_CONFIG,
) -> Path:
    """A site folder with ``feedlib.toml`` and ``posts/`` holding ``posts`` (name → file text)."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "feedlib.toml").write_text(config, encoding="utf-8")
    folder = root / "posts"
    folder.mkdir(exist_ok=True)
    for name, text in (posts if posts is not None else {"2025-01-02-good.md": GOOD_POST}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes)."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- checking feeds ------------------------------------------------------------------------------

_VERSIONS = {"atom": "atom10", "rss": "rss20"}


def atom_text(parent: etree._Element, path: str) -> str | None:
    """The text an Atom text construct (title, subtitle, summary) stands for, whatever its type."""
    element = parent.find(path, namespaces=NS)
    if element is None:
        return None
    kind = element.get("type", "text")
    assert kind in ("text", "html"), kind
    return html.unescape(element.text or "") if kind == "html" else (element.text or "")


def content_html_of(data: bytes, fmt: str) -> list[str]:
    """The HTML each entry of a feed document carries (Atom content / RSS content:encoded)."""
    root = etree.fromstring(data)
    path = "//a:entry/a:content" if fmt == "atom" else "//item/content:encoded"
    return [element.text or "" for element in root.xpath(path, namespaces=NS)]


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DESCRIPTOR = re.compile(r"^\d+(\.\d+)?[wxh],?$")


def relative_links(html: str) -> list[str]:
    """Every ``href``, ``src`` and ``srcset`` URL in ``html`` that is not absolute."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value is not None and not _SCHEME.match(value.strip()):
                found.append(f"{attribute}={value!r}")
        srcset = element.get("srcset") or ""
        # Tokens that are not width or density descriptors are URLs (which may
        # hold commas, as data: URLs do).
        urls = [token.rstrip(",") for token in srcset.split() if not _DESCRIPTOR.match(token)]
        found.extend(f"srcset={srcset!r}" for url in urls if url and not _SCHEME.match(url))
    return found


def check_feed(
    data: bytes,
    fmt: str,
    *,
    count: int | None = None,
    entries: Sequence[Entry] | None = None,
    require_content: bool = True,
) -> feedparser.FeedParserDict:
    """The checks every written feed must pass; returns feedparser's reading of it.

    Well-formed XML (lxml), ``bozo == 0`` and the right version (feedparser), and
    for each entry an id, a title, a link, dates and content (when the entry has
    any: pass ``entries`` to know), with no relative ``href``/``src`` left in it.
    ``require_content=False`` is only for the known RSS bug in
    test_formats.py::test_rss_item_without_summary_keeps_content_encoded.
    """
    assert isinstance(data, bytes)
    etree.fromstring(data)  # raises XMLSyntaxError when not well-formed
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, f"feedparser: {parsed.get('bozo_exception')!r}"
    assert parsed.version == _VERSIONS[fmt]
    if entries is not None:
        count = len(entries)
    if count is not None:
        assert len(parsed.entries) == count
    for index, item in enumerate(parsed.entries):
        assert item.get("id"), f"entry {index} has no id"
        assert "title" in item, f"entry {index} has no title"
        assert item.get("link"), f"entry {index} has no link"
        assert item.get("published"), f"entry {index} has no published date"
        if fmt == "atom":
            assert dict.get(item, "updated"), f"entry {index} has no updated date"
        has_content = bool(entries[index].content_html) if entries is not None else True
        if has_content and require_content:
            # feedparser sanitizes the HTML (an empty <h1></h1> reads as ""): presence is what it can tell.
            assert item.get("content"), f"entry {index} has no content"
    htmls = content_html_of(data, fmt)
    if not require_content:
        pass
    elif entries is not None:
        assert htmls == [entry.content_html for entry in entries if entry.content_html]
    elif count is not None:
        assert len(htmls) == count and all(htmls), "an entry has no content"
    for fragment in htmls:
        assert relative_links(fragment) == [], f"relative links left: {relative_links(fragment)}"
    return parsed


def check_written_feeds(out: Path, *, count: int | None = None) -> dict[str, feedparser.FeedParserDict]:
    """``check_feed`` for ``feed.xml`` and ``rss.xml`` under ``out`` (those that exist, at least one),
    and ``check_json_feed`` for ``feed.json`` if it exists."""
    results = {}
    for fmt, name in (("atom", "feed.xml"), ("rss", "rss.xml")):
        path = out / name
        if path.exists():
            results[fmt] = check_feed(path.read_bytes(), fmt, count=count)
    if (out / "feed.json").exists():
        feed = check_json_feed((out / "feed.json").read_bytes())
        assert count is None or len(feed.items) == count
    assert results, f"no feed written under {out}"
    return results


JSON_FEED_SCHEMA = DATA / "jsonfeed-1.1.schema.json"
_JSON_FEED_VALIDATOR = jsonschema.Draft202012Validator(
    json.loads(JSON_FEED_SCHEMA.read_text(encoding="utf-8")),
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
)


def check_json_feed(data: bytes) -> jsonfeed.Feed:
    """Every JSON feed written: valid against tests/data/jsonfeed-1.1.schema.json, and read back by a
    JSON Feed client (jsonfeed-util; feedparser 6.0, the newest release, reads no JSON Feed)."""
    document = json.loads(data.decode("utf-8"))
    errors = sorted(_JSON_FEED_VALIDATOR.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "; ".join(f"{list(error.path)}: {error.message}" for error in errors)
    feed = jsonfeed.Feed.parse_string(data.decode("utf-8"))
    assert feed.title == document["title"]
    assert [item.id for item in feed.items] == [item["id"] for item in document["items"]]
    return feed


def check_output_tree(out: Path, *, require_content: bool = True) -> dict[str, Any]:
    """Check every feed under ``out`` (per-term ones too) by its kind; returns path → parsed feed."""
    results: dict[str, Any] = {}
    for path in sorted(out.rglob("*")):
        relative = str(path.relative_to(out))
        if path.suffix == ".json":
            results[relative] = check_json_feed(path.read_bytes())
        elif path.suffix == ".xml":
            root = etree.fromstring(path.read_bytes())
            fmt = "atom" if root.tag == f"{{{ATOM_NS}}}feed" else "rss"
            results[relative] = check_feed(path.read_bytes(), fmt, require_content=require_content)
    return results


# -- running the command -------------------------------------------------------------------------


def run_main(*argv: str | os.PathLike[str]) -> int:
    """``feedlib.cli.main`` as the console script runs it: a usage error's SystemExit is a status."""
    try:
        return main([os.fspath(arg) for arg in argv])
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)


def run_module(
    *args: str | os.PathLike[str], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m feedlib ARGS`` in ``cwd``, output captured as text."""
    environment = dict(os.environ)
    environment.pop("PYTHONWARNINGS", None)
    environment["PYTHONIOENCODING"] = "utf-8"
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "feedlib", *map(os.fspath, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
        check=False,
    )


class _AnyDatetime(type):
    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, datetime)


def frozen_datetime(moment: datetime) -> type[datetime]:
    """A ``datetime`` class whose clock always reads ``moment`` (an aware datetime).

    ``isinstance(real_datetime, Frozen)`` stays true, so code that checks types keeps working.
    """

    class Frozen(datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

        @classmethod
        def utcnow(cls):  # type: ignore[no-untyped-def, override]
            return moment.replace(tzinfo=None)

        @classmethod
        def today(cls):  # type: ignore[no-untyped-def, override]
            return moment.replace(tzinfo=None)

    return Frozen

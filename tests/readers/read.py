"""python read.py READER FILE: what feedparser, newsboat or pyjsonfeed shows of a feed.

Prints one JSON object of the same shape as ``node read.mjs READER FILE`` (see the
comment at the top of read.mjs for what each field means):

- feedparser: ``feedparser.parse`` with its defaults (sanitizing, relative URI
  resolution), as a Python application reads a feed.
- newsboat: ``newsboat -x reload`` on a ``file://`` URL with an empty configuration,
  in a throw-away home; what it shows is what it stored in its cache (the tables
  rss_feed and rss_item: title, author, link, date, content, enclosure). It keeps
  no summary and no categories apart from the content.
- pyjsonfeed: a JSON Feed 1.0 reader ("inspired by feedparser", 2018): it knows the
  1.0 ``author`` object, not 1.1's ``authors``.
"""

from __future__ import annotations

import html
import html.parser
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "tr",
    "table",
    "ul",
    "ol",
}


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(fragment: str | None) -> str | None:
    """The text an HTML fragment shows: tags dropped, block ends as spaces, entities decoded."""
    if fragment is None:
        return None
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _item(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(
        (
            "title",
            "title_type",
            "link",
            "id",
            "authors",
            "summary",
            "summary_raw",
            "summary_type",
            "content_present",
            "content",
            "content_text",
            "published",
            "updated",
            "categories",
            "image",
            "enclosures",
        )
    )
    base.update(fields)
    return base


def _uniq(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if v not in (None, "") and v not in out:
            out.append(v)
    return out


def _kind(detail: Any) -> str | None:
    t = (detail or {}).get("type")
    return {"text/html": "html", "text/plain": "text", "application/xhtml+xml": "xhtml"}.get(t, t)


def read_feedparser(path: Path) -> dict[str, Any]:
    import feedparser

    d = feedparser.parse(path.read_bytes())
    version = d.get("version") or ""
    if not version:
        raise ValueError(f"feedparser did not recognise the feed: {d.get('bozo_exception')}")
    f = d.feed
    items = []
    for e in d.entries:
        stype = _kind(e.get("summary_detail"))
        summary = e.get("summary")
        content = e.get("content") or []
        media = (e.get("media_content") or []) + (e.get("media_thumbnail") or [])
        items.append(
            _item(
                title=e.get("title"),
                title_type=_kind(e.get("title_detail")),
                link=e.get("link"),
                id=e.get("id"),
                authors=_uniq([a.get("name") for a in e.get("authors") or []]),
                summary=html_text(summary) if stype in ("html", "xhtml") else summary,
                summary_raw=summary,
                summary_type=stype,
                content_present=bool(content),
                content=content[0].get("value") if content else None,
                content_text=html_text(content[0].get("value")) if content else None,
                published=e.get("published"),
                updated=dict.get(e, "updated"),  # not FeedParserDict.get, which falls back to published
                categories=[t.get("term") for t in e.get("tags") or []],
                image=next((m.get("url") for m in media if m.get("url")), None),
                enclosures=[
                    {"url": x.get("href"), "type": x.get("type"), "length": x.get("length")}
                    for x in e.get("enclosures") or []
                ],
            )
        )
    return {
        "format": "atom" if version.startswith("atom") else "rss",
        "version": version,
        "title": f.get("title"),
        "title_type": _kind(f.get("title_detail")),
        "link": f.get("link"),
        "links": _uniq([link.get("href") for link in f.get("links") or []]),
        "items": items,
    }


def read_newsboat(path: Path) -> dict[str, Any]:
    exe = shutil.which("newsboat")
    if exe is None:
        raise FileNotFoundError("newsboat is not installed")
    url = path.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="newsboat-") as tmp:
        home = Path(tmp)
        (home / "urls").write_text(url + "\n", encoding="utf-8")
        (home / "config").write_text("", encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
        }
        run = subprocess.run(
            [
                exe,
                "-u",
                str(home / "urls"),
                "-c",
                str(home / "cache.db"),
                "-C",
                str(home / "config"),
                "-x",
                "reload",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if run.returncode != 0:
            raise RuntimeError(
                f"newsboat exited {run.returncode}: {run.stderr.strip() or run.stdout.strip()}"
            )
        con = sqlite3.connect(home / "cache.db")
        try:
            feed = con.execute("SELECT title, url FROM rss_feed WHERE rssurl = ?", (url,)).fetchone()
            rows = con.execute(
                "SELECT title, url, guid, author, content, pubDate, enclosure_url, enclosure_type"
                " FROM rss_item WHERE feedurl = ? ORDER BY id",
                (url,),
            ).fetchall()
        finally:
            con.close()
    if feed is None or (not rows and not feed[0]):
        raise ValueError("newsboat stored nothing for this file (it does not read this format)")
    head = path.read_bytes()[:2000]
    items = []
    for title, link, guid, author, content, pub, enc_url, enc_type in rows:
        items.append(
            _item(
                title=title,
                link=link,
                id=guid,
                # newsboat keeps one author string per item
                authors=_uniq([author]),
                content_present=bool(content),
                content=content,
                content_text=html_text(content),
                published=datetime.fromtimestamp(pub, UTC).isoformat() if pub else None,
                enclosures=[{"url": enc_url, "type": enc_type or None, "length": None}] if enc_url else [],
            )
        )
    return {
        "format": "rss" if b"<rss" in head else "atom",
        "title": feed[0],
        "link": feed[1],
        "links": _uniq([feed[1]]),
        "items": items,
    }


def read_pyjsonfeed(path: Path) -> dict[str, Any]:
    from pyjsonfeed import pyjsonfeed

    feed = pyjsonfeed.parse(str(path))
    items = []
    for i in feed.items:
        items.append(
            _item(
                title=i.title,
                link=i.url,
                id=i.id,
                authors=_uniq([i.author.name if i.author else None]),
                summary=i.summary,
                summary_raw=i.summary,
                summary_type="text",
                content_present=i.content_html is not None or i.content_text is not None,
                content=i.content_html if i.content_html is not None else i.content_text,
                content_text=html_text(i.content_html) if i.content_html is not None else i.content_text,
                published=i.date_published,
                updated=i.date_modified,
                categories=list(i.tags or []),
                image=i.image,
                enclosures=[
                    {"url": a.url, "type": a.mime_type, "length": a.size_in_bytes}
                    for a in i.attachments or []
                ],
            )
        )
    return {
        "format": "json",
        "title": feed.title,
        "link": feed.home_page_url,
        "links": _uniq([feed.home_page_url, feed.feed_url]),
        "items": items,
    }


READERS = {"feedparser": read_feedparser, "newsboat": read_newsboat, "pyjsonfeed": read_pyjsonfeed}


def read(reader: str, path: Path) -> dict[str, Any]:
    """What READER shows of the feed at PATH; {"reader", "error"} if it cannot read it."""
    try:
        out = READERS[reader](path)
    except Exception as exc:  # a reader that fails on a feed is a result too
        return {"reader": reader, "error": f"{type(exc).__name__}: {exc}"}
    return {"reader": reader, "title_type": None, **out}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in READERS:
        print(f"usage: python read.py {'|'.join(READERS)} FILE", file=sys.stderr)
        return 2
    result = read(argv[0], Path(argv[1]))
    print(json.dumps(result, ensure_ascii=False))
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

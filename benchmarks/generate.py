"""A deterministic corpus of Jekyll-style posts for the benchmarks.

``python benchmarks/generate.py DIR --posts 10000`` writes ``DIR/posts/`` (for
feedlib, with ``DIR/feedlib.toml``) and, with ``--hugo``, the same posts as a
Hugo site in ``DIR/hugo/``. The same seed and count always give the same bytes.

Each post is about 6 KB of Markdown, in English or Japanese: headings, lists,
links (relative and absolute), images, code blocks, a table or a quote now and
then, under YAML front matter as Jekyll sites write it
(``date: 2025-10-08 08:40:48 +0000``).
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SITE_URL = "https://example.com/blog/"
#: Every post is dated before this, so a build at this time shows them all.
NOW = "2030-01-01T00:00:00+00:00"
_START = datetime(2010, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = 15 * 365 * 24 * 3600

_EN_WORDS = [
    "feed",
    "reader",
    "post",
    "archive",
    "markdown",
    "static",
    "site",
    "build",
    "cache",
    "render",
    "parse",
    "index",
    "server",
    "client",
    "network",
    "latency",
    "memory",
    "process",
    "thread",
    "queue",
    "python",
    "library",
    "module",
    "function",
    "value",
    "record",
    "file",
    "folder",
    "entry",
    "summary",
    "content",
    "author",
    "date",
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "that",
    "for",
    "it",
    "with",
    "as",
    "on",
    "was",
    "by",
    "this",
    "be",
    "are",
    "from",
    "at",
    "or",
]
_JA_SENTENCES = (
    "静的サイトのフィードは、読者が新しい記事を見つけるための大切な入り口です。",
    "キャッシュを使うと、変更のない記事を読み直す必要がなくなります。",
    "マークダウンの変換はビルドの中で最も時間のかかる処理の一つです。",
    "日本語の文章でも、要約は文字単位で正しく切り詰められなければなりません。",
    "投資家や技術者にとって、インフラの動きは見逃せない指標になっています。",
    "このプロジェクトでは、読み込み、選択、描画、書き出しを順に行います。",
    "正直なところ、最初はうまくいくとは思っていませんでした。",
    "大規模なアーカイブでも、ビルドの時間は記事の数に比例して増えるべきです。",
)
_CATEGORIES = ("tech", "投資分析", "notes", "AI", "お知らせ", "release", "日記")
_TAGS = ("python", "rss", "atom", "AI", "最新ニュース", "技術動向", "NVIDIA", "web", "cache", "日本語")
_LANGS = ("python", "sh", "toml", "")


def _en_sentence(rng: random.Random) -> str:
    words = [rng.choice(_EN_WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, japanese: bool) -> str:
    if japanese:
        return "".join(rng.choice(_JA_SENTENCES) for _ in range(rng.randint(3, 6)))
    parts = []
    for _ in range(rng.randint(4, 7)):
        sentence = _en_sentence(rng)
        roll = rng.random()
        if roll < 0.15:
            sentence += f" See [the notes](../notes/{rng.randint(1, 999)}.html) for **details**."
        elif roll < 0.25:
            sentence += (
                f" More at <https://example.org/{rng.randint(1, 999)}> and `code_{rng.randint(1, 9)}`."
            )
        parts.append(sentence)
    return " ".join(parts)


def _block(rng: random.Random, japanese: bool, index: int) -> str:
    roll = rng.random()
    if roll < 0.2:
        items = [_en_sentence(rng) if not japanese else rng.choice(_JA_SENTENCES) for _ in range(4)]
        marker = "1." if rng.random() < 0.5 else "-"
        return "\n".join(f"{marker} {item}" for item in items)
    if roll < 0.35:
        lang = rng.choice(_LANGS)
        body = "\n".join(f"value_{n} = compute({n}, '{rng.choice(_EN_WORDS)}')" for n in range(6))
        return f"```{lang}\n{body}\n```"
    if roll < 0.45:
        return f"![figure {index}](images/figure-{index}.png)\n\n" + _paragraph(rng, japanese)
    if roll < 0.5:
        return "> " + _paragraph(rng, japanese)
    if roll < 0.55:
        rows = "\n".join(f"| {rng.choice(_EN_WORDS)} | {rng.randint(1, 99)} |" for _ in range(4))
        return f"| name | value |\n|---|---|\n{rows}"
    return _paragraph(rng, japanese)


def _body(rng: random.Random, japanese: bool, target: int) -> str:
    blocks = [_paragraph(rng, japanese)]
    if rng.random() < 0.3:
        blocks.append("<!--more-->")
    index = 0
    while sum(len(block.encode("utf-8")) for block in blocks) < target:
        index += 1
        if index % 4 == 1:
            heading = rng.choice(_JA_SENTENCES)[:12] if japanese else _en_sentence(rng)[:40].rstrip(".")
            blocks.append(f"## {heading}")
        blocks.append(_block(rng, japanese, index))
    return "\n\n".join(blocks) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def post_source(number: int, seed: int = 0, size: int = 6000) -> tuple[str, str, datetime]:
    """The file name, text and date of post ``number`` of the corpus ``seed``."""
    rng = random.Random(f"{seed}:{number}")
    japanese = rng.random() < 0.5
    moment = _START + timedelta(seconds=rng.randrange(_SPAN_SECONDS))
    title = rng.choice(_JA_SENTENCES)[:20] if japanese else _en_sentence(rng)[:60].rstrip(".")
    title = f"{title} {number}"
    lines = [
        "---",
        "layout: post",
        f"title: {_quoted(title)}",
        f"date: {moment.strftime('%Y-%m-%d %H:%M:%S +0000')}",
        f"categories: [{_quoted(rng.choice(_CATEGORIES))}]",
        f"tags: [{', '.join(_quoted(tag) for tag in rng.sample(_TAGS, 3))}]",
        f"author: {_quoted('ALLFORCES編集部' if japanese else 'Ada Writer')}",
    ]
    if rng.random() < 0.5:
        lines.append(f"excerpt: {_quoted(_en_sentence(rng) if not japanese else rng.choice(_JA_SENTENCES))}")
    lines += [f"reading_time: {rng.randint(2, 12)}", "---", ""]
    name = f"{moment:%Y-%m-%d}-post-{number:06d}.md"
    return name, "\n".join(lines) + _body(rng, japanese, size), moment


FEEDLIB_TOML = f"""[site]
url = "{SITE_URL}"
title = "Benchmark"
language = "ja"
timezone = "UTC"

[build]
posts = "posts"
out = "public"
formats = ["atom", "rss"]
limit = 20
cache = ".feedlib-cache"
"""

HUGO_TOML = f"""baseURL = "{SITE_URL}"
title = "Benchmark"
languageCode = "ja"
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404", "section"]
rssLimit = {{limit}}

[services.rss]
limit = {{limit}}

[outputs]
home = ["RSS"]

# Posts are listed (and rendered for the feed), never written as pages.
[[cascade]]
[cascade._build]
render = "never"
list = "always"
[cascade._target]
kind = "page"
"""

# Full content, as feedlib writes it (Hugo's own template shows only the summary).
HUGO_RSS = """{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{{ .Site.Title }}</title><link>{{ .Permalink }}</link><description>{{ .Site.Title }}</description>
{{- $pages := where .Site.RegularPages "Type" "posts" }}
{{- $limit := .Site.Config.Services.RSS.Limit }}
{{- if ge $limit 1 }}{{ $pages = $pages | first $limit }}{{ end }}
{{- range $pages }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<guid>{{ .Permalink }}</guid><description>{{ .Summary | plainify | html }}</description>
<content:encoded>{{ .Content | html }}</content:encoded></item>
{{- end }}
</channel></rss>
"""


def generate(root: Path, posts: int, seed: int = 0, hugo: bool = False, size: int = 6000) -> None:
    """Write ``posts`` posts under ``root/posts`` (and ``root/hugo/content/posts`` with ``hugo``)."""
    folder = root / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "feedlib.toml").write_text(FEEDLIB_TOML, encoding="utf-8")
    hugo_posts = root / "hugo" / "content" / "posts"
    if hugo:
        hugo_posts.mkdir(parents=True, exist_ok=True)
        layouts = root / "hugo" / "layouts" / "_default"
        layouts.mkdir(parents=True, exist_ok=True)
        (layouts / "rss.xml").write_text(HUGO_RSS, encoding="utf-8")
    for number in range(posts):
        name, text, moment = post_source(number, seed, size)
        (folder / name).write_text(text, encoding="utf-8")
        if hugo:
            # Hugo's date parser does not read "+0000" after a space; the same instant in RFC 3339.
            iso = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            jekyll_date = moment.strftime("%Y-%m-%d %H:%M:%S +0000")
            (hugo_posts / name).write_text(text.replace(jekyll_date, iso, 1), encoding="utf-8")


def hugo_config(root: Path, limit: int) -> Path:
    """A Hugo configuration for the site in ``root/hugo`` with RSS ``limit`` (-1: every post)."""
    path = root / "hugo" / f"hugo-{limit}.toml"
    path.write_text(HUGO_TOML.format(limit=limit), encoding="utf-8")
    return path


def main() -> None:
    """Command line: ``generate.py DIR --posts N [--seed S] [--hugo]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=6000, help="bytes of Markdown per post (about)")
    parser.add_argument("--hugo", action="store_true", help="also write the posts as a Hugo site")
    args = parser.parse_args()
    generate(args.dir, args.posts, args.seed, args.hugo, args.size)


if __name__ == "__main__":
    main()

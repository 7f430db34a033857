"""Hostile and unlucky input, one test (or group) per class: the real command, under hard bounds.

Every command runs through :mod:`hostile_helpers`: killed after a few seconds,
limited to 1 GB of address space (its workers too), so that a build which
backtracks, expands or reads without end fails here in seconds. What each
class must do is what feedlib promises for any bad input: exit status 1 (2
for settings), exactly one stderr line per problem naming the file (and
line), nothing published, values quoted only in part, file names escaped.
"""

from __future__ import annotations

import http.server
import json
import os
import stat
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import lxml.html
import pytest
from hostile_helpers import (
    HOSTILE_SECONDS,
    NORMAL_SECONDS,
    Run,
    Started,
    assert_bounded,
    assert_lines_short,
    assert_nothing_published,
    assert_one_line_each,
    feedlib,
    feedlib_env,
    finish,
    no_control_characters,
    published,
    python,
    start_bounded,
    write,
    write_tree,
)
from lxml import etree

SITE_URL = "https://example.com/blog/"
#: Peak memory of a command refusing a small hostile file: a build of a few posts takes about 40 MB.
HOSTILE_RSS_MB = 150

FEEDLIB_TOML = f"""\
[site]
url = "{SITE_URL}"
title = "Hostile"
timezone = "UTC"

[build]
posts = "posts"
out = "public"
formats = ["atom", "rss", "json"]
"""

JEKYLL_CONFIG = """\
url: "https://example.com"
baseurl: "/blog"
title: "Hostile Jekyll"
"""

FEED_FILES = {"feed.xml", "rss.xml", "feed.json", "feed.xsl"}


def post(front_matter: str, body: str = "Body text.") -> str:
    """A post file: ``front_matter`` (YAML lines) between fences, then ``body``."""
    return f"---\n{front_matter.rstrip()}\n---\n\n{body}\n"


def dated(day: int, extra: str = "", title: str | None = None, body: str = "Body text.") -> str:
    """A post with a title (line 2), a date (line 3) and ``extra`` from line 4 on."""
    lines = f"title: {title or f'Post {day}'}\ndate: 2025-01-{day:02d} 00:00:00 +0000\n{extra}"
    return post(lines, body)


GOOD = dated(1, title="A good post", body="GOOD-POST-TEXT")


def feedlib_site(root: Path, posts: Mapping[str, str | bytes], config: str = FEEDLIB_TOML) -> Path:
    """A site with ``feedlib.toml`` and ``posts/`` holding ``posts`` (relative name → content)."""
    write(root / "feedlib.toml", config)
    (root / "posts").mkdir(parents=True, exist_ok=True)
    write_tree(root / "posts", posts)
    return root


def jekyll_site(
    root: Path,
    posts: Mapping[str, str | bytes],
    includes: Mapping[str, str | bytes] | None = None,
    config: str = JEKYLL_CONFIG,
) -> Path:
    """A Jekyll site: ``_config.yml``, ``_posts/`` holding ``posts``, and ``_includes/``."""
    write(root / "_config.yml", config)
    (root / "_posts").mkdir(parents=True, exist_ok=True)
    write_tree(root / "_posts", posts)
    write_tree(root / "_includes", includes or {})
    return root


def build(site: Path, *args: str, jekyll: bool = False, **bounds: object) -> Run:
    """``feedlib build`` of ``site`` (feedlib.toml or ``--jekyll``) under the bounds."""
    where = ["--jekyll", str(site)] if jekyll else ["--config", str(site / "feedlib.toml")]
    return feedlib("build", *where, "--now", "2026-01-01T00:00:00+00:00", *args, cwd=site, **bounds)


def check(site: Path, *args: str, jekyll: bool = False, **bounds: object) -> Run:
    """``feedlib check`` of ``site`` under the bounds."""
    where = ["--jekyll", str(site)] if jekyll else ["--config", str(site / "feedlib.toml")]
    return feedlib("check", *where, "--now", "2026-01-01T00:00:00+00:00", *args, cwd=site, **bounds)


def out_of(site: Path, jekyll: bool) -> Path:
    return site / ("_site" if jekyll else "public")


def assert_refused(
    run: Run,
    out: Path,
    before: Mapping[str, bytes],
    expected: Mapping[str, int | bool | None],
    *values: str,
    status: int = 1,
    rss_mb: float | None = HOSTILE_RSS_MB,
) -> None:
    """The build ended in time, said one line per expected problem, published nothing."""
    assert_bounded(run)
    assert run.returncode == status, f"expected exit {status}: {run.describe()}"
    assert_one_line_each(run, expected)
    assert_lines_short(run, *values)
    assert_nothing_published(out, before, run)
    if rss_mb is not None:
        assert run.max_rss_mb < rss_mb, f"peak memory {run.max_rss_mb:.0f} MB: {run.describe()}"


# -- Security: links to anywhere -------------------------------------------------------------------

#: Post file → front-matter line 4 that must be refused: an entry link or id off the site.
HOSTILE_LINKS = {
    "2025-01-02-js-permalink.md": 'permalink: "javascript:///%0aalert(document.domain)"',
    "2025-01-03-js-url.md": 'url: "javascript://x/%0aalert(1)"',
    "2025-01-04-vbscript.md": 'permalink: "vbscript://x/%0amsgbox(1)"',
    "2025-01-05-data.md": 'permalink: "data://text/html,x"',
    "2025-01-06-other-host.md": 'permalink: "https://evil.example/x.html"',
    "2025-01-07-other-path.md": 'permalink: "https://example.com/other/x.html"',
    "2025-01-08-dot-dot.md": 'permalink: "../../../../x.html"',
    "2025-01-09-encoded-dot-dot.md": 'permalink: "/%2e%2e/%2E%2E/x.html"',
    "2025-01-10-other-host-id.md": 'id: "https://evil.example/post"',
    "2025-01-11-dot-dot-id.md": 'id: "../../../x"',
    "2025-01-12-js-id.md": 'id: "javascript:alert(1)"',
}
#: Links and ids that stay allowed: on the site, inside its path, or an id of its own scheme.
SAFE_LINKS = {
    "2025-01-13-tag-id.md": 'id: "tag:example.com,2025:post-13"',
    "2025-01-14-uuid-id.md": 'id: "urn:uuid:0f8fad5b-d9cb-4f8a-9c3a-5b4a6e0f2a1b"',
    "2025-01-15-plain.md": 'permalink: "/notes/plain.html"',
    "2025-01-16-absolute.md": 'permalink: "https://EXAMPLE.com/blog/absolute.html"',
}
#: The keys of HOSTILE_LINKS a Jekyll site does not read: Jekyll's post URL and id come from its
#: permalink and file name (front-matter ``url`` and ``id`` are data for Liquid), so those posts
#: are published with links and ids of their own on the site.
JEKYLL_IGNORES = {name for name, line in HOSTILE_LINKS.items() if line.startswith(("url:", "id:"))}


def _refused_links(jekyll: bool) -> dict[str, int]:
    """Each post of HOSTILE_LINKS refused in this mode, with its line (4)."""
    return {name: 4 for name in HOSTILE_LINKS if not (jekyll and name in JEKYLL_IGNORES)}


def _link_posts() -> dict[str, str]:
    files = {}
    for name, line in {**HOSTILE_LINKS, **SAFE_LINKS}.items():
        files[name] = dated(int(name[8:10]), line, body=f"Text of {name}.")
    return files


def _entry_links(out: Path, name: str) -> tuple[list[str], list[str]]:
    """The entry links and ids of the published feed ``name`` (Atom, RSS or JSON)."""
    data = (out / name).read_bytes()
    if name.endswith(".json"):
        items = json.loads(data)["items"]
        return [item.get("url", "") for item in items], [item["id"] for item in items]
    root = etree.fromstring(data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    if root.tag == "{http://www.w3.org/2005/Atom}feed":
        links = root.xpath("a:entry/a:link[not(@rel) or @rel='alternate']/@href", namespaces=ns)
        ids = root.xpath("a:entry/a:id/text()", namespaces=ns)
    else:
        links = root.xpath("channel/item/link/text()")
        ids = root.xpath("channel/item/guid/text()")
    return [str(link) for link in links], [str(ident) for ident in ids]


def _on_site(url: str) -> bool:
    lowered = url.lower()
    return url.startswith(SITE_URL) and "/../" not in url and "%2e" not in lowered and not url.endswith("/..")


@pytest.mark.parametrize("jekyll", [False, True], ids=["feedlib", "jekyll"])
def test_links_to_anywhere_are_post_errors(tmp_path: Path, jekyll: bool) -> None:
    """An entry link or id off the site (scheme, host, path) is a post error naming file and line 4."""
    posts = _link_posts()
    site = jekyll_site(tmp_path, posts) if jekyll else feedlib_site(tmp_path, posts)
    out = out_of(site, jekyll)
    run = build(site, jekyll=jekyll)
    assert_refused(run, out, {}, _refused_links(jekyll))


@pytest.mark.parametrize("jekyll", [False, True], ids=["feedlib", "jekyll"])
def test_links_to_anywhere_never_published(tmp_path: Path, jekyll: bool) -> None:
    """With --skip-invalid, every published entry link is on the site and inside its path."""
    posts = _link_posts()
    site = jekyll_site(tmp_path, posts) if jekyll else feedlib_site(tmp_path, posts)
    out = out_of(site, jekyll)
    run = build(
        site, "--skip-invalid", "--format", "atom", "--format", "rss", "--format", "json", jekyll=jekyll
    )
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    refused = _refused_links(jekyll)
    assert_one_line_each(run, refused)
    for name in ("feed.xml", "rss.xml", "feed.json"):
        links, ids = _entry_links(out, name)
        assert len(links) == len(SAFE_LINKS) + len(HOSTILE_LINKS) - len(refused), (name, links)
        bad_links = [link for link in links if not _on_site(link)]
        bad_ids = [ident for ident in ids if not (_on_site(ident) or ident.startswith(("tag:", "urn:uuid:")))]
        assert not bad_links and not bad_ids, f"{name}: links {bad_links}, ids {bad_ids}"


def _stylesheet(tmp_path: Path) -> etree.XSLT:
    """feed.xsl as a build with ``stylesheet = true`` publishes it."""
    site = feedlib_site(tmp_path / "xsl", {"2025-01-01-good.md": GOOD}, FEEDLIB_TOML + "stylesheet = true\n")
    run = build(site, seconds=NORMAL_SECONDS)
    assert run.returncode == 0, run.describe()
    return etree.XSLT(etree.parse(str(site / "public" / "feed.xsl")))


HOSTILE_HREFS = [
    "javascript:alert(document.domain)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
]


def _xml_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace("\t", "&#9;")


def _atom_with(link: str) -> bytes:
    link = _xml_escaped(link)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>{SITE_URL}feed.xml</id>
<link href="{link}" rel="alternate"/><link href="{SITE_URL}feed.xml" rel="self"/>
<updated>2025-01-01T00:00:00Z</updated>
<entry><title>E</title><id>{SITE_URL}e</id><link href="{link}"/><updated>2025-01-01T00:00:00Z</updated>
<summary>S</summary></entry></feed>""".encode()


def _rss_with(link: str) -> bytes:
    escaped = _xml_escaped(link)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>{escaped}</link><description>D</description>
<item><title>E</title><link>{escaped}</link><description>S</description></item></channel></rss>""".encode()


def _page_hrefs(transform: etree.XSLT, document: bytes) -> list[str]:
    page = lxml.html.fromstring(str(transform(etree.fromstring(document))))
    return [str(value) for value in page.xpath("//@href | //@src | //@action | //@formaction")]


def test_browser_page_links_only_http(tmp_path: Path) -> None:
    """feed.xsl makes links out of http(s) URLs only, whatever a feed file holds (old or hand-edited)."""
    transform = _stylesheet(tmp_path)
    unsafe = []
    for link in HOSTILE_HREFS:
        for kind, document in (("atom", _atom_with(link)), ("rss", _rss_with(link))):
            for href in _page_hrefs(transform, document):
                if not href.strip().lower().startswith(("https://", "http://")):
                    unsafe.append((kind, link, href))
    assert not unsafe, f"feed.xsl links to non-http(s) URLs: {unsafe}"


def test_browser_page_runs_no_script_from_text(tmp_path: Path) -> None:
    """Markup written as text in titles and summaries stays text on the browser page (sanitize off)."""
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    posts = {
        "2025-01-02-markup.md": post(
            f"title: '{hostile}'\ndate: 2025-01-02 00:00:00 +0000\nexcerpt: '{hostile}'", f"`{hostile}`"
        )
    }
    site = feedlib_site(tmp_path, posts, FEEDLIB_TOML + "stylesheet = true\n")
    run = build(site, seconds=NORMAL_SECONDS)
    assert run.returncode == 0, run.describe()
    transform = etree.XSLT(etree.parse(str(site / "public" / "feed.xsl")))
    for name in ("feed.xml", "rss.xml"):
        page = lxml.html.fromstring(str(transform(etree.parse(str(site / "public" / name)))))
        assert not page.xpath("//script | //img | //iframe"), f"{name}: markup became elements"
        assert not [a for a in page.xpath("//@*") if a.attrname.lower().startswith("on")], name


# -- Security: files from outside ------------------------------------------------------------------

SECRET = "TOP-SECRET-OUTSIDE-TEXT"


def _outside_post(tmp_path: Path) -> Path:
    return write(tmp_path / "outside" / "secret.md", dated(20, body=SECRET))


def _symlinks(folder: Path, outside: Path, prefix: str = "") -> dict[str, None]:
    """Symbolic links in ``folder``: out of the site, a loop, a two-file loop, a dangling one."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        "leak": f"{prefix}2025-01-02-leak.md",
        "loop": f"{prefix}2025-01-03-loop.md",
        "ping": f"{prefix}2025-01-04-ping.md",
        "pong": f"{prefix}2025-01-05-pong.md",
        "dangling": f"{prefix}2025-01-06-dangling.md",
    }
    (folder / names["leak"]).symlink_to(outside)
    (folder / names["loop"]).symlink_to(names["loop"])
    (folder / names["ping"]).symlink_to(names["pong"])
    (folder / names["pong"]).symlink_to(names["ping"])
    (folder / names["dangling"]).symlink_to("no-such-file.md")
    return dict.fromkeys(names.values())


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("jekyll", [False, True], ids=["feedlib", "jekyll"])
def test_symlinked_posts_are_refused(tmp_path: Path, jekyll: bool, command: str) -> None:
    """A post linking out of the site, a link loop and a dangling link: one line each, nothing read."""
    outside = _outside_post(tmp_path)
    root = tmp_path / "site"
    site = (
        jekyll_site(root, {"2025-01-01-good.md": GOOD})
        if jekyll
        else feedlib_site(root, {"2025-01-01-good.md": GOOD})
    )
    expected = _symlinks(site / ("_posts" if jekyll else "posts"), outside)
    run = (build if command == "build" else check)(site, jekyll=jekyll)
    out = out_of(site, jekyll)
    assert_refused(run, out, {}, expected)
    assert SECRET not in run.stdout + run.stderr
    assert all(SECRET.encode() not in data for data in published(out).values())


def test_symlinked_include_out_of_site_is_refused(tmp_path: Path) -> None:
    """An include that links out of the site is refused with one line; an unused broken one is one line."""
    outside = write(tmp_path / "outside" / "secret.html", SECRET)
    site = jekyll_site(
        tmp_path / "site",
        {
            "2025-01-01-good.md": GOOD,
            "2025-01-02-uses-secret.md": dated(2, body="Before.\n\n{% include secret.html %}\n"),
        },
    )
    (site / "_includes").mkdir(exist_ok=True)
    (site / "_includes" / "secret.html").symlink_to(outside)
    (site / "_includes" / "loop.html").symlink_to("loop.html")
    (site / "_includes" / "dangling.html").symlink_to("no-such-include.html")
    run = build(site, jekyll=True)
    out = out_of(site, True)
    # The post that uses it fails (naming the include); the unused broken links are one line each.
    assert_bounded(run)
    assert run.returncode == 1, run.describe()
    assert_one_line_each(run, {"2025-01-02-uses-secret.md": 8, "loop.html": None, "dangling.html": None})
    assert "secret.html" in next(line for line in run.problem_lines if "uses-secret" in line)
    assert SECRET not in run.stdout + run.stderr
    assert_nothing_published(out, {}, run)


# -- Security: a post edited during a build --------------------------------------------------------

# Runs feedlib's command with the target post edited on disk the moment the first read of it
# ends (whichever process reads it: a worker too). A build must publish the post as it first read
# it, or notice and start over (then it reads the draft and leaves the post out): never the draft.
EDIT_AFTER_FIRST_READ = """\
import builtins, io, os, sys

target = os.path.realpath(sys.argv[1])
draft = open(sys.argv[2], "rb").read()
log = sys.argv[3]
real_open = io.open


def edit():
    with real_open(log, "a") as file:
        file.write(f"{os.getpid()}\\n")
    temporary = target + ".editing"
    with real_open(temporary, "wb") as file:
        file.write(draft)
    os.replace(temporary, target)


class Reading:
    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __iter__(self):
        return iter(self._file)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        first = not self._file.closed
        self._file.close()
        if first and not os.path.exists(log):
            edit()


def hooked_open(file, mode="r", *args, **kwargs):
    opened = real_open(file, mode, *args, **kwargs)
    if isinstance(file, (str, os.PathLike)) and "r" in mode and "+" not in mode:
        if os.path.realpath(os.fspath(file)) == target:
            return Reading(opened)
    return opened


builtins.open = io.open = hooked_open
from feedlib.cli import main

sys.exit(main(sys.argv[4:]))
"""


@pytest.mark.parametrize(
    ("jekyll", "count", "workers"),
    [(False, 3, "1"), (False, 300, "2"), (True, 300, "2")],
    ids=["feedlib-3-posts", "feedlib-300-posts-2-workers", "jekyll-300-posts-2-workers"],
)
def test_post_turned_draft_mid_build_is_not_published(
    tmp_path: Path, jekyll: bool, count: int, workers: str
) -> None:
    """What a build publishes is what it chose, from one read of each file."""
    posts = {
        f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}-filler-{n}.md": dated(1, body=f"Filler {n}.")
        for n in range(count)
    }
    posts = {name: text.replace("2025-01-01", name[:10]) for name, text in posts.items()}
    target_name = "2025-06-01-target.md"
    posts[target_name] = post("title: Target\ndate: 2025-06-01 00:00:00 +0000", "PUBLIC-TEXT of the target.")
    draft = post(
        "title: Target\ndate: 2025-06-01 00:00:00 +0000\ndraft: true\npublished: false", "DRAFT-SECRET"
    )
    site = jekyll_site(tmp_path / "site", posts) if jekyll else feedlib_site(tmp_path / "site", posts)
    target = site / ("_posts" if jekyll else "posts") / target_name
    draft_file = write(tmp_path / "draft.md", draft)
    log = tmp_path / "edits.log"
    where = ["--jekyll", str(site)] if jekyll else ["--config", str(site / "feedlib.toml")]
    run = python(
        EDIT_AFTER_FIRST_READ,
        target,
        draft_file,
        log,
        "build",
        *where,
        "--now",
        "2026-01-01T00:00:00+00:00",
        cwd=site,
        seconds=NORMAL_SECONDS,
        env=feedlib_env({"FEEDLIB_WORKERS": workers}),
    )
    assert_bounded(run)
    assert log.exists(), f"the post was never read through open(): the hook did not run\n{run.describe()}"
    assert run.returncode == 0, run.describe()
    leaked = [name for name, data in published(out_of(site, jekyll)).items() if b"DRAFT-SECRET" in data]
    assert not leaked, f"the draft's text was published in {leaked}"


# -- Time and memory: YAML alias bombs -------------------------------------------------------------


def _alias_bomb(levels: int, tags: bool) -> str:
    """``levels`` anchors of nine aliases of the one before (the first: nine strings); 350 bytes."""
    names = "abcdefghijklmnop"
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for level in range(1, levels):
        alias = ",".join([f"*{names[level - 1]}"] * 9)
        lines.append(f"{names[level]}: &{names[level]} [{alias}]")
    if tags:
        lines.append(f"tags: *{names[levels - 1]}")
    return post("date: 2025-01-02 00:00:00 +0000\n" + "\n".join(lines))


def test_yaml_alias_bombs_end_fast(tmp_path: Path) -> None:
    """Three alias bombs (8 levels, 8 levels as tags, 9 levels): one line each, in seconds and a few MB."""
    bombs = {
        "2025-01-02-bomb-8.md": _alias_bomb(8, tags=False),
        "2025-01-03-bomb-8-tags.md": _alias_bomb(8, tags=True),
        "2025-01-04-bomb-9.md": _alias_bomb(9, tags=False),
    }
    assert all(len(text) < 400 for text in bombs.values())
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD, **bombs})
    run = build(site)
    assert_refused(run, site / "public", {}, dict.fromkeys(bombs, True))


# -- Time: regular expressions (see the audit of every pattern in feedlib) --------------------------

LONG = 50_000

#: Pattern → (site kind, post files, includes, expected exit status, expected lines, long values).
REGEX_CASES: dict[str, tuple[str, dict[str, str], dict[str, str], int, dict[str, int | bool | None], str]] = {
    # posts._ABSOLUTE_HTTP "^https?://[^\s/?#]+[^\s]*$": quadratic when "$" fails. (A post's
    # author.uri, and the site's in feedlib.toml or _config.yml, reach it the same way.)
    "posts._ABSOLUTE_HTTP-id": (
        "feedlib",
        {"2025-01-02-long-id.md": dated(2, f'id: "http://{"a" * LONG} x"')},
        {},
        1,
        {"2025-01-02-long-id.md": 4},
        "a" * LONG,
    ),
    # templates._POST_NAME "^(?:(.+)/)*(\d+-\d+-\d+)-(.*)$": exponential in "/" segments.
    "templates._POST_NAME-post_url": (
        "jekyll",
        {"2025-01-02-post-url.md": dated(2, body="See {% post_url " + "a/" * 28 + "x %}.")},
        {},
        1,
        {"2025-01-02-post-url.md": 6},
        "a/" * 28,
    ),
    # templates._INCLUDE_PARAM, searched from every position by finditer: quadratic without "=".
    "templates._INCLUDE_PARAM-include": (
        "jekyll",
        {"2025-01-02-include.md": dated(2, body="{% include note.html " + "a" * LONG + " %}")},
        {"note.html": "Note."},
        1,
        {"2025-01-02-include.md": 6},
        "a" * LONG,
    ),
    # templates._EDGE_NEWLINES "\A(?:\r?\n)+|(?:\r?\n)+\Z": quadratic on a run of newlines not at the end.
    "templates._EDGE_NEWLINES-highlight": (
        "jekyll",
        {
            "2025-01-02-highlight.md": dated(
                2, body="{% highlight ruby %}x" + "\n" * LONG + "y{% endhighlight %}"
            )
        },
        {},
        0,
        {},
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(REGEX_CASES))
def test_worst_case_of_each_vulnerable_pattern(tmp_path: Path, case: str) -> None:
    """Each pattern that can backtrack super-linearly, fed its worst case through the command."""
    kind, posts, includes, status, expected, value = REGEX_CASES[case]
    jekyll = kind == "jekyll"
    site = jekyll_site(tmp_path, posts, includes) if jekyll else feedlib_site(tmp_path, posts)
    run = build(site, jekyll=jekyll)
    out = out_of(site, jekyll)
    if status == 0:
        assert_bounded(run)
        assert run.returncode == 0, run.describe()
        assert not run.problem_lines, run.describe()
        assert published(out)
    else:
        assert_refused(run, out, {}, expected, value)


# -- Time and memory: Liquid -----------------------------------------------------------------------


def _include_chain(depth: int) -> dict[str, str]:
    """``c1.html`` includes ``c2.html`` … down to ``c{depth}.html``, which says DEPTH-REACHED."""
    chain = {f"c{level}.html": f"{{% include c{level + 1}.html %}}" for level in range(1, depth)}
    chain[f"c{depth}.html"] = "DEPTH-REACHED"
    return chain


def _fan_out(levels: int, width: int) -> dict[str, str]:
    """``f0.html`` includes ``f1.html`` ``width`` times, and so on, ``levels`` deep; the last is empty."""
    files = {f"f{level}.html": f"{{% include f{level + 1}.html %}}" * width for level in range(levels)}
    files[f"f{levels}.html"] = ""
    return files


LIQUID_BOMBS = {
    "range": ({"2025-01-02-range.md": dated(2, body='{{ (1..100000000) | join: "," | size }}')}, {}),
    "fan-out": ({"2025-01-02-fan-out.md": dated(2, body="{% include f0.html %}")}, _fan_out(7, 12)),
}


@pytest.mark.parametrize("case", sorted(LIQUID_BOMBS))
def test_liquid_bombs_end_fast(tmp_path: Path, case: str) -> None:
    """A huge range, and includes 7 levels deep of 12 each (1.7 KB), are post errors, in seconds."""
    posts, includes = LIQUID_BOMBS[case]
    site = jekyll_site(tmp_path, {"2025-01-01-good.md": GOOD, **posts}, includes)
    run = build(site, jekyll=True)
    assert_refused(run, out_of(site, True), {}, dict.fromkeys(posts, 6))


def test_include_depth_20_works(tmp_path: Path) -> None:
    """The README promises includes nested 20 deep."""
    site = jekyll_site(
        tmp_path, {"2025-01-02-deep.md": dated(2, body="{% include c1.html %}")}, _include_chain(20)
    )
    run = build(site, jekyll=True, seconds=NORMAL_SECONDS)
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    assert b"DEPTH-REACHED" in published(out_of(site, True))["feed.xml"]


def test_include_depth_21_is_a_clear_error(tmp_path: Path) -> None:
    """One more level than promised is a post error that says the includes nest too deeply."""
    site = jekyll_site(
        tmp_path,
        {"2025-01-01-good.md": GOOD, "2025-01-02-deep.md": dated(2, body="{% include c1.html %}")},
        _include_chain(21),
    )
    run = build(site, jekyll=True, seconds=NORMAL_SECONDS)
    assert_refused(run, out_of(site, True), {}, {"2025-01-02-deep.md": 6})
    line = run.problem_lines[0].lower()
    assert "include" in line and any(word in line for word in ("deep", "nest", "depth")), line


# -- Time and memory: huge posts ---------------------------------------------------------------------


def test_pathological_markdown_ends_fast(tmp_path: Path) -> None:
    """20,000 "[" (quadratic in Python-Markdown): rendered in time, or a post error with one line."""
    site = feedlib_site(tmp_path, {"2025-01-02-brackets.md": dated(2, body="[" * 20_000)})
    run = build(site)
    assert_bounded(run)
    assert run.returncode in (0, 1), run.describe()
    if run.returncode == 1:
        assert_one_line_each(run, {"2025-01-02-brackets.md": None})
        assert_nothing_published(site / "public", {}, run)
    assert_lines_short(run, "[" * 20_000)


def test_200_mb_post_ends_fast(tmp_path: Path) -> None:
    """A 200 MB post is refused (a documented size limit) in seconds, with one line naming it."""
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD})
    huge = site / "posts" / "2025-01-02-huge.md"
    with huge.open("wb") as file:
        file.write(b"---\ntitle: Huge\ndate: 2025-01-02 00:00:00 +0000\n---\n\n")
        chunk = b"word " * (1 << 20)
        for _ in range(40):
            file.write(chunk)
    run = build(site)
    assert_refused(run, site / "public", {}, {"2025-01-02-huge.md": None}, rss_mb=None)


# -- Time: a WebSub hub that answers badly ------------------------------------------------------------


class _Hub(http.server.BaseHTTPRequestHandler):
    """A hub that streams without end (for a few seconds), or does not speak HTTP."""

    mode = "endless"
    stop_after = HOSTILE_SECONDS + 2

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.mode == "endless":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            chunk = b"x" * 65536
            end = time.monotonic() + self.stop_after
            try:
                while time.monotonic() < end:
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif self.mode == "hello":
            self.wfile.write(b"HELLO WORLD\r\n")
        else:
            self.wfile.write(b"HELLO WORLD" + b"!" * 100_000)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hub(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Hub", (_Hub,), {"mode": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("hub", ["endless", "hello", "long-junk"], indirect=True)
def test_bad_hub_is_one_warning(tmp_path: Path, hub: str) -> None:
    """A bounded read, a timeout, one warning line, exit 0: the feeds are published."""
    config = FEEDLIB_TOML.replace('timezone = "UTC"', f'timezone = "UTC"\nhub = "{hub}"').replace(
        'formats = ["atom", "rss", "json"]', 'formats = ["atom"]'
    )
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD}, config)
    run = build(site, "--ping")
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    assert len(run.problem_lines) == 1 and "warning" in run.problem_lines[0], run.describe()
    assert_lines_short(run, "!" * 100_000)
    assert b"GOOD-POST-TEXT" in published(site / "public")["feed.xml"]


# -- No silent loss: HTML over libxml2's 10 MB limit ------------------------------------------------

BIG = 6_000_000
BIG_HTML = {
    "two-6-mb-paragraphs": "word " * (BIG // 5) + "\n\n" + "more " * (BIG // 5) + "\n\nTAIL-MARKER\n",
    "one-12-mb-paragraph": "word " * (2 * BIG // 5) + "TAIL-MARKER\n",
    "big-data-image": "Before.\n\n![x](data:image/png;base64," + "A" * (2 * BIG) + ")\n\nTAIL-MARKER\n",
}


@pytest.mark.parametrize("case", sorted(BIG_HTML))
def test_html_over_10_mb_is_whole_or_an_error(tmp_path: Path, case: str) -> None:
    """Either the whole post is published (its last paragraph too) or it is a post error: never cut."""
    name = "2025-01-02-big.md"
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD, name: dated(2, body=BIG_HTML[case])})
    run = build(site, seconds=20, memory=3 << 30)
    assert_bounded(run)
    assert run.returncode in (0, 1), run.describe()
    if run.returncode == 1:
        assert_one_line_each(run, {name: None})
        assert_nothing_published(site / "public", {}, run)
        return
    feeds = published(site / "public")
    cut = [feed for feed in ("feed.xml", "rss.xml", "feed.json") if b"TAIL-MARKER" not in feeds[feed]]
    assert not cut, f"the post was published cut short in {cut} ({run.describe()})"


# -- No silent loss: unreadable folders, and files whose names are not UTF-8 -----------------------


def _cannot_read_as_tests_run(folder: Path, tmp_path: Path) -> None:
    """Skip unless a command started with the file access bounds is refused ``folder``."""
    probe = python(
        "import os, sys; p = sys.argv[1]; os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read()",
        folder,
        cwd=tmp_path,
        seconds=NORMAL_SECONDS,
        drop_file_access=True,
    )
    if probe.returncode == 0:
        pytest.skip("a folder with mode 000 stays readable here, even without CAP_DAC_*: cannot test")


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("jekyll", [False, True], ids=["feedlib", "jekyll"])
def test_unreadable_posts_folder_is_an_error(tmp_path: Path, jekyll: bool, command: str) -> None:
    """A posts sub-folder the build cannot read is one line and exit 1, as an unreadable file is.

    Tests run as root here, where mode 000 stops nothing: the command runs
    without the capabilities CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so
    modes apply to it as to any user.
    """
    posts = {"2025-01-01-good.md": GOOD, "locked/2025-01-03-locked-away.md": dated(3)}
    site = jekyll_site(tmp_path / "site", posts) if jekyll else feedlib_site(tmp_path / "site", posts)
    folder = site / ("_posts" if jekyll else "posts")
    write(folder / "2025-01-04-unreadable.md", dated(4)).chmod(0)
    (folder / "locked").chmod(0)
    try:
        _cannot_read_as_tests_run(folder / "locked", tmp_path)
        run = (build if command == "build" else check)(site, jekyll=jekyll, drop_file_access=True)
    finally:
        (folder / "locked").chmod(0o755)
    assert_refused(run, out_of(site, jekyll), {}, {"locked": None, "2025-01-04-unreadable.md": None})
    assert " OK" not in run.stdout


NOT_UTF8 = b"2025-01-02-caf\xe9.md"


def _named(folder: Path, raw_name: bytes) -> Path:
    """``folder``'s file called ``raw_name``, bytes that need not be UTF-8 (as a surrogate-escaped Path)."""
    return folder / os.fsdecode(raw_name)


@pytest.mark.parametrize("command", ["build", "check"])
def test_post_named_in_bytes_that_are_not_utf8(tmp_path: Path, command: str) -> None:
    """A post whose file name is not UTF-8: one line naming it, and files not used change nothing."""
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD})
    folder = site / "posts"
    write(_named(folder, NOT_UTF8), dated(2))
    write(_named(folder, b"image-\xff.png"), b"\x89PNG")  # Not a post.
    write(_named(folder / "_drafts", b"\xff.md"), dated(3))  # Skipped, as every name starting with "_".
    run = (build if command == "build" else check)(site)
    assert_refused(run, site / "public", {}, {"2025-01-02-caf": None})
    run.raw_stderr.decode("utf-8")  # stderr stays text: the name is escaped, not written raw.


@pytest.mark.parametrize("case", ["not-utf8-content", "not-utf8-name", "unreadable"])
def test_unused_bad_include_breaks_nothing(tmp_path: Path, case: str) -> None:
    """A file of _includes/ that no post uses cannot fail a build."""
    site = jekyll_site(
        tmp_path / "site",
        {"2025-01-01-good.md": GOOD, "2025-01-02-note.md": dated(2, body="{% include note.html %}")},
        {"note.html": "NOTE"},
    )
    name = {
        "not-utf8-content": b"latin1.html",
        "not-utf8-name": b"caf\xe9.html",
        "unreadable": b"secret.html",
    }[case]
    include = write(_named(site / "_includes", name), b"caf\xe9" if case != "unreadable" else b"fine")
    drop = case == "unreadable"
    if drop:
        include.chmod(0)
        _cannot_read_as_tests_run(site / "_includes" / "secret.html", tmp_path)
    run = build(site, jekyll=True, seconds=NORMAL_SECONDS, drop_file_access=drop)
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    assert b"NOTE" in published(out_of(site, True))["feed.xml"]


def test_used_include_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    """An include a post uses that is not UTF-8 fails the build: one line naming it."""
    site = jekyll_site(
        tmp_path,
        {"2025-01-01-good.md": GOOD, "2025-01-02-uses.md": dated(2, body="{% include latin1.html %}")},
        {"latin1.html": b"caf\xe9"},
    )
    run = build(site, jekyll=True)
    assert_refused(run, out_of(site, True), {}, {"latin1.html": None})


# -- No silent loss: settings that collide with the lock or with another feed -------------------------


def test_feed_path_of_the_lock(tmp_path: Path) -> None:
    """feed.path: .feedlib.lock: a setting error, or a feed that does not take the lock's place.

    Today the feed is renamed over the lock file while the build holds it:
    a second build then locks the new file and runs alongside the first.
    """
    config = JEKYLL_CONFIG + "feed:\n  path: .feedlib.lock\n"
    site = jekyll_site(tmp_path, {"2025-01-01-good.md": GOOD}, config=config)
    out, flag = out_of(site, True), tmp_path / "release"
    command = ["build", "--jekyll", str(site)]
    holding = start_bounded(
        [sys.executable, "-c", AT_FIRST_PUBLISH, "hold-after", str(flag), str(out), *command],
        cwd=site,
        seconds=NORMAL_SECONDS,
    )
    try:
        _wait_for(Path(f"{flag}.held"), holding)
        other = None if holding.process.poll() is not None else build(site, "--wait", "0", jekyll=True)
    finally:
        flag.touch()
        first = finish(holding)
    assert_bounded(first)
    if other is None:
        assert first.returncode == 2, f"neither refused nor published: {first.describe()}"
        assert_one_line_each(first, {"_config.yml": True})
        assert "feed.path" in first.problem_lines[0], first.problem_lines[0]
        return
    assert first.returncode == 0, first.describe()
    assert other.returncode == 3, f"a second build ran while the first held the lock: {other.describe()}"
    assert b"GOOD-POST-TEXT" in (out / ".feedlib.lock").read_bytes()


def test_tag_feed_over_a_main_feed_names_the_post(tmp_path: Path) -> None:
    """A post tagged rss with tags at ":term.xml" would overwrite rss.xml: say which post and setting."""
    config = FEEDLIB_TOML + '\n[feeds]\ntags = { path = ":term.xml" }\n'
    site = feedlib_site(
        tmp_path, {"2025-01-01-good.md": GOOD, "2025-01-02-rss.md": dated(2, "tags: [rss]")}, config
    )
    run = build(site)
    assert_bounded(run)
    assert run.returncode in (1, 2), run.describe()
    assert_one_line_each(run, {"2025-01-02-rss.md": None})
    assert "tags" in run.problem_lines[0], run.problem_lines[0]
    assert_nothing_published(site / "public", {}, run)


# -- No silent loss: file modes --------------------------------------------------------------------


def test_feed_written_through_a_0600_symlink_is_readable(tmp_path: Path) -> None:
    """A feed file that was a link to a 0600 file ends up readable by the web server."""
    site = feedlib_site(tmp_path / "site", {"2025-01-01-good.md": GOOD})
    target = write(tmp_path / "elsewhere" / "feed.xml", "old")
    target.chmod(0o600)
    write(site / "public" / "rss.xml", "old").chmod(0o600)
    (site / "public" / "feed.xml").symlink_to(target)
    run = build(site, seconds=NORMAL_SECONDS)
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    for name in ("feed.xml", "rss.xml", "feed.json"):
        mode = stat.S_IMODE((site / "public" / name).stat().st_mode)
        assert mode == 0o644, f"{name}: mode {mode:o}"


def test_feeds_are_readable_under_umask_077(tmp_path: Path) -> None:
    """New feeds (and the folders made for them) are readable by others whatever the umask."""
    config = FEEDLIB_TOML + "stylesheet = true\n\n[feeds]\ntags = true\n"
    site = feedlib_site(
        tmp_path, {"2025-01-01-good.md": GOOD.replace("title:", "tags: [python]\ntitle:")}, config
    )
    run = build(site, seconds=NORMAL_SECONDS, umask=0o077)
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    out = site / "public"
    files = {
        path.relative_to(out).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in out.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }
    assert "feed/by_tag/python.xml" in files, files
    assert {name: mode for name, mode in files.items() if mode != 0o644} == {}
    folders = [out, *(path for path in out.rglob("*") if path.is_dir())]
    closed = {
        str(path.relative_to(site)): oct(stat.S_IMODE(path.stat().st_mode))
        for path in folders
        if stat.S_IMODE(path.stat().st_mode) & 0o005 != 0o005
    }
    assert not closed, f"folders the web server cannot enter: {closed}"


# -- Messages that say what and where ----------------------------------------------------------------


def test_wait_nan_is_a_usage_error(tmp_path: Path) -> None:
    """--wait nan: exit 2, one line about --wait, no traceback."""
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD})
    run = build(site, "--wait", "nan")
    assert_bounded(run)
    assert run.returncode == 2, run.describe()
    assert len(run.problem_lines) == 1 and "--wait" in run.problem_lines[0], run.describe()
    assert_nothing_published(site / "public", {}, run)


def test_bad_timestamp_says_what_and_where(tmp_path: Path) -> None:
    """date: !!timestamp hello: one line with the file, the line and what is wrong with the date."""
    site = feedlib_site(
        tmp_path,
        {"2025-01-01-good.md": GOOD, "2025-01-02-timestamp.md": post("title: T\ndate: !!timestamp hello")},
    )
    run = build(site)
    assert_refused(run, site / "public", {}, {"2025-01-02-timestamp.md": 3})
    line = run.problem_lines[0]
    assert "date" in line and "NoneType" not in line and "groupdict" not in line, line


def test_missing_include_says_what_and_where(tmp_path: Path) -> None:
    """A missing include: one line with the post, the include's line, and that the include is missing."""
    site = jekyll_site(
        tmp_path,
        {
            "2025-01-01-good.md": GOOD,
            "2025-01-03-missing.md": dated(3, body="Text.\n\n{% include missing.html %}"),
        },
    )
    run = build(site, jekyll=True)
    assert_refused(run, out_of(site, True), {}, {"2025-01-03-missing.md": 8})
    line = run.problem_lines[0]
    assert "missing.html" in line and any(
        words in line for words in ("not found", "no such", "does not exist", "no file", "no include")
    ), line


# -- Error lines: short quotes and escaped file names -------------------------------------------------

ESCAPES = {
    "2025-01-02-new\nline.md": post('title: T\ndate: "not a date"'),
    "2025-01-03-\x1b[31mred.md": post("title: [unclosed"),
    "2025-01-04-long-date.md": post(f'title: T\ndate: "{"9" * LONG}"'),
    "2025-01-05-long-image.md": dated(5, f'image: "a b{"c" * LONG}"'),
    "2025-01-06-long-type.md": dated(6, f"enclosure: {{url: /x.mp3, length: 1, type: {'x' * LONG}}}"),
    "2025-01-07-long-email.md": dated(7, f"author: {{name: Ann, email: {'e' * LONG}}}"),
}
ESCAPE_KEYS = {
    "2025-01-02-new": None,
    "red.md": None,
    "2025-01-04-long-date.md": 3,
    "2025-01-05-long-image.md": 4,
    "2025-01-06-long-type.md": 4,
    "2025-01-07-long-email.md": 4,
}


@pytest.mark.parametrize("command", ["build", "check"])
def test_one_problem_stays_one_short_line(tmp_path: Path, command: str) -> None:
    """File names with a newline or terminal escapes are escaped; values are quoted only in part."""
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD, **ESCAPES})
    run = (build if command == "build" else check)(site)
    assert_refused(run, site / "public", {}, ESCAPE_KEYS, "9" * LONG, "c" * LONG, "x" * LONG, "e" * LONG)
    assert not no_control_characters(run), no_control_characters(run)


# -- The web root holds only what should be published --------------------------------------------------


def _only_feeds(out: Path) -> list[str]:
    """Names under ``out`` that are not feeds (hidden files included)."""
    if not out.exists():
        return []
    return sorted(
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and path.name not in FEED_FILES
    )


@pytest.mark.parametrize("outcome", ["succeeded", "failed"])
def test_web_root_holds_only_feeds_after_a_build(tmp_path: Path, outcome: str) -> None:
    """After a build, the output folder holds the feeds (and feed.xsl) and nothing else: no lock."""
    posts = {"2025-01-01-good.md": GOOD}
    if outcome == "failed":
        posts["2025-01-02-bad.md"] = post("title: [unclosed")
    site = feedlib_site(tmp_path, posts, FEEDLIB_TOML + "stylesheet = true\n")
    run = build(site, seconds=NORMAL_SECONDS)
    assert_bounded(run)
    assert run.returncode == (0 if outcome == "succeeded" else 1), run.describe()
    assert _only_feeds(site / "public") == []


# Runs feedlib's command; the first rename of a file into the output folder (a feed being
# published) does what argv[1] says: "kill" kills the build there; "hold" creates the file
# argv[2] + ".held" and waits (up to 30 s) until argv[2] exists; "hold-after" does the rename first.
AT_FIRST_PUBLISH = """\
import os, signal, sys, time

action, flag, out = sys.argv[1], sys.argv[2], os.path.realpath(sys.argv[3])
real = {"replace": os.replace, "rename": os.rename}


def hooked(name):
    def move(src, dst, *args, **kwargs):
        if os.path.realpath(os.path.dirname(os.path.abspath(os.fspath(dst)))).startswith(out):
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if action == "hold-after":
                real[name](src, dst, *args, **kwargs)
            open(flag + ".held", "w").close()
            end = time.monotonic() + 30
            while not os.path.exists(flag) and time.monotonic() < end:
                time.sleep(0.02)
            if action == "hold-after":
                return None
        return real[name](src, dst, *args, **kwargs)
    return move


os.replace, os.rename = hooked("replace"), hooked("rename")
from feedlib.cli import main

sys.exit(main(sys.argv[4:]))
"""


def _wait_for(path: Path, started: Started) -> None:
    """Wait until ``path`` exists or the started command ends (at most its time bound)."""
    end = time.monotonic() + started.seconds
    while not path.exists() and started.process.poll() is None and time.monotonic() < end:
        time.sleep(0.02)


def test_web_root_holds_only_feeds_after_a_killed_build(tmp_path: Path) -> None:
    """A build killed while publishing leaves nothing but feeds in the output folder."""
    site = feedlib_site(tmp_path, {"2025-01-01-good.md": GOOD}, FEEDLIB_TOML + "stylesheet = true\n")
    out = site / "public"
    run = python(
        AT_FIRST_PUBLISH,
        "kill",
        tmp_path / "flag",
        out,
        "build",
        "--config",
        site / "feedlib.toml",
        cwd=site,
        seconds=NORMAL_SECONDS,
    )
    assert run.returncode == -9, f"the build was not killed while publishing: {run.describe()}"
    assert _only_feeds(out) == []


def test_two_configurations_writing_one_folder_still_serialise(tmp_path: Path) -> None:
    """Two configurations with one output folder: while one publishes, the other cannot start."""
    out = tmp_path / "public"
    first = feedlib_site(
        tmp_path / "a", {"2025-01-01-good.md": GOOD}, FEEDLIB_TOML.replace('out = "public"', f'out = "{out}"')
    )
    second = feedlib_site(
        tmp_path / "b",
        {"2025-01-02-other.md": dated(2, body="SECOND-SITE")},
        FEEDLIB_TOML.replace('out = "public"', f'out = "{out}"'),
    )
    flag = tmp_path / "release"
    holding = start_bounded(
        [
            sys.executable,
            "-c",
            AT_FIRST_PUBLISH,
            "hold",
            str(flag),
            str(out),
            "build",
            "--config",
            str(first / "feedlib.toml"),
        ],
        cwd=first,
        seconds=NORMAL_SECONDS,
    )
    try:
        _wait_for(Path(f"{flag}.held"), holding)
        assert Path(f"{flag}.held").exists(), "the first build never reached publishing"
        other = build(second, "--wait", "0")
    finally:
        flag.touch()
        held = finish(holding)
    assert held.returncode == 0, held.describe()
    assert other.returncode == 3, f"the second build did not wait for the first: {other.describe()}"
    assert len(other.problem_lines) == 1, other.describe()
    assert all(b"SECOND-SITE" not in data for data in published(out).values())
    assert _only_feeds(out) == []


# -- --quiet ----------------------------------------------------------------------------------------


def test_quiet_build_says_nothing_of_an_ignored_setting(tmp_path: Path) -> None:
    """A ``feed:`` key feedlib ignores is said by check, not by every quiet build.

    feedlib honours every key jekyll-feed reads (docs/jekyll.md); one it does not know is ignored.
    """
    site = jekyll_site(
        tmp_path, {"2025-01-01-good.md": GOOD}, config=JEKYLL_CONFIG + "feed:\n  stylesheet: /feed.xsl\n"
    )
    run = build(site, "--quiet", jekyll=True)
    assert_bounded(run)
    assert run.returncode == 0, run.describe()
    assert run.stderr == "" and run.stdout == "", run.describe()
    said = check(site, jekyll=True)
    assert_bounded(said)
    assert said.returncode in (0, 1), said.describe()
    assert_one_line_each(said, {"feed.stylesheet": None})

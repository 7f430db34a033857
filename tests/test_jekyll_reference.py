"""`feedlib build --jekyll` against real Jekyll + jekyll-feed, field by field.

Each fixture site under tests/data/jekyll-reference/ (one per family of constructs) is built
twice from two copies: by Jekyll with jekyll-feed (Debian's packages ``jekyll`` and
``ruby-jekyll-feed``, ``ruby-kramdown-parser-gfm``) and by ``feedlib build --jekyll``; every
feed jekyll-feed writes is then compared with feedlib's by tests/jekyll_reference.py.
Some sites are also built with a few ``_config.yml`` keys changed (``VARIANTS``).

Targets, per feed:

- feed id, title, subtitle, links, icon, logo, authors and language equal;
- the same entries (matched by id: none only on one side);
- id, link, title, published and updated (instant and offset as written), categories,
  authors, thumbnail and language equal in every entry;
- content and summary as plain text equal in at least 90% of the entries, and difflib
  similarity at least 0.98 in each;
- no link target of jekyll-feed's content missing from feedlib's.

Where feedlib differs from jekyll-feed on purpose, ``ON_PURPOSE`` says so and how the
comparison leaves it out. The tests skip only where ``jekyll`` is not installed.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import DATA
from jekyll_reference import (
    ENTRY_FIELDS,
    Comparison,
    EntryComparison,
    canonical_url,
    compare,
    parse_datetime,
    parse_feed,
    similarity,
)

REFERENCE = DATA / "jekyll-reference"
JEKYLL = shutil.which("jekyll")

needs_jekyll = pytest.mark.skipif(
    JEKYLL is None,
    reason="jekyll is not installed "
    "(Debian: apt-get install jekyll ruby-jekyll-feed ruby-kramdown-parser-gfm)",
)

#: Where feedlib differs from jekyll-feed on purpose, and how these tests leave it out.
ON_PURPOSE = {
    "timezone unset": "Without `timezone:` Jekyll uses the machine's zone and feedlib UTC, so that every "
    "machine builds the same feed: Jekyll runs here with TZ=UTC.",
    "feed updated": "jekyll-feed's feed-level <updated> is the build time, feedlib's the newest entry's "
    "date: not compared.",
    "generator": "<generator> names the program: not compared.",
    "nameless author": "Where neither the post nor the site names an author, jekyll-feed writes "
    "<author><name></name></author> and feedlib the site title as the name (an Atom author needs "
    "one): such an entry must have feedlib's feed title as its only author.",
    "feed icon and logo": "jekyll-feed 0.17 (its latest release) writes no <icon> or <logo>; its "
    "next version (master since September 2024) writes feed.icon and feed.logo, made absolute, and "
    "so does feedlib: where jekyll-feed wrote none, feedlib's must be the configured one.",
}


def _feed_image_as_planned(site: str, name: str, values: tuple[Any, Any]) -> bool:
    """ON_PURPOSE["feed icon and logo"]: jekyll-feed 0.17 wrote none, feedlib the configured one."""
    config = yaml.safe_load((REFERENCE / site / "_config.yml").read_text(encoding="utf-8"))
    written = (config.get("feed") or {}).get(name)
    if not written:
        return False
    reference, candidate = values
    expected = written if "://" in written else config["url"].rstrip("/") + "/" + written.lstrip("/")
    return reference is None and candidate == canonical_url(expected)


def _nameless_author_as_planned(result: Comparison, entry: EntryComparison) -> bool:
    """ON_PURPOSE["nameless author"]: jekyll-feed's empty author name, feedlib's site title."""
    reference, candidate = entry.diffs["authors"]
    title = result.feed_info["title"][1]
    return reference == (("", None, None),) and candidate == ((title, None, None),)


#: Entry fields that must be equal in every entry.
EXACT_FIELDS = tuple(f for f in ENTRY_FIELDS if f not in {"content", "summary", "links"})
#: Plain-text fields: equal in at least this share of the entries, and at least this similar in each.
TEXT_FIELDS = ("content", "summary")
TEXT_EQUAL_SHARE = 0.90
TEXT_MIN_SIMILARITY = 0.98

REMOVE = object()

#: Builds besides each site's own _config.yml: site -> variant name -> keys to change
#: (deep-merged; REMOVE deletes the key).
VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "permalinks": {
        "pretty": {"collections": REMOVE, "permalink": "pretty"},
        "ordinal": {"collections": REMOVE, "permalink": "ordinal"},
        "none": {"collections": REMOVE, "permalink": "none"},
        "date-default-no-baseurl": {"collections": REMOVE, "permalink": REMOVE, "baseurl": REMOVE},
    },
    "dates": {"no-timezone": {"timezone": REMOVE}},
    "kramdown": {
        "input-kramdown": {"kramdown": {"input": "kramdown"}},
        "options": {
            "kramdown": {
                "hard_wrap": True,
                "smart_quotes": "apos,apos,quot,quot",
                "footnote_nr": 5,
                "toc_levels": "2..3",
                "parse_block_html": True,
                "auto_id_prefix": "id-",
                "entity_output": "numeric",
            }
        },
        "highlighter-none-no-ids": {"highlighter": "none", "kramdown": {"auto_ids": False}},
    },
    "feed-options": {"excerpt-only": {"feed": {"excerpt_only": True}}},
}

SITES = ("permalinks", "defaults", "dates", "data", "liquid", "kramdown", "feed-options")

#: The feeds jekyll-feed writes for each site (feed.xml unless listed).
FEED_FILES = {
    "feed-options": (
        "feed.xml",
        "feed/news.xml",
        "feed/release.xml",
        "feed/by_tag/python.xml",
        "feed/by_tag/ruby.xml",
        "feed/recipes.xml",
        "feed/recipes/dessert.xml",
    ),
}

BUILDS = [(site, "default") for site in SITES] + [
    (site, variant) for site, variants in VARIANTS.items() for variant in variants
]
FEEDS = [(site, variant, feed) for site, variant in BUILDS for feed in FEED_FILES.get(site, ("feed.xml",))]


def _build_id(build: tuple[str, str]) -> str:
    return "-".join(build)


def _feed_id(case: tuple[str, str, str]) -> str:
    return f"{case[0]}-{case[1]}-{case[2]}"


# --- building ------------------------------------------------------------------------------


@dataclass
class Built:
    """One fixture site built by Jekyll and by feedlib."""

    jekyll_out: Path
    feedlib_out: Path
    feedlib_status: int
    feedlib_stderr: str
    #: When the plain build failed: the output of the same build with --skip-invalid.
    feedlib_skip_invalid_stderr: str = ""


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if value is REMOVE:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _copy_site(site: str, variant: str, dest: Path) -> Path:
    shutil.copytree(REFERENCE / site, dest)
    if variant != "default":
        config_path = dest / "_config.yml"
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        config = _merge(config, VARIANTS[site][variant])
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"TZ": "UTC", "JEKYLL_ENV": "production", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    for name in ("BUNDLE_GEMFILE", "JEKYLL_NO_BUNDLER_REQUIRE"):
        env.pop(name, None)
    return env


def run_jekyll(source: Path, dest: Path) -> None:
    """``jekyll build --safe`` (jekyll-feed whitelisted from a config file outside the site)."""
    assert JEKYLL is not None
    whitelist = source.parent / "jekyll-whitelist.yml"
    whitelist.write_text("whitelist: [jekyll-feed]\n", encoding="utf-8")
    result = subprocess.run(
        [
            JEKYLL,
            "build",
            "--safe",
            "--disable-disk-cache",
            "--source",
            str(source),
            "--destination",
            str(dest),
            "--config",
            f"{source / '_config.yml'},{whitelist}",
        ],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"jekyll build {source.name} failed:\n{output}"
    assert not re.search(r"warn|error|deprecat", output, re.IGNORECASE), f"jekyll warned:\n{output}"


FLAGS = ("--no-cache", "--quiet")


def run_feedlib(source: Path, dest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``python -m feedlib build --jekyll SOURCE --out DEST --no-cache --quiet``."""
    command = [sys.executable, "-m", "feedlib", "build", "--jekyll", str(source), "--out", str(dest)]
    return subprocess.run(
        [*command, *FLAGS, *extra],
        env=_environment(),
        cwd=source.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str], Built]]:
    """Each (site, variant) built once per session, on first use."""

    class Builds(dict[tuple[str, str], Built]):
        def __missing__(self, key: tuple[str, str]) -> Built:
            site, variant = key
            root = tmp_path_factory.mktemp(f"{site}-{variant}")
            jekyll_src = _copy_site(site, variant, root / "jekyll-src")
            feedlib_src = _copy_site(site, variant, root / "feedlib-src")
            run_jekyll(jekyll_src, root / "jekyll-out")
            result = run_feedlib(feedlib_src, root / "feedlib-out")
            built = Built(root / "jekyll-out", root / "feedlib-out", result.returncode, result.stderr)
            if result.returncode != 0:
                # Compare what a build leaving out the invalid posts gives, so that one bad post
                # does not hide every other difference; test_feedlib_builds_cleanly still fails.
                again = run_feedlib(feedlib_src, root / "feedlib-out-skip", "--skip-invalid")
                built.feedlib_out = root / "feedlib-out-skip"
                built.feedlib_skip_invalid_stderr = again.stderr
            self[key] = built
            return built

    yield Builds()


def comparison(builds: dict[tuple[str, str], Built], site: str, variant: str, feed: str) -> Comparison:
    built = builds[site, variant]
    reference = built.jekyll_out / feed
    candidate = built.feedlib_out / feed
    assert reference.is_file(), f"jekyll-feed wrote no {feed}"
    assert candidate.is_file(), (
        f"feedlib wrote no {feed} (status {built.feedlib_status}):\n{built.feedlib_stderr}"
        f"{built.feedlib_skip_invalid_stderr}"
    )
    return compare(reference, candidate)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:299] + "…"


# --- the differential tests ----------------------------------------------------------------


@needs_jekyll
@pytest.mark.parametrize("build", BUILDS, ids=_build_id)
def test_feedlib_builds_cleanly(builds: dict[tuple[str, str], Built], build: tuple[str, str]) -> None:
    """Every fixture builds with Jekyll, so feedlib must build it too: exit 0, nothing on stderr."""
    built = builds[build]
    assert (built.feedlib_status, built.feedlib_stderr) == (0, "")


@needs_jekyll
@pytest.mark.parametrize("build", BUILDS, ids=_build_id)
def test_same_feed_files(builds: dict[tuple[str, str], Built], build: tuple[str, str]) -> None:
    """feedlib writes a feed wherever jekyll-feed writes one (and the fixtures list them all)."""
    built = builds[build]
    written = sorted(
        str(p.relative_to(built.jekyll_out))
        for p in built.jekyll_out.rglob("*.xml")
        if p.name == "feed.xml" or "feed" in p.relative_to(built.jekyll_out).parts[:1]
    )
    assert written == sorted(FEED_FILES.get(build[0], ("feed.xml",)))
    missing = [f for f in written if not (built.feedlib_out / f).is_file()]
    assert missing == []


@needs_jekyll
@pytest.mark.parametrize("case", FEEDS, ids=_feed_id)
def test_feed_level_fields(builds: dict[tuple[str, str], Built], case: tuple[str, str, str]) -> None:
    result = comparison(builds, *case)
    differing = {
        k: (_show(a), _show(b))
        for k, (a, b) in result.feed_diffs.items()
        if not (k in ("icon", "logo") and _feed_image_as_planned(case[0], k, (a, b)))
    }
    assert differing == {}


@needs_jekyll
@pytest.mark.parametrize("case", FEEDS, ids=_feed_id)
def test_same_entries(builds: dict[tuple[str, str], Built], case: tuple[str, str, str]) -> None:
    """The same posts: none only in jekyll-feed's feed or only in feedlib's.

    Entries are paired by id, else by link, title or date, so that a post whose id alone
    differs counts here as present (test_entry_field_equal[...-id] reports the id).
    """
    result = comparison(builds, *case)
    assert [e.id for e in result.only_in_reference] == []
    assert [e.id for e in result.only_in_candidate] == []


@needs_jekyll
@pytest.mark.parametrize("field", EXACT_FIELDS)
@pytest.mark.parametrize("case", FEEDS, ids=_feed_id)
def test_entry_field_equal(
    builds: dict[tuple[str, str], Built], case: tuple[str, str, str], field: str
) -> None:
    """Per entry (paired by id, else link, else title and date): the field is jekyll-feed's."""
    result = comparison(builds, *case)
    differing = {
        e.key: (_show(e.diffs[field][0]), _show(e.diffs[field][1]))
        for e in result.differing(field)
        if not (field == "authors" and _nameless_author_as_planned(result, e))
    }
    assert differing == {}


@needs_jekyll
@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("case", FEEDS, ids=_feed_id)
def test_text_close(builds: dict[tuple[str, str], Built], case: tuple[str, str, str], field: str) -> None:
    """Content and summary as plain text: equal in >= 90% of entries, similarity >= 0.98 in each."""
    result = comparison(builds, *case)
    if not result.entries:
        return
    ratios = {e.key: similarity(*e.diffs[field]) if field in e.diffs else 1.0 for e in result.entries}
    equal = sum(1 for e in result.entries if field not in e.diffs)
    too_far = {
        e.key: (round(ratios[e.key], 4), _show(e.diffs[field][0]), _show(e.diffs[field][1]))
        for e in result.entries
        if ratios[e.key] < TEXT_MIN_SIMILARITY
    }
    assert too_far == {}
    assert equal / len(result.entries) >= TEXT_EQUAL_SHARE, {
        e.key: (_show(e.diffs[field][0]), _show(e.diffs[field][1])) for e in result.differing(field)
    }


@needs_jekyll
@pytest.mark.parametrize("case", FEEDS, ids=_feed_id)
def test_no_link_target_lost(builds: dict[tuple[str, str], Built], case: tuple[str, str, str]) -> None:
    result = comparison(builds, *case)
    assert {k: sorted(v) for k, v in result.lost_links.items()} == {}


# --- the date oracle agrees with Jekyll ----------------------------------------------------


def _dates_oracle() -> dict[str, dict[str, str]]:
    lines = [
        line
        for line in (REFERENCE / "dates.tsv").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return {row["input"]: row for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)}


ISO = r"-?\d{4,5}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d"


def test_dates_oracle_is_well_formed() -> None:
    oracle = _dates_oracle()
    assert len(oracle) > 100
    assert oracle["2023-01-29 18:30:22 2023 -0800"]["quoted_utc"] == "2023-01-29T18:30:22+00:00"
    for row in oracle.values():
        for column in ("quoted_utc", "quoted_tokyo", "unquoted_utc", "unquoted_tokyo"):
            value = row[column]
            assert value in {"ERROR", "NOW"} or re.fullmatch(ISO, value)


@needs_jekyll
def test_dates_oracle_matches_jekyll(builds: dict[tuple[str, str], Built]) -> None:
    """Each dated post of the `dates` fixture (no-timezone build: UTC) is where dates.tsv says."""
    oracle = _dates_oracle()
    feed = parse_feed(builds["dates", "no-timezone"].jekyll_out / "feed.xml")
    published = {e.title: e.published for e in feed.entries}
    checked = 0
    for post in sorted((REFERENCE / "dates" / "_posts").glob("*.md")):
        front = post.read_text(encoding="utf-8").split("---")[1]
        title = yaml.safe_load(front)["title"]
        match = re.search(r"^date: (.*)$", front, re.MULTILINE)
        if not match:
            continue
        text = match.group(1)
        quoted = text.startswith('"')
        row = oracle.get(text.strip('"'))
        if row is None:
            continue
        expected = parse_datetime(row["quoted_utc" if quoted else "unquoted_utc"])[0]
        assert published[title] == expected, (post.name, text)
        checked += 1
    assert checked >= 10


# --- the comparison itself (no Jekyll needed) ----------------------------------------------

_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>https://example.com/feed.xml</id>
  <title type="html">A &amp;amp; B</title>
  <link href="https://example.com/feed.xml" rel="self"/>
  <link href="https://example.com/" rel="alternate"/>
  <entry{entry_lang}>
    <id>{entry_id}</id>
    <title type="html">It\u2019s &lt;b&gt;bold&lt;/b&gt;</title>
    <link href="https://example.com/2024/hello/" rel="alternate"/>
    <published>2024-01-01T09:00:00{offset}</published>
    <updated>2024-01-01T09:00:00{offset}</updated>
    <content type="html" xml:base="https://example.com/2024/hello/">{content}</content>
    <author><name>Ann</name></author>
    <category term="b"/><category term="a"/>
  </entry>
</feed>
"""


def _feed(**fields: str) -> bytes:
    values = {
        "entry_lang": "",
        "entry_id": "https://example.com/2024/hello",
        "offset": "Z",
        "content": "&lt;p&gt;See &lt;a href='../x/'&gt;x&lt;/a&gt;.&lt;/p&gt;",
    }
    values.update(fields)
    return _FEED.format(**values).encode()


def test_compare_identical_feeds() -> None:
    result = compare(_feed(), _feed())
    assert result.feed_diffs == {}
    assert [e.diffs for e in result.entries] == [{}]
    assert result.min_similarity == 1.0


def test_compare_reads_text_as_a_reader_does() -> None:
    feed = parse_feed(_feed())
    assert feed.fields["title"] == "A & B"
    (entry,) = feed.entries
    assert entry.title == "It\u2019s bold"
    assert entry.content == "See x."
    assert entry.links == {"https://example.com/2024/x/"}
    assert entry.categories == ("a", "b")
    assert entry.lang == "en"  # inherited from the feed


def test_compare_relative_and_absolute_links_are_one_target() -> None:
    absolute = "&lt;p&gt;See &lt;a href='https://example.com/2024/x/'&gt;x&lt;/a&gt;.&lt;/p&gt;"
    result = compare(_feed(), _feed(content=absolute))
    assert [e.diffs for e in result.entries] == [{}]


def test_compare_offsets_and_instants_apart() -> None:
    result = compare(_feed(offset="+00:00"), _feed())
    assert [e.diffs for e in result.entries] == [{}]  # Z is +00:00
    result = compare(_feed(), _feed(offset="+09:00"))
    (entry,) = result.entries
    assert set(entry.diffs) == {"published", "published_offset", "updated", "updated_offset"}


def test_compare_pairs_entries_whose_ids_differ() -> None:
    result = compare(_feed(), _feed(entry_id="https://example.com/2024/hello/", entry_lang=' xml:lang="ja"'))
    (entry,) = result.entries
    assert entry.matched_by == "link"
    assert set(entry.diffs) == {"id", "lang"}
    assert result.only_in_reference == result.only_in_candidate == []


def test_compare_reports_lost_links_and_similarity() -> None:
    result = compare(_feed(), _feed(content="&lt;p&gt;See x.&lt;/p&gt;"))
    (entry,) = result.entries
    assert entry.lost_links == {"https://example.com/2024/x/"}
    assert entry.similarity == 1.0
    assert "links" in entry.diffs
    assert "link targets lost: 1 in 1 entries" in result.summary_table()

"""feedlib.urls: Jekyll permalinks, slugs, percent-encoding against a site URL with a path."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from feedlib import ConfigError, Post, Site, urls
from feedlib.dates import zone
from feedlib.selection import entry_id
from feedlib.urls import PERMALINK_STYLES, absolute_url, expand_permalink, post_url, slugify

SITE = Site(url="https://example.com/blog/", title="T")
TOKYO = replace(SITE, timezone="Asia/Tokyo")


def make_post(**fields) -> Post:
    values = {
        "path": Path("posts/2025-10-10-hello-world.md"),
        "title": "Hello",
        "date": datetime(2025, 10, 10, 12, 0, 5, tzinfo=timezone(timedelta(hours=-4))),
        "updated": datetime(2025, 10, 10, 12, 0, 5, tzinfo=timezone(timedelta(hours=-4))),
        "slug": "hello-world",
        "body": "",
    }
    values.update(fields)
    return Post(**values)


@pytest.mark.parametrize(
    ("text", "kwargs", "slug"),
    [
        ("Hello, World!", {}, "hello-world"),
        ("Hello, World!", {"pretty": True}, "hello,-world!"),
        ("Hello, World!", {"pretty": True, "cased": True}, "Hello,-World!"),
        ("  --a  b--  ", {}, "a-b"),
        ("xAIの200億ドル", {}, "xaiの200億ドル"),
        ("000_966dccc71f240b11", {"pretty": True, "cased": True}, "000_966dccc71f240b11"),
        ("000_966dccc71f240b11", {}, "000-966dccc71f240b11"),
        ("Café crème", {}, "café-crème"),
        ("!!!", {}, ""),
    ],
)
def test_slugify(text: str, kwargs: dict, slug: str):
    assert slugify(text, **kwargs) == slug


def test_every_placeholder_in_the_site_timezone():
    pattern = (
        "/:year/:short_year/:month/:i_month/:day/:i_day/:hour/:minute/:second/:y_day/:slug/:title:output_ext"
    )
    post = make_post(slug="Hello World!")
    # 2025-10-10 12:00:05 -04:00 is 2025-10-11 01:00:05 in Tokyo.
    assert (
        expand_permalink(pattern, post, TOKYO)
        == "/2025/25/10/10/11/11/01/00/05/284/hello-world/Hello-World!.html"
    )
    assert (
        expand_permalink(pattern, post, SITE)
        == "/2025/25/10/10/10/10/16/00/05/283/hello-world/Hello-World!.html"
    )


def test_single_digit_months_and_days():
    post = make_post(date=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC))
    assert (
        expand_permalink("/:month/:i_month/:day/:i_day/:y_day/:short_year", post, SITE) == "/03/3/04/4/063/25"
    )


@pytest.mark.parametrize(
    ("style", "path"),
    [
        ("date", "/guides/2025/10/10/hello-world.html"),
        ("pretty", "/guides/2025/10/10/hello-world/"),
        ("ordinal", "/guides/2025/283/hello-world.html"),
        ("none", "/guides/hello-world.html"),
    ],
)
def test_styles(style: str, path: str):
    assert style in PERMALINK_STYLES
    assert expand_permalink(style, make_post(categories=("Guides",)), SITE) == path


def test_categories_lower_cased_deduplicated_and_empty_segments_collapsed():
    post = make_post(categories=("Guides", "Release", "guides"))
    assert expand_permalink("date", post, SITE) == "/guides/release/2025/10/10/hello-world.html"
    assert expand_permalink("date", make_post(), SITE) == "/2025/10/10/hello-world.html"
    assert expand_permalink("/:categories//:title/", make_post(), SITE) == "/hello-world/"


def test_unknown_placeholders_are_kept():
    assert expand_permalink("/:nope/:title", make_post(), SITE) == "/:nope/hello-world"


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://example.com/blog/", "https://example.com/blog/2025/10/10/hello-world.html"),
        ("https://example.com/blog", "https://example.com/blog/2025/10/10/hello-world.html"),
        ("https://example.com", "https://example.com/2025/10/10/hello-world.html"),
        ("https://example.com/", "https://example.com/2025/10/10/hello-world.html"),
        ("http://example.com:8080/a/b/", "http://example.com:8080/a/b/2025/10/10/hello-world.html"),
    ],
)
def test_post_url_is_relative_to_the_site_url(site_url: str, expected: str):
    assert post_url(make_post(), replace(SITE, url=site_url)) == expected


def test_default_permalink_is_jekylls_date_style():
    assert (
        Site(url="https://example.com/", title="T").permalink == "/:categories/:year/:month/:day/:title.html"
    )


def test_front_matter_permalink_wins():
    assert post_url(make_post(permalink="/about/"), SITE) == "https://example.com/blog/about/"
    assert post_url(make_post(permalink="about.html"), SITE) == "https://example.com/blog/about.html"
    assert (
        post_url(make_post(permalink="/:year/:title/"), SITE) == "https://example.com/blog/2025/hello-world/"
    )
    other = "https://other.example.org/x"
    assert post_url(make_post(permalink=other), SITE) == other


def test_site_permalink_pattern_is_used():
    site = replace(SITE, permalink="/posts/:slug/")
    assert post_url(make_post(), site) == "https://example.com/blog/posts/hello-world/"


def test_urls_are_percent_encoded_ascii():
    post = make_post(categories=("投資分析",), slug="日本語の投稿")
    url = post_url(post, TOKYO)
    assert url.isascii()
    assert url == (
        "https://example.com/blog/%E6%8A%95%E8%B3%87%E5%88%86%E6%9E%90/2025/10/11/"
        "%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E6%8A%95%E7%A8%BF.html"
    )
    assert unquote(urlsplit(url).path) == "/blog/投資分析/2025/10/11/日本語の投稿.html"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/a b/ü", "https://example.com/blog/a%20b/%C3%BC"),
        ("/%E6%97%A5/", "https://example.com/blog/%E6%97%A5/"),  # not encoded twice
        ("/100%25/", "https://example.com/blog/100%25/"),
        ("/x?q=1 2#frag ment", "https://example.com/blog/x?q=1%202#frag%20ment"),
        ("https://other.example/x y", "https://other.example/x%20y"),
        ("relative/path", "https://example.com/blog/relative/path"),
    ],
)
def test_absolute_url(path: str, url: str):
    assert absolute_url(path, SITE) == url


@pytest.mark.parametrize(
    ("front_matter_id", "expected"),
    [
        (None, "https://example.com/blog/2025/10/10/hello-world.html"),
        ("tag:example.com,2025:hello", "tag:example.com,2025:hello"),
        ("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"),
        ("https://example.com/old/1", "https://example.com/old/1"),
        ("posts/1", "https://example.com/blog/posts/1"),
        ("/posts/1", "https://example.com/blog/posts/1"),
        ("42", "https://example.com/blog/42"),
    ],
)
def test_entry_id(front_matter_id: str | None, expected: str):
    assert entry_id(make_post(id=front_matter_id), SITE) == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"categories": ("C++: Tips",)},
        {"categories": ("Notes:2025",)},
        {"permalink": "/notes:intro/"},
        {"permalink": "notes:intro/"},
    ],
    ids=["category-cpp", "category-notes", "permalink-slash", "permalink"],
)
def test_colon_in_the_first_segment_stays_under_the_site(fields: dict):
    url = post_url(make_post(**fields), SITE)
    assert url.startswith("https://example.com/blog/")


@pytest.mark.parametrize(
    "fields",
    [{"permalink": " /about/"}, {"categories": ("\x1b",)}],
    ids=["permalink-space", "category-escape"],
)
def test_leading_space_or_control_character_stays_under_the_site(fields: dict):
    url = post_url(make_post(**fields), SITE)
    assert url.startswith("https://example.com/blog/")


# -- the quick paths give what the slow ones give ------------------------------------------------


@given(text=st.text(st.characters(max_codepoint=127)), pretty=st.booleans())
@example(text="--a  b--", pretty=False)
@example(text="!!Hello, World!!", pretty=True)
def test_ascii_slugs_are_the_same_as_character_by_character(text: str, pretty: bool):
    assert slugify(text, pretty=pretty, cased=True) == urls._slug_of_characters(text, pretty)


SITE_URLS = [
    "https://example.com/blog/",
    "HTTPS://Example.COM:443/A%2fb/",
    "http://example.com:8080/b%20x/ü/",
    "https://example.com/e\u0301/",
    "https://example.com/%E3%81",
    "https://example.com/?q=1",
    "https://example.com/#top",
    "https://[::1]:8000/x/",
    "https://[bad/",
    "example.com/blog/",
    "mailto:someone@example.com",
    "\thttps://example.com/ a\tb/",
]
PATH_PIECES = ["a", "Z", "0", "/", "//", "-", ".", "..", "~", ":", "@", "!", "$", "&", "'", "(", ")", "*",
               "+", ",", ";", "=", "%", "%2F", "%zz", "?", "#", " ", "\t", "ü", "e\u0301", "\u0301", "日本",
               "https://", "HTTP://X.example:80/", "\u212a", "\u037e", "\u0338", "\ud800", "\r", "\n",
               "\u3000"]  # fmt: skip


def canonical_or_error(url: str) -> str:
    try:
        return urls._canonical(url)
    except ValueError as error:
        return f"ValueError: {error}"


@given(
    path=st.lists(st.sampled_from(PATH_PIECES), max_size=8).map("".join), site_url=st.sampled_from(SITE_URLS)
)
@example(path="a/b.html", site_url="https://[::1]:8000/x/")
@example(path="", site_url="https://example.com/%E3%81")
def test_absolute_url_is_the_canonical_form_of_the_joined_url(path: str, site_url: str):
    try:
        site = Site(url=site_url, title="T")
    except ConfigError:  # Site refuses what is not an absolute ASCII http(s) URL: no URL is made from it.
        return
    url = path if urls._ABSOLUTE.match(path) else site.base_url + path.lstrip("/")
    try:
        got = absolute_url(path, site)
    except ValueError as error:
        got = f"ValueError: {error}"
    assert got == canonical_or_error(url)


def expand_every_placeholder(pattern: str, post: Post, site: Site) -> str:
    """Jekyll's permalink expansion as feedlib first wrote it: every placeholder worked out, then put in."""
    when = post.date.astimezone(zone(site.timezone))
    values = {
        "year": f"{when.year:04d}",
        "short_year": f"{when.year % 100:02d}",
        "month": f"{when.month:02d}",
        "i_month": str(when.month),
        "day": f"{when.day:02d}",
        "i_day": str(when.day),
        "hour": f"{when.hour:02d}",
        "minute": f"{when.minute:02d}",
        "second": f"{when.second:02d}",
        "y_day": f"{when.timetuple().tm_yday:03d}",
        "title": slugify(post.slug, pretty=True, cased=True),
        "slug": slugify(post.slug),
        "categories": "/".join(dict.fromkeys(category.lower() for category in post.categories)),
        "output_ext": ".html",
        "slugified_categories": "/".join(dict.fromkeys(slugify(category) for category in post.categories)),
        "week": when.strftime("%V"),
        "w_year": when.strftime("%G"),
        "w_day": when.strftime("%u"),
        "short_day": when.strftime("%a"),
        "long_day": when.strftime("%A"),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
    }
    pattern = PERMALINK_STYLES.get(pattern, pattern)
    path = re.sub(r":([a-z_]+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    if urls._ABSOLUTE.match(path):
        return path
    return re.sub(r"/{2,}", "/", "/" + path)


PATTERN_PIECES = [*(f":{name}" for name in urls._PLACEHOLDERS), ":nope", ":titles", "/", "//", ".html", "-",
                  ":", "x", "https://", *PERMALINK_STYLES]  # fmt: skip


@given(
    pattern=st.lists(st.sampled_from(PATTERN_PIECES), max_size=8).map("".join),
    slug=st.text(max_size=12),
    categories=st.lists(st.text(max_size=6), max_size=3),
    when=st.datetimes(min_value=datetime(1001, 1, 1), max_value=datetime(9998, 1, 1), timezones=st.just(UTC)),
    site=st.sampled_from([SITE, TOKYO]),
)
def test_expand_permalink_works_out_only_what_the_pattern_uses(
    pattern: str, slug: str, categories: list[str], when: datetime, site: Site
):
    post = make_post(slug=slug, categories=tuple(categories), date=when)
    assert expand_permalink(pattern, post, site) == expand_every_placeholder(pattern, post, site)


def test_nfc_never_reaches_across_a_slash():
    # What _encoded_path relies on: NFC("…/" + path) is NFC("…/") + NFC(path).
    for code in range(0x110000):
        char = chr(code)
        assert unicodedata.normalize("NFC", "/" + char) == "/" + unicodedata.normalize("NFC", char)

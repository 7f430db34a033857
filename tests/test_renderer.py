"""The optional CommonMark renderer (cmarkgfm, the ``fast`` extra)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from cron_helpers import write_site

import feedlib
from feedlib import ConfigError, load_config
from feedlib.cache.stamps import settings_fingerprint
from feedlib.render import check_renderer, render_markdown


def test_commonmark_renders_github_flavoured_markdown() -> None:
    source = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ <span>raw</span> x[^1]\n\n[^1]: note\n"
    html = render_markdown(source, renderer="commonmark")
    assert "<h1>Title</h1>" in html
    assert "<table>" in html
    assert "<del>gone</del>" in html
    assert "<span>raw</span>" in html
    assert "footnote" in html


def test_the_renderer_comes_from_the_build_table(tmp_path: Path) -> None:
    site = write_site(tmp_path, build_extra='renderer = "commonmark"\n')
    assert load_config(site.config).site.renderer == "commonmark"
    plain = write_site(tmp_path / "plain")
    assert load_config(plain.config).site.renderer == "markdown"


def test_an_unknown_renderer_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    site = write_site(tmp_path, build_extra='renderer = "pandoc"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(site.config)
    assert str(caught.value).startswith(str(site.config))
    assert "markdown, commonmark" in str(caught.value)


def test_commonmark_without_cmarkgfm_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cmarkgfm", None)  # import cmarkgfm now raises ImportError
    with pytest.raises(ConfigError, match=r"feedlib\[fast\]"):
        check_renderer("commonmark")
    site = write_site(tmp_path, build_extra='renderer = "commonmark"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(site.config)
    assert str(caught.value).startswith(str(site.config))


def test_the_renderer_is_part_of_the_cache_fingerprint() -> None:
    site = feedlib.Site(url="https://example.com/", title="t")
    assert settings_fingerprint(site) != settings_fingerprint(replace(site, renderer="commonmark"))


def test_a_commonmark_build_gives_valid_feeds_with_absolute_links(tmp_path: Path) -> None:
    site = write_site(tmp_path, count=4, build_extra='renderer = "commonmark"\n')
    feedlib.build(load_config(site.config), wait=5)
    for name in ("feed.xml", "rss.xml"):
        parsed = feedparser.parse((site.out / name).read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert len(parsed.entries) == 4
        content = parsed.entries[0].content[0].value
        assert 'href="https://example.com/blog/2020/01/other/' in content
        assert parsed.entries[0].summary.startswith("First paragraph of post 3")

"""WebSub: hub links in every format, and feedlib build --ping against a local hub."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from helpers import DEFAULT_CONFIG, NS, SITE_URL, check_feed, check_json_feed, make_project, run_main
from lxml import etree

from feedlib import ConfigError, Site, load_config, ping_hub, render_feed

HUB_SITE = Site(url=SITE_URL, title="Hub", hub="https://hub.example.com/")
NOW = "2026-01-01T00:00:00+00:00"


def test_hub_in_every_format():
    atom = etree.fromstring(render_feed(HUB_SITE, [], "atom"))
    assert atom.find("a:link[@rel='hub']", namespaces=NS).get("href") == "https://hub.example.com/"
    rss_bytes = render_feed(HUB_SITE, [], "rss")
    rss = etree.fromstring(rss_bytes)
    links = rss.findall("channel/atom:link", namespaces=NS)
    assert [(link.get("rel"), link.get("href")) for link in links] == [
        ("self", SITE_URL + "rss.xml"),
        ("hub", "https://hub.example.com/"),
    ]
    check_feed(rss_bytes, "rss", count=0)
    data = render_feed(HUB_SITE, [], "json")
    check_json_feed(data)
    assert json.loads(data)["hubs"] == [{"type": "WebSub", "url": "https://hub.example.com/"}]


def test_no_hub_no_link():
    site = Site(url=SITE_URL, title="No hub")
    assert b'rel="hub"' not in render_feed(site, [], "atom") + render_feed(site, [], "rss")
    assert "hubs" not in json.loads(render_feed(site, [], "json"))


@pytest.mark.parametrize("hub", ["ftp://hub.example.com/", "hub.example.com", "https://hub example.com/"])
def test_hub_must_be_an_http_url(tmp_path: Path, hub: str):
    config = DEFAULT_CONFIG.replace('timezone = "UTC"\n', f'timezone = "UTC"\nhub = "{hub}"\n')
    with pytest.raises(ConfigError, match=r"site\.hub"):
        load_config(make_project(tmp_path, config=config) / "feedlib.toml")


class Hub:
    """A WebSub hub on 127.0.0.1 that records the publish pings it gets."""

    def __init__(self, status: int = 204) -> None:
        self.pings: list[dict[str, list[str]]] = []
        self.status = status
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
                hub.pings.append(parse_qs(self.rfile.read(length).decode("ascii")))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def urls(self) -> list[str]:
        assert all(ping["hub.mode"] == ["publish"] for ping in self.pings)
        return sorted(url for ping in self.pings for url in ping["hub.url"])


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def hub_project(tmp_path: Path, hub_url: str, extra: str = "") -> Path:
    config = DEFAULT_CONFIG.replace('timezone = "UTC"\n', f'timezone = "UTC"\nhub = "{hub_url}"\n')
    return make_project(tmp_path / "site", config=config + extra)


def test_ping_each_changed_feed(tmp_path: Path, hub: Hub, capsys):
    root = hub_project(tmp_path, hub.url, "\n[feeds]\ntags = true\n")
    config = root / "feedlib.toml"
    assert run_main("build", "--config", config, "--now", NOW, "--ping") == 0
    assert hub.urls() == sorted(
        SITE_URL + path for path in ("feed.xml", "rss.xml", "feed/by_tag/ok.xml", "feed/by_tag/ok.rss.xml")
    )
    assert f"pinged {hub.url} for 4 feeds" in capsys.readouterr().out
    hub.pings.clear()
    assert run_main("build", "--config", config, "--now", NOW, "--ping") == 0
    assert hub.pings == []  # nothing changed, nothing to tell
    (root / "posts" / "2025-01-03-new.md").write_text("---\ntitle: New\n---\nNew.\n", encoding="utf-8")
    assert run_main("build", "--config", config, "--now", NOW, "--ping") == 0
    assert hub.urls() == [SITE_URL + "feed.xml", SITE_URL + "rss.xml"]


def test_a_failed_ping_is_a_warning(tmp_path: Path, capsys):
    server = Hub(status=500)
    server.thread.start()
    try:
        root = hub_project(tmp_path, server.url)
        assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW, "--ping") == 0
    finally:
        server.server.shutdown()
        server.server.server_close()
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("feedlib: warning: hub not notified for ") for line in err)
    assert "answered 500" in err[0]
    assert (root / "public" / "feed.xml").exists()


def test_an_unreachable_hub_is_a_warning(tmp_path: Path, capsys):
    server = Hub()
    url = server.url
    server.server.server_close()  # nothing listens there any more
    failures = ping_hub(url, [SITE_URL + "feed.xml"], timeout=5)
    assert len(failures) == 1 and "cannot reach the hub" in str(failures[0])
    root = hub_project(tmp_path, url)
    assert run_main("build", "--config", root / "feedlib.toml", "--now", NOW, "--ping", "--quiet") == 0
    assert capsys.readouterr().err.count("hub not notified") == 2


def test_ping_needs_a_hub(tmp_path: Path, capsys):
    root = make_project(tmp_path / "site")
    assert run_main("build", "--config", root / "feedlib.toml", "--ping") == 2
    assert "--ping needs a WebSub hub" in capsys.readouterr().err

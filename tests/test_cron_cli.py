"""The command under cron: quiet, idempotent, dry runs, checks, exit statuses."""

from __future__ import annotations

import argparse
import gc
import re
import sys
from pathlib import Path

import pytest
from cron_helpers import SITE_URL, SiteFiles, post_text, run_feedlib, snapshot, write_site

import feedlib.cli
from feedlib.cli import _EPILOG, main

_REPO = Path(__file__).resolve().parent.parent


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def site(tmp_path: Path) -> SiteFiles:
    return write_site(tmp_path / "site", count=6, limit=4)


def test_quiet_success_prints_nothing(site: SiteFiles) -> None:
    first = run_feedlib("build", "--quiet", "--config", site.config)
    again = run_feedlib("build", "--quiet", "--config", site.config)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert (site.out / "feed.xml").is_file()


def test_quiet_still_reports_problems(site: SiteFiles) -> None:
    (site.posts / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    failed = run_feedlib("build", "--quiet", "--config", site.config)
    assert failed.returncode == 1
    assert failed.stdout == ""
    assert f"{site.posts / 'broken.md'}:3: invalid YAML front matter" in failed.stderr
    skipped = run_feedlib("build", "--quiet", "--skip-invalid", "--config", site.config)
    assert skipped.returncode == 0
    assert skipped.stdout == ""
    assert skipped.stderr.endswith("(skipped)\n")


def test_second_run_is_up_to_date_and_touches_nothing(
    site: SiteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "build", "--config", site.config)
    assert status == 0
    assert out.count("wrote ") == 2
    before = snapshot(site.root)
    status, out, err = _run(capsys, "build", "--config", site.config)
    assert (status, err) == (0, "")
    assert out == f"up to date ({site.out / 'feed.xml'}, {site.out / 'rss.xml'})\n"
    assert snapshot(site.root) == before


def test_only_the_changed_feed_is_rewritten(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "build", "--config", site.config)
    feed_inode = (site.out / "feed.xml").stat().st_ino
    status, out, _ = _run(capsys, "build", "--config", site.config, "--format", "atom", "--limit", "3")
    assert status == 0
    assert out == f"wrote {site.out / 'feed.xml'} (atom, 3 entries)\n"
    assert (site.out / "feed.xml").stat().st_ino != feed_inode


def test_verbose_logs_per_post_detail(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "build", "--verbose", "--config", site.config)
    assert status == 0
    assert f"feedlib.read: cache miss: {site.posts / 'post-00000.md'}" in err
    assert f"feedlib.entries: rendered: {site.posts / 'post-00005.md'}" in err
    status, _, err = _run(capsys, "build", "-v", "--config", site.config)
    assert f"feedlib.read: cache hit: {site.posts / 'post-00000.md'}" in err
    assert "rendered:" not in err


def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    many = write_site(tmp_path / "many", count=60, limit=0, words=5)
    status, _, err = _run(capsys, "build", "--config", many.config, "--no-cache")
    assert (status, err) == (0, "")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    (many.out / "feed.xml").unlink()
    status, _, err = _run(capsys, "build", "--config", many.config, "--no-cache")
    assert status == 0
    assert "rendering" in err
    status, out, err = _run(capsys, "build", "--quiet", "--config", many.config, "--no-cache")
    assert (status, out, err) == (0, "", "")


def test_dry_run_lists_changes_and_writes_nothing(
    site: SiteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "build", "--config", site.config)
    (site.posts / "post-00004.md").write_text(post_text(4, edit=1), encoding="utf-8")
    (site.posts / "post-00006.md").write_text(post_text(6), encoding="utf-8")
    (site.posts / "post-00005.md").unlink()
    before = snapshot(site.root)
    status, out, err = _run(capsys, "build", "--dry-run", "--config", site.config)
    assert (status, err) == (0, "")
    assert snapshot(site.root) == before
    assert out == (
        f"would write {site.out / 'feed.xml'} (atom, 4 entries): 1 added, 1 updated, 1 removed\n"
        f'  + {SITE_URL}2020/01/07/post-00006.html "Post 6 edit 0"\n'
        f'  ~ {SITE_URL}2020/01/05/post-00004.html "Post 4 edit 1"\n'
        f'  - {SITE_URL}2020/01/06/post-00005.html "Post 5 edit 0"\n'
        f"would write {site.out / 'rss.xml'} (rss, 4 entries): 1 added, 1 updated, 1 removed\n"
        f'  + {SITE_URL}2020/01/07/post-00006.html "Post 6 edit 0"\n'
        f'  ~ {SITE_URL}2020/01/05/post-00004.html "Post 4 edit 1"\n'
        f'  - {SITE_URL}2020/01/06/post-00005.html "Post 5 edit 0"\n'
    )


def test_dry_run_shows_titles_as_text(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "build", "--config", site.config)
    markup = post_text(6).replace('"Post 6 edit 0"', '"Q&A about <feeds>"')
    (site.posts / "post-00006.md").write_text(markup, encoding="utf-8")
    (site.posts / "post-00005.md").unlink()
    # A title as feedlib once wrote one: escaped HTML.
    feed = site.out / "feed.xml"
    old = feed.read_bytes().replace(
        b"<title>Post 5 edit 0</title>", b'<title type="html">Post 5 &amp;amp; &amp;lt;more&amp;gt;</title>'
    )
    feed.write_bytes(old)
    status, out, err = _run(capsys, "build", "--dry-run", "--config", site.config)
    assert (status, err) == (0, "")
    for name in ("feed.xml", "rss.xml"):
        lines = out.split(f"would write {site.out / name}", 1)[1].splitlines()
        assert lines[1] == f'  + {SITE_URL}2020/01/07/post-00006.html "Q&A about <feeds>"'
    assert f'  - {SITE_URL}2020/01/06/post-00005.html "Post 5 & <more>"' in out


def test_dry_run_on_a_new_site_creates_nothing(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(site.root)
    status, out, err = _run(capsys, "build", "--dry-run", "--config", site.config)
    assert (status, err) == (0, "")
    assert not site.out.exists()
    assert not site.cache.exists()
    assert snapshot(site.root) == before
    lines = out.splitlines()
    assert lines[0] == f"{site.out / 'feed.xml'}: not published yet"
    assert lines[1] == f"would write {site.out / 'feed.xml'} (atom, 4 entries): 4 added, 0 updated, 0 removed"


def test_dry_run_reads_a_broken_published_feed_as_empty(
    site: SiteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "build", "--config", site.config)
    (site.out / "rss.xml").write_bytes(b"<rss><channel><item>")
    status, out, _ = _run(capsys, "build", "--dry-run", "--config", site.config)
    assert status == 0
    assert f"up to date: {site.out / 'feed.xml'} (atom, 4 entries)" in out
    assert re.search(
        rf"{re.escape(str(site.out / 'rss.xml'))}: cannot parse the published file \(.*\); counted as empty",
        out,
    )
    assert f"would write {site.out / 'rss.xml'} (rss, 4 entries): 4 added, 0 updated, 0 removed" in out


def test_dry_run_with_invalid_posts_fails_like_a_build(
    site: SiteFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    (site.posts / "no-date.md").write_text("---\ntitle: x\n---\nbody\n", encoding="utf-8")
    status, out, err = _run(capsys, "build", "--dry-run", "--config", site.config)
    assert status == 1
    assert out == ""
    assert f"{site.posts / 'no-date.md'}: no date" in err


def test_check_clean(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(site.root)
    assert _run(capsys, "check", "--config", site.config) == (0, "6 posts OK\n", "")
    assert _run(capsys, "check", "--quiet", "--config", site.config) == (0, "", "")
    assert snapshot(site.root) == before
    assert not site.cache.exists()


def test_check_reports_every_problem(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    (site.posts / "bad-yaml.md").write_text("---\ntitle: ok\ndate: [\n---\nbody\n", encoding="utf-8")
    (site.posts / "bad-date.md").write_text("---\ntitle: x\ndate: 2024-13-45\n---\n", encoding="utf-8")
    clash = post_text(1).replace("---\n", "---\npermalink: /2020/01/02/post-00001.html\n", 1)
    (site.posts / "zz-clash.md").write_text(clash, encoding="utf-8")
    status, out, err = _run(capsys, "check", "--config", site.config)
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{site.posts / 'bad-date.md'}:3: date: cannot read its value: month must be in 1..12"
    assert lines[1].startswith(f"{site.posts / 'bad-yaml.md'}:4: invalid YAML front matter")
    assert lines[2] == (
        f"{site.posts / 'zz-clash.md'}: same URL {SITE_URL}2020/01/02/post-00001.html "
        f"as {site.posts / 'post-00001.md'}; change its permalink or id"
    )
    assert lines[3] == "feedlib: 3 problems in 9 posts"
    assert len(lines) == 4


def test_check_usage_and_config_errors_exit_2(site: SiteFiles, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "check", "--config", site.root / "missing.toml")
    assert status == 2
    assert err.startswith("feedlib: ")
    status, _, err = _run(capsys, "check", "--config", site.config, "--posts", site.root / "nowhere")
    assert (status, err) == (2, f"feedlib: {site.root / 'nowhere'}: posts folder not found\n")
    with pytest.raises(SystemExit) as exited:
        main(["check", "--no-such-option"])
    assert exited.value.code == 2
    capsys.readouterr()


def test_help_documents_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for status in ("0", "1", "2", "3"):
        assert re.search(rf"^  {status}  \S", out, re.MULTILINE)
    assert _EPILOG in out


@pytest.mark.parametrize("page", ["README.md", "docs/scheduling.md"])
def test_docs_document_the_same_exit_statuses(page: str) -> None:
    text = (_REPO / page).read_text(encoding="utf-8")
    for line in _EPILOG.splitlines()[1:]:
        status, meaning = line.split(maxsplit=1)
        assert re.search(rf"\|\s*`?{status}`?\s*\|\s*{re.escape(meaning)}", text), line


def test_scheduling_is_documented() -> None:
    text = (_REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    assert text.startswith("# Running on a schedule\n")
    assert "(../examples/cron/crontab)" in text


def test_the_systemd_unit_says_ping_needs_the_network() -> None:
    # PrivateNetwork=yes and AF_UNIX only: --ping can never reach a hub under the unit.
    lines = (_REPO / "examples" / "cron" / "feedlib.service").read_text(encoding="utf-8").splitlines()
    at = lines.index("PrivateNetwork=yes")
    comment = " ".join(line.lstrip("# ") for line in lines[at - 5 : at] if line.startswith("#"))
    assert "--ping" in comment and "delete PrivateNetwork=yes" in comment, comment
    assert "RestrictAddressFamilies=" in comment and "ExecStart=" in comment, comment
    assert "--ping" not in next(line for line in lines if line.startswith("ExecStart="))


def test_cron_examples_use_quiet() -> None:
    examples = _REPO / "examples" / "cron"
    crontab = (examples / "crontab").read_text(encoding="utf-8")
    assert re.search(
        r"^\*/5 \* \* \* \* .*feedlib build --quiet --config /srv/blog/feedlib.toml", crontab, re.M
    )
    assert "MAILTO" in crontab
    service = (examples / "feedlib.service").read_text(encoding="utf-8")
    for setting in (
        "Type=oneshot",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=",
        "--quiet",
    ):
        assert setting in service
    timer = (examples / "feedlib.timer").read_text(encoding="utf-8")
    assert "Persistent=true" in timer
    assert "OnCalendar=" in timer


def test_the_cycle_collector_is_off_only_while_the_command_runs(
    site: SiteFiles, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    original = feedlib.cli._dispatch

    def dispatch(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return original(args)

    monkeypatch.setattr(feedlib.cli, "_dispatch", dispatch)
    assert gc.isenabled()
    status, _, _ = _run(capsys, "build", "--quiet", "--config", site.config)
    assert (status, seen, gc.isenabled()) == (0, [False], True)

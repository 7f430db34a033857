"""The feedlib command: feedlib.cli.main in-process, and `python -m feedlib` in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers import (
    BAD_POSTS,
    DATA,
    DEFAULT_CONFIG,
    GOOD_POST,
    check_written_feeds,
    make_project,
    run_main,
    run_module,
    snapshot,
)

BAD = DATA / "bad"
EXPECTED = tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))
SENTINEL = {"feed.xml": b"<old>atom</old>\n", "rss.xml": b"<old>rss</old>\n"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site with one good post, as the current folder."""
    root = make_project(tmp_path / "site")
    monkeypatch.chdir(root)
    return root


def build(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = run_main("build", *argv)
    out, err = capsys.readouterr()
    return code, out, err


def publish_sentinels(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in SENTINEL.items():
        (folder / name).write_bytes(content)


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert "Traceback" not in err
    return lines[0]


# -- success -------------------------------------------------------------------------------------


def test_build_writes_both_feeds(project: Path, capsys):
    code, out, err = build(capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "wrote public/feed.xml (atom, 1 entry)",
        "wrote public/rss.xml (rss, 1 entry)",
    ]
    check_written_feeds(project / "public", count=1)


def test_entry_counts_are_pluralized(project: Path, capsys):
    (project / "posts" / "2025-01-03-second.md").write_text(
        GOOD_POST.replace("A good", "Another"), encoding="utf-8"
    )
    code, out, _ = build(capsys)
    assert code == 0
    assert "(atom, 2 entries)" in out
    shutil.rmtree(project / "posts")
    (project / "posts").mkdir()
    code, out, _ = build(capsys)
    assert code == 0
    assert out.splitlines() == [
        "wrote public/feed.xml (atom, 0 entries)",
        "wrote public/rss.xml (rss, 0 entries)",
    ]
    check_written_feeds(project / "public", count=0)


def test_config_option_and_paths_relative_to_it(tmp_path: Path, monkeypatch, capsys):
    root = make_project(tmp_path / "elsewhere")
    monkeypatch.chdir(tmp_path)
    code, out, err = build(capsys, "--config", "elsewhere/feedlib.toml")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "wrote elsewhere/public/feed.xml (atom, 1 entry)"
    check_written_feeds(root / "public", count=1)


def test_overrides(project: Path, capsys):
    other = make_project(project / "other-site", {"2024-05-05-x.md": GOOD_POST, "2024-05-06-y.md": GOOD_POST})
    code, out, _ = build(
        capsys, "--posts", other / "posts", "--out", "feeds", "--format", "rss", "--limit", "1"
    )
    assert code == 0
    assert out.splitlines() == ["wrote feeds/rss.xml (rss, 1 entry)"]
    assert not (project / "feeds" / "feed.xml").exists()
    check_written_feeds(project / "feeds", count=1)


def test_repeated_formats_and_limit_zero(project: Path, capsys):
    for day in range(10, 15):
        (project / "posts" / f"2025-01-{day}-p.md").write_text(
            GOOD_POST.replace("2025-01-02", f"2025-01-{day}"), encoding="utf-8"
        )
    code, out, _ = build(capsys, "--format", "atom", "--format", "atom", "--limit", "0")
    assert code == 0
    assert out.splitlines() == ["wrote public/feed.xml (atom, 6 entries)"]


def test_now_leaves_out_later_posts(project: Path, capsys):
    code, out, _ = build(capsys, "--now", "2025-01-01T00:00:00+00:00")
    assert code == 0
    assert "(atom, 0 entries)" in out
    code, out, _ = build(capsys, "--now", "2025-01-02 03:04:05 +0000")
    assert "(atom, 1 entry)" in out


def test_existing_output_is_replaced(project: Path, capsys):
    publish_sentinels(project / "public")
    assert build(capsys)[0] == 0
    assert snapshot(project / "public")["feed.xml"] != SENTINEL["feed.xml"]
    check_written_feeds(project / "public", count=1)


# -- invalid posts -------------------------------------------------------------------------------


def published(project: Path) -> dict[str, bytes]:
    """What a build publishes: every file but the build cache and the output lock."""
    return {
        name: data
        for name, data in snapshot(project).items()
        if not name.startswith(".feedlib-cache") and not name.endswith(".feedlib.lock")
    }


@pytest.mark.parametrize("bad", BAD_POSTS, ids=lambda path: path.name)
def test_each_bad_post_fails_the_build_and_writes_nothing(project: Path, capsys, bad: Path):
    shutil.copyfile(bad, project / "posts" / bad.name)
    publish_sentinels(project / "public")
    before = published(project)
    code, out, err = build(capsys)
    assert code == 1
    assert out == ""
    assert published(project) == before  # nothing published, existing feeds untouched byte for byte
    lines = err.splitlines()
    assert "Traceback" not in err
    expected = EXPECTED[bad.name]
    where = f"posts/{bad.name}:{expected['line']}: " if "line" in expected else f"posts/{bad.name}: "
    assert lines[0].startswith(where)
    assert expected["message"] in lines[0]
    assert lines[-1].startswith("feedlib: 1 invalid post; nothing written")
    assert len(lines) == 2


def test_bad_post_with_no_output_folder_publishes_nothing(project: Path, capsys):
    shutil.copyfile(BAD / "date-word.md", project / "posts" / "date-word.md")
    assert build(capsys)[0] == 1
    # The build holds the output folder's lock while it reads, so the folder
    # may exist, holding only the lock file.
    assert [path.name for path in (project / "public").glob("*")] in ([], [".feedlib.lock"])


def test_every_invalid_post_is_reported_at_once(project: Path, capsys):
    for name in ("date-word.md", "title-list.md", "not-utf8.txt"):
        shutil.copyfile(BAD / name, project / "posts" / name)
    code, _, err = build(capsys)
    lines = err.splitlines()
    assert code == 1
    assert [line.split(":")[0] for line in lines[:3]] == [
        "posts/date-word.md",
        "posts/not-utf8.txt",
        "posts/title-list.md",
    ]
    assert lines[3].startswith("feedlib: 3 invalid posts; nothing written")


def test_skip_invalid(project: Path, capsys):
    shutil.copyfile(BAD / "date-word.md", project / "posts" / "date-word.md")
    shutil.copyfile(BAD / "yaml-syntax-error.md", project / "posts" / "yaml-syntax-error.md")
    code, out, err = build(capsys, "--skip-invalid")
    assert code == 0
    assert len(err.splitlines()) == 2
    assert line_of(err, "date-word.md").startswith("posts/date-word.md:4: date")
    assert line_of(err, "yaml-syntax-error.md").startswith("posts/yaml-syntax-error.md:5: invalid YAML")
    assert all(line.endswith(" (skipped)") for line in err.splitlines())
    assert "(atom, 1 entry)" in out
    check_written_feeds(project / "public", count=1)


def line_of(err: str, name: str) -> str:
    (line,) = [line for line in err.splitlines() if name in line]
    return line


def test_duplicate_urls_name_both_files(project: Path, capsys):
    for name in ("a.md", "b.md"):
        (project / "posts" / name).write_text(
            "---\ntitle: Same\ndate: 2025-01-01\npermalink: /same/\n---\nx\n", encoding="utf-8"
        )
    code, _, err = build(capsys)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith("posts/b.md: ")
    assert "posts/a.md" in first
    assert not (project / "public" / "feed.xml").exists()
    code, out, err = build(capsys, "--skip-invalid")
    assert code == 0
    assert err.splitlines()[0].endswith("(skipped)")
    assert "(atom, 2 entries)" in out  # a.md and the good post


def test_python_tags_never_run_through_the_command(project: Path, capsys):
    shutil.copyfile(BAD / "yaml-python-tag.md", project / "posts" / "evil.md")
    assert build(capsys)[0] == 1
    assert not (project / "PWNED-BY-YAML").exists()


# -- usage and configuration errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--limit", "x"], "--limit"),
        (["--limit", "-1"], "--limit"),
        (["--format", "xml"], "--format"),
        (["--now", "yesterday-ish"], "--now"),
        (["--now", "2025-13-01"], "--now"),
        (["--config", "missing.toml"], "missing.toml"),
        (["--posts", "no-such-folder"], "no-such-folder"),
        (["--bogus"], "--bogus"),
    ],
)
def test_usage_errors_are_one_line_exit_2(project: Path, capsys, argv: list[str], fragment: str):
    publish_sentinels(project / "public")
    before = published(project)
    code, out, err = build(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in one_line(err)
    assert published(project) == before


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        (None, "feedlib.toml"),
        (DEFAULT_CONFIG + "colour = 'red'\n", "build.colour"),
        (DEFAULT_CONFIG.replace('url = "https://example.com/blog/"', 'url = "example.com"'), "site.url"),
        (DEFAULT_CONFIG.replace('title = "Example Blog"', "title = "), "feedlib.toml:3"),
        (DEFAULT_CONFIG.replace('timezone = "UTC"', 'timezone = "Nowhere/City"'), "Nowhere/City"),
        (DEFAULT_CONFIG + 'markdown_extensions = ["no_such_extension_xyz"]\n', "markdown_extensions"),
    ],
    ids=["missing", "unknown-key", "bad-url", "toml-syntax", "bad-timezone", "bad-extension"],
)
def test_config_errors_are_one_line_exit_2(
    tmp_path: Path, monkeypatch, capsys, config: str | None, fragment: str
):
    root = make_project(tmp_path / "site", config=config)
    monkeypatch.chdir(root)
    code, out, err = build(capsys)
    assert code == 2
    assert out == ""
    line = one_line(err)
    assert line.startswith("feedlib: ")
    assert fragment in line
    assert not (root / "public").exists()


def test_no_command_is_a_usage_error(capsys):
    assert run_main() == 2
    assert "COMMAND" in one_line(capsys.readouterr().err)


def test_version_and_help(capsys):
    assert run_main("--version") == 0
    assert capsys.readouterr().out.startswith("feedlib ")
    assert run_main("build", "--help") == 0
    out = capsys.readouterr().out
    for option in ("--config", "--posts", "--out", "--format", "--limit", "--now", "--skip-invalid"):
        assert option in out


def test_check_help_promises_no_writing(capsys):
    # check shares build's reading options; it writes nothing, where jekyll-feed would or not.
    assert run_main("check", "--help") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--jekyll SITE_DIR read a Jekyll site (_config.yml, _posts/) --drafts" in out
    assert "write where" not in out and "write nothing" in out
    assert run_main("build", "--help") == 0
    assert "and write where jekyll-feed would" in " ".join(capsys.readouterr().out.split())


def test_descriptions_name_every_format(capsys):
    assert run_main("--help") == 0
    assert "Publish Atom, RSS and JSON feeds" in capsys.readouterr().out
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert "Atom 1.0, RSS 2.0 and JSON Feed 1.1" in project["project"]["description"]


def test_output_folder_under_a_regular_file(project: Path, capsys):
    (project / "blocker").write_text("not a folder", encoding="utf-8")
    code, out, err = build(capsys, "--out", "blocker/feeds")
    assert code == 1
    assert out == ""
    assert "blocker/feeds" in one_line(err)
    assert (project / "blocker").read_text(encoding="utf-8") == "not a folder"


# -- known bugs: tracebacks ----------------------------------------------------------------------


@pytest.mark.parametrize("yaml_line", ["date: !!timestamp hello", "published: !!bool maybe"])
def test_explicit_yaml_tags_do_not_crash_the_command(project: Path, capsys, yaml_line: str):
    (project / "posts" / "tagged.md").write_text(f"---\ntitle: t\n{yaml_line}\n---\nx\n", encoding="utf-8")
    code, _, err = build(capsys)
    assert code == 1
    assert err.splitlines()[0].startswith("posts/tagged.md:3: ")


def test_control_character_in_site_title_does_not_crash_the_command(tmp_path: Path, monkeypatch, capsys):
    root = make_project(
        tmp_path / "site", config=DEFAULT_CONFIG.replace('"Example Blog"', '"Example\\u0001Blog"')
    )
    monkeypatch.chdir(root)
    code, _, err = build(capsys)
    assert "Traceback" not in err
    if code == 0:
        check_written_feeds(root / "public", count=1)
    else:
        assert code == 2
        one_line(err)


# -- the same through `python -m feedlib` --------------------------------------------------------


def test_module_success(tmp_path: Path):
    root = make_project(tmp_path / "site")
    result = run_module("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "wrote public/feed.xml (atom, 1 entry)",
        "wrote public/rss.xml (rss, 1 entry)",
    ]
    check_written_feeds(root / "public", count=1)


def test_module_invalid_posts(tmp_path: Path):
    root = make_project(
        tmp_path / "site",
        {
            "good.md": GOOD_POST,
            "bad-date.md": (BAD / "date-word.md").read_text(encoding="utf-8"),
            "evil.md": (BAD / "yaml-python-tag.md").read_text(encoding="utf-8"),
            "latin1.md": (BAD / "not-utf8.txt").read_bytes(),
        },
    )
    publish_sentinels(root / "public")
    before = published(root)
    result = run_module("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        "posts/bad-date.md",
        "posts/evil.md",
        "posts/latin1.md",
    ]
    assert lines[1].startswith("posts/evil.md:4: ")
    assert lines[3].startswith("feedlib: 3 invalid posts; nothing written")
    assert published(root) == before
    skipped = run_module("build", "--skip-invalid", cwd=root)
    assert skipped.returncode == 0
    assert all(line.endswith("(skipped)") for line in skipped.stderr.splitlines())
    check_written_feeds(root / "public", count=1)


@pytest.mark.parametrize(
    ("config", "args", "fragment"),
    [
        (None, [], "feedlib.toml"),
        (DEFAULT_CONFIG + "colour = 'red'\n", [], "build.colour"),
        (DEFAULT_CONFIG.replace("https://example.com/blog/", "ftp://example.com/"), [], "site.url"),
        (DEFAULT_CONFIG, ["--now", "not a time"], "--now"),
        (DEFAULT_CONFIG, ["--limit", "many"], "--limit"),
        (DEFAULT_CONFIG, ["--format", "atom10"], "--format"),
    ],
    ids=["missing-config", "unknown-key", "bad-url", "bad-now", "bad-limit", "unknown-format"],
)
def test_module_usage_and_config_errors(tmp_path: Path, config: str | None, args: list[str], fragment: str):
    root = make_project(tmp_path / "site", config=config)
    result = run_module("build", *args, cwd=root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert fragment in one_line(result.stderr)
    assert not (root / "public").exists()


def test_module_unwritable_output(tmp_path: Path):
    root = make_project(tmp_path / "site")
    (root / "public").write_text("a file where the folder should be", encoding="utf-8")
    result = run_module("build", cwd=root)
    assert result.returncode == 1
    assert "public" in one_line(result.stderr)


def test_console_script(tmp_path: Path):
    script = Path(sys.executable).parent / "feedlib"
    if not script.exists():
        pytest.skip("the feedlib console script is not installed next to this Python")
    root = make_project(tmp_path / "site")
    result = subprocess.run(
        [script, "build", "--format", "atom"], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "wrote public/feed.xml (atom, 1 entry)\n"
    check_written_feeds(root / "public", count=1)

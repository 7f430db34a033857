"""feedlib.publish: atomic writes, and what is left behind when a write fails."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from helpers import check_written_feeds

import feedlib.publish
from feedlib import ConfigError, PublishError, Site, publish_documents, render_documents, render_feed
from feedlib.publish import write_atomic, write_documents

SITE = Site(url="https://example.com/blog/", title="T")
OLD = b"<old>previously published</old>\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_write_atomic_creates_folders_and_file(tmp_path: Path):
    target = tmp_path / "a" / "b" / "feed.xml"
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(target.parent) == []


def test_write_atomic_replaces_and_keeps_the_mode(tmp_path: Path):
    target = tmp_path / "feed.xml"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_write_atomic_renames_a_temporary_file_in_the_same_folder(tmp_path: Path, monkeypatch):
    target = tmp_path / "feed.xml"
    calls = []
    real_replace = os.replace

    def spy(source, destination):
        calls.append((Path(source), Path(destination)))
        assert Path(source).read_bytes() == b"new"
        return real_replace(source, destination)

    monkeypatch.setattr(feedlib.publish.os, "replace", spy)
    write_atomic(target, b"new")
    ((source, destination),) = calls
    assert destination == target
    assert source.parent == target.parent
    assert source.name.startswith(".feed.xml.") and source.name.endswith(".tmp")


@pytest.mark.parametrize("failing", ["replace", "fsync", "chmod"])
def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch, failing: str):
    target = tmp_path / "feed.xml"
    target.write_bytes(OLD)
    monkeypatch.setattr(feedlib.publish.os, failing, no_space)
    with pytest.raises(PublishError) as caught:
        write_atomic(target, b"new content")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []
    assert list(tmp_path.glob(".feed.xml.*")) == []
    assert caught.value.path == target
    assert str(caught.value).startswith(str(target))
    assert os.strerror(errno.ENOSPC) in str(caught.value)


def test_failure_while_writing_the_bytes(tmp_path: Path, monkeypatch):
    target = tmp_path / "feed.xml"
    target.write_bytes(OLD)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, mode):
            self.file = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(feedlib.publish.os, "fdopen", Full)
    with pytest.raises(PublishError):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_interrupt_leaves_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "feed.xml"
    target.write_bytes(OLD)

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(feedlib.publish.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_folder_that_cannot_be_created(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("a regular file", encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        write_atomic(blocker / "sub" / "feed.xml", b"x")
    assert str(blocker) in str(caught.value)
    assert blocker.read_text(encoding="utf-8") == "a regular file"


def test_target_is_a_folder(tmp_path: Path):
    (tmp_path / "feed.xml").mkdir()
    with pytest.raises(PublishError):
        write_atomic(tmp_path / "feed.xml", b"x")
    assert leftovers(tmp_path) == []


def test_publish(tmp_path: Path):
    written = publish_documents(render_documents(SITE, [], ["atom", "rss"]), tmp_path / "out")
    assert [(item.path, item.format, item.entries) for item in written] == [
        (tmp_path / "out" / "feed.xml", "atom", 0),
        (tmp_path / "out" / "rss.xml", "rss", 0),
    ]
    assert (tmp_path / "out" / "feed.xml").read_bytes() == render_feed(SITE, [], "atom")
    assert (tmp_path / "out" / "rss.xml").read_bytes() == render_feed(SITE, [], "rss")
    check_written_feeds(tmp_path / "out", count=0)


def test_publish_one_format(tmp_path: Path):
    publish_documents(render_documents(SITE, [], ["rss"]), tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir() if path.name != ".feedlib.lock") == ["rss.xml"]


def test_unknown_format_is_refused_before_anything_is_written(tmp_path: Path):
    with pytest.raises(ConfigError, match="unknown feed format"):
        publish_documents(render_documents(SITE, [], ["atom", "nope"]), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_write_documents(tmp_path: Path):
    documents = render_documents(SITE, [], ["atom"])
    (published,) = write_documents(documents, tmp_path)
    assert published.path.read_bytes() == documents[0].content


def test_documents_are_staged_beside_the_output_folder(tmp_path: Path, monkeypatch):
    """Temporary files go to a hidden folder beside the output folder: the output folder holds only feeds."""
    out = tmp_path / "public"
    sources: list[Path] = []
    real_replace = os.replace

    def spy(source, destination):
        sources.append(Path(source))
        assert sorted(path.name for path in out.rglob("*") if path.name.endswith(".tmp")) == []
        return real_replace(source, destination)

    monkeypatch.setattr(feedlib.publish.os, "replace", spy)
    documents = render_documents(SITE, [], ["atom", "rss"], {"atom": "feed.xml", "rss": "sub/dir/rss.xml"})
    write_documents(documents, out)
    assert {source.parent for source in sources} == {tmp_path / ".public.feedlib-tmp"}
    assert not (tmp_path / ".public.feedlib-tmp").exists()  # Removed once empty.
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*")) == [
        "feed.xml",
        "sub",
        "sub/dir",
        "sub/dir/rss.xml",
    ]


def test_documents_are_staged_beside_the_files_when_the_parent_is_read_only(tmp_path: Path, monkeypatch):
    out = tmp_path / "public"
    out.mkdir()
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args, **kwargs):
        if self.name.endswith(".feedlib-tmp"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    write_documents(render_documents(SITE, [], ["atom"]), out)
    assert sorted(path.name for path in out.iterdir()) == ["feed.xml"]


def test_published_files_and_new_folders_are_readable_by_everyone(tmp_path: Path):
    out = tmp_path / "public"
    (out / "old").mkdir(parents=True)
    (out / "old").chmod(0o700)  # Not feedlib's: left as it is.
    (out / "feed.xml").write_bytes(OLD)
    (out / "feed.xml").chmod(0o600)
    previous = os.umask(0o077)
    try:
        documents = render_documents(SITE, [], ["atom", "rss"], {"rss": "new/dir/rss.xml"})
        write_documents(documents, out)
    finally:
        os.umask(previous)
    modes = {path.relative_to(out).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in out.rglob("*")}
    assert modes == {
        "old": 0o700,
        "feed.xml": 0o644,
        "new": 0o755,
        "new/dir": 0o755,
        "new/dir/rss.xml": 0o644,
    }

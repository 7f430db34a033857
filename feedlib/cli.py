"""The ``feedlib`` command: a thin layer that turns library results into lines and exit statuses."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

from ._version import __version__
from .build import build, check, dry_run
from .config import Config, load_config
from .dates import parse_date, zone
from .entries import Progress
from .errors import ConfigError, FeedlibError, LockTimeout, PostError, PostErrors, PublishError, printable
from .formats import FORMATS
from .lock import DEFAULT_WAIT
from .publish import Published

if TYPE_CHECKING:
    from .preview import EntryChange, FeedPreview

__all__ = ["EXIT_CONFIG", "EXIT_INVALID", "EXIT_LOCKED", "EXIT_OK", "PROGRESS_MIN", "main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 3

#: Fewer posts to render than this, and no progress bar is worth drawing.
PROGRESS_MIN = 50

_T = TypeVar("_T")

_EPILOG = """exit statuses:
  0  feeds published, or already up to date (check: no problems)
  1  invalid posts (nothing written) or a feed could not be written
  2  usage or configuration error
  3  another build held the output folder's lock for longer than --wait
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIG, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _common(command: argparse.ArgumentParser, *, writes: bool) -> None:
    command.add_argument(
        "--config", type=Path, metavar="FILE", help="configuration file (default: ./feedlib.toml)"
    )
    command.add_argument("--posts", type=Path, metavar="DIR", help="folder of posts (overrides build.posts)")
    command.add_argument(
        "--jekyll",
        type=Path,
        metavar="SITE_DIR",
        help="read a Jekyll site (_config.yml, _posts/)"
        + (" and write where jekyll-feed would" if writes else ""),
    )
    command.add_argument(
        "--drafts",
        action="store_true",
        help="with --jekyll: include _drafts/ (each needs a front-matter date)",
    )
    command.add_argument(
        "--now",
        metavar="ISO-TIME",
        help="leave out posts dated after this time instead of the current time",
    )
    talk = command.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on success; problems still go to stderr"
    )
    talk.add_argument(
        "-v", "--verbose", action="store_true", help="log per-post detail (cache, rendering) to stderr"
    )


def _build_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("--out", type=Path, metavar="DIR", help="output folder (overrides build.out)")
    run.add_argument(
        "--format",
        action="append",
        choices=sorted(FORMATS),
        dest="formats",
        help="a format to write; repeat for several (overrides build.formats)",
    )
    run.add_argument(
        "--limit", type=int, metavar="N", help="entries per feed, 0 for all (overrides build.limit)"
    )
    run.add_argument(
        "--skip-invalid",
        action="store_true",
        help="warn about invalid posts and leave them out instead of failing",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"wait this long for another build of the same output to finish (default: {DEFAULT_WAIT:g})",
    )
    cache = run.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache", type=Path, metavar="DIR", help="cache folder (default: .feedlib-cache beside the config)"
    )
    cache.add_argument("--no-cache", action="store_true", help="read and render every post afresh")
    run.add_argument(
        "--ping",
        action="store_true",
        help="after publishing, tell the WebSub hub (site.hub) which feeds changed",
    )
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="write nothing; list the entries each feed would add, update and remove",
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="feedlib",
        description="Publish Atom, RSS and JSON feeds from a folder of Markdown posts.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"feedlib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    run = commands.add_parser(
        "build",
        help="write the feeds",
        description="Read the posts and write every configured feed that changed, each file atomically.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(run, writes=True)
    _build_arguments(run)
    inspect = commands.add_parser(
        "check",
        help="report every problem in the posts and configuration; write nothing",
        description="Read every post and the configuration as a build would, report every problem "
        "(PATH[:LINE]: message) and write nothing. Fit for a pre-commit hook or CI.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(inspect, writes=False)
    return parser


def _load(args: argparse.Namespace) -> Config:
    if args.jekyll is None:
        if args.drafts:
            raise ConfigError("--drafts needs --jekyll SITE_DIR")
        return load_config(args.config)
    if args.config is not None or args.posts is not None:
        raise ConfigError("--jekyll reads the site's _config.yml and _posts/: leave out --config and --posts")
    from .jekyll.config import load_jekyll_config

    return load_jekyll_config(args.jekyll, drafts=args.drafts)


def _configure(args: argparse.Namespace) -> Config:
    config = _load(args)
    options = config.build
    if args.posts is not None:
        options = replace(options, posts=args.posts)
    if getattr(args, "out", None) is not None:
        options = replace(options, out=args.out)
    if getattr(args, "formats", None):
        options = replace(options, formats=tuple(dict.fromkeys(args.formats)))
    if getattr(args, "limit", None) is not None:
        if args.limit < 0:
            raise ConfigError(f"--limit must be 0 or more, got {args.limit}")
        options = replace(options, limit=args.limit or None)
    if getattr(args, "cache", None) is not None:
        options = replace(options, cache=args.cache)
    if getattr(args, "no_cache", False):
        options = replace(options, cache=None)
    return replace(config, build=options)


def _now(text: str | None, config: Config) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_date(text, zone(config.site.timezone))
    except ValueError as error:
        raise ConfigError(f"--now: {error}") from None


def _warn(problem: PostError) -> None:
    print(f"{problem} (skipped)", file=sys.stderr)


def _progress_bar(items: Sequence[_T], label: str) -> Iterable[_T]:
    if len(items) < PROGRESS_MIN:
        return items
    from tqdm import tqdm  # Only on a terminal, for a long step.

    return tqdm(items, desc=label, unit="post", file=sys.stderr, leave=False, dynamic_ncols=True)


def _progress(args: argparse.Namespace) -> Progress | None:
    # A bar is for a person watching; cron's mail and log files get none.
    return _progress_bar if sys.stdout.isatty() and not args.quiet else None


def _say(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        print(line)


def _noun(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def _what(format: str, entries: int) -> str:
    return "stylesheet" if format not in FORMATS else f"{format}, {_noun(entries)}"


def _report_published(args: argparse.Namespace, published: Sequence[Published]) -> None:
    if not any(item.changed for item in published):
        _say(args, f"up to date ({', '.join(str(item.path) for item in published)})")
        return
    for item in published:
        if item.changed:
            _say(args, f"wrote {item.path} ({_what(item.format, item.entries)})")
        else:
            _say(args, f"unchanged {item.path} ({_what(item.format, item.entries)})")


def _ping(args: argparse.Namespace, config: Config, published: Sequence[Published]) -> None:
    hub = config.site.hub
    assert hub is not None
    changed = [item.url for item in published if item.changed and item.url and item.format in FORMATS]
    from .websub import ping_hub

    for failure in ping_hub(hub, changed):
        print(printable(f"feedlib: warning: hub not notified for {failure}"), file=sys.stderr)
    if changed:
        _say(args, f"pinged {hub} for {len(changed)} feed{'s' if len(changed) != 1 else ''}")


def _change_lines(mark: str, changes: Sequence[EntryChange]) -> Iterator[str]:
    for change in changes:
        yield f'  {mark} {change.id} "{change.title}"'


def _preview_lines(preview: FeedPreview) -> Iterator[str]:
    what = f"{preview.path} ({_what(preview.format, preview.entries)})"
    if preview.problem is not None:
        yield f"{preview.path}: {preview.problem}"
    if preview.unchanged:
        yield f"up to date: {what}"
        return
    if preview.format not in FORMATS:
        yield f"would write {what}"
        return
    counts = f"{len(preview.added)} added, {len(preview.updated)} updated, {len(preview.removed)} removed"
    if not (preview.added or preview.updated or preview.removed):
        counts = "no entry added, updated or removed; the feed's own fields changed"
    yield f"would write {what}: {counts}"
    yield from _change_lines("+", preview.added)
    yield from _change_lines("~", preview.updated)
    yield from _change_lines("-", preview.removed)


def _run_build(args: argparse.Namespace) -> int:
    config = _configure(args)
    if not args.wait >= 0:  # NaN is neither below 0 nor above it.
        raise ConfigError(f"--wait must be 0 or more seconds, got {args.wait:g}")
    now, progress = _now(args.now, config), _progress(args)
    if args.ping and not config.site.hub:
        raise ConfigError('--ping needs a WebSub hub: add hub = "https://…" to [site]')
    if args.dry_run:
        previews = dry_run(config, now=now, skip_invalid=args.skip_invalid, on_skip=_warn, progress=progress)
        for preview in previews:
            for line in _preview_lines(preview):
                _say(args, line)
        return EXIT_OK
    published = build(
        config, now=now, skip_invalid=args.skip_invalid, on_skip=_warn, wait=args.wait, progress=progress
    )
    _report_published(args, published)
    if args.ping:
        _ping(args, config, published)
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    config = _configure(args)
    report = check(config, now=_now(args.now, config))
    for setting in report.ignored:
        print(printable(f"feedlib: warning: {setting}"), file=sys.stderr)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        count = len(report.problems)
        print(f"feedlib: {count} problem{'s' if count != 1 else ''} in {report.posts} posts", file=sys.stderr)
        return EXIT_INVALID
    _say(args, f"{report.posts} post{'s' if report.posts != 1 else ''} OK")
    return EXIT_OK


class _Printable(logging.Formatter):
    """Log records as lines, each one line whatever file names and values it holds."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


@contextmanager
def _logging(args: argparse.Namespace) -> Iterator[None]:
    """Library log records to stderr: warnings always, per-post detail with --verbose."""
    logger = logging.getLogger("feedlib")
    handler = logging.StreamHandler(sys.stderr)
    verbose = getattr(args, "verbose", False)
    handler.setFormatter(_Printable("%(name)s: %(message)s" if verbose else "feedlib: %(message)s"))
    previous = logger.level
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        return _run_check(args) if args.command == "check" else _run_build(args)
    except PostErrors as error:
        for problem in error.errors:
            print(problem, file=sys.stderr)
        count = len(error.errors)
        posts, them = ("post", "it") if count == 1 else ("posts", "them")
        print(
            f"feedlib: {count} invalid {posts}; nothing written (fix {them}, or pass --skip-invalid)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except (PostError, PublishError) as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except LockTimeout as error:
        print(f"feedlib: {error}", file=sys.stderr)
        return EXIT_LOCKED
    except FeedlibError as error:
        print(f"feedlib: {error}", file=sys.stderr)
        return EXIT_CONFIG


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    with _logging(args), _without_cycle_collection():
        return _dispatch(args)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Run without Python's cycle collector, as a command that ends soon can.

    A build holds a record per post (100,000 objects for 10,000 posts) and
    makes no reference cycles worth collecting (its peak memory is the same
    without the collector), yet each full pass of the collector visits every
    object: that was a fifth of a warm build. Memory is freed by reference
    counting as before; worker processes inherit the setting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""The ``feedlib`` command: a thin layer that turns library results into lines and exit statuses."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from ._version import __version__
from .build import build
from .config import Config, load_config
from .dates import parse_date, zone
from .errors import ConfigError, FeedlibError, PostError, PostErrors, PublishError
from .formats import FORMATS

__all__ = ["EXIT_CONFIG", "EXIT_INVALID", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CONFIG = 2

_EPILOG = """exit statuses:
  0  feeds written
  1  invalid posts (nothing written) or a feed could not be written
  2  usage or configuration error
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIG, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="feedlib",
        description="Publish Atom and RSS feeds from a folder of Markdown posts.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"feedlib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    run = commands.add_parser(
        "build",
        help="write the feeds",
        description="Read the posts and write every configured feed, each file atomically.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--config", type=Path, metavar="FILE", help="configuration file (default: ./feedlib.toml)"
    )
    run.add_argument("--posts", type=Path, metavar="DIR", help="folder of posts (overrides build.posts)")
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
        "--now",
        metavar="ISO-TIME",
        help="leave out posts dated after this time instead of the current time",
    )
    run.add_argument(
        "--skip-invalid",
        action="store_true",
        help="warn about invalid posts and leave them out instead of failing",
    )
    return parser


def _configure(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    options = config.build
    if args.posts is not None:
        options = replace(options, posts=args.posts)
    if args.out is not None:
        options = replace(options, out=args.out)
    if args.formats:
        options = replace(options, formats=tuple(dict.fromkeys(args.formats)))
    if args.limit is not None:
        if args.limit < 0:
            raise ConfigError(f"--limit must be 0 or more, got {args.limit}")
        options = replace(options, limit=args.limit or None)
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


def _run_build(args: argparse.Namespace) -> int:
    config = _configure(args)
    published = build(config, now=_now(args.now, config), skip_invalid=args.skip_invalid, on_skip=_warn)
    for item in published:
        noun = "entry" if item.entries == 1 else "entries"
        print(f"wrote {item.path} ({item.format}, {item.entries} {noun})")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _run_build(args)
    except PostErrors as error:
        for problem in error.errors:
            print(problem, file=sys.stderr)
        count = len(error.errors)
        print(
            f"feedlib: {count} invalid post{'s' if count != 1 else ''}; nothing written "
            "(fix them, or pass --skip-invalid)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    except (PostError, PublishError) as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except FeedlibError as error:
        print(f"feedlib: {error}", file=sys.stderr)
        return EXIT_CONFIG

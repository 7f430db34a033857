"""The documentation keeps up with the code.

Everything a user can set (command flags, configuration keys, front-matter
keys, the ``_config.yml`` keys a Jekyll site is read with) must be documented,
every link between the README and the pages under docs/ must resolve, and
the README must stay short enough to read at once.
"""

from __future__ import annotations

import argparse
import ast
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from feedlib.cli import _parser
from feedlib.config import BUILD_KEYS, SITE_KEYS, TERM_FEED_KEYS, config_from_mapping
from feedlib.jekyll.config import CONFIG_KEYS, FEED_KEYS, KRAMDOWN_KEYS
from feedlib.posts import FRONT_MATTER
from feedlib.terms import TERM_KINDS

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = REPO / "docs"
PACKAGE = REPO / "feedlib"
#: Pages the README links to before they are written. Remove an entry once its page exists.
NOT_YET_WRITTEN: set[Path] = set()
README_LIMIT = 12_000


def front_matter_keys() -> list[str]:
    """Every front-matter key feedlib reads: its table, :data:`feedlib.posts.FRONT_MATTER`.

    ``test_front_matter_keys_cover_what_the_code_reads`` checks that nothing reads a key outside it.
    """
    return [key for row in FRONT_MATTER for key in row.keys]


def jekyll_config_keys() -> list[str]:
    """Every ``_config.yml`` key the Jekyll reader honours: its list, and jekyll-feed's ``feed:`` keys.

    ``test_jekyll_keys_cover_what_the_code_reads`` checks the list against what the reader reads.
    """
    blocks = [*(f"feed.{key}" for key in FEED_KEYS), *(f"kramdown.{key}" for key in KRAMDOWN_KEYS)]
    return [*CONFIG_KEYS, *blocks]


# --- reading Markdown ----------------------------------------------------------

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md")), REPO / "benchmarks" / "README.md"]


def _read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The prose of a Markdown page (fenced blocks blanked out) and its fenced blocks (language, text)."""
    prose: list[str] = []
    blocks: list[tuple[str, str]] = []
    fence: str | None = None
    language, body = "", []
    for line in text.split("\n"):
        if fence is None:
            match = _FENCE.match(line)
            if match:
                fence, language, body = match.group(1), match.group(2), []
                prose.append("")
            else:
                prose.append(line)
        elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            blocks.append((language, "\n".join(body)))
            fence = None
            prose.append("")
        else:
            body.append(line)
            prose.append("")
    return "\n".join(prose), blocks


def _prose(page: Path) -> str:
    return _split(_read(page))[0]


def _code_spans(page: Path) -> list[str]:
    return [span.strip() for span in _CODE_SPAN.findall(_prose(page))]


def _tables(page: Path) -> Iterator[tuple[str, list[str]]]:
    """Each Markdown table of ``page``: its header's first cell, and each row's first cell."""
    header: str | None = None
    rows: list[str] = []
    for line in [*_prose(page).split("\n"), ""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if header is None:
                header = cells[0]
            elif not set(line) <= set("|-: "):
                rows.append(cells[0])
        elif header is not None:
            yield header, rows
            header, rows = None, []


def _table_keys(page: Path, header: str) -> set[str]:
    """The names in code spans in the first column of the tables headed ``header``.

    ``published: false`` names ``published``.
    """
    return {
        span.split(":")[0].strip()
        for head, rows in _tables(page)
        if head == header
        for row in rows
        for span in _CODE_SPAN.findall(row)
    }


def github_anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.

    >>> github_anchor("What feedlib chose where Jekyll and Hugo leave room")
    'what-feedlib-chose-where-jekyll-and-hugo-leave-room'
    >>> github_anchor("A minimal `feedlib.toml`")
    'a-minimal-feedlibtoml'
    >>> github_anchor("JSON Feed 1.1")
    'json-feed-11'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    text = re.sub(r"[^\w\- ]", "", text.replace("`", "").strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in _prose(page).split("\n"):
        match = _HEADING.match(line)
        if match:
            anchor = github_anchor(match.group(2))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            anchors.add(anchor if count == 0 else f"{anchor}-{count}")
    return anchors


def _links(page: Path) -> list[str]:
    prose = _CODE_SPAN.sub("code", _prose(page))  # a link inside a code span is not a link
    return _LINK.findall(prose)


# --- command flags -------------------------------------------------------------


def command_flags() -> list[str]:
    """The long options of ``feedlib build`` and ``feedlib check``, ``--help`` aside."""
    parser = _parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    flags = {
        option
        for command in commands.choices.values()
        for action in command._actions
        if not isinstance(action, argparse._HelpAction)
        for option in action.option_strings
        if option.startswith("--")
    }
    return sorted(flags)


def test_both_commands_have_flags() -> None:
    parser = _parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    assert set(commands.choices) == {"build", "check"}
    assert {"--config", "--dry-run", "--jekyll"} <= set(command_flags())


@pytest.mark.parametrize("flag", command_flags())
def test_every_flag_is_documented(flag: str) -> None:
    spans = [span for page in [README, *sorted(DOCS.glob("*.md"))] for span in _code_spans(page)]
    documented = any(span == flag or span.startswith((f"{flag} ", f"{flag}=")) for span in spans)
    assert documented, f"{flag} is not named as `{flag}` in README.md or docs/*.md"


# --- configuration keys --------------------------------------------------------


def _toml_examples(page: Path) -> Iterator[dict[str, Any]]:
    """The TOML blocks of ``page``, parsed; a ``# or …`` line starts another example in the same block.

    Blocks of post front matter (``+++`` fences) are left out.
    """
    for language, text in _split(_read(page))[1]:
        if language != "toml" or text.startswith("+++"):
            continue
        for part in re.split(r"^# or\b.*$", text, flags=re.MULTILINE):
            yield tomllib.loads(part)


def _key_paths(table: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in table.items():
        yield prefix + key
        if isinstance(value, Mapping):
            yield from _key_paths(value, f"{prefix}{key}.")


def _feedlib_tables(example: dict[str, Any]) -> dict[str, Any]:
    """An example's feedlib tables, from ``[tool.feedlib]`` in a ``pyproject.toml`` example."""
    tables: dict[str, Any] = example.get("tool", {}).get("feedlib", example)
    return tables


def _documented_configuration() -> tuple[set[str], set[str]]:
    """Keys written in configuration.md's TOML (as ``site.url``), and names in its tables' first column."""
    page = DOCS / "configuration.md"
    written = {path for example in _toml_examples(page) for path in _key_paths(_feedlib_tables(example))}
    named = {
        span.split("=")[0].strip()
        for _, rows in _tables(page)
        for row in rows
        for span in _CODE_SPAN.findall(row)
    }
    return written, named


def configuration_keys() -> list[str]:
    """Every key of ``feedlib.toml``; ``feeds.*.only`` stands for the key in any ``[feeds]`` kind."""
    keys = {f"site.{key}" for key in SITE_KEYS} | {f"build.{key}" for key in BUILD_KEYS}
    keys |= {f"feeds.{kind}" for kind in TERM_KINDS} | {f"feeds.*.{key}" for key in TERM_FEED_KEYS}
    return sorted(keys)


@pytest.mark.parametrize("key", configuration_keys())
def test_every_configuration_key_is_documented(key: str) -> None:
    written, named = _documented_configuration()
    table, _, name = key.partition(".")
    paths = {key} if "*" not in key else {key.replace("*", kind) for kind in TERM_KINDS}
    documented = bool(paths & written) or key in named or name.split(".")[-1] in named
    assert documented, f"{key} is not in docs/configuration.md (as `{name} =` under [{table}], or in a table)"


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda page: page.name)
def test_configuration_examples_are_valid(page: Path) -> None:
    """Every TOML example of feedlib settings loads, with a site URL and title where it shows none."""
    for example in _toml_examples(page):
        tables = _feedlib_tables(example)
        tables["site"] = {"url": "https://example.com/", "title": "Example", **tables.get("site", {})}
        config_from_mapping(tables)


# --- front-matter keys ---------------------------------------------------------


@pytest.mark.parametrize("key", front_matter_keys())
def test_every_front_matter_key_is_documented(key: str) -> None:
    assert key in _table_keys(DOCS / "posts.md", "key"), f"{key} is not in docs/posts.md's table of keys"


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _strings(nodes: list[ast.expr]) -> list[str]:
    return [node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_attribute(node: ast.expr, attr: str, owner: str | None = None) -> bool:
    """Whether ``node`` is ``….attr``, or ``owner.attr`` when ``owner`` is given."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == attr
        and (owner is None or _is_name(node.value, owner))
    )


def _front_matter_reads(tree: ast.AST) -> Iterator[str]:
    """Keys read as ``fm.scalar/first/flag(…)``, ``fm.data.get(…)``, ``….front_matter.get(…)``,
    ``_date(fm, …)`` and ``_terms(fm, …)``.
    """
    for call in _calls(tree):
        func, args = call.func, call.args
        if isinstance(func, ast.Attribute) and func.attr in ("scalar", "first", "flag"):
            if _is_name(func.value, "fm"):
                yield from _strings(args)
        elif isinstance(func, ast.Attribute) and func.attr == "get":
            if _is_attribute(func.value, "data", "fm") or _is_attribute(func.value, "front_matter"):
                yield from _strings(args[:1])
        elif (
            isinstance(func, ast.Name) and func.id in ("_date", "_terms") and args and _is_name(args[0], "fm")
        ):
            yield from _strings(args[1:])


def _package_trees() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))]


def test_front_matter_keys_cover_what_the_code_reads() -> None:
    read = {key for tree in _package_trees() for key in _front_matter_reads(tree)}
    assert read - set(front_matter_keys()) == set(), "add these to front_matter_keys() and docs/posts.md"


# --- Jekyll's _config.yml ------------------------------------------------------


@pytest.mark.parametrize("key", jekyll_config_keys())
def test_every_jekyll_key_is_documented(key: str) -> None:
    documented = _table_keys(DOCS / "jekyll.md", "`_config.yml`")
    assert key in documented, f"{key} is not in docs/jekyll.md's table of _config.yml keys"


def _jekyll_reads(tree: ast.AST) -> Iterator[str]:
    """Top-level keys read as ``reader.text_of(KEY)``, ``reader.data.get(KEY)`` or ``reader.data[KEY]``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "text_of" and len(node.args) == 1:
                yield from _strings(node.args)
            elif node.func.attr == "get" and _is_attribute(node.func.value, "data", "reader"):
                yield from _strings(node.args[:1])
        elif isinstance(node, ast.Subscript) and _is_attribute(node.value, "data", "reader"):
            yield from _strings([node.slice])


def test_jekyll_keys_cover_what_the_code_reads() -> None:
    read = {key for tree in _package_trees() for key in _jekyll_reads(tree)}
    # "feed" (jekyll-feed's) and "kramdown" are blocks: their keys are listed one by one.
    unlisted = read - {"feed", "kramdown"} - set(jekyll_config_keys())
    assert unlisted == set(), "add these to jekyll_config_keys()"


# --- links and size ------------------------------------------------------------


@pytest.mark.parametrize("page", _pages(), ids=lambda page: page.relative_to(REPO).as_posix())
def test_links_between_pages_resolve(page: Path) -> None:
    broken = []
    for target in _links(page):
        if _SCHEME.match(target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if linked in NOT_YET_WRITTEN and not linked.exists():
            continue
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(REPO)}")
    assert broken == []


def test_pages_not_yet_written_are_still_missing() -> None:
    written = [path.relative_to(REPO).as_posix() for path in NOT_YET_WRITTEN if path.exists()]
    assert written == [], "now written: remove them from NOT_YET_WRITTEN so that links to them are checked"


def test_the_readme_links_every_page() -> None:
    linked = {(README.parent / target.partition("#")[0]).resolve() for target in _links(README)}
    pages = {path.resolve() for path in DOCS.glob("*.md")} | NOT_YET_WRITTEN
    assert sorted(path.name for path in pages - linked) == []


def test_the_readme_stays_short() -> None:
    size = len(README.read_bytes())
    assert size < README_LIMIT, f"README.md is {size} bytes: move detail to a page under docs/"

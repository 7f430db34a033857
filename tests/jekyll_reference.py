"""Compare two Atom feeds field by field: a reference (jekyll-feed's) and a candidate (feedlib's).

Used by tests/test_jekyll_reference.py on the fixture sites under tests/data/jekyll-reference/,
and by hand on real sites::

    python tests/jekyll_reference.py _site/feed.xml out/feed.xml [--examples N] [--json]

What is compared, and how it is normalised so that only differences a reader would see count:

- Feed: id, title, subtitle, the alternate and self links, icon, logo, authors and the
  language (``xml:lang``). The generator is ignored; ``updated`` is listed for
  information only (jekyll-feed writes the build time there), with both titles.
- Entries are matched by id; entries left over on both sides are then paired by their
  alternate link, then by title and published instant, then by the published instant
  alone, so that a feed whose ids all differ still has its other fields compared (the pair
  counts as differing in ``id``). Entries still unpaired are listed as only in one feed.
- Per entry: id, link, title, published and updated (as instants, and separately the offset
  as written, ``Z`` read as ``+00:00``), categories (the multiset of terms), authors
  (name, email, uri), ``media:thumbnail`` url, summary, language (``xml:lang`` as
  inherited from the feed), content as plain text and the set of link targets in content.
- Text constructs (title, subtitle, summary, content) are compared as the text a reader
  shows: ``type="html"`` is parsed as HTML and reduced to its text, and whitespace runs are
  collapsed to one space.
- Link targets are every ``href``, ``src`` and ``srcset`` URL in the content, resolved
  against the content's ``xml:base`` (else the entry's link) and written in one canonical
  form (lower-case scheme and host, non-ASCII and unsafe characters percent-encoded), so
  that a relative link and its absolute twin are the same target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from lxml import etree, html

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
NS = {"a": ATOM, "media": MEDIA}

FEED_FIELDS = ("id", "title", "subtitle", "alternate", "self", "icon", "logo", "authors", "lang")
FEED_INFO_FIELDS = ("updated", "title")
ENTRY_FIELDS = (
    "id",
    "link",
    "title",
    "published",
    "published_offset",
    "updated",
    "updated_offset",
    "categories",
    "authors",
    "thumbnail",
    "summary",
    "lang",
    "content",
    "links",
)

Author = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Entry:
    """The compared fields of one Atom entry, normalised."""

    id: str | None
    link: str | None
    title: str | None
    published: dt.datetime | None
    published_offset: str | None
    updated: dt.datetime | None
    updated_offset: str | None
    categories: tuple[str, ...]
    authors: tuple[Author, ...]
    thumbnail: str | None
    summary: str | None
    lang: str | None
    content: str | None
    links: frozenset[str]

    def get(self, name: str) -> Any:
        return getattr(self, name)


@dataclass(frozen=True)
class Feed:
    """The compared fields of one Atom feed, and its entries in document order."""

    fields: dict[str, Any]
    entries: tuple[Entry, ...]


@dataclass
class EntryComparison:
    """One pair of entries: the fields that differ (reference value, candidate value)."""

    key: str
    matched_by: str
    diffs: dict[str, tuple[Any, Any]]
    similarity: float
    lost_links: frozenset[str]
    added_links: frozenset[str]


@dataclass
class Comparison:
    """Everything that differs between a reference feed and a candidate feed."""

    feed_diffs: dict[str, tuple[Any, Any]]
    feed_info: dict[str, tuple[Any, Any]]
    entries: list[EntryComparison]
    only_in_reference: list[Entry]
    only_in_candidate: list[Entry]

    def differing(self, name: str) -> list[EntryComparison]:
        """The compared entries whose field ``name`` differs."""
        return [e for e in self.entries if name in e.diffs]

    def equal_fraction(self, name: str) -> float:
        """The fraction of compared entries whose field ``name`` is equal (1.0 for none)."""
        if not self.entries:
            return 1.0
        return 1 - len(self.differing(name)) / len(self.entries)

    @property
    def min_similarity(self) -> float:
        return min((e.similarity for e in self.entries), default=1.0)

    @property
    def lost_links(self) -> dict[str, frozenset[str]]:
        """Entry key → link targets of the reference's content missing from the candidate's."""
        return {e.key: e.lost_links for e in self.entries if e.lost_links}

    def summary_table(self) -> str:
        """A plain-text table: per field, entries equal out of compared; then the totals."""
        n = len(self.entries)
        rows = [f"{'field':<18} {'equal':>7} {'of':>5} {'%':>7}"]
        for name in ENTRY_FIELDS:
            equal = n - len(self.differing(name))
            pct = 100.0 * equal / n if n else 100.0
            rows.append(f"{name:<18} {equal:>7} {n:>5} {pct:>6.1f}%")
        lost = self.lost_links
        rows += [
            "",
            f"entries compared: {n} (by id {sum(e.matched_by == 'id' for e in self.entries)}, "
            f"by link {sum(e.matched_by == 'link' for e in self.entries)}, "
            f"by title+date {sum(e.matched_by == 'title+published' for e in self.entries)}, "
            f"by date {sum(e.matched_by == 'published' for e in self.entries)})",
            f"only in reference: {len(self.only_in_reference)}; "
            f"only in candidate: {len(self.only_in_candidate)}",
            f"content similarity: min {self.min_similarity:.4f}; "
            f">= 0.98 in {sum(e.similarity >= 0.98 for e in self.entries)} of {n}",
            f"link targets lost: {sum(len(v) for v in lost.values())} in {len(lost)} entries; "
            f"added: {sum(len(e.added_links) for e in self.entries)}",
        ]
        if self.feed_diffs:
            rows.append("feed-level differences: " + ", ".join(sorted(self.feed_diffs)))
        else:
            rows.append("feed-level differences: none")
        return "\n".join(rows)

    def to_json(self) -> dict[str, Any]:
        """The comparison as JSON-ready data."""
        return {
            "feed_diffs": {k: [_jsonable(a), _jsonable(b)] for k, (a, b) in self.feed_diffs.items()},
            "feed_info": {k: [_jsonable(a), _jsonable(b)] for k, (a, b) in self.feed_info.items()},
            "entries": [
                {
                    "key": e.key,
                    "matched_by": e.matched_by,
                    "similarity": e.similarity,
                    "diffs": {k: [_jsonable(a), _jsonable(b)] for k, (a, b) in e.diffs.items()},
                    "lost_links": sorted(e.lost_links),
                    "added_links": sorted(e.added_links),
                }
                for e in self.entries
            ],
            "only_in_reference": [e.id for e in self.only_in_reference],
            "only_in_candidate": [e.id for e in self.only_in_candidate],
        }


# --- normalisation -------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Whitespace runs (including no-break spaces) to one space, trimmed."""
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def html_text(markup: str) -> str:
    """The text a browser shows for an HTML fragment, whitespace-collapsed."""
    if not markup.strip():
        return ""
    try:
        fragment = html.fragment_fromstring(markup, create_parent="div")
    except etree.ParserError:
        return collapse(markup)
    return collapse(fragment.text_content())


def html_links(markup: str, base: str | None) -> frozenset[str]:
    """Every href, src and srcset target of an HTML fragment, resolved and canonical."""
    if not markup.strip():
        return frozenset()
    try:
        fragment = html.fragment_fromstring(markup, create_parent="div")
    except etree.ParserError:
        return frozenset()
    targets: set[str] = set()
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value is not None and value.strip():
                targets.add(canonical_url(value.strip(), base))
        srcset = element.get("srcset")
        if srcset:
            for candidate in srcset.split(","):
                parts = candidate.split()
                if parts:
                    targets.add(canonical_url(parts[0], base))
    return frozenset(targets)


_UNRESERVED_AND_RESERVED = "!#$%&'()*+,/:;=?@[]~"


def canonical_url(url: str, base: str | None = None) -> str:
    """``url`` resolved against ``base``, NFC, lower-case scheme/host, unsafe characters %-encoded."""
    url = unicodedata.normalize("NFC", url)
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if parts.port is not None and (parts.scheme, parts.port) in {("http", 80), ("https", 443)}:
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_UNRESERVED_AND_RESERVED),
            quote(parts.query, safe=_UNRESERVED_AND_RESERVED),
            quote(parts.fragment, safe=_UNRESERVED_AND_RESERVED),
        )
    )


def _text_construct(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = element.find("{http://www.w3.org/1999/xhtml}div")
        source = div if div is not None else element
        return collapse("".join(source.itertext()))
    text = element.text or ""
    if kind in {"html", "text/html"}:
        return html_text(text)
    return collapse(text)


def _markup(element: etree._Element | None) -> str:
    """The HTML of a content element, whatever its type."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind in {"html", "text/html"}:
        return element.text or ""
    if kind == "xhtml":
        div = element.find("{http://www.w3.org/1999/xhtml}div")
        if div is None:
            return ""
        return "".join(etree.tostring(child, encoding="unicode") for child in div)
    return html_escape(element.text or "")


_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$", re.IGNORECASE)


def parse_datetime(text: str | None) -> tuple[dt.datetime | None, str | None]:
    """An RFC 3339 date-time: (the instant in UTC, the offset as written, Z as +00:00)."""
    if text is None:
        return None, None
    text = text.strip()
    match = _OFFSET.search(text)
    offset = None
    if match:
        offset = match.group(1).upper()
        if offset == "Z":
            offset = "+00:00"
        elif ":" not in offset:
            offset = f"{offset[:3]}:{offset[3:]}"
    try:
        value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None, offset
    if value.tzinfo is None:
        return value, offset
    return value.astimezone(dt.UTC), offset


def _inherited(element: etree._Element, attribute: str) -> str | None:
    node: etree._Element | None = element
    while node is not None:
        value = node.get(attribute)
        if value is not None:
            return value
        node = node.getparent()
    return None


def _normalise_lang(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip().replace("_", "-").lower()


def _authors(parent: etree._Element) -> tuple[Author, ...]:
    result = []
    for author in parent.findall("a:author", NS):
        name = collapse(author.findtext("a:name", default="", namespaces=NS))
        email = author.findtext("a:email", namespaces=NS)
        uri = author.findtext("a:uri", namespaces=NS)
        result.append((name, email.strip() if email else None, uri.strip() if uri else None))
    return tuple(result)


def _link(parent: etree._Element, rel: str) -> str | None:
    for link in parent.findall("a:link", NS):
        if link.get("rel", "alternate") == rel and link.get("href") is not None:
            return canonical_url(link.get("href", "").strip())
    return None


def _entry(element: etree._Element, feed_lang: str | None) -> Entry:
    link = _link(element, "alternate")
    published, published_offset = parse_datetime(element.findtext("a:published", namespaces=NS))
    updated, updated_offset = parse_datetime(element.findtext("a:updated", namespaces=NS))
    thumbnail = element.find("media:thumbnail", NS)
    content = element.find("a:content", NS)
    base = _inherited(content, XML_BASE) if content is not None else None
    markup = _markup(content)
    entry_id = element.findtext("a:id", namespaces=NS)
    lang = _normalise_lang(element.get(XML_LANG)) or feed_lang
    return Entry(
        id=canonical_url(entry_id.strip()) if entry_id else None,
        link=link,
        title=_text_construct(element.find("a:title", NS)),
        published=published,
        published_offset=published_offset,
        updated=updated,
        updated_offset=updated_offset,
        categories=tuple(sorted(c.get("term", "") for c in element.findall("a:category", NS))),
        authors=_authors(element),
        thumbnail=canonical_url(thumbnail.get("url", "")) if thumbnail is not None else None,
        summary=_text_construct(element.find("a:summary", NS)),
        lang=lang,
        content=html_text(markup) if content is not None else None,
        links=html_links(markup, base or link),
    )


def parse_feed(source: str | Path | bytes) -> Feed:
    """Read an Atom feed from a path or from bytes."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if root.tag != f"{{{ATOM}}}feed":
        raise ValueError(f"not an Atom feed: root element {root.tag}")
    lang = _normalise_lang(root.get(XML_LANG))
    icon = root.findtext("a:icon", namespaces=NS)
    logo = root.findtext("a:logo", namespaces=NS)
    fields = {
        "id": canonical_url(root.findtext("a:id", default="", namespaces=NS).strip()),
        "title": _text_construct(root.find("a:title", NS)),
        "subtitle": _text_construct(root.find("a:subtitle", NS)),
        "alternate": _link(root, "alternate"),
        "self": _link(root, "self"),
        "icon": canonical_url(icon.strip()) if icon else None,
        "logo": canonical_url(logo.strip()) if logo else None,
        "authors": _authors(root),
        "lang": lang,
        "updated": parse_datetime(root.findtext("a:updated", namespaces=NS))[0],
    }
    entries = tuple(_entry(e, lang) for e in root.findall("a:entry", NS))
    return Feed(fields=fields, entries=entries)


# --- comparison ----------------------------------------------------------------------------


def similarity(a: str | None, b: str | None) -> float:
    """difflib's ratio of two plain texts (1.0 when equal, including both absent)."""
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a or "", b or "", autojunk=False).ratio()


def _pair(
    reference: Sequence[Entry], candidate: Sequence[Entry]
) -> tuple[list[tuple[Entry, Entry, str]], list[Entry], list[Entry]]:
    pairs: list[tuple[Entry, Entry, str]] = []
    left = list(reference)
    right = list(candidate)
    keys: list[tuple[str, Any]] = [
        ("id", lambda e: e.id),
        ("link", lambda e: e.link),
        ("title+published", lambda e: (e.title, e.published) if e.title else None),
        ("published", lambda e: e.published),
    ]
    for how, key in keys:
        index: dict[Any, list[Entry]] = {}
        for entry in right:
            k = key(entry)
            if k is not None:
                index.setdefault(k, []).append(entry)
        unpaired = []
        for entry in left:
            k = key(entry)
            bucket = index.get(k) if k is not None else None
            if bucket:
                match = bucket.pop(0)
                right.remove(match)
                pairs.append((entry, match, how))
            else:
                unpaired.append(entry)
        left = unpaired
    return pairs, left, right


def compare_entries(reference: Entry, candidate: Entry, how: str = "id") -> EntryComparison:
    """The differing fields of two entries."""
    diffs = {}
    for name in ENTRY_FIELDS:
        a, b = reference.get(name), candidate.get(name)
        if a != b:
            diffs[name] = (a, b)
    return EntryComparison(
        key=reference.id or reference.link or "?",
        matched_by=how,
        diffs=diffs,
        similarity=similarity(reference.content, candidate.content),
        lost_links=reference.links - candidate.links,
        added_links=candidate.links - reference.links,
    )


def compare(reference: Feed | str | Path | bytes, candidate: Feed | str | Path | bytes) -> Comparison:
    """Compare a reference feed (jekyll-feed's) with a candidate (feedlib's)."""
    ref = reference if isinstance(reference, Feed) else parse_feed(reference)
    cand = candidate if isinstance(candidate, Feed) else parse_feed(candidate)
    feed_diffs = {k: (ref.fields[k], cand.fields[k]) for k in FEED_FIELDS if ref.fields[k] != cand.fields[k]}
    feed_info = {k: (ref.fields[k], cand.fields[k]) for k in FEED_INFO_FIELDS}
    pairs, only_ref, only_cand = _pair(ref.entries, cand.entries)
    return Comparison(
        feed_diffs=feed_diffs,
        feed_info=feed_info,
        entries=[compare_entries(a, b, how) for a, b, how in pairs],
        only_in_reference=only_ref,
        only_in_candidate=only_cand,
    )


# --- reporting -----------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def _short(value: Any, width: int = 160) -> str:
    text = repr(_jsonable(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(comparison: Comparison, examples: int = 2, fields: Iterable[str] = ENTRY_FIELDS) -> str:
    """The summary table followed by up to ``examples`` differing entries per field."""
    lines = [comparison.summary_table()]
    for name, (a, b) in comparison.feed_diffs.items():
        lines.append(f"feed {name}: reference {_short(a)} / candidate {_short(b)}")
    for name in fields:
        differing = comparison.differing(name)
        if not differing or examples <= 0:
            continue
        lines.append(f"\n== {name}: {len(differing)} entries differ")
        for entry in differing[:examples]:
            a, b = entry.diffs[name]
            lines.append(f"  {entry.key}")
            if name == "content":
                lines.append(f"    similarity {entry.similarity:.4f}")
                lines.extend("    " + line for line in _text_diff(a or "", b or ""))
            elif name == "links":
                lines.append(f"    lost  {_short(sorted(entry.lost_links), 400)}")
                lines.append(f"    added {_short(sorted(entry.added_links), 400)}")
            else:
                lines.append(f"    reference {_short(a)}")
                lines.append(f"    candidate {_short(b)}")
    for label, entries in (
        ("only in reference", comparison.only_in_reference),
        ("only in candidate", comparison.only_in_candidate),
    ):
        if entries and examples > 0:
            lines.append(f"\n== {label}: {len(entries)}")
            lines.extend(f"  {e.id}  {e.title!r}" for e in entries[: max(examples, 5)])
    return "\n".join(lines)


def _text_diff(a: str, b: str, context: int = 40, limit: int = 3) -> list[str]:
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        out.append(f"{tag}: …{a[max(0, i1 - context) : i2 + context]!r}")
        out.append(f"   → …{b[max(0, j1 - context) : j2 + context]!r}")
        if len(out) >= 2 * limit:
            break
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: compare REFERENCE.xml with CANDIDATE.xml; exit 1 if any field differs."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("reference", type=Path, help="the reference feed (jekyll-feed's)")
    parser.add_argument("candidate", type=Path, help="the feed to check (feedlib's)")
    parser.add_argument("--examples", type=int, default=2, help="differing entries shown per field")
    parser.add_argument("--json", action="store_true", help="print the whole comparison as JSON")
    args = parser.parse_args(argv)
    comparison = compare(args.reference, args.candidate)
    if args.json:
        json.dump(comparison.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(describe(comparison, examples=args.examples))
    differs = (
        comparison.feed_diffs
        or comparison.only_in_reference
        or comparison.only_in_candidate
        or any(e.diffs for e in comparison.entries)
    )
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())

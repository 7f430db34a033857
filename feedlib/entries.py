"""From posts to feed entries: which posts a feed shows, and what it shows of each.

:func:`~feedlib.selection.select_posts` chooses the posts; :func:`to_entry`
makes one post's entry; :func:`render_entries` makes the entries of the chosen
posts, taking each from the cache where it can and rendering the rest (in a
process pool when there are many).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urljoin

from .cache import PostCache
from .cache.stamps import post_digest
from .errors import ConfigError, PostChanged, PostError, raise_or_report
from .kramdown import smartify_title
from .model import Author, Enclosure, Entry, Image, Post, PostRecord, Rendered, Site
from .parallel import map_ordered
from .selection import post_identity
from .text import scalar_text, strip_xml_illegal, xml_safe_author
from .urls import absolute_url, with_parameters

if TYPE_CHECKING:
    from .jekyll.liquid import PostRenderer

__all__ = [
    "PARALLEL_RENDER_MIN",
    "Progress",
    "jekyll_excerpt",
    "render_entries",
    "render_post",
    "shows_content",
    "to_entry",
]

_T = TypeVar("_T")

#: At least this many posts to render before a process pool pays for itself
#: (rendering one takes a few ms; a pool takes tens of milliseconds to start).
PARALLEL_RENDER_MIN = 24
# Posts a worker takes at a time: a chunk takes tens of milliseconds, so the last
# one leaves the other core idle only that long.
_RENDER_CHUNK = 8

_log = logging.getLogger(__name__)
# A Liquid tag or output, as Jekyll's has_liquid_construct? finds one.
_LIQUID = re.compile(r"\{[{%]")


class Progress(Protocol):
    """Wraps the items of a long step, to show how far it got (a progress bar on a terminal)."""

    def __call__(self, items: Sequence[_T], label: str) -> Iterable[_T]:
        """Yield ``items``, one by one, while showing progress under ``label``."""
        ...


def render_post(post: Post, site: Site, excerpt: str | None = None) -> Rendered:
    """The HTML (links made absolute) and the summary of ``post``: the slow part of an entry.

    ``excerpt`` is the source of a Jekyll site's excerpt when its Liquid is
    already rendered (else it is taken from the body). Pure: reads neither
    the disk nor the clock, so its result can be kept and reused for as long
    as the post file and the site settings stay the same. Raises
    :class:`PostError` for Markdown that cannot be rendered.
    """
    # The renderers, lxml and nh3 are imported with the first post rendered: a build
    # that renders nothing never needs them.
    from .render import MORE_SEPARATOR, summarize

    url, _ = post_identity(post, site)
    extensions = site.markdown_extensions
    try:
        content, first_paragraph = _content(post, site, url)
        if site.jekyll is not None:
            summary = _jekyll_summary(post, site, excerpt)
        else:
            summary = summarize(
                post.excerpt,
                post.body,
                content,
                site.summary_length,
                extensions,
                renderer=site.renderer,
                kramdown=site.kramdown,
                separator=post.excerpt_separator or MORE_SEPARATOR,
                text=_known_summary(post, site, first_paragraph),
            )
    except ValueError as error:
        raise PostError(post.path, str(error)) from None
    return Rendered(content, summary)


def _content(post: Post, site: Site, url: str) -> tuple[str, str | None]:
    """The HTML of ``post`` with its links made absolute, and its first paragraph's text if known.

    Python-Markdown's own tree gives both where it can tell
    (:func:`~feedlib.mdtree.tree_render`); lxml reads the HTML otherwise.
    """
    from .links import absolute_links
    from .mdtree import tree_render
    from .render import render_markdown, sanitize_html

    if site.renderer == "markdown" and site.jekyll is None and not site.sanitize:
        rendered = tree_render(post.body, site.markdown_extensions, url)
        if rendered.content is not None:
            return rendered.content, rendered.first_paragraph
        html = rendered.html
    else:
        html = render_markdown(post.body, site.markdown_extensions, site.renderer, site.kramdown)
    return absolute_links(sanitize_html(html) if site.sanitize else html, url), None


def _known_summary(post: Post, site: Site, first_paragraph: str | None) -> str | None:
    """The text :func:`~feedlib.render.summarize` takes, where Python-Markdown's tree tells it."""
    from .mdtree import tree_text
    from .render import MORE_SEPARATOR

    if site.renderer != "markdown":
        return None
    if post.excerpt is not None:
        return tree_text(post.excerpt, site.markdown_extensions)
    separator = post.excerpt_separator or MORE_SEPARATOR
    if separator in post.body:
        return tree_text(post.body.split(separator, 1)[0], site.markdown_extensions)
    return first_paragraph


def jekyll_excerpt(post: Post, site: Site) -> str | None:
    """The source of Jekyll's excerpt of ``post`` (before Liquid), when no summary is in its front matter."""
    if post.excerpt is not None or site.jekyll is None:
        return None
    separator = post.excerpt_separator
    if separator is None:
        separator = site.jekyll.excerpt_separator
    from .jekyll.excerpt import excerpt_source

    return excerpt_source(post.body, separator)


def _jekyll_summary(post: Post, site: Site, excerpt: str | None) -> str:
    """jekyll-feed's summary, whole: ``description`` or ``excerpt`` as written, else the excerpt rendered."""
    from .render import html_to_text, markdown_text

    if post.excerpt is not None:
        return html_to_text(post.excerpt)
    source = excerpt if excerpt is not None else jekyll_excerpt(post, site)
    if not source:
        return ""
    return markdown_text(source, site.markdown_extensions, site.renderer, site.kramdown)


def _media_url(raw: str, base: str, site: Site, post: Post, key: str) -> str:
    """``raw`` resolved against the post's URL, as a browser on the post's page would."""
    try:
        return absolute_url(urljoin(base, raw), site)
    except ValueError as error:
        raise PostError(post.path, f"{key}: cannot make its URL: {error}") from None


def _media(post: Post, site: Site, url: str) -> tuple[Image | None, Enclosure | None]:
    image = enclosure = None
    if post.image is not None:
        # jekyll-feed resolves an image against the site, not the post.
        base = site.base_url if site.jekyll is not None else url
        image = Image(
            _media_url(post.image.url, base, site, post, "image"),
            strip_xml_illegal(post.image.alt) if post.image.alt else None,
        )
    if post.enclosure is not None:
        enclosure = replace(post.enclosure, url=_media_url(post.enclosure.url, url, site, post, "enclosure"))
    return image, enclosure


def shows_content(post: Post, site: Site) -> bool:
    """Whether a feed carries the full HTML of ``post``, not only its summary."""
    return site.content == "full" and not post.excerpt_only


def to_entry(post: Post, site: Site, rendered: Rendered | None = None) -> Entry:
    """The feed entry for ``post``: renders its Markdown, makes links absolute.

    ``rendered`` is the result of :func:`render_post` when it is already known.
    The entry's link is the post's URL with the site's ``url_parameters``
    added; its id never has them. Pure: reads neither the disk nor the clock. The content is left out
    (only the summary shown) when the site's ``content`` is ``"summary"`` or
    the post says ``excerpt_only: true``. Every text is XML-safe: YAML
    escapes in double-quoted strings can put characters XML forbids into front matter.
    Raises :class:`PostError` for a post whose URL cannot be made or whose
    Markdown cannot be rendered.
    """
    url, ident = post_identity(post, site)
    if rendered is None:
        rendered = render_post(post, site)
    link = with_parameters(url, site.url_parameters)
    title = strip_xml_illegal(post.title).strip() or strip_xml_illegal(post.slug).strip() or "Untitled"
    authors = post.authors or site.authors or (Author(smartify_title(site.title, site)),)
    terms = (strip_xml_illegal(term) for term in _terms(post, site))
    image, enclosure = _media(post, site, url)
    content = rendered.content_html if shows_content(post, site) else ""
    published, updated = (post.date, post.updated) if site.jekyll is None else _jekyll_times(post)
    return Entry(
        id=ident,
        url=link,
        title=smartify_title(title, site),
        published=published,
        updated=updated,
        authors=tuple(map(xml_safe_author, authors)),
        categories=tuple(dict.fromkeys(term for term in terms if term)),
        # Every entry has a summary: RSS keeps content:encoded only beside a
        # description, and an Atom entry needs some text (RFC 4287 4.1.1);
        # jekyll-feed writes none where the excerpt is empty.
        summary=rendered.summary or ("" if site.jekyll is not None and content else title),
        content_html=content,
        source=post.path,
        image=image,
        enclosure=enclosure,
        language=post.lang,
    )


def _terms(post: Post, site: Site) -> tuple[str, ...]:
    """The terms an entry shows: categories then tags (jekyll-feed: ``category`` alone, if set)."""
    if site.jekyll is not None:
        single = post.front_matter.get("category")
        if single is not None and not isinstance(single, list | Mapping):
            return (scalar_text(single), *post.tags)
    return post.categories + post.tags


def _jekyll_times(post: Post) -> tuple[datetime, datetime]:
    """jekyll-feed's published and updated times: in the site's zone (they are), in whole seconds."""
    return post.date.replace(microsecond=0), post.updated.replace(microsecond=0)


# --- the rendering stage ----------------------------------------------------------------------


def _whole_post(record: PostRecord, site: Site) -> Post:
    """The whole post of ``record``: kept, or read again (and it must be what was chosen)."""
    if record.post is not None:
        return record.post
    from .posts import read_post  # python-frontmatter and PyYAML: only when a post is parsed.

    post, raw = read_post(record.file, site)
    if post_digest(record.file, raw) != record.digest:
        raise PostChanged(record.location)
    return post


# An entry, and the links to other posts and pages its Liquid resolved (tag, target, URL).
_Made = tuple[Entry, list[tuple[str, str, str]]]


def _entry(record: PostRecord, site: Site, liquid: PostRenderer | None) -> _Made:
    """The entry of ``record``'s post, and the links its Liquid resolved."""
    post = _whole_post(record, site)
    links: list[tuple[str, str, str]] = []
    excerpt = None
    if liquid is not None and liquid.applies_to(post):
        source = jekyll_excerpt(post, site)
        if source and _LIQUID.search(source):  # Jekyll renders an excerpt's Liquid only if it has some.
            excerpt = liquid.render(replace(post, body=source), links=links)
        post = replace(post, body=liquid.render(post, links=links))
    rendered = render_post(post, site) if excerpt is None else render_post(post, site, excerpt)
    return to_entry(post, site, rendered), links


def _entry_or_error(site: Site, liquid: PostRenderer | None, record: PostRecord) -> _Made | PostError:
    """:func:`_entry`, or why it cannot be made."""
    try:
        return _entry(record, site, liquid)
    except PostError as error:
        return error


def _entries(
    missing: Sequence[PostRecord], site: Site, liquid: PostRenderer | None
) -> Iterator[_Made | PostError]:
    """The entry of each of ``missing``, in order: in a process pool (started now) when there are many.

    Liquid renders here, in this process (its environment does not pickle).
    """
    if liquid is not None or len(missing) < PARALLEL_RENDER_MIN:
        return map(partial(_entry_or_error, site, liquid), missing)
    # A post's raw front matter may not pickle, and is not needed.
    light = [
        record._replace(post=replace(record.post, front_matter={})) if record.post else record
        for record in missing
    ]
    return map_ordered(
        partial(_entry_or_error, site, None), light, minimum=PARALLEL_RENDER_MIN, chunk=_RENDER_CHUNK
    )


def _no_progress(items: Sequence[_T], label: str) -> Iterable[_T]:
    return items


def _ticks(progress: Progress | None, items: Sequence[_T], label: str) -> Iterator[object]:
    """What ``progress`` shows of ``items``, one step per item; only for the display, not for the items."""
    shown = (progress or _no_progress)(items, label)
    if not isinstance(shown, Iterable):
        raise ConfigError(f"progress must give back the items it is given, got {shown!r}")
    return iter(shown)


def render_entries(
    records: Sequence[PostRecord],
    site: Site,
    *,
    cache: PostCache | None = None,
    liquid: PostRenderer | None = None,
    on_error: Callable[[PostError], None] | None = None,
    progress: Progress | None = None,
) -> list[Entry]:
    """The entries of ``records`` (in that order), from ``cache`` where it has them, rendered otherwise.

    With ``liquid``, posts are rendered as Liquid before Markdown; the entry
    of a post whose Liquid reads other posts' or pages' URLs (``link``,
    ``post_url``) is taken from the cache only while each still resolves to
    the URL it was made with. A post that cannot be rendered raises
    :class:`~feedlib.errors.PostErrors` (every such post, after trying all),
    or with ``on_error`` is passed there and left out. A post not kept in
    its record is read again, and its bytes must be the ones it was chosen
    from: otherwise :class:`~feedlib.errors.PostChanged` (the caller starts
    over). Afterwards the cache keeps entries for exactly these posts.
    """
    cache = cache if cache is not None else PostCache.open(None, site)
    resolves = liquid.still_resolve if liquid is not None else None
    known = {record.key: cache.entry(record, resolves) for record in records}
    missing = [record for record in records if known[record.key] is None]
    errors: list[PostError] = []
    # A pool starts (forks) before a progress bar starts its thread.
    outcomes = _entries(missing, site, liquid)
    ticks = _ticks(progress, missing, "rendering")
    for record, outcome in zip(missing, outcomes, strict=True):
        next(ticks, None)
        if isinstance(outcome, PostError):
            errors.append(outcome)
            continue
        entry, links = outcome
        known[record.key] = entry
        cache.remember_entry(record, entry, links)
        _log.debug("rendered: %s", record.location)
    for _ in ticks:  # A progress bar closes when it has shown its last item.
        pass
    raise_or_report(errors, on_error)
    cache.keep_entries(key for key, entry in known.items() if entry is not None)
    return [entry for entry in (known[record.key] for record in records) if entry is not None]

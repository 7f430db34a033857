"""A post's link and id kept inside the site, checked where its front matter is read.

A feed reader follows an entry's link, and many take an http(s) id for one:
either must lead into the site (:func:`~feedlib.values.off_site`). The check
is made when a post file is read, where the line of the key at fault is
known; :func:`feedlib.selection.post_identity` makes it again for posts a
program made.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .errors import PostError, shown
from .frontmatter import FrontMatter
from .model import Post, Site
from .urls import absolute_url, post_url
from .values import off_site

__all__ = ["check_links"]


def check_links(fm: FrontMatter, post: Post, site: Site) -> None:
    """Raise a :class:`PostError`, at the key's line, when ``post``'s link or id leads off the site.

    ``fm`` is the front matter ``post`` was read from. A URL that cannot be
    made at all is left to :func:`feedlib.selection.post_identity`, which says so.
    """
    if post.permalink is None and post.id is None:
        return  # The site's pattern: post_identity checks what it gives (there is no line to name).
    try:
        url, ident = post_url(post, site), None
        if post.id is not None and urlsplit(post.id).scheme.lower() in ("", "http", "https"):
            ident = absolute_url(post.id, site)  # A tag: or urn:uuid: id is no link.
    except ValueError:
        return
    base = absolute_url("", site)
    for key, value, resolved in (("permalink", post.permalink, url), ("id", post.id, ident)):
        problem = off_site(resolved, base) if resolved is not None else None
        if problem is None:
            continue
        if key == "permalink" and value is None:  # The site's pattern, with this post's values.
            raise PostError(post.path, f"its URL {shown(url)} is {problem}")
        written = fm.first(*(("permalink", "url") if key == "permalink" else ("id",)))
        raise fm.error(written[0] if written else key, f"{shown(value)} gives {shown(resolved)}: {problem}")

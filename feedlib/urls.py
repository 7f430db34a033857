"""Post URLs: Jekyll's permalink placeholders, slugs and percent-encoding."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote, unquote, urlsplit

from .dates import zone
from .model import Post, Site

__all__ = ["PERMALINK_STYLES", "absolute_url", "expand_permalink", "post_url", "slugify"]

#: Jekyll's named permalink styles.
PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
# What Jekyll's "pretty" slug mode keeps besides letters, marks and digits.
_PRETTY_EXTRA = frozenset("._~!$&'()+,;=@")
_PATH_SAFE = "/-._~!$&'()*+,;=:@"
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
# Only "scheme://" makes a permalink absolute: "notes:intro/" and a category
# "C++: Tips" are paths.
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: every other run of characters becomes ``-``.

    Letters of any script are kept, so Japanese titles stay readable.

    >>> slugify("Hello, World!")
    'hello-world'
    >>> slugify("xAIの200億ドル")
    'xaiの200億ドル'
    """
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        keep = category[0] in "LM" or category == "Nd" or (pretty and char in _PRETTY_EXTRA)
        if keep:
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")
    return slug if cased else slug.lower()


def _placeholders(post: Post, site: Site) -> dict[str, str]:
    when: datetime = post.date.astimezone(zone(site.timezone))
    categories = dict.fromkeys(category.lower() for category in post.categories)
    return {
        "year": f"{when.year:04d}",
        "short_year": f"{when.year % 100:02d}",
        "month": f"{when.month:02d}",
        "i_month": str(when.month),
        "day": f"{when.day:02d}",
        "i_day": str(when.day),
        "hour": f"{when.hour:02d}",
        "minute": f"{when.minute:02d}",
        "second": f"{when.second:02d}",
        "y_day": f"{when.timetuple().tm_yday:03d}",
        "title": slugify(post.slug, pretty=True, cased=True),
        "slug": slugify(post.slug),
        "categories": "/".join(categories),
        "output_ext": ".html",
    }


def expand_permalink(pattern: str, post: Post, site: Site) -> str:
    """The site-relative path of ``post`` for a Jekyll permalink pattern.

    Unknown placeholders are left as they are, as Jekyll does; empty
    segments (a post without categories) collapse.
    """
    pattern = PERMALINK_STYLES.get(pattern, pattern)
    values = _placeholders(post, site)
    path = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)
    if _ABSOLUTE.match(path):
        return path
    return re.sub(r"/{2,}", "/", "/" + path)


def absolute_url(path: str, site: Site) -> str:
    """``path`` resolved against the site URL and percent-encoded.

    A path is relative to the site URL (which may itself have a path, as
    ``https://example.com/blog/``) whether or not it starts with ``/``, and
    is never resolved out of it; an absolute URL (``scheme://…``) is only
    encoded. Raises :class:`ValueError` for a URL that cannot be read.
    """
    url = path if _ABSOLUTE.match(path) else site.base_url + path.lstrip("/")
    # Canonical form (RFC 3986 section 6): NFC text (file names from macOS
    # are NFD), lower-case scheme and host, no default port.
    try:
        parts = urlsplit(unicodedata.normalize("NFC", url))
    except ValueError as error:
        raise ValueError(f"{url!r} is not a valid URL: {error}") from None
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if netloc.endswith(_DEFAULT_PORTS.get(scheme, "\0")):
        netloc = netloc[: -len(_DEFAULT_PORTS[scheme])]
    # Decoding first keeps an already-encoded path from being encoded twice.
    encoded_path = quote(unquote(parts.path), safe=_PATH_SAFE) or "/"
    url = f"{scheme}://{netloc}{encoded_path}"
    if parts.query:
        url += "?" + quote(parts.query, safe=_PATH_SAFE + "?%")
    if parts.fragment:
        url += "#" + quote(parts.fragment, safe=_PATH_SAFE + "?%")
    return url


def post_url(post: Post, site: Site) -> str:
    """The absolute URL of ``post``: its ``permalink``, else the site's pattern."""
    return absolute_url(expand_permalink(post.permalink or site.permalink, post, site), site)

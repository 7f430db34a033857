"""What posts and sites share: their authors and media, and the settings' fixed choices.

Each record checks what it is given when it is made
(:class:`~feedlib.errors.ConfigError`, worded as the configuration file words it).
"""

from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, shown
from ..values import author_fields, check_author, check_media_url, check_mime_type

__all__ = [
    "CONTENT_MODES",
    "DEFAULT_PERMALINK",
    "RENDERERS",
    "Author",
    "Enclosure",
    "Image",
    "parse_authors",
]

#: jekyll-feed's and Jekyll's default (the ``date`` permalink style).
DEFAULT_PERMALINK = "/:categories/:year/:month/:day/:title.html"

#: What a feed carries of each post: its full HTML, or only its summary.
CONTENT_MODES = ("full", "summary")
#: Markdown renderers: Python-Markdown (the default, with extensions), cmarkgfm
#: (GitHub-flavoured CommonMark in C, about 40 times faster; ``pip install feedlib[fast]``)
#: and kramdown's dialect as Jekyll renders it (:mod:`feedlib.kramdown`).
RENDERERS = ("markdown", "commonmark", "kramdown")


def _checked(check: Any, *args: Any) -> Any:
    """``check(*args)``, its :class:`ValueError` raised as a :class:`ConfigError` (a program's value)."""
    try:
        return check(*args)
    except ValueError as error:
        raise ConfigError(str(error)) from None


@dataclass(frozen=True)
class Author:
    """A person: a name, with an e-mail address and a web page if known."""

    name: str
    email: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        """Check the name (not empty), e-mail address and web page (http or https); strip spaces."""
        name, email, uri = _checked(check_author, self.name, self.email, self.uri)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "email", email)
        object.__setattr__(self, "uri", uri)


def parse_authors(value: object) -> tuple[Author, ...]:
    """Authors from an :class:`Author`, a name, a ``{name, email, uri}`` mapping, or a list of them.

    Raises :class:`ValueError` with a message fit for a user.
    """
    items = value if isinstance(value, list | tuple) else [value]
    authors = []
    for item in items:
        if isinstance(item, Author):
            authors.append(item)
        elif item is not None:
            authors.extend(Author(*fields) for fields in author_fields([item]))
    return tuple(authors)


@dataclass(frozen=True)
class Image:
    """A post's image: its URL and its alternative text.

    The URL is as written (maybe relative to the post) in a :class:`Post`,
    absolute in an :class:`Entry`.
    """

    url: str
    alt: str | None = None

    def __post_init__(self) -> None:
        """Check the URL (http(s), or relative) and the alternative text."""
        object.__setattr__(self, "url", _checked(_media_url, self.url, "image"))
        if self.alt is not None and not isinstance(self.alt, str):
            raise ConfigError(f"image.alt must be text, got {shown(self.alt)}")


def _media_url(url: object, key: str) -> str:
    try:
        return check_media_url(url)
    except ValueError as error:
        raise ValueError(f"{key}.url: {error}") from None


@dataclass(frozen=True)
class Enclosure:
    """A file that goes with a post (a podcast episode): URL, size in bytes and MIME type."""

    url: str
    length: int
    type: str

    def __post_init__(self) -> None:
        """Check the URL, the size (a whole number of bytes, 0 or more) and the MIME type."""
        object.__setattr__(self, "url", _checked(_media_url, self.url, "enclosure"))
        length = self.length
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise ConfigError(
                f"enclosure.length must be the file's size in bytes (0 or more), got {shown(length)}"
            )
        try:
            object.__setattr__(self, "type", check_mime_type(self.type))
        except ValueError as error:
            raise ConfigError(f"enclosure.type {error}") from None


#: The configuration key each :class:`Site` field is set by, for messages that speak its language.

"""Markdown as Jekyll renders it: kramdown's dialect on Python-Markdown, and Jekyll's ``smartify``.

``build.renderer = "kramdown"`` (and every ``feedlib build --jekyll``) renders
posts with :func:`render_kramdown`; :func:`smartify_title` is jekyll-feed's
``smartify`` of titles. What still differs from kramdown is listed in
docs/jekyll.md.

Importing this package loads no Markdown, and nothing else until it is used:
titles are smartified on builds that render nothing, and most builds are not
of Jekyll sites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Kramdown, Site

if TYPE_CHECKING:
    from markdown import Markdown

    from .options import HONOURED, kramdown_options
    from .typography import smartify

__all__ = [
    "HONOURED",
    "Kramdown",
    "kramdown_options",
    "kramdown_renderer",
    "render_kramdown",
    "smartify",
    "smartify_title",
]


def kramdown_renderer(options: Kramdown) -> Markdown:
    """The Python-Markdown instance that renders as kramdown with ``options`` (built once)."""
    from .extension import kramdown_renderer as renderer

    return renderer(options)


def render_kramdown(source: str, options: Kramdown | None = None) -> str:
    """``source`` rendered as kramdown would (with Jekyll's options unless told otherwise).

    Pure: the same source and options give the same HTML, whatever was rendered before.
    """
    return kramdown_renderer(options or Kramdown()).reset().convert(source)


def smartify_title(title: str, site: Site) -> str:
    """``title`` as jekyll-feed writes it: through ``smartify`` when the site asks for it."""
    options = site.kramdown
    if site.renderer != "kramdown" or not options.smartify_titles:
        return title
    from .typography import smartify

    return smartify(title, options.smart_quotes, dict(options.typographic_symbols))


# The names of the package's modules, from them on first use.
_LAZY = {"HONOURED": "options", "kramdown_options": "options", "smartify": "typography"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)

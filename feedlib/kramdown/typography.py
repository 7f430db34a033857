"""The typography of kramdown: smart quotes and typographic symbols, and Jekyll's ``smartify``.

A port of kramdown 2.4's ``smart_quotes.rb`` (itself RubyPants' rules) and
``typographic_symbol.rb``. Plain Python, without Python-Markdown: titles go
through :func:`smartify` on every build that plans a feed, and the Markdown
extension (:mod:`feedlib.kramdown.inline`) calls :func:`smart_quote` and
:func:`symbol` for the quotes and symbols of a post's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["QUOTE_START", "SYMBOL", "smart_quote", "smartify", "symbol", "typeset"]

# kramdown's SQ_PUNCT and SQ_CLOSE.
_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSE = r"""[^ \\\t\r\n\[{(-]"""
# kramdown's SQ_RULES, in order: the regexp, tried where a quote (with the
# character before it, if any) starts, and what it becomes: a group number
# (that text), a quote name, or "L"/"R" (a left or right quote of the kind
# in the group named by the next item).
_L1, _R1, _L2, _R2 = "lquote1", "rquote1", "lquote2", "rquote2"
_RULES: tuple[tuple[re.Pattern[str], tuple[int | str, ...]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), outputs)
    for pattern, outputs in (
        (r"""("|')(?=[_*]{1,2}\S)""", (_L1,)),
        (rf"""("|')(?={_PUNCT}(?!\.\.)\B)""", (_R1,)),
        # Double sets of quotes: He said, "'Quoted' words in a larger quote."
        (r"""(\s?)"'(?=\w)""", (1, "ldquo", "lsquo")),
        (r"""(\s?)'"(?=\w)""", (1, "lsquo", "ldquo")),
        # Decade abbreviations: the '80s.
        (r"""(\s?)'(?=\d\ds)""", (1, "rsquo")),
        (r"""(\s)('|")(?=\w)""", (1, _L2)),
        (rf"""({_CLOSE})('|")""", (1, _R2)),
        # <i>Custer</i>'s Last Stand.
        (r"""("|')(?=\s|s\b|$)""", (_R1,)),
        (r"""(.?)'""", (1, "lsquo")),
        (r"""(.?)\"""", (1, "ldquo")),
    )
)
_QUOTE_NAMES = ("lsquo", "rsquo", "ldquo", "rdquo")
# What lquote1/rquote1 (the quote is group 1) and lquote2/rquote2 (group 2) become.
_KINDS = {_L1: (1, "l"), _R1: (1, "r"), _L2: (2, "l"), _R2: (2, "r")}

#: Where kramdown's smart-quote parser starts: a quote, with the character before it.
QUOTE_START = r"""[^\\]?["']"""
#: kramdown's typographic symbols (``TYPOGRAPHIC_SYMS``), longest first.
SYMBOL = r"---|--|\.\.\.|\\<<|\\>>|<< | >>|<<|>>"
_SYMBOLS = {
    "---": "mdash",
    "--": "ndash",
    "...": "hellip",
    "<< ": "laquo_space",
    " >>": "raquo_space",
    "<<": "laquo",
    ">>": "raquo",
}
_SYMBOL_TEXT = {
    "mdash": "\u2014",
    "ndash": "\u2013",
    "hellip": "\u2026",
    "laquo_space": "\u00ab\u00a0",
    "raquo_space": "\u00a0\u00bb",
    "laquo": "\u00ab",
    "raquo": "\u00bb",
}
# Jekyll's smartify: kramdown's SmartyPants parser, whose spans are smart
# quotes, entities, typographic symbols and HTML tags (tried in that order).
_SMARTY = re.compile(
    rf"(?P<quote>{QUOTE_START})|(?P<entity>&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);)"
    rf"|(?P<symbol>{SYMBOL})|(?P<tag></?[A-Za-z][^<>]*>|<!--.*?-->)",
    re.DOTALL,
)
# In Markdown text, between the spans Python-Markdown has parsed: quotes and symbols
# (guillemets are taken earlier, before ``<quoted>`` can be read as a tag). A quote's
# character before is not one that starts emphasis: kramdown tries emphasis first.
_TEXT = re.compile(r"""(?P<quote>[^\\*_]?["'])|(?P<symbol>---|--|\.\.\.)""")
#: What :func:`typeset` may change.
TRIGGERS = re.compile(r"""["']|--|\.\.\.""")


def smart_quote(text: str, start: int, quotes: tuple[str, str, str, str]) -> tuple[str, int]:
    """The text kramdown writes for the quote at or right after ``start``, and where it ends.

    ``start`` is where :data:`QUOTE_START` matched: the quote, or the
    character before it (which kramdown may keep as text, or read as
    context). ``quotes`` are the left and right single and double quotes.
    """
    for pattern, outputs in _RULES:
        match = pattern.match(text, start)
        if match is None:
            continue
        written = []
        for output in outputs:
            if isinstance(output, int):
                written.append(match.group(output))
                continue
            name = output
            if output in _KINDS:
                group, side = _KINDS[output]
                name = side + ("dquo" if match.group(group) == '"' else "squo")
            written.append(quotes[_QUOTE_NAMES.index(name)])
        return "".join(written), match.end()
    return text[start], start + 1  # Not reached: the last two rules match any quote.


def symbol(matched: str, symbols: Mapping[str, str] | None = None) -> str:
    """The text kramdown writes for a typographic symbol (``--``, ``...``, ``<<`` …).

    ``symbols`` are kramdown's ``typographic_symbols`` option (symbol name →
    text). A backslash before ``<<`` or ``>>`` keeps them as they are.
    """
    if matched.startswith("\\"):
        return matched[1:]
    name = _SYMBOLS[matched]
    if symbols and name in symbols:
        return symbols[name]
    return _SYMBOL_TEXT[name]


def smartify(text: str, quotes: tuple[str, str, str, str], symbols: Mapping[str, str] | None = None) -> str:
    """``text`` with kramdown's smart quotes and typographic symbols: Jekyll's ``smartify`` filter.

    HTML tags and entities are left as they are.

    >>> smartify("It's the '90s -- 'really'...", ("<", ">", "<<", ">>"))
    'It>s the >90s \u2013 <really>\u2026'
    """
    if not any(char in text for char in "'\".-<>"):
        return text
    return _typeset(text, _SMARTY, quotes, symbols)


def typeset(text: str, quotes: tuple[str, str, str, str], symbols: Mapping[str, str] | None = None) -> str:
    """Markdown text (without markup) with kramdown's smart quotes, dashes and ellipses."""
    return _typeset(text, _TEXT, quotes, symbols)


def _typeset(
    text: str, pattern: re.Pattern[str], quotes: tuple[str, str, str, str], symbols: Mapping[str, str] | None
) -> str:
    written: list[str] = []
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            break
        written.append(text[position : match.start()])
        if match.group("quote"):
            quote, position = smart_quote(text, match.start(), quotes)
            written.append(quote)
            continue
        if match.group("symbol"):
            written.append(symbol(match.group(), symbols))
        else:
            written.append(match.group())
        position = match.end()
    written.append(text[position:])
    return "".join(written)

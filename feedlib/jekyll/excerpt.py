"""Jekyll's excerpt of a document: the source its summary is rendered from (``Jekyll::Excerpt``).

The excerpt is the body up to the excerpt separator (the post's
``excerpt_separator``, else the site's, by default a blank line: the first
block), with a closing tag added for each Liquid block the separator cut
open, and the link and footnote definitions of the rest of the body that it
uses appended. It is then rendered (Liquid, then Markdown) like the post,
and jekyll-feed writes its text, whole, as the entry's summary.
"""

from __future__ import annotations

import re

__all__ = ["LIQUID_BLOCKS", "excerpt_source"]

#: The Liquid tags that are blocks (``{% name %}…{% endname %}``): Liquid's and Jekyll's.
LIQUID_BLOCKS = frozenset(
    {"capture", "case", "comment", "for", "if", "ifchanged", "raw", "tablerow", "unless", "highlight"}
)
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)\s*.*?-?%\}", re.DOTALL)
_LINK_DEFINITION = re.compile(r"^ {0,3}(?:(\[[^\]]+\])(:.+))$", re.MULTILINE)


def _closed(head: str) -> str:
    """``sanctify_liquid_tags``: ``head`` with an end tag for each block the separator left open."""
    for name in reversed(_LIQUID_TAG.findall(head)):
        if name not in LIQUID_BLOCKS:
            continue
        if re.search(rf"\{{%-?\s*end{name}.*?\s*-?%\}}", head, re.DOTALL):
            continue
        head += f"\n{{% end{name} %}}"
    return head


def excerpt_source(body: str, separator: str) -> str | None:
    """The source of the excerpt of a document whose body (after its front matter) is ``body``.

    ``None`` when there is no excerpt (an empty ``separator``).
    """
    if not separator:
        return None
    head, found, tail = body.partition(separator)
    if not found or not tail:
        return head
    if "{%" in head:
        head = _closed(head)
    definitions = [label + rest for label, rest in _LINK_DEFINITION.findall(tail) if label in head]
    if not definitions:
        return head
    return head + "\n\n" + "\n".join(definitions)

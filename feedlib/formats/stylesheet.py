"""A browser view of the Atom and RSS feeds: an XSLT stylesheet, and a pointer to it.

The pointer is the processing instruction of https://www.w3.org/TR/xml-stylesheet/.

feedgen cannot write ``<?xml-stylesheet?>``, so it is inserted into the bytes
right after the XML declaration. The link is relative, so it works wherever
the output folder is served, and same-origin, as browsers require of XSLT.
"""

from __future__ import annotations

__all__ = ["STYLESHEET_NAME", "add_stylesheet", "stylesheet_bytes", "stylesheet_href"]

#: The stylesheet's file, written at the top of the output folder.
STYLESHEET_NAME = "feed.xsl"

_DECLARATION_END = b"?>\n"


def stylesheet_bytes() -> bytes:
    """The XSLT stylesheet that renders feedlib's Atom and RSS feeds as an HTML page."""
    from importlib import resources  # Only when it is written: a build with nothing to do writes nothing.

    return resources.files(__package__).joinpath(STYLESHEET_NAME).read_bytes()


def stylesheet_href(relative_path: str) -> str:
    """The stylesheet's URL relative to the feed at ``relative_path`` in the output folder.

    >>> stylesheet_href("feed.xml"), stylesheet_href("feed/by_tag/python.xml")
    ('feed.xsl', '../../feed.xsl')
    """
    return "../" * relative_path.count("/") + STYLESHEET_NAME


def add_stylesheet(document: bytes, href: str) -> bytes:
    """``document`` with ``<?xml-stylesheet type="text/xsl" href="…"?>`` after its XML declaration.

    >>> add_stylesheet(b'<?xml version="1.0"?>' + bytes([10]) + b"<feed/>", "feed.xsl").splitlines()
    [b'<?xml version="1.0"?>', b'<?xml-stylesheet type="text/xsl" href="feed.xsl"?>', b'<feed/>']
    """
    if not document.startswith(b"<?xml") or _DECLARATION_END not in document:
        raise ValueError("the document does not start with an XML declaration")
    end = document.index(_DECLARATION_END) + len(_DECLARATION_END)
    quoted = href.replace("&", "&amp;").replace('"', "&quot;").encode("utf-8")
    instruction = b'<?xml-stylesheet type="text/xsl" href="' + quoted + b'"?>\n'
    return document[:end] + instruction + document[end:]

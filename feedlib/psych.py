"""YAML as Jekyll reads it (Ruby's Psych): timestamps by Psych's rules, not YAML 1.1's.

A time written without an offset is UTC (:func:`feedlib.rubytime.psych_timestamp`);
everything else is the safe loader's. Used for a Jekyll site's front matter
(:data:`JEKYLL_HANDLERS`) and its ``_data/`` files.
"""

from __future__ import annotations

import functools
from typing import Any

from .frontmatter import FrontMatterHandler, YAMLHandler

__all__ = ["JEKYLL_HANDLERS", "JekyllYAMLHandler", "psych_loader"]


@functools.cache
def psych_loader() -> Any:
    """The safe loader with Psych's timestamps, not YAML 1.1's (:func:`feedlib.rubytime.psych_timestamp`)."""
    from frontmatter.default_handlers import SafeLoader

    from .rubytime import PSYCH_TIMESTAMP, psych_timestamp

    class PsychLoader(SafeLoader):  # type: ignore[misc,valid-type]
        pass

    tag = "tag:yaml.org,2002:timestamp"
    PsychLoader.yaml_implicit_resolvers = {
        first: [(kind, pattern) for kind, pattern in resolvers if kind != tag]
        for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
    }
    PsychLoader.add_implicit_resolver(tag, PSYCH_TIMESTAMP, list("-0123456789"))

    def construct(loader: Any, node: Any) -> Any:
        text = loader.construct_scalar(node)
        found = psych_timestamp(text)
        return text if found is None else found

    PsychLoader.add_constructor(tag, construct)
    return PsychLoader


class JekyllYAMLHandler(YAMLHandler):
    """YAML front matter as Jekyll reads it: Psych's timestamps (a time without an offset is UTC)."""

    def loader(self) -> Any:
        """The safe loader with Psych's timestamps."""
        return psych_loader()


#: The only way a Jekyll site writes front matter, read as Jekyll reads it.
JEKYLL_HANDLERS: tuple[FrontMatterHandler, ...] = (JekyllYAMLHandler(),)

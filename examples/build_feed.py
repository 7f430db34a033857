"""Build Atom and RSS feeds from a folder of posts with feedlib's library API only.

Run from the repository root:

    python examples/build_feed.py posts public-example

No configuration file is needed: the site is described in code, and each
stage of the pipeline is called in turn, as ``feedlib build`` calls them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import feedlib


def main(posts: Path, out: Path) -> int:
    site = feedlib.Site(
        url="https://example.com/blog/",
        title="Example blog",
        description="Posts about feeds",
        authors=(feedlib.Author("Example Author", "author@example.com"),),
        language="ja",
        timezone="Asia/Tokyo",
    )
    try:
        cache = feedlib.PostCache.open(
            out.parent / ".example-cache", site
        )  # optional: unchanged posts are reused
        records = feedlib.read_posts(feedlib.discover_posts(posts), site, cache=cache)
        chosen = feedlib.select_posts(records, limit=20)  # newest first; no drafts, no future posts
        entries = feedlib.render_entries(chosen, site, cache=cache)
        documents = feedlib.render_documents(site, entries, ["atom", "rss"])
        written = feedlib.publish_documents(documents, out)  # atomic, locked, only what changed
        cache.save()
    except feedlib.FeedlibError as error:
        print(error, file=sys.stderr)
        return 1
    for item in written:
        print(f"{'wrote' if item.changed else 'unchanged'} {item.path} ({item.entries} entries)")
    # The same feed as bytes, without touching the disk:
    atom = feedlib.render_feed(site, entries, "atom")
    print(f"the Atom feed is {len(atom)} bytes")
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    source = Path(arguments[0]) if arguments else Path("posts")
    target = Path(arguments[1]) if len(arguments) > 1 else Path("public-example")
    raise SystemExit(main(source, target))

"""The site's authors as data: Hugo `data/authors.yaml`, Jekyll `_data/authors.yml`.

By login: `login`, `display_name`, `first_name`, `last_name` (entities decoded; empty names left
out). Never the e-mail address: a public site's data is public, as for comments. Items' `author`
holds the display name; a theme finds the rest here. Users may add to it (a bio, an avatar): the
pipeline applies it with the Updater, in the manifest under the site's name + `TABLE`, key 0.

Hugo has no author pages unless an `authors` taxonomy is used, and this tool writes none: the old
`/author/<login>/` pages redirect to the home page (see redirects.py).
"""

from __future__ import annotations

from ..convert import decode_entities
from ..models import SiteIndex
from ..targets import Layout
from ..write import dump_yaml

TABLE = "#authors"
KEY = 0


def authors_file(index: SiteIndex, layout: Layout) -> tuple[str, str] | None:
    """(path, text) of the authors' data file; None when the export names no author."""
    authors: dict[str, dict[str, str]] = {}
    for login in sorted(index.authors):
        author = index.authors[login]
        if not login:
            continue
        record = {"login": login}
        for field in ("display_name", "first_name", "last_name"):
            value = decode_entities(getattr(author, field)).strip()
            if value:
                record[field] = value
        authors[login] = record
    if not authors:
        return None
    ext = "yml" if layout.name == "jekyll" else "yaml"
    return f"{layout.data_dir}/authors.{ext}", dump_yaml(authors)

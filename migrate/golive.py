"""What a site needs the day it goes live, gathered while items are rendered: comment data files
(written as each post passes), then redirect maps and the Disqus URL map (written at the end).

The pipeline calls `add` for each rendered item and `finish` once; both return (path, text) pairs
for it to write. Only small records are kept between items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from . import redirects, targets
from .comments import comments_file
from .mediaplan import MediaLinks
from .models import Item, ItemTerm
from .plan import Entry, Plan
from .settings import Settings

DISQUS_MAP = "disqus-url-map.csv"


def needs_items(settings: Settings) -> bool:
    """Do these settings' go-live files need every item read, comments included?"""
    return bool(settings.comments == "data" or settings.redirects or settings.new_base_url)


@dataclass
class GoLive:
    plan: Plan
    settings: Settings
    media: MediaLinks | None = None  # the files the run has (None: --media none)
    used_terms: set[ItemTerm] = field(default_factory=set)
    disqus: list[tuple[int, str, str]] = field(default_factory=list)  # (id, old URL, new URL)

    @property
    def needs_items(self) -> bool:
        """Do the go-live files need every item read (even when no item changed)?"""
        return needs_items(self.settings)

    @property
    def needs_comments(self) -> bool:
        """Do they need items' comments (comment files; which posts have a Disqus thread)?"""
        return bool(self.settings.comments == "data" or self.settings.new_base_url)

    def add(self, item: Item, entry: Entry) -> list[tuple[str, str]]:
        """Files for this item now (its comments); remembers what the maps at the end need."""
        if entry.draft:
            return []
        settings = self.settings
        if settings.redirects:
            self.used_terms.update(settings.map_terms(item.terms))
        if settings.new_base_url and item.link and _has_thread(item):
            new = settings.new_base_url + self.plan.index.targets[item.id].url
            self.disqus.append((item.id, item.link, new))
        if settings.comments != "data":
            return []
        text = comments_file(item, self.plan.index, settings.comments_include, settings.comments_private)
        if text is None:
            return []
        return [(f"{targets.layout(settings).data_dir}/comments/{item.id}.yaml", text)]

    def finish(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        layout = targets.layout(self.settings)
        if self.settings.redirects:
            file_link = self.media.link if self.media is not None else None
            found = redirects.build(self.plan, self.used_terms, layout, file_link)
            out += redirects.files(found, self.settings.redirects, layout)
        if self.settings.new_base_url:
            out.append((DISQUS_MAP, disqus_map(self.disqus)))
        return out


def _has_thread(item: Item) -> bool:
    return any(v.strip() for v in item.meta_all("dsq_thread_id")) or any(
        c.approved == "1" for c in item.comments
    )


def disqus_map(rows: list[tuple[int, str, str]]) -> str:
    """Disqus's URL mapper CSV: `old URL, new URL` a line, no header, in post id order."""
    return "".join(f"{_csv_url(old)}, {_csv_url(new)}\n" for _, old, new in sorted(rows))


def _csv_url(url: str) -> str:
    """A URL with nothing that would split a CSV field (commas, quotes, spaces, non-ASCII)."""
    return quote(url, safe="/:?=&#%~@+;!$'()*[]")

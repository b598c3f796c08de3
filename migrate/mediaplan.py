"""Which media files a site needs, where each goes, and the link every post gets to it. Pure.

Built after pass 1 (every post's `ItemRefs` and every attachment are known), before pass 2: the
files are fetched in between, and `MediaLinks` then hands the converters a local link only for
files that are really there. Anything else keeps its absolute URL on the old host.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote, unquote, urlsplit

from .media import ItemRefs, MediaIndex, Resolved, is_image_url
from .models import Attachment

STATIC, BUNDLE, NONE = "static", "bundle", "none"
SITE_FILE = "site-file"  # Resolved.how of a file on the site's own host outside uploads


@dataclass(frozen=True, slots=True)
class MediaFile:
    key: str  # its path below the site's root URL: "wp-content/uploads/2011/10/a.png"
    url: str  # absolute URL of the original
    upload_path: str  # below wp-content/uploads ("" for a file on another --allow-host host)
    attachment_id: int = 0
    size: int = 0  # bytes, when WordPress recorded it in the attachment metadata
    site_file: bool = False  # on the site's own host outside uploads: kept at its path (static)


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """One media reference in one post."""

    item_id: int
    url: str  # as the post wrote it (made absolute)
    key: str
    attachment_id: int = 0
    how: str = "original"  # see media.Resolved.how


@dataclass
class MediaPlan:
    files: dict[str, MediaFile] = field(default_factory=dict)  # by key, sorted
    refs: list[Ref] = field(default_factory=list)  # sorted by item id
    hotlinked: list[tuple[int, str]] = field(default_factory=list)  # (item id, URL) on other hosts
    site_files: list[tuple[int, str]] = field(default_factory=list)  # (item id, URL): own, not uploads
    users: dict[str, tuple[int, ...]] = field(default_factory=dict)  # key → ids of posts using it

    def refs_of(self, item_id: int) -> list[Ref]:
        return [r for r in self.refs if r.item_id == item_id]


def safe_key(path: str) -> str:
    """A relative path made only of plain segments, or "" when it tries to climb out."""
    segments = []
    for segment in path.replace("\\", "/").split("/"):
        if segment in ("", "."):
            continue
        if segment == ".." or "\x00" in segment or ":" in segment:
            return ""
        segments.append(segment)
    return "/".join(segments)


def locate(url: str, index: MediaIndex, extra_hosts: frozenset[str]) -> tuple[str, Resolved | None]:
    """(key, how it resolved) for a media URL; ("", None) when it is not a file this site fetches."""
    resolved = index.resolve(url)
    if resolved is not None:
        key = safe_key(resolved.upload_path)
        return ("wp-content/uploads/" + key if key else ""), resolved
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in extra_hosts and parts.path not in ("", "/"):
        key = safe_key(unquote(parts.path))
        if key:
            return f"media/{host}/{key}", Resolved(url, "", 0, "other-host")
    absolute = index.site_file(url)
    if absolute is not None:
        key = safe_key(unquote(urlsplit(absolute).path))
        # Never a hidden or `_` name: `.htaccess`, `_redirects` and Jekyll's own folders are the tool's.
        if key and not any(segment.startswith((".", "_")) for segment in key.split("/")):
            return key, Resolved(absolute, "", 0, SITE_FILE)
    return "", None


def plan_media(
    refs_by_item: Mapping[int, ItemRefs],
    attachments: Mapping[int, Attachment],
    index: MediaIndex,
    extra_hosts: frozenset[str] = frozenset(),
) -> MediaPlan:
    by_parent: dict[int, list[Attachment]] = defaultdict(list)
    for att in attachments.values():
        if att.parent and is_image_url(att.url):
            by_parent[att.parent].append(att)
    plan = MediaPlan()
    users: dict[str, set[int]] = defaultdict(set)
    for item_id in sorted(refs_by_item):
        refs = refs_by_item[item_id]
        urls = list(refs.urls)
        wanted_ids = list(refs.attachment_ids)
        if refs.parent_gallery:
            wanted_ids += sorted(a.id for a in by_parent.get(item_id, ()))
        urls += [attachments[i].url for i in wanted_ids if i in attachments and attachments[i].url]
        seen: set[str] = set()
        for url in urls:
            key, resolved = locate(url, index, extra_hosts)
            if resolved is None:
                if urlsplit(url).hostname and is_image_url(url):
                    plan.hotlinked.append((item_id, url))
                continue
            if not key or (url, key) in seen:
                continue
            seen.add((url, key))
            if resolved.how == SITE_FILE:
                plan.site_files.append((item_id, url))
            plan.refs.append(Ref(item_id, url, key, resolved.attachment_id, resolved.how))
            users[key].add(item_id)
            if key not in plan.files:
                att = attachments.get(resolved.attachment_id)
                size = att.filesize if att else 0
                plan.files[key] = MediaFile(
                    key,
                    resolved.url,
                    resolved.upload_path,
                    resolved.attachment_id,
                    size,
                    resolved.how == SITE_FILE,
                )
    plan.files = dict(sorted(plan.files.items()))
    plan.users = {k: tuple(sorted(v)) for k, v in sorted(users.items())}
    plan.hotlinked = sorted(set(plan.hotlinked))
    plan.site_files = sorted(set(plan.site_files))
    return plan


@dataclass(frozen=True, slots=True)
class Place:
    """Where a file is written (relative to the site folder) and how posts link to it."""

    target: str  # e.g. "static/wp-content/uploads/2011/10/a.png" or "content/posts/slug/a.png"
    owner: int  # the post whose bundle holds it (0 for static files)
    link_for_owner: str
    link_for_others: str


def place_files(
    plan: MediaPlan,
    mode: str,
    paths: Mapping[int, str],
    page_urls: Mapping[int, str],
    drafts: Container[int] = (),
    static_dir: str = "static",
) -> dict[str, Place]:
    """Where each planned file goes. `paths`: post id → content file; `page_urls`: post id → URL.

    Bundles hold a file in one post's folder only (stored once): the lowest-id published post that
    uses it; other posts link to it there. Posts that could not be made bundles (a page with child
    pages) fall back to static files.
    """
    draft_ids = drafts  # looked up for each file's users: a view of the plan (pipeline._media)
    places: dict[str, Place] = {}
    names_taken: dict[str, set[str]] = defaultdict(set)
    for key in plan.files:
        where = f"{static_dir}/{key}" if static_dir else key  # Jekyll serves the site root as is
        static = Place(where, 0, "/" + quote(key), "/" + quote(key))
        users = plan.users.get(key, ())
        if mode != BUNDLE or not users or plan.files[key].site_file:  # site files keep their URL
            places[key] = static
            continue
        owner = min((u for u in users if u not in draft_ids), default=min(users))
        path = paths.get(owner, "")
        if not path.endswith("/index.md") or owner not in page_urls:
            places[key] = static
            continue
        folder = path[: -len("index.md")]
        name = _free_name(posixpath.basename(key), names_taken[folder])
        page_url = page_urls[owner]
        places[key] = Place(folder + name, owner, quote(name), page_url + quote(name))
    return places


def _free_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`… when another file of the bundle has it (case-blind)."""
    stem, ext = posixpath.splitext(name)
    candidate, n = name, 1
    while candidate.casefold() in taken or candidate.casefold() == "index.md":
        n += 1
        candidate = f"{stem}-{n}{ext}"
    taken.add(candidate.casefold())
    return candidate


@dataclass(frozen=True)
class MediaLinks:
    """The converters' `media_url`: a local link for files that are here, else the URL unchanged.

    Picklable (plain data), so a process pool can ship it to workers once.
    """

    index: MediaIndex
    places: dict[str, Place]  # only the files that were obtained
    extra_hosts: frozenset[str] = frozenset()

    def link(self, url: str, item_id: int = 0) -> str:
        key, _ = locate(url, self.index, self.extra_hosts)
        place = self.places.get(key) if key else None
        if place is None:
            return url
        return place.link_for_owner if place.owner == item_id else place.link_for_others

    def for_item(self, item_id: int) -> Callable[[str], str]:
        return partial(self.link, item_id=item_id)

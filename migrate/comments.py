"""One post's comments as a data file (Hugo `data/comments/ID.yaml`, Jekyll `_data/comments/`).

Approved comments only, unless asked: pingbacks and trackbacks by type, pending (`0`), spam and
trash by status. A flat list in thread order (oldest thread first, each reply after its parent),
each with its `parent` id (0 for top level; a reply whose parent was left out hangs from the
nearest kept ancestor). Email addresses and IPs are written only with `private`.
"""

from __future__ import annotations

from collections.abc import Iterable

from .convert import convert_body, decode_entities
from .document import format_date
from .models import Comment, Item, SiteIndex
from .write import dump_yaml

_STATUS = {"1": "", "approve": "", "0": "pending", "hold": "pending", "spam": "spam", "trash": "trash"}


def kind(comment: Comment) -> str:
    """What a comment is, in `--comments-include` terms: "" for an ordinary approved comment."""
    if comment.type in ("pingback", "trackback"):
        return comment.type
    return _STATUS.get(comment.approved, "pending")


def select(comments: Iterable[Comment], include: Iterable[str]) -> list[Comment]:
    """The comments to write: ordinary approved ones, plus pingbacks, trackbacks, pending, spam or
    trash when included (a pingback that is spam needs both)."""
    wanted = set(include)
    kept = []
    for c in comments:
        status = _STATUS.get(c.approved, "pending")
        is_ping = c.type in ("pingback", "trackback")
        if (not status or status in wanted) and (not is_ping or c.type in wanted):
            kept.append(c)
    return kept


def thread_order(kept: list[Comment], everyone: Iterable[Comment] = ()) -> list[tuple[Comment, int]]:
    """(comment, parent id among the kept ones) in thread order: by date, replies under parents.

    `everyone`: all the post's comments, to climb past parents that were left out."""
    kept_ids = {c.id for c in kept}
    parents = {c.id: c.parent for c in everyone}
    children: dict[int, list[Comment]] = {}
    for c in kept:
        children.setdefault(_kept_parent(c, kept_ids, parents), []).append(c)
    out: list[tuple[Comment, int]] = []
    stack = [(c, 0) for c in sorted(children.get(0, []), key=_when, reverse=True)]
    seen: set[int] = set()
    while stack:
        comment, parent = stack.pop()
        if comment.id in seen:
            continue
        seen.add(comment.id)
        out.append((comment, parent))
        stack += [(c, comment.id) for c in sorted(children.get(comment.id, []), key=_when, reverse=True)]
    out += [(c, 0) for c in sorted(kept, key=_when) if c.id not in seen]  # parent loops in the data
    return out


def _kept_parent(comment: Comment, kept: set[int], parents: dict[int, int]) -> int:
    parent, hops = comment.parent, 0
    while parent and parent not in kept and hops < 64:  # hops: guards against cycles
        parent, hops = parents.get(parent, 0), hops + 1
    return parent if parent in kept and parent != comment.id else 0


def _when(c: Comment) -> tuple[str, int]:
    return (c.date_gmt if not c.date_gmt.startswith("0000") else c.date, c.id)


def comments_file(
    item: Item, index: SiteIndex, include: Iterable[str] = (), private: bool = False
) -> str | None:
    """The YAML text of an item's comments file, or None when it has no comment to write."""
    chosen = thread_order(select(item.comments, include), item.comments)
    if not chosen:
        return None
    records = [_record(c, parent, index, private) for c, parent in chosen]
    return dump_yaml({"post_id": item.id, "comments": records})


def _record(c: Comment, parent: int, index: SiteIndex, private: bool) -> dict[str, object]:
    body = convert_body(c.content, index, post_id=c.id)
    record: dict[str, object] = {"id": c.id, "parent": parent, "author": decode_entities(c.author).strip()}
    if c.author_url.strip():
        record["url"] = c.author_url.strip()
    date = format_date(c.date, c.date_gmt, index.utc_offset_minutes)
    if date:
        record["date"] = date
    record["content"] = body.markdown.rstrip("\n")
    if kind(c):
        record["kind"] = kind(c)
    dsq = dict(c.meta).get("dsq_post_id", "").strip()
    if dsq:
        record["dsq_post_id"] = dsq
    if private:
        record["email"] = c.author_email.strip()
        record["ip"] = c.author_ip.strip()
    return record

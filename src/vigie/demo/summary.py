"""Pure: what a stream of stored messages looks like (counts, threads, loud authors, busiest window)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class StreamItem:
    channel: str
    external_id: str
    in_reply_to: str | None
    created_at: datetime
    author: str | None
    followers: int | None
    lang: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ThreadStats:
    channel: str
    root_id: str
    root_author: str | None
    root_text: str
    replies: int
    authors: int
    new_authors: int  # authors whose first message of the stream is in this thread
    first_reply: datetime | None
    last_reply: datetime | None


@dataclass(frozen=True)
class StreamStats:
    total: int
    start: datetime | None
    end: datetime | None
    authors: int
    by_channel: dict[str, int] = field(default_factory=dict)
    by_lang: dict[str, int] = field(default_factory=dict)
    threads: list[ThreadStats] = field(default_factory=list)
    loudest: list[tuple[str, int]] = field(default_factory=list)  # (author, followers), most followed
    busiest_window: tuple[datetime, int] | None = None  # (start, messages) of the busiest 10 minutes
    median_window: float = 0.0


def _root(item: StreamItem, by_key: dict[tuple[str, str], StreamItem]) -> StreamItem:
    seen: set[str] = set()
    current = item
    while current.in_reply_to is not None and current.external_id not in seen:
        seen.add(current.external_id)
        parent = by_key.get((current.channel, current.in_reply_to))
        if parent is None:
            break
        current = parent
    return current


def summarise_stream(
    items: Sequence[StreamItem], *, window: timedelta = timedelta(minutes=10)
) -> StreamStats:
    if not items:
        return StreamStats(total=0, start=None, end=None, authors=0)
    ordered = sorted(items, key=lambda i: i.created_at)
    by_key = {(i.channel, i.external_id): i for i in ordered}
    first_seen: dict[str, datetime] = {}
    for item in ordered:
        if item.author is not None:
            first_seen.setdefault(item.author, item.created_at)
    members: dict[tuple[str, str], list[StreamItem]] = defaultdict(list)
    for item in ordered:
        if item.in_reply_to is not None:
            root = _root(item, by_key)
            members[(root.channel, root.external_id)].append(item)
    threads: list[ThreadStats] = []
    for (channel, root_id), replies in members.items():
        root = by_key[(channel, root_id)]
        authors = {r.author for r in replies if r.author is not None}
        new = {a for a in authors if any(r.author == a and r.created_at == first_seen[a] for r in replies)}
        threads.append(
            ThreadStats(
                channel,
                root_id,
                root.author,
                root.text,
                len(replies),
                len(authors),
                len(new),
                replies[0].created_at,
                replies[-1].created_at,
            )
        )
    threads.sort(key=lambda t: (-t.replies, t.root_id))
    followers: dict[str, int] = {}
    for item in ordered:
        if item.author is not None and item.followers is not None:
            followers[item.author] = item.followers
    loudest = sorted(followers.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    start, end = ordered[0].created_at, ordered[-1].created_at
    counts: list[tuple[datetime, int]] = []
    cursor = start
    while cursor <= end:
        counts.append((cursor, sum(1 for i in ordered if cursor <= i.created_at < cursor + window)))
        cursor += window
    busiest = max(counts, key=lambda c: c[1])
    sizes = sorted(c[1] for c in counts)
    return StreamStats(
        total=len(ordered),
        start=start,
        end=end,
        authors=len(first_seen),
        by_channel=dict(Counter(i.channel for i in ordered).most_common()),
        by_lang=dict(Counter(i.lang or "?" for i in ordered).most_common()),
        threads=threads,
        loudest=loudest,
        busiest_window=busiest,
        median_window=float(sizes[len(sizes) // 2]),
    )

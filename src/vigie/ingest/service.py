"""Storage of ingested batches: ``INSERT … ON CONFLICT`` on SQLite and PostgreSQL (see ``bulk``).

The caller owns the transaction: ``write_batch`` never commits. Messages are inserted with
``ON CONFLICT (workspace_id, channel_id, external_id) DO NOTHING``, so writing the same batch twice
stores it once (the idempotence of a rerun comes from here, not from bookkeeping). Authors are upserted
on ``(workspace_id, handle)``, taking the newest name and follower count. Quarantined records are
inserted with ``ON CONFLICT DO NOTHING`` on ``(workspace_id, source, line, fingerprint)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from vigie.core.clock import utcnow
from vigie.ingest.bulk import bulk_insert
from vigie.ingest.models import Author, Message, QuarantinedRecord
from vigie.ingest.normalise import NewMessage, Rejection
from vigie.workspace.models import Channel

AUTHOR_TABLE: Table = Author.__table__  # type: ignore[assignment]
MESSAGE_TABLE: Table = Message.__table__  # type: ignore[assignment]
QUARANTINE_TABLE: Table = QuarantinedRecord.__table__  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class BatchResult:
    new_message_ids: tuple[int, ...]
    duplicates: int
    quarantined: int


def channel_ids(session: Session, *, workspace_id: int) -> dict[str, int]:
    """The workspace's channels, name -> id."""
    rows = session.execute(select(Channel.name, Channel.id).where(Channel.workspace_id == workspace_id))
    return {name: channel_id for name, channel_id in rows}


_AUTHOR_COLUMNS = ("workspace_id", "handle", "name", "followers", "history", "influence")
_MESSAGE_COLUMNS = (
    "workspace_id",
    "channel_id",
    "external_id",
    "author_id",
    "text",
    "created_at",
    "in_reply_to",
    "url",
    "lang",
    "raw",
    "ingested_at",
    "drill",
)
_QUARANTINE_COLUMNS = ("workspace_id", "source", "line", "reason", "fingerprint", "content", "created_at")


def upsert_authors(session: Session, *, workspace_id: int, messages: Sequence[NewMessage]) -> dict[str, int]:
    """Insert or refresh the authors of ``messages``; returns handle -> author id.

    The latest name and follower count seen win; a missing value keeps what was known.
    """
    latest: dict[str, list[Any]] = {}
    for message in messages:
        if message.author_handle is None:
            continue
        row = latest.get(message.author_handle)
        if row is None:
            row = latest[message.author_handle] = [workspace_id, message.author_handle, None, None, {}, 0.0]
        if message.author_name is not None:
            row[2] = message.author_name
        if message.author_followers is not None:
            row[3] = message.author_followers
    if not latest:
        return {}
    # Sorted so that concurrent runs lock authors in the same order (no deadlock on PostgreSQL).
    rows = [tuple(latest[handle]) for handle in sorted(latest)]
    returned = bulk_insert(
        session.connection(),
        AUTHOR_TABLE,
        columns=_AUTHOR_COLUMNS,
        rows=rows,
        conflict=("workspace_id", "handle"),
        coalesce_update=("name", "followers"),
        returning=("handle", "id"),
    )
    return {handle: author_id for handle, author_id in returned}


def insert_messages(
    session: Session, *, workspace_id: int, messages: Sequence[NewMessage], drill: bool = False
) -> tuple[tuple[int, ...], int]:
    """Store ``messages`` once each; returns (ids of the rows that are new, number of duplicates)."""
    if not messages:
        return (), 0
    authors = upsert_authors(session, workspace_id=workspace_id, messages=messages)
    now = utcnow()
    seen: set[tuple[int, str]] = set()
    rows: list[tuple[Any, ...]] = []
    for m in messages:
        key = (m.channel_id, m.external_id)
        if key in seen:
            continue
        seen.add(key)
        author_id = None if m.author_handle is None else authors[m.author_handle]
        rows.append(
            (
                workspace_id,
                m.channel_id,
                m.external_id,
                author_id,
                m.text,
                m.created_at,
                m.in_reply_to,
                m.url,
                m.lang,
                m.raw,
                now,
                drill,
            )
        )
    returned = bulk_insert(
        session.connection(),
        MESSAGE_TABLE,
        columns=_MESSAGE_COLUMNS,
        rows=rows,
        conflict=("workspace_id", "channel_id", "external_id"),
        returning=("id",),
    )
    new_ids = tuple(sorted(row[0] for row in returned))
    return new_ids, len(messages) - len(new_ids)


def insert_quarantine(session: Session, *, workspace_id: int, rejections: Sequence[Rejection]) -> None:
    """Store rejected records; a record already quarantined (same source, line and bytes) is kept once."""
    if not rejections:
        return
    now = utcnow()
    bulk_insert(
        session.connection(),
        QUARANTINE_TABLE,
        columns=_QUARANTINE_COLUMNS,
        rows=[(workspace_id, r.source, r.line, r.reason, r.fingerprint, r.content, now) for r in rejections],
        conflict=("workspace_id", "source", "line", "fingerprint"),
    )


def write_batch(
    session: Session,
    *,
    workspace_id: int,
    messages: Sequence[NewMessage],
    rejections: Sequence[Rejection],
    drill: bool = False,
) -> BatchResult:
    """Write one batch in the caller's transaction."""
    new_ids, duplicates = insert_messages(session, workspace_id=workspace_id, messages=messages, drill=drill)
    insert_quarantine(session, workspace_id=workspace_id, rejections=rejections)
    return BatchResult(new_ids, duplicates, len(rejections))


def list_quarantine(session: Session, *, workspace_id: int, limit: int = 100) -> list[QuarantinedRecord]:
    """The latest quarantined records of a workspace, newest first."""
    return list(
        session.scalars(
            select(QuarantinedRecord)
            .where(QuarantinedRecord.workspace_id == workspace_id)
            .order_by(QuarantinedRecord.id.desc())
            .limit(limit)
        )
    )


def count_quarantine(session: Session, *, workspace_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(QuarantinedRecord)
            .where(QuarantinedRecord.workspace_id == workspace_id)
        )
        or 0
    )

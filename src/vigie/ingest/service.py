"""Storage of ingested batches: dialect-specific ``INSERT … ON CONFLICT`` on SQLite and PostgreSQL.

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

from sqlalchemy import Insert, Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from vigie.core.clock import utcnow
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


def _insert(session: Session, table: Table) -> postgresql.Insert | sqlite.Insert:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"ingest supports SQLite and PostgreSQL, not {dialect}")


def channel_ids(session: Session, *, workspace_id: int) -> dict[str, int]:
    """The workspace's channels, name -> id."""
    rows = session.execute(select(Channel.name, Channel.id).where(Channel.workspace_id == workspace_id))
    return {name: channel_id for name, channel_id in rows}


def upsert_authors(session: Session, *, workspace_id: int, messages: Sequence[NewMessage]) -> dict[str, int]:
    """Insert or refresh the authors of ``messages``; returns handle -> author id."""
    latest: dict[str, dict[str, Any]] = {}
    for message in messages:
        if message.author_handle is None:
            continue
        row = latest.setdefault(
            message.author_handle,
            {
                "workspace_id": workspace_id,
                "handle": message.author_handle,
                "name": None,
                "followers": None,
                "history": {},
                "influence": 0.0,
            },
        )
        # The latest value seen wins; a missing value keeps what was known.
        if message.author_name is not None:
            row["name"] = message.author_name
        if message.author_followers is not None:
            row["followers"] = message.author_followers
    if not latest:
        return {}
    insert = _insert(session, AUTHOR_TABLE)
    table = AUTHOR_TABLE.c
    stmt = insert.on_conflict_do_update(
        index_elements=[table.workspace_id, table.handle],
        set_={
            "name": func.coalesce(insert.excluded.name, table.name),
            "followers": func.coalesce(insert.excluded.followers, table.followers),
        },
    ).returning(table.handle, table.id)
    # Sorted so that concurrent runs lock authors in the same order (no deadlock on PostgreSQL).
    params = [latest[handle] for handle in sorted(latest)]
    return {handle: author_id for handle, author_id in session.execute(stmt, params)}


def insert_messages(
    session: Session, *, workspace_id: int, messages: Sequence[NewMessage], drill: bool = False
) -> tuple[tuple[int, ...], int]:
    """Store ``messages`` once each; returns (ids of the rows that are new, number of duplicates)."""
    if not messages:
        return (), 0
    authors = upsert_authors(session, workspace_id=workspace_id, messages=messages)
    now = utcnow()
    seen: set[tuple[int, str]] = set()
    params: list[dict[str, Any]] = []
    for message in messages:
        key = (message.channel_id, message.external_id)
        if key in seen:
            continue
        seen.add(key)
        params.append(
            {
                "workspace_id": workspace_id,
                "channel_id": message.channel_id,
                "external_id": message.external_id,
                "author_id": None if message.author_handle is None else authors[message.author_handle],
                "text": message.text,
                "created_at": message.created_at,
                "in_reply_to": message.in_reply_to,
                "url": message.url,
                "lang": message.lang,
                "raw": message.raw,
                "ingested_at": now,
                "analysis": None,
                "drill": drill,
            }
        )
    table = MESSAGE_TABLE.c
    stmt: Insert = (
        _insert(session, MESSAGE_TABLE)
        .on_conflict_do_nothing(index_elements=[table.workspace_id, table.channel_id, table.external_id])
        .returning(table.id)
    )
    new_ids = tuple(sorted(session.scalars(stmt, params)))
    return new_ids, len(messages) - len(new_ids)


def insert_quarantine(session: Session, *, workspace_id: int, rejections: Sequence[Rejection]) -> None:
    """Store rejected records; a record already quarantined (same source, line and bytes) is kept once."""
    if not rejections:
        return
    table = QUARANTINE_TABLE.c
    now = utcnow()
    params = [
        {
            "workspace_id": workspace_id,
            "source": r.source,
            "line": r.line,
            "reason": r.reason,
            "fingerprint": r.fingerprint,
            "content": r.content,
            "created_at": now,
        }
        for r in rejections
    ]
    stmt = _insert(session, QUARANTINE_TABLE).on_conflict_do_nothing(
        index_elements=[table.workspace_id, table.source, table.line, table.fingerprint]
    )
    session.execute(stmt, params)


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

"""Reading stored messages of a workspace (the API's message list and detail). Storage-level, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigie.core.errors import NotFoundError
from vigie.ingest.models import Author, Message
from vigie.workspace.models import Channel, Workspace


@dataclass(frozen=True)
class MessageFilters:
    channel: str | None = None
    lang: str | None = None
    author: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    analysed: bool | None = None
    include_drill: bool = False


@dataclass(frozen=True)
class MessageRow:
    message: Message
    channel: str
    author: Author | None


def _query(workspace: Workspace, filters: MessageFilters) -> Any:
    query = (
        select(Message, Channel.name, Author)
        .join(Channel, Channel.id == Message.channel_id)
        .outerjoin(Author, Author.id == Message.author_id)
        .where(Message.workspace_id == workspace.id)
    )
    if filters.channel is not None:
        query = query.where(Channel.name == filters.channel)
    if filters.lang is not None:
        query = query.where(Message.lang == filters.lang)
    if filters.author is not None:
        query = query.where(Author.handle == filters.author)
    if filters.since is not None:
        query = query.where(Message.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(Message.created_at < filters.until)
    if filters.analysed is True:
        query = query.where(Message.analysis.is_not(None))
    if filters.analysed is False:
        query = query.where(Message.analysis.is_(None))
    if not filters.include_drill:
        query = query.where(Message.drill.is_(False))
    return query


def list_messages(
    session: Session, workspace: Workspace, *, filters: MessageFilters, limit: int = 50, offset: int = 0
) -> tuple[list[MessageRow], int]:
    """One page of messages, newest first, and the total matching the filters."""
    query = _query(workspace, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit).offset(offset)
    ).all()
    return [MessageRow(r[0], r[1], r[2]) for r in rows], total


def get_message(session: Session, workspace: Workspace, message_id: int) -> MessageRow:
    row = session.execute(
        _query(workspace, MessageFilters(include_drill=True)).where(Message.id == message_id)
    ).first()
    if row is None:
        raise NotFoundError(f"Message {message_id} does not exist in workspace '{workspace.slug}'.")
    return MessageRow(row[0], row[1], row[2])

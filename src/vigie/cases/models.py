"""The inbox: one case per conversation needing attention, its messages and its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class Case(Base):
    __tablename__ = "case"
    __table_args__ = (
        Index("ix_case_workspace_status_priority", "workspace_id", "status", "priority"),
        Index("ix_case_workspace_thread", "workspace_id", "channel_id", "thread_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"), default=None)
    # External id of the first message of the thread; replies join the case through it.
    thread_key: Mapped[str] = mapped_column(String(200))
    # new, assigned, waiting, answered, closed (see vigie.cases.states).
    status: Mapped[str] = mapped_column(String(20), default="new")
    # 0 low, 1 normal, 2 high, 3 urgent (see vigie.cases.states.PRIORITY_LEVELS).
    priority: Mapped[int] = mapped_column(default=0)
    priority_reasons: Mapped[list[Any]] = mapped_column(default=list)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("team_member.id"), default=None, index=True)
    sla_due_at: Mapped[datetime | None] = mapped_column(default=None)
    # Set when check_sla escalated the case (once per deadline).
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    first_response_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Routing explanation of the current assignment, topics/intents/languages seen, merge/split links.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


# The inbox's queue order (most urgent first, then the nearest deadline): an index scan that stops
# after one page instead of sorting every open case (benchmarks/web_latency.py).
Index(
    "ix_case_queue",
    Case.workspace_id,
    Case.priority.desc(),
    Case.sla_due_at.asc(),  # PostgreSQL puts NULLs last in ascending order, as the inbox asks
    Case.id,
)


class CaseMessage(Base):
    """Which messages belong to which case (a message belongs to one case at a time)."""

    __tablename__ = "case_message"
    __table_args__ = (UniqueConstraint("message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), ForeignKey("message.id", ondelete="CASCADE")
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseEvent(Base):
    """The history of a case: opened, message added, assigned (with why), handed back (with the reason),
    status changes, priority changes, SLA escalations, merges and splits."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200), default="vigie")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_member.id"), default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoutingFeedback(Base):
    """What hand-backs taught routing: a member's penalty for a topic or an intent (``topic:x``, ``intent:y``)."""

    __tablename__ = "routing_feedback"
    __table_args__ = (UniqueConstraint("workspace_id", "member_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_member.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    handbacks: Mapped[int] = mapped_column(default=0)
    last_reason: Mapped[str | None] = mapped_column(String(1000), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Tables of what may be said in the organisation's name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class Mandate(Base):
    """What one role may say: topics, channels, languages, commitments with limits, approvers."""

    __tablename__ = "mandate"
    __table_args__ = (UniqueConstraint("workspace_id", "role_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    role_key: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CharterRule(Base):
    """One rule of the charter every outgoing text is checked against."""

    __tablename__ = "charter_rule"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(20))
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Draft(Base):
    """An outgoing text and where it stands: pending approval, published, blocked or rejected.

    Every state change goes through ``vigie.governance.gate`` or ``vigie.governance.actions``.
    """

    __tablename__ = "draft"
    __table_args__ = (Index("ix_draft_workspace_status", "workspace_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    # reply, post, advocacy_post, holding_statement (vigie.governance.gate.OutgoingKind).
    kind: Mapped[str] = mapped_column(String(32))
    author: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8), default=None)
    in_reply_to_lang: Mapped[str | None] = mapped_column(String(8), default=None)
    topics: Mapped[list[Any]] = mapped_column(default=list)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), default=None)
    # What the text answers or belongs to (message external id, crisis id, ...), free-form.
    refs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(24))
    verdict: Mapped[str] = mapped_column(String(24))
    findings: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    approvers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApprovalRequest(Base):
    """A draft waiting for someone whose mandate covers what exceeds its author's."""

    __tablename__ = "approval_request"
    __table_args__ = (Index("ix_approval_request_workspace_status", "workspace_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # pending, approved, rejected
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # Who may approve, as computed when the request was made: {"roles": [...], "members": [...]}.
    approvers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    edited: Mapped[bool] = mapped_column(default=False)


class Publication(Base):
    """A text that left through the gate: exactly what was published, by whom, approved by whom."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(100))
    publisher: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    external_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    audit_seq: Mapped[int | None] = mapped_column(default=None)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxItem(Base):
    """The built-in 'outbox' publisher's channel: rows a demo, a test or a relay process reads.

    Only the gate's outbox publisher writes here (tests/governance/test_gate_is_the_only_path.py).
    """

    __tablename__ = "outbox_item"
    __table_args__ = (Index("ix_outbox_item_workspace_channel", "workspace_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)

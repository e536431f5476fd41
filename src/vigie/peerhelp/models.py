"""Peer-help tables: requests, the notifications they sent, and what seniors contributed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class PeerRequest(Base):
    """A member asked more experienced colleagues for help on a case."""

    __tablename__ = "peer_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    asked_by: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(64), default=None)
    question: Mapped[str] = mapped_column(Text)
    # open -> taken (a senior took the case) | closed.
    status: Mapped[str] = mapped_column(String(16), default="open")
    taken_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PeerNotification(Base):
    """One colleague told about a request, and why they were chosen."""

    __tablename__ = "peer_notification"
    __table_args__ = (Index("ix_peer_notification_recipient", "workspace_id", "recipient", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("peer_request.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)


class PeerContribution(Base):
    """A private comment, a suggested draft, or taking the case; never shown to the public."""

    __tablename__ = "peer_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("peer_request.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    # comment | suggestion | take
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Tables of what comes in: authors, messages, and the quarantine of what could not be accepted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class Author(Base):
    __tablename__ = "author"
    __table_args__ = (UniqueConstraint("workspace_id", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    handle: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(300), default=None)
    followers: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # History with us, kept up to date by the analysis: counts of complaints, toxic messages, demands
    # for a manager, and labels such as "journalist" or "activist".
    history: Mapped[dict[str, Any]] = mapped_column(default=dict)
    influence: Mapped[float] = mapped_column(default=0.0)


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("workspace_id", "channel_id", "external_id"),
        Index("ix_message_workspace_created", "workspace_id", "created_at"),
        Index("ix_message_thread", "workspace_id", "channel_id", "in_reply_to"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("author.id"), default=None, index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    # External id of the message this one answers, on the same channel; the thread is followed through it.
    in_reply_to: Mapped[str | None] = mapped_column(String(200), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    lang: Mapped[str | None] = mapped_column(String(16), default=None)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    analysis: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    drill: Mapped[bool] = mapped_column(default=False)


class QuarantinedRecord(Base):
    __tablename__ = "quarantined_record"
    __table_args__ = (UniqueConstraint("workspace_id", "source", "line", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    line: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

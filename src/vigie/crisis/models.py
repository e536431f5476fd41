"""Crisis-watch tables: escalation policy, signals, grades, alerts, notifications and the crisis room."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigie.core.clock import utcnow
from vigie.storage.base import Base


class EscalationPolicy(Base):
    __tablename__ = "escalation_policy"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- the crisis watch: signals, situations, grade changes, alerts ---------------------------------


class Situation(Base):
    """The current grade of one scope of a workspace: the whole workspace ('*') or one topic."""

    __tablename__ = "crisis_situation"
    __table_args__ = (UniqueConstraint("workspace_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(64))
    grade: Mapped[str] = mapped_column(String(16), default="normal")
    since: Mapped[datetime] = mapped_column(default=utcnow)
    pressure: Mapped[float] = mapped_column(default=0.0)


class Signal(Base):
    """One detection, with what rose, from which baseline and the messages that drove it."""

    __tablename__ = "crisis_signal"
    __table_args__ = (Index("ix_crisis_signal_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(100), default=None)
    at: Mapped[datetime]
    score: Mapped[float]
    summary: Mapped[str] = mapped_column(Text)
    message_ids: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class GradeChange(Base):
    """A situation's grade moving, with the signals that moved it."""

    __tablename__ = "crisis_grade_change"
    __table_args__ = (Index("ix_crisis_grade_change_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    situation_id: Mapped[int] = mapped_column(
        ForeignKey("crisis_situation.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(64))
    from_grade: Mapped[str] = mapped_column(String(16))
    to_grade: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    pressure: Mapped[float]
    reason: Mapped[str] = mapped_column(Text)
    signal_ids: Mapped[list[Any]] = mapped_column(default=list)
    # The message whose arrival tipped the grade (None for a change made by time passing).
    trigger_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("crisis_alert.id", ondelete="SET NULL"), default=None
    )


class WatchState(Base):
    """Where a workspace's crisis watch stopped: its detectors' learnt state and the last message it read.

    Messages are read in (created_at, id) order; a message is new when it comes after
    (``last_at``, ``last_message_id``) in that order, or has an id above ``max_message_id`` (stored late).
    """

    __tablename__ = "crisis_watch_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int]
    last_at: Mapped[datetime | None] = mapped_column(default=None)
    last_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    max_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    messages: Mapped[int] = mapped_column(BigInteger, default=0)
    # JSON text rather than a JSON column: the volume detectors' state holds -Infinity, which
    # PostgreSQL's JSON types refuse and Python's json module reads back.
    state: Mapped[str] = mapped_column(Text, default="{}")
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(Base):
    """One episode of a situation above normal, and where its escalation stands."""

    __tablename__ = "crisis_alert"
    __table_args__ = (Index("ix_crisis_alert_workspace_status", "workspace_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(64))
    # open (escalating), acknowledged (someone has it at this grade), closed (back to normal).
    status: Mapped[str] = mapped_column(String(16), default="open")
    grade: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    policy_key: Mapped[str | None] = mapped_column(String(100), default=None)
    step: Mapped[str | None] = mapped_column(String(64), default=None)
    step_started_at: Mapped[datetime | None] = mapped_column(default=None)
    ack_deadline: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), default=None)
    last_notified_at: Mapped[datetime | None] = mapped_column(default=None)
    # Thread root, first complainer, drivers, signal ids: what the alert is about.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Notification(Base):
    """Who was told what, when, and how: one row per person and means (or per webhook)."""

    __tablename__ = "crisis_notification"
    __table_args__ = (Index("ix_crisis_notification_recipient", "workspace_id", "recipient", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("crisis_alert.id", ondelete="CASCADE"), index=True
    )
    crisis_id: Mapped[int | None] = mapped_column(ForeignKey("crisis.id", ondelete="CASCADE"), default=None)
    grade: Mapped[str] = mapped_column(String(16))
    policy_key: Mapped[str | None] = mapped_column(String(100), default=None)
    step: Mapped[str | None] = mapped_column(String(64), default=None)
    # A team member key, or "webhook:NAME".
    recipient: Mapped[str] = mapped_column(String(120))
    via: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # The JSON body posted to a webhook (Slack, Mattermost, Teams or generic format).
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # app notifications are "delivered" at once; e-mail and webhooks go pending -> sent | failed.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(default=0)


class Acknowledgement(Base):
    __tablename__ = "crisis_acknowledgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("crisis_alert.id", ondelete="CASCADE"), index=True)
    member_key: Mapped[str] = mapped_column(String(64))
    grade: Mapped[str] = mapped_column(String(16))
    step: Mapped[str | None] = mapped_column(String(64), default=None)
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text, default=None)


# --- the crisis room ------------------------------------------------------------------------------


class Crisis(Base):
    __tablename__ = "crisis"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("crisis_alert.id", ondelete="SET NULL"), default=None
    )
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    declared_at: Mapped[datetime]
    declared_by: Mapped[str] = mapped_column(String(120))
    # Room roles: team member keys.
    lead: Mapped[str | None] = mapped_column(String(64), default=None)
    spokesperson: Mapped[str | None] = mapped_column(String(64), default=None)
    legal: Mapped[str | None] = mapped_column(String(64), default=None)
    scribe: Mapped[str | None] = mapped_column(String(64), default=None)
    status_update_minutes: Mapped[int] = mapped_column(default=60)
    next_status_update_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)


class CrisisEvent(Base):
    """An action in the crisis room (role named, statement drafted, update sent, ...): the timeline's own rows."""

    __tablename__ = "crisis_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crisis.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class HoldingStatement(Base):
    __tablename__ = "crisis_holding_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crisis.id", ondelete="CASCADE"), index=True)
    playbook_key: Mapped[str | None] = mapped_column(String(100), default=None)
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(100), default=None)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    # The governance gate's verdict: draft, blocked, needs_approval, approved, ...
    status: Mapped[str] = mapped_column(String(24))
    verdict: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class StatusUpdate(Base):
    __tablename__ = "crisis_status_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crisis.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    recipients: Mapped[list[Any]] = mapped_column(default=list)


class PostMortem(Base):
    """What a crisis taught: becomes an entry of the case library (see ``crisis.service.library_entries``)."""

    __tablename__ = "crisis_post_mortem"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"), index=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crisis.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    lessons: Mapped[list[Any]] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(8))
    tags: Mapped[list[Any]] = mapped_column(default=list)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]

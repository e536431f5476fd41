"""Reads for the crisis watch: escalation config, team, alerts, signals, timelines, library entries.

Callers own the transaction; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.crisis.escalation import Member
from vigie.crisis.models import (
    Acknowledgement,
    Alert,
    Crisis,
    CrisisEvent,
    EscalationPolicy,
    GradeChange,
    HoldingStatement,
    Notification,
    PostMortem,
    Signal,
    Situation,
    StatusUpdate,
)
from vigie.ingest.models import Message
from vigie.workspace.models import TeamMember, Workspace
from vigie.workspace.schemas import EscalationFile

ESCALATION_SPEC_KEY = "escalation"


def load_escalation(session: Session, workspace: Workspace) -> EscalationFile:
    """The workspace's escalation.yaml, from its stored policies plus cooldown and webhooks.

    Policies are the ``escalation_policy`` rows (``spec`` = one policy of the file); ``cooldown_minutes``
    and ``webhooks`` live in ``workspace.spec["escalation"]``.
    """
    rows = session.scalars(
        select(EscalationPolicy)
        .where(EscalationPolicy.workspace_id == workspace.id)
        .order_by(EscalationPolicy.id)
    ).all()
    extra = dict((workspace.spec or {}).get(ESCALATION_SPEC_KEY) or {})
    data = {
        "cooldown_minutes": extra.get("cooldown_minutes", 30),
        "webhooks": extra.get("webhooks", []),
        "policies": [{"key": row.key, **{k: v for k, v in row.spec.items() if k != "key"}} for row in rows],
    }
    if not data["policies"]:
        raise ValidationFailedError(
            f"workspace {workspace.slug!r} has no escalation policy: write escalation.yaml and apply the workspace"
        )
    try:
        return EscalationFile.model_validate(data)
    except ValidationError as error:
        raise ValidationFailedError(
            f"stored escalation policy of {workspace.slug!r} is invalid: {error}"
        ) from error


def team_members(session: Session, workspace: Workspace) -> list[Member]:
    rows = session.scalars(
        select(TeamMember).where(TeamMember.workspace_id == workspace.id).order_by(TeamMember.id)
    ).all()
    return [
        Member(
            key=row.key,
            name=row.name,
            email=row.email,
            roles=tuple(str(r) for r in row.roles or []),
            topics=tuple(str(t) for t in row.topics or ["*"]),
        )
        for row in rows
    ]


def get_alert(session: Session, workspace: Workspace, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or alert.workspace_id != workspace.id:
        raise NotFoundError(f"alert #{alert_id} does not exist in {workspace.slug}: see `vigie alerts list`")
    return alert


def get_crisis(session: Session, workspace: Workspace, crisis_id: int) -> Crisis:
    crisis = session.get(Crisis, crisis_id)
    if crisis is None or crisis.workspace_id != workspace.id:
        raise NotFoundError(
            f"crisis #{crisis_id} does not exist in {workspace.slug}: see `vigie crisis list`"
        )
    return crisis


def open_alert_for(session: Session, workspace: Workspace, scope: str) -> Alert | None:
    return session.scalar(
        select(Alert)
        .where(Alert.workspace_id == workspace.id, Alert.scope == scope, Alert.status != "closed")
        .order_by(Alert.id.desc())
        .limit(1)
    )


def list_alerts(session: Session, workspace: Workspace, *, include_closed: bool = True) -> list[Alert]:
    query = select(Alert).where(Alert.workspace_id == workspace.id)
    if not include_closed:
        query = query.where(Alert.status != "closed")
    return list(session.scalars(query.order_by(Alert.id.desc())))


def list_crises(session: Session, workspace: Workspace) -> list[Crisis]:
    return list(
        session.scalars(select(Crisis).where(Crisis.workspace_id == workspace.id).order_by(Crisis.id.desc()))
    )


def list_signals(session: Session, workspace: Workspace, *, limit: int = 100) -> list[Signal]:
    return list(
        session.scalars(
            select(Signal)
            .where(Signal.workspace_id == workspace.id)
            .order_by(Signal.at.desc(), Signal.id.desc())
            .limit(limit)
        )
    )


def list_grade_changes(session: Session, workspace: Workspace, *, limit: int = 100) -> list[GradeChange]:
    return list(
        session.scalars(
            select(GradeChange)
            .where(GradeChange.workspace_id == workspace.id)
            .order_by(GradeChange.at.desc(), GradeChange.id.desc())
            .limit(limit)
        )
    )


def list_situations(session: Session, workspace: Workspace) -> list[Situation]:
    return list(
        session.scalars(
            select(Situation).where(Situation.workspace_id == workspace.id).order_by(Situation.scope)
        )
    )


def alert_notifications(session: Session, alert: Alert) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(Notification.alert_id == alert.id).order_by(Notification.id)
        )
    )


def inbox(
    session: Session, workspace: Workspace, member_key: str, *, unread_only: bool = True
) -> list[Notification]:
    """A person's in-app notifications, newest first."""
    query = select(Notification).where(
        Notification.workspace_id == workspace.id,
        Notification.recipient == member_key,
        Notification.via == "app",
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.scalars(query.order_by(Notification.id.desc())))


# --- the crisis room timeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    summary: str
    ref: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "summary": self.summary, "ref": self.ref}


def build_timeline(session: Session, crisis: Crisis, *, max_messages: int = 50) -> list[TimelineEntry]:
    """Signals, driving messages, grade changes, notifications, acknowledgements and room actions, in time order."""
    entries: list[TimelineEntry] = []
    alert = None if crisis.alert_id is None else session.get(Alert, crisis.alert_id)
    message_ids: list[int] = []
    if alert is not None:
        end = crisis.resolved_at
        signal_query = select(Signal).where(
            Signal.workspace_id == crisis.workspace_id, Signal.at >= alert.opened_at - timedelta(hours=1)
        )
        if alert.scope != "*":
            signal_query = signal_query.where(Signal.scope == alert.scope)
        signal_ids = {int(i) for i in alert.data.get("signal_ids", [])}
        for signal in session.scalars(signal_query.order_by(Signal.at)):
            if signal.id not in signal_ids and (
                signal.at < alert.opened_at or (end is not None and signal.at > end)
            ):
                continue
            entries.append(
                TimelineEntry(signal.at, f"signal.{signal.kind}", signal.summary, {"signal_id": signal.id})
            )
            message_ids += [int(m) for m in signal.message_ids]
        for change in session.scalars(select(GradeChange).where(GradeChange.alert_id == alert.id)):
            entries.append(
                TimelineEntry(
                    change.at,
                    "grade",
                    f"{change.scope}: {change.from_grade} -> {change.to_grade} ({change.reason})",
                    {"grade_change_id": change.id},
                )
            )
        for ack in session.scalars(select(Acknowledgement).where(Acknowledgement.alert_id == alert.id)):
            entries.append(
                TimelineEntry(
                    ack.at,
                    "acknowledgement",
                    f"{ack.member_key} acknowledged at {ack.grade}",
                    {"ack_id": ack.id},
                )
            )
    notification_filter = Notification.crisis_id == crisis.id
    if alert is not None:
        notification_filter = notification_filter | (Notification.alert_id == alert.id)
    for note in session.scalars(select(Notification).where(notification_filter)):
        entries.append(
            TimelineEntry(
                note.created_at,
                "notification",
                f"{note.recipient} told by {note.via} ({note.status}): {note.subject}",
                {"notification_id": note.id},
            )
        )
    unique_ids = list(dict.fromkeys(message_ids))[:max_messages]
    if unique_ids:
        for message in session.scalars(select(Message).where(Message.id.in_(unique_ids))):
            entries.append(
                TimelineEntry(message.created_at, "message", message.text[:280], {"message_id": message.id})
            )
    for event in session.scalars(select(CrisisEvent).where(CrisisEvent.crisis_id == crisis.id)):
        entries.append(
            TimelineEntry(
                event.at, f"action.{event.kind}", f"{event.actor}: {event.summary}", {"event_id": event.id}
            )
        )
    for statement in session.scalars(select(HoldingStatement).where(HoldingStatement.crisis_id == crisis.id)):
        entries.append(
            TimelineEntry(
                statement.created_at,
                "holding_statement",
                f"{statement.author} drafted a holding statement ({statement.status})",
                {"statement_id": statement.id},
            )
        )
    for update in session.scalars(select(StatusUpdate).where(StatusUpdate.crisis_id == crisis.id)):
        entries.append(
            TimelineEntry(
                update.at,
                "status_update",
                f"{update.author}: {update.text[:200]}",
                {"status_update_id": update.id},
            )
        )
    entries.sort(key=lambda e: (e.at, e.kind))
    return entries


# --- the case library -------------------------------------------------------------------------------


def library_entries(session: Session, workspace: Workspace) -> list[dict[str, Any]]:
    """Post-mortems as case-library entries, for the library to index (one dict per entry)."""
    rows = session.scalars(
        select(PostMortem).where(PostMortem.workspace_id == workspace.id).order_by(PostMortem.id)
    ).all()
    return [post_mortem_entry(row) for row in rows]


def post_mortem_entry(row: PostMortem) -> dict[str, Any]:
    return {
        "source": "crisis.post_mortem",
        "source_id": row.id,
        "crisis_id": row.crisis_id,
        "title": row.title,
        "summary": row.summary,
        "lessons": list(row.lessons),
        "language": row.language,
        "tags": list(row.tags),
        "created_at": row.created_at.isoformat(),
    }

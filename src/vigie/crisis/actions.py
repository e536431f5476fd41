"""Crisis-watch use cases that change state: record signals and grades, open alerts, notify, acknowledge,
escalate. Every change is audited in the caller's transaction; nothing here commits.

The room itself (declare, roles, statements, updates, resolution, post-mortem) is in ``room.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.core.errors import ConflictError, NotFoundError
from vigie.crisis.detectors import WORKSPACE_SCOPE, SignalEvent, SignalKind
from vigie.crisis.escalation import (
    AlertMessage,
    Member,
    find_step,
    first_step,
    policy_for,
    recipients_for,
    webhook_payload,
)
from vigie.crisis.grading import Grade, GradeChangeEvent
from vigie.crisis.models import Acknowledgement, Alert, GradeChange, Notification, Signal, Situation
from vigie.crisis.service import open_alert_for, team_members
from vigie.crisis.watch import WatchStep
from vigie.workspace.models import Workspace
from vigie.workspace.schemas import EscalationFile, EscalationStep, NotifyVia

WATCH_ACTOR = "vigie:crisis-watch"
ESCALATION_ACTOR = "vigie:escalation"


@dataclass(frozen=True)
class EscalationContext:
    """What escalation needs, loaded once per run: the policy file and the team."""

    escalation: EscalationFile
    members: list[Member]

    @property
    def cooldown(self) -> timedelta:
        return timedelta(minutes=self.escalation.cooldown_minutes)


@dataclass
class Recorded:
    signal_ids: list[int] = field(default_factory=list)
    grade_change_ids: list[int] = field(default_factory=list)
    alert_ids: list[int] = field(default_factory=list)
    # E-mail and webhook notifications to send once the transaction has committed.
    pending_notification_ids: list[int] = field(default_factory=list)
    # Grades reaching crisis: the caller opens (or the room module opens) their crisis rooms.
    crisis_alert_ids: list[int] = field(default_factory=list)
    # Grade changes found again (replay, resume after a crash) and already stored: not recorded, nobody
    # notified again.
    changes_already_recorded: int = 0

    def extend(self, other: Recorded) -> None:
        self.signal_ids += other.signal_ids
        self.grade_change_ids += other.grade_change_ids
        self.alert_ids += [a for a in other.alert_ids if a not in self.alert_ids]
        self.pending_notification_ids += other.pending_notification_ids
        self.crisis_alert_ids += [a for a in other.crisis_alert_ids if a not in self.crisis_alert_ids]
        self.changes_already_recorded += other.changes_already_recorded


def recorded_signal_id(session: Session, workspace_id: int, event: SignalEvent) -> int | None:
    """The stored row of the same detection (detector, scope, channel, time and summary), if any."""
    channel = Signal.channel.is_(None) if event.channel is None else Signal.channel == event.channel
    query = select(Signal.id).where(
        Signal.workspace_id == workspace_id,
        Signal.at == event.at,
        Signal.kind == event.kind.value,
        Signal.scope == event.scope,
        channel,
        Signal.summary == event.summary,
    )
    return session.scalars(query.limit(1)).first()


def grade_change_recorded(session: Session, workspace_id: int, change: GradeChangeEvent) -> bool:
    query = select(GradeChange.id).where(
        GradeChange.workspace_id == workspace_id,
        GradeChange.at == change.at,
        GradeChange.scope == change.scope,
        GradeChange.from_grade == change.from_grade.label,
        GradeChange.to_grade == change.to_grade.label,
    )
    return session.scalars(query.limit(1)).first() is not None


class WatchRecorder:
    """Writes what a :class:`~vigie.crisis.watch.CrisisWatch` step found; remembers which row holds
    each in-memory signal so that grade changes can name their signals.

    Recording is idempotent: a signal already stored for the same detection is reused, and a grade
    change already stored is skipped (with its alert and notifications), so replaying a period records
    and notifies nothing twice."""

    def __init__(self, workspace: Workspace, context: EscalationContext) -> None:
        self.workspace = workspace
        self.context = context
        self._rows: dict[int, tuple[SignalEvent, int]] = {}

    def _signal_ids(self, session: Session, events: Sequence[SignalEvent]) -> list[int]:
        """The rows of these in-memory signals; the new ones are written with a single flush."""
        for event in events:
            known = self._rows.get(id(event))
            if known is not None and known[0] is event:
                continue
            row_id = recorded_signal_id(session, self.workspace.id, event)
            if row_id is not None:
                self._rows[id(event)] = (event, row_id)
        ids: dict[int, int] = {}
        fresh: list[tuple[SignalEvent, Signal]] = []
        for event in events:
            known = self._rows.get(id(event))
            if known is not None and known[0] is event:
                ids[id(event)] = known[1]
            elif all(event is not other for other, _ in fresh):
                row = Signal(
                    workspace_id=self.workspace.id,
                    kind=event.kind.value,
                    scope=event.scope,
                    channel=event.channel,
                    at=event.at,
                    score=round(event.score, 4),
                    summary=event.summary,
                    message_ids=list(event.message_ids),
                    details=event.details,
                )
                session.add(row)
                fresh.append((event, row))
        if fresh:
            session.flush()
            if len(self._rows) > 20_000:
                for key in list(self._rows)[:10_000]:
                    del self._rows[key]
            for event, row in fresh:
                self._rows[id(event)] = (event, row.id)
                ids[id(event)] = row.id
        return [ids[id(event)] for event in events]

    def record(
        self, session: Session, step: WatchStep, *, trigger_message_id: int | None, now: datetime
    ) -> Recorded:
        changes = [c for c in step.changes if not grade_change_recorded(session, self.workspace.id, c)]
        out = Recorded(
            signal_ids=self._signal_ids(session, step.signals),
            changes_already_recorded=len(step.changes) - len(changes),
        )
        # Topic scopes first: a workspace-wide alert is not opened when a topic alert already covers it.
        for change in sorted(changes, key=lambda c: c.scope == WORKSPACE_SCOPE):
            out.extend(self._record_change(session, change, trigger_message_id=trigger_message_id, now=now))
        return out

    def _record_change(
        self, session: Session, change: GradeChangeEvent, *, trigger_message_id: int | None, now: datetime
    ) -> Recorded:
        out = Recorded()
        ws = self.workspace
        situation = session.scalar(
            select(Situation).where(Situation.workspace_id == ws.id, Situation.scope == change.scope)
        )
        if situation is None:
            situation = Situation(workspace_id=ws.id, scope=change.scope, since=change.at)
            session.add(situation)
        situation.grade = change.to_grade.label
        situation.since = change.at
        situation.pressure = round(change.pressure, 4)
        signal_ids = self._signal_ids(session, change.signals)
        session.flush()
        row = GradeChange(
            workspace_id=ws.id,
            situation_id=situation.id,
            scope=change.scope,
            from_grade=change.from_grade.label,
            to_grade=change.to_grade.label,
            at=change.at,
            pressure=round(change.pressure, 4),
            reason=change.reason,
            signal_ids=signal_ids,
            trigger_message_id=trigger_message_id,
        )
        session.add(row)
        alert = open_alert_for(session, ws, change.scope)
        rising = change.to_grade > change.from_grade
        if rising and alert is None and not self._covered_by_topic_alert(session, change):
            alert = Alert(
                workspace_id=ws.id,
                scope=change.scope,
                grade=change.to_grade.label,
                title=alert_title(change),
                opened_at=change.at,
                data={},
            )
            session.add(alert)
        if alert is not None:
            alert.data = {
                **alert_facts(change, signal_ids),
                "signal_ids": _merge(alert.data.get("signal_ids"), signal_ids),
            }
            alert.summary = "\n".join(s.summary for s in change.signals)
            alert.title = alert_title(change) if rising else alert.title
        session.flush()
        row.alert_id = None if alert is None else alert.id
        append_audit(
            session,
            workspace=ws,
            actor=WATCH_ACTOR,
            action="crisis.grade_changed",
            object_type="situation",
            object_key=change.scope,
            payload={
                "from": change.from_grade.label,
                "to": change.to_grade.label,
                "reason": change.reason,
                "signal_ids": signal_ids,
                "alert_id": row.alert_id,
                "trigger_message_id": trigger_message_id,
            },
        )
        out.grade_change_ids.append(row.id)
        if alert is None:
            return out
        out.alert_ids.append(alert.id)
        if change.to_grade == Grade.NORMAL:
            alert.status = "closed"
            alert.closed_at = change.at
            alert.grade = Grade.NORMAL.label
            alert.ack_deadline = None
            append_audit(
                session,
                workspace=ws,
                actor=WATCH_ACTOR,
                action="alert.closed",
                object_type="alert",
                object_key=str(alert.id),
                payload={"at": change.at.isoformat()},
            )
            return out
        if not rising:
            alert.grade = change.to_grade.label
            return out
        alert.grade = change.to_grade.label
        alert.status = "open"
        alert.acknowledged_at = None
        alert.acknowledged_by = None
        notified = dict(alert.data.get("notified_grades") or {})
        last = notified.get(alert.grade)
        if last is not None and change.at - datetime.fromisoformat(last) < self.context.cooldown:
            # Cool-down: this alert already paged this grade a moment ago.
            alert.ack_deadline = None
            return out
        policy = policy_for(self.context.escalation, alert.scope)
        step = first_step(policy, change.to_grade)
        alert.policy_key = policy.key
        if step is not None:
            out.pending_notification_ids += notify_step(
                session, ws, alert, step, context=self.context, now=now, reason="grade"
            )
        if change.to_grade == Grade.CRISIS:
            out.crisis_alert_ids.append(alert.id)
        return out

    def _covered_by_topic_alert(self, session: Session, change: GradeChangeEvent) -> bool:
        if change.scope != WORKSPACE_SCOPE:
            return False
        rows = session.scalars(
            select(Alert).where(
                Alert.workspace_id == self.workspace.id,
                Alert.status != "closed",
                Alert.scope != WORKSPACE_SCOPE,
            )
        ).all()
        return any(Grade.parse(a.grade) >= change.to_grade for a in rows)


def _merge(old: Any, new: list[int]) -> list[int]:
    merged = [int(x) for x in (old or [])]
    return merged + [x for x in new if x not in merged]


def alert_title(change: GradeChangeEvent) -> str:
    signals = sorted(change.signals, key=lambda s: s.score, reverse=True)
    pile = next((s for s in signals if s.kind == SignalKind.PILE_ON), None)
    scope = "workspace" if change.scope == WORKSPACE_SCOPE else f"topic {change.scope}"
    if pile is not None:
        first = pile.details.get("first_complainer") or {}
        who = f", first complainer @{str(first['author']).lstrip('@')}" if first.get("author") else ""
        return f"Pile-on on {pile.details.get('channel')} thread {pile.details.get('thread_root')} ({scope}{who})"
    if signals:
        return f"{signals[0].kind.value.replace('_', ' ').capitalize()} in {scope}"
    return f"Situation in {scope}"


def alert_facts(change: GradeChangeEvent, signal_ids: list[int]) -> dict[str, Any]:
    facts: dict[str, Any] = {"pressure": round(change.pressure, 3), "reason": change.reason}
    drivers: list[int] = []
    for signal in change.signals:
        if signal.kind == SignalKind.PILE_ON:
            facts["thread_root"] = signal.details.get("thread_root")
            facts["thread_root_message_id"] = signal.details.get("thread_root_message_id")
            facts["channel"] = signal.details.get("channel")
            facts["first_complainer"] = signal.details.get("first_complainer")
        drivers += [m for m in signal.message_ids if m not in drivers]
    facts["driver_message_ids"] = drivers[:30]
    facts["kinds"] = sorted({s.kind.value for s in change.signals})
    return facts


def _alert_message(
    alert: Alert, workspace: Workspace, step: EscalationStep, people: list[str]
) -> AlertMessage:
    lines = [line for line in alert.summary.splitlines() if line]
    data = alert.data
    if data.get("thread_root"):
        first = data.get("first_complainer") or {}
        lines.append(
            f"Thread: {data.get('channel')}:{data['thread_root']} (message #{data.get('thread_root_message_id')})"
            + (
                f"; first complainer @{first.get('author')} (message #{first.get('message_id')})"
                if first
                else ""
            )
        )
    if data.get("driver_message_ids"):
        lines.append("Driving messages: " + ", ".join(f"#{m}" for m in data["driver_message_ids"][:12]))
    return AlertMessage(
        workspace=workspace.slug,
        alert_id=alert.id,
        grade=alert.grade,
        scope=alert.scope,
        title=alert.title,
        lines=tuple(lines),
        step=step.step,
        ack_deadline=alert.ack_deadline,
        people=tuple(people),
    )


def notify_step(
    session: Session,
    workspace: Workspace,
    alert: Alert,
    step: EscalationStep,
    *,
    context: EscalationContext,
    now: datetime,
    reason: str,
    crisis_id: int | None = None,
) -> list[int]:
    """Start ``step`` for ``alert``: write one notification per person and means (and per webhook), set the
    acknowledgement deadline, audit it. Returns the ids of the rows still to send (e-mail, webhook)."""
    alert.step = step.step
    alert.step_started_at = now
    alert.ack_deadline = (
        None if step.ack_within_minutes is None else now + timedelta(minutes=step.ack_within_minutes)
    )
    alert.last_notified_at = now
    notified = dict(alert.data.get("notified_grades") or {})
    notified[alert.grade] = now.isoformat()
    alert.data = {**alert.data, "notified_grades": notified}
    recipients = recipients_for(step, context.escalation, context.members, alert.scope)
    people = list(dict.fromkeys(r.recipient for r in recipients if not r.recipient.startswith("webhook:")))
    message = _alert_message(alert, workspace, step, people)
    rows = []
    for recipient in recipients:
        is_app = recipient.via == NotifyVia.APP
        row = Notification(
            workspace_id=workspace.id,
            alert_id=alert.id,
            crisis_id=crisis_id,
            grade=alert.grade,
            policy_key=alert.policy_key,
            step=step.step,
            recipient=recipient.recipient,
            via=recipient.via.value,
            address=recipient.address,
            subject=message.subject,
            body=message.text,
            payload={}
            if recipient.webhook_format is None
            else webhook_payload(message, recipient.webhook_format),
            status="delivered" if is_app else "pending",
            created_at=now,
            sent_at=now if is_app else None,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    append_audit(
        session,
        workspace=workspace,
        actor=ESCALATION_ACTOR,
        action="alert.notified",
        object_type="alert",
        object_key=str(alert.id),
        payload={
            "grade": alert.grade,
            "policy": alert.policy_key,
            "step": step.step,
            "reason": reason,
            "told": [{"recipient": r.recipient, "via": r.via, "notification_id": r.id} for r in rows],
            "ack_deadline": None if alert.ack_deadline is None else alert.ack_deadline.isoformat(),
            "subject": message.subject,
        },
    )
    return [r.id for r in rows if r.status == "pending"]


def acknowledge_alert(
    session: Session,
    workspace: Workspace,
    alert: Alert,
    *,
    member_key: str,
    now: datetime,
    note: str | None = None,
) -> Acknowledgement:
    """A team member takes the alert at its current grade: the ladder stops until the grade rises."""
    members = {m.key for m in team_members(session, workspace)}
    if member_key not in members:
        raise NotFoundError(
            f"no team member {member_key!r} in {workspace.slug}; known: {', '.join(sorted(members)) or 'none'}"
        )
    if alert.status == "closed":
        raise ConflictError(f"alert #{alert.id} is closed: nothing to acknowledge")
    ack = Acknowledgement(
        alert_id=alert.id, member_key=member_key, grade=alert.grade, step=alert.step, at=now, note=note
    )
    session.add(ack)
    alert.status = "acknowledged"
    alert.acknowledged_at = now
    alert.acknowledged_by = member_key
    alert.ack_deadline = None
    for row in session.scalars(
        select(Notification).where(
            Notification.alert_id == alert.id,
            Notification.recipient == member_key,
            Notification.read_at.is_(None),
        )
    ):
        row.read_at = now
    session.flush()
    append_audit(
        session,
        workspace=workspace,
        actor=f"member:{member_key}",
        action="alert.acknowledged",
        object_type="alert",
        object_key=str(alert.id),
        payload={"grade": alert.grade, "step": alert.step, "note": note, "at": now.isoformat()},
    )
    return ack


@dataclass
class TickResult:
    escalated: list[dict[str, Any]] = field(default_factory=list)
    exhausted: list[int] = field(default_factory=list)
    pending_notification_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalated": self.escalated,
            "exhausted": self.exhausted,
            "pending_notifications": len(self.pending_notification_ids),
        }


def run_escalations(
    session: Session, workspace: Workspace, *, context: EscalationContext, now: datetime
) -> TickResult:
    """Move every alert whose acknowledgement deadline has passed to its step's ``next`` step."""
    result = TickResult()
    due = session.scalars(
        select(Alert)
        .where(
            Alert.workspace_id == workspace.id,
            Alert.status == "open",
            Alert.ack_deadline.is_not(None),
            Alert.ack_deadline <= now,
        )
        .order_by(Alert.id)
    ).all()
    for alert in due:
        grade = Grade.parse(alert.grade)
        policy = policy_for(context.escalation, alert.scope)
        current = find_step(policy, grade, alert.step)
        following = (
            None if current is None or current.next is None else find_step(policy, grade, current.next)
        )
        deadline = alert.ack_deadline
        if following is None:
            alert.ack_deadline = None
            alert.data = {**alert.data, "escalation_exhausted": True}
            append_audit(
                session,
                workspace=workspace,
                actor=ESCALATION_ACTOR,
                action="alert.unacknowledged",
                object_type="alert",
                object_key=str(alert.id),
                payload={
                    "grade": alert.grade,
                    "step": alert.step,
                    "deadline": None if deadline is None else deadline.isoformat(),
                },
            )
            result.exhausted.append(alert.id)
            continue
        append_audit(
            session,
            workspace=workspace,
            actor=ESCALATION_ACTOR,
            action="alert.escalated",
            object_type="alert",
            object_key=str(alert.id),
            payload={
                "grade": alert.grade,
                "from_step": alert.step,
                "to_step": following.step,
                "deadline": None if deadline is None else deadline.isoformat(),
            },
        )
        result.escalated.append({"alert_id": alert.id, "from_step": alert.step, "to_step": following.step})
        result.pending_notification_ids += notify_step(
            session, workspace, alert, following, context=context, now=now, reason="not acknowledged in time"
        )
    return result

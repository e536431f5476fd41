"""The crisis room: declare, name roles, draft holding statements (through the governance gate), send
status updates to management on a schedule, resolve, and write the post-mortem for the case library.

Every action writes a :class:`~vigie.crisis.models.CrisisEvent` (the room's own timeline rows) and an
audit entry in the caller's transaction; nothing here commits.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.core.errors import ConflictError, NotFoundError, ValidationFailedError
from vigie.crisis.actions import EscalationContext, notify_step
from vigie.crisis.escalation import Member, first_step, policy_for
from vigie.crisis.grading import Grade
from vigie.crisis.models import (
    Alert,
    Crisis,
    CrisisEvent,
    HoldingStatement,
    Notification,
    PostMortem,
    StatusUpdate,
)
from vigie.governance.actions import submit_text
from vigie.governance.gate import NewText, OutgoingKind
from vigie.playbooks.models import Playbook
from vigie.workspace.models import Workspace
from vigie.workspace.service import workspace_day

ROOM_ROLES = ("lead", "spokesperson", "legal", "scribe")
# Which team role fills each room role by default.
DEFAULT_ROLE_SOURCES = {
    "lead": ("community-lead", "spokesperson"),
    "spokesperson": ("spokesperson",),
    "legal": ("legal",),
    "scribe": ("senior-cm", "junior-cm"),
}
MANAGEMENT_ROLES = ("community-lead", "spokesperson")
HOLDING_PLAYBOOK = "crisis-holding-statement"


def _event(
    session: Session,
    crisis: Crisis,
    *,
    actor: str,
    kind: str,
    summary: str,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> CrisisEvent:
    row = CrisisEvent(crisis_id=crisis.id, at=at, actor=actor, kind=kind, summary=summary, data=data or {})
    session.add(row)
    session.flush()
    return row


def _audit(
    session: Session, workspace: Workspace, crisis: Crisis, actor: str, action: str, payload: dict[str, Any]
) -> None:
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action=action,
        object_type="crisis",
        object_key=str(crisis.id),
        payload=payload,
    )


def _check_member(members: list[Member], key: str, what: str) -> None:
    known = {m.key for m in members}
    if key not in known:
        raise ValidationFailedError(
            f"{what} {key!r} is not a team member; known: {', '.join(sorted(known)) or 'none'}"
        )


def default_roles(members: list[Member]) -> dict[str, str | None]:
    roles: dict[str, str | None] = {}
    for room_role, sources in DEFAULT_ROLE_SOURCES.items():
        chosen = None
        for source in sources:
            chosen = next((m.key for m in members if source in m.roles and m.key not in roles.values()), None)
            if chosen is not None:
                break
        roles[room_role] = chosen
    return roles


@dataclass
class RoomOutcome:
    crisis: Crisis
    pending_notification_ids: list[int] = field(default_factory=list)


def crisis_for_alert(session: Session, alert: Alert) -> Crisis | None:
    return session.scalar(
        select(Crisis).where(Crisis.alert_id == alert.id).order_by(Crisis.id.desc()).limit(1)
    )


def declare_crisis(
    session: Session,
    workspace: Workspace,
    *,
    context: EscalationContext,
    declared_by: str,
    now: datetime,
    alert: Alert | None = None,
    title: str | None = None,
    roles: dict[str, str] | None = None,
    status_update_minutes: int = 60,
) -> RoomOutcome:
    """Open a crisis room, from an alert (which moves to grade crisis and pages the crisis ladder) or alone."""
    if status_update_minutes <= 0:
        raise ValidationFailedError("status_update_minutes must be a positive number of minutes")
    if alert is not None:
        existing = crisis_for_alert(session, alert)
        if existing is not None and existing.status == "open":
            raise ConflictError(f"alert #{alert.id} already has an open crisis room: #{existing.id}")
    if alert is None and not title:
        raise ValidationFailedError("a crisis declared without an alert needs a title (--title)")
    chosen = default_roles(context.members)
    for room_role, key in (roles or {}).items():
        if room_role not in ROOM_ROLES:
            raise ValidationFailedError(
                f"unknown room role {room_role!r}; use one of: {', '.join(ROOM_ROLES)}"
            )
        _check_member(context.members, key, room_role)
        chosen[room_role] = key
    crisis = Crisis(
        workspace_id=workspace.id,
        alert_id=None if alert is None else alert.id,
        title=title or (alert.title if alert is not None else "Crisis"),
        status="open",
        declared_at=now,
        declared_by=declared_by,
        status_update_minutes=status_update_minutes,
        next_status_update_at=now + timedelta(minutes=status_update_minutes),
        **chosen,
    )
    session.add(crisis)
    session.flush()
    outcome = RoomOutcome(crisis)
    _event(
        session,
        crisis,
        actor=declared_by,
        kind="declared",
        summary=f"crisis declared: {crisis.title}",
        at=now,
        data={"alert_id": crisis.alert_id},
    )
    _event(
        session,
        crisis,
        actor=declared_by,
        kind="roles",
        at=now,
        summary=", ".join(f"{r}: {chosen[r] or '-'}" for r in ROOM_ROLES),
        data=dict(chosen),
    )
    _audit(
        session,
        workspace,
        crisis,
        declared_by,
        "crisis.declared",
        {"alert_id": crisis.alert_id, "title": crisis.title, "roles": chosen},
    )
    if alert is not None:
        alert.data = {**alert.data, "crisis_id": crisis.id}
        if Grade.parse(alert.grade) < Grade.CRISIS:
            alert.grade = Grade.CRISIS.label
            alert.status = "open"
            policy = policy_for(context.escalation, alert.scope)
            alert.policy_key = policy.key
            step = first_step(policy, Grade.CRISIS)
            if step is not None:
                outcome.pending_notification_ids += notify_step(
                    session,
                    workspace,
                    alert,
                    step,
                    context=context,
                    now=now,
                    reason="crisis declared",
                    crisis_id=crisis.id,
                )
    return outcome


def set_roles(
    session: Session,
    workspace: Workspace,
    crisis: Crisis,
    *,
    roles: dict[str, str],
    actor: str,
    context: EscalationContext,
    now: datetime,
) -> Crisis:
    _require_open(crisis)
    for room_role, key in roles.items():
        if room_role not in ROOM_ROLES:
            raise ValidationFailedError(
                f"unknown room role {room_role!r}; use one of: {', '.join(ROOM_ROLES)}"
            )
        _check_member(context.members, key, room_role)
        setattr(crisis, room_role, key)
    _event(
        session,
        crisis,
        actor=actor,
        kind="roles",
        at=now,
        summary=", ".join(f"{r}: {k}" for r, k in roles.items()),
        data=roles,
    )
    _audit(session, workspace, crisis, actor, "crisis.roles", {"roles": roles})
    return crisis


def _require_open(crisis: Crisis) -> None:
    if crisis.status != "open":
        raise ConflictError(f"crisis #{crisis.id} is {crisis.status}; reopen nothing, declare a new one")


def holding_statement_text(
    session: Session, workspace: Workspace, *, playbook_key: str, language: str, author: Member
) -> str:
    """The playbook's template in ``language``, filled with what is known (signature, brand, contacts)."""
    playbook = session.scalar(
        select(Playbook).where(Playbook.workspace_id == workspace.id, Playbook.key == playbook_key)
    )
    if playbook is None:
        raise NotFoundError(
            f"no playbook {playbook_key!r} in {workspace.slug}: add playbooks/{playbook_key}.yaml"
        )
    templates: dict[str, str] = dict(playbook.spec.get("templates") or {})
    if language not in templates:
        raise ValidationFailedError(
            f"playbook {playbook_key!r} has no template in {language!r}; available: {', '.join(sorted(templates))}"
        )
    spec = workspace.spec or {}
    contacts = spec.get("contacts") or {}
    values = {
        "agent_signature": author.name,
        "brand_name": (spec.get("brand") or {}).get("name", workspace.name),
        "support_email": (contacts.get("emails") or [""])[0],
        "support_phone": (contacts.get("phones") or [""])[0],
        "customer_name": "",
        "order_number": "",
    }
    text = string.Formatter().vformat(templates[language], (), values)
    return " ".join(text.split())


def draft_holding_statement(
    session: Session,
    workspace: Workspace,
    crisis: Crisis,
    *,
    context: EscalationContext,
    author: str,
    channel: str,
    language: str,
    now: datetime,
    text: str | None = None,
    playbook_key: str = HOLDING_PLAYBOOK,
) -> HoldingStatement:
    """Draft a holding statement from the playbook (or ``text``) and pass it through the governance gate:
    it is published, waits for approval, or is blocked, exactly as the gate decides."""
    _require_open(crisis)
    _check_member(context.members, author, "author")
    member = next(m for m in context.members if m.key == author)
    body = (
        text
        if text is not None
        else holding_statement_text(
            session, workspace, playbook_key=playbook_key, language=language, author=member
        )
    )
    alert = None if crisis.alert_id is None else session.get(Alert, crisis.alert_id)
    topics = () if alert is None or alert.scope == "*" else (alert.scope,)
    result = submit_text(
        session,
        workspace=workspace,
        text=NewText(
            kind=OutgoingKind.HOLDING_STATEMENT,
            author=author,
            channel=channel,
            text=body,
            lang=language,
            topics=topics,
            refs={"crisis_id": crisis.id},
        ),
        today=workspace_day(workspace, now),
    )
    statement = HoldingStatement(
        crisis_id=crisis.id,
        playbook_key=None if text is not None else playbook_key,
        language=language,
        channel=channel,
        text=result.draft.text,
        author=author,
        status=result.draft.status,
        verdict={
            "draft_id": result.draft.id,
            "verdict": result.verdict.value,
            "reasons": list(result.outcome.result.reasons),
            "approval_id": None if result.approval is None else result.approval.id,
            "publication_id": None if result.publication is None else result.publication.id,
        },
        created_at=now,
    )
    session.add(statement)
    session.flush()
    _event(
        session,
        crisis,
        actor=author,
        kind="holding_statement",
        at=now,
        summary=f"holding statement on {channel} ({language}): {result.draft.status}",
        data={"statement_id": statement.id, "draft_id": result.draft.id},
    )
    return statement


def management(crisis: Crisis, members: list[Member]) -> list[Member]:
    keys = [k for k in (crisis.lead, crisis.spokesperson, crisis.legal) if k]
    keys += [m.key for m in members if any(r in m.roles for r in MANAGEMENT_ROLES)]
    by_key = {m.key: m for m in members}
    return [by_key[k] for k in dict.fromkeys(keys) if k in by_key]


def add_status_update(
    session: Session,
    workspace: Workspace,
    crisis: Crisis,
    *,
    context: EscalationContext,
    author: str,
    text: str,
    now: datetime,
) -> tuple[StatusUpdate, list[int]]:
    """Record a status update and send it to management (app + e-mail); schedule the next one."""
    _require_open(crisis)
    _check_member(context.members, author, "author")
    if not text.strip():
        raise ValidationFailedError("the status update is empty; say where things stand")
    people = management(crisis, context.members)
    update = StatusUpdate(
        crisis_id=crisis.id, at=now, author=author, text=text.strip(), recipients=[m.key for m in people]
    )
    session.add(update)
    crisis.next_status_update_at = now + timedelta(minutes=crisis.status_update_minutes)
    subject = f"[Vigie {workspace.slug}] Crisis #{crisis.id} status: {crisis.title}"
    body = f"{subject}\n{text.strip()}\nNext update due {crisis.next_status_update_at:%H:%M} UTC. — {author}"
    pending = _notify_people(
        session, workspace, crisis, people, subject=subject, body=body, now=now, step="status-update"
    )
    _event(
        session,
        crisis,
        actor=author,
        kind="status_update",
        at=now,
        summary=text.strip()[:200],
        data={"recipients": update.recipients},
    )
    _audit(
        session,
        workspace,
        crisis,
        author,
        "crisis.status_update",
        {"text": text.strip(), "recipients": update.recipients},
    )
    return update, pending


def _notify_people(
    session: Session,
    workspace: Workspace,
    crisis: Crisis,
    people: list[Member],
    *,
    subject: str,
    body: str,
    now: datetime,
    step: str,
) -> list[int]:
    rows = []
    for person in people:
        for via in ("app", "email"):
            if via == "email" and not person.email:
                continue
            row = Notification(
                workspace_id=workspace.id,
                alert_id=crisis.alert_id,
                crisis_id=crisis.id,
                grade="crisis",
                step=step,
                recipient=person.key,
                via=via,
                address=person.email if via == "email" else None,
                subject=subject,
                body=body,
                status="delivered" if via == "app" else "pending",
                created_at=now,
                sent_at=now if via == "app" else None,
            )
            session.add(row)
            rows.append(row)
    session.flush()
    return [r.id for r in rows if r.status == "pending"]


def remind_due_status_updates(
    session: Session, workspace: Workspace, *, context: EscalationContext, now: datetime
) -> list[int]:
    """For each open crisis whose status update is due, remind the scribe and the lead (in the app)."""
    due = session.scalars(
        select(Crisis).where(
            Crisis.workspace_id == workspace.id, Crisis.status == "open", Crisis.next_status_update_at <= now
        )
    ).all()
    pending: list[int] = []
    for crisis in due:
        keys = [k for k in (crisis.scribe, crisis.lead) if k]
        people = [m for m in context.members if m.key in keys]
        subject = f"[Vigie {workspace.slug}] Status update due for crisis #{crisis.id}: {crisis.title}"
        pending += _notify_people(
            session,
            workspace,
            crisis,
            people,
            subject=subject,
            body=subject + "\nvigie crisis update ...",
            now=now,
            step="status-due",
        )
        crisis.next_status_update_at = now + timedelta(minutes=crisis.status_update_minutes)
        _event(
            session,
            crisis,
            actor="vigie:scheduler",
            kind="status_due",
            at=now,
            summary="status update due; reminded " + ", ".join(keys),
        )
    return pending


def resolve_crisis(
    session: Session, workspace: Workspace, crisis: Crisis, *, by: str, resolution: str, now: datetime
) -> Crisis:
    _require_open(crisis)
    if not resolution.strip():
        raise ValidationFailedError("say how the crisis was resolved (--resolution)")
    crisis.status = "resolved"
    crisis.resolved_at = now
    crisis.resolution = resolution.strip()
    crisis.next_status_update_at = None
    if crisis.alert_id is not None:
        alert = session.get(Alert, crisis.alert_id)
        if alert is not None and alert.status != "closed":
            alert.status = "closed"
            alert.closed_at = now
            alert.ack_deadline = None
    _event(session, crisis, actor=by, kind="resolved", at=now, summary=crisis.resolution)
    _audit(session, workspace, crisis, by, "crisis.resolved", {"resolution": crisis.resolution})
    return crisis


def write_post_mortem(
    session: Session,
    workspace: Workspace,
    crisis: Crisis,
    *,
    author: str,
    summary: str,
    lessons: list[str],
    language: str,
    now: datetime,
    title: str | None = None,
    tags: list[str] | None = None,
) -> PostMortem:
    """The post-mortem of a resolved crisis; it is a case-library entry (``service.library_entries``)."""
    if crisis.status != "resolved":
        raise ConflictError(f"crisis #{crisis.id} is still open: resolve it before writing its post-mortem")
    if session.scalar(select(PostMortem).where(PostMortem.crisis_id == crisis.id)) is not None:
        raise ConflictError(f"crisis #{crisis.id} already has a post-mortem")
    if not summary.strip():
        raise ValidationFailedError("the post-mortem needs a summary of what happened")
    clean_lessons = [lesson.strip() for lesson in lessons if lesson.strip()]
    if not clean_lessons:
        raise ValidationFailedError("the post-mortem needs at least one lesson (--lesson, repeatable)")
    alert = None if crisis.alert_id is None else session.get(Alert, crisis.alert_id)
    auto_tags = ["crisis", "post-mortem"]
    if alert is not None:
        auto_tags += [k for k in alert.data.get("kinds", [])]
        if alert.scope != "*":
            auto_tags.append(alert.scope)
    row = PostMortem(
        workspace_id=workspace.id,
        crisis_id=crisis.id,
        title=title or f"Post-mortem: {crisis.title}",
        summary=summary.strip(),
        lessons=clean_lessons,
        language=language,
        tags=list(dict.fromkeys([*(tags or []), *auto_tags])),
        author=author,
        created_at=now,
    )
    session.add(row)
    session.flush()
    _event(
        session,
        crisis,
        actor=author,
        kind="post_mortem",
        at=now,
        summary=row.title,
        data={"post_mortem_id": row.id},
    )
    _audit(
        session,
        workspace,
        crisis,
        author,
        "crisis.post_mortem",
        {"post_mortem_id": row.id, "title": row.title},
    )
    return row

"""Peer-help actions: ask, comment, suggest a draft, take the case. Each one writes a case event
and an audit entry in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.cases.events import record_event
from vigie.cases.models import Case
from vigie.cases.service import get_case, member_by_key
from vigie.core.clock import utcnow
from vigie.core.errors import ConflictError, NotFoundError, ValidationFailedError
from vigie.peerhelp.models import PeerContribution, PeerNotification, PeerRequest
from vigie.peerhelp.selection import colleague, pick_seniors
from vigie.routing.actions import assign
from vigie.workspace.models import TeamMember, Workspace

KINDS = ("comment", "suggestion", "take")


def _audit(
    session: Session,
    workspace: Workspace,
    actor: str,
    action: str,
    request: PeerRequest,
    payload: dict[str, Any],
) -> None:
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action=action,
        object_type="peer_request",
        object_key=str(request.id),
        payload={"case_id": request.case_id, **payload},
    )


def case_topic(case: Case) -> str | None:
    topics = (case.data or {}).get("topics") or []
    return str(topics[0]) if topics else None


def ask_senior(
    session: Session,
    *,
    workspace: Workspace,
    case_id: int,
    asker: str,
    question: str,
    topic: str | None = None,
    limit: int = 3,
    now: datetime | None = None,
) -> tuple[PeerRequest, list[PeerNotification]]:
    """Ask the colleagues more experienced on the case's topic; one notification row per person."""
    if not question.strip():
        raise ValidationFailedError("say what you need help with (--question)")
    case = get_case(session, workspace, case_id)
    member_by_key(session, workspace, asker)
    when = now or utcnow()
    chosen_topic = topic or case_topic(case)
    known_topics = {str(t.get("key")) for t in workspace.spec.get("topics", []) if isinstance(t, dict)}
    if topic is not None and known_topics and topic not in known_topics:
        raise ValidationFailedError(f"unknown topic {topic!r}; known: {', '.join(sorted(known_topics))}")
    members = session.scalars(select(TeamMember).where(TeamMember.workspace_id == workspace.id)).all()
    picks = pick_seniors(
        [colleague(m.key, m.roles, m.spec) for m in members], asker=asker, topic=chosen_topic, limit=limit
    )
    if not picks:
        raise ConflictError(
            "nobody to ask: no colleague knows this topic better and no one holds a senior role"
        )
    request = PeerRequest(
        workspace_id=workspace.id,
        case_id=case.id,
        asked_by=asker,
        topic=chosen_topic,
        question=question.strip(),
        created_at=when,
    )
    session.add(request)
    session.flush()
    notifications = [
        PeerNotification(
            workspace_id=workspace.id,
            request_id=request.id,
            recipient=p.key,
            reason=p.reason,
            created_at=when,
        )
        for p in picks
    ]
    session.add_all(notifications)
    recipients = [p.key for p in picks]
    record_event(
        session,
        case=case,
        kind="peer_help_asked",
        actor=asker,
        data={"request_id": request.id, "topic": chosen_topic, "recipients": recipients},
        at=when,
    )
    _audit(
        session, workspace, asker, "peer.asked", request, {"topic": chosen_topic, "recipients": recipients}
    )
    session.flush()
    return request, notifications


def get_request(session: Session, *, workspace: Workspace, request_id: int) -> PeerRequest:
    request = session.get(PeerRequest, request_id)
    if request is None or request.workspace_id != workspace.id:
        raise NotFoundError(f"peer-help request #{request_id} does not exist in workspace {workspace.slug!r}")
    return request


def contribute(
    session: Session,
    *,
    workspace: Workspace,
    request_id: int,
    author: str,
    kind: str,
    text: str = "",
    now: datetime | None = None,
) -> PeerContribution:
    """A private comment, a suggested draft, or taking the case (reassigned to ``author``)."""
    if kind not in KINDS:
        raise ValidationFailedError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind != "take" and not text.strip():
        raise ValidationFailedError(f"a {kind} needs a text")
    request = get_request(session, workspace=workspace, request_id=request_id)
    member = member_by_key(session, workspace, author)
    when = now or utcnow()
    if request.status != "open" and kind == "take":
        raise ConflictError(f"request #{request.id} was already taken by {request.taken_by}")
    case = get_case(session, workspace, request.case_id)
    if kind == "take":
        assign(session, workspace=workspace, case=case, member=member, actor=author, now=when)
        request.status = "taken"
        request.taken_by = author
    row = PeerContribution(
        workspace_id=workspace.id,
        request_id=request.id,
        author=author,
        kind=kind,
        text=text.strip(),
        created_at=when,
    )
    session.add(row)
    session.flush()
    # Mark the author's notification as read: they acted on it.
    for note in session.scalars(
        select(PeerNotification).where(
            PeerNotification.request_id == request.id,
            PeerNotification.recipient == author,
            PeerNotification.read_at.is_(None),
        )
    ):
        note.read_at = when
    record_event(
        session,
        case=case,
        kind=f"peer_{kind}",
        actor=author,
        member_id=member.id,
        data={"request_id": request.id, "contribution_id": row.id, "private": True},
        at=when,
    )
    _audit(
        session,
        workspace,
        author,
        f"peer.{kind}",
        request,
        {"contribution_id": row.id, "length": len(row.text)},
    )
    return row


def request_dict(session: Session, request: PeerRequest) -> dict[str, Any]:
    notes = session.scalars(
        select(PeerNotification)
        .where(PeerNotification.request_id == request.id)
        .order_by(PeerNotification.id)
    )
    contributions = session.scalars(
        select(PeerContribution)
        .where(PeerContribution.request_id == request.id)
        .order_by(PeerContribution.id)
    )
    return {
        "id": request.id,
        "case_id": request.case_id,
        "asked_by": request.asked_by,
        "topic": request.topic,
        "question": request.question,
        "status": request.status,
        "taken_by": request.taken_by,
        "created_at": request.created_at.isoformat(),
        "notified": [
            {"recipient": n.recipient, "reason": n.reason, "read": n.read_at is not None} for n in notes
        ],
        "contributions": [
            {"id": c.id, "author": c.author, "kind": c.kind, "text": c.text, "at": c.created_at.isoformat()}
            for c in contributions
        ],
    }


def inbox(
    session: Session, *, workspace: Workspace, member: str, unread_only: bool = True
) -> list[PeerNotification]:
    query = select(PeerNotification).where(
        PeerNotification.workspace_id == workspace.id, PeerNotification.recipient == member
    )
    if unread_only:
        query = query.where(PeerNotification.read_at.is_(None))
    return list(session.scalars(query.order_by(PeerNotification.id)))

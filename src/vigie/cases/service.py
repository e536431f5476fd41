"""Reads of the inbox: cases, their messages and their history (no writes, no commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigie.cases.models import Case, CaseEvent, CaseMessage
from vigie.cases.states import OPEN_STATUSES, CasePriority, parse_status
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.ingest.models import Message
from vigie.workspace.models import TeamMember, Workspace


@dataclass(frozen=True, slots=True)
class CaseFilters:
    statuses: Sequence[str] = ()  # empty: every status; "open" stands for new+assigned+waiting
    assignee_key: str | None = None  # a member key, or "none" for unassigned cases
    min_priority: str | None = None  # low, normal, high, urgent
    overdue_at: datetime | None = None  # only open cases whose SLA deadline is before this time
    topic: str | None = None
    limit: int = 100
    offset: int = 0


def member_by_key(session: Session, workspace: Workspace, key: str) -> TeamMember:
    member = session.scalar(
        select(TeamMember).where(TeamMember.workspace_id == workspace.id, TeamMember.key == key)
    )
    if member is None:
        known = session.scalars(
            select(TeamMember.key).where(TeamMember.workspace_id == workspace.id).order_by(TeamMember.key)
        ).all()
        raise NotFoundError(
            f"No team member '{key}' in workspace '{workspace.slug}'. Known: {', '.join(known)}."
        )
    return member


def list_cases(session: Session, workspace: Workspace, filters: CaseFilters | None = None) -> list[Case]:
    """Cases of the workspace, most urgent first, then oldest deadline first."""
    f = filters or CaseFilters()
    if f.limit < 1 or f.limit > 10_000:
        raise ValidationFailedError(f"limit must be between 1 and 10000, got {f.limit}.")
    query = select(Case).where(Case.workspace_id == workspace.id)
    statuses: set[str] = set()
    for status in f.statuses:
        if status == "open":
            statuses |= set(OPEN_STATUSES)
        else:
            statuses.add(parse_status(status).value)
    if statuses:
        query = query.where(Case.status.in_(sorted(statuses)))
    if f.assignee_key == "none":
        query = query.where(Case.assignee_id.is_(None))
    elif f.assignee_key:
        query = query.where(Case.assignee_id == member_by_key(session, workspace, f.assignee_key).id)
    if f.min_priority:
        query = query.where(Case.priority >= CasePriority.parse(f.min_priority).value)
    if f.overdue_at is not None:
        query = query.where(
            Case.status.in_(sorted(OPEN_STATUSES)),
            Case.sla_due_at.is_not(None),
            Case.sla_due_at < f.overdue_at,
        )
    query = query.order_by(Case.priority.desc(), Case.sla_due_at.asc().nulls_last(), Case.id)
    if f.topic:
        # Topics live in the JSON data; filter in Python to stay portable across SQLite and PostgreSQL,
        # reading the cases in chunks and stopping once the page is full.
        result = session.scalars(query.execution_options(yield_per=500))
        try:
            matching = (c for c in result if f.topic in (c.data or {}).get("topics", []))
            return list(islice(matching, f.offset, f.offset + f.limit))
        finally:
            result.close()
    return list(session.scalars(query.offset(f.offset).limit(f.limit)))


def get_case(session: Session, workspace: Workspace, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.workspace_id != workspace.id:
        raise NotFoundError(f"No case {case_id} in workspace '{workspace.slug}' (see `vigie cases list`).")
    return case


def case_messages(session: Session, workspace: Workspace, case_id: int) -> list[Message]:
    """The messages of a case, oldest first."""
    get_case(session, workspace, case_id)
    return list(
        session.scalars(
            select(Message)
            .join(CaseMessage, CaseMessage.message_id == Message.id)
            .where(CaseMessage.case_id == case_id, Message.workspace_id == workspace.id)
            .order_by(Message.created_at, Message.id)
        )
    )


def case_events(session: Session, workspace: Workspace, case_id: int) -> list[CaseEvent]:
    """The history of a case, oldest first."""
    get_case(session, workspace, case_id)
    return list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.workspace_id == workspace.id)
            .order_by(CaseEvent.created_at, CaseEvent.id)
        )
    )


def case_for_message(session: Session, message_id: int) -> Case | None:
    return session.scalar(
        select(Case)
        .join(CaseMessage, CaseMessage.case_id == Case.id)
        .where(CaseMessage.message_id == message_id)
    )


def open_load(session: Session, workspace: Workspace) -> dict[int, int]:
    """Open cases per assignee id."""
    rows = session.execute(
        select(Case.assignee_id, func.count())
        .where(
            Case.workspace_id == workspace.id,
            Case.status.in_(sorted(OPEN_STATUSES)),
            Case.assignee_id.is_not(None),
        )
        .group_by(Case.assignee_id)
    ).all()
    return {int(member_id): int(count) for member_id, count in rows if member_id is not None}


def case_to_dict(case: Case, members: dict[int, str] | None = None) -> dict[str, Any]:
    """A JSON-ready view of a case (``members``: id -> key, to show the assignee by key)."""
    assignee = None
    if case.assignee_id is not None:
        assignee = (members or {}).get(case.assignee_id, str(case.assignee_id))
    return {
        "id": case.id,
        "thread_key": case.thread_key,
        "channel_id": case.channel_id,
        "status": case.status,
        "priority": CasePriority(case.priority).label,
        "priority_reasons": list(case.priority_reasons or []),
        "assignee": assignee,
        "sla_due_at": case.sla_due_at.isoformat() if case.sla_due_at else None,
        "escalated_at": case.escalated_at.isoformat() if case.escalated_at else None,
        "created_at": case.created_at.isoformat(),
        "updated_at": case.updated_at.isoformat(),
        "topics": list((case.data or {}).get("topics", [])),
        "intents": list((case.data or {}).get("intents", [])),
        "language": (case.data or {}).get("language"),
        "routing": (case.data or {}).get("routing"),
        "merged_into": (case.data or {}).get("merged_into"),
    }


def event_to_dict(event: CaseEvent, members: dict[int, str] | None = None) -> dict[str, Any]:
    member = None
    if event.member_id is not None:
        member = (members or {}).get(event.member_id, str(event.member_id))
    return {
        "id": event.id,
        "kind": event.kind,
        "actor": event.actor,
        "member": member,
        "data": event.data,
        "created_at": event.created_at.isoformat(),
    }


def member_keys(session: Session, workspace: Workspace) -> dict[int, str]:
    return {
        k: v
        for k, v in session.execute(
            select(TeamMember.id, TeamMember.key).where(TeamMember.workspace_id == workspace.id)
        )
    }


def unfiled_message_ids(session: Session, workspace: Workspace, *, limit: int = 10_000) -> list[int]:
    """Analysed messages that belong to no case yet (to catch up after a failed hook), oldest first."""
    return list(
        session.scalars(
            select(Message.id)
            .outerjoin(CaseMessage, CaseMessage.message_id == Message.id)
            .where(
                Message.workspace_id == workspace.id, Message.analysis.is_not(None), CaseMessage.id.is_(None)
            )
            .order_by(Message.created_at, Message.id)
            .limit(limit)
        )
    )

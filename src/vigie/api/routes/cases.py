"""Cases: the inbox (filters), one case with its thread and history, status, assignment, hand-back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from vigie.accounts.access import ADMIN_ROLES, require_roles, writer_key
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.cases.actions import assign_by_key, handback, set_status
from vigie.cases.service import (
    CaseFilters,
    case_events,
    case_messages,
    case_to_dict,
    event_to_dict,
    get_case,
    list_cases,
    member_keys,
)
from vigie.core.clock import utcnow

router = APIRouter(tags=["cases"])

# Who may assign a case to someone else (anyone may take a case for themselves).
DISPATCHERS = ADMIN_ROLES | {"senior-cm"}


class StatusIn(BaseModel):
    status: str = Field(min_length=1, max_length=20, description="new, assigned, waiting, answered, closed")


class AssignIn(BaseModel):
    member: str | None = Field(default=None, min_length=1, max_length=64, description="Default: yourself.")


class HandbackIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/workspaces/{slug}/cases", response_model=list[dict[str, Any]])
def cases(
    access: WorkspaceDep,
    session: DbSession,
    status: list[str] = Query(default_factory=list, description="Repeatable; 'open' = new+assigned+waiting."),
    assignee: str | None = Query(None, max_length=64, description="A member key, 'me', or 'none'."),
    min_priority: str | None = Query(None, max_length=10),
    overdue: bool = Query(False, description="Only open cases past their SLA deadline."),
    topic: str | None = Query(None, max_length=64),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    filters = CaseFilters(
        statuses=status,
        assignee_key=writer_key(access) if assignee == "me" else assignee,
        min_priority=min_priority,
        overdue_at=utcnow() if overdue else None,
        topic=topic,
        limit=limit,
        offset=offset,
    )
    members = member_keys(session, access.workspace)
    return [case_to_dict(c, members) for c in list_cases(session, access.workspace, filters)]


@router.get("/workspaces/{slug}/cases/{case_id}", response_model=dict[str, Any])
def case(case_id: int, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    """The case, its messages (oldest first; texts written by strangers) and its history."""
    members = member_keys(session, access.workspace)
    found = get_case(session, access.workspace, case_id)
    return {
        **case_to_dict(found, members),
        "messages": [
            {
                "id": m.id,
                "text": m.text,
                "created_at": m.created_at.isoformat(),
                "lang": m.lang,
                "analysis": m.analysis,
            }
            for m in case_messages(session, access.workspace, case_id)
        ],
        "events": [event_to_dict(e, members) for e in case_events(session, access.workspace, case_id)],
    }


@router.post("/workspaces/{slug}/cases/{case_id}/status", response_model=dict[str, Any])
def change_status(case_id: int, body: StatusIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    found = set_status(
        session, workspace=access.workspace, case_id=case_id, status=body.status, actor=access.name
    )
    return case_to_dict(found, member_keys(session, access.workspace))


@router.post("/workspaces/{slug}/cases/{case_id}/assign", response_model=dict[str, Any])
def assign(case_id: int, body: AssignIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    me = writer_key(access)
    member = body.member or me
    if member != me:
        require_roles(access, DISPATCHERS)
    found = assign_by_key(session, workspace=access.workspace, case_id=case_id, member_key=member, actor=me)
    return case_to_dict(found, member_keys(session, access.workspace))


@router.post("/workspaces/{slug}/cases/{case_id}/handback", response_model=dict[str, Any])
def hand_back(case_id: int, body: HandbackIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    """Give your case back with a reason; routing learns from it and routes the case again."""
    found, _assignment = handback(
        session,
        workspace=access.workspace,
        case_id=case_id,
        member_key=writer_key(access),
        reason=body.reason,
    )
    return case_to_dict(found, member_keys(session, access.workspace))

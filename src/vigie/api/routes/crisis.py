"""The crisis watch and room: signals, grades, alerts (acknowledge), and the crisis room."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from vigie.accounts.access import ADMIN_ROLES, WorkspaceAccess, require_roles, writer_key
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.core.clock import utcnow
from vigie.crisis.actions import acknowledge_alert
from vigie.crisis.models import Alert, Crisis
from vigie.crisis.room import (
    add_status_update,
    declare_crisis,
    draft_holding_statement,
    resolve_crisis,
    write_post_mortem,
)
from vigie.crisis.runner import escalation_context
from vigie.crisis.service import (
    build_timeline,
    get_alert,
    get_crisis,
    list_alerts,
    list_grade_changes,
    list_signals,
    list_situations,
    post_mortem_entry,
)

router = APIRouter(tags=["crisis"])

# Who may declare, resolve and write the post-mortem of a crisis (besides the room's lead).
CRISIS_MANAGERS = ADMIN_ROLES | {"senior-cm", "spokesperson", "legal"}


class AlertOut(BaseModel):
    id: int
    scope: str
    grade: str
    status: str
    title: str
    summary: str
    opened_at: datetime
    step: str | None
    ack_deadline: datetime | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    data: dict[str, Any]


class CrisisOut(BaseModel):
    id: int
    title: str
    status: str
    alert_id: int | None
    declared_at: datetime
    declared_by: str
    roles: dict[str, str | None]
    next_status_update_at: datetime | None
    resolution: str | None


class AckIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class DeclareIn(BaseModel):
    alert_id: int | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    roles: dict[str, str] = Field(default_factory=dict, description="lead, spokesperson, legal, scribe.")
    status_update_minutes: int = Field(default=60, ge=1, le=24 * 60)


class HoldingIn(BaseModel):
    channel: str = Field(min_length=1, max_length=100)
    lang: str = Field(default="fr", min_length=2, max_length=8)
    text: str | None = Field(
        default=None, min_length=1, max_length=20_000, description="Default: the holding playbook."
    )


class StatusIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


class ResolveIn(BaseModel):
    resolution: str = Field(min_length=1, max_length=5000)


class PostMortemIn(BaseModel):
    summary: str = Field(min_length=1, max_length=20_000)
    lessons: list[str] = Field(min_length=1, max_length=50)
    lang: str = Field(default="fr", min_length=2, max_length=8)
    title: str | None = Field(default=None, max_length=300)
    tags: list[str] = Field(default_factory=list, max_length=20)


def _alert(alert: Alert) -> AlertOut:
    return AlertOut.model_validate(alert, from_attributes=True)


def _crisis(crisis: Crisis) -> CrisisOut:
    return CrisisOut(
        id=crisis.id,
        title=crisis.title,
        status=crisis.status,
        alert_id=crisis.alert_id,
        declared_at=crisis.declared_at,
        declared_by=crisis.declared_by,
        roles={
            "lead": crisis.lead,
            "spokesperson": crisis.spokesperson,
            "legal": crisis.legal,
            "scribe": crisis.scribe,
        },
        next_status_update_at=crisis.next_status_update_at,
        resolution=crisis.resolution,
    )


def _require_manager(access: WorkspaceAccess, crisis: Crisis | None = None) -> None:
    if crisis is not None and access.member is not None and access.member.key == crisis.lead:
        return
    require_roles(access, CRISIS_MANAGERS)


@router.get("/workspaces/{slug}/signals", response_model=list[dict[str, Any]])
def signals(
    access: WorkspaceDep, session: DbSession, limit: int = Query(100, ge=1, le=1000)
) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "kind": s.kind,
            "scope": s.scope,
            "channel": s.channel,
            "at": s.at.isoformat(),
            "score": s.score,
            "summary": s.summary,
            "message_ids": list(s.message_ids),
        }
        for s in list_signals(session, access.workspace, limit=limit)
    ]


@router.get("/workspaces/{slug}/grades", response_model=dict[str, Any])
def grades(
    access: WorkspaceDep, session: DbSession, limit: int = Query(100, ge=1, le=1000)
) -> dict[str, Any]:
    """The current grade of each scope, and the latest grade changes with their reasons."""
    return {
        "situations": [
            {"scope": s.scope, "grade": s.grade, "since": s.since.isoformat(), "pressure": s.pressure}
            for s in list_situations(session, access.workspace)
        ],
        "changes": [
            {
                "id": c.id,
                "scope": c.scope,
                "from": c.from_grade,
                "to": c.to_grade,
                "at": c.at.isoformat(),
                "reason": c.reason,
                "alert_id": c.alert_id,
            }
            for c in list_grade_changes(session, access.workspace, limit=limit)
        ],
    }


@router.get("/workspaces/{slug}/alerts", response_model=list[AlertOut])
def alerts(access: WorkspaceDep, session: DbSession, include_closed: bool = Query(False)) -> list[AlertOut]:
    return [_alert(a) for a in list_alerts(session, access.workspace, include_closed=include_closed)]


@router.get("/workspaces/{slug}/alerts/{alert_id}", response_model=AlertOut)
def alert(alert_id: int, access: WorkspaceDep, session: DbSession) -> AlertOut:
    return _alert(get_alert(session, access.workspace, alert_id))


@router.post("/workspaces/{slug}/alerts/{alert_id}/ack", response_model=AlertOut)
def acknowledge(alert_id: int, body: AckIn, access: WorkspaceDep, session: DbSession) -> AlertOut:
    """Take the alert at its current grade: the escalation ladder stops until the grade rises."""
    found = get_alert(session, access.workspace, alert_id)
    acknowledge_alert(
        session, access.workspace, found, member_key=writer_key(access), now=utcnow(), note=body.note
    )
    return _alert(found)


@router.post("/workspaces/{slug}/crises", response_model=CrisisOut, status_code=201)
def declare(body: DeclareIn, access: WorkspaceDep, session: DbSession) -> CrisisOut:
    _require_manager(access)
    found = None if body.alert_id is None else get_alert(session, access.workspace, body.alert_id)
    outcome = declare_crisis(
        session,
        access.workspace,
        context=escalation_context(session, access.workspace),
        declared_by=access.name,
        now=utcnow(),
        alert=found,
        title=body.title,
        roles=body.roles,
        status_update_minutes=body.status_update_minutes,
    )
    return _crisis(outcome.crisis)


@router.get("/workspaces/{slug}/crises/{crisis_id}", response_model=CrisisOut)
def crisis(crisis_id: int, access: WorkspaceDep, session: DbSession) -> CrisisOut:
    return _crisis(get_crisis(session, access.workspace, crisis_id))


@router.get("/workspaces/{slug}/crises/{crisis_id}/timeline", response_model=list[dict[str, Any]])
def timeline(crisis_id: int, access: WorkspaceDep, session: DbSession) -> list[dict[str, Any]]:
    found = get_crisis(session, access.workspace, crisis_id)
    return [entry.to_dict() for entry in build_timeline(session, found)]


@router.post("/workspaces/{slug}/crises/{crisis_id}/holding-statements", response_model=dict[str, Any])
def holding_statement(
    crisis_id: int, body: HoldingIn, access: WorkspaceDep, session: DbSession
) -> dict[str, Any]:
    """Draft a holding statement and pass it through the governance gate, as the author's mandate decides."""
    found = get_crisis(session, access.workspace, crisis_id)
    statement = draft_holding_statement(
        session,
        access.workspace,
        found,
        context=escalation_context(session, access.workspace),
        author=writer_key(access),
        channel=body.channel,
        language=body.lang,
        now=utcnow(),
        text=body.text,
    )
    return {
        "id": statement.id,
        "status": statement.status,
        "text": statement.text,
        "verdict": statement.verdict,
        "channel": statement.channel,
        "language": statement.language,
    }


@router.post("/workspaces/{slug}/crises/{crisis_id}/status-updates", response_model=dict[str, Any])
def status_update(crisis_id: int, body: StatusIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    found = get_crisis(session, access.workspace, crisis_id)
    update, _pending = add_status_update(
        session,
        access.workspace,
        found,
        context=escalation_context(session, access.workspace),
        author=writer_key(access),
        text=body.text,
        now=utcnow(),
    )
    return {
        "id": update.id,
        "recipients": list(update.recipients),
        "next_status_update_at": None
        if found.next_status_update_at is None
        else found.next_status_update_at.isoformat(),
    }


@router.post("/workspaces/{slug}/crises/{crisis_id}/resolve", response_model=CrisisOut)
def resolve(crisis_id: int, body: ResolveIn, access: WorkspaceDep, session: DbSession) -> CrisisOut:
    found = get_crisis(session, access.workspace, crisis_id)
    _require_manager(access, found)
    return _crisis(
        resolve_crisis(
            session, access.workspace, found, by=access.name, resolution=body.resolution, now=utcnow()
        )
    )


@router.post(
    "/workspaces/{slug}/crises/{crisis_id}/post-mortem", response_model=dict[str, Any], status_code=201
)
def post_mortem(
    crisis_id: int, body: PostMortemIn, access: WorkspaceDep, session: DbSession
) -> dict[str, Any]:
    found = get_crisis(session, access.workspace, crisis_id)
    _require_manager(access, found)
    row = write_post_mortem(
        session,
        access.workspace,
        found,
        author=access.name,
        summary=body.summary,
        lessons=body.lessons,
        language=body.lang,
        now=utcnow(),
        title=body.title,
        tags=body.tags,
    )
    return post_mortem_entry(row)

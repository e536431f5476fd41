"""The crisis room: grade, live volume/sentiment chart, signals with their messages, timeline, roles,
holding statements through the gate, status updates, resolution and post-mortem."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from vigie.accounts.access import writer_key
from vigie.api.deps import DbSession
from vigie.core.clock import utcnow
from vigie.crisis import room
from vigie.crisis.grading import Grade
from vigie.crisis.runner import escalation_context
from vigie.crisis.service import build_timeline, get_alert, get_crisis, list_alerts, list_signals
from vigie.insights.service import latest_message_time, list_crises, messages_by_ids, volume_series
from vigie.web.common import render_page
from vigie.web.deps import PageWorkspace

router = APIRouter(include_in_schema=False)

WINDOW = timedelta(hours=3)
BUCKET = timedelta(minutes=5)


def _grade(alerts: list[Any]) -> str:
    open_grades = [a.grade for a in alerts if a.status != "closed"]
    known = {g.label: g for g in Grade}
    best = max((known[g] for g in open_grades if g in known), default=Grade.NORMAL)
    return best.label


def _alert_dict(alert: Any) -> dict[str, Any]:
    return {"id": alert.id, "grade": alert.grade, "title": alert.title, "status": alert.status}


@router.get("/w/{slug}/crisis.json")
def crisis_json(access: PageWorkspace, session: DbSession) -> Response:
    alerts = list_alerts(session, access.workspace, include_closed=False)
    until = max(utcnow(), latest_message_time(session, access.workspace) or utcnow())
    points = volume_series(session, access.workspace, since=until - WINDOW, until=until, bucket=BUCKET)
    return JSONResponse(
        {
            "grade": _grade(alerts),
            "alerts": [_alert_dict(a) for a in alerts],
            "points": [p.to_dict() for p in points],
        }
    )


@router.get("/w/{slug}/crisis")
def crisis_page(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    alerts = list_alerts(session, access.workspace, include_closed=True)
    signals = []
    for signal in list_signals(session, access.workspace, limit=20):
        ids = [int(i) for i in (signal.message_ids or [])][:5]
        signals.append({"signal": signal, "messages": messages_by_ids(session, access.workspace, ids)})
    crises = list_crises(session, access.workspace)
    current = next((c for c in crises if c.status == "open"), crises[0] if crises else None)
    timeline = build_timeline(session, current, max_messages=20) if current is not None else []
    return render_page(
        request,
        access,
        "crisis.html",
        grade=_grade(alerts),
        alerts=alerts,
        signals=signals,
        crisis=current,
        timeline=timeline,
        room_roles=room.ROOM_ROLES,
    )


def _back(slug: str) -> Response:
    return RedirectResponse(f"/w/{slug}/crisis", status_code=303)


@router.post("/w/{slug}/crisis/declare")
def declare(
    access: PageWorkspace, session: DbSession, alert_id: Annotated[int | None, Form()] = None
) -> Response:
    alert = get_alert(session, access.workspace, alert_id) if alert_id else None
    room.declare_crisis(
        session,
        access.workspace,
        context=escalation_context(session, access.workspace),
        declared_by=writer_key(access),
        now=utcnow(),
        alert=alert,
    )
    return _back(access.workspace.slug)


@router.post("/w/{slug}/crisis/{crisis_id}/holding")
def holding(
    access: PageWorkspace,
    session: DbSession,
    crisis_id: int,
    channel: Annotated[str, Form(max_length=100)],
    language: Annotated[str, Form(pattern="^(fr|en)$")] = "fr",
    text: Annotated[str | None, Form(max_length=5000)] = None,
) -> Response:
    crisis = get_crisis(session, access.workspace, crisis_id)
    room.draft_holding_statement(
        session,
        access.workspace,
        crisis,
        context=escalation_context(session, access.workspace),
        author=writer_key(access),
        channel=channel,
        language=language,
        now=utcnow(),
        text=text or None,
    )
    return _back(access.workspace.slug)


@router.post("/w/{slug}/crisis/{crisis_id}/status")
def status_update(
    access: PageWorkspace,
    session: DbSession,
    crisis_id: int,
    text: Annotated[str, Form(max_length=5000)],
) -> Response:
    crisis = get_crisis(session, access.workspace, crisis_id)
    room.add_status_update(
        session,
        access.workspace,
        crisis,
        context=escalation_context(session, access.workspace),
        author=writer_key(access),
        text=text,
        now=utcnow(),
    )
    return _back(access.workspace.slug)


@router.post("/w/{slug}/crisis/{crisis_id}/resolve")
def resolve(
    access: PageWorkspace,
    session: DbSession,
    crisis_id: int,
    resolution: Annotated[str, Form(max_length=5000)],
) -> Response:
    crisis = get_crisis(session, access.workspace, crisis_id)
    room.resolve_crisis(
        session, access.workspace, crisis, by=writer_key(access), resolution=resolution, now=utcnow()
    )
    return _back(access.workspace.slug)


@router.post("/w/{slug}/crisis/{crisis_id}/post-mortem")
def post_mortem(
    access: PageWorkspace,
    session: DbSession,
    crisis_id: int,
    summary: Annotated[str, Form(max_length=10_000)],
    lessons: Annotated[str, Form(max_length=10_000)] = "",
    language: Annotated[str, Form(pattern="^(fr|en)$")] = "fr",
) -> Response:
    crisis = get_crisis(session, access.workspace, crisis_id)
    room.write_post_mortem(
        session,
        access.workspace,
        crisis,
        author=writer_key(access),
        summary=summary,
        lessons=[line.strip() for line in lessons.splitlines() if line.strip()],
        language=language,
        now=utcnow(),
    )
    return _back(access.workspace.slug)

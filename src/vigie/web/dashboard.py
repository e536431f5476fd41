"""Dashboards: volume, sentiment, intents, topics, response times, SLA, escalations, gate findings."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigie.api.deps import DbSession
from vigie.core.clock import utcnow
from vigie.insights.service import dashboard, latest_message_time
from vigie.web.common import render_page
from vigie.web.deps import PageWorkspace

router = APIRouter(include_in_schema=False)

PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


@router.get("/w/{slug}/dashboard")
def dashboard_page(
    request: Request, access: PageWorkspace, session: DbSession, period: str = "24h"
) -> Response:
    span = PERIODS.get(period, PERIODS["24h"])
    until = max(utcnow(), latest_message_time(session, access.workspace) or utcnow())
    board = dashboard(session, access.workspace, since=until - span, until=until)
    max_volume = max((b.volume for b in board.volume), default=0) or 1
    return render_page(
        request,
        access,
        "dashboard.html",
        board=board,
        period=period if period in PERIODS else "24h",
        periods=list(PERIODS),
        max_volume=max_volume,
    )

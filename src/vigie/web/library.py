"""The case library: post-mortems and worked cases to learn from (read-only here)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from vigie.api.deps import DbSession
from vigie.crisis.service import library_entries
from vigie.web.common import render_page
from vigie.web.deps import PageWorkspace

router = APIRouter(include_in_schema=False)


@router.get("/w/{slug}/library")
def library_page(request: Request, access: PageWorkspace, session: DbSession, q: str = "") -> Response:
    query = q.strip().lower()[:200]
    entries = [
        e
        for e in library_entries(session, access.workspace)
        if not query or query in f"{e['title']} {e['summary']} {' '.join(e['lessons'])}".lower()
    ]
    return render_page(request, access, "library.html", entries=entries, q=q[:200])

"""Inbox (cases by priority, filters, live count) and the case page (thread, analysis, draft box)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from vigie.accounts.access import WorkspaceAccess, writer_key
from vigie.api.deps import DbSession
from vigie.cases.models import Case
from vigie.cases.service import (
    CaseFilters,
    case_events,
    case_messages,
    case_to_dict,
    get_case,
    list_cases,
    member_keys,
)
from vigie.core.clock import utcnow
from vigie.governance.service import load_governance
from vigie.ingest.authors import authors_by_id
from vigie.insights.service import CaseSummary, case_summaries
from vigie.peerhelp.actions import ask_senior
from vigie.playbooks.service import DraftRequest, prefill_draft, suggest_for_case
from vigie.web.common import render_page
from vigie.web.deps import PageWorkspace

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
FILTER_KEYS = ("intent", "language", "sentiment", "topic", "assignee", "priority", "sla")
# Filters on the analysis are applied in Python over at most this many open cases, most urgent first.
SCAN_LIMIT = 2000


def _filters(request: Request) -> dict[str, str]:
    return {k: v[:100] for k in FILTER_KEYS if (v := request.query_params.get(k, "").strip())}


def _cases(
    session: DbSession, access: WorkspaceAccess, chosen: dict[str, str]
) -> tuple[list[Case], dict[int, CaseSummary]]:
    """One page of open cases matching the filters, with their message count and latest message."""
    filters = CaseFilters(
        statuses=("open",),
        assignee_key=chosen.get("assignee"),
        min_priority=chosen.get("priority"),
        overdue_at=utcnow() if chosen.get("sla") == "overdue" else None,
        topic=chosen.get("topic"),
        limit=PAGE_SIZE if not ({"intent", "language", "sentiment"} & chosen.keys()) else SCAN_LIMIT,
    )
    rows = list_cases(session, access.workspace, filters)
    if "intent" in chosen:
        rows = [c for c in rows if chosen["intent"] in (c.data or {}).get("intents", [])]
    if "language" in chosen:
        rows = [c for c in rows if (c.data or {}).get("language") == chosen["language"]]
    if "sentiment" not in chosen:
        rows = rows[:PAGE_SIZE]
        return rows, case_summaries(session, access.workspace, [c.id for c in rows])
    summaries = case_summaries(session, access.workspace, [c.id for c in rows])

    def label(case: Case) -> str | None:
        last = summaries[case.id].last if case.id in summaries else None
        value = (((last.analysis if last else None) or {}).get("sentiment") or {}).get("label")
        return None if value is None else str(value)

    rows = [c for c in rows if label(c) == chosen["sentiment"]][:PAGE_SIZE]
    return rows, summaries


def _overdue(case: Case) -> bool:
    due = case.sla_due_at
    if due is None:
        return False
    now = utcnow()
    return due < (now.replace(tzinfo=None) if due.tzinfo is None else now)


@router.get("/w/{slug}/inbox")
def inbox_page(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    chosen = _filters(request)
    members = member_keys(session, access.workspace)
    rows: list[dict[str, Any]] = []
    cases, summaries = _cases(session, access, chosen)
    for case in cases:
        summary = summaries.get(case.id, CaseSummary(count=0, last=None))
        rows.append(
            {
                "case": case_to_dict(case, members),
                "last": summary.last,
                "count": summary.count,
                "overdue": _overdue(case),
            }
        )
    return render_page(
        request,
        access,
        "inbox.html",
        rows=rows,
        chosen=chosen,
        members=sorted(members.values()),
    )


@router.get("/w/{slug}/inbox.json")
def inbox_json(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    rows, _summaries = _cases(session, access, _filters(request))
    return JSONResponse({"total": len(rows), "ids": [c.id for c in rows]})


@router.get("/w/{slug}/cases/{case_id}")
def case_page(
    request: Request, access: PageWorkspace, session: DbSession, case_id: int, playbook: str = ""
) -> Response:
    case = get_case(session, access.workspace, case_id)
    _facts, suggestions, message_id = suggest_for_case(session, workspace=access.workspace, case_id=case_id)
    text = ""
    if playbook:
        draft = prefill_draft(
            session,
            workspace=access.workspace,
            request=DraftRequest(
                playbook_key=playbook[:100],
                message_id=message_id,
                member_key=access.member.key if access.member is not None else None,
            ),
        )
        text = draft.text
    messages = case_messages(session, access.workspace, case_id)
    authors = authors_by_id(session, access.workspace, (m.author_id for m in messages))
    first_author = authors.get(messages[0].author_id) if messages and messages[0].author_id else None
    data = load_governance(session, access.workspace)
    return render_page(
        request,
        access,
        "case.html",
        case=case_to_dict(case, member_keys(session, access.workspace)),
        messages=messages,
        authors=authors,
        author=first_author,
        events=case_events(session, access.workspace, case_id),
        channels=sorted(data.channels),
        case_id=case.id,
        text=text,
        suggestions=suggestions,
        playbook=playbook,
    )


@router.post("/w/{slug}/cases/{case_id}/ask")
def ask_a_senior(
    access: PageWorkspace,
    session: DbSession,
    case_id: int,
    question: Annotated[str, Form(max_length=5000)],
) -> Response:
    _request, notified = ask_senior(
        session, workspace=access.workspace, case_id=case_id, asker=writer_key(access), question=question
    )
    return RedirectResponse(
        f"/w/{access.workspace.slug}/cases/{case_id}?asked={len(notified)}#ask-senior", status_code=303
    )

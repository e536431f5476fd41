"""Approvals queue and the draft box: check-as-you-type, submit through the gate, approve or reject."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from vigie.accounts.access import WorkspaceAccess, writer_key
from vigie.api.deps import DbSession
from vigie.core.errors import VigieError
from vigie.governance import actions as governance_actions
from vigie.governance.checking import check_for_writer
from vigie.governance.gate import NewText, OutgoingKind
from vigie.governance.service import (
    drafts_by_id,
    get_approval,
    get_draft,
    list_approvals,
    load_governance,
)
from vigie.web.common import render_page
from vigie.web.deps import PageWorkspace

router = APIRouter(include_in_schema=False)


class CheckBody(BaseModel):
    text: str = Field(max_length=20_000)
    channel: str | None = Field(default=None, max_length=100)
    lang: str | None = Field(default=None, max_length=8)


@router.post("/w/{slug}/check.json")
def check_json(access: PageWorkspace, session: DbSession, body: CheckBody) -> Response:
    """The draft box's check-as-you-type call (session cookie + CSRF header)."""
    if not body.text.strip():
        return JSONResponse({"verdict": None, "findings": [], "reasons": [], "approvers": {}})
    writer = writer_key(access)
    data = load_governance(session, access.workspace)
    try:
        outcome = check_for_writer(
            body.text, data=data, writer=writer, today=data.book.today, channel=body.channel, lang=body.lang
        )
    except VigieError as error:
        return JSONResponse({"error": error.message}, status_code=error.http_status)
    return JSONResponse(outcome.to_dict())


@router.get("/w/{slug}/compose")
def compose_page(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    data = load_governance(session, access.workspace)
    return render_page(
        request, access, "compose.html", channels=sorted(data.channels), case_id=None, text="", result=None
    )


@router.post("/w/{slug}/drafts")
def submit_draft(
    request: Request,
    access: PageWorkspace,
    session: DbSession,
    text: Annotated[str, Form(max_length=20_000)],
    channel: Annotated[str, Form(max_length=100)],
    case_id: Annotated[int | None, Form()] = None,
) -> Response:
    result = governance_actions.submit_text(
        session,
        workspace=access.workspace,
        text=NewText(
            kind=OutgoingKind.REPLY, author=writer_key(access), channel=channel, text=text, case_id=case_id
        ),
    )
    data = load_governance(session, access.workspace)
    return render_page(
        request,
        access,
        "compose.html",
        channels=sorted(data.channels),
        case_id=case_id,
        text="",
        result=result,
    )


def _queue_rows(session: DbSession, access: WorkspaceAccess) -> list[dict[str, Any]]:
    approvals = list_approvals(session, access.workspace, status="pending", limit=200)
    drafts = drafts_by_id(session, access.workspace, (approval.draft_id for approval in approvals))
    return [{"approval": approval, "draft": drafts[approval.draft_id]} for approval in approvals]


@router.get("/w/{slug}/approvals")
def approvals_page(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    return render_page(request, access, "approvals.html", rows=_queue_rows(session, access), done=None)


@router.post("/w/{slug}/approvals/{approval_id}/approve")
def approve_page(
    access: PageWorkspace,
    session: DbSession,
    approval_id: int,
    edited_text: Annotated[str | None, Form(max_length=20_000)] = None,
    comment: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    approval = get_approval(session, access.workspace, approval_id)
    original = get_draft(session, access.workspace, approval.draft_id).text
    edited = edited_text if edited_text and edited_text.strip() and edited_text != original else None
    governance_actions.approve(
        session,
        workspace=access.workspace,
        approval_id=approval_id,
        approver=writer_key(access),
        edited_text=edited,
        comment=comment or None,
    )
    return RedirectResponse(f"/w/{access.workspace.slug}/approvals?done={approval_id}", status_code=303)


@router.post("/w/{slug}/approvals/{approval_id}/reject")
def reject_page(
    access: PageWorkspace,
    session: DbSession,
    approval_id: int,
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    governance_actions.reject(
        session,
        workspace=access.workspace,
        approval_id=approval_id,
        approver=writer_key(access),
        comment=comment,
    )
    return RedirectResponse(f"/w/{access.workspace.slug}/approvals?done={approval_id}", status_code=303)

"""Drafts, the check-as-you-type endpoint and approvals: every text goes through the governance gate."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query
from pydantic import BaseModel, Field

from vigie.accounts.access import writer_key
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.governance import actions
from vigie.governance.checking import check_for_writer
from vigie.governance.gate import GateResult, NewText, OutgoingKind
from vigie.governance.service import (
    approval_to_dict,
    draft_to_dict,
    get_draft,
    list_approvals,
    list_drafts,
    load_governance,
)
from vigie.webhooks.events import queue_event

router = APIRouter(tags=["drafts and approvals"])

Lang = Field(default=None, min_length=2, max_length=8, description="fr or en; detected when absent.")


class CheckIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)
    lang: str | None = Lang
    channel: str | None = Field(default=None, max_length=100)
    in_reply_to_lang: str | None = Lang
    kind: Literal["reply", "post", "advocacy_post", "holding_statement"] = "reply"
    topics: list[str] = Field(default_factory=list, max_length=20)


class CheckOut(BaseModel):
    verdict: str
    approvers: dict[str, Any]
    reasons: list[str]
    lang: str
    findings: list[dict[str, Any]]


class DraftIn(CheckIn):
    channel: str = Field(min_length=1, max_length=100)
    case_id: int | None = None


class DraftOut(BaseModel):
    draft: dict[str, Any]
    verdict: str
    published: bool
    approval: dict[str, Any] | None = None


class ApproveIn(BaseModel):
    edited_text: str | None = Field(default=None, min_length=1, max_length=20_000)
    comment: str | None = Field(default=None, max_length=2000)


class RejectIn(BaseModel):
    comment: str = Field(min_length=1, max_length=2000, description="What the author should change.")


def _draft_out(result: GateResult) -> DraftOut:
    return DraftOut(
        draft=draft_to_dict(result.draft),
        verdict=result.verdict.value,
        published=result.publication is not None,
        approval=None if result.approval is None else approval_to_dict(result.approval),
    )


@router.post("/workspaces/{slug}/check", response_model=CheckOut)
def check_text(body: CheckIn, access: WorkspaceDep, session: DbSession) -> CheckOut:
    """Charter findings and the verdict for the current member (check-as-you-type; writes nothing)."""
    data = load_governance(session, access.workspace)
    outcome = check_for_writer(
        body.text,
        data=data,
        writer=writer_key(access),
        today=data.book.today,
        kind=body.kind,
        lang=body.lang,
        channel=body.channel,
        in_reply_to_lang=body.in_reply_to_lang,
        topics=body.topics,
    )
    return CheckOut.model_validate(outcome.to_dict())


@router.post("/workspaces/{slug}/drafts", response_model=DraftOut, status_code=201)
def submit_draft(
    body: DraftIn, access: WorkspaceDep, session: DbSession, background: BackgroundTasks
) -> DraftOut:
    """Submit a text: published when within your mandate, else sent for approval, or blocked."""
    result = actions.submit_text(
        session,
        workspace=access.workspace,
        text=NewText(
            kind=OutgoingKind(body.kind),
            author=writer_key(access),
            channel=body.channel,
            text=body.text,
            lang=body.lang,
            in_reply_to_lang=body.in_reply_to_lang,
            topics=tuple(body.topics),
            case_id=body.case_id,
        ),
    )
    out = _draft_out(result)
    if out.approval is not None:
        queue_event(
            background,
            workspace=access.workspace.slug,
            event="approval.needed",
            data={"draft": out.draft, "approval": out.approval},
        )
    return out


@router.get("/workspaces/{slug}/drafts", response_model=list[dict[str, Any]])
def drafts(
    access: WorkspaceDep,
    session: DbSession,
    status: str | None = Query(None, max_length=40),
    mine: bool = Query(False, description="Only the drafts you wrote."),
    limit: int = Query(100, ge=1, le=500),
) -> list[dict[str, Any]]:
    author = writer_key(access) if mine else None
    return [
        draft_to_dict(d)
        for d in list_drafts(session, access.workspace, status=status, author=author, limit=limit)
    ]


@router.get("/workspaces/{slug}/drafts/{draft_id}", response_model=dict[str, Any])
def draft(draft_id: int, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    return draft_to_dict(get_draft(session, access.workspace, draft_id))


@router.get("/workspaces/{slug}/approvals", response_model=list[dict[str, Any]])
def approvals(
    access: WorkspaceDep,
    session: DbSession,
    mine: bool = Query(True, description="Only the requests naming you as an approver."),
    status: str | None = Query("pending", max_length=40),
    limit: int = Query(100, ge=1, le=500),
) -> list[dict[str, Any]]:
    approver = writer_key(access) if mine else None
    rows = list_approvals(session, access.workspace, status=status, approver=approver, limit=limit)
    return [approval_to_dict(a) for a in rows]


@router.post("/workspaces/{slug}/approvals/{id}/approve", response_model=DraftOut)
def approve(id: int, body: ApproveIn, access: WorkspaceDep, session: DbSession) -> DraftOut:  # noqa: A002
    """Approve and publish (an edited text is checked again, for you); refused beyond your mandate."""
    result = actions.approve(
        session,
        workspace=access.workspace,
        approval_id=id,
        approver=writer_key(access),
        edited_text=body.edited_text,
        comment=body.comment,
    )
    return _draft_out(result)


@router.post("/workspaces/{slug}/approvals/{id}/reject", response_model=dict[str, Any])
def reject(id: int, body: RejectIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:  # noqa: A002
    approval = actions.reject(
        session, workspace=access.workspace, approval_id=id, approver=writer_key(access), comment=body.comment
    )
    return approval_to_dict(approval)

"""Reading governance objects: a workspace's mandates and charter as plain data, drafts, approvals.

Never commits; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.core.errors import NotFoundError
from vigie.governance.checking import GovernanceData, governance_from_spec
from vigie.governance.models import ApprovalRequest, Draft
from vigie.workspace.models import Workspace
from vigie.workspace.service import workspace_day, workspace_spec


def load_governance(session: Session, workspace: Workspace, *, today: date | None = None) -> GovernanceData:
    """Mandates, team, channels and charter of a workspace as applied, resolved for ``today`` (default:
    the current day in the workspace's time zone)."""
    spec = workspace_spec(session, workspace.slug)
    if spec is None:  # pragma: no cover - the workspace row exists
        raise NotFoundError(f"workspace '{workspace.slug}' does not exist")
    return governance_from_spec(spec, today=today or workspace_day(workspace))


def get_draft(session: Session, workspace: Workspace, draft_id: int) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.workspace_id == workspace.id, Draft.id == draft_id))
    if draft is None:
        raise NotFoundError(f"no draft #{draft_id} in workspace '{workspace.slug}'; see `vigie drafts list`")
    return draft


def drafts_by_id(session: Session, workspace: Workspace, ids: Iterable[int]) -> dict[int, Draft]:
    """The workspace's drafts among ``ids``, in one query (e.g. the drafts of a list of approvals)."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(Draft).where(Draft.workspace_id == workspace.id, Draft.id.in_(wanted))
    return {draft.id: draft for draft in session.scalars(query)}


def list_drafts(
    session: Session,
    workspace: Workspace,
    *,
    status: str | None = None,
    author: str | None = None,
    limit: int = 100,
) -> list[Draft]:
    query = select(Draft).where(Draft.workspace_id == workspace.id)
    if status is not None:
        query = query.where(Draft.status == status)
    if author is not None:
        query = query.where(Draft.author == author)
    return list(session.scalars(query.order_by(Draft.id.desc()).limit(limit)))


def get_approval(
    session: Session, workspace: Workspace, approval_id: int, *, for_update: bool = False
) -> ApprovalRequest:
    """The workspace's approval request ``approval_id``; ``for_update`` locks the row to decide on it."""
    query = select(ApprovalRequest).where(
        ApprovalRequest.workspace_id == workspace.id, ApprovalRequest.id == approval_id
    )
    approval = session.scalar(query.with_for_update() if for_update else query)
    if approval is None:
        raise NotFoundError(
            f"no approval request #{approval_id} in workspace '{workspace.slug}'; see `vigie approvals list`"
        )
    return approval


def list_approvals(
    session: Session,
    workspace: Workspace,
    *,
    status: str | None = "pending",
    approver: str | None = None,
    limit: int = 100,
) -> list[ApprovalRequest]:
    """Approval requests, newest first; with ``approver``, only those naming that member."""
    query = select(ApprovalRequest).where(ApprovalRequest.workspace_id == workspace.id)
    if status is not None:
        query = query.where(ApprovalRequest.status == status)
    rows = list(session.scalars(query.order_by(ApprovalRequest.id.desc()).limit(limit)))
    if approver is not None:
        rows = [r for r in rows if approver in (r.approvers.get("members") or [])]
    return rows


def draft_to_dict(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.id,
        "kind": draft.kind,
        "author": draft.author,
        "channel": draft.channel,
        "lang": draft.lang,
        "status": draft.status,
        "verdict": draft.verdict,
        "text": draft.text,
        "approvers": draft.approvers,
        "reasons": draft.reasons,
        "findings": draft.findings,
        "case_id": draft.case_id,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }


def approval_to_dict(approval: ApprovalRequest) -> dict[str, Any]:
    return {
        "id": approval.id,
        "draft_id": approval.draft_id,
        "status": approval.status,
        "requested_by": approval.requested_by,
        "requested_at": approval.requested_at.isoformat(),
        "approvers": approval.approvers,
        "reasons": approval.reasons,
        "decided_by": approval.decided_by,
        "decided_at": None if approval.decided_at is None else approval.decided_at.isoformat(),
        "comment": approval.comment,
        "edited": approval.edited,
    }

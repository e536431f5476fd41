"""Use cases that change governance state. Texts leave only through ``vigie.governance.gate``.

Each action writes its audit entry in the caller's transaction and never commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.core.clock import utcnow
from vigie.core.errors import ConflictError, PermissionDeniedError, ValidationFailedError
from vigie.governance.gate import (
    ApprovalDecision,
    ApprovalStatus,
    DraftStatus,
    GateResult,
    NewText,
    pass_gate,
)
from vigie.governance.models import ApprovalRequest, Draft
from vigie.governance.service import get_approval, load_governance
from vigie.workspace.models import Workspace


def submit_text(
    session: Session, *, workspace: Workspace, text: NewText, today: date | None = None
) -> GateResult:
    """Send a text: published at once when within the author's mandate, else an approval request."""
    return pass_gate(
        session,
        workspace=workspace,
        data=load_governance(session, workspace, today=today),
        request=text,
        today=today,
    )


def approve(
    session: Session,
    *,
    workspace: Workspace,
    approval_id: int,
    approver: str,
    edited_text: str | None = None,
    comment: str | None = None,
    today: date | None = None,
) -> GateResult:
    """Approve (and publish) a pending draft; an edited text is checked again for the approver."""
    return pass_gate(
        session,
        workspace=workspace,
        data=load_governance(session, workspace, today=today),
        request=ApprovalDecision(
            approval_id=approval_id, approver=approver, edited_text=edited_text, comment=comment
        ),
        today=today,
    )


def reject(
    session: Session,
    *,
    workspace: Workspace,
    approval_id: int,
    approver: str,
    comment: str,
    today: date | None = None,
) -> ApprovalRequest:
    """Refuse a pending draft with a comment for its author. Nothing is published."""
    if not comment.strip():
        raise ValidationFailedError(
            "a rejection needs a comment telling the author what to change (--comment)"
        )
    data = load_governance(session, workspace, today=today)
    if approver not in data.book.members:
        raise ValidationFailedError(f"approver '{approver}' is not a team member of '{workspace.slug}'")
    approval = get_approval(session, workspace, approval_id, for_update=True)
    if approval.status != ApprovalStatus.PENDING.value:
        raise ConflictError(f"approval request #{approval.id} is already {approval.status}")
    draft = session.get(Draft, approval.draft_id)
    assert draft is not None
    if approver == draft.author:
        raise PermissionDeniedError(f"{approver} wrote draft #{draft.id} and cannot decide on it")
    allowed = set(approval.approvers.get("members") or [])
    if approver not in allowed:
        raise PermissionDeniedError(
            f"{approver} is not among the approvers of request #{approval.id} "
            f"({', '.join(sorted(allowed)) or 'none'})"
        )
    now = utcnow()
    approval.status = ApprovalStatus.REJECTED.value
    approval.decided_by = approver
    approval.decided_at = now
    approval.comment = comment
    draft.status = DraftStatus.REJECTED.value
    draft.updated_at = now
    session.flush()
    append_audit(
        session,
        workspace=workspace,
        actor=approver,
        action="governance.rejection",
        object_type="draft",
        object_key=str(draft.id),
        payload={
            "approval_id": approval.id,
            "text": draft.text,
            "author": draft.author,
            "approver": approver,
            "comment": comment,
            "mandate": data.book.for_member(approver).to_dict(),
        },
    )
    return approval

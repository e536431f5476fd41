"""The audit log of a workspace: list and verify."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from vigie.accounts.access import require_admin
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.audit.service import list_audit, verify_workspace_audit

router = APIRouter(tags=["audit"])


class AuditEntryOut(BaseModel):
    seq: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_key: str
    payload: dict[str, Any]
    hash: str


class VerifyOut(BaseModel):
    ok: bool
    entries: int
    first_bad_entry: int | None
    reason: str | None


@router.get("/workspaces/{slug}/audit", response_model=list[AuditEntryOut])
def audit_entries(
    access: WorkspaceDep,
    session: DbSession,
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[AuditEntryOut]:
    require_admin(access)
    return [
        AuditEntryOut.model_validate(entry, from_attributes=True)
        for entry in list_audit(session, access.workspace, limit=limit, offset=offset)
    ]


@router.post("/workspaces/{slug}/audit/verify", response_model=VerifyOut)
def audit_verify(access: WorkspaceDep, session: DbSession) -> VerifyOut:
    require_admin(access)
    result = verify_workspace_audit(session, access.workspace)
    return VerifyOut(**result.to_dict())

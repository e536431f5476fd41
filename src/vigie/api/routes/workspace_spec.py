"""Workspace as code over HTTP: read the applied spec, plan a submitted one (dry run), apply it (admins).

Every change goes through ``plan_workspace`` / ``apply_workspace``, which audits each changed object.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ValidationError

from vigie.accounts.access import WorkspaceAccess, require_admin
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import field_path
from vigie.workspace.schemas import WorkspaceSpec, to_plain
from vigie.workspace.service import plan_workspace, workspace_spec
from vigie.workspace.validate import cross_check

router = APIRouter(tags=["workspace as code"])

SPEC_BODY = Body(
    ...,
    description="The whole workspace as JSON, in the shape GET /workspaces/{slug}/spec returns "
    "(workspace, team, mandates, charter, escalation, playbooks).",
)


class PlanOut(BaseModel):
    workspace: str
    no_change: bool
    counts: dict[str, int]
    changes: list[dict[str, Any]]
    blockers: list[str]


def _parse(access: WorkspaceAccess, body: dict[str, Any]) -> WorkspaceSpec:
    try:
        spec = WorkspaceSpec.model_validate(body)
    except ValidationError as error:
        problems = [
            f"{field_path([str(p) for p in e['loc']])}: {e['msg']}" for e in error.errors(include_url=False)
        ]
        raise ValidationFailedError(
            "The workspace spec is invalid: " + "; ".join(problems[:20]), problems=problems
        ) from None
    if spec.slug != access.workspace.slug:
        raise ValidationFailedError(
            f"The spec is for workspace '{spec.slug}', not '{access.workspace.slug}'; "
            "a workspace's slug cannot be changed here."
        )
    cross = cross_check(spec)
    if cross:
        problems = [f"{p.file}: {field_path([str(x) for x in p.loc])}: {p.message}" for p in cross]
        raise ValidationFailedError(
            "The workspace spec is inconsistent: " + "; ".join(problems[:20]), problems=problems
        )
    return spec


@router.get("/workspaces/{slug}/spec", response_model=dict[str, Any])
def get_spec(access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    spec = workspace_spec(session, access.workspace.slug)
    if spec is None:  # pragma: no cover - the access layer found the workspace
        raise NotFoundError(f"Workspace '{access.workspace.slug}' not found.")
    plain: dict[str, Any] = to_plain(spec)
    return plain


@router.post("/workspaces/{slug}/spec/plan", response_model=PlanOut)
def plan_spec(access: WorkspaceDep, session: DbSession, body: dict[str, Any] = SPEC_BODY) -> PlanOut:
    """What applying this spec would change (a dry run: nothing is written)."""
    require_admin(access)
    return PlanOut.model_validate(plan_workspace(session, _parse(access, body)).to_dict())


@router.put("/workspaces/{slug}/spec", response_model=PlanOut)
def apply_spec(access: WorkspaceDep, session: DbSession, body: dict[str, Any] = SPEC_BODY) -> PlanOut:
    """Apply the spec; every changed object is written to the audit log under your name."""
    require_admin(access)
    return PlanOut.model_validate(apply_workspace(session, _parse(access, body), access.name).to_dict())

"""Workspaces the actor belongs to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from vigie.accounts.service import memberships_of
from vigie.api.deps import CurrentActor, DbSession, WorkspaceDep

router = APIRouter(tags=["workspaces"])


class WorkspaceOut(BaseModel):
    slug: str
    name: str
    default_language: str
    roles: list[str]
    spec: dict[str, Any] | None = None


@router.get("/workspaces", response_model=list[WorkspaceOut])
def list_workspaces(actor: CurrentActor, session: DbSession) -> list[WorkspaceOut]:
    return [
        WorkspaceOut(slug=ws.slug, name=ws.name, default_language=ws.default_language, roles=list(m.roles))
        for m, ws in memberships_of(session, actor.user)
    ]


@router.get("/workspaces/{slug}", response_model=WorkspaceOut)
def get_workspace(access: WorkspaceDep) -> WorkspaceOut:
    ws = access.workspace
    return WorkspaceOut(
        slug=ws.slug,
        name=ws.name,
        default_language=ws.default_language,
        roles=sorted(access.roles),
        spec=ws.spec,
    )

"""Administration: team, roles and mandates, charter, escalation, playbooks — each a YAML object shown,
edited and applied through plan/apply_workspace, so every change is validated and audited. Admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from vigie.accounts.access import WorkspaceAccess, require_admin
from vigie.api.deps import DbSession
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.web.common import render_page
from vigie.web.deps import PageWorkspace
from vigie.workspace.actions import apply_workspace
from vigie.workspace.export import render_workspace
from vigie.workspace.loader import InvalidWorkspaceError, load_workspace_texts
from vigie.workspace.service import WorkspacePlan, plan_workspace, workspace_spec

router = APIRouter(include_in_schema=False)


def _texts(session: DbSession, access: WorkspaceAccess) -> dict[str, str]:
    spec = workspace_spec(session, access.workspace.slug)
    if spec is None:  # pragma: no cover - the row exists
        raise NotFoundError(f"workspace '{access.workspace.slug}' has no specification")
    return render_workspace(spec)


def _page(
    request: Request,
    access: WorkspaceAccess,
    texts: dict[str, str],
    name: str,
    *,
    text: str | None = None,
    plan: WorkspacePlan | None = None,
    applied: bool = False,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_page(
        request,
        access,
        "admin.html",
        files=sorted(texts),
        name=name,
        text=texts.get(name, "") if text is None else text,
        plan=plan,
        applied=applied,
        errors=errors or [],
        status_code=status_code,
    )


@router.get("/w/{slug}/admin")
def admin_page(
    request: Request, access: PageWorkspace, session: DbSession, file: str = "team.yaml"
) -> Response:
    require_admin(access)
    texts = _texts(session, access)
    if file not in texts:
        file = "team.yaml" if "team.yaml" in texts else sorted(texts)[0]
    return _page(request, access, texts, file)


@router.post("/w/{slug}/admin")
def admin_submit(
    request: Request,
    access: PageWorkspace,
    session: DbSession,
    file: Annotated[str, Form(max_length=200)],
    text: Annotated[str, Form(max_length=500_000)],
    action: Annotated[str, Form(pattern="^(plan|apply)$")] = "plan",
) -> Response:
    require_admin(access)
    texts = _texts(session, access)
    if file not in texts and not (
        file.startswith("playbooks/") and file.endswith(".yaml") and ".." not in file
    ):
        raise ValidationFailedError(f"unknown workspace file '{file}'")
    edited = {**texts, file: text.replace("\r\n", "\n")}
    try:
        spec = load_workspace_texts(edited, source=f"web:{file}")
    except InvalidWorkspaceError as error:
        return _page(
            request, access, texts, file, text=text, errors=[str(i) for i in error.issues], status_code=422
        )
    if spec.slug != access.workspace.slug:
        return _page(
            request,
            access,
            texts,
            file,
            text=text,
            errors=["the workspace slug cannot change here"],
            status_code=422,
        )
    if action == "apply":
        plan = apply_workspace(session, spec, access.name)
        return _page(request, access, render_workspace(spec), file, plan=plan, applied=True)
    return _page(request, access, texts, file, text=text, plan=plan_workspace(session, spec))

"""Applying a workspace spec: write the rows and one audit entry per changed object, in the caller's
transaction."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.chain import canonical_json
from vigie.audit.service import append_audit
from vigie.core.errors import ConflictError
from vigie.crisis.models import EscalationPolicy
from vigie.governance.models import CharterRule, Mandate
from vigie.playbooks.models import Playbook
from vigie.storage.base import Base
from vigie.workspace.models import Channel, Role, TeamMember, Workspace
from vigie.workspace.schemas import WorkspaceSpec, to_plain
from vigie.workspace.service import (
    CHARTER_SPEC_KEY,
    ESCALATION_SPEC_KEY,
    ChangeKind,
    ObjectChange,
    ObjectType,
    WorkspacePlan,
    WorkspaceRows,
    load_rows,
    plan_rows,
    workspace_row_spec,
)

AUDIT_SOURCE = "workspace.apply"


def spec_digest(spec: WorkspaceSpec) -> str:
    """SHA-256 of the spec's canonical JSON: ties an audit entry to the exact files applied."""
    return hashlib.sha256(canonical_json(to_plain(spec)).encode("utf-8")).hexdigest()


def _localized_name(names: dict[str, str], language: str) -> str:
    return names.get(language) or next(iter(names.values()))


def _set_row(object_type: ObjectType, row: Base, key: str, data: dict[str, Any], spec: WorkspaceSpec) -> None:
    """Write the columns derived from ``data`` (the object's spec JSON) onto ``row``."""
    language = spec.workspace.default_language
    if isinstance(row, Channel):
        row.name, row.kind, row.max_length = key, data["kind"], data.get("max_length")
    elif isinstance(row, Role):
        row.key, row.name = key, _localized_name(data["name"], language)[:200]
    elif isinstance(row, Mandate):
        row.role_key = key
    elif isinstance(row, TeamMember):
        row.key, row.name, row.email = key, data["name"], data.get("email")
        row.roles, row.languages, row.topics = (
            list(data["roles"]),
            list(data["languages"]),
            list(data["topics"]),
        )
    elif isinstance(row, CharterRule):
        row.key, row.category, row.severity = key, data["category"], data["severity"]
    elif isinstance(row, EscalationPolicy):
        row.key = key
    elif isinstance(row, Playbook):
        row.key, row.name = key, _localized_name(data["name"], language)[:200]
    else:  # pragma: no cover - the object types are closed
        raise TypeError(f"unexpected row {row!r} for {object_type}")
    row.spec = data


_ROW_CLASSES: dict[ObjectType, type[Base]] = {
    ObjectType.CHANNEL: Channel,
    ObjectType.ROLE: Role,
    ObjectType.MANDATE: Mandate,
    ObjectType.MEMBER: TeamMember,
    ObjectType.CHARTER_RULE: CharterRule,
    ObjectType.ESCALATION_POLICY: EscalationPolicy,
    ObjectType.PLAYBOOK: Playbook,
}
_WORKSPACE_LEVEL = {ObjectType.WORKSPACE, ObjectType.CHARTER, ObjectType.ESCALATION}


def _audit_payload(change: ObjectChange, digest: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"source": AUDIT_SOURCE, "spec_sha256": digest}
    if change.kind is ChangeKind.UPDATE:
        payload["changes"] = [f.to_dict() for f in change.fields]
    elif change.kind is ChangeKind.CREATE:
        payload["spec"] = change.new
    else:
        payload["spec"] = change.old
    return payload


def _write_workspace_row(session: Session, rows: WorkspaceRows, spec: WorkspaceSpec) -> Workspace:
    charter = to_plain(spec.charter)
    charter.pop("rules")
    escalation = to_plain(spec.escalation)
    escalation.pop("policies")
    full = {**workspace_row_spec(spec), CHARTER_SPEC_KEY: charter, ESCALATION_SPEC_KEY: escalation}
    workspace = rows.workspace
    if workspace is None:
        workspace = Workspace(slug=spec.slug)
        session.add(workspace)
    workspace.name = spec.workspace.name
    workspace.default_language = spec.workspace.default_language
    workspace.spec = full
    session.flush()
    return workspace


def apply_workspace(
    session: Session, spec: WorkspaceSpec, actor: str, *, plan: WorkspacePlan | None = None
) -> WorkspacePlan:
    """Bring the database to ``spec`` and audit every changed object. Returns the plan applied.

    The workspace row is locked first (``FOR UPDATE`` on PostgreSQL) and the plan computed under the
    lock, so two concurrent applies cannot interleave. When ``plan`` (a plan shown earlier) is given
    and no longer matches, ``ConflictError`` is raised. Raises ``ConflictError`` (and writes nothing)
    when the plan has blockers. The caller commits.
    """
    if not actor.strip():
        raise ConflictError("apply needs an actor: pass --actor NAME or set $USER")
    session.execute(select(Workspace.id).where(Workspace.slug == spec.slug).with_for_update())
    rows = load_rows(session, spec.slug)
    fresh = plan_rows(session, spec, rows)
    if plan is not None and plan.to_dict() != fresh.to_dict():
        raise ConflictError(
            f"workspace '{spec.slug}' changed since the plan was made; look at the new plan and apply again"
        )
    plan = fresh
    if plan.blockers:
        raise ConflictError(
            "The workspace cannot be applied: " + "; ".join(plan.blockers), blockers=list(plan.blockers)
        )
    if plan.is_empty:
        return plan
    digest = spec_digest(spec)
    workspace = rows.workspace
    if workspace is None or any(c.object_type in _WORKSPACE_LEVEL for c in plan.changes):
        workspace = _write_workspace_row(session, rows, spec)
    for change in plan.changes:
        if change.object_type in _WORKSPACE_LEVEL:
            continue
        existing = rows.row(change.object_type, change.key)
        if change.kind is ChangeKind.DELETE:
            if existing is not None:
                session.delete(existing)
            continue
        assert change.new is not None
        if existing is None:
            existing = _ROW_CLASSES[change.object_type](workspace_id=workspace.id)
            session.add(existing)
        _set_row(change.object_type, existing, change.key, change.new, spec)
    session.flush()
    for change in plan.changes:
        append_audit(
            session,
            workspace=workspace,
            actor=actor,
            action=f"{change.object_type.value}.{change.kind.value}",
            object_type=change.object_type.value,
            object_key=change.key,
            payload=_audit_payload(change, digest),
        )
    return plan

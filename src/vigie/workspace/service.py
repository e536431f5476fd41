"""The workspace in the database: its objects' state, the plan from a spec, and the spec back from rows.

Each governance object is compared through its validated spec JSON (the columns are derived from it),
so a plan is the difference between two sets of ``(object type, key) -> spec`` and nothing else.
Callers own the transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigie.core.clock import local_date
from vigie.core.errors import ValidationFailedError
from vigie.crisis.models import EscalationPolicy
from vigie.governance.models import CharterRule, Mandate
from vigie.playbooks.models import Playbook
from vigie.storage.base import Base
from vigie.workspace.models import Channel, Role, TeamMember, Workspace
from vigie.workspace.schemas import WorkspaceSpec, to_plain

# Keys of ``Workspace.spec`` that hold the file-level parts of charter.yaml and escalation.yaml
# (workspace.yaml has no such fields, so they cannot collide).
CHARTER_SPEC_KEY = "charter"
ESCALATION_SPEC_KEY = "escalation"


def workspace_day(workspace: Workspace, moment: datetime | None = None) -> date:
    """The day at ``moment`` (default: now) in the workspace's time zone (``workspace.yaml``)."""
    return local_date(str((workspace.spec or {}).get("timezone") or "UTC"), moment)


class ObjectType(StrEnum):
    WORKSPACE = "workspace"
    CHARTER = "charter"
    ESCALATION = "escalation"
    CHANNEL = "channel"
    ROLE = "role"
    MANDATE = "mandate"
    MEMBER = "member"
    CHARTER_RULE = "charter_rule"
    ESCALATION_POLICY = "escalation_policy"
    PLAYBOOK = "playbook"


OBJECT_ORDER = list(ObjectType)


class ChangeKind(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


ObjectId = tuple[ObjectType, str]
State = dict[ObjectId, dict[str, Any]]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ObjectChange:
    kind: ChangeKind
    object_type: ObjectType
    key: str
    fields: list[FieldChange] = field(default_factory=list)
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.kind.value,
            "object_type": self.object_type.value,
            "key": self.key,
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass
class WorkspacePlan:
    slug: str
    changes: list[ObjectChange]
    # Reasons the plan cannot be applied (e.g. deleting a channel that still has messages).
    blockers: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        out = {kind.value: 0 for kind in ChangeKind}
        for change in self.changes:
            out[change.kind.value] += 1
        return out

    def find(self, object_type: ObjectType, key: str) -> ObjectChange | None:
        for change in self.changes:
            if change.object_type == object_type and change.key == key:
                return change
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.slug,
            "no_change": self.is_empty,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "blockers": list(self.blockers),
        }


# --- state ---------------------------------------------------------------------------------------


def workspace_row_spec(spec: WorkspaceSpec) -> dict[str, Any]:
    """workspace.yaml as kept in ``Workspace.spec``: channels are left out (they are ``Channel`` rows)."""
    data: dict[str, Any] = to_plain(spec.workspace)
    data.pop("channels")
    return data


def desired_state(spec: WorkspaceSpec) -> State:
    """Every object of the spec as ``(type, key) -> spec JSON``."""
    state: State = {}
    state[(ObjectType.WORKSPACE, spec.slug)] = workspace_row_spec(spec)
    charter = to_plain(spec.charter)
    charter.pop("rules")
    state[(ObjectType.CHARTER, "charter")] = charter
    escalation = to_plain(spec.escalation)
    escalation.pop("policies")
    state[(ObjectType.ESCALATION, "escalation")] = escalation
    for channel in spec.workspace.channels:
        state[(ObjectType.CHANNEL, channel.name)] = to_plain(channel)
    for key, role in spec.mandates.roles.items():
        state[(ObjectType.ROLE, key)] = {"name": dict(role.name), "description": role.description}
        state[(ObjectType.MANDATE, key)] = to_plain(role)
    for member in spec.team.members:
        state[(ObjectType.MEMBER, member.key)] = to_plain(member)
    for rule in spec.charter.rules:
        state[(ObjectType.CHARTER_RULE, rule.rule_key)] = to_plain(rule)
    for policy in spec.escalation.policies:
        state[(ObjectType.ESCALATION_POLICY, policy.key)] = to_plain(policy)
    for playbook in spec.playbooks:
        state[(ObjectType.PLAYBOOK, playbook.key)] = to_plain(playbook)
    return state


@dataclass
class WorkspaceRows:
    """The rows of one workspace, in creation order."""

    workspace: Workspace | None
    channels: list[Channel] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    members: list[TeamMember] = field(default_factory=list)
    rules: list[CharterRule] = field(default_factory=list)
    policies: list[EscalationPolicy] = field(default_factory=list)
    playbooks: list[Playbook] = field(default_factory=list)
    _index: dict[tuple[ObjectType, str], Base] | None = field(default=None, repr=False)

    def row(self, object_type: ObjectType, key: str) -> Base | None:
        if self._index is None:
            self._index = {(kind, row_key): row for kind, row_key, row in self.iter_rows()}
        return self._index.get((object_type, key))

    def iter_rows(self) -> Iterator[tuple[ObjectType, str, Base]]:
        for channel in self.channels:
            yield ObjectType.CHANNEL, channel.name, channel
        for role in self.roles:
            yield ObjectType.ROLE, role.key, role
        for mandate in self.mandates:
            yield ObjectType.MANDATE, mandate.role_key, mandate
        for member in self.members:
            yield ObjectType.MEMBER, member.key, member
        for rule in self.rules:
            yield ObjectType.CHARTER_RULE, rule.key, rule
        for policy in self.policies:
            yield ObjectType.ESCALATION_POLICY, policy.key, policy
        for playbook in self.playbooks:
            yield ObjectType.PLAYBOOK, playbook.key, playbook


def load_rows(session: Session, slug: str) -> WorkspaceRows:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        return WorkspaceRows(workspace=None)
    wid = workspace.id
    return WorkspaceRows(
        workspace=workspace,
        channels=list(
            session.scalars(select(Channel).where(Channel.workspace_id == wid).order_by(Channel.id))
        ),
        roles=list(session.scalars(select(Role).where(Role.workspace_id == wid).order_by(Role.id))),
        mandates=list(
            session.scalars(select(Mandate).where(Mandate.workspace_id == wid).order_by(Mandate.id))
        ),
        members=list(
            session.scalars(select(TeamMember).where(TeamMember.workspace_id == wid).order_by(TeamMember.id))
        ),
        rules=list(
            session.scalars(
                select(CharterRule).where(CharterRule.workspace_id == wid).order_by(CharterRule.id)
            )
        ),
        policies=list(
            session.scalars(
                select(EscalationPolicy)
                .where(EscalationPolicy.workspace_id == wid)
                .order_by(EscalationPolicy.id)
            )
        ),
        playbooks=list(
            session.scalars(select(Playbook).where(Playbook.workspace_id == wid).order_by(Playbook.key))
        ),
    )


def current_state(rows: WorkspaceRows) -> State:
    """What the database holds, in the same shape as ``desired_state``."""
    state: State = {}
    workspace = rows.workspace
    if workspace is None:
        return state
    spec = dict(workspace.spec or {})
    charter = spec.pop(CHARTER_SPEC_KEY, None)
    escalation = spec.pop(ESCALATION_SPEC_KEY, None)
    state[(ObjectType.WORKSPACE, workspace.slug)] = spec
    if charter is not None:
        state[(ObjectType.CHARTER, "charter")] = charter
    if escalation is not None:
        state[(ObjectType.ESCALATION, "escalation")] = escalation
    for object_type, key, row in rows.iter_rows():
        state[(object_type, key)] = dict(getattr(row, "spec", None) or {})
    return state


# --- plan ----------------------------------------------------------------------------------------


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key in value:
            _flatten(value[key], f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}[{index}]", out)
    else:
        out[prefix] = value


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Leaf-level differences between two spec dicts (lists of scalars compare as one value)."""
    flat_old: dict[str, Any] = {}
    flat_new: dict[str, Any] = {}
    _flatten(old, "", flat_old)
    _flatten(new, "", flat_new)
    changes: list[FieldChange] = []
    for name in sorted(set(flat_old) | set(flat_new)):
        before = flat_old.get(name)
        after = flat_new.get(name)
        if before != after:
            changes.append(FieldChange(name, before, after))
    return changes


def diff_states(slug: str, current: State, desired: State) -> WorkspacePlan:
    """Changes grouped by object type, in the files' order (deletions last within a type), so that rows
    are created in the order their files list them."""
    position = {object_id: index for index, object_id in enumerate(desired)}

    def order(object_id: ObjectId) -> tuple[int, int, str]:
        return OBJECT_ORDER.index(object_id[0]), position.get(object_id, len(position)), object_id[1]

    changes: list[ObjectChange] = []
    for object_id in sorted(set(current) | set(desired), key=order):
        object_type, key = object_id
        old = current.get(object_id)
        new = desired.get(object_id)
        if old is None and new is not None:
            changes.append(
                ObjectChange(ChangeKind.CREATE, object_type, key, field_changes({}, new), None, new)
            )
        elif new is None and old is not None:
            changes.append(ObjectChange(ChangeKind.DELETE, object_type, key, [], old, None))
        elif old is not None and new is not None and old != new:
            changes.append(
                ObjectChange(ChangeKind.UPDATE, object_type, key, field_changes(old, new), old, new)
            )
    return WorkspacePlan(slug=slug, changes=changes)


def _references(session: Session, row: Base) -> list[str]:
    """Rows of other tables that still point at ``row`` and would be lost or broken by deleting it."""
    table = row.__table__
    row_id: int = row.id  # type: ignore[attr-defined]
    found: list[str] = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table or fk.ondelete == "SET NULL":
                continue
            count: int = session.execute(
                select(func.count()).select_from(other).where(fk.parent == row_id)
            ).scalar_one()
            if count:
                found.append(f"{count} row(s) of {other.name}")
    return found


def plan_workspace(session: Session, spec: WorkspaceSpec) -> WorkspacePlan:
    """What applying ``spec`` would create, update and delete; nothing is written."""
    return plan_rows(session, spec, load_rows(session, spec.slug))


def plan_rows(session: Session, spec: WorkspaceSpec, rows: WorkspaceRows) -> WorkspacePlan:
    """``plan_workspace`` on rows the caller has already loaded (``load_rows``), to write them next."""
    plan = diff_states(spec.slug, current_state(rows), desired_state(spec))
    for change in plan.changes:
        if change.kind is not ChangeKind.DELETE or change.object_type not in {
            ObjectType.CHANNEL,
            ObjectType.MEMBER,
        }:
            continue
        row = rows.row(change.object_type, change.key)
        if row is None:
            continue
        refs = _references(session, row)
        if refs:
            plan.blockers.append(
                f"cannot delete {change.object_type.value} {change.key!r}: still used by {', '.join(refs)}; "
                f"keep it in the workspace files"
            )
    return plan


# --- back to a spec ------------------------------------------------------------------------------


def spec_from_rows(rows: WorkspaceRows) -> WorkspaceSpec:
    """Rebuild the validated spec from the rows (what ``export`` writes)."""
    workspace = rows.workspace
    if workspace is None:
        raise ValueError("no workspace rows")
    spec = dict(workspace.spec or {})
    charter = dict(spec.pop(CHARTER_SPEC_KEY, None) or {})
    escalation = dict(spec.pop(ESCALATION_SPEC_KEY, None) or {})
    charter["rules"] = [dict(rule.spec) for rule in rows.rules]
    escalation["policies"] = [dict(policy.spec) for policy in rows.policies]
    spec["channels"] = [dict(channel.spec) for channel in rows.channels]
    try:
        return _validate_rows(spec, charter, escalation, rows)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()[:10]
        )
        raise ValidationFailedError(
            f"workspace '{workspace.slug}' in the database does not match the workspace schema ({problems}); "
            "apply its workspace folder again to repair it",
            slug=workspace.slug,
        ) from None


def _validate_rows(
    spec: dict[str, Any], charter: dict[str, Any], escalation: dict[str, Any], rows: WorkspaceRows
) -> WorkspaceSpec:
    return WorkspaceSpec.model_validate(
        {
            "workspace": spec,
            "team": {"members": [dict(member.spec) for member in rows.members]},
            "mandates": {"roles": {mandate.role_key: dict(mandate.spec) for mandate in rows.mandates}},
            "charter": charter,
            "escalation": escalation,
            "playbooks": [dict(playbook.spec) for playbook in rows.playbooks],
        }
    )


def workspace_spec(session: Session, slug: str) -> WorkspaceSpec | None:
    """The applied spec of workspace ``slug``, or None when it does not exist."""
    rows = load_rows(session, slug)
    return None if rows.workspace is None else spec_from_rows(rows)

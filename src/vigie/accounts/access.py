"""The one access layer: who is acting, and which workspaces and roles they may act in.

Every API endpoint and web page goes through ``access_workspace`` (workspace scoping: a workspace the
actor is not a member of does not exist for them, hence 404) and ``require_roles`` (403).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.accounts.models import Membership, User
from vigie.core.errors import NotFoundError, PermissionDeniedError
from vigie.workspace.models import TeamMember, Workspace

# Roles that may administer a workspace (team, mandates, charter, escalation, playbooks).
ADMIN_ROLES = frozenset({"community-lead", "admin"})


@dataclass(frozen=True)
class Actor:
    user: User
    via_token: bool = False
    csrf_token: str | None = None


@dataclass(frozen=True)
class WorkspaceAccess:
    actor: Actor
    workspace: Workspace
    membership: Membership
    member: TeamMember | None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        """How the actor appears in the audit log and as a writer: their team member key when linked."""
        return self.member.key if self.member is not None else self.actor.user.email

    @property
    def is_admin(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)


def access_workspace(session: Session, actor: Actor, slug: str) -> WorkspaceAccess:
    row = session.execute(
        select(Workspace, Membership)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Workspace.slug == slug)
        .where(Membership.user_id == actor.user.id)
    ).first()
    if row is None:
        raise NotFoundError(f"Workspace '{slug}' not found.")
    workspace, membership = row[0], row[1]
    member = session.get(TeamMember, membership.member_id) if membership.member_id is not None else None
    roles = set(membership.roles)
    if member is not None:
        roles |= set(member.roles)
    return WorkspaceAccess(
        actor=actor, workspace=workspace, membership=membership, member=member, roles=frozenset(roles)
    )


def require_roles(access: WorkspaceAccess, allowed: frozenset[str] | set[str]) -> None:
    if not access.roles & set(allowed):
        raise PermissionDeniedError(
            f"This needs one of the roles {', '.join(sorted(allowed))}; you have "
            f"{', '.join(sorted(access.roles)) or 'none'}."
        )


def require_admin(access: WorkspaceAccess) -> None:
    require_roles(access, ADMIN_ROLES)


def writer_key(access: WorkspaceAccess) -> str:
    """The team member the actor writes as; texts need one (mandates belong to team members)."""
    if access.member is None:
        raise PermissionDeniedError(
            "Your account is not linked to a team member of this workspace, so you have no mandate to "
            "write; ask an admin to link it (vigie user create … --member KEY)."
        )
    return access.member.key

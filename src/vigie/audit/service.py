"""Writing to and reading the audit log. Callers own the transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.chain import (
    GENESIS_HASH,
    ChainLink,
    ChainProblem,
    canonical_json,
    entry_hash,
    verify_chain,
)
from vigie.audit.models import AuditEntry
from vigie.core.clock import utcnow
from vigie.workspace.models import Workspace


def append_audit(
    session: Session,
    *,
    workspace: Workspace,
    actor: str,
    action: str,
    object_type: str,
    object_key: str,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry at the end of the workspace's chain, in the caller's transaction.

    The workspace row is locked (``FOR UPDATE`` on PostgreSQL) so that two writers cannot take the
    same position in the chain.
    """
    session.execute(select(Workspace.id).where(Workspace.id == workspace.id).with_for_update())
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash)
        .where(AuditEntry.workspace_id == workspace.id)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    seq = 1 if last is None else last.seq + 1
    prev_hash = GENESIS_HASH if last is None else last.hash
    # Round-trip through JSON so that what is hashed is exactly what the database gives back.
    clean_payload: dict[str, Any] = json.loads(canonical_json(payload or {}))
    created_at = utcnow()
    entry = AuditEntry(
        workspace_id=workspace.id,
        seq=seq,
        created_at=created_at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_key=object_key,
        payload=clean_payload,
        prev_hash=prev_hash,
        hash=entry_hash(
            workspace_slug=workspace.slug,
            seq=seq,
            created_at=created_at,
            actor=actor,
            action=action,
            object_type=object_type,
            object_key=object_key,
            payload=clean_payload,
            prev_hash=prev_hash,
        ),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_bad_entry": None if self.problem is None else self.problem.seq,
            "reason": None if self.problem is None else self.problem.reason,
        }


def verify_workspace_audit(session: Session, workspace: Workspace) -> VerifyResult:
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.workspace_id == workspace.id)
        .order_by(AuditEntry.seq, AuditEntry.id)
    ).all()
    links = [
        ChainLink(
            seq=row.seq,
            created_at=row.created_at,
            actor=row.actor,
            action=row.action,
            object_type=row.object_type,
            object_key=row.object_key,
            payload=row.payload,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
        for row in rows
    ]
    return VerifyResult(entries=len(links), problem=verify_chain(workspace.slug, links))


def list_audit(
    session: Session, workspace: Workspace, *, limit: int = 100, offset: int = 0
) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.workspace_id == workspace.id)
            .order_by(AuditEntry.seq.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def audit_entry_to_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_key": entry.object_key,
        "payload": entry.payload,
        "hash": entry.hash,
    }

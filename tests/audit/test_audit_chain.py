from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from vigie.audit.models import AuditEntry
from vigie.audit.service import append_audit, verify_workspace_audit
from vigie.workspace.models import Workspace


def _workspace_with_entries(factory: sessionmaker[Session], count: int) -> None:
    with factory.begin() as session:
        workspace = Workspace(slug="acme", name="Acme")
        session.add(workspace)
        session.flush()
        for index in range(count):
            append_audit(
                session,
                workspace=workspace,
                actor="alice",
                action="mandate.update",
                object_type="mandate",
                object_key=f"role-{index}",
                payload={"limit": {"EUR": index * 10}, "note": "éàü"},
            )


def _verify(factory: sessionmaker[Session]) -> tuple[bool, int | None]:
    with factory() as session:
        workspace = session.scalars(select(Workspace)).one()
        result = verify_workspace_audit(session, workspace)
        return result.ok, None if result.problem is None else result.problem.seq


def test_intact_chain_verifies(session_factory: sessionmaker[Session]) -> None:
    _workspace_with_entries(session_factory, 5)
    assert _verify(session_factory) == (True, None)


def test_edited_entry_is_named(session_factory: sessionmaker[Session]) -> None:
    _workspace_with_entries(session_factory, 5)
    with session_factory.begin() as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="mallory"))
    assert _verify(session_factory) == (False, 3)


def test_edited_payload_is_named(session_factory: sessionmaker[Session]) -> None:
    _workspace_with_entries(session_factory, 4)
    with session_factory.begin() as session:
        session.execute(
            update(AuditEntry).where(AuditEntry.seq == 2).values(payload={"limit": {"EUR": 9999}})
        )
    assert _verify(session_factory) == (False, 2)


def test_removed_entry_is_detected(session_factory: sessionmaker[Session]) -> None:
    _workspace_with_entries(session_factory, 5)
    with session_factory.begin() as session:
        session.execute(delete(AuditEntry).where(AuditEntry.seq == 4))
    assert _verify(session_factory) == (False, 5)


def test_reordered_entries_are_detected(
    session_factory: sessionmaker[Session],
) -> None:
    _workspace_with_entries(session_factory, 4)
    with session_factory.begin() as session:
        # Swap the positions of entries 2 and 3.
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(seq=-2))
        session.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(seq=2))
        session.execute(update(AuditEntry).where(AuditEntry.seq == -2).values(seq=3))
    assert _verify(session_factory) == (False, 2)

"""Plan, apply and export against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.workspace.conftest import edit
from vigie.audit.models import AuditEntry
from vigie.audit.service import verify_workspace_audit
from vigie.cases.models import Case
from vigie.core.errors import ConflictError, ValidationFailedError
from vigie.crisis.models import EscalationPolicy
from vigie.governance.models import CharterRule, Mandate
from vigie.ingest.models import Message
from vigie.playbooks.models import Playbook
from vigie.storage.db import transaction
from vigie.workspace.actions import apply_workspace
from vigie.workspace.export import write_workspace_dir
from vigie.workspace.loader import InvalidWorkspaceError, example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Channel, Role, TeamMember, Workspace
from vigie.workspace.service import ChangeKind, ObjectType, plan_workspace, workspace_spec


def _apply(factory: sessionmaker[Session], folder: Path, actor: str = "nadia") -> dict[str, int]:
    spec = load_workspace_dir(folder)
    with transaction(factory) as session:
        return apply_workspace(session, spec, actor).counts()


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_first_apply_creates_everything_and_audits_each_object(
    session_factory: sessionmaker[Session],
) -> None:
    spec = load_workspace_dir(example_workspace_dir())
    with transaction(session_factory) as session:
        plan = apply_workspace(session, spec, "nadia")
    expected = (
        3  # workspace, charter settings, escalation settings
        + len(spec.workspace.channels)
        + 2 * len(spec.mandates.roles)  # role + mandate
        + len(spec.team.members)
        + len(spec.charter.rules)
        + len(spec.escalation.policies)
        + len(spec.playbooks)
    )
    assert plan.counts() == {"create": expected, "update": 0, "delete": 0}
    with session_factory() as session:
        workspace = session.scalars(select(Workspace)).one()
        assert (workspace.slug, workspace.name, workspace.default_language) == ("colibri", "Colibri", "fr")
        assert workspace.spec["timezone"] == "Europe/Paris"
        assert workspace.spec["escalation"]["cooldown_minutes"] == 30
        assert "Amazon" in workspace.spec["charter"]["competitors"]
        assert _count(session, Channel) == 5
        assert _count(session, Role) == 6 and _count(session, Mandate) == 6
        assert _count(session, TeamMember) == 8
        assert _count(session, CharterRule) == len(spec.charter.rules)
        assert _count(session, EscalationPolicy) == 2
        assert _count(session, Playbook) == len(spec.playbooks)
        x = session.scalars(select(Channel).where(Channel.name == "x")).one()
        assert (x.kind, x.max_length) == ("x", 280)
        ines = session.scalars(select(TeamMember).where(TeamMember.key == "ines")).one()
        assert ines.roles == ["expert"] and ines.topics == ["app_bug", "payment"]
        assert ines.spec["expertise"] == {"app_bug": 5, "payment": 5}
        junior = session.scalars(select(Mandate).where(Mandate.role_key == "junior-cm")).one()
        assert junior.spec["commitments"]["refund"] == {"allowed": True, "max_amount": 50, "currency": "EUR"}
        role = session.scalars(select(Role).where(Role.key == "spokesperson")).one()
        assert role.name == "Porte-parole"
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert len(entries) == expected
        assert {e.actor for e in entries} == {"nadia"}
        assert entries[0].action == "workspace.create"
        member_entry = next(e for e in entries if e.object_type == "member" and e.object_key == "ines")
        assert member_entry.action == "member.create"
        assert member_entry.payload["spec"]["expertise"]["payment"] == 5
        assert len(member_entry.payload["spec_sha256"]) == 64
        assert verify_workspace_audit(session, workspace).ok


def test_second_apply_and_export_apply_change_nothing(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _apply(session_factory, example_workspace_dir())
    assert _apply(session_factory, example_workspace_dir()) == {"create": 0, "update": 0, "delete": 0}
    with session_factory() as session:
        spec = workspace_spec(session, "colibri")
    assert spec is not None
    write_workspace_dir(spec, tmp_path / "exported")
    exported = load_workspace_dir(tmp_path / "exported")
    assert exported == load_workspace_dir(example_workspace_dir())
    with session_factory() as session:
        plan = plan_workspace(session, exported)
        entries = _count(session, AuditEntry)
    assert plan.is_empty, plan.to_dict()
    assert _apply(session_factory, tmp_path / "exported") == {"create": 0, "update": 0, "delete": 0}
    with session_factory() as session:
        assert _count(session, AuditEntry) == entries  # no change, no audit entry
    # Export is deterministic: exporting again writes the same bytes.
    write_workspace_dir(spec, tmp_path / "again")
    for path in (tmp_path / "exported").rglob("*.yaml"):
        assert (
            path.read_bytes() == (tmp_path / "again" / path.relative_to(tmp_path / "exported")).read_bytes()
        )


def test_edit_is_an_update_with_field_changes(session_factory: sessionmaker[Session], folder: Path) -> None:
    _apply(session_factory, folder)
    edit(
        folder / "mandates.yaml",
        "refund: {allowed: true, max_amount: 50, currency: EUR}",
        "refund: {allowed: true, max_amount: 80, currency: EUR}",
    )
    edit(folder / "team.yaml", "max_open_cases: 8", "max_open_cases: 12")
    spec = load_workspace_dir(folder)
    with session_factory() as session:
        plan = plan_workspace(session, spec)
    assert plan.counts() == {"create": 0, "update": 2, "delete": 0}
    mandate = plan.find(ObjectType.MANDATE, "junior-cm")
    assert mandate is not None and mandate.kind is ChangeKind.UPDATE
    assert [(f.field, f.old, f.new) for f in mandate.fields] == [("commitments.refund.max_amount", 50, 80)]
    member = plan.find(ObjectType.MEMBER, "marc")
    assert member is not None
    assert [(f.field, f.old, f.new) for f in member.fields] == [("max_open_cases", 8, 12)]
    with transaction(session_factory) as session:
        apply_workspace(session, spec, "sarah")
    with session_factory() as session:
        row = session.scalars(select(Mandate).where(Mandate.role_key == "junior-cm")).one()
        assert row.spec["commitments"]["refund"]["max_amount"] == 80
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None and last.actor == "sarah"
        updates = session.scalars(select(AuditEntry).where(AuditEntry.action == "mandate.update")).all()
        assert [u.payload["changes"] for u in updates] == [
            [{"field": "commitments.refund.max_amount", "old": 50, "new": 80}]
        ]
        assert verify_workspace_audit(session, session.scalars(select(Workspace)).one()).ok


def test_removed_playbook_is_a_delete(session_factory: sessionmaker[Session], folder: Path) -> None:
    _apply(session_factory, folder)
    (folder / "playbooks" / "troll.yaml").unlink()
    assert _apply(session_factory, folder) == {"create": 0, "update": 0, "delete": 1}
    with session_factory() as session:
        assert session.scalar(select(Playbook).where(Playbook.key == "troll")) is None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "playbook.delete")).one()
        assert entry.object_key == "troll" and entry.payload["spec"]["key"] == "troll"


def test_invalid_workspace_writes_nothing(session_factory: sessionmaker[Session], folder: Path) -> None:
    edit(folder / "team.yaml", "roles: [legal]", "roles: [lawyer]")
    with pytest.raises(InvalidWorkspaceError):
        load_workspace_dir(folder)
    with session_factory() as session:
        assert _count(session, Workspace) == 0 and _count(session, AuditEntry) == 0


def test_channel_with_messages_cannot_be_deleted(
    session_factory: sessionmaker[Session], folder: Path
) -> None:
    _apply(session_factory, folder)
    with transaction(session_factory) as session:
        workspace = session.scalars(select(Workspace)).one()
        forum = session.scalars(select(Channel).where(Channel.name == "forum")).one()
        session.add(
            Message(
                workspace_id=workspace.id,
                channel_id=forum.id,
                external_id="f1",
                text="Bonjour",
                created_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
            )
        )
    text = (folder / "workspace.yaml").read_text()
    (folder / "workspace.yaml").write_text(
        text.replace("  - name: forum\n    kind: forum\n    language: fr\n", "")
    )
    # The mandates name channels too; the expert mandate lists forum.
    edit(folder / "mandates.yaml", "channels: [forum, email, mastodon]", "channels: [email, mastodon]")
    edit(folder / "mandates.yaml", "channels: [email, forum]", "channels: [email]")
    spec = load_workspace_dir(folder)
    with session_factory() as session:
        plan = plan_workspace(session, spec)
    assert plan.find(ObjectType.CHANNEL, "forum") is not None
    assert plan.blockers and "forum" in plan.blockers[0] and "message" in plan.blockers[0]
    with (
        pytest.raises(ConflictError, match="cannot delete channel 'forum'"),
        transaction(session_factory) as session,
    ):
        apply_workspace(session, spec, "nadia")
    with session_factory() as session:
        assert _count(session, Message) == 1
        assert session.scalar(select(Channel).where(Channel.name == "forum")) is not None


def test_member_with_cases_cannot_be_removed(session_factory: sessionmaker[Session], folder: Path) -> None:
    _apply(session_factory, folder)
    with transaction(session_factory) as session:
        workspace = session.scalars(select(Workspace)).one()
        lucas = session.scalars(select(TeamMember).where(TeamMember.key == "lucas")).one()
        session.add(Case(workspace_id=workspace.id, thread_key="t1", assignee_id=lucas.id))
    team = folder / "team.yaml"
    text = team.read_text()
    start = text.index("  - key: lucas\n")
    team.write_text(text[:start] + text[text.index("  - key: sarah\n") :])
    spec = load_workspace_dir(folder)
    with session_factory() as session:
        plan = plan_workspace(session, spec)
    change = plan.find(ObjectType.MEMBER, "lucas")
    assert change is not None and change.kind is ChangeKind.DELETE
    assert plan.blockers == [
        "cannot delete member 'lucas': still used by 1 row(s) of case; keep it in the workspace files"
    ]


def test_corrupted_rows_give_a_clear_error(session_factory: sessionmaker[Session]) -> None:
    _apply(session_factory, example_workspace_dir())
    with transaction(session_factory) as session:
        member = session.scalars(select(TeamMember).where(TeamMember.key == "ines")).one()
        member.spec = {**member.spec, "max_open_cases": "many"}
    with (
        session_factory() as session,
        pytest.raises(ValidationFailedError, match="apply its workspace folder again"),
    ):
        workspace_spec(session, "colibri")


def test_stale_plan_is_refused(session_factory: sessionmaker[Session], folder: Path) -> None:
    _apply(session_factory, folder)
    edit(folder / "team.yaml", "max_open_cases: 8", "max_open_cases: 12")
    spec = load_workspace_dir(folder)
    with session_factory() as session:
        shown = plan_workspace(session, spec)
    assert shown.counts()["update"] == 1
    _apply(session_factory, folder, actor="sarah")  # someone else applied it meanwhile
    with (
        pytest.raises(ConflictError, match="changed since the plan"),
        transaction(session_factory) as session,
    ):
        apply_workspace(session, spec, "nadia", plan=shown)

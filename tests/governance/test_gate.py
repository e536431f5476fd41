"""The gate and approvals on the Colibri example, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.governance.conftest import colibri

from vigie.audit.models import AuditEntry
from vigie.audit.service import verify_workspace_audit
from vigie.core.errors import ConflictError, PermissionDeniedError, ValidationFailedError
from vigie.governance import actions
from vigie.governance.checking import ChannelInfo
from vigie.governance.gate import NewText, OutgoingKind, pass_gate
from vigie.governance.models import ApprovalRequest, Draft, OutboxItem, Publication
from vigie.governance.service import load_governance
from vigie.governance.verdict import Verdict
from vigie.storage.db import transaction

TODAY = date(2026, 11, 18)  # Wednesday: "vendredi" is 2 days ahead, within a junior's 3.
REFUND_80 = "Nous vous remboursons 80 € d'ici vendredi."


def submit(factory: sessionmaker[Session], text: str, author: str = "camille", **kw: Any) -> int:
    with transaction(factory) as session:
        result = actions.submit_text(
            session,
            workspace=colibri(session),
            text=NewText(
                **{"kind": OutgoingKind.REPLY, "author": author, "channel": "x", "text": text, **kw}
            ),
            today=TODAY,
        )
        return result.draft.id


def audit(factory: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with factory() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq))
        )


def count(factory: sessionmaker[Session], model: type[object]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def pending_id(factory: sessionmaker[Session], draft_id: int) -> int:
    with factory() as session:
        return session.scalars(select(ApprovalRequest.id).where(ApprovalRequest.draft_id == draft_id)).one()


def approve(factory: sessionmaker[Session], approval_id: int, approver: str, text: str | None = None) -> None:
    with transaction(factory) as session:
        actions.approve(
            session,
            workspace=colibri(session),
            approval_id=approval_id,
            approver=approver,
            edited_text=text,
            today=TODAY,
        )


def test_junior_refund_goes_to_approval_then_senior_publishes(factory: sessionmaker[Session]) -> None:
    draft_id = submit(factory, REFUND_80)
    with factory() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        assert (draft.status, draft.verdict) == ("pending_approval", "needs_approval")
        assert draft.approvers["members"] == ["hugo", "marc", "nadia", "sarah"]
    assert count(factory, Publication) == 0 and count(factory, OutboxItem) == 0
    decision = audit(factory, "governance.decision")[-1].payload
    assert decision["text"] == REFUND_80 and decision["author"] == "camille"
    assert decision["mandate"]["roles"] == ["junior-cm"]
    refund = next(f for f in decision["findings"] if f["category"] == "commitment.refund")
    assert refund["amount"] == {"value": 80, "unit": "EUR"}

    approve(factory, pending_id(factory, draft_id), "sarah")
    with factory() as session:
        pub = session.scalars(select(Publication)).one()
        assert (pub.text, pub.author, pub.approved_by) == (REFUND_80, "camille", "sarah")
        assert session.scalars(select(OutboxItem.text)).one() == REFUND_80
        published = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "governance.publication")
        ).one()
        assert published.seq == pub.audit_seq
        assert published.payload["approver"] == "sarah" and published.payload["text"] == REFUND_80
        assert published.payload["mandate"]["roles"] == ["senior-cm", "junior-cm"]
        assert verify_workspace_audit(session, colibri(session)).ok


def test_self_approval_and_approver_without_mandate_are_refused(factory: sessionmaker[Session]) -> None:
    approval_id = pending_id(factory, submit(factory, REFUND_80))
    with pytest.raises(PermissionDeniedError, match="cannot approve"):
        approve(factory, approval_id, "camille")
    with pytest.raises(PermissionDeniedError, match="ines's mandate does not cover"):
        approve(factory, approval_id, "ines")
    with pytest.raises(PermissionDeniedError, match="lucas's mandate does not cover"):
        approve(factory, approval_id, "lucas")
    assert count(factory, Publication) == 0
    with factory() as session:
        assert session.get(ApprovalRequest, approval_id).status == "pending"  # type: ignore[union-attr]


def test_edited_approval_is_checked_again(factory: sessionmaker[Session]) -> None:
    approval_id = pending_id(factory, submit(factory, REFUND_80))
    # 250 EUR is beyond sarah's 200 EUR: refused, and she is told who may approve.
    with pytest.raises(PermissionDeniedError, match=r"250 EUR exceeds your limit of 200 EUR.*marc, nadia"):
        approve(factory, approval_id, "sarah", "Nous vous remboursons 250 € d'ici vendredi.")
    # A customer's e-mail address blocks, whoever approves.
    with pytest.raises(ValidationFailedError, match="personal_data.email"):
        approve(factory, approval_id, "marc", "Écrivez à jean.dupont@gmail.com, remboursement de 80 €.")
    edited = "Nous vous remboursons 150 € d'ici vendredi."
    approve(factory, approval_id, "sarah", edited)
    with factory() as session:
        request = session.get(ApprovalRequest, approval_id)
        assert request is not None and request.edited and request.decided_by == "sarah"
        assert session.scalars(select(Publication.text)).one() == edited
        draft = session.get(Draft, request.draft_id)
        assert draft is not None and draft.text == edited and draft.status == "published"
    decision = audit(factory, "governance.decision")[-1].payload
    assert decision["edited"] is True and decision["text"] == edited and decision["approver"] == "sarah"
    with pytest.raises(ConflictError, match="already approved"):
        approve(factory, approval_id, "marc")


def test_within_mandate_publishes_at_once_and_blocked_never_leaves(factory: sessionmaker[Session]) -> None:
    submit(factory, "Merci pour votre message, nous regardons votre commande.")
    assert count(factory, OutboxItem) == 1
    draft_id = submit(factory, "Votre carte 4970 1012 3456 7890 a été débitée, désolé.")
    with factory() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None and draft.status == "blocked"
        assert any(f["category"] == "personal_data.payment" for f in draft.findings)
    assert count(factory, OutboxItem) == 1 and count(factory, ApprovalRequest) == 0
    assert [e.payload["verdict"] for e in audit(factory, "governance.decision")] == ["publish", "blocked"]


def test_reject_needs_a_comment_and_an_approver(factory: sessionmaker[Session]) -> None:
    approval_id = pending_id(factory, submit(factory, REFUND_80))

    def reject(who: str, comment: str) -> None:
        with transaction(factory) as session:
            actions.reject(
                session,
                workspace=colibri(session),
                approval_id=approval_id,
                approver=who,
                comment=comment,
                today=TODAY,
            )

    with pytest.raises(ValidationFailedError, match="needs a comment"):
        reject("sarah", "  ")
    with pytest.raises(PermissionDeniedError, match="not among the approvers"):
        reject("lucas", "non")
    with pytest.raises(PermissionDeniedError, match="cannot decide"):
        reject("camille", "non")
    reject("hugo", "Proposez plutôt un avoir de 20 €.")
    entry = audit(factory, "governance.rejection")[-1]
    assert entry.actor == "hugo" and entry.payload["comment"] == "Proposez plutôt un avoir de 20 €."
    with factory() as session:
        draft = session.get(Draft, int(entry.object_key))
        assert draft is not None and draft.status == "rejected"
    assert count(factory, Publication) == 0


def test_unknown_author_channel_and_kind_are_clear_errors(factory: sessionmaker[Session]) -> None:
    with pytest.raises(ValidationFailedError, match="not a team member"):
        submit(factory, "Bonjour", author="junior-cm")
    with pytest.raises(ValidationFailedError, match="unknown channel 'tiktok'.*known channels: email"):
        with transaction(factory) as session:
            actions.submit_text(
                session,
                workspace=colibri(session),
                text=NewText(kind=OutgoingKind.POST, author="camille", channel="tiktok", text="Bonjour"),
            )
    with pytest.raises(ValidationFailedError, match="unknown kind 'tweet'"):
        submit(factory, "Bonjour", kind="tweet")


def test_jsonl_publisher_writes_only_after_commit(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with factory() as session:
        data = load_governance(session, colibri(session), today=TODAY)
    data = replace(
        data,
        channels={**data.channels, "x": ChannelInfo(name="x", publisher="jsonl", spec={"path": str(path)})},
    )
    text = NewText(
        kind=OutgoingKind.HOLDING_STATEMENT,
        author="marc",
        channel="x",
        text="Nous enquêtons et revenons vers vous.",
    )
    with factory() as session:
        result = pass_gate(session, workspace=colibri(session), data=data, request=text, today=TODAY)
        assert result.verdict is Verdict.PUBLISH
        session.rollback()
    assert not path.exists()
    with transaction(factory) as session:
        pass_gate(session, workspace=colibri(session), data=data, request=text, today=TODAY)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(x["kind"], x["author"], x["text"]) for x in lines] == [
        ("holding_statement", "marc", "Nous enquêtons et revenons vers vous.")
    ]

"""Alerts from stored messages, the escalation ladder, e-mail over real SMTP, webhooks over real HTTP."""

from __future__ import annotations

from datetime import timedelta
from email.message import Message as EmailMessage

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.audit.models import AuditEntry
from vigie.audit.service import verify_workspace_audit
from vigie.core.errors import ConflictError, NotFoundError
from vigie.core.settings import Settings
from vigie.crisis.actions import acknowledge_alert, run_escalations
from vigie.crisis.delivery import Dispatcher, deliver_pending
from vigie.crisis.escalation import AlertMessage, webhook_payload
from vigie.crisis.models import Alert, GradeChange, Notification, Signal
from vigie.crisis.runner import escalation_context, replay_workspace
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace
from vigie.workspace.schemas import WebhookFormat

from .conftest import T0, WebhookReceiver, seed_pile_on


def _ws(session: Session) -> Workspace:
    ws = session.scalar(select(Workspace).where(Workspace.slug == "colibri"))
    assert ws is not None
    return ws


def _alert(session: Session) -> Alert:
    alerts = session.scalars(select(Alert).where(Alert.scope == "delivery")).all()
    assert len(alerts) == 1, [a.title for a in session.scalars(select(Alert))]
    return alerts[0]


@pytest.fixture
def replayed(session_factory: sessionmaker[Session], colibri: str) -> dict[str, int]:
    ids = seed_pile_on(session_factory)
    replay_workspace(session_factory, colibri)
    return ids


def test_pile_on_opens_an_alert_naming_thread_and_drivers(
    session_factory: sessionmaker[Session], replayed: dict[str, int]
) -> None:
    with session_factory() as session:
        pile = session.scalars(select(Signal).where(Signal.kind == "pile_on")).first()
        assert pile is not None
        assert pile.details["thread_root"] == "post-1"
        assert pile.details["thread_root_message_id"] == replayed["post"]
        assert pile.details["first_complainer"]["message_id"] == replayed["first"]
        assert replayed["first"] in pile.message_ids
        alert = _alert(session)
        assert alert.grade in ("alert", "crisis")
        assert "post-1" in alert.title and "@lea_r" in alert.title
        assert alert.data["first_complainer"]["author"] == "lea_r"
        assert replayed["first"] in alert.data["driver_message_ids"]
        change = session.scalars(select(GradeChange).where(GradeChange.scope == "delivery")).first()
        assert change is not None and change.alert_id == alert.id and change.signal_ids
        assert change.trigger_message_id is not None
        # Every grade change and notification is in the audit chain, which stays intact.
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"crisis.grade_changed", "alert.notified"} <= actions
        assert verify_workspace_audit(session, _ws(session)).ok


def test_ladder_email_webhook_ack_and_next_person(
    session_factory: sessionmaker[Session],
    replayed: dict[str, int],
    smtp_server: tuple[Settings, list[EmailMessage]],
    webhook: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, inbox = smtp_server
    env = {"VIGIE_WEBHOOK_TEAM_CHAT_URL": webhook.url, "VIGIE_WEBHOOK_DIRECTION_URL": webhook.url}
    with transaction(session_factory) as session:
        ws = _ws(session)
        alert = _alert(session)
        if alert.grade == "crisis":
            pytest.fail("the seeded pile-on should be an alert, not a crisis")
        every = session.scalars(select(Notification).where(Notification.alert_id == alert.id)).all()
        # The grade went through watch first (the on-duty seniors, in the app), then alert.
        assert {(n.grade, n.step, n.via) for n in every if n.grade == "watch"} <= {
            ("watch", "on-duty", "app")
        }
        first = [n for n in every if n.grade == "alert"]
        told = {(n.recipient, n.via) for n in first}
        # Default policy, grade alert, step "seniors": the senior CMs and Nadia, by app, e-mail and webhook.
        assert {
            ("sarah", "app"),
            ("hugo", "email"),
            ("nadia", "email"),
            ("webhook:team-chat", "webhook"),
        } <= told
        assert all(n.step == "seniors" for n in first)
        sent, failed = deliver_pending(session, workspace_id=ws.id, settings=settings, environ=env)
        assert failed == 0 and sent == len([n for n in every if n.via in ("email", "webhook")])
    recipients = sorted(str(m["To"]) for m in inbox)
    assert recipients == ["hugo.dubois@colibri.fr", "nadia.benali@colibri.fr", "sarah.lefevre@colibri.fr"]
    assert all("ALERT" in str(m["Subject"]) for m in inbox)
    assert "post-1" in inbox[0].get_payload()  # type: ignore[operator]
    assert len(webhook.bodies) == 1
    body = webhook.bodies[0]
    assert body["text"].startswith("[Vigie colibri] ALERT") and body["attachments"][0]["fields"]  # Mattermost

    # Nobody acknowledges within 15 minutes: the tick moves to the spokesperson.
    with transaction(session_factory) as session:
        ws = _ws(session)
        alert = _alert(session)
        assert alert.ack_deadline is not None
        context = escalation_context(session, ws)
        early = run_escalations(session, ws, context=context, now=alert.ack_deadline - timedelta(seconds=1))
        assert early.escalated == []
        late = run_escalations(session, ws, context=context, now=alert.ack_deadline + timedelta(seconds=1))
        assert late.escalated == [{"alert_id": alert.id, "from_step": "seniors", "to_step": "spokesperson"}]
        marc = session.scalars(
            select(Notification).where(Notification.alert_id == alert.id, Notification.recipient == "marc")
        ).all()
        assert {n.via for n in marc} == {"app", "email"} and all(n.step == "spokesperson" for n in marc)
        deliver_pending(session, workspace_id=ws.id, settings=settings, environ=env)
        deadline = alert.ack_deadline
        assert deadline is not None
        # Marc acknowledges: the ladder stops.
        acknowledge_alert(session, ws, alert, member_key="marc", now=deadline - timedelta(minutes=1))
        assert alert.status == "acknowledged" and alert.ack_deadline is None
        assert (
            run_escalations(session, ws, context=context, now=deadline + timedelta(hours=1)).escalated == []
        )
        with pytest.raises(NotFoundError, match="no team member 'zoe'"):
            acknowledge_alert(session, ws, alert, member_key="zoe", now=deadline)
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
        assert "alert.escalated" in actions and actions[-1] == "alert.acknowledged"
        assert verify_workspace_audit(session, ws).ok
    assert [str(m["To"]) for m in inbox][3:] == ["marc.rousseau@colibri.fr"]


def test_ladder_exhausted_is_recorded(
    session_factory: sessionmaker[Session], replayed: dict[str, int]
) -> None:
    with transaction(session_factory) as session:
        ws = _ws(session)
        alert = _alert(session)
        context = escalation_context(session, ws)
        now = T0
        steps = []
        for _ in range(5):
            if alert.ack_deadline is None:
                break
            now = alert.ack_deadline + timedelta(seconds=1)
            result = run_escalations(session, ws, context=context, now=now)
            steps += [e["to_step"] for e in result.escalated]
        assert steps == ["spokesperson", "direction"]
        # "direction" has no deadline: the ladder stops there and says so.
        assert alert.step == "direction" and alert.ack_deadline is None
        direction = session.scalars(
            select(Notification).where(Notification.alert_id == alert.id, Notification.step == "direction")
        ).all()
        assert {n.recipient for n in direction} >= {"marc", "nadia", "webhook:direction"}
        alert.status = "closed"
        with pytest.raises(ConflictError, match="closed"):
            acknowledge_alert(session, ws, alert, member_key="marc", now=now)


def test_dispatcher_sends_after_commit_and_records_failures(
    session_factory: sessionmaker[Session],
    colibri: str,
    webhook: WebhookReceiver,
    smtp_server: tuple[Settings, list[EmailMessage]],
) -> None:
    settings, inbox = smtp_server
    seed_pile_on(session_factory)
    # The team-chat URL is set; the direction one is missing and must fail with a clear error.
    dispatcher = Dispatcher(
        session_factory, settings=settings, environ={"VIGIE_WEBHOOK_TEAM_CHAT_URL": webhook.url}
    )
    try:
        replay_workspace(session_factory, colibri, dispatcher=dispatcher)
        dispatcher.join()
    finally:
        dispatcher.close()
    assert webhook.event.is_set() and webhook.bodies
    assert len(inbox) >= 3
    with session_factory() as session:
        rows = session.scalars(select(Notification).where(Notification.via.in_(["email", "webhook"]))).all()
        assert rows and all(r.status == "sent" for r in rows)
    # An unset variable: the row keeps the reason.
    with transaction(session_factory) as session:
        ws = _ws(session)
        alert = _alert(session)
        session.add(
            Notification(
                workspace_id=ws.id, alert_id=alert.id, grade="alert", recipient="webhook:direction", via="webhook",
                address="VIGIE_WEBHOOK_DIRECTION_URL", subject="s", body="b", created_at=T0,
            )
        )  # fmt: skip
        session.flush()
        sent, failed = deliver_pending(session, workspace_id=ws.id, settings=settings, environ={})
        assert (sent, failed) == (0, 1)
        row = session.scalars(select(Notification).where(Notification.recipient == "webhook:direction")).one()
        assert row.error is not None and "VIGIE_WEBHOOK_DIRECTION_URL is not set" in row.error


def test_webhook_formats_all_carry_text() -> None:
    message = AlertMessage(
        workspace="colibri", alert_id=7, grade="alert", scope="delivery", title="Pile-on on facebook thread p",
        lines=("pile-on ...", "Driving messages: #3"), step="seniors", ack_deadline=T0, people=("sarah",),
    )  # fmt: skip
    slack = webhook_payload(message, WebhookFormat.SLACK)
    assert slack["text"] == message.subject and slack["blocks"][0]["type"] == "header"
    mattermost = webhook_payload(message, WebhookFormat.MATTERMOST)
    assert mattermost["attachments"][0]["color"] == "#E06000"
    teams = webhook_payload(message, WebhookFormat.TEAMS)
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and teams["text"] == message.subject
    generic = webhook_payload(message, WebhookFormat.GENERIC)
    assert generic["alert_id"] == 7 and "vigie alerts ack 7" in generic["text"]

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from vigie.audit.models import AuditEntry
from vigie.cases.models import Case, CaseEvent
from vigie.cli.main import app
from vigie.core.errors import ValidationFailedError
from vigie.peerhelp import actions
from vigie.peerhelp.models import PeerNotification
from vigie.peerhelp.selection import colleague, pick_seniors
from vigie.storage.db import make_engine, make_session_factory
from vigie.storage.migrate import alembic_config
from vigie.workspace.loader import example_workspace_dir
from vigie.workspace.models import TeamMember, Workspace

runner = CliRunner()

TEAM = [
    colleague("camille", ["junior-cm"], {"expertise": {"delivery": 3}}),
    colleague("sarah", ["senior-cm"], {"expertise": {"delivery": 4, "refund": 4}}),
    colleague("ines", ["expert"], {"expertise": {"app_bug": 5}}),
    colleague("lea", ["community-lead"], {"expertise": {}}),
    colleague("hugo", ["senior-cm"], {"expertise": {"delivery": 2}}),
]


def test_pick_more_experienced_then_fall_back_to_seniors() -> None:
    picks = pick_seniors(TEAM, asker="camille", topic="delivery")
    assert [p.key for p in picks] == ["sarah"]  # hugo (2) knows less than camille (3)
    assert "delivery level 4 (asker: 3)" in picks[0].reason
    assert [p.key for p in pick_seniors(TEAM, asker="camille", topic="app_bug")] == ["ines"]
    fallback = pick_seniors(TEAM, asker="camille", topic="loyalty")
    assert [p.key for p in fallback] == ["hugo", "sarah", "lea"]
    assert "no one knows loyalty better" in fallback[0].reason
    assert [p.key for p in pick_seniors(TEAM, asker="sarah", topic="delivery")] == ["hugo", "lea"]


@pytest.fixture
def cli(cli_env: str) -> str:
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    assert runner.invoke(app, ["workspace", "apply", str(example_workspace_dir())]).exit_code == 0
    return cli_env


def _case(db_url: str) -> int:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        ws = session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
        camille = session.scalars(select(TeamMember).where(TeamMember.key == "camille")).one()
        case = Case(
            workspace_id=ws.id,
            thread_key="t1",
            status="assigned",
            assignee_id=camille.id,
            data={"topics": ["refund"]},
        )
        session.add(case)
        session.commit()
        case_id = case.id
    engine.dispose()
    return case_id


def _session(db_url: str) -> Session:
    return make_session_factory(make_engine(db_url))()


def test_ask_comment_suggest_take_all_recorded(cli: str) -> None:
    case_id = _case(cli)
    asked = runner.invoke(
        app,
        [
            "peer",
            "ask",
            str(case_id),
            "-w",
            "colibri",
            "--as",
            "camille",
            "-q",
            "Remboursement de 80 € ?",
            "--json",
        ],
    )
    assert asked.exit_code == 0, asked.output
    request = json.loads(asked.stdout)
    assert request["topic"] == "refund"
    assert [n["recipient"] for n in request["notified"]] == ["claire", "nadia", "sarah"]  # refund level 4 > 0
    inbox = runner.invoke(app, ["peer", "inbox", "-w", "colibri", "--as", "sarah", "--json"])
    assert [n["request_id"] for n in json.loads(inbox.stdout)] == [request["id"]]
    rid = str(request["id"])
    for args in (
        ["comment", rid, "-t", "Au-delà de 50 €, il faut mon accord."],
        ["suggest", rid, "-t", "Bonjour, nous vous remboursons sous 5 jours."],
        ["take", rid],
    ):
        result = runner.invoke(app, ["peer", *args, "-w", "colibri", "--as", "sarah", "--json"])
        assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, ["peer", "show", rid, "-w", "colibri", "--json"]).stdout)
    assert [c["kind"] for c in shown["contributions"]] == ["comment", "suggestion", "take"]
    assert shown["status"] == "taken" and shown["taken_by"] == "sarah"
    assert (
        json.loads(runner.invoke(app, ["peer", "inbox", "-w", "colibri", "--as", "sarah", "--json"]).stdout)
        == []
    )
    again = runner.invoke(app, ["peer", "take", rid, "-w", "colibri", "--as", "hugo"])
    assert again.exit_code != 0 and "already taken by sarah" in again.output
    with _session(cli) as session:
        case = session.get(Case, case_id)
        sarah = session.scalars(select(TeamMember).where(TeamMember.key == "sarah")).one()
        assert case is not None and case.assignee_id == sarah.id
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
        assert {"peer_help_asked", "peer_comment", "peer_suggestion", "peer_take"} <= set(kinds)
        audited = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("peer.%"))).all()
        assert audited == ["peer.asked", "peer.comment", "peer.suggestion", "peer.take"]
        ws = session.scalars(select(Workspace)).one()
        with pytest.raises(ValidationFailedError, match="needs a text"):
            actions.contribute(
                session, workspace=ws, request_id=int(rid), author="hugo", kind="comment", text=" "
            )
        with pytest.raises(ValidationFailedError, match="unknown topic"):
            actions.ask_senior(
                session, workspace=ws, case_id=case_id, asker="camille", question="?", topic="nope"
            )
        assert session.scalars(select(PeerNotification)).all()
    bad = runner.invoke(app, ["peer", "ask", "999", "-w", "colibri", "--as", "camille", "-q", "?"])
    assert bad.exit_code != 0 and "999" in bad.output

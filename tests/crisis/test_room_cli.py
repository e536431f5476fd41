"""The crisis room and the CLI, end to end: watch, alerts, ack, tick, declare, statement, resolve, post-mortem."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from vigie.cli.main import app
from vigie.crisis.models import Crisis, HoldingStatement, PostMortem
from vigie.crisis.service import library_entries
from vigie.governance.models import Draft
from vigie.storage.migrate import alembic_config
from vigie.workspace.models import Workspace

from .conftest import seed_pile_on

runner = CliRunner()


@pytest.fixture
def cli(cli_env: str, colibri: str) -> str:
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    return cli_env


def run(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_crisis_room_through_the_cli(cli: str, session_factory: sessionmaker[Session]) -> None:
    seed_pile_on(session_factory)
    watched = run("crisis", "watch", "--workspace", "colibri")
    assert watched["messages"] == 16
    assert any(s["kind"] == "pile_on" for s in watched["signals"])
    assert watched["grades"]["delivery"] == "alert"
    alerts = run("alerts", "list", "--workspace", "colibri")
    alert = next(a for a in alerts if a["scope"] == "delivery")
    assert alert["thread_root"] == "post-1" and alert["first_complainer"]["author"] == "lea_r"
    deadline = alert["ack_deadline"]
    early = (datetime.fromisoformat(deadline) - timedelta(seconds=1)).isoformat()
    tick = run("alerts", "tick", "--workspace", "colibri", "--at", early, "--no-send")
    assert tick["escalated"] == []
    later = (datetime.fromisoformat(deadline) + timedelta(seconds=1)).isoformat()
    tick = run("alerts", "tick", "--workspace", "colibri", "--at", later, "--no-send")
    assert tick["escalated"][0]["to_step"] == "spokesperson"
    acked = run("alerts", "ack", str(alert["id"]), "--workspace", "colibri", "--member", "marc")
    assert acked["status"] == "acknowledged"
    shown = run("alerts", "show", str(alert["id"]), "--workspace", "colibri")
    assert {"marc", "sarah", "webhook:team-chat"} <= {n["recipient"] for n in shown["notifications"]}
    assert len(run("crisis", "signals", "--workspace", "colibri")) >= 1
    assert run("crisis", "grades", "--workspace", "colibri")["situations"]["delivery"]["grade"] == "alert"

    # Declaring the alert a crisis opens the room and pages the crisis ladder.
    crisis = run("crisis", "declare", "--workspace", "colibri", "--alert", str(alert["id"]), "--by", "nadia",
                 "--role", "scribe=sarah")  # fmt: skip
    assert crisis["roles"] == {"lead": "nadia", "spokesperson": "marc", "legal": "claire", "scribe": "sarah"}
    again = runner.invoke(
        app, ["crisis", "declare", "--workspace", "colibri", "--alert", str(alert["id"]), "--by", "nadia"]
    )
    assert again.exit_code != 0 and "already has an open crisis room" in again.output
    statement = run("crisis", "statement", str(crisis["id"]), "--workspace", "colibri", "--author", "marc",
                    "--channel", "facebook", "--lang", "fr")  # fmt: skip
    assert "Nous avons connaissance de la situation" in statement["text"] and "Marc" in statement["text"]
    assert statement["verdict"]["draft_id"] is not None
    update = run("crisis", "update", str(crisis["id"]), "--workspace", "colibri", "--author", "sarah",
                 "--text", "Retards confirmés sur la zone Lyon ; point à 11h.")  # fmt: skip
    assert {"nadia", "marc"} <= set(update["recipients"])
    too_early = runner.invoke(app, ["crisis", "postmortem", str(crisis["id"]), "-w", "colibri", "--author", "nadia",
                                "--summary", "x", "--lesson", "y"])  # fmt: skip
    assert too_early.exit_code != 0 and "resolve it before" in too_early.output
    run("crisis", "resolve", str(crisis["id"]), "--workspace", "colibri", "--by", "nadia",
        "--resolution", "Transporteur remplacé, clients remboursés.")  # fmt: skip
    pm = run("crisis", "postmortem", str(crisis["id"]), "--workspace", "colibri", "--author", "nadia",
             "--summary", "Un commentaire sur un post produit a fédéré les clients en retard.",
             "--lesson", "Répondre au premier commentaire dans l'heure.", "--tag", "delivery")  # fmt: skip
    assert "pile_on" in pm["tags"] and "delivery" in pm["tags"]
    timeline = run("crisis", "timeline", str(crisis["id"]), "--workspace", "colibri")
    kinds = {e["kind"] for e in timeline}
    assert {"signal.pile_on", "message", "grade", "notification", "acknowledgement", "action.declared",
            "holding_statement", "status_update", "action.resolved", "action.post_mortem"} <= kinds  # fmt: skip
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)

    with session_factory() as session:
        statement_row = session.scalars(select(HoldingStatement)).one()
        draft = session.get(Draft, statement_row.verdict["draft_id"])
        assert (
            draft is not None and draft.kind == "holding_statement" and draft.status == statement_row.status
        )
        ws = session.scalars(select(Workspace)).one()
        entries = library_entries(session, ws)
        assert len(entries) == 1 and entries[0]["lessons"] == [
            "Répondre au premier commentaire dans l'heure."
        ]
        assert session.scalars(select(PostMortem)).one().crisis_id == session.scalars(select(Crisis)).one().id


def test_cli_errors_say_what_to_fix(cli: str) -> None:
    result = runner.invoke(app, ["alerts", "ack", "99", "--workspace", "colibri", "--member", "marc"])
    assert result.exit_code != 0 and "alert #99 does not exist" in result.output
    result = runner.invoke(app, ["alerts", "tick", "--workspace", "colibri", "--at", "tomorrow"])
    assert result.exit_code != 0 and "ISO date-time" in result.output
    result = runner.invoke(app, ["crisis", "declare", "--workspace", "colibri", "--by", "nadia"])
    assert result.exit_code != 0 and "needs a title" in result.output
    result = runner.invoke(
        app, ["crisis", "declare", "-w", "colibri", "--by", "nadia", "--title", "t", "--role", "x"]
    )
    assert result.exit_code != 0 and "ROOM_ROLE=MEMBER" in result.output

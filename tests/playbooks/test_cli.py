from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from typer.testing import CliRunner

from vigie.cases.models import Case, CaseMessage
from vigie.cli.main import app
from vigie.ingest.models import Author, Message
from vigie.storage.db import make_engine, make_session_factory
from vigie.workspace.loader import example_workspace_dir
from vigie.workspace.models import Channel, Workspace

runner = CliRunner()


def _seed_message(db_url: str) -> int:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        ws = session.scalar(select(Workspace).where(Workspace.slug == "colibri"))
        assert ws is not None
        channel = session.scalars(select(Channel).where(Channel.workspace_id == ws.id)).first()
        assert channel is not None
        author = Author(workspace_id=ws.id, handle="@lea", name="Léa Petit", history={"messages": 3})
        session.add(author)
        session.flush()
        message = Message(
            workspace_id=ws.id,
            channel_id=channel.id,
            external_id="t1",
            author_id=author.id,
            text="Je veux être remboursée pour ma commande 448812, l'article est cassé",
            created_at=datetime(2026, 11, 20, tzinfo=UTC),
            lang="fr",
            analysis={
                "language": {"code": "fr"},
                "sentiment": {"label": "negative"},
                "toxicity": {"score": 0.1},
                "intents": {"labels": ["complaint"]},
                "topics": {"keys": ["refund", "order"]},
            },
        )
        session.add(message)
        session.commit()
        message_id = message.id
    engine.dispose()
    return message_id


def _seed_case(db_url: str, message_id: int) -> int:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        ws = session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
        case = Case(workspace_id=ws.id, thread_key="t1")
        session.add(case)
        session.flush()
        session.add(CaseMessage(case_id=case.id, message_id=message_id))
        session.commit()
        case_id = case.id
    engine.dispose()
    return case_id


def test_playbooks_cli_suggests_and_drafts(cli: str) -> None:
    assert runner.invoke(app, ["workspace", "apply", str(example_workspace_dir())]).exit_code == 0
    listed = runner.invoke(app, ["playbooks", "list", "-w", "colibri", "--json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) >= 10
    message_id = _seed_message(cli)
    result = runner.invoke(
        app, ["playbooks", "suggest", "-w", "colibri", "--message", str(message_id), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["facts"]["author_type"] == "customer"
    assert data["suggestions"][0]["key"] == "refund-request"
    draft = runner.invoke(
        app,
        [
            "playbooks",
            "draft",
            "refund-request",
            "-w",
            "colibri",
            "-m",
            str(message_id),
            "--member",
            "camille",
            "--json",
        ],
    )
    assert draft.exit_code == 0, draft.output
    filled = json.loads(draft.stdout)
    assert filled["language"] == "fr" and filled["missing"] == []
    assert "Léa Petit" in filled["text"] and "448812" in filled["text"] and "Camille" in filled["text"]
    missing = runner.invoke(app, ["playbooks", "draft", "refund-request", "-w", "colibri", "--json"])
    assert json.loads(missing.stdout)["missing"] == ["customer_name", "order_number", "agent_signature"]
    bad = runner.invoke(app, ["playbooks", "draft", "nope", "-w", "colibri"])
    assert bad.exit_code != 0 and "known:" in bad.output
    both = runner.invoke(app, ["playbooks", "suggest", "hello", "-w", "colibri", "--message", "1"])
    assert both.exit_code != 0 and "exactly one of" in both.output
    case_id = _seed_case(cli, message_id)
    by_case = runner.invoke(app, ["playbooks", "suggest", "-w", "colibri", "--case", str(case_id), "--json"])
    assert by_case.exit_code == 0, by_case.output
    assert json.loads(by_case.stdout)["suggestions"][0]["key"] == "refund-request"
    case_draft = runner.invoke(
        app, ["playbooks", "draft", "refund-request", "-w", "colibri", "-c", str(case_id), "--json"]
    )
    assert "448812" in json.loads(case_draft.stdout)["text"]


def test_library_cli_add_search_show(cli: str) -> None:
    assert runner.invoke(app, ["workspace", "apply", str(example_workspace_dir())]).exit_code == 0
    added = runner.invoke(
        app,
        [
            "library",
            "add",
            "-w",
            "colibri",
            "--title",
            "Grève des transporteurs",
            "--summary",
            "Les livraisons retardées de dix jours ont déclenché une vague de plaintes.",
            "--lesson",
            "Prévenir avant la vague.",
            "-l",
            "fr",
            "--tag",
            "delivery",
            "--by",
            "sarah",
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    entry = json.loads(added.stdout)
    assert "delivery-complaint" in entry["playbooks"]  # linked by the playbook's library_tags
    found = runner.invoke(app, ["library", "search", "livraison retard", "-w", "colibri", "--json"])
    assert found.exit_code == 0, found.output
    assert [e["id"] for e in json.loads(found.stdout)] == [entry["id"]]
    shown = runner.invoke(app, ["library", "show", str(entry["id"]), "-w", "colibri"])
    assert "Prévenir avant la vague." in shown.stdout
    linked = runner.invoke(app, ["playbooks", "show", "delivery-complaint", "-w", "colibri", "--json"])
    assert [e["id"] for e in json.loads(linked.stdout)["library"]] == [entry["id"]]
    missing = runner.invoke(app, ["library", "show", "999", "-w", "colibri"])
    assert missing.exit_code != 0 and "does not exist" in missing.output

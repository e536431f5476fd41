"""Ingest -> analysed messages, author history, corrections (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from vigie.analysis.actions import analyse_pending, corrections_as_training_rows, record_correction
from vigie.analysis.hooks import analyse_ingested_batch
from vigie.analysis.models import AnalysisCorrection
from vigie.cli.main import app
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.ingest.actions import ingest_files
from vigie.ingest.models import Author, Message
from vigie.storage.db import transaction
from vigie.workspace.models import Channel, Workspace

SPEC = {
    "languages": ["fr", "en"],
    "topics": [
        {
            "key": "refund",
            "name": {"fr": "Remboursement"},
            "keywords": {"fr": ["remboursement"], "en": ["refund"]},
        },
        {
            "key": "delivery",
            "name": {"fr": "Livraison"},
            "keywords": {"fr": ["colis", "livraison"], "en": ["parcel"]},
        },
    ],
}


@pytest.fixture
def colibri(session_factory: sessionmaker[Session]) -> int:
    with transaction(session_factory) as session:
        workspace = Workspace(slug="colibri", name="Colibri", default_language="fr", spec=SPEC)
        session.add(workspace)
        session.flush()
        session.add(Channel(workspace_id=workspace.id, name="x", kind="x"))
        return workspace.id


def _record(n: int, text: str, handle: str = "@ana", followers: int = 100) -> dict[str, Any]:
    return {
        "id": f"m{n}",
        "channel": "x",
        "author": {"handle": handle, "name": handle, "followers": followers},
        "text": text,
        "created_at": f"2026-11-20T10:00:{n:02d}+01:00",
    }


def _ingest(path: Path, records: list[dict[str, Any]], session_factory: sessionmaker[Session]) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    summary = ingest_files(
        session_factory,
        workspace_slug="colibri",
        paths=[path],
        max_text_length=10_000,
        batch_size=2,
        hooks=[analyse_ingested_batch],
    )
    assert summary.hook_errors == []


def test_ingested_messages_are_analysed(
    colibri: int, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    records = [
        _record(1, "Ça fait 3 semaines que j'attends mon remboursement, je veux parler à un responsable !"),
        _record(2, "Toujours pas reçu mon colis, c'est inadmissible"),
        _record(3, "Thanks a lot, great service!", handle="@bob", followers=5),
    ]
    _ingest(tmp_path / "in.jsonl", records, session_factory)
    with session_factory() as session:
        messages = {m.external_id: m for m in session.scalars(select(Message))}
        assert all(m.analysis is not None for m in messages.values())
        first = messages["m1"].analysis
        assert first is not None
        assert first["language"]["code"] == "fr" and first["sentiment"]["label"] == "negative"
        assert {"complaint", "manager_demand"} <= set(first["intents"]["labels"])
        assert first["topics"]["keys"] == ["refund"]
        assert messages["m2"].analysis is not None and messages["m2"].analysis["topics"]["keys"] == [
            "delivery"
        ]
        assert (
            messages["m3"].analysis is not None and "praise" in messages["m3"].analysis["intents"]["labels"]
        )
        ana = session.scalar(select(Author).where(Author.handle == "@ana"))
        assert ana is not None
        assert ana.history["complaints"] == 2 and ana.history["manager_demands"] == 1
        assert ana.history["messages_analysed"] == 2
        assert ana.influence > 0
    # nothing left to analyse: a second run does nothing and does not double-count history
    with transaction(session_factory) as session:
        workspace = session.get(Workspace, colibri)
        assert workspace is not None
        assert analyse_pending(session=session, workspace=workspace).analysed == 0
        ana = session.scalar(select(Author).where(Author.handle == "@ana"))
        assert ana is not None and ana.history["complaints"] == 2


def test_corrections_stored_and_exported(
    colibri: int, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    _ingest(tmp_path / "in.jsonl", [_record(1, "Mon colis arrive demain"), _record(2, "ok")], session_factory)
    with transaction(session_factory) as session:
        workspace = session.get(Workspace, colibri)
        assert workspace is not None
        ids = {m.external_id: m.id for m in session.scalars(select(Message))}
        correction = record_correction(
            session=session,
            workspace=workspace,
            message_id=ids["m1"],
            task="sentiment",
            label="Negative",
            corrected_by="léa",
        )
        assert correction.label == "negative" and correction.previous_label == "neutral"
        record_correction(
            session=session,
            workspace=workspace,
            message_id=ids["m1"],
            task="complaint",
            label="complaint",
            corrected_by="léa",
        )
        with pytest.raises(ValidationFailedError, match="use one of"):
            record_correction(
                session=session,
                workspace=workspace,
                message_id=ids["m1"],
                task="sentiment",
                label="angry",
                corrected_by="x",
            )
        with pytest.raises(NotFoundError):
            record_correction(
                session=session,
                workspace=workspace,
                message_id=999_999,
                task="sentiment",
                label="negative",
                corrected_by="x",
            )
    with session_factory() as session:
        assert (
            session.scalar(select(AnalysisCorrection).where(AnalysisCorrection.task == "sentiment"))
            is not None
        )
        message = session.get(Message, ids["m1"])
        assert message is not None and message.analysis is not None
        assert message.analysis["corrections"]["sentiment"]["label"] == "negative"
        rows = corrections_as_training_rows(session, colibri, "sentiment")
        assert rows == [{"text": "Mon colis arrive demain", "label": "negative"}]
        assert corrections_as_training_rows(session, colibri, "toxicity") == []


def test_cli_correct_and_run(
    cli_env: str, colibri: int, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    with transaction(session_factory) as session:
        channel = session.scalar(select(Channel))
        assert channel is not None
        from vigie.core.clock import utcnow

        session.add(
            Message(
                workspace_id=colibri,
                channel_id=channel.id,
                external_id="a",
                text="Je veux parler au directeur",
                created_at=utcnow(),
            )
        )
    runner = CliRunner()
    from alembic import command

    from vigie.storage.migrate import alembic_config

    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    result = runner.invoke(app, ["analysis", "run", "--workspace", "colibri", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"analysed": 1, "authors_updated": 0}
    with session_factory() as session:
        message_id = session.scalar(select(Message.id))
    result = runner.invoke(
        app,
        [
            "analysis",
            "correct",
            str(message_id),
            "--task",
            "sentiment",
            "--label",
            "negative",
            "--workspace",
            "colibri",
            "--by",
            "léa",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["label"] == "negative"
    bad = runner.invoke(
        app,
        [
            "analysis",
            "correct",
            str(message_id),
            "--task",
            "mood",
            "--label",
            "x",
            "--workspace",
            "colibri",
            "--by",
            "léa",
        ],
    )
    assert bad.exit_code != 0 and "Known tasks" in bad.output


def test_emerging_terms_over_stored_window(colibri: int, session_factory: sessionmaker[Session]) -> None:
    from datetime import timedelta

    from vigie.analysis.actions import emerging_for_workspace
    from vigie.core.clock import utcnow

    now = utcnow()
    with transaction(session_factory) as session:
        channel = session.scalar(select(Channel))
        assert channel is not None
        texts = [(f"La bouilloire Zephyr fuit, client {i}", now - timedelta(hours=1)) for i in range(4)]
        texts += [(f"Mon colis est en retard {i}", now - timedelta(hours=2)) for i in range(4)]
        texts += [(f"Bonjour, merci pour tout {i}", now - timedelta(days=2)) for i in range(5)]
        for n, (text, when) in enumerate(texts):
            session.add(
                Message(
                    workspace_id=colibri,
                    channel_id=channel.id,
                    external_id=str(n),
                    text=text,
                    created_at=when,
                )
            )
    with session_factory() as session:
        workspace = session.get(Workspace, colibri)
        assert workspace is not None
        terms = [t.term for t in emerging_for_workspace(session=session, workspace=workspace, now=now)]
    assert any("zephyr" in t for t in terms)
    assert not any("colis" in t for t in terms)  # "colis" is a keyword of the delivery topic

"""`vigie train --workspace` adds the workspace's stored corrections, and they change the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from vigie.analysis.actions import analyse_pending, record_correction
from vigie.analysis.classifiers import load_model
from vigie.cli.main import app
from vigie.core.clock import utcnow
from vigie.ingest.models import Message
from vigie.storage.db import transaction
from vigie.workspace.models import Channel, Workspace

ROWS = [
    ("merci, service parfait", "positive"),
    ("super livraison, bravo", "positive"),
    ("great service, thank you", "positive"),
    ("love it, amazing", "positive"),
    ("colis perdu, je suis furieux", "negative"),
    ("service client nul", "negative"),
    ("terrible experience, never again", "negative"),
    ("arnaque totale", "negative"),
    ("ma commande arrive demain", "neutral"),
    ("le colis est en route", "neutral"),
    ("what time do you open", "neutral"),
    ("le magasin ouvre à 9h", "neutral"),
]
EXAMPLE = "le livreur est passé à 23h"


def test_train_with_workspace_corrections(
    cli_env: str, session_factory: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fixture already built the schema from the models; the CLI must not migrate it again.
    monkeypatch.setattr("vigie.cli.context.upgrade", lambda url: None)
    with transaction(session_factory) as session:
        workspace = Workspace(slug="colibri", name="Colibri", default_language="fr", spec={})
        session.add(workspace)
        session.flush()
        channel = Channel(workspace_id=workspace.id, name="x", kind="x")
        session.add(channel)
        session.flush()
        message = Message(
            workspace_id=workspace.id,
            channel_id=channel.id,
            external_id="1",
            text=EXAMPLE,
            created_at=utcnow(),
        )
        session.add(message)
        session.flush()
        analyse_pending(session=session, workspace=workspace)
        record_correction(
            session=session,
            workspace=workspace,
            message_id=message.id,
            task="sentiment",
            label="negative",
            corrected_by="léa",
        )
    data = tmp_path / "d.csv"
    data.write_text("text,label\n" + "\n".join(f'"{t}",{label}' for t, label in ROWS) + "\n")
    runner = CliRunner()
    plain, corrected = tmp_path / "plain.npz", tmp_path / "corrected.npz"
    result = runner.invoke(app, ["train", "sentiment", "--data", str(data), "--out", str(plain), "--c", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "train",
            "sentiment",
            "--data",
            str(data),
            "--out",
            str(corrected),
            "--c",
            "1",
            "-w",
            "colibri",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"corrections": 1' in result.stdout
    assert load_model(plain).predict([EXAMPLE]) != ["negative"]
    assert load_model(corrected).predict([EXAMPLE]) == ["negative"]
    result = runner.invoke(
        app, ["train", "sentiment", "--data", str(data), "--out", str(plain), "-w", "nope"]
    )
    assert result.exit_code != 0 and "nope" in result.output

"""End to end: `vigie ingest` in queue mode leaves analysis null; `vigie worker` fills it (real Redis, real DB)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import redis
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tests.ingest.conftest import CHANNELS, record, write_jsonl
from vigie.cli.main import app
from vigie.ingest.models import Message
from vigie.storage.db import transaction
from vigie.storage.migrate import alembic_config
from vigie.workers.analysis import MESSAGE_INGESTED
from vigie.workers.bus import Bus, stream_key
from vigie.workspace.models import Channel, Workspace

runner = CliRunner()


@pytest.fixture
def queue_mode(
    cli_env: str,
    session_factory: sessionmaker[Session],
    redis_client: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    """The CLI on the test database holding the Colibri workspace, with VIGIE_ANALYSIS_MODE=queue."""
    with transaction(session_factory) as session:
        workspace = Workspace(slug="colibri", name="Colibri", default_language="fr")
        session.add(workspace)
        session.flush()
        for name, max_length in CHANNELS.items():
            session.add(Channel(workspace_id=workspace.id, name=name, kind=name, max_length=max_length))
        workspace_id = workspace.id
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    monkeypatch.setenv("VIGIE_ANALYSIS_MODE", "queue")
    return workspace_id


def _analyses(session_factory: sessionmaker[Session]) -> list[Any]:
    with session_factory() as session:
        return list(session.scalars(select(Message.analysis).order_by(Message.id)))


def _worker(*args: str) -> tuple[int, Any]:
    result = runner.invoke(app, ["worker", *args, "--json"])
    assert result.stdout.strip(), result.output
    return result.exit_code, json.loads(result.stdout)


def test_ingest_publishes_and_worker_analyses(
    queue_mode: int, session_factory: sessionmaker[Session], redis_client: redis.Redis, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [record(n) for n in range(6)])
    result = runner.invoke(app, ["ingest", str(path), "--workspace", "colibri", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["hook_errors"] == []

    analyses = _analyses(session_factory)
    assert len(analyses) == 6 and all(a is None for a in analyses)  # nothing analysed in the ingest process
    events = redis_client.xrange(stream_key(MESSAGE_INGESTED))
    assert len(events) == 1
    payload = json.loads(events[0][1]["data"])
    assert payload["workspace_id"] == queue_mode and len(payload["message_ids"]) == 6

    code, stats = _worker("--queue", MESSAGE_INGESTED, "--once", "--consumer", "w1")
    assert code == 0, stats
    assert stats["processed"] == 1 and stats["dead_lettered"] == 0
    analyses = _analyses(session_factory)
    assert all(a is not None and "analysed_at" in a for a in analyses)
    assert Bus(redis_client).pending_count(MESSAGE_INGESTED) == 0

    # A redelivered event is harmless: only messages whose analysis is null are analysed.
    Bus(redis_client).publish(MESSAGE_INGESTED, payload)
    assert _worker("--once")[1]["processed"] == 1
    assert _analyses(session_factory) == analyses


def test_event_that_cannot_be_analysed_is_dead_lettered(
    queue_mode: int, redis_client: redis.Redis, session_factory: sessionmaker[Session]
) -> None:
    Bus(redis_client).publish(MESSAGE_INGESTED, {"workspace_id": 999_999, "message_ids": [1]})
    code, stats = _worker("--once", "--max-attempts", "2", "--claim-idle-ms", "0")
    assert code == 1  # something was dead-lettered
    assert stats["failed"] == 2 and stats["dead_lettered"] == 1

    code, letters = _worker("dead-letters", "--queue", MESSAGE_INGESTED)
    assert code == 0
    assert len(letters) == 1
    assert letters[0]["payload"]["workspace_id"] == 999_999
    assert letters[0]["attempts"] == 2
    assert "Workspace 999999 does not exist" in letters[0]["error"]
    text = runner.invoke(app, ["worker", "dead-letters", "--queue", MESSAGE_INGESTED])
    assert "attempts=2" in text.stdout


def test_worker_refuses_unknown_queue(queue_mode: int) -> None:
    result = runner.invoke(app, ["worker", "--queue", "nope", "--once"])
    assert result.exit_code == 2
    assert "Unknown queue(s): nope" in result.output
    assert "message.ingested" in result.output


def test_redis_down_keeps_the_ingest_and_analysis_catches_up(
    queue_mode: int, session_factory: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIGIE_REDIS_URL", "redis://127.0.0.1:1/0")
    path = write_jsonl(tmp_path / "in.jsonl", [record(n) for n in range(3)])
    result = runner.invoke(app, ["ingest", str(path), "--workspace", "colibri", "--json"])
    summary = json.loads(result.stdout)
    assert summary["accepted"] == 3  # the messages are committed before the hook runs
    assert len(summary["hook_errors"]) == 1 and "analyse_ingested_batch" in summary["hook_errors"][0]
    assert all(a is None for a in _analyses(session_factory))

    worker = runner.invoke(app, ["worker", "--once"])
    assert worker.exit_code == 2 and "Redis is unreachable" in worker.output

    caught_up = runner.invoke(app, ["analysis", "run", "--workspace", "colibri"])
    assert caught_up.exit_code == 0, caught_up.output
    assert all(a is not None for a in _analyses(session_factory))

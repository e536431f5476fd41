"""Post-ingest hooks, and an ingest killed with SIGKILL then run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.ingest.conftest import record, write_jsonl
from vigie.ingest.actions import ingest_files
from vigie.ingest.hooks import (
    IngestedBatch,
    post_ingest_hooks,
    register_post_ingest_hook,
    unregister_post_ingest_hook,
)
from vigie.ingest.models import Message
from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.migrate import upgrade
from vigie.workspace.models import Channel, Workspace


def test_hooks_get_only_new_ids_per_committed_batch(
    colibri: int, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    calls: list[IngestedBatch] = []

    def seen_in_db(batch: IngestedBatch) -> None:
        # Called after commit: a new session sees the rows.
        with batch.session_factory() as session:
            found = session.scalar(select(func.count()).where(Message.id.in_(batch.message_ids)))
        assert found == len(batch.message_ids)
        calls.append(batch)

    def broken(batch: IngestedBatch) -> None:
        raise RuntimeError("analysis down")

    path = write_jsonl(tmp_path / "a.jsonl", [record(n) for n in range(25)])
    summary = ingest_files(
        session_factory,
        workspace_slug="colibri",
        paths=[path],
        max_text_length=1000,
        batch_size=10,
        hooks=[seen_in_db, broken],
    )
    assert [len(c.message_ids) for c in calls] == [10, 10, 5]
    assert all(c.workspace_slug == "colibri" and c.workspace_id == colibri for c in calls)
    assert len(summary.hook_errors) == 3 and "analysis down" in summary.hook_errors[0]
    assert summary.totals.accepted == 25

    calls.clear()
    more = write_jsonl(tmp_path / "b.jsonl", [record(n) for n in range(20, 30)])
    ingest_files(
        session_factory,
        workspace_slug="colibri",
        paths=[more],
        max_text_length=1000,
        batch_size=100,
        hooks=[seen_in_db],
    )
    assert len(calls) == 1 and len(calls[0].message_ids) == 5  # m20..m24 were there already


def test_global_registry_is_used_by_default(
    colibri: int, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    received: list[int] = []

    def hook(batch: IngestedBatch) -> None:
        received.extend(batch.message_ids)

    register_post_ingest_hook(hook)
    register_post_ingest_hook(hook)
    try:
        assert post_ingest_hooks.count(hook) == 1
        path = write_jsonl(tmp_path / "a.jsonl", [record(1), record(2)])
        ingest_files(
            session_factory, workspace_slug="colibri", paths=[path], max_text_length=1000, batch_size=100
        )
    finally:
        unregister_post_ingest_hook(hook)
    assert len(received) == 2


@pytest.mark.slow
def test_kill_9_loses_nothing_and_rerun_completes(tmp_path: Path) -> None:
    # One backend is enough here: SQLite, migrated the way the CLI does it.
    db_url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    upgrade(db_url)
    with transaction(make_session_factory(make_engine(db_url))) as session:
        workspace = Workspace(slug="colibri", name="Colibri")
        session.add(workspace)
        session.flush()
        session.add(Channel(workspace_id=workspace.id, name="x"))
    total = 30_000
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(total):
            handle.write(json.dumps(record(n)) + "\n")
    env = {**os.environ, "VIGIE_DATABASE_URL": db_url, "VIGIE_INGEST_BATCH_SIZE": "500"}
    command_line = [
        sys.executable,
        "-c",
        "from vigie.cli.main import main; from vigie.ingest.hooks import post_ingest_hooks; post_ingest_hooks.clear(); main()",
        "ingest",
        str(path),
        "-w",
        "colibri",
        "--json",
    ]
    engine = make_engine(db_url)
    factory = make_session_factory(engine)

    def stored() -> int:
        with factory() as session:
            return session.scalar(select(func.count()).select_from(Message)) or 0

    process = subprocess.Popen(command_line, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while stored() < 2_000 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = stored()
    assert process.returncode == -signal.SIGKILL
    assert 2_000 <= before < total, f"the run was not interrupted mid-file ({before} stored)"
    assert before % 500 == 0  # only whole committed batches

    rerun = subprocess.run(command_line, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["accepted"], summary["duplicates"], summary["quarantined"]) == (total - before, before, 0)
    assert stored() == total
    engine.dispose()

"""The watch's saved state: a restarted watch resumes where it stopped, and a replay records nothing twice."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from vigie.cli.main import app
from vigie.crisis.detectors import Observation, SignalEvent
from vigie.crisis.models import Alert, GradeChange, Notification, Signal, WatchState
from vigie.crisis.runner import replay_workspace
from vigie.crisis.snapshot import SnapshotError
from vigie.crisis.watch import STATE_VERSION, CrisisWatch
from vigie.storage.db import transaction
from vigie.storage.migrate import alembic_config
from vigie.workspace.models import Workspace

from .conftest import T0, add_message, negative, seed_pile_on

runner = CliRunner()


def _stream() -> list[Observation]:
    """A quiet morning on two channels, then a derailed post: a pile-on and a negative-share shift."""
    out: list[Observation] = []
    at = T0 - timedelta(hours=6)
    for i in range(360):
        at += timedelta(minutes=1)
        out.append(
            Observation(
                message_id=len(out) + 1, at=at, channel="facebook" if i % 2 else "x", external_id=f"m{i}",
                author=f"regular_{i % 40}", negative=i % 7 == 0, topics=("delivery",) if i % 3 == 0 else (),
            )
        )  # fmt: skip
    out.append(
        Observation(message_id=len(out) + 1, at=at, channel="facebook", external_id="post", author="brand")
    )
    for i in range(30):
        at += timedelta(seconds=max(10, 80 - 3 * i))
        out.append(
            Observation(
                message_id=len(out) + 1, at=at, channel="facebook", external_id=f"r{i}", author=f"crowd_{i}",
                in_reply_to="post" if i < 2 else "r0", negative=True, topics=("delivery",),
            )
        )  # fmt: skip
    return out


def _key(signal: SignalEvent) -> tuple[Any, ...]:
    return (signal.kind, signal.scope, signal.at, round(signal.score, 9), signal.summary, signal.message_ids)


def test_a_restored_watch_continues_exactly_like_one_that_never_stopped() -> None:
    stream = _stream()
    straight = CrisisWatch()
    expected = [_key(s) for obs in stream for s in straight.process(obs).signals]
    assert any(k[0] == "pile_on" for k in expected) and any(k[0] == "negative_share" for k in expected)

    first = CrisisWatch()
    cut = len(stream) - 20  # inside the pile-on: its thread and first complainer must survive the restart
    got = [_key(s) for obs in stream[:cut] for s in first.process(obs).signals]
    saved = json.loads(json.dumps(first.state_dict()))
    second = CrisisWatch.restore(saved)
    got += [_key(s) for obs in stream[cut:] for s in second.process(obs).signals]
    assert got == expected
    assert second.grades() == straight.grades()
    assert second.messages_seen == len(stream)


def test_a_state_of_another_version_or_shape_is_refused() -> None:
    state = CrisisWatch().state_dict()
    with pytest.raises(SnapshotError, match="version"):
        CrisisWatch.restore({**state, "version": 0})
    with pytest.raises(SnapshotError, match="not usable"):
        CrisisWatch.restore({**state, "grader": {"*": {"grade": "purple", "changed_at": None, "live": []}}})


def _seed_thread(factory: sessionmaker[Session], crowd: range, *, start: datetime = T0) -> None:
    with transaction(factory) as session:
        ws = session.scalar(select(Workspace).where(Workspace.slug == "colibri"))
        assert ws is not None
        if crowd.start == 0:
            add_message(
                session, ws, external_id="post-1", author="colibri_fr", at=start, text="Nouvelle collection !"
            )
            add_message(
                session, ws, external_id="c-1", author="lea_r", at=start + timedelta(minutes=3),
                in_reply_to="post-1", text="Toujours pas livrée.", analysis=negative(),
            )  # fmt: skip
        for i in crowd:
            add_message(
                session, ws, external_id=f"r-{i}", author=f"crowd_{i}", at=start + timedelta(minutes=5 + i),
                in_reply_to="c-1", text="Pareil, livraison en retard.", analysis=negative(),
            )  # fmt: skip


def _counts(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Signal, GradeChange, Alert, Notification)
        }


def test_a_restarted_watch_resumes_from_its_saved_state(
    session_factory: sessionmaker[Session], colibri: str
) -> None:
    _seed_thread(session_factory, range(0, 3))
    first = replay_workspace(session_factory, colibri, resume=True)
    assert first.resumed_from is None and first.report.messages == 5
    assert not any(s.kind == "pile_on" for s in first.report.signals)

    _seed_thread(session_factory, range(3, 12))
    with transaction(session_factory) as session:
        ws = session.scalar(select(Workspace).where(Workspace.slug == "colibri"))
        assert ws is not None
        # Stored after the first run but dated before where it stopped: still read on resume.
        add_message(
            session, ws, external_id="late", author="late_one", at=T0 + timedelta(minutes=1), text="…"
        )
    second = replay_workspace(session_factory, colibri, resume=True)
    assert second.resumed_from is not None and second.resumed_from.message_id == first.position.message_id  # type: ignore[union-attr]
    assert second.report.messages == 10  # the 9 new replies and the late message; nothing read twice
    piles = [s for s in second.report.signals if s.kind == "pile_on"]
    # The pile-on counts the replies read before the restart and names the first complainer seen then.
    assert piles and piles[0].details["first_complainer"]["author"] == "lea_r"
    assert piles[-1].details["negative_replies"] == 13
    with session_factory() as session:
        saved = session.scalars(select(WatchState)).one()
        assert saved.messages == 15 and saved.max_message_id == second.position.max_message_id  # type: ignore[union-attr]


def test_a_run_with_nothing_new_to_read_leaves_the_saved_state_as_it_was(
    session_factory: sessionmaker[Session], colibri: str
) -> None:
    _seed_thread(session_factory, range(0, 3))
    replay_workspace(session_factory, colibri, resume=True, checkpoint_every=5)  # saved once, on the 5th
    with session_factory() as session:
        saved_at, state = session.execute(select(WatchState.saved_at, WatchState.state)).one()
    again = replay_workspace(session_factory, colibri, resume=True)
    assert again.resumed_from is not None and again.report.messages == 0
    with session_factory() as session:
        assert session.execute(select(WatchState.saved_at, WatchState.state)).one() == (saved_at, state)


def test_replaying_the_same_period_records_and_notifies_nothing_twice(
    session_factory: sessionmaker[Session], colibri: str
) -> None:
    seed_pile_on(session_factory)
    replay_workspace(session_factory, colibri)
    once = _counts(session_factory)
    assert once["Signal"] > 0 and once["Alert"] == 1 and once["Notification"] > 0
    again = replay_workspace(session_factory, colibri)  # cold start over the same messages
    assert again.report.signals and again.report.changes_already_recorded == len(again.report.changes)
    assert _counts(session_factory) == once


@pytest.fixture
def cli(cli_env: str, colibri: str) -> str:
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    return cli_env


def _watch(*args: str) -> Any:
    result = runner.invoke(app, ["crisis", "watch", "--workspace", "colibri", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_running_the_watch_command_twice_records_each_signal_once(
    cli: str, session_factory: sessionmaker[Session]
) -> None:
    seed_pile_on(session_factory)
    first = _watch()
    assert first["resumed_from"] is None and first["messages"] == 16
    assert any(s["kind"] == "pile_on" for s in first["signals"])
    once = _counts(session_factory)
    second = _watch()
    assert second["resumed_from"] is not None and second["messages"] == 0
    assert second["grades"] == first["grades"]
    assert _counts(session_factory) == once
    scratch = _watch("--from-scratch")
    assert scratch["messages"] == 16 and scratch["grade_changes_already_recorded"] == len(
        scratch["grade_changes"]
    )
    assert _counts(session_factory) == once


def test_an_unusable_saved_state_is_reported_and_the_watch_cold_starts(
    session_factory: sessionmaker[Session], colibri: str
) -> None:
    seed_pile_on(session_factory)
    replay_workspace(session_factory, colibri)
    with transaction(session_factory) as session:
        saved = session.scalars(select(WatchState)).one()
        saved.state = json.dumps({**json.loads(saved.state), "version": 0})
    again = replay_workspace(session_factory, colibri, resume=True)
    assert again.resumed_from is None and again.report.messages == 16
    assert again.restore_problem is not None and "version 0" in again.restore_problem
    with session_factory() as session:
        assert json.loads(session.scalars(select(WatchState.state)).one())["version"] == STATE_VERSION

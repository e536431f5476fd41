"""`vigie demo` end to end (batch and live), and the step registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from vigie.cli.main import app
from vigie.demo import steps as demo_steps
from vigie.demo.steps import DemoContext, DemoStep, register_step
from vigie.demo.stream import demo_messages
from vigie.ingest.models import Author, Message
from vigie.storage.db import make_engine, make_session_factory

runner = CliRunner()


def _stored(path: Path) -> tuple[int, int, int]:
    engine = make_engine(f"sqlite:///{path}")
    with make_session_factory(engine)() as session:
        messages = session.scalar(select(func.count()).select_from(Message)) or 0
        pile_on = (
            session.scalar(select(func.count()).where(Message.in_reply_to.in_(["x-1100", "x-1101"]))) or 0
        )
        activist = session.scalars(select(Author.followers).where(Author.handle == "@marc_activiste")).one()
    engine.dispose()
    return messages, pile_on, activist or 0


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    total = len(demo_messages())
    assert total >= 200
    assert f"read {total}, accepted {total}, duplicates 0, quarantined 0" in result.stdout
    assert "Biggest threads" in result.stdout and "Demo finished" in result.stdout
    messages, pile_on, activist = _stored(tmp_path / "demo.sqlite3")
    assert messages == total and pile_on >= 40 and activist > 10_000
    # A second run starts again from a fresh database.
    again = runner.invoke(app, ["demo", "--data-dir", str(tmp_path)])
    assert again.exit_code == 0 and f"accepted {total}," in again.stdout


def test_demo_stream_is_bilingual_and_has_the_story() -> None:
    messages = demo_messages()
    langs = {m.fields["lang"] for m in messages}
    assert {"fr", "en"} <= langs
    texts = " ".join(m.fields["text"] for m in messages)
    assert "je veux parler à un responsable" in texts.lower()
    assert "déclaration officielle" in texts
    pile = [m for m in messages if m.fields.get("in_reply_to") in {"x-1100", "x-1101"}]
    first_20_min = [m for m in pile if (m.offset - pile[0].offset).total_seconds() <= 20 * 60]
    assert len({m.fields["author"]["handle"] for m in first_20_min}) >= 30


def test_live_feed_plays_the_whole_day_quickly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--live", "--speed", "100000"])
    assert result.exit_code == 0, result.output
    assert "@marc_activiste" in result.stdout
    assert _stored(tmp_path / "demo.sqlite3")[0] == len(demo_messages())


def test_register_step_orders_and_refuses_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_steps, "STEPS", list(demo_steps.STEPS))
    calls: list[str] = []

    def run(ctx: DemoContext) -> None:
        calls.append(ctx.workspace_slug)

    register_step(DemoStep("analysis", "Analysis", run), after="stream")
    register_step(DemoStep("early", "Early", run), after="database")
    assert [s.name for s in demo_steps.STEPS][:5] == ["database", "early", "workspace", "stream", "analysis"]
    with pytest.raises(ValueError, match="exists already"):
        register_step(DemoStep("analysis", "Again", run))
    with pytest.raises(ValueError, match="no demo step named 'nope'"):
        register_step(DemoStep("x", "X", run), after="nope")

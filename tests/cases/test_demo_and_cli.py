"""The inbox in `vigie demo` (the issue's "must show") and the `vigie cases` commands."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from vigie.audit.models import AuditEntry
from vigie.cases.models import CaseEvent
from vigie.cli.main import app
from vigie.storage.db import make_engine, make_session_factory

runner = CliRunner()

# Routing follows the team's working hours, so the demo runs at a fixed moment: a Wednesday afternoon in
# Paris, when the whole example team works, and a Saturday morning, when only hugo does.
WEDNESDAY_AFTERNOON = "2026-11-18T14:00+01:00"
SATURDAY_MORNING = "2026-11-21T11:30+01:00"


def demo_output(tmp_path: Path, moment: str) -> str:
    """The demo run at ``moment``, its output on one line (rich wraps at the terminal width)."""
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--at", moment])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_demo_routes_the_activist_refund_and_technical_question(tmp_path: Path) -> None:
    out = demo_output(tmp_path, WEDNESDAY_AFTERNOON)
    assert "Routing at Wed 18 Nov 2026 14:00 (Europe/Paris): working camille, lucas, sarah" in out
    assert "assigned to marc" in out and "holds the spokesperson mandate" in out
    assert "assigned to ines" in out and "expert on 'app_bug'" in out
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = {"VIGIE_DATABASE_URL": url}
    listed = runner.invoke(app, ["cases", "list", "-w", "colibri", "--json", "--limit", "500"], env=env)
    assert listed.exit_code == 0, listed.output
    cases = json.loads(listed.stdout)
    assert len(cases) > 50
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        escalations = session.scalars(select(CaseEvent).where(CaseEvent.kind == "sla_escalated")).all()
        audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "case.sla_escalate")).all()
    engine.dispose()
    assert escalations and len(audited) >= len(escalations)
    assert all(e.data["minutes_late"] >= 0 and e.data["escalate_to"] for e in escalations)
    # The refund request (email-5001) went to someone who may refund.
    refund = next(c for c in cases if c["thread_key"] == "email-5001")
    assert "refund" in refund["routing"]["needs"]
    assert refund["assignee"] in {"camille", "lucas", "sarah", "hugo", "nadia", "marc"}
    shown = runner.invoke(app, ["cases", "show", str(refund["id"]), "-w", "colibri"], env=env)
    assert shown.exit_code == 0 and "may refund" in shown.stdout and "History:" in shown.stdout
    # Hand it back: routed to someone else, learnt.
    back = runner.invoke(
        app,
        [
            "cases",
            "handback",
            str(refund["id"]),
            "-w",
            "colibri",
            "-m",
            refund["assignee"],
            "-r",
            "pas dispo",
            "--json",
        ],
        env=env,
    )
    assert back.exit_code == 0, back.output
    assert json.loads(back.stdout)["rerouted_to"] not in (None, refund["assignee"])
    bad = runner.invoke(app, ["cases", "status", str(refund["id"]), "finished", "-w", "colibri"], env=env)
    assert bad.exit_code == 2 and "expected one of new, assigned" in bad.output
    missing = runner.invoke(app, ["cases", "show", "999999", "-w", "colibri"], env=env)
    assert missing.exit_code == 2 and "No case 999999" in missing.output
    dry = runner.invoke(
        app, ["cases", "route", str(refund["id"]), "-w", "colibri", "--dry-run", "--json"], env=env
    )
    assert dry.exit_code == 0 and json.loads(dry.stdout)["applied"] is False


def test_demo_on_a_saturday_routes_to_whoever_works_and_says_who_does_not(tmp_path: Path) -> None:
    out = demo_output(tmp_path, SATURDAY_MORNING)
    assert "Routing at Sat 21 Nov 2026 11:30 (Europe/Paris): working hugo; not working" in out
    assert "ines (not a working day)" in out and "lucas (outside working hours)" in out
    # The expert is away, so the technical question goes to the senior who works and knows app bugs.
    assert "A technical question (app crash) (x-1003) → case #7, assigned to hugo" in out
    assert "expertise on 'app_bug' 3/5; available now" in out
    # Nobody holding the spokesperson mandate works: the activist still goes to one, and the reason says so.
    assert "assigned to marc" in out and "requirement relaxed, nobody met it: availability" in out


def test_demo_refuses_a_moment_it_cannot_place(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--at", "next wednesday"])
    assert result.exit_code == 2
    assert "--at 'next wednesday' is not an ISO date-time; write e.g." in result.output
    assert not (tmp_path / "demo.sqlite3").exists()


def test_demo_reads_a_moment_without_offset_as_utc_like_every_at_option(tmp_path: Path) -> None:
    out = demo_output(tmp_path, "2026-11-18T13:00")
    assert "Routing at Wed 18 Nov 2026 14:00 (Europe/Paris)" in out

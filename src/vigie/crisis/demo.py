"""The crisis step of `vigie demo`: the derailed post becomes a pile-on signal, an alert naming the thread
and its drivers, and an escalation ladder that moves on when nobody acknowledges (simulated clock)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.analysis.actions import analyse_pending
from vigie.crisis.actions import run_escalations
from vigie.crisis.models import Alert, Notification, Signal
from vigie.crisis.runner import OnlineWatch, iter_observations
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace

if TYPE_CHECKING:
    from vigie.demo.steps import DemoContext


def run_demo_step(ctx: DemoContext) -> None:
    factory = ctx.factory()
    console = ctx.console
    with transaction(factory) as session:
        workspace = session.scalar(select(Workspace).where(Workspace.slug == ctx.workspace_slug))
        assert workspace is not None
        # Messages the stream stored without analysis (no ingest hook in this process) are analysed now.
        analyse_pending(session=session, workspace=workspace)
    # The worker's loop, with the stream's own clock: each message through the watch, and the
    # escalation tick every simulated minute, so an alert nobody acknowledges moves to the next person.
    online = OnlineWatch(factory, ctx.workspace_slug)
    ladder: list[str] = []
    last_tick: datetime | None = None
    with factory() as reader:
        observations = list(iter_observations(reader, online.workspace))
    for obs in observations:
        online.process(obs)
        if last_tick is None or obs.at - last_tick >= timedelta(minutes=1):
            last_tick = obs.at
            ladder += _tick(factory, online, obs.at)
    if observations:
        # Nobody answers after the stream either: one more hour of ticks.
        end = observations[-1].at
        for minute in range(1, 61):
            ladder += _tick(factory, online, end + timedelta(minutes=minute))
    report = online.report
    console.print(
        f"Crisis watch: {report.messages} messages through the detectors, {len(report.signals)} signals, "
        f"{len(report.changes)} grade changes."
    )
    workspace_id = online.workspace.id
    with transaction(factory) as session:
        pile = first_pile_on(session, workspace_id)
        if pile is not None:
            first = pile.details.get("first_complainer") or {}
            console.print(
                f"[bold]Pile-on[/bold] on {pile.details.get('channel')} thread {pile.details.get('thread_root')}: "
                f"first complainer {first.get('author')} (message #{first.get('message_id')}), "
                f"drivers {', '.join('#' + str(m) for m in pile.message_ids[:8])}"
            )
        alerts = list(
            session.scalars(select(Alert).where(Alert.workspace_id == workspace_id).order_by(Alert.id))
        )
        for alert in alerts:
            console.print(escape(f"Alert #{alert.id} [{alert.grade}] {alert.title} (step {alert.step})"))
        table = Table(title="Who was told what, when")
        for column in ("time", "grade", "step", "recipient", "via", "status"):
            table.add_column(column)
        for note in session.scalars(
            select(Notification).where(Notification.workspace_id == workspace_id).order_by(Notification.id)
        ):
            table.add_row(
                f"{note.created_at:%H:%M:%S}",
                note.grade,
                note.step or "-",
                note.recipient,
                note.via,
                note.status,
            )
        console.print(table)
        if ladder:
            console.print("Unacknowledged alert moved on: " + "; ".join(ladder))
        ctx.results["crisis"] = {
            "signals": len(report.signals),
            "pile_on_thread": None if pile is None else pile.details.get("thread_root"),
            "alerts": [a.id for a in alerts],
            "escalations": ladder,
        }


def first_pile_on(session: Session, workspace_id: int) -> Signal | None:
    """The workspace's earliest pile-on signal (another workspace's pile-ons are none of its business)."""
    query = (
        select(Signal)
        .where(Signal.workspace_id == workspace_id, Signal.kind == "pile_on")
        .order_by(Signal.at, Signal.id)
        .limit(1)
    )
    return session.scalars(query).first()


def _tick(factory: sessionmaker[Session], online: OnlineWatch, now: datetime) -> list[str]:
    with transaction(factory) as session:
        workspace = session.merge(online.workspace, load=False)
        result = run_escalations(session, workspace, context=online.context, now=now)
    return [
        f"alert #{e['alert_id']}: {e['from_step']} -> {e['to_step']} at {now:%H:%M}" for e in result.escalated
    ]

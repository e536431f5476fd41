"""`vigie demo` as an ordered list of named steps that every domain can extend.

A step is ``DemoStep(name, title, run)`` where ``run(ctx: DemoContext) -> None`` does its work on the
demo database (``ctx.session_factory``; open your own transaction) and prints what happened with
``ctx.console`` (rich). Steps run in the order of ``STEPS``; results a later step may need go in
``ctx.results[step_name]``.

Adding a step (analysis, routing, crisis alerts, governance checks, the web app…):

1. write ``def run_demo_step(ctx: DemoContext) -> None`` in your domain (e.g. ``vigie/analysis/demo.py``);
2. append one line to ``STEPS`` below, after the step it needs, e.g.
   ``DemoStep("analysis", "Analysis of every message", analysis_demo.run_demo_step)``;
   or, from a plugin, call ``register_step(step, after="stream")``.

Messages reach later stages the same way as in production: the ``stream`` step feeds the demo day
through the ingest pipeline, so every post-ingest hook (``vigie.ingest.hooks``) runs per batch.
In live mode (``ctx.live``) the stream step trickles messages in real time (``ctx.speed`` times faster),
dated when they arrive; ``LiveFeed`` can also run in a thread next to a web server.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.cases import demo as cases_demo
from vigie.core.clock import utcnow
from vigie.core.settings import Settings
from vigie.crisis import demo as crisis_demo
from vigie.demo.stream import STREAM_SOURCE, demo_messages, demo_record, stream_duration
from vigie.demo.summary import StreamItem, StreamStats, summarise_stream
from vigie.ingest.actions import IngestTarget, ingest_records, load_target
from vigie.ingest.models import Author, Message
from vigie.ingest.reader import RawRecord
from vigie.ingest.schemas import IngestSummary
from vigie.storage.db import make_engine, make_session_factory, transaction
from vigie.storage.migrate import upgrade
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Channel, Role, TeamMember, Workspace

DEMO_ACTOR = "vigie-demo"
FEED_BATCH = 25


@dataclass
class DemoContext:
    settings: Settings
    console: Console
    data_dir: Path | None = None  # None: a fresh temporary folder
    live: bool = False
    speed: float = 60.0
    workspace_slug: str = "colibri"
    session_factory: sessionmaker[Session] | None = None
    database_url: str = ""
    stream_start: datetime | None = None
    results: dict[str, Any] = field(default_factory=dict)

    def factory(self) -> sessionmaker[Session]:
        if self.session_factory is None:
            raise RuntimeError("the 'database' step must run first")
        return self.session_factory


@dataclass(frozen=True, slots=True)
class DemoStep:
    name: str
    title: str
    run: Callable[[DemoContext], None]


def step_database(ctx: DemoContext) -> None:
    folder = ctx.data_dir or Path(tempfile.mkdtemp(prefix="vigie-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.sqlite3"
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    ctx.database_url = f"sqlite:///{path}"
    upgrade(ctx.database_url)
    ctx.session_factory = make_session_factory(make_engine(ctx.database_url))
    ctx.settings = ctx.settings.model_copy(update={"database_url": ctx.database_url, "data_dir": folder})
    ctx.console.print(f"Fresh SQLite database: [bold]{path}[/]")
    ctx.console.print(f"  (explore it afterwards with VIGIE_DATABASE_URL={ctx.database_url})")


def step_workspace(ctx: DemoContext) -> None:
    spec = load_workspace_dir(example_workspace_dir())
    with transaction(ctx.factory()) as session:
        plan = apply_workspace(session, spec, DEMO_ACTOR)
        workspace = session.scalars(select(Workspace).where(Workspace.slug == spec.slug)).one()
        channels = session.scalars(select(Channel.name).where(Channel.workspace_id == workspace.id)).all()
        roles = session.scalars(select(Role.key).where(Role.workspace_id == workspace.id)).all()
        members = session.scalars(
            select(TeamMember.name).where(TeamMember.workspace_id == workspace.id)
        ).all()
    ctx.workspace_slug = spec.slug
    counts = plan.counts()
    ctx.console.print(
        f"Workspace [bold]{workspace.name}[/] ({spec.slug}) applied from the example folder: "
        f"{counts['create']} objects created, each written to the audit log."
    )
    ctx.console.print(f"  channels: {', '.join(sorted(channels))}")
    ctx.console.print(f"  roles: {', '.join(sorted(roles))}")
    ctx.console.print(f"  team: {', '.join(members)}")


def step_stream(ctx: DemoContext) -> None:
    if ctx.live:
        feed = LiveFeed(ctx)
        ctx.results["live_feed"] = feed
        ctx.console.print(
            f"Live feed: {len(demo_messages())} messages over {stream_duration()} of demo time, "
            f"played {ctx.speed:g}x faster (Ctrl-C stops it)."
        )
        try:
            feed.run()
        except KeyboardInterrupt:
            ctx.console.print("Feed stopped.")
        summary = feed.summary
    else:
        # The day ends a minute ago: timestamps are rebased so that the stream is recent.
        start = utcnow() - stream_duration() - timedelta(minutes=1)
        ctx.stream_start = start
        summary = IngestSummary()
        # Batches of FEED_BATCH messages, as a feed delivers them: the hooks see the day arrive.
        batch_size = min(FEED_BATCH, ctx.settings.ingest_batch_size)
        _ingest(ctx, _load_target(ctx), demo_records_at(start), summary, batch_size=batch_size)
    ctx.results["stream"] = summary
    totals = summary.totals
    ctx.console.print(
        f"Ingested the demo day: read {totals.read}, accepted {totals.accepted}, "
        f"duplicates {totals.duplicates}, quarantined {totals.quarantined}."
    )
    for error in summary.hook_errors:
        ctx.console.print(f"[red]post-ingest hook error:[/] {error}")
    stats = _stream_stats(ctx)
    ctx.results["stream_stats"] = stats
    print_stream_stats(ctx.console, stats)


def demo_records_at(start: datetime) -> Iterator[RawRecord]:
    for line, message in enumerate(demo_messages(), start=1):
        yield demo_record(message, start + message.offset, line)


def _load_target(ctx: DemoContext) -> IngestTarget:
    with transaction(ctx.factory()) as session:
        return load_target(session, workspace_slug=ctx.workspace_slug)


def _ingest(
    ctx: DemoContext,
    target: IngestTarget,
    records: Iterable[RawRecord],
    summary: IngestSummary,
    *,
    batch_size: int | None = None,
) -> None:
    """Feed ``records`` through the ingest pipeline, committing (and running the hooks) per batch."""
    ingest_records(
        ctx.factory(),
        target=target,
        records=records,
        summary=summary,
        max_text_length=ctx.settings.max_text_length,
        batch_size=batch_size or ctx.settings.ingest_batch_size,
    )


class LiveFeed:
    """Plays the demo day in real time (``speed`` times faster), each message dated when it arrives."""

    def __init__(self, ctx: DemoContext, *, on_message: Callable[[RawRecord], None] | None = None) -> None:
        self.ctx = ctx
        self.summary = IngestSummary()
        self.stop = threading.Event()
        self.on_message = on_message or self._print

    def _print(self, record: RawRecord) -> None:
        fields = record.fields or {}
        author = (fields.get("author") or {}).get("handle", "?")
        text = str(fields.get("text", ""))
        shown = text if len(text) <= 100 else text[:97] + "..."
        self.ctx.console.print(f"[dim]{fields.get('channel', '?'):<9}[/] [bold]{author}[/]: {shown}")

    def run(self) -> None:
        started = time.monotonic()
        messages = demo_messages()
        target = _load_target(self.ctx)
        index = 0
        while index < len(messages) and not self.stop.is_set():
            elapsed = (time.monotonic() - started) * self.ctx.speed
            due: list[RawRecord] = []
            while index < len(messages) and messages[index].offset.total_seconds() <= elapsed:
                due.append(demo_record(messages[index], utcnow(), index + 1))
                index += 1
            if due:
                _ingest(self.ctx, target, due, self.summary)
                for record in due:
                    self.on_message(record)
                continue
            wait = (messages[index].offset.total_seconds() - elapsed) / self.ctx.speed
            self.stop.wait(min(max(wait, 0.01), 0.5))


def _stream_stats(ctx: DemoContext) -> StreamStats:
    with ctx.factory()() as session:
        rows = session.execute(
            select(
                Channel.name,
                Message.external_id,
                Message.in_reply_to,
                Message.created_at,
                Author.handle,
                Author.followers,
                Message.lang,
                Message.text,
            )
            .join(Channel, Channel.id == Message.channel_id)
            .outerjoin(Author, Author.id == Message.author_id)
            .join(Workspace, Workspace.id == Message.workspace_id)
            .where(Workspace.slug == ctx.workspace_slug)
        ).all()
    return summarise_stream([StreamItem(*row) for row in rows])


def print_stream_stats(console: Console, stats: StreamStats) -> None:
    if stats.total == 0 or stats.start is None or stats.end is None:
        console.print("No message stored.")
        return
    console.print(
        f"{stats.total} messages from {stats.authors} authors between {stats.start:%H:%M} and "
        f"{stats.end:%H:%M} UTC; by channel: "
        + ", ".join(f"{k} {v}" for k, v in stats.by_channel.items())
        + "; by language: "
        + ", ".join(f"{k} {v}" for k, v in stats.by_lang.items())
    )
    if stats.busiest_window is not None:
        at, count = stats.busiest_window
        console.print(
            f"Busiest 10 minutes: {count} messages from {at:%H:%M} UTC "
            f"(a typical 10 minutes: {stats.median_window:g})."
        )
    table = Table(title="Biggest threads", show_lines=False)
    for column in ("channel", "root", "replies", "authors", "new authors", "span", "started by"):
        table.add_column(column)
    for thread in stats.threads[:4]:
        span = (
            f"{(thread.last_reply - thread.first_reply).total_seconds() / 60:.0f} min"
            if thread.first_reply and thread.last_reply
            else "-"
        )
        root = thread.root_text if len(thread.root_text) <= 30 else thread.root_text[:27] + "..."
        table.add_row(
            thread.channel,
            root,
            str(thread.replies),
            str(thread.authors),
            str(thread.new_authors),
            span,
            thread.root_author or "?",
        )
    console.print(table)
    console.print("Most followed authors who posted: " + ", ".join(f"{a} ({f:,})" for a, f in stats.loudest))


# The demo, in order. Each domain appends its step here (see the module docstring).
STEPS: list[DemoStep] = [
    DemoStep("database", "A fresh SQLite database", step_database),
    DemoStep("workspace", "The example workspace (Colibri)", step_workspace),
    DemoStep("stream", "A day of messages, then a pile-on", step_stream),
    DemoStep(
        "crisis", "Crisis watch: the pile-on, the alert and the escalation ladder", crisis_demo.run_demo_step
    ),
    DemoStep("cases", "The inbox: cases routed within mandate, SLA escalations", cases_demo.run_demo_step),
]


def register_step(step: DemoStep, *, after: str | None = None) -> None:
    """Insert ``step`` after the step named ``after`` (at the end by default); names are unique."""
    if any(existing.name == step.name for existing in STEPS):
        raise ValueError(f"a demo step named '{step.name}' exists already")
    if after is None:
        STEPS.append(step)
        return
    names = [existing.name for existing in STEPS]
    if after not in names:
        raise ValueError(f"no demo step named '{after}' (steps: {', '.join(names)})")
    STEPS.insert(names.index(after) + 1, step)


__all__ = ["STEPS", "STREAM_SOURCE", "DemoContext", "DemoStep", "LiveFeed", "register_step"]

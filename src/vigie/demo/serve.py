"""`vigie demo --serve`: the web app on the demo database while the demo day plays as a live feed.

The steps before the stream run as usual (fresh database, example workspace); then one web account is
created per team member with a printed demo password, the server starts, and a feed thread trickles
the messages in (analysed and filed into cases by the post-ingest hooks) while a watch thread runs the
crisis detectors and the escalation ladder on each new message, so alerts appear live in the crisis room.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import uvicorn
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.accounts.service import create_user, grant_membership
from vigie.api.app import create_app
from vigie.cases import hooks as case_hooks
from vigie.core.clock import utcnow
from vigie.crisis.actions import run_escalations
from vigie.crisis.runner import OnlineWatch, iter_observations
from vigie.demo.steps import STEPS, DemoContext, LiveFeed
from vigie.storage.db import transaction
from vigie.workspace.models import TeamMember, Workspace

DEMO_PASSWORD = "colibri-demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    member: str
    roles: tuple[str, ...]


def create_demo_users(ctx: DemoContext, *, password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """One web account per team member of the demo workspace (e-mail ``<key>@<slug>.demo``)."""
    logins: list[DemoLogin] = []
    with transaction(ctx.factory()) as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == ctx.workspace_slug)).one()
        members = session.scalars(
            select(TeamMember).where(TeamMember.workspace_id == workspace.id).order_by(TeamMember.id)
        ).all()
        for member in members:
            email = f"{member.key}@{workspace.slug}.demo"
            user = create_user(session, email=email, password=password, display_name=member.name, locale="fr")
            grant_membership(
                session, user=user, workspace=workspace, roles=list(member.roles), member_key=member.key
            )
            logins.append(DemoLogin(email=email, member=member.key, roles=tuple(member.roles)))
    return logins


@dataclass
class LiveWatch:
    """Runs the crisis watch on the messages the feed stores, and the escalation ladder every minute."""

    ctx: DemoContext
    stop: threading.Event = field(default_factory=threading.Event)
    poll_seconds: float = 0.5
    errors: list[str] = field(default_factory=list)

    def run(self) -> None:
        factory = self.ctx.factory()
        online = OnlineWatch(factory, self.ctx.workspace_slug)
        self.last_id: int | None = None
        self.last_tick: datetime | None = None
        while not self.stop.is_set():
            try:
                self._step(factory, online)
            except Exception as error:  # noqa: BLE001 - the demo keeps watching; the error is shown
                self.errors.append(repr(error))
                self.ctx.console.print(f"[red]crisis watch error:[/] {error!r}")
            self.stop.wait(self.poll_seconds)

    def _step(self, factory: sessionmaker[Session], online: OnlineWatch) -> None:
        with factory() as reader:
            workspace = reader.scalars(
                select(Workspace).where(Workspace.slug == self.ctx.workspace_slug)
            ).one()
            observations = list(iter_observations(reader, workspace, since_id=self.last_id))
        for obs in observations:
            self.last_id = max(self.last_id or 0, obs.message_id)
            online.process(obs)
        now = utcnow()
        if self.last_tick is None or now - self.last_tick >= timedelta(minutes=1):
            self.last_tick = now
            with transaction(factory) as session:
                workspace = session.scalars(
                    select(Workspace).where(Workspace.slug == self.ctx.workspace_slug)
                ).one()
                run_escalations(session, workspace, context=online.context, now=now)


def prepare(ctx: DemoContext) -> list[DemoLogin]:
    """Run the steps before the stream and create the demo accounts."""
    case_hooks.register()
    for step in STEPS:
        if step.name == "stream":
            break
        step.run(ctx)
    return create_demo_users(ctx)


def start_feed(ctx: DemoContext, *, quiet: bool = True) -> tuple[LiveFeed, LiveWatch, list[threading.Thread]]:
    """Start the live feed and the watch in daemon threads; set ``feed.stop`` / ``watch.stop`` to end them."""
    feed = LiveFeed(ctx, on_message=(lambda _record: None) if quiet else None)
    watch = LiveWatch(ctx)
    threads = [
        threading.Thread(target=feed.run, name="vigie-demo-feed", daemon=True),
        threading.Thread(target=watch.run, name="vigie-demo-watch", daemon=True),
    ]
    for thread in threads:
        thread.start()
    return feed, watch, threads


def serve_demo(ctx: DemoContext, *, host: str, port: int) -> None:
    """Prepare, print the URL and the logins, then serve until Ctrl-C with the feed running live."""
    logins = prepare(ctx)
    url = f"http://{host}:{port}/"
    table = Table(title=f"Demo logins (password: {DEMO_PASSWORD})")
    for column in ("e-mail", "member", "roles"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.email, login.member, ", ".join(login.roles))
    ctx.console.print(table)
    ctx.console.print(f"Vigie demo is listening on [bold]{url}[/] — log in with any account above.")
    ctx.console.print(
        f"The demo day plays {ctx.speed:g}x faster than real time; watch the crisis room: "
        f"{url}w/{ctx.workspace_slug}/crisis (Ctrl-C stops)."
    )
    feed, watch, threads = start_feed(ctx)
    app = create_app(ctx.settings)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        feed.stop.set()
        watch.stop.set()
        for thread in threads:
            thread.join(timeout=5)

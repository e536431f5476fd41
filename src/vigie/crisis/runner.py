"""The online path: stored messages -> observations -> the watch -> committed rows -> notifications sent.

Per message, the pure :class:`~vigie.crisis.watch.CrisisWatch` runs in memory; only when it finds a
signal or a grade change does :class:`OnlineWatch` open a short transaction (signals, grade change,
alert, notification rows, audit). Right after the commit, the e-mail and webhook rows go to the
background :class:`~vigie.crisis.delivery.Dispatcher`, so the watch never waits on the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.crisis.actions import WATCH_ACTOR, EscalationContext, Recorded, WatchRecorder
from vigie.crisis.delivery import Dispatcher
from vigie.crisis.detectors import Observation, SignalEvent
from vigie.crisis.grading import GradeChangeEvent
from vigie.crisis.models import Alert
from vigie.crisis.room import crisis_for_alert, declare_crisis
from vigie.crisis.service import load_escalation, team_members
from vigie.crisis.watch import CrisisWatch, WatchConfig, WatchStep, observation_from_row
from vigie.ingest.models import Author, Message
from vigie.storage.db import transaction
from vigie.workspace.models import Channel, Workspace


def escalation_context(session: Session, workspace: Workspace) -> EscalationContext:
    return EscalationContext(
        escalation=load_escalation(session, workspace), members=team_members(session, workspace)
    )


def iter_observations(
    session: Session, workspace: Workspace, *, since_id: int | None = None, batch: int = 2000
) -> Iterator[Observation]:
    """The workspace's analysed messages in time order, as observations (drill messages excluded)."""
    query = (
        select(Message, Channel.name, Author.handle, Author.followers, Author.influence, Author.history)
        .join(Channel, Channel.id == Message.channel_id)
        .outerjoin(Author, Author.id == Message.author_id)
        .where(Message.workspace_id == workspace.id, Message.drill.is_(False))
        .order_by(Message.created_at, Message.id)
        .execution_options(yield_per=batch)
    )
    if since_id is not None:
        query = query.where(Message.id > since_id)
    for message, channel, handle, followers, influence, history in session.execute(query):
        yield observation_from_row(
            message_id=message.id,
            at=message.created_at,
            channel=channel,
            external_id=message.external_id,
            text=message.text,
            in_reply_to=message.in_reply_to,
            analysis=message.analysis,
            author=handle,
            followers=followers,
            influence=influence,
            history=history,
        )


@dataclass
class WatchReport:
    messages: int = 0
    signals: list[SignalEvent] = field(default_factory=list)
    changes: list[GradeChangeEvent] = field(default_factory=list)
    recorded: Recorded = field(default_factory=Recorded)
    crises_opened: list[int] = field(default_factory=list)


class OnlineWatch:
    """One workspace's watch, wired to the database and (optionally) a background dispatcher."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        workspace_slug: str,
        *,
        config: WatchConfig | None = None,
        dispatcher: Dispatcher | None = None,
        clock: Callable[[], datetime] | None = None,
        record: bool = True,
    ) -> None:
        self.factory = factory
        self.dispatcher = dispatcher
        self.clock = clock
        self.record = record
        self.watch = CrisisWatch(config)
        with transaction(factory) as session:
            workspace = session.scalar(select(Workspace).where(Workspace.slug == workspace_slug))
            if workspace is None:
                raise LookupError(workspace_slug)
            session.expunge(workspace)
            self.context = escalation_context(session, workspace)
        self.workspace = workspace
        self.recorder = WatchRecorder(workspace, self.context)
        self.report = WatchReport()
        # E-mail/webhook notifications committed but not handed to a dispatcher (none configured).
        self.undelivered: list[int] = []

    def process(self, obs: Observation) -> WatchStep:
        step = self.watch.process(obs)
        self.report.messages += 1
        self._commit(step, trigger=obs.message_id, at=obs.at)
        return step

    def tick(self, now: datetime) -> WatchStep:
        step = self.watch.tick(now)
        self._commit(step, trigger=None, at=now)
        return step

    def _commit(self, step: WatchStep, *, trigger: int | None, at: datetime) -> None:
        if not step.signals and not step.changes:
            return
        self.report.signals += step.signals
        self.report.changes += step.changes
        if not self.record:
            return
        now = at if self.clock is None else max(at, self.clock())
        with transaction(self.factory) as session:
            workspace = session.merge(self.workspace, load=False)
            self.recorder.workspace = workspace
            recorded = self.recorder.record(session, step, trigger_message_id=trigger, now=now)
            for alert_id in recorded.crisis_alert_ids:
                alert = session.get(Alert, alert_id)
                if alert is None or crisis_for_alert(session, alert) is not None:
                    continue
                outcome = declare_crisis(
                    session, workspace, context=self.context, declared_by=WATCH_ACTOR, now=now, alert=alert
                )
                self.report.crises_opened.append(outcome.crisis.id)
                recorded.pending_notification_ids += outcome.pending_notification_ids
        self.report.recorded.extend(recorded)
        if self.dispatcher is not None:
            self.dispatcher.submit(recorded.pending_notification_ids)
        else:
            self.undelivered += recorded.pending_notification_ids


def replay_workspace(
    factory: sessionmaker[Session],
    workspace_slug: str,
    *,
    config: WatchConfig | None = None,
    dispatcher: Dispatcher | None = None,
    record: bool = True,
    on_step: Callable[[Observation, WatchStep], None] | None = None,
) -> OnlineWatch:
    """Run every stored message of the workspace through a fresh watch (cold start), in time order.

    The clock is the messages' own time, so deadlines and cool-downs follow the stream.
    """
    online = OnlineWatch(factory, workspace_slug, config=config, dispatcher=dispatcher, record=record)
    with factory() as reader:
        for obs in iter_observations(reader, online.workspace):
            step = online.process(obs)
            if on_step is not None:
                on_step(obs, step)
    return online

"""The online path: stored messages -> observations -> the watch -> committed rows -> notifications sent.

Per message, the pure :class:`~vigie.crisis.watch.CrisisWatch` runs in memory; only when it finds a
signal or a grade change does :class:`OnlineWatch` open a short transaction (signals, grade change,
alert, notification rows, audit). Right after the commit, the e-mail and webhook rows go to the
background :class:`~vigie.crisis.delivery.Dispatcher`, so the watch never waits on the network.

The watch's state and the last message it read are saved per workspace (``crisis_watch_state``) every
``checkpoint_every`` messages and at the end of a run, so a restarted watch resumes where it stopped.
Recording is idempotent (:class:`~vigie.crisis.actions.WatchRecorder`), so replaying a period, or
resuming from an older checkpoint after a crash, records and notifies nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from vigie.core.clock import utcnow
from vigie.crisis.actions import WATCH_ACTOR, EscalationContext, Recorded, WatchRecorder
from vigie.crisis.delivery import Dispatcher
from vigie.crisis.detectors import Observation, SignalEvent
from vigie.crisis.grading import GradeChangeEvent
from vigie.crisis.models import Alert, WatchState
from vigie.crisis.room import crisis_for_alert, declare_crisis
from vigie.crisis.service import load_escalation, team_members
from vigie.crisis.snapshot import SnapshotError
from vigie.crisis.watch import STATE_VERSION, CrisisWatch, WatchConfig, WatchStep, observation_from_row
from vigie.ingest.models import Author, Message
from vigie.storage.db import transaction
from vigie.workspace.models import Channel, Workspace


def escalation_context(session: Session, workspace: Workspace) -> EscalationContext:
    return EscalationContext(
        escalation=load_escalation(session, workspace), members=team_members(session, workspace)
    )


@dataclass(frozen=True)
class WatchPosition:
    """The last message the watch read, in (created_at, id) order, and the highest id it has read."""

    at: datetime
    message_id: int
    max_message_id: int

    def after(self, obs: Observation) -> WatchPosition:
        top = max(self.max_message_id, obs.message_id)
        if (obs.at, obs.message_id) > (self.at, self.message_id):
            return WatchPosition(obs.at, obs.message_id, top)
        return WatchPosition(self.at, self.message_id, top)

    @classmethod
    def first(cls, obs: Observation) -> WatchPosition:
        return cls(obs.at, obs.message_id, obs.message_id)


def iter_observations(
    session: Session,
    workspace: Workspace,
    *,
    since_id: int | None = None,
    after: WatchPosition | None = None,
    batch: int = 2000,
) -> Iterator[Observation]:
    """The workspace's analysed messages in time order, as observations (drill messages excluded).

    ``after``: only the messages the watch has not read yet — later in (created_at, id) order, or stored
    since (an id above the highest read), even if they are dated before the position.
    """
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
    if after is not None:
        query = query.where(
            or_(
                Message.created_at > after.at,
                and_(Message.created_at == after.at, Message.id > after.message_id),
                Message.id > after.max_message_id,
            )
        )
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

    @property
    def changes_already_recorded(self) -> int:
        """Grade changes found again by a replay and already stored: not recorded, nobody notified again."""
        return self.recorded.changes_already_recorded


class OnlineWatch:
    """One workspace's watch, wired to the database and (optionally) a background dispatcher.

    ``resume``: start from the workspace's saved watch state (if any, and usable) instead of cold.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        workspace_slug: str,
        *,
        config: WatchConfig | None = None,
        dispatcher: Dispatcher | None = None,
        clock: Callable[[], datetime] | None = None,
        record: bool = True,
        resume: bool = False,
    ) -> None:
        self.factory = factory
        self.dispatcher = dispatcher
        self.clock = clock
        self.record = record
        self.watch = CrisisWatch(config)
        self.position: WatchPosition | None = None
        self.resumed_from: WatchPosition | None = None
        # Why a saved state was not used (None when resumed, or when there was nothing to resume).
        self.restore_problem: str | None = None
        with transaction(factory) as session:
            workspace = session.scalar(select(Workspace).where(Workspace.slug == workspace_slug))
            if workspace is None:
                raise LookupError(workspace_slug)
            session.expunge(workspace)
            self.context = escalation_context(session, workspace)
            saved = (
                None
                if not resume
                else session.scalar(select(WatchState).where(WatchState.workspace_id == workspace.id))
            )
            if saved is not None:
                self._resume_from(saved, config)
        self.workspace = workspace
        self.recorder = WatchRecorder(workspace, self.context)
        self.report = WatchReport()
        # E-mail/webhook notifications committed but not handed to a dispatcher (none configured).
        self.undelivered: list[int] = []

    def _resume_from(self, saved: WatchState, config: WatchConfig | None) -> None:
        try:
            self.watch = CrisisWatch.restore(json.loads(saved.state), config)
        except (SnapshotError, json.JSONDecodeError) as error:
            self.restore_problem = f"{error}; the detectors cold-start and every stored message is read again"
            return
        if saved.last_at is not None and saved.last_message_id is not None:
            top = saved.max_message_id if saved.max_message_id is not None else saved.last_message_id
            self.position = WatchPosition(saved.last_at, saved.last_message_id, top)
            self.resumed_from = self.position

    def process(self, obs: Observation) -> WatchStep:
        step = self.watch.process(obs)
        self.position = WatchPosition.first(obs) if self.position is None else self.position.after(obs)
        self.report.messages += 1
        self._commit(step, trigger=obs.message_id, at=obs.at)
        return step

    def pending(self, reader: Session) -> Iterator[Observation]:
        """The stored messages this watch has not read yet, in time order."""
        return iter_observations(reader, self.workspace, after=self.position)

    def run_pending(
        self,
        *,
        on_step: Callable[[Observation, WatchStep], None] | None = None,
        checkpoint_every: int = 10_000,
    ) -> None:
        """Read every message not read yet, saving the state every ``checkpoint_every`` and at the end."""
        count = 0
        with self.factory() as reader:
            for count, obs in enumerate(self.pending(reader), start=1):
                step = self.process(obs)
                if on_step is not None:
                    on_step(obs, step)
                if count % checkpoint_every == 0:
                    self.checkpoint()
        # Nothing read since the last save (no new message, or the loop's checkpoint fell on the last
        # one): the saved state is already this one, and serialising it again costs its whole size.
        if count % checkpoint_every:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Save the watch's state and position for this workspace (nothing when not recording)."""
        if not self.record or self.position is None:
            return
        state = json.dumps(self.watch.state_dict(), separators=(",", ":"))
        with transaction(self.factory) as session:
            row = session.scalar(select(WatchState).where(WatchState.workspace_id == self.workspace.id))
            if row is None:
                row = WatchState(workspace_id=self.workspace.id, version=STATE_VERSION)
                session.add(row)
            row.version = STATE_VERSION
            row.last_at = self.position.at
            row.last_message_id = self.position.message_id
            row.max_message_id = self.position.max_message_id
            row.messages = self.watch.messages_seen
            row.state = state
            row.saved_at = utcnow() if self.clock is None else self.clock()

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
    resume: bool = False,
    checkpoint_every: int = 10_000,
) -> OnlineWatch:
    """Run the workspace's stored messages through the watch in time order, and save where it stopped.

    Cold start over every message, or with ``resume`` from the saved state over the messages not read
    yet. The clock is the messages' own time, so deadlines and cool-downs follow the stream.
    """
    online = OnlineWatch(
        factory, workspace_slug, config=config, dispatcher=dispatcher, record=record, resume=resume
    )
    online.run_pending(on_step=on_step, checkpoint_every=checkpoint_every)
    return online

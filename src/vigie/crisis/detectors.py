"""Streaming crisis detectors: pure, strictly causal, cold-start aware, each explaining itself.

Every detector takes one :class:`Observation` at a time, in time order, and returns the signals that
message raises (often none). A detector never looks at anything after the message it is given: its
baselines are built only from what came before. Each :class:`SignalEvent` says what rose, from which
baseline, and which messages drove it (message ids).

No database, no clock: the caller turns stored messages into observations (see ``watch.py``).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from vigie.crisis.snapshot import iso, maybe_when, when

WORKSPACE_SCOPE = "*"
# A detector that fired recently fires again early only when its score has grown by this much.
REFIRE_STEP = 0.1
WATCHED_LABELS = frozenset({"journalist", "activist", "influencer"})


class SignalKind(StrEnum):
    VOLUME = "volume"
    NEGATIVE_SHARE = "negative_share"
    TOXIC_SHARE = "toxic_share"
    PILE_ON = "pile_on"
    INFLUENCER = "influencer"
    SPREAD = "spread"


@dataclass(frozen=True)
class Observation:
    """What the detectors need to know about one message (already analysed)."""

    message_id: int
    at: datetime
    channel: str
    external_id: str
    author: str
    text: str = ""
    in_reply_to: str | None = None
    negative: bool = False
    sentiment_score: float = 0.0
    toxicity: float = 0.0
    topics: tuple[str, ...] = ()
    followers: int = 0
    influence: float = 0.0
    author_labels: frozenset[str] = frozenset()
    # Messages this author sent us before this one, as far as the caller knows (Author.history).
    author_prior_messages: int = 0


@dataclass(frozen=True)
class SignalEvent:
    """One detection: a score in [0, 1] for a scope (the workspace '*' or a topic key)."""

    kind: SignalKind
    scope: str
    at: datetime
    score: float
    summary: str
    message_ids: tuple[int, ...]
    channel: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "scope": self.scope,
            "at": iso(self.at),
            "score": self.score,
            "summary": self.summary,
            "message_ids": list(self.message_ids),
            "channel": self.channel,
            "details": self.details,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignalEvent:
        return cls(
            kind=SignalKind(data["kind"]),
            scope=str(data["scope"]),
            at=when(data["at"]),
            score=float(data["score"]),
            summary=str(data["summary"]),
            message_ids=tuple(int(m) for m in data["message_ids"]),
            channel=data.get("channel"),
            details=dict(data.get("details") or {}),
        )


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


# --- negative / toxic share ------------------------------------------------------------------------


@dataclass
class _ShareState:
    window: deque[tuple[datetime, int, bool]] = field(default_factory=deque)
    hits_in_window: int = 0
    # Baseline: time-decayed counts of messages that have left the short window (strictly older).
    base_hits: float = 0.0
    base_total: float = 0.0
    base_at: datetime | None = None
    last_fired: datetime | None = None
    last_score: float = 0.0
    # Messages that have ever left the window (not decayed): how much history the baseline rests on.
    history: int = 0


@dataclass(frozen=True)
class ShareConfig:
    window: timedelta = timedelta(minutes=30)
    baseline_half_life: timedelta = timedelta(hours=12)
    # Prior share and its weight (in messages): the cold-start baseline before enough history.
    prior_share: float = 0.25
    prior_weight: float = 40.0
    min_window_messages: int = 8
    # z-score of the window against the baseline where the score starts, and where it reaches 1.
    z_start: float = 3.0
    z_full: float = 8.0
    min_lift: float = 0.2
    refire_every: timedelta = timedelta(minutes=5)
    # No signal until this many messages of the scope's own history have left the window: before that
    # the baseline is mostly the prior, a guess (airlines run at 60-80 % negative, so a new airline
    # workspace looks like a shift). Measured in benchmarks/crisis_signals.py.
    min_history: int = 200


class ShareShiftDetector:
    """Shift of the share of negative (or toxic) messages per scope, against the scope's own past.

    The short window holds the last ``window`` of messages; the baseline is the decayed share of the
    messages that left it, mixed with a prior so that a new workspace is neither blind nor jumpy. The
    score is a binomial z-score of the window's hits given the baseline share.
    """

    def __init__(self, kind: SignalKind, config: ShareConfig | None = None, toxic_threshold: float = 0.5):
        if kind not in (SignalKind.NEGATIVE_SHARE, SignalKind.TOXIC_SHARE):
            raise ValueError(f"ShareShiftDetector measures negative_share or toxic_share, not {kind}")
        self.kind = kind
        self.config = config or ShareConfig()
        self.toxic_threshold = toxic_threshold
        self._scopes: dict[str, _ShareState] = {}

    def state_dict(self) -> dict[str, Any]:
        return {
            scope: {
                "window": [[iso(at), mid, hit] for at, mid, hit in state.window],
                "hits_in_window": state.hits_in_window,
                "base_hits": state.base_hits,
                "base_total": state.base_total,
                "base_at": iso(state.base_at),
                "last_fired": iso(state.last_fired),
                "last_score": state.last_score,
                "history": state.history,
            }
            for scope, state in self._scopes.items()
        }

    def load_state_dict(self, data: dict[str, Any]) -> None:
        self._scopes = {
            scope: _ShareState(
                window=deque((when(at), int(mid), bool(hit)) for at, mid, hit in item["window"]),
                hits_in_window=int(item["hits_in_window"]),
                base_hits=float(item["base_hits"]),
                base_total=float(item["base_total"]),
                base_at=maybe_when(item["base_at"]),
                last_fired=maybe_when(item["last_fired"]),
                last_score=float(item["last_score"]),
                history=int(item["history"]),
            )
            for scope, item in data.items()
        }

    def _hit(self, obs: Observation) -> bool:
        if self.kind is SignalKind.NEGATIVE_SHARE:
            return obs.negative
        return obs.toxicity >= self.toxic_threshold

    def update(self, obs: Observation) -> list[SignalEvent]:
        hit = self._hit(obs)
        events = []
        for scope in (WORKSPACE_SCOPE, *obs.topics):
            event = self._update_scope(scope, obs, hit)
            if event is not None:
                events.append(event)
        return events

    def _update_scope(self, scope: str, obs: Observation, hit: bool) -> SignalEvent | None:
        cfg = self.config
        state = self._scopes.setdefault(scope, _ShareState())
        # Age the baseline, then fold in what left the window.
        if state.base_at is not None and obs.at > state.base_at:
            decay = 0.5 ** ((obs.at - state.base_at) / cfg.baseline_half_life)
            state.base_hits *= decay
            state.base_total *= decay
        state.base_at = obs.at if state.base_at is None else max(state.base_at, obs.at)
        horizon = obs.at - cfg.window
        while state.window and state.window[0][0] <= horizon:
            _, _, old_hit = state.window.popleft()
            state.base_total += 1.0
            state.history += 1
            if old_hit:
                state.base_hits += 1.0
                state.hits_in_window -= 1
        state.window.append((obs.at, obs.message_id, hit))
        if hit:
            state.hits_in_window += 1

        n = len(state.window)
        if not hit or n < cfg.min_window_messages or state.history < cfg.min_history:
            return None
        baseline = (state.base_hits + cfg.prior_share * cfg.prior_weight) / (
            state.base_total + cfg.prior_weight
        )
        baseline = min(max(baseline, 0.02), 0.98)
        observed = state.hits_in_window / n
        # The baseline is itself an estimate: widen the variance by how little history backs it
        # (beta-binomial), so a young workspace needs a clearer shift than an old one.
        inflation = 1.0 + n / (state.base_total + cfg.prior_weight)
        z = (state.hits_in_window - n * baseline) / math.sqrt(n * baseline * (1.0 - baseline) * inflation)
        if z < cfg.z_start or observed - baseline < cfg.min_lift:
            return None
        score = 0.3 + 0.5 * _clamp((z - cfg.z_start) / (cfg.z_full - cfg.z_start))
        # Quiet for ``refire_every`` after firing, unless the score has grown by a step.
        recent_fire = state.last_fired is not None and obs.at - state.last_fired < cfg.refire_every
        if recent_fire and score < state.last_score + REFIRE_STEP:
            return None
        state.last_fired = obs.at
        state.last_score = score
        drivers = tuple(mid for _, mid, h in state.window if h)[-20:]
        what = "negative" if self.kind is SignalKind.NEGATIVE_SHARE else "toxic"
        where = "the workspace" if scope == WORKSPACE_SCOPE else f"topic {scope}"
        return SignalEvent(
            kind=self.kind,
            scope=scope,
            at=obs.at,
            score=score,
            summary=(
                f"{what} share in {where} rose to {observed:.0%} of {n} messages in the last "
                f"{int(cfg.window.total_seconds() // 60)} min, from a baseline of {baseline:.0%}"
            ),
            message_ids=drivers,
            details={
                "observed_share": round(observed, 4),
                "baseline_share": round(baseline, 4),
                "window_messages": n,
                "window_hits": state.hits_in_window,
                "baseline_messages": round(state.base_total, 1),
                "z": round(z, 2),
                "cold_start": state.base_total < cfg.prior_weight,
            },
        )


# --- pile-on on one thread ----------------------------------------------------------------------


@dataclass(frozen=True)
class PileOnConfig:
    # 60 min and 0.4 rather than 30 min and 0.5: on real reply trees (PHEME, benchmarks/crisis_signals.py)
    # the crowd turns over an hour, and 30 min caught a third of the pile-ons.
    window: timedelta = timedelta(minutes=60)
    min_authors: int = 5
    full_authors: int = 15
    min_negative_share: float = 0.4
    # Replies in the second half of the window per reply in the first half: > 1 means accelerating.
    min_acceleration: float = 1.0
    refire_every: timedelta = timedelta(minutes=5)
    max_threads: int = 50_000
    # Posts and threads not seen for this long are forgotten (a reply to an older post starts a
    # thread of its own), so the memory and the saved state stay bounded.
    memory: timedelta = timedelta(days=3)


@dataclass
class _Reply:
    at: datetime
    message_id: int
    author: str
    negative: bool
    new_author: bool
    parent: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class _Post:
    root: str
    message_id: int
    at: datetime


@dataclass
class _Thread:
    root: str
    channel: str
    root_message_id: int | None
    replies: deque[_Reply] = field(default_factory=deque)
    first_complainer: tuple[str, int] | None = None
    last_fired: datetime | None = None
    last_score: float = 0.0
    last_seen: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "channel": self.channel,
            "root_message_id": self.root_message_id,
            "replies": [
                [iso(r.at), r.message_id, r.author, r.negative, r.new_author, r.parent, list(r.topics)]
                for r in self.replies
            ],
            "first_complainer": None if self.first_complainer is None else list(self.first_complainer),
            "last_fired": iso(self.last_fired),
            "last_score": self.last_score,
            "last_seen": iso(self.last_seen),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Thread:
        first = data["first_complainer"]
        return cls(
            root=str(data["root"]),
            channel=str(data["channel"]),
            root_message_id=data["root_message_id"],
            replies=deque(
                _Reply(when(at), int(mid), str(author), bool(neg), bool(new), str(parent), tuple(topics))
                for at, mid, author, neg, new, parent, topics in data["replies"]
            ),
            first_complainer=None if first is None else (str(first[0]), int(first[1])),
            last_fired=maybe_when(data["last_fired"]),
            last_score=float(data["last_score"]),
            last_seen=maybe_when(data["last_seen"]),
        )


class PileOnDetector:
    """A post or comment drawing accelerating negative replies from many distinct authors.

    Threads are followed through ``in_reply_to``: every reply counts for its thread's root. The signal
    names the root, the first complainer (the first negative reply in the thread: the one who "drags
    the others") and the drivers (the comments that drew the most negative replies, and the newest
    negative replies).
    """

    def __init__(self, config: PileOnConfig | None = None) -> None:
        self.config = config or PileOnConfig()
        self._posts: dict[tuple[str, str], _Post] = {}
        self._threads: dict[tuple[str, str], _Thread] = {}
        self._forgot_at: datetime | None = None

    def state_dict(self) -> dict[str, Any]:
        return {
            "posts": [
                [channel, external_id, post.root, post.message_id, iso(post.at)]
                for (channel, external_id), post in self._posts.items()
            ],
            "threads": [thread.to_dict() for thread in self._threads.values()],
            "forgot_at": iso(self._forgot_at),
        }

    def load_state_dict(self, data: dict[str, Any]) -> None:
        self._posts = {
            (str(channel), str(external_id)): _Post(str(root), int(mid), when(at))
            for channel, external_id, root, mid, at in data["posts"]
        }
        threads = [_Thread.from_dict(item) for item in data["threads"]]
        self._threads = {(thread.channel, thread.root): thread for thread in threads}
        self._forgot_at = maybe_when(data["forgot_at"])

    def _forget_old(self, now: datetime) -> None:
        """Once an hour of stream time, drop posts and threads older than ``memory``."""
        if self._forgot_at is not None and now - self._forgot_at < timedelta(hours=1):
            return
        self._forgot_at = now
        horizon = now - self.config.memory
        self._posts = {key: post for key, post in self._posts.items() if post.at > horizon}
        self._threads = {
            key: thread
            for key, thread in self._threads.items()
            if thread.last_seen is not None and thread.last_seen > horizon
        }

    def _message_of(self, key: tuple[str, str]) -> int | None:
        post = self._posts.get(key)
        return None if post is None else post.message_id

    def update(self, obs: Observation) -> list[SignalEvent]:
        self._forget_old(obs.at)
        key = (obs.channel, obs.external_id)
        if obs.in_reply_to is None:
            self._posts[key] = _Post(obs.external_id, obs.message_id, obs.at)
            return []
        parent = self._posts.get((obs.channel, obs.in_reply_to))
        root = obs.in_reply_to if parent is None else parent.root
        self._posts[key] = _Post(root, obs.message_id, obs.at)
        thread_key = (obs.channel, root)
        thread = self._threads.get(thread_key)
        if thread is None:
            thread = _Thread(root=root, channel=obs.channel, root_message_id=self._message_of(thread_key))
            self._threads[thread_key] = thread
            self._evict(obs.at)
        thread.last_seen = obs.at
        new_author = obs.author_prior_messages == 0
        thread.replies.append(
            _Reply(obs.at, obs.message_id, obs.author, obs.negative, new_author, obs.in_reply_to, obs.topics)
        )
        if obs.negative and thread.first_complainer is None:
            thread.first_complainer = (obs.author, obs.message_id)
        horizon = obs.at - self.config.window
        while thread.replies and thread.replies[0].at <= horizon:
            thread.replies.popleft()
        if not obs.negative:
            return []
        event = self._evaluate(thread, obs)
        return [] if event is None else [event]

    def _evict(self, now: datetime) -> None:
        if len(self._threads) <= self.config.max_threads:
            return
        stale = sorted(self._threads.items(), key=lambda item: item[1].last_seen or now)
        for key, _ in stale[: len(stale) // 4]:
            del self._threads[key]

    def _evaluate(self, thread: _Thread, obs: Observation) -> SignalEvent | None:
        cfg = self.config
        replies = list(thread.replies)
        negatives = [r for r in replies if r.negative]
        authors = {r.author for r in negatives}
        if len(authors) < cfg.min_authors:
            return None
        negative_share = len(negatives) / len(replies)
        if negative_share < cfg.min_negative_share:
            return None
        half = obs.at - cfg.window / 2
        recent = sum(1 for r in negatives if r.at > half)
        earlier = len(negatives) - recent
        acceleration = recent / max(earlier, 1)
        if earlier > 0 and acceleration < cfg.min_acceleration:
            return None
        new_share = len({r.author for r in negatives if r.new_author}) / len(authors)
        authors_part = (len(authors) - cfg.min_authors) / max(cfg.full_authors - cfg.min_authors, 1)
        # At most 0.8: a pile-on alone is an alert; a crisis takes independent evidence as well.
        score = 0.4 + 0.3 * _clamp(authors_part) + 0.05 * new_share + 0.05 * _clamp(acceleration / 3)
        recent_fire = thread.last_fired is not None and obs.at - thread.last_fired < cfg.refire_every
        if recent_fire and score < thread.last_score + REFIRE_STEP:
            return None
        thread.last_fired = obs.at
        thread.last_score = score
        # Drivers: the comments that drew the most negative replies, then the latest negative replies.
        drawn: dict[str, int] = {}
        for r in negatives:
            drawn[r.parent] = drawn.get(r.parent, 0) + 1
        by_id = {(thread.channel, r.parent): drawn[r.parent] for r in negatives}
        driver_comments = sorted(
            (
                (count, self._posts[key].message_id)
                for key, count in by_id.items()
                if key in self._posts and key[1] != thread.root
            ),
            reverse=True,
        )[:5]
        drivers = [mid for _, mid in driver_comments]
        drivers += [r.message_id for r in negatives[-10:] if r.message_id not in drivers]
        topics: dict[str, int] = {}
        for r in negatives:
            for topic in r.topics:
                topics[topic] = topics.get(topic, 0) + 1
        main_topic = max(topics, key=lambda t: topics[t]) if topics else None
        first = thread.first_complainer
        return SignalEvent(
            kind=SignalKind.PILE_ON,
            scope=main_topic or WORKSPACE_SCOPE,
            at=obs.at,
            score=score,
            channel=thread.channel,
            summary=(
                f"pile-on on thread {thread.channel}:{thread.root}: {len(negatives)} negative replies from "
                f"{len(authors)} authors ({new_share:.0%} new to us) in "
                f"{int(cfg.window.total_seconds() // 60)} min, accelerating x{acceleration:.1f}"
                + (f"; first complainer @{first[0].lstrip('@')}" if first else "")
            ),
            message_ids=tuple(drivers),
            details={
                "thread_root": thread.root,
                "thread_root_message_id": thread.root_message_id,
                "channel": thread.channel,
                "first_complainer": None if first is None else {"author": first[0], "message_id": first[1]},
                "driver_message_ids": drivers,
                "negative_replies": len(negatives),
                "replies": len(replies),
                "distinct_authors": len(authors),
                "new_author_share": round(new_share, 3),
                "acceleration": round(acceleration, 2),
                "negative_share": round(negative_share, 3),
                "baseline": f"fewer than {cfg.min_authors} negative authors per {int(cfg.window.total_seconds() // 60)} min",
                "topic": main_topic,
            },
        )


# --- influential author joining ---------------------------------------------------------------


@dataclass(frozen=True)
class InfluencerConfig:
    min_followers: int = 50_000
    min_influence: float = 0.7
    # An author is signalled once per this period.
    quiet_period: timedelta = timedelta(hours=6)
    context_window: timedelta = timedelta(hours=1)


class InfluencerDetector:
    """An influential author, a journalist or a known activist speaking negatively about us, or
    joining a topic that is already turning negative."""

    def __init__(self, config: InfluencerConfig | None = None) -> None:
        self.config = config or InfluencerConfig()
        self._last: dict[str, datetime] = {}
        self._recent_negative: dict[str, deque[datetime]] = {}

    def state_dict(self) -> dict[str, Any]:
        return {
            "last": {author: iso(at) for author, at in self._last.items()},
            "recent_negative": {
                topic: [iso(at) for at in times] for topic, times in self._recent_negative.items()
            },
        }

    def load_state_dict(self, data: dict[str, Any]) -> None:
        self._last = {str(author): when(at) for author, at in data["last"].items()}
        self._recent_negative = {
            str(topic): deque(when(at) for at in times) for topic, times in data["recent_negative"].items()
        }

    def update(self, obs: Observation) -> list[SignalEvent]:
        cfg = self.config
        if len(self._last) > 10_000:
            # Authors signalled longer ago than the quiet period are free to be signalled again anyway.
            self._last = {a: at for a, at in self._last.items() if obs.at - at < cfg.quiet_period}
        active_topics = []
        for topic in obs.topics:
            recent = self._recent_negative.setdefault(topic, deque())
            while recent and recent[0] <= obs.at - cfg.context_window:
                recent.popleft()
            if len(recent) >= 3:
                active_topics.append(topic)
            if obs.negative:
                recent.append(obs.at)
        labels = obs.author_labels & WATCHED_LABELS
        influential = obs.followers >= cfg.min_followers or obs.influence >= cfg.min_influence
        if not labels and not influential:
            return []
        if not obs.negative and not active_topics:
            return []
        last = self._last.get(obs.author)
        if last is not None and obs.at - last < cfg.quiet_period:
            return []
        self._last[obs.author] = obs.at
        reach = _clamp(math.log10(max(obs.followers, 1)) / 6.0)
        score = _clamp(0.35 + 0.25 * reach + 0.2 * obs.influence + (0.15 if labels else 0.0))
        who = ", ".join(sorted(labels)) if labels else "influential author"
        scope = obs.topics[0] if obs.topics else WORKSPACE_SCOPE
        why = (
            "posts negatively"
            if obs.negative
            else f"joins the negative conversation on {', '.join(active_topics)}"
        )
        return [
            SignalEvent(
                kind=SignalKind.INFLUENCER,
                scope=scope,
                at=obs.at,
                score=score,
                channel=obs.channel,
                summary=f"@{obs.author.lstrip('@')} ({who}, {obs.followers} followers) {why} on {obs.channel}",
                message_ids=(obs.message_id,),
                details={
                    "author": obs.author,
                    "labels": sorted(labels),
                    "followers": obs.followers,
                    "influence": round(obs.influence, 3),
                    "baseline": f"followers >= {cfg.min_followers} or influence >= {cfg.min_influence} or a label",
                    "active_topics": active_topics,
                },
            )
        ]


# --- the same subject spreading to other channels -----------------------------------------------


@dataclass(frozen=True)
class SpreadConfig:
    window: timedelta = timedelta(hours=1)
    min_per_channel: int = 3
    min_channels: int = 3
    refire_every: timedelta = timedelta(minutes=15)


class SpreadDetector:
    """A topic's negative messages reaching channels where they were not before.

    Two back-to-back windows per topic: the previous one is the baseline (channels already carrying
    ``min_per_channel`` negative messages on the topic), the current one is what is happening now. The
    signal fires when at least ``min_channels`` channels carry the topic now and at least two of them did
    not in the baseline (a topic that is always everywhere is not spreading). Cold start: a topic first
    seen less than two windows ago has no full baseline yet, so it raises nothing.
    """

    def __init__(self, config: SpreadConfig | None = None) -> None:
        self.config = config or SpreadConfig()
        self._window: dict[str, deque[tuple[datetime, str, int]]] = {}
        self._first_seen: dict[str, datetime] = {}
        self._fired: dict[str, tuple[datetime, int]] = {}

    def state_dict(self) -> dict[str, Any]:
        return {
            "window": {
                topic: [[iso(at), channel, mid] for at, channel, mid in items]
                for topic, items in self._window.items()
            },
            "first_seen": {topic: iso(at) for topic, at in self._first_seen.items()},
            "fired": {topic: [iso(at), count] for topic, (at, count) in self._fired.items()},
        }

    def load_state_dict(self, data: dict[str, Any]) -> None:
        self._window = {
            str(topic): deque((when(at), str(channel), int(mid)) for at, channel, mid in items)
            for topic, items in data["window"].items()
        }
        self._first_seen = {str(topic): when(at) for topic, at in data["first_seen"].items()}
        self._fired = {str(topic): (when(at), int(count)) for topic, (at, count) in data["fired"].items()}

    def update(self, obs: Observation) -> list[SignalEvent]:
        if not obs.negative:
            return []
        cfg = self.config
        events = []
        for topic in obs.topics:
            first_seen = self._first_seen.setdefault(topic, obs.at)
            window = self._window.setdefault(topic, deque())
            window.append((obs.at, obs.channel, obs.message_id))
            while window and window[0][0] <= obs.at - 2 * cfg.window:
                window.popleft()
            if obs.at - first_seen < 2 * cfg.window:
                continue
            start = obs.at - cfg.window
            per_channel: dict[str, list[int]] = {}
            before: dict[str, int] = {}
            for at, channel, mid in window:
                if at > start:
                    per_channel.setdefault(channel, []).append(mid)
                else:
                    before[channel] = before.get(channel, 0) + 1
            reached = [c for c, mids in per_channel.items() if len(mids) >= cfg.min_per_channel]
            known = {c for c, count in before.items() if count >= cfg.min_per_channel}
            new = [c for c in reached if c not in known]
            if len(reached) < cfg.min_channels or len(new) < 2:
                continue
            fired = self._fired.get(topic)
            if fired is not None and obs.at - fired[0] < cfg.refire_every and len(reached) <= fired[1]:
                continue
            self._fired[topic] = (obs.at, len(reached))
            ordered = sorted(reached, key=lambda c: per_channel[c][0])
            origin = next((c for c in ordered if c in known), ordered[0])
            drivers = tuple(per_channel[c][0] for c in ordered) + tuple(
                mid for at, _, mid in list(window)[-10:] if at > start
            )
            events.append(
                SignalEvent(
                    kind=SignalKind.SPREAD,
                    scope=topic,
                    at=obs.at,
                    score=_clamp(0.4 + 0.15 * (len(new) - 1)),
                    channel=obs.channel,
                    summary=(
                        f"negative talk about {topic} spread from {origin} to {', '.join(c for c in new if c != origin)} "
                        f"within {int(cfg.window.total_seconds() // 60)} min (before: {', '.join(sorted(known)) or 'none'})"
                    ),
                    message_ids=tuple(dict.fromkeys(drivers)),
                    details={
                        "origin_channel": origin,
                        "channels": {c: len(per_channel[c]) for c in ordered},
                        "new_channels": new,
                        "baseline_channels": sorted(known),
                        "baseline": f"channels with {cfg.min_per_channel}+ negative messages in the previous window",
                    },
                )
            )
        return events

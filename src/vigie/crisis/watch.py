"""The crisis watch: every detector plus the grader, fed one message at a time. Pure, in memory.

Its whole state is a JSON-able dict (:meth:`CrisisWatch.state_dict`, :meth:`CrisisWatch.restore`):
the runner saves it in the database so that a restarted watch resumes instead of cold-starting.

``CrisisWatch.process(observation)`` updates every detector with the message and returns the signals it
raised and the grade changes they caused, for the workspace scope ('*') and per topic. Volume is counted
per time bucket for the workspace, each topic and each channel, and scored by the volume engineer's
:class:`~vigie.crisis.volume.VolumeDetector` when a bucket closes (on the first message after it, or a
:meth:`CrisisWatch.tick`), so it too is strictly causal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from vigie.crisis.detectors import (
    WORKSPACE_SCOPE,
    InfluencerConfig,
    InfluencerDetector,
    Observation,
    PileOnConfig,
    PileOnDetector,
    ShareConfig,
    ShareShiftDetector,
    SignalEvent,
    SignalKind,
    SpreadConfig,
    SpreadDetector,
)
from vigie.crisis.grading import GradeChangeEvent, Grader, GradeThresholds
from vigie.crisis.snapshot import SnapshotError, iso, maybe_when, when
from vigie.crisis.volume import VolumeDetector

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_IDLE_BUCKETS = 2016  # one week of 5-minute buckets: longer gaps are skipped, not replayed
# Bump when the shape of ``CrisisWatch.state_dict`` changes: an older saved state is then not restored.
STATE_VERSION = 1


class Detector(Protocol):
    def update(self, obs: Observation) -> list[SignalEvent]: ...

    def state_dict(self) -> dict[str, Any]: ...

    def load_state_dict(self, data: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class WatchConfig:
    volume_bucket: timedelta = timedelta(minutes=5)
    volume_threshold: float = 0.5
    share: ShareConfig = field(default_factory=ShareConfig)
    pile_on: PileOnConfig = field(default_factory=PileOnConfig)
    influencer: InfluencerConfig = field(default_factory=InfluencerConfig)
    spread: SpreadConfig = field(default_factory=SpreadConfig)
    grades: GradeThresholds = field(default_factory=GradeThresholds)
    # An author silent for this long is "new to us" again (and forgotten, to bound the state).
    author_memory: timedelta = timedelta(days=90)


@dataclass
class WatchStep:
    signals: list[SignalEvent] = field(default_factory=list)
    changes: list[GradeChangeEvent] = field(default_factory=list)


@dataclass
class _VolumeSeries:
    detector: VolumeDetector
    bucket: int | None = None
    count: int = 0
    message_ids: list[int] = field(default_factory=list)


class CrisisWatch:
    def __init__(self, config: WatchConfig | None = None) -> None:
        self.config = config or WatchConfig()
        cfg = self.config
        self.detectors: dict[str, Detector] = {
            "negative_share": ShareShiftDetector(SignalKind.NEGATIVE_SHARE, cfg.share),
            "toxic_share": ShareShiftDetector(SignalKind.TOXIC_SHARE, cfg.share),
            "pile_on": PileOnDetector(cfg.pile_on),
            "influencer": InfluencerDetector(cfg.influencer),
            "spread": SpreadDetector(cfg.spread),
        }
        self.grader = Grader(cfg.grades)
        self._volume: dict[tuple[str, str], _VolumeSeries] = {}
        self._last_at: datetime | None = None
        self._authors_seen: dict[str, datetime] = {}
        self._authors_pruned_at: datetime | None = None
        self.messages_seen = 0
        # Volume series whose saved state could not be restored and cold-started instead.
        self.cold_series: list[str] = []

    def state_dict(self) -> dict[str, Any]:
        """Everything the watch has learnt, JSON-able; :meth:`restore` rebuilds an equivalent watch."""
        return {
            "version": STATE_VERSION,
            "last_at": iso(self._last_at),
            "messages_seen": self.messages_seen,
            "authors_seen": {author: iso(at) for author, at in self._authors_seen.items()},
            "authors_pruned_at": iso(self._authors_pruned_at),
            "detectors": {name: detector.state_dict() for name, detector in self.detectors.items()},
            "grader": self.grader.state_dict(),
            "volume": [
                {
                    "kind": kind,
                    "name": name,
                    "detector": series.detector.state_dict(),
                    "bucket": series.bucket,
                    "count": series.count,
                    "message_ids": series.message_ids,
                }
                for (kind, name), series in self._volume.items()
            ],
        }

    @classmethod
    def restore(cls, data: dict[str, Any], config: WatchConfig | None = None) -> CrisisWatch:
        """A watch from a saved :meth:`state_dict`; raises :class:`SnapshotError` if it cannot be used."""
        if data.get("version") != STATE_VERSION:
            raise SnapshotError(
                f"saved watch state has version {data.get('version')!r}, this Vigie reads {STATE_VERSION}"
            )
        watch = cls(config)
        try:
            watch._last_at = maybe_when(data["last_at"])
            watch.messages_seen = int(data["messages_seen"])
            watch._authors_seen = {str(a): when(at) for a, at in data["authors_seen"].items()}
            watch._authors_pruned_at = maybe_when(data["authors_pruned_at"])
            for name, detector in watch.detectors.items():
                detector.load_state_dict(data["detectors"][name])
            watch.grader.load_state_dict(data["grader"])
            for item in data["volume"]:
                watch._volume[(str(item["kind"]), str(item["name"]))] = watch._restore_series(item)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise SnapshotError(f"saved watch state is not usable: {error!r}") from error
        return watch

    def _restore_series(self, item: dict[str, Any]) -> _VolumeSeries:
        try:
            detector = VolumeDetector.from_state_dict(item["detector"])
        except (KeyError, TypeError, ValueError) as error:
            # The volume detector's state format may change between versions: that one series
            # cold-starts rather than the whole watch.
            self.cold_series.append(f"{item['kind']}:{item['name']} ({error!r})")
            return _VolumeSeries(VolumeDetector())
        bucket = item["bucket"]
        return _VolumeSeries(
            detector,
            bucket=None if bucket is None else int(bucket),
            count=int(item["count"]),
            message_ids=[int(m) for m in item["message_ids"]],
        )

    def _remember_author(self, obs: Observation) -> Observation:
        memory = self.config.author_memory
        if self._authors_pruned_at is None or obs.at - self._authors_pruned_at >= timedelta(days=1):
            self._authors_pruned_at = obs.at
            self._authors_seen = {a: at for a, at in self._authors_seen.items() if obs.at - at < memory}
        seen = self._authors_seen.get(obs.author)
        self._authors_seen[obs.author] = obs.at
        if obs.author_prior_messages == 0 and seen is not None and obs.at - seen < memory:
            return _with_prior(obs, 1)
        return obs

    def _bucket(self, at: datetime) -> int:
        return int((at - _EPOCH) / self.config.volume_bucket)

    def _volume_update(self, obs: Observation) -> list[SignalEvent]:
        bucket = self._bucket(obs.at)
        signals: list[SignalEvent] = []
        keys = [("workspace", WORKSPACE_SCOPE), ("channel", obs.channel)]
        keys += [("topic", topic) for topic in obs.topics]
        for key in keys:
            series = self._volume.get(key)
            if series is None:
                series = self._volume[key] = _VolumeSeries(VolumeDetector())
            signals += self._close_buckets(key, series, bucket)
            series.count += 1
            if len(series.message_ids) < 20:
                series.message_ids.append(obs.message_id)
        return signals

    def _close_buckets(self, key: tuple[str, str], series: _VolumeSeries, upto: int) -> list[SignalEvent]:
        """Score every bucket of this series that ended before bucket ``upto`` (empty ones count 0)."""
        if series.bucket is None:
            series.bucket = upto
            return []
        signals = []
        step = self.config.volume_bucket
        while series.bucket < upto:
            start = _EPOCH + step * series.bucket
            result = series.detector.update(start, float(series.count))
            if result.score >= self.config.volume_threshold and result.direction == "spike":
                kind, name = key
                signals.append(
                    SignalEvent(
                        kind=SignalKind.VOLUME,
                        scope=name if kind == "topic" else WORKSPACE_SCOPE,
                        at=start + step,
                        score=result.score,
                        channel=name if kind == "channel" else None,
                        summary=f"{kind} {name}: {result.explanation} in the {int(step.total_seconds() // 60)} min from {start:%H:%M}",
                        message_ids=tuple(series.message_ids),
                        details={
                            "series": f"{kind}:{name}",
                            "observed": result.value,
                            "expected": round(result.expected, 2),
                            "bucket_start": start.isoformat(),
                            "warm": result.warm,
                        },
                    )
                )
            series.count = 0
            series.message_ids = []
            series.bucket += 1
            if upto - series.bucket > MAX_IDLE_BUCKETS:
                series.bucket = upto - MAX_IDLE_BUCKETS
        return signals

    def process(self, obs: Observation) -> WatchStep:
        if self._last_at is not None and obs.at < self._last_at:
            # Late messages are scored as if they arrived now: detectors never look back in time.
            obs = _with_time(obs, self._last_at)
        self._last_at = obs.at
        obs = self._remember_author(obs)
        self.messages_seen += 1
        signals = self._volume_update(obs)
        for detector in self.detectors.values():
            signals += detector.update(obs)
        return self._grade(signals, obs.at, extra_scopes=obs.topics)

    def tick(self, now: datetime) -> WatchStep:
        """Time passes without messages: close volume buckets and let grades come down."""
        if self._last_at is not None and now < self._last_at:
            now = self._last_at
        bucket = self._bucket(now)
        signals: list[SignalEvent] = []
        for key, series in self._volume.items():
            signals += self._close_buckets(key, series, bucket)
        step = self._grade(signals, now, extra_scopes=())
        step.changes += [c for c in self.grader.tick(now) if c not in step.changes]
        return step

    def _grade(self, signals: list[SignalEvent], now: datetime, extra_scopes: tuple[str, ...]) -> WatchStep:
        by_scope: dict[str, list[SignalEvent]] = {}
        for signal in signals:
            by_scope.setdefault(signal.scope, []).append(signal)
        # Topic scopes first, then the workspace, which every signal also feeds.
        scopes = [s for s in dict.fromkeys([*by_scope, *extra_scopes]) if s != WORKSPACE_SCOPE]
        step = WatchStep(signals=signals)
        for scope in scopes:
            change = self.grader.observe(scope, by_scope.get(scope, []), now)
            if change is not None:
                step.changes.append(change)
        change = self.grader.observe(WORKSPACE_SCOPE, signals, now)
        if change is not None:
            step.changes.append(change)
        return step

    def grades(self) -> dict[str, str]:
        return {scope: grade.label for scope, grade in self.grader.scopes().items()}


def _with_time(obs: Observation, at: datetime) -> Observation:
    return replace(obs, at=at)


def _with_prior(obs: Observation, prior: int) -> Observation:
    return replace(obs, author_prior_messages=prior)


def observation_from_row(
    *,
    message_id: int,
    at: datetime,
    channel: str,
    external_id: str,
    text: str,
    in_reply_to: str | None,
    analysis: dict[str, Any] | None,
    author: str | None,
    followers: int | None,
    influence: float | None,
    history: dict[str, Any] | None,
) -> Observation:
    """Build an observation from a stored message, its analysis JSON and its author (tolerant of gaps)."""
    data = analysis or {}
    sentiment = data.get("sentiment") or {}
    toxicity = data.get("toxicity") or {}
    label = str(sentiment.get("label", "neutral")) if isinstance(sentiment, dict) else "neutral"
    score = float(sentiment.get("score", 0.0)) if isinstance(sentiment, dict) else 0.0
    tox = float(toxicity.get("score", 0.0)) if isinstance(toxicity, dict) else 0.0
    raw_topics = data.get("topics") or []
    if isinstance(raw_topics, dict):
        raw_topics = raw_topics.get("keys") or []
    topics: list[str] = []
    for item in raw_topics:
        if isinstance(item, str):
            topics.append(item)
        elif isinstance(item, dict) and isinstance(item.get("key"), str):
            topics.append(item["key"])
    hist = history or {}
    labels = {str(x).lower() for x in hist.get("labels") or []}
    if isinstance(hist.get("type"), str):
        labels.add(hist["type"].lower())
    return Observation(
        message_id=message_id,
        at=at,
        channel=channel,
        external_id=external_id,
        author=author or f"anonymous-{message_id}",
        text=text,
        in_reply_to=in_reply_to,
        negative=label == "negative",
        sentiment_score=score,
        toxicity=tox,
        topics=tuple(dict.fromkeys(topics)),
        followers=int(followers or 0),
        influence=float(influence or 0.0),
        author_labels=frozenset(labels),
        # Whether the author is new to us is decided by the watch from what it has seen: the stored
        # history already counts later messages, which a causal detector must not use.
        author_prior_messages=0,
    )

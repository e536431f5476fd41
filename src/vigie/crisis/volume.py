"""Mention-volume anomaly detector: streaming, strictly causal, cheap, explainable.

One :class:`VolumeDetector` watches one series of counts per time bucket (per workspace, topic or
channel). Each :meth:`VolumeDetector.update` takes the bucket's timestamp and count and returns a
:class:`VolumeScore` computed from that point and the past only.

How it scores (all state is O(1) apart from the seasonal profile, 24 + 168 floats):

1. The count is put on a log scale (``log1p``), where a doubling is the same step whatever the volume.
2. The expected value is a seasonal profile (hour of day, and hour of week once several weeks are
   seen; no seasonality before that) plus a slowly moving level of the de-seasonalised series.
3. The prediction error is divided by a robust running scale (mean absolute error, outliers clipped
   so that a burst does not teach the detector that bursts are normal).
4. Following NAB's anomaly likelihood, a short average of the normalised errors is compared with
   its own long-run distribution; the tail probability ``p`` of the current short average gives the
   score ``min(1, -log10(p) / 10)`` (so 0.5 means "one chance in 100,000 under the baseline").
5. A run of anomalous points is one episode: only its first point is reported as an anomaly; the
   episode ends once the score has stayed below the threshold for ``episode_gap`` points.

Cold start: the score is 0 until ``warmup`` points are seen, then ramps in over as many points again.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Direction = Literal["spike", "drop", "none"]

_LOG10 = math.log(10.0)
_SCORE_DECADES = 30.0


@dataclass(frozen=True, slots=True)
class VolumeConfig:
    """The detector's configuration. The defaults are the one configuration used everywhere."""

    threshold: float = 0.5
    """Score at or above which a point is anomalous (and starts an episode)."""
    warmup: int = 150
    """Points seen before any non-zero score."""
    level_halflife: float = 12.0
    """Half-life, in points, of the de-seasonalised level used as the baseline."""
    slow_halflife: float = 288.0
    """Half-life, in points, of the slow level the seasonal profile is measured against."""
    scale_halflife: float = 500.0
    """Half-life, in points, of the error scale and of the short-average's distribution."""
    short_halflife: float = 2.0
    """Half-life, in points, of the short average of normalised errors (1 = last point only)."""
    season_halflife_days: float = 4.0
    """Half-life, in days (weeks for the weekly profile), of the seasonal profile."""
    season_min_days: int = 3
    """Days of history before the daily profile is used (weeks, for the weekly one)."""
    weekly: bool = True
    """Use an hour-of-week profile once ``season_min_days`` weeks are seen."""
    clip: float = 4.0
    """Errors beyond this many scales update the statistics as if they were this large."""
    episode_gap: int = 12
    """Points below threshold that end an episode; a new anomaly is reported only after that."""
    log_scale: bool = True
    """Work on ``log1p(count)`` (counts); False for values that are not counts."""


@dataclass(frozen=True, slots=True)
class VolumeScore:
    """The detector's verdict on one point."""

    timestamp: datetime
    value: float
    score: float
    """Anomaly score in [0, 1] of this point (0 during cold start)."""
    is_anomaly: bool
    """True only on the first point of an episode whose score reached the threshold."""
    in_episode: bool
    """True while an episode started at or before this point is still running."""
    alert_score: float
    """``score``, except on the later points of an episode where it is capped just below the
    threshold: ``alert_score >= threshold`` exactly when ``is_anomaly``. This is what NAB scores."""
    direction: Direction
    expected: float
    """The baseline: the value expected at this point from the past, in the input's unit."""
    warm: bool
    explanation: str


@dataclass(slots=True)
class _State:
    n: int = 0
    level: float = 0.0
    scale: float = 0.0
    short: float = 0.0
    short_mean: float = 0.0
    short_var: float = 0.0
    day_profile: list[float] = field(default_factory=lambda: [0.0] * 24)
    day_seen: list[int] = field(default_factory=lambda: [0] * 24)
    week_profile: list[float] = field(default_factory=lambda: [0.0] * 168)
    week_seen: list[int] = field(default_factory=lambda: [0] * 168)
    day_acc: list[list[float]] = field(default_factory=lambda: [[-1.0, 0.0, 0.0] for _ in range(24)])
    week_acc: list[list[float]] = field(default_factory=lambda: [[-1.0, 0.0, 0.0] for _ in range(168)])
    slow: float = 0.0
    first_ts: float | None = None
    last_ts: float | None = None
    episode: bool = False
    calm: int = 0


def _alpha(halflife: float) -> float:
    return float(1.0 - 0.5 ** (1.0 / max(halflife, 1e-9)))


def _tail_score(z: float) -> float:
    """min(1, -log10(P(Z > |z|)) / 10) for a standard normal Z, with a tail expansion for large z."""
    a = abs(z)
    if a < 8.0:
        p = 0.5 * math.erfc(a / math.sqrt(2.0))
        if p <= 0.0:
            return 1.0
        return min(1.0, -math.log(p) / _LOG10 / _SCORE_DECADES)
    log_p = -0.5 * a * a - math.log(a * math.sqrt(2.0 * math.pi))
    return min(1.0, -log_p / _LOG10 / _SCORE_DECADES)


class VolumeDetector:
    """Streaming anomaly detector for one series of counts per time bucket."""

    def __init__(self, config: VolumeConfig | None = None) -> None:
        self.config = config or VolumeConfig()
        c = self.config
        self._a_level = _alpha(c.level_halflife)
        self._a_scale = _alpha(c.scale_halflife)
        self._a_short = _alpha(c.short_halflife)
        self._a_day = _alpha(c.season_halflife_days)
        self._a_week = _alpha(c.season_halflife_days / 2.0)
        self._a_slow = _alpha(c.slow_halflife)
        self._s = _State()

    # ------------------------------------------------------------------------------------ helpers
    def _forward(self, value: float) -> float:
        if not self.config.log_scale:
            return value
        return math.copysign(math.log1p(abs(value)), value)

    def _backward(self, x: float) -> float:
        if not self.config.log_scale:
            return x
        return math.copysign(math.expm1(abs(x)), x)

    def _seasonal(self, hour: int, how: int) -> float:
        s, c = self._s, self.config
        if c.weekly and s.week_seen[how] >= c.season_min_days:
            return s.week_profile[how]
        if s.day_seen[hour] >= c.season_min_days:
            return s.day_profile[hour]
        return 0.0

    @staticmethod
    def _fold(
        profile: list[float],
        seen: list[int],
        acc: list[list[float]],
        bucket: int,
        period: int,
        dev: float,
        alpha: float,
    ) -> None:
        """Add ``dev`` to the bucket's running period; fold a finished period's mean into the profile."""
        cur = acc[bucket]
        if cur[0] != period:
            if cur[2] > 0:
                mean = cur[1] / cur[2]
                profile[bucket] = (
                    mean if seen[bucket] == 0 else profile[bucket] + alpha * (mean - profile[bucket])
                )
                seen[bucket] += 1
            cur[0], cur[1], cur[2] = float(period), 0.0, 0.0
        cur[1] += dev
        cur[2] += 1.0

    # ------------------------------------------------------------------------------------- update
    def update(self, timestamp: datetime, value: float) -> VolumeScore:
        """Score one point (its bucket's count) given everything seen before it, then learn from it."""
        s, c = self._s, self.config
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=UTC)
        t = timestamp.timestamp()
        if s.last_ts is not None and t < s.last_ts:
            raise ValueError(
                f"timestamps must not go back in time: {timestamp.isoformat()} after a later one"
            )
        if s.first_ts is None:
            s.first_ts = t
        s.last_ts = t
        day_index = int(t // 86400.0)
        hour = int(t % 86400.0 // 3600.0)
        week_index = int((t + 3 * 86400.0) // 604800.0)  # weeks starting on Monday 00:00 UTC
        how = int((t + 3 * 86400.0) % 604800.0 // 3600.0)
        x = self._forward(value)

        season = self._seasonal(hour, how)
        if s.n == 0:
            s.level = x
        expected_x = season + s.level
        error = x - expected_x
        scale = max(s.scale, 1e-6 * (1.0 + abs(expected_x)))
        r = error / scale
        rc = max(-c.clip, min(c.clip, r))
        short = s.short + self._a_short * (r - s.short) if s.n > 0 else r
        sd = math.sqrt(s.short_var) if s.short_var > 1e-12 else 1.0
        z = (short - s.short_mean) / sd
        warm = s.n >= c.warmup
        score = _tail_score(z) if warm else 0.0
        if warm and s.n < 2 * c.warmup:
            score *= (s.n - c.warmup) / c.warmup
        direction: Direction = "none"
        if score > 0.0:
            direction = "spike" if z > 0 else "drop"

        above = score >= c.threshold
        is_anomaly = False
        if above:
            s.calm = 0
            if not s.episode:
                s.episode = True
                is_anomaly = True
        elif s.episode:
            s.calm += 1
            if s.calm >= c.episode_gap:
                s.episode = False
                s.calm = 0

        # ---- learn (after scoring: strictly causal)
        clipped_error = rc * scale
        a_long = max(self._a_scale, 1.0 / (s.n + 1.0))  # running mean until the half-life takes over
        if s.n < c.warmup:  # no clipping while the scale is still being learnt
            rc, clipped_error = r, error
        s.scale = scale + a_long * (abs(rc) * scale - scale) if s.n > 0 else abs(error)
        short_c = s.short + self._a_short * (rc - s.short) if s.n > 0 else rc
        half = c.warmup // 2
        if s.n >= half:  # the error scale has settled: learn the short average's distribution
            a_dist = max(self._a_scale, 1.0 / (s.n - half + 1.0))
            dev = short_c - s.short_mean
            s.short_mean += a_dist * dev
            s.short_var = (1.0 - a_dist) * (s.short_var + a_dist * dev * dev)
        s.short = short
        clean = expected_x + clipped_error  # the point as learnt from, outliers clipped
        s.level += self._a_level * (clean - season - s.level)
        if s.n == 0:
            s.slow = clean
        s.slow += self._a_slow * (clean - season - s.slow)
        self._fold(s.day_profile, s.day_seen, s.day_acc, hour, day_index, clean - s.slow, self._a_day)
        self._fold(s.week_profile, s.week_seen, s.week_acc, how, week_index, clean - s.slow, self._a_week)
        s.n += 1

        expected = self._backward(expected_x)
        return VolumeScore(
            timestamp=timestamp,
            value=value,
            score=score,
            is_anomaly=is_anomaly,
            in_episode=s.episode,
            alert_score=score if is_anomaly or score < c.threshold else math.nextafter(c.threshold, 0.0),
            direction=direction,
            expected=expected,
            warm=warm,
            explanation=self._explain(value, expected, score, direction, warm),
        )

    def _explain(self, value: float, expected: float, score: float, direction: Direction, warm: bool) -> str:
        if not warm:
            return f"learning the baseline ({self._s.n}/{self.config.warmup} points seen)"
        ratio = (value + 1.0) / (expected + 1.0)
        what = "rose" if value >= expected else "fell"
        return (
            f"volume {what} to {value:g} from an expected {expected:.1f} (x{ratio:.2f}); "
            f"score {score:.2f} ({direction})"
        )

    # ------------------------------------------------------------------------------- persistence
    def state_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot of the configuration and state."""
        return {"config": asdict(self.config), "state": asdict(self._s)}

    @classmethod
    def from_state_dict(cls, data: dict[str, Any]) -> VolumeDetector:
        detector = cls(VolumeConfig(**data["config"]))
        detector._s = _State(**data["state"])
        return detector

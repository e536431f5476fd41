"""Mention-volume anomaly detector: streaming, strictly causal, cheap, explainable.

One :class:`VolumeDetector` watches one series of counts per time bucket (per workspace, topic or
channel). Each :meth:`VolumeDetector.update` takes the bucket's timestamp and count and returns a
:class:`VolumeScore` computed from that point and the past only; the point is learnt from afterwards.

The count is put on a log scale (``log1p``), where a doubling is the same step whatever the volume.
Two kinds of evidence are measured, both in standard deviations:

* **Magnitude**: how far the value is above a typical day's peak (or below a typical day's trough).
  The detector keeps the running mean and spread of past days' maxima and minima (half-life a week,
  an outlying day folded in winsorised). This is what a person sees on a chart: "more mentions than
  on any normal day".
* **Surprise**: how far the value is from what was expected *now*. The expectation is a seasonal
  profile (hour of day, then hour of week once three weeks are seen) plus a level of the
  de-seasonalised series; the error is divided by a robust running scale (outliers clipped, so that
  a burst does not teach that bursts are normal); a short average of the normalised errors is then
  compared with its own long-run distribution, as NAB's anomaly likelihood does. Surprise counts
  ``1 / surprise_weight`` as much as magnitude, so that a rhythm-breaking night-time blip does not
  alert like a record day, but a large enough break of the rhythm still does. A rise that stays
  within a normal day's range counts less again (``surprise_gate_floor``), falls a little less
  than rises (``drop_surprise_weight``).
* **Sustained rises** (longer spans): the mean value over the last hour and the last 3 hours
  (``span_hours``, in time, so any sampling rate works; running sums, O(1)) is compared with a
  typical day's peak of that same mean, like the magnitude above. A rise sustained for hours
  that no single point reveals (each bucket within a normal day's range, the hour far beyond it)
  is flagged, and said so: "mentions over the last 1 h: 1,132 vs a typical day's peak of 540".

The evidence ``e`` is the strongest of the three (above the peak, below the trough, surprise) and
the score is ``min(1, e / (2 * evidence_at_threshold))``, so that the threshold 0.5 means ``e`` equals
``evidence_at_threshold``. A run of anomalous points is one episode: only its first point is reported
(``is_anomaly``); the episode ends once the score has stayed below the threshold for ``episode_gap``
points and at least ``cooldown_hours`` have passed since it was reported (a cool-down: the
aftershocks of an incident are part of it, not new alerts).

Level shifts: once the day-scale baseline (slow level plus the daily profile's high or low) has
itself moved beyond a typical day's extreme, the magnitude evidence on that side is dropped
(``new_normal``): the shift was reported when it happened, the new normal is not an anomaly day
after day. Values that are not counts (negative or fractional: CPU %, prices, latencies) get no
Poisson allowance, and their point-level noise is a standard deviation rather than a mean
absolute error.

Cold start: scores are 0 for the first ``warmup`` points; the magnitude evidence waits for
``extreme_min_days`` complete days. Update cost is O(1) (about 10 µs in CPython); the state is a
JSON-serialisable dict (:meth:`VolumeDetector.state_dict`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

Direction = Literal["spike", "drop", "none"]

_DAY = 86400.0
_WEEK = 7 * _DAY
_MONDAY_SHIFT = 3 * _DAY  # 1970-01-01 was a Thursday
_MEAN_ABS_TO_SD = math.sqrt(math.pi / 2.0)  # standard deviation / mean absolute deviation, Gaussian


@dataclass(frozen=True, slots=True)
class VolumeConfig:
    """The detector's configuration. The defaults are the one configuration used everywhere."""

    threshold: float = 0.5
    """Score at or above which a point is anomalous (and starts an episode)."""
    evidence_at_threshold: float = 1.5
    """Evidence, in standard deviations, that reaches the threshold (score = e / (2 * this))."""
    surprise_weight: float = 4.0
    """Surprise (error against the seasonal baseline) counts 1 / this as much as magnitude. 4 since
    the longer spans catch sustained rises (3 before: rhythm breaks were then the only way to see
    them, and the commonest false alarms)."""
    drop_surprise_weight: float = 3.5
    """The same for falls (3 * 1.75 / 1.5: the surprise a fall needed before ``evidence_at_threshold``
    went from 1.75 to 1.5): isolated empty buckets are common in quiet hours."""
    warmup: int = 150
    """Points seen before any non-zero score."""
    level_halflife: float = 12.0
    """Half-life, in points, of the de-seasonalised level used as the baseline."""
    slow_halflife: float = 288.0
    """Half-life, in points, of the slow level the seasonal profile is measured against."""
    scale_halflife: float = 500.0
    """Half-life, in points, of the error scale and of the short average's distribution."""
    short_halflife: float = 2.0
    """Half-life, in points, of the short average of normalised errors."""
    season_halflife_days: float = 4.0
    """Half-life, in days (weeks for the weekly profile), of the seasonal profile."""
    season_min_days: int = 3
    """Days of history before the daily profile is used (weeks, for the weekly one)."""
    weekly: bool = True
    """Use an hour-of-week profile once ``season_min_days`` weeks are seen."""
    clip: float = 4.0
    """Errors beyond this many scales update the statistics as if they were this large."""
    extreme_halflife_days: float = 7.0
    """Half-life, in days, of the statistics of daily maxima and minima."""
    extreme_min_days: int = 2
    """Complete days of maxima and minima before the magnitude evidence is used."""
    extreme_winsor: float = 3.0
    """A day's extreme beyond this many deviations is learnt as if it were this far."""
    episode_gap: int = 12
    """Points below threshold that end an episode; a new anomaly is reported only after that."""
    cooldown_hours: float = 24.0
    """Time after a reported anomaly during which its episode cannot end, so nothing new is reported
    (an incident's aftershocks are not new alerts). In time, not points, so that hourly or irregular
    series get the same day as 5-minute buckets."""
    surprise_peak_gate: bool = True
    """A rise's surprise counts fully only once the value is a spread above a typical day's peak;
    below that it counts ``surprise_gate_floor`` as much (rhythm-breaking blips that stay within a
    normal day's range are the commonest false alarms on mention counts)."""
    surprise_gate_floor: float = 1.5 / 1.75
    """The least a rise's surprise is counted below a typical day's peak (fraction). 1.5 / 1.75:
    such a rise needs the same surprise as before ``evidence_at_threshold`` went from 1.75 to 1.5."""
    noise_sigmas: float = 3.0
    """Counts: a deviation within this many Poisson deviations is at most this many error scales."""
    peak_noise_sigmas: float = 4.0
    """Counts: this many Poisson deviations beyond a typical day's extreme is the threshold at most."""
    log_scale: bool = True
    """Work on ``log1p(count)`` (counts); False for values that are not counts."""
    new_normal: bool = True
    """No magnitude evidence once the day-scale baseline itself has moved beyond a typical day's
    extreme: after a level shift the new normal is not an anomaly day after day (the surprise
    evidence still flags what breaks it)."""
    span_hours: tuple[float, ...] = (1.0, 3.0)
    """Longer spans, in hours, whose mean value is watched as well: a rise sustained over hours that
    no single point reveals (each bucket within a normal day's range, the hour far beyond it). Each
    span's mean is compared with a typical day's peak of that same mean. Empty: points only."""
    span_weight: float = 1.2
    """A span's evidence counts 1 / this as much as a point's."""
    span_min_days: int = 2
    """Complete days of a span's maxima before its evidence is used."""
    span_noise: float = 0.25
    """Floor of a span's spread: this times the point-level noise over the square root of the
    number of points in the span."""


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
    """spike or drop when the score is positive, else none."""
    expected: float
    """The baseline: the value expected at this point from the past, in the input's unit."""
    typical_peak: float | None
    """A typical day's peak (spike) or trough (drop) in the input's unit, once known."""
    warm: bool
    explanation: str


@dataclass(slots=True)
class _State:
    n: int = 0
    level: float = 0.0
    slow: float = 0.0
    scale: float = 0.0
    short: float = 0.0
    short_mean: float = 0.0
    short_var: float = 0.0
    day_profile: list[float] = field(default_factory=lambda: [0.0] * 24)
    day_seen: list[int] = field(default_factory=lambda: [0] * 24)
    day_acc: list[list[float]] = field(default_factory=lambda: [[-1.0, 0.0, 0.0] for _ in range(24)])
    week_profile: list[float] = field(default_factory=lambda: [0.0] * 168)
    week_seen: list[int] = field(default_factory=lambda: [0] * 168)
    week_acc: list[list[float]] = field(default_factory=lambda: [[-1.0, 0.0, 0.0] for _ in range(168)])
    # daily extremes: index 0 = maxima, 1 = minima (stored negated, so both are "maxima")
    ext_day: int = -1
    ext_cur: list[float] = field(default_factory=lambda: [-math.inf, -math.inf])
    ext_mean: list[float] = field(default_factory=lambda: [0.0, 0.0])
    ext_var: list[float] = field(default_factory=lambda: [0.0, 0.0])
    ext_days: int = 0
    last_ts: float | None = None
    episode: bool = False
    calm: int = 0
    reported_at: float = 0.0
    counts: bool = True  # every value so far was a non-negative whole number
    # longer spans: recent [timestamp, value] pairs (as far back as the longest span), and per span
    # the running sum and number of the newest pairs inside it, and the statistics of daily maxima
    # of the span's mean (learnt on the same days as the points' extremes)
    recent: list[list[float]] = field(default_factory=list)
    span_sum: list[float] = field(default_factory=list)
    span_len: list[int] = field(default_factory=list)
    span_cur: list[float] = field(default_factory=list)
    span_mean: list[float] = field(default_factory=list)
    span_var: list[float] = field(default_factory=list)
    span_days: int = 0


def _alpha(halflife: float) -> float:
    return float(1.0 - 0.5 ** (1.0 / max(halflife, 1e-9)))


def _ew_step(mean: float, var: float, x: float, alpha: float) -> tuple[float, float]:
    """One step of an exponentially weighted mean and variance towards ``x``."""
    dev = x - mean
    return mean + alpha * dev, (1.0 - alpha) * (var + alpha * dev * dev)


def _fold(
    profile: list[float],
    seen: list[int],
    acc: list[list[float]],
    bucket: int,
    period: int,
    dev: float,
    alpha: float,
) -> bool:
    """Add ``dev`` to the bucket's running period; fold a finished period's mean into the profile.
    True when the profile changed."""
    cur = acc[bucket]
    folded = False
    if cur[0] != period:
        if cur[2] > 0:
            folded = True
            mean = cur[1] / cur[2]
            profile[bucket] = (
                mean if seen[bucket] == 0 else profile[bucket] + alpha * (mean - profile[bucket])
            )
            seen[bucket] += 1
        cur[0], cur[1], cur[2] = float(period), 0.0, 0.0
    cur[1] += dev
    cur[2] += 1.0
    return folded


def _count_noise(x: float, k: float, up: bool) -> float:
    """Log-scale distance from ``x = log1p(lambda)`` to lambda's k-sigma Poisson bound (up or down)."""
    lam = math.expm1(max(x, 0.0))
    width = k * math.sqrt(lam + 1.0)
    if up:
        return math.log1p(lam + width) - x
    return x - math.log1p(max(lam - width, 0.0))


class VolumeDetector:
    """Streaming anomaly detector for one series of counts per time bucket."""

    def __init__(self, config: VolumeConfig | None = None) -> None:
        self.config = config or VolumeConfig()
        c = self.config
        self._a_level = _alpha(c.level_halflife)
        self._a_slow = _alpha(c.slow_halflife)
        self._a_scale = _alpha(c.scale_halflife)
        self._a_short = _alpha(c.short_halflife)
        self._a_day = _alpha(c.season_halflife_days)
        self._a_week = _alpha(c.season_halflife_days / 2.0)
        self._a_ext = _alpha(c.extreme_halflife_days)
        self._s = _State()
        self._rhythm: tuple[float, float] | None = None  # derived from the daily profile, not saved
        self._fit_spans_to_config()

    def _fit_spans_to_config(self) -> None:
        """Size the span state for ``span_hours``. A state saved before the spans existed has none:
        they start afresh, and their evidence waits for ``span_min_days`` days of their own."""
        s, n = self._s, len(self.config.span_hours)
        if len(s.span_sum) == n == len(s.span_len) == len(s.span_cur) == len(s.span_mean) == len(s.span_var):
            return
        s.recent = []
        s.span_sum, s.span_len = [0.0] * n, [0] * n
        s.span_cur, s.span_mean, s.span_var = [-math.inf] * n, [0.0] * n, [0.0] * n
        s.span_days = 0

    def _advance_spans(self, t: float, value: float) -> None:
        """Add the point to every span's running sum and drop the points that left it. Amortised
        O(1): the list of recent points is trimmed once its stale part outgrows its live part."""
        s = self._s
        if not s.span_sum:
            return
        s.recent.append([t, value])
        for i, hours in enumerate(self.config.span_hours):
            s.span_sum[i] += value
            s.span_len[i] += 1
            first = len(s.recent) - s.span_len[i]
            while s.recent[first][0] <= t - hours * 3600.0:
                s.span_sum[i] -= s.recent[first][1]
                s.span_len[i] -= 1
                first += 1
        live = max(s.span_len)
        if len(s.recent) - live > live:
            del s.recent[: len(s.recent) - live]

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

    def _day_rhythm(self) -> tuple[float, float]:
        """The daily profile's high and low (0 until the profile is used). Kept until the profile
        changes (once an hour) rather than computed again at every point."""
        if self._rhythm is None:
            s, c = self._s, self.config
            seen = [v for v, k in zip(s.day_profile, s.day_seen, strict=True) if k >= c.season_min_days]
            self._rhythm = (max(seen, default=0.0), min(seen, default=0.0))
        return self._rhythm

    def _fold_day_maxima(self, day_max: list[float], mean: list[float], var: list[float], days: int) -> None:
        """Fold a finished day's maxima into the running mean and variance of daily maxima, after
        ``days`` days: a running mean until the half-life takes over; once ``extreme_min_days`` days
        are known, an outlying day is learnt as if it were ``extreme_winsor`` deviations out. A
        maximum of -inf (not measured that day) is skipped."""
        c = self.config
        a = max(self._a_ext, 1.0 / (days + 1.0))
        for i, m in enumerate(day_max):
            if m == -math.inf:
                continue
            if days >= c.extreme_min_days:
                m = min(m, mean[i] + c.extreme_winsor * math.sqrt(var[i]))
            mean[i], var[i] = _ew_step(mean[i], var[i], m, a)

    def _learn_extremes(self, x: float, span_x: list[float], day_index: int) -> None:
        s = self._s
        if s.ext_day != day_index:
            if s.ext_day >= 0:
                self._fold_day_maxima(s.ext_cur, s.ext_mean, s.ext_var, s.ext_days)
                s.ext_days += 1
                # -inf: the spans were not measured that day (a state saved before they existed,
                # loaded on the next day)
                self._fold_day_maxima(s.span_cur, s.span_mean, s.span_var, s.span_days)
                if s.span_cur and s.span_cur[0] != -math.inf:
                    s.span_days += 1
            s.ext_day = day_index
            s.ext_cur[0] = s.ext_cur[1] = -math.inf
            s.span_cur = [-math.inf] * len(s.span_cur)
        s.ext_cur[0] = max(s.ext_cur[0], x)
        s.ext_cur[1] = max(s.ext_cur[1], -x)
        for i, y in enumerate(span_x):
            s.span_cur[i] = max(s.span_cur[i], y)

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
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, got {value!r}")
        s.last_ts = t
        if s.counts and (value < 0.0 or value != math.floor(value)):
            s.counts = False
        poisson = c.log_scale and s.counts
        day_index = int(t // _DAY)
        hour = int(t % _DAY // 3600.0)
        week_index = int((t + _MONDAY_SHIFT) // _WEEK)
        how = int((t + _MONDAY_SHIFT) % _WEEK // 3600.0)
        x = self._forward(value)
        self._advance_spans(t, value)
        span_x = [self._forward(total / k) for total, k in zip(s.span_sum, s.span_len, strict=True)]

        # ---- score from the past only
        season = self._seasonal(hour, how)
        if s.n == 0:
            s.level = s.slow = x
        expected_x = season + s.level
        error = x - expected_x
        scale = max(s.scale, 1e-6 * (1.0 + abs(expected_x)))
        if poisson and error < 0.0:  # counts: log1p stretches falls towards zero; Poisson noise
            scale = max(scale, _count_noise(expected_x, c.noise_sigmas, error > 0.0) / c.noise_sigmas)
        r = error / scale
        short = s.short + self._a_short * (r - s.short) if s.n > 0 else r
        sd = math.sqrt(s.short_var) if s.short_var > 1e-12 else 1.0
        z = (short - s.short_mean) / sd
        warm = s.n >= c.warmup
        evidence, direction, peak_x, span = 0.0, "none", None, -1
        if warm:
            surprise = abs(z) / (c.surprise_weight if z > 0 else c.drop_surprise_weight)
            if z > 0 and c.surprise_peak_gate and s.ext_days >= c.extreme_min_days:
                above = (x - s.ext_mean[0]) / max(math.sqrt(s.ext_var[0]), scale)
                surprise *= min(1.0, max(c.surprise_gate_floor, above))
            evidence, direction = surprise, ("spike" if z > 0 else "drop")
            if s.ext_days >= c.extreme_min_days:
                # Counts on a log scale: the mean absolute error is swollen by quiet hours' noise, so
                # it already overstates the noise at busy hours, where peaks are. Other values:
                # turned into a standard deviation (Gaussian errors), the unit of the extremes' spread.
                point_sd = scale if poisson else _MEAN_ABS_TO_SD * scale
                # the day-scale baseline's own daily high and low (0 until the daily profile is used)
                high, low = self._day_rhythm()
                # the baseline already expects beyond a typical day's peak (trough): a new normal
                moved = (
                    c.new_normal and s.slow + high - s.ext_mean[0] >= 0.0,
                    c.new_normal and s.slow + low + s.ext_mean[1] <= 0.0,
                )
                for side, sign, name in ((0, 1.0, "spike"), (1, -1.0, "drop")):
                    if moved[side]:
                        continue
                    reference = sign * s.ext_mean[side]
                    spread = max(math.sqrt(s.ext_var[side]), point_sd)
                    if poisson and sign < 0.0:  # a trough within Poisson noise is not evidence
                        noise = _count_noise(reference, c.peak_noise_sigmas, up=False)
                        spread = max(spread, noise / c.evidence_at_threshold)
                    above = sign * (x - reference) / spread
                    if above > evidence:
                        evidence, direction, peak_x = above, name, reference
                # Longer spans: a sustained rise beyond a typical day's peak of the span's mean (not
                # once the baseline has moved there: a level shift is the points' business).
                if s.span_days >= c.span_min_days and not moved[0]:
                    for i, y in enumerate(span_x):
                        # Counts: arrivals' noise shrinks over a span. Other values: successive
                        # readings of a gauge are correlated, so no shrinkage is assumed.
                        floor = point_sd / s.span_len[i] ** c.span_noise if poisson else point_sd
                        spread = max(math.sqrt(s.span_var[i]), floor)
                        above = (y - s.span_mean[i]) / spread / c.span_weight
                        if above > evidence:
                            evidence, direction, peak_x, span = above, "spike", s.span_mean[i], i
        score = min(1.0, max(0.0, evidence / (2.0 * c.evidence_at_threshold)))
        if score == 0.0:
            direction = "none"

        is_anomaly = False
        if score >= c.threshold:
            s.calm = 0
            if not s.episode:
                s.episode = is_anomaly = True
                s.reported_at = t
        elif s.episode:
            s.calm += 1
            if s.calm >= c.episode_gap and t - s.reported_at >= c.cooldown_hours * 3600.0:
                s.episode, s.calm = False, 0

        # ---- learn (after scoring: strictly causal)
        if s.n < c.warmup:  # no clipping while the scale is still being learnt
            rc, clean = r, x
        else:
            rc = max(-c.clip, min(c.clip, r))
            clean = expected_x + rc * scale
        a_long = max(self._a_scale, 1.0 / (s.n + 1.0))
        s.scale = scale + a_long * (abs(rc) * scale - scale) if s.n > 0 else abs(error)
        half = c.warmup // 2
        if s.n >= half:  # the error scale has settled: learn the short average's distribution
            short_c = s.short + self._a_short * (rc - s.short)
            a_dist = max(self._a_scale, 1.0 / (s.n - half + 1.0))
            s.short_mean, s.short_var = _ew_step(s.short_mean, s.short_var, short_c, a_dist)
        s.short = short
        if warm:
            self._learn_extremes(x, span_x, day_index)
        s.level += self._a_level * (clean - season - s.level)
        s.slow += self._a_slow * (clean - season - s.slow)
        if _fold(s.day_profile, s.day_seen, s.day_acc, hour, day_index, clean - s.slow, self._a_day):
            self._rhythm = None
        _fold(s.week_profile, s.week_seen, s.week_acc, how, week_index, clean - s.slow, self._a_week)
        s.n += 1

        expected = self._backward(expected_x)
        peak = None if peak_x is None else self._backward(peak_x)
        return VolumeScore(
            timestamp=timestamp,
            value=value,
            score=score,
            is_anomaly=is_anomaly,
            in_episode=s.episode,
            alert_score=score if is_anomaly or score < c.threshold else math.nextafter(c.threshold, 0.0),
            direction=direction,  # type: ignore[arg-type]
            expected=expected,
            typical_peak=peak,
            warm=warm,
            explanation=self._explain(value, expected, peak, score, direction, warm, span),
        )

    def _explain(
        self,
        value: float,
        expected: float,
        peak: float | None,
        score: float,
        direction: str,
        warm: bool,
        span: int,
    ) -> str:
        s = self._s
        if not warm:
            return f"learning the baseline ({s.n}/{self.config.warmup} points seen)"
        what = "rose" if value >= expected else "fell"
        text = f"volume {what} to {value:g} from an expected {expected:.1f} (x{(value + 1.0) / (expected + 1.0):.2f})"
        if span >= 0 and peak is not None:
            hours = f"{self.config.span_hours[span]:g} h"
            points, mean = s.span_len[span], s.span_sum[span] / s.span_len[span]
            if s.counts:  # counts add up: say how many over the span, against a typical day's peak
                text = (
                    f"mentions over the last {hours}: {s.span_sum[span]:,.0f} vs a typical day's peak of "
                    f"{peak * points:,.0f} (x{(mean + 1.0) / (peak + 1.0):.2f}; {points} points)"
                )
            else:
                text = f"mean over the last {hours}: {mean:g} vs a typical day's peak of {peak:.1f}"
        elif peak is not None:
            text += f"; a typical day's {'peak' if direction == 'spike' else 'trough'} is {peak:.1f}"
        return f"{text}; score {score:.2f}" + (f" ({direction})" if direction != "none" else "")

    def state_dict(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot of the configuration and state."""
        return {"config": asdict(self.config), "state": asdict(self._s)}

    @classmethod
    def from_state_dict(cls, data: dict[str, Any]) -> VolumeDetector:
        """The detector :meth:`state_dict` saved. Settings and state fields that this version no
        longer has are dropped and new ones take their defaults, so a stored detector survives an
        upgrade."""
        known_config = {f.name for f in fields(VolumeConfig)}
        config = {k: v for k, v in data["config"].items() if k in known_config}
        if "span_hours" in config:  # a JSON list
            config["span_hours"] = tuple(float(h) for h in config["span_hours"])
        detector = cls(VolumeConfig(**config))
        known_state = {f.name for f in fields(_State)}
        state = {k: v for k, v in data["state"].items() if k in known_state}
        state["ext_cur"] = [float(v) for v in state["ext_cur"]]
        state["span_cur"] = [float(v) for v in state.get("span_cur", [])]
        detector._s = _State(**state)
        detector._rhythm = None
        detector._fit_spans_to_config()
        return detector

"""The mention-volume detector: spikes and drops flagged, rhythms not, strictly causal, serialisable."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from benchmarks.nab_synthetic import poisson

from vigie.crisis.volume import VolumeConfig, VolumeDetector, VolumeScore

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
STEP = timedelta(minutes=5)
PER_DAY = 288


def rhythm_mean(at: datetime, base: float) -> float:
    """Expected count per 5 minutes: quiet nights, busy afternoons, quieter weekends."""
    hour = at.hour + at.minute / 60.0
    daily = 0.15 + 0.85 * max(0.0, math.sin(math.pi * (hour - 6.0) / 16.0)) if 6.0 <= hour <= 22.0 else 0.15
    return base * daily * (0.6 if at.weekday() >= 5 else 1.0)


def daily_rhythm(days: int, *, seed: int = 1, base: float = 40.0) -> list[tuple[datetime, float]]:
    """Counts per 5 minutes with a strong daily rhythm (quiet nights, busy afternoons), quieter weekends."""
    rng = random.Random(seed)
    return [
        (START + i * STEP, float(poisson(rng, rhythm_mean(START + i * STEP, base))))
        for i in range(days * PER_DAY)
    ]


def run(series: list[tuple[datetime, float]], config: VolumeConfig | None = None) -> list[VolumeScore]:
    detector = VolumeDetector(config)
    return [detector.update(at, value) for at, value in series]


def test_daily_rhythm_alone_is_not_an_anomaly() -> None:
    results = run(daily_rhythm(21))
    warm = [r for r in results if r.warm]
    assert len(warm) > 15 * PER_DAY
    assert [r for r in results if r.is_anomaly] == []
    # The baseline follows the rhythm: afternoons are expected busier than nights.
    day = results[14 * PER_DAY : 15 * PER_DAY]
    assert max(r.expected for r in day) > 3 * min(r.expected for r in day)


def test_spike_is_flagged_with_an_explanation() -> None:
    series = daily_rhythm(14)
    at = 10 * PER_DAY + 15 * 12  # day 10, 15:00
    for k in range(6):
        stamp, value = series[at + k]
        series[at + k] = (stamp, value * 6 + 30)
    results = run(series)
    flagged = [i for i, r in enumerate(results) if r.is_anomaly]
    assert flagged and at <= flagged[0] <= at + 2, flagged
    assert len(flagged) == 1  # one episode, reported once
    hit = results[flagged[0]]
    assert hit.direction == "spike"
    assert hit.score >= VolumeConfig().threshold
    assert hit.value > 3 * hit.expected
    assert "rose" in hit.explanation and "expected" in hit.explanation


def test_drop_is_flagged() -> None:
    series = daily_rhythm(14, base=80.0)
    at = 10 * PER_DAY + 14 * 12  # day 10, 14:00: an outage of the source for two hours
    for k in range(24):
        stamp, _ = series[at + k]
        series[at + k] = (stamp, 0.0)
    results = run(series)
    flagged = [i for i, r in enumerate(results) if r.is_anomaly]
    assert flagged and at <= flagged[0] <= at + 6, flagged
    assert results[flagged[0]].direction == "drop"
    assert "fell" in results[flagged[0]].explanation


def test_cold_start_scores_zero_until_warm() -> None:
    series = daily_rhythm(3)
    series[20] = (series[20][0], 5000.0)
    results = run(series)
    config = VolumeConfig()
    assert all(r.score == 0.0 and not r.warm for r in results[: config.warmup])
    assert not results[20].is_anomaly
    assert results[config.warmup].warm


def test_scores_are_strictly_causal() -> None:
    series = daily_rhythm(8, seed=3)
    cut = 6 * PER_DAY
    prefix = run(series[:cut])
    future = list(series)
    future[cut] = (future[cut][0], 10_000.0)  # a huge spike right after the cut
    full = run(future)
    assert [r.score for r in prefix] == [r.score for r in full[:cut]]
    assert [r.expected for r in prefix] == [r.expected for r in full[:cut]]
    assert full[cut].is_anomaly


def test_alert_score_crosses_the_threshold_exactly_on_reported_anomalies() -> None:
    series = daily_rhythm(10, seed=5)
    for day in (5, 7):
        at = day * PER_DAY + 13 * 12
        for k in range(12):
            stamp, value = series[at + k]
            series[at + k] = (stamp, value * 8 + 50)
    results = run(series)
    threshold = VolumeConfig().threshold
    assert sum(r.is_anomaly for r in results) >= 2
    for r in results:
        assert 0.0 <= r.score <= 1.0 and 0.0 <= r.alert_score <= r.score
        assert (r.alert_score >= threshold) == r.is_anomaly


def test_state_round_trips_through_json() -> None:
    series = daily_rhythm(6, seed=7)
    detector = VolumeDetector()
    for at, value in series[: 4 * PER_DAY]:
        detector.update(at, value)
    restored = VolumeDetector.from_state_dict(json.loads(json.dumps(detector.state_dict())))
    for at, value in series[4 * PER_DAY :]:
        assert restored.update(at, value) == detector.update(at, value)


def test_time_going_back_is_refused() -> None:
    detector = VolumeDetector()
    detector.update(START, 1.0)
    with pytest.raises(ValueError, match="back in time"):
        detector.update(START - STEP, 1.0)


def test_naive_timestamps_are_taken_as_utc() -> None:
    a, b = VolumeDetector(), VolumeDetector()
    for i in range(50):
        at = START + i * STEP
        assert a.update(at, float(i % 7)) == b.update(at.replace(tzinfo=None), float(i % 7))


def _with_spikes(days: int, at_days: tuple[float, ...]) -> list[tuple[datetime, float]]:
    series = daily_rhythm(days, seed=11)
    for day in at_days:
        at = int(day * PER_DAY)
        for k in range(6):
            stamp, value = series[at + k]
            series[at + k] = (stamp, value * 8 + 60)
    return series


def test_cooldown_reports_aftershocks_once_and_a_later_incident_again() -> None:
    config = VolumeConfig()
    assert config.cooldown_hours > 0
    # Two bursts six hours apart: the second is inside the first's cool-down, reported once.
    close = [i for i, r in enumerate(run(_with_spikes(12, (8.5, 8.75)))) if r.is_anomaly]
    assert len(close) == 1 and close[0] >= 8 * PER_DAY, close
    # Without the cool-down both are reported: the test can fail.
    no_cooldown = run(_with_spikes(12, (8.5, 8.75)), VolumeConfig(cooldown_hours=0.0))
    assert sum(r.is_anomaly for r in no_cooldown) == 2
    # Bursts two days apart are two incidents.
    apart = [i for i, r in enumerate(run(_with_spikes(12, (7.5, 9.5)))) if r.is_anomaly]
    assert len(apart) == 2, apart


def test_a_rise_within_a_normal_days_range_needs_more_surprise() -> None:
    # A night-time burst that stays below a typical afternoon peak: rhythm-breaking, but the gate
    # keeps it from alerting like a record day; the same burst above the peak is flagged.
    series = daily_rhythm(12, seed=13)
    at = 9 * PER_DAY + 2 * 12  # day 9, 02:00 (night level ~6, afternoon peaks ~40)
    low, high = list(series), list(series)
    for k in range(3):
        stamp, value = series[at + k]
        low[at + k] = (stamp, 22.0)
        high[at + k] = (stamp, 160.0)
    gated = run(low)
    ungated = run(low, VolumeConfig(surprise_peak_gate=False))
    assert gated[at].score < ungated[at].score
    assert not any(r.is_anomaly for r in gated[at : at + 3])
    assert any(r.is_anomaly and r.direction == "spike" for r in run(high)[at : at + 3])


def _shifted(days: int, at: int, factor: float) -> list[tuple[datetime, float]]:
    """The daily rhythm, every count ``factor`` times higher from point ``at`` on."""
    rng = random.Random(17)
    series = []
    for i in range(days * PER_DAY):
        stamp = START + i * STEP
        series.append((stamp, float(poisson(rng, rhythm_mean(stamp, 40.0) * (factor if i >= at else 1.0)))))
    return series


def test_a_level_shift_is_reported_once_then_learnt_as_the_new_normal() -> None:
    step = 9 * PER_DAY + 12 * 12  # day 9, noon
    series = _shifted(18, step, factor=3.0)
    rises = [i for i, r in enumerate(run(series)) if r.is_anomaly and r.direction == "spike"]
    assert rises and step <= rises[0] <= step + 12, rises
    assert len(rises) == 1, rises
    # Without the new-normal rule the busier days keep beating the old typical peak.
    old = run(series, VolumeConfig(new_normal=False))
    assert len([r for r in old if r.is_anomaly and r.direction == "spike"]) > 1


def _gauge(days: int, *, seed: int, step: timedelta = STEP) -> list[tuple[datetime, float]]:
    """A value that is not a count: a daily sine wave (peak at 06:00) with small Gaussian noise."""
    rng = random.Random(seed)
    points = int(days * timedelta(days=1) / step)
    series = []
    for i in range(points):
        at = START + i * step
        phase = 2 * math.pi * (at.hour * 60 + at.minute) / 1440.0
        series.append((at, round(50.0 + 20.0 * math.sin(phase) + rng.gauss(0.0, 0.6), 3)))
    return series


def test_values_that_are_not_counts_get_no_poisson_allowance() -> None:
    series = _gauge(14, seed=19)
    assert not any(r.is_anomaly for r in run(series))
    day = 10 * PER_DAY
    for i in range(day + 2 * 12, day + 10 * 12):  # the wave stays flat through the morning peak
        series[i] = (series[i][0], 50.0)
    results = run(series)
    flagged = [i for i, r in enumerate(results) if r.is_anomaly]
    assert flagged and day + 2 * 12 <= flagged[0] <= day + 10 * 12, flagged
    assert results[flagged[0]].direction == "drop"
    # The same shape as counts (whole numbers) is judged against Poisson noise: a weaker fall.
    as_counts = [(at, float(round(v))) for at, v in series]
    flat = slice(day + 2 * 12, day + 10 * 12)
    assert max(r.score for r in run(as_counts)[flat]) < max(r.score for r in results[flat])


def test_cooldown_is_a_duration_whatever_the_bucket_size() -> None:
    hourly = _gauge(30, seed=23, step=timedelta(hours=1))
    for at_hour in (20 * 24 + 6, 20 * 24 + 12, 23 * 24 + 6):  # two bursts 6 h apart, one 3 days later
        hourly[at_hour] = (hourly[at_hour][0], 150.0)
    flagged = [i for i, r in enumerate(run(hourly)) if r.is_anomaly]
    assert flagged == [20 * 24 + 6, 23 * 24 + 6]


def test_a_state_saved_by_an_older_version_still_loads() -> None:
    detector = VolumeDetector()
    for at, value in daily_rhythm(2)[:300]:
        detector.update(at, value)
    saved = json.loads(json.dumps(detector.state_dict()))
    saved["config"]["cooldown"] = 288  # a setting this version no longer has
    saved["state"]["since"] = 12
    del saved["state"]["counts"]  # a field this version added
    restored = VolumeDetector.from_state_dict(saved)
    at = START + 300 * STEP
    assert restored.update(at, 20.0) == detector.update(at, 20.0)


def _bursty_low_counts(days: int, *, seed: int) -> list[tuple[datetime, float]]:
    """Low counts (a few per 5 minutes) with three single-bucket bursts of 25-35 a day (bots, one
    retweeted post): a typical day's peak *point* is high, a typical day's busiest *hour* is not."""
    rng = random.Random(seed)
    series = daily_rhythm(days, seed=seed, base=4.0)
    for day in range(days):
        for _ in range(3):
            i = day * PER_DAY + rng.randrange(PER_DAY)
            series[i] = (series[i][0], float(rng.randint(25, 35)))
    return series


def test_a_sustained_rise_that_no_single_point_reveals_is_flagged() -> None:
    series = _bursty_low_counts(12, seed=29)
    at = 9 * PER_DAY + 13 * 12  # day 9, 13:00: three hours at ~15 per 5 minutes (normal ~4)
    rng = random.Random(5)
    for k in range(36):
        series[at + k] = (series[at + k][0], float(poisson(rng, 15.0)))
    rise = slice(at, at + 36)
    assert max(v for _, v in series[rise]) < max(v for _, v in series[:at])  # no record point
    points_only = run(series, VolumeConfig(span_hours=()))
    assert not any(r.is_anomaly for r in points_only[rise])
    assert max(r.score for r in points_only[rise]) < 0.4
    results = run(series)
    flagged = [i for i, r in enumerate(results) if r.is_anomaly]
    assert flagged and at <= flagged[0] < at + 24, flagged
    hit = results[flagged[0]]
    assert hit.direction == "spike"
    assert hit.explanation.startswith("mentions over the last 1 h:"), hit.explanation
    assert hit.typical_peak is not None and hit.typical_peak < 10.0  # a typical hour, per 5 minutes


def test_the_span_sums_are_exact_and_the_recent_points_stay_bounded() -> None:
    detector = VolumeDetector(VolumeConfig(span_hours=(1.0, 3.0)))
    series = daily_rhythm(3, seed=31)
    for at, value in series:
        detector.update(at, value)
    state = detector.state_dict()["state"]
    values = [v for _, v in series]
    assert state["span_len"] == [12, 36]
    assert state["span_sum"] == [sum(values[-12:]), sum(values[-36:])]
    assert len(state["recent"]) <= 2 * 36


def _saved_before_the_spans_existed(detector: VolumeDetector) -> dict[str, Any]:
    saved = json.loads(json.dumps(detector.state_dict()))
    del saved["config"]["span_hours"]
    for name in ("recent", "span_sum", "span_len", "span_cur", "span_mean", "span_var", "span_days"):
        del saved["state"][name]
    return saved


def test_a_state_saved_before_the_spans_existed_still_loads() -> None:
    detector = VolumeDetector()
    for at, value in daily_rhythm(4)[:1000]:
        detector.update(at, value)
    restored = VolumeDetector.from_state_dict(_saved_before_the_spans_existed(detector))
    state = restored.state_dict()["state"]
    assert state["span_days"] == 0 and state["span_sum"] == [0.0, 0.0]  # the spans start afresh
    result = restored.update(START + 1000 * STEP, 20.0)
    assert result.warm and 0.0 <= result.score <= 1.0
    assert restored.state_dict()["state"]["span_sum"] == [20.0, 20.0]
    # and a state with spans round-trips with its configuration
    again = VolumeDetector.from_state_dict(json.loads(json.dumps(detector.state_dict())))
    assert again.config == detector.config
    at = START + 1000 * STEP
    assert again.update(at, 20.0) == detector.update(at, 20.0)


def test_an_older_state_loaded_on_a_new_day_learns_no_span_maximum_for_the_day_before() -> None:
    series = daily_rhythm(4)
    detector = VolumeDetector()
    for at, value in series[: 3 * PER_DAY]:
        detector.update(at, value)
    restored = VolumeDetector.from_state_dict(_saved_before_the_spans_existed(detector))
    restored.update(*series[3 * PER_DAY])
    state = restored.state_dict()["state"]
    assert state["ext_days"] == 3  # the points' maxima of the day before are learnt
    assert state["span_days"] == 0 and state["span_mean"] == [0.0, 0.0]  # the spans never saw it

"""Generated NAB-like series for checking that the volume detector generalises beyond realTweets.

The detector was tuned on the 10 realTweets series only; NAB's 48 other series (servers, traffic,
ad exchange, artificial) must not be used. These generated series imitate their shapes instead,
with labelled anomalies and NAB-style windows (10 % of the rows split over the anomalies, centred
on each one):

* counts per 5 minutes with daily and weekly rhythms: spike, drop, level shift, ramp, change of
  noise regime, and rhythm-only controls (``counts/``);
* values that are not counts (``values/``): CPU-like bounded percentages (burst, level shift,
  quiet control), flat lines (control, and a jump), daily square waves (control, and a missing
  pulse), white noise (control, and a change of variance), a slow drift, daily sine waves (one
  day higher, one day flat), and ad-exchange-like hourly prices with irregular timestamps (spike,
  drop, control).

Every series is generated from a fixed seed, so the figures are reproducible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FMT = "%Y-%m-%d %H:%M:%S"
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
FIVE_MINUTES = timedelta(minutes=5)


@dataclass(frozen=True)
class Series:
    """One generated series: its rows and the rows of its labelled anomalies."""

    group: str
    name: str
    rows: list[tuple[str, str]]
    anomalies: list[int]

    def windows(self) -> list[list[str]]:
        """NAB-style windows: 10 % of the rows split over the anomalies, centred on each one."""
        if not self.anomalies:
            return []
        half = int(0.1 * len(self.rows) / len(self.anomalies) / 2)
        last = len(self.rows) - 1
        return [[self.rows[max(a - half, 0)][0], self.rows[min(a + half, last)][0]] for a in self.anomalies]


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method for small means, a rounded normal approximation above 50."""
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _stamps(n: int, step: timedelta = FIVE_MINUTES) -> list[datetime]:
    return [START + i * step for i in range(n)]


def _daily_shape(t: datetime) -> float:
    hour = t.hour + t.minute / 60
    return 0.2 + 0.8 * max(0.0, math.sin(math.pi * (hour - 6) / 16)) if 6 <= hour <= 22 else 0.2


def counts(kind: str, seed: int, n: int = 6000) -> tuple[list[tuple[datetime, float]], list[int]]:
    """Counts per 5 minutes with daily and weekly rhythms and up to two anomalies of one kind."""
    rng = random.Random(seed)
    base = rng.choice([3.0, 15.0, 60.0, 300.0])
    at = sorted(rng.sample(range(int(n * 0.35), int(n * 0.9)), 2 if kind != "rhythm" else 0))
    if len(at) == 2 and at[1] - at[0] < n // 5:
        at = [at[0]]
    rows: list[tuple[datetime, float]] = []
    for i, t in enumerate(_stamps(n)):
        lam = base * _daily_shape(t) * (0.6 if t.weekday() >= 5 else 1.0)
        for a in at:
            d = i - a
            if kind == "spike" and 0 <= d < 6:
                lam = lam * 5 + 3 * math.sqrt(base) + 10
            elif kind == "drop" and 0 <= d < 36:
                lam = lam * 0.05
            elif kind == "shift" and d >= 0:
                lam *= 2.5
            elif kind == "ramp" and 0 <= d < 288:
                lam *= 1 + 4 * d / 288
            elif kind == "noise" and 0 <= d < 288:
                lam *= rng.choice([0.2, 3.0])
        rows.append((t, float(poisson(rng, lam))))
    return rows, at


def _anomaly_at(rng: random.Random, n: int) -> int:
    return rng.randrange(int(n * 0.45), int(n * 0.8))


Values = tuple[list[tuple[datetime, float]], list[int]]


def cpu(kind: str, seed: int, n: int = 4032) -> Values:
    """CPU-like utilisation in percent: a noisy level, bounded to [0, 100]."""
    rng = random.Random(seed)
    level = rng.uniform(20.0, 50.0)
    noise = rng.uniform(1.0, 4.0)
    a = _anomaly_at(rng, n)
    rows = []
    drift = 0.0
    for i, t in enumerate(_stamps(n)):
        drift = 0.98 * drift + rng.gauss(0.0, noise * 0.2)  # slow wander, not an anomaly
        v = level + drift + rng.gauss(0.0, noise)
        if kind == "burst" and a <= i < a + 24:
            v = rng.uniform(88.0, 99.0)
        elif kind == "shift" and i >= a:
            v += level * 0.8
        rows.append((t, round(min(100.0, max(0.0, v)), 3)))
    return rows, ([] if kind == "quiet" else [a])


def flat(kind: str, seed: int, n: int = 4032) -> Values:
    """A flat line (a gauge that never moves), with or without a jump."""
    rng = random.Random(seed)
    level = rng.choice([0.0, 20.0, 73.5])
    a = _anomaly_at(rng, n)
    rows = [
        (t, level + (15.0 if kind == "jump" and a <= i < a + 36 else 0.0)) for i, t in enumerate(_stamps(n))
    ]
    return rows, ([a] if kind == "jump" else [])


def square(kind: str, seed: int, n: int = 4032) -> Values:
    """A daily square wave (a batch job: high from 08:00 to 20:00), with or without a missing pulse."""
    rng = random.Random(seed)
    low, high = 20.0, rng.uniform(60.0, 90.0)
    day = rng.randrange(int(n * 0.45) // 288 + 1, int(n * 0.8) // 288)
    rows, anomalies = [], []
    for i, t in enumerate(_stamps(n)):
        on = 8 <= t.hour < 20 and not (kind == "missing" and i // 288 == day)
        if kind == "missing" and i // 288 == day and t.hour == 8 and t.minute == 0:
            anomalies.append(i)
        rows.append((t, round((high if on else low) + rng.gauss(0.0, 1.0), 3)))
    return rows, anomalies


def noisy(kind: str, seed: int, n: int = 4032) -> Values:
    """White noise around a level; ``variance``: the noise triples for half a day."""
    rng = random.Random(seed)
    level, sd = rng.uniform(40.0, 60.0), rng.uniform(2.0, 8.0)
    a = _anomaly_at(rng, n)
    rows = []
    for i, t in enumerate(_stamps(n)):
        k = 3.0 if kind == "variance" and a <= i < a + 144 else 1.0
        rows.append((t, round(level + rng.gauss(0.0, sd * k), 3)))
    return rows, ([a] if kind == "variance" else [])


def drift(kind: str, seed: int, n: int = 4032) -> Values:
    """A noisy level that starts drifting up by 60 % over one day, then stays there."""
    rng = random.Random(seed)
    level, sd = rng.uniform(30.0, 60.0), rng.uniform(0.5, 2.0)
    a = _anomaly_at(rng, n)
    rows = []
    for i, t in enumerate(_stamps(n)):
        rise = 0.6 * level * min(1.0, max(0.0, (i - a) / 288))
        rows.append((t, round(level + rise + rng.gauss(0.0, sd), 3)))
    return rows, [a]


def sine(kind: str, seed: int, n: int = 4032) -> Values:
    """A daily sine wave with small noise (NAB's art_daily_*): one day higher, or one day flat."""
    rng = random.Random(seed)
    mid, amp = rng.uniform(40.0, 60.0), rng.uniform(15.0, 25.0)
    day = rng.randrange(int(n * 0.45) // 288 + 1, int(n * 0.8) // 288)
    rows, anomalies = [], []
    for i, t in enumerate(_stamps(n)):
        wave = math.sin(2 * math.pi * (t.hour * 60 + t.minute) / 1440.0)
        v = mid + amp * wave
        if i // 288 == day and 2 <= t.hour < 10:  # around the daily peak (06:00)
            if kind == "jumpsup":
                v += 1.5 * amp
            elif kind == "flatmiddle":
                v = mid
        if i // 288 == day and t.hour == 2 and t.minute == 0 and kind != "quiet":
            anomalies.append(i)
        rows.append((t, round(v + rng.gauss(0.0, amp * 0.03), 3)))
    return rows, anomalies


def adexchange(kind: str, seed: int, n: int = 1600) -> Values:
    """Hourly ad-exchange prices (cost per click, ~0.1 to 2) with irregular timestamps (gaps)."""
    rng = random.Random(seed)
    base = rng.uniform(0.15, 1.5)
    rows: list[tuple[datetime, float]] = []
    t = START
    while len(rows) < n:
        t += timedelta(hours=1 if rng.random() > 0.06 else rng.randint(2, 5))
        rows.append((t, 0.0))
    a = _anomaly_at(rng, n)
    out = []
    for i, (stamp, _) in enumerate(rows):
        daily = 1.0 + 0.3 * math.sin(2 * math.pi * stamp.hour / 24.0)
        v = base * daily * math.exp(rng.gauss(0.0, 0.12))
        if kind == "spike" and a <= i < a + 3:
            v *= 4.0
        elif kind == "drop" and a <= i < a + 6:
            v *= 0.15
        out.append((stamp, round(v, 4)))
    return out, ([] if kind == "quiet" else [a])


GENERATORS: dict[str, tuple[Callable[[str, int], Values], tuple[str, ...]]] = {
    "cpu": (cpu, ("burst", "shift", "quiet")),
    "flat": (flat, ("line", "jump")),
    "square": (square, ("wave", "missing")),
    "noisy": (noisy, ("white", "variance")),
    "drift": (drift, ("up",)),
    "sine": (sine, ("quiet", "jumpsup", "flatmiddle")),
    "adx": (adexchange, ("spike", "drop", "quiet")),
}
COUNT_KINDS = ("spike", "drop", "shift", "ramp", "noise", "rhythm")


def _as_rows(values: list[tuple[datetime, float]]) -> list[tuple[str, str]]:
    return [(t.strftime(FMT), f"{v:g}") for t, v in values]


def suite(seeds: int = 4) -> list[Series]:
    """Every generated series (``seeds`` of each kind)."""
    out: list[Series] = []
    for kind in COUNT_KINDS:
        for seed in range(seeds):
            values, at = counts(kind, seed=seed * 101 + len(kind))
            out.append(Series("counts", f"{kind}_{seed}.csv", _as_rows(values), at))
    for family, (make, kinds) in GENERATORS.items():
        for kind in kinds:
            for seed in range(seeds):
                values, at = make(kind, seed * 31 + len(family) * 7 + sum(map(ord, kind)))
                out.append(Series("values", f"{family}_{kind}_{seed}.csv", _as_rows(values), at))
    return out

"""Run `vigie buzz nab` on realTweets and score it with benchmarks/nab_score.py; plus synthetic series.

    python benchmarks/nab_run.py                 # realTweets: score at the detector's fixed threshold
    python benchmarks/nab_run.py --synthetic     # also generated series (never seen while tuning)

The synthetic part generates NAB-style series (5-minute counts with daily and weekly rhythms and
one or two labelled anomalies each: spikes, drops, level shifts, ramps, noise-regime changes, and
rhythm-only controls), writes them with NAB-style windows (10 % of the length split over the
anomalies) and scores the same detector on them with the same scorer.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nab_score  # noqa: E402

from vigie.crisis.volume import VolumeConfig  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STEP = timedelta(minutes=5)
FMT = "%Y-%m-%d %H:%M:%S"


def run_cli(data: Path, out: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from vigie.cli.main import main; main()",
            "buzz",
            "nab",
            str(data),
            str(out),
            "--name",
            "vigie",
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def synthetic(kind: str, seed: int, n: int = 6000) -> tuple[list[tuple[str, int]], list[int]]:
    """One series of counts and the rows of its anomalies."""
    rng = random.Random(seed)
    base = rng.choice([3.0, 15.0, 60.0, 300.0])
    start = datetime(2026, 1, 5, tzinfo=UTC)
    at = sorted(rng.sample(range(int(n * 0.35), int(n * 0.9)), 2 if kind != "rhythm" else 0))
    if len(at) == 2 and at[1] - at[0] < n // 5:
        at = [at[0]]
    rows: list[tuple[str, int]] = []
    for i in range(n):
        t = start + i * STEP
        hour = t.hour + t.minute / 60
        daily = 0.2 + 0.8 * max(0.0, math.sin(math.pi * (hour - 6) / 16)) if 6 <= hour <= 22 else 0.2
        lam = base * daily * (0.6 if t.weekday() >= 5 else 1.0)
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
        rows.append((t.strftime(FMT), _poisson(rng, lam)))
    return rows, at


def write_synthetic(folder: Path) -> dict[str, list[list[str]]]:
    windows: dict[str, list[list[str]]] = {}
    (folder / "synthetic").mkdir(parents=True)
    for kind in ("spike", "drop", "shift", "ramp", "noise", "rhythm"):
        for seed in range(4):
            rows, anomalies = synthetic(kind, seed=seed * 101 + len(kind))
            name = f"{kind}_{seed}.csv"
            with (folder / "synthetic" / name).open("w", encoding="utf-8") as fh:
                fh.write("timestamp,value\n" + "".join(f"{t},{v}\n" for t, v in rows))
            half = int(0.1 * len(rows) / max(len(anomalies), 1) / 2)
            windows[f"synthetic/{name}"] = [
                [rows[max(a - half, 0)][0], rows[min(a + half, len(rows) - 1)][0]] for a in anomalies
            ]
    return windows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=nab_score.DEFAULT_DATASET)
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args()
    threshold = VolumeConfig().threshold
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results"
        run_cli(args.dataset / "data", out / "realTweets")
        got = nab_score.score_dir(out, args.dataset / "labels" / "combined_windows.json", threshold=threshold)
        print(
            f"realTweets: standard score {got['score']:.2f} at the detector's fixed threshold {threshold} "
            f"(re-optimised: {got['best_score']:.2f} at {got['best_threshold']:.4f})"
        )
        if args.synthetic:
            data = Path(tmp) / "synthetic-data"
            windows = write_synthetic(data)
            labels = Path(tmp) / "synthetic_windows.json"
            labels.write_text(json.dumps(windows), encoding="utf-8")
            run_cli(data / "synthetic", out / "synthetic")
            files = nab_score.load_results_dir(out / "synthetic", nab_score.load_windows(labels))
            raw = nab_score.raw_score_at(files, threshold)
            with_windows = [f for f in files if f.n_windows]
            print(
                f"synthetic ({len(files)} series, {sum(f.n_windows for f in files)} anomalies): "
                f"standard score {nab_score.normalise(raw, with_windows):.2f} at {threshold}"
            )
            for f in files:
                fired = int((f.anomaly_scores >= threshold).sum())
                hit = sum(
                    bool(((f.anomaly_scores >= threshold) & (f.window_ids == w)).any())
                    for w in range(f.n_windows)
                )
                print(f"  {f.name:28s} anomalies {f.n_windows} detected {hit} alerts {fired}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

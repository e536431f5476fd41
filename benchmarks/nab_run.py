"""Score the volume detector on NAB realTweets and on generated NAB-like series.

    python benchmarks/nab_run.py                 # realTweets at the detector's fixed threshold
    python benchmarks/nab_run.py --synthetic     # also the generated series (never tuned on)
    python benchmarks/nab_run.py --loso          # leave-one-series-out estimate of the tuned knobs
    python benchmarks/nab_run.py --loso --grid '{"span_weight": [1.0, 1.1, 1.2, 1.3], "surprise_weight": [3, 3.5, 4, 5]}'
    python benchmarks/nab_run.py --set 'span_hours=[]'   # points only (no longer spans)

Every series goes through ``vigie.cli.buzz.score_file``, the code path of ``vigie buzz nab`` (a
fresh detector per file, one configuration), and is scored by ``benchmarks/nab_score.py``.

``--loso``: the knobs that were chosen on realTweets (``cooldown_hours``, ``evidence_at_threshold``)
are re-chosen on 9 series from a grid, and the 10th is scored with the chosen values; the 10
held-out raw scores are summed and normalised like a corpus score. That is an honest estimate of
what the tuning is worth on series it did not see, next to the in-sample figure.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nab_score  # noqa: E402
import nab_synthetic  # noqa: E402

from vigie.cli.buzz import score_file  # noqa: E402
from vigie.crisis.volume import VolumeConfig  # noqa: E402

LOSO_GRID: dict[str, list[Any]] = {
    "cooldown_hours": [0.0, 12.0, 24.0, 36.0, 48.0],
    "evidence_at_threshold": [1.25, 1.4, 1.5, 1.6, 1.75],
}


def run_dir(data: Path, out: Path, config: VolumeConfig) -> None:
    """What ``vigie buzz nab data out`` does, with a given configuration."""
    for source in sorted(data.rglob("*.csv")):
        relative = source.relative_to(data)
        score_file(source, out / relative.parent / f"vigie_{relative.name}", config)


def score_realtweets(dataset: Path, config: VolumeConfig, tmp: Path) -> list[nab_score.FileScoring]:
    out = tmp / "realTweets"
    run_dir(dataset / "data", out, config)
    windows = nab_score.load_windows(dataset / "labels" / "combined_windows.json")
    return nab_score.load_results_dir(out, windows)


def per_file(files: Sequence[nab_score.FileScoring], threshold: float) -> list[tuple[str, int, int, int]]:
    """(name, windows, windows detected, false alarms) per file."""
    rows = []
    for f in files:
        fired = f.anomaly_scores >= threshold
        false = int((fired & (f.window_ids == nab_score.OUTSIDE)).sum())
        hit = sum(bool((fired & (f.window_ids == w)).any()) for w in range(f.n_windows))
        rows.append((f.name.rsplit("/", 1)[-1], f.n_windows, hit, false))
    return rows


def realtweets(dataset: Path, config: VolumeConfig) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = score_realtweets(dataset, config, Path(tmp))
    t = config.threshold
    score = nab_score.normalise(nab_score.raw_score_at(files, t), files)
    best_t, best = nab_score.optimise(files)
    print(
        f"realTweets: standard score {score:.2f} at the fixed threshold {t} (re-optimised: {best:.2f} at {best_t:.4f})"
    )
    for name, n, hit, false in per_file(files, t):
        print(f"  {name:28s} windows {n} detected {hit} false alarms {false}")


def synthetic(config: VolumeConfig, seeds: int) -> None:
    t = config.threshold
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        labels: dict[str, list[list[str]]] = {}
        for series in nab_synthetic.suite(seeds):
            path = root / "data" / series.group / series.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                "timestamp,value\n" + "".join(f"{a},{b}\n" for a, b in series.rows), encoding="utf-8"
            )
            labels[f"{series.group}/{series.name}"] = series.windows()
        run_dir(root / "data", root / "results", config)
        windows = nab_score.parse_windows(labels)
        for group in ("counts", "values"):
            files = nab_score.load_results_dir(
                root / "results" / group, {k: v for k, v in windows.items() if k.startswith(group + "/")}
            )
            table = per_file(files, t)
            raw = nab_score.raw_score_at(files, t)
            anomalies = sum(n for _, n, _, _ in table)
            found = sum(h for _, _, h, _ in table)
            quiet = [r for r in table if r[1] == 0]
            print(
                f"synthetic {group}: {len(files)} series, {found}/{anomalies} anomalies detected, "
                f"{sum(r[3] for r in table)} false alarms ({sum(r[3] for r in quiet)} on the "
                f"{len(quiet)} series without anomaly); standard score {nab_score.normalise(raw, files):.2f} at {t}"
            )
            for name, n, hit, false in table:
                if hit < n or false:
                    print(f"  {name:28s} anomalies {n} detected {hit} false alarms {false}")


def loso(dataset: Path, base: VolumeConfig, grid: dict[str, list[Any]]) -> None:
    keys = list(grid)
    candidates = [dict(zip(keys, values, strict=True)) for values in itertools.product(*grid.values())]
    t = base.threshold
    results: list[list[nab_score.FileScoring]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, knobs in enumerate(candidates):
            results.append(score_realtweets(dataset, replace(base, **knobs), Path(tmp) / str(i)))
    names = [f.name for f in results[0]]
    raws = [[nab_score.raw_score_at([f], t) for f in files] for files in results]
    total = [sum(r) for r in raws]
    best = max(range(len(candidates)), key=lambda c: total[c])
    all_files = results[0]
    print(
        f"in-sample: best of {len(candidates)} settings {candidates[best]} "
        f"-> {nab_score.normalise(total[best], all_files):.2f}"
    )
    # tuples (span_hours) as the JSON grid's lists, to find the defaults among the candidates
    current = {k: list(v) if isinstance(v, tuple) else v for k in keys for v in [getattr(base, k)]}
    if current in candidates:
        print(
            f"current defaults {current} -> {nab_score.normalise(total[candidates.index(current)], all_files):.2f}"
        )
    held_out = 0.0
    for h, name in enumerate(names):
        chosen = max(range(len(candidates)), key=lambda c: total[c] - raws[c][h])
        held_out += raws[chosen][h]
        print(
            f"  held out {name.rsplit('/', 1)[-1]:28s} chosen {json.dumps(candidates[chosen])} raw {raws[chosen][h]:+.3f}"
        )
    print(f"leave-one-series-out estimate: {nab_score.normalise(held_out, all_files):.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=nab_score.DEFAULT_DATASET)
    parser.add_argument("--synthetic", action="store_true", help="also score the generated series")
    parser.add_argument("--seeds", type=int, default=4, help="generated series of each kind")
    parser.add_argument(
        "--loso", action="store_true", help="leave-one-series-out estimate of the tuned knobs"
    )
    parser.add_argument("--grid", help='knobs and values for --loso, as JSON: {"cooldown_hours": [12, 24]}')
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE", help="override a knob")
    args = parser.parse_args()
    config = VolumeConfig()
    for item in args.set:
        key, _, text = item.partition("=")
        config = replace(config, **{key: type(getattr(config, key))(json.loads(text))})
    if not (args.dataset / "data").is_dir():
        print(f"realTweets not found at {args.dataset}: give --dataset (../shared/datasets/nab-realtweets)")
    elif args.loso:
        loso(args.dataset, config, json.loads(args.grid) if args.grid else LOSO_GRID)
    else:
        realtweets(args.dataset, config)
    if args.synthetic:
        synthetic(config, args.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

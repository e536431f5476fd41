"""Score anomaly-detector outputs with the Numenta Anomaly Benchmark's published scoring.

Written from NAB's published description (Lavin & Ahmad 2015, Ahmad et al. 2017) and checked
against the published per-corpus figures: run ``python benchmarks/nab_score.py --check``.

The rules implemented here:

* Each labelled anomaly has a window (``labels/combined_windows.json``). Rows before the end of the
  probationary period, ``min(floor(0.15 * rows), 750)``, are not scored.
* A detection is a row whose ``anomaly_score`` is at or above the threshold.
* Inside a window, a detection at row ``i`` is worth ``A_TP * s(-(right - i + 1) / width) / s(-1)``
  where ``s(x) = 2 / (1 + exp(5 x)) - 1`` (the scaled sigmoid, ``-1`` beyond ``x >= 3``). Only the best
  (earliest) detection of a window counts; a window with none costs ``-A_FN``.
* Outside windows a detection is a false positive worth ``A_FP * s(|i - prev_right| / (prev_width - 1))``
  (negative), measured from the preceding window's right edge; before the first window ``-A_FP``.
* The corpus raw score is the sum over files; it is normalised as
  ``100 * (raw - null) / (perfect - null)`` where the null detector never fires (``-A_FN`` per window)
  and the perfect one fires on the first row of every window (``+A_TP`` per window).
* The threshold sweep evaluates every distinct anomaly score as a threshold over all files at once
  (one threshold for the corpus) and keeps the best, as NAB's optimiser does.

Usage::

    python benchmarks/nab_score.py --check
    python benchmarks/nab_score.py RESULTS_DIR [--threshold T] [--labels PATH] [--profile standard]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "nab-realtweets"

PROFILES: dict[str, tuple[float, float, float]] = {
    # name: (A_TP, A_FP, A_FN)
    "standard": (1.0, 0.11, 1.0),
    "reward_low_FP_rate": (1.0, 0.22, 1.0),
    "reward_low_FN_rate": (1.0, 0.11, 2.0),
}

OUTSIDE = -1  # window id of a scored row outside every window
PROBATION = -2  # window id of a row in the probationary period


def scaled_sigmoid(x: float) -> float:
    """NAB's scaled sigmoid: +0.987 at x = -1 (window start), 0 at x = 0, -> -1 for x >= 3."""
    if x >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * x)) - 1.0


def probation_rows(n_rows: int, fraction: float = 0.15) -> int:
    return int(min(math.floor(fraction * n_rows), fraction * 5000))


def parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text.strip())


@dataclass(frozen=True)
class FileScoring:
    """Per-row scoring data of one file: what a detection on each row is worth."""

    name: str
    anomaly_scores: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]  # sweep score of a detection on that row
    window_ids: npt.NDArray[np.int64]  # window index, OUTSIDE or PROBATION
    n_windows: int  # windows that have at least one scored row


def row_weights(
    timestamps: Sequence[datetime],
    windows: Sequence[tuple[datetime, datetime]],
    *,
    a_tp: float,
    a_fp: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """The value of a detection on every row, and the window each row belongs to."""
    n = len(timestamps)
    index = {ts: i for i, ts in enumerate(timestamps)}
    spans: list[tuple[int, int]] = []
    for start, end in windows:
        if start not in index or end not in index:
            raise ValueError(f"window {start}..{end} does not start and end on rows of the file")
        spans.append((index[start], index[end]))
    spans.sort()
    weights = np.empty(n, dtype=np.float64)
    ids = np.full(n, OUTSIDE, dtype=np.int64)
    max_tp = scaled_sigmoid(-1.0)
    prev_right: int | None = None
    prev_width = 0.0
    k = 0
    i = 0
    while i < n:
        if k < len(spans) and i == spans[k][0]:
            left, right = spans[k]
            width = float(right - left + 1)
            for j in range(left, right + 1):
                weights[j] = a_tp * scaled_sigmoid(-(right - j + 1) / width) / max_tp
                ids[j] = k
            prev_right, prev_width = right, width
            k += 1
            i = right + 1
            continue
        position = 3.0 if prev_right is None else abs(i - prev_right) / (prev_width - 1.0)
        weights[i] = a_fp * scaled_sigmoid(position)
        i += 1
    probation = probation_rows(n)
    ids[:probation] = PROBATION
    return weights, ids


def prepare_file(
    name: str,
    timestamps: Sequence[datetime],
    anomaly_scores: Iterable[float],
    windows: Sequence[tuple[datetime, datetime]],
    *,
    profile: str = "standard",
) -> FileScoring:
    a_tp, a_fp, _ = PROFILES[profile]
    scores = np.asarray(list(anomaly_scores), dtype=np.float64)
    if len(scores) != len(timestamps):
        raise ValueError(f"{name}: {len(scores)} scores for {len(timestamps)} rows")
    weights, ids = row_weights(timestamps, windows, a_tp=a_tp, a_fp=a_fp)
    n_windows = len({int(w) for w in ids if w >= 0})
    return FileScoring(name, scores, weights, ids, n_windows)


def raw_score_at(files: Sequence[FileScoring], threshold: float, *, profile: str = "standard") -> float:
    """Raw corpus score when every row scoring >= threshold is a detection."""
    _, _, a_fn = PROFILES[profile]
    total = 0.0
    for f in files:
        fired = f.anomaly_scores >= threshold
        outside = fired & (f.window_ids == OUTSIDE)
        total += float(f.weights[outside].sum())
        for w in range(int(f.window_ids.max(initial=-1)) + 1):
            hits = fired & (f.window_ids == w)
            if (f.window_ids == w).any():
                total += float(f.weights[hits].max()) if hits.any() else -a_fn
    return total


def null_and_perfect(files: Sequence[FileScoring], *, profile: str = "standard") -> tuple[float, float]:
    a_tp, _, a_fn = PROFILES[profile]
    windows = sum(f.n_windows for f in files)
    return -a_fn * windows, a_tp * windows


def normalise(raw: float, files: Sequence[FileScoring], *, profile: str = "standard") -> float:
    null, perfect = null_and_perfect(files, profile=profile)
    return 100.0 * (raw - null) / (perfect - null)


def sweep(files: Sequence[FileScoring], *, profile: str = "standard") -> list[tuple[float, float]]:
    """(threshold, raw score) for every distinct anomaly score, highest threshold first."""
    _, _, a_fn = PROFILES[profile]
    scores: list[npt.NDArray[np.float64]] = []
    weights: list[npt.NDArray[np.float64]] = []
    keys: list[npt.NDArray[np.int64]] = []
    offset = 0
    for f in files:
        keep = f.window_ids != PROBATION
        scores.append(f.anomaly_scores[keep])
        weights.append(f.weights[keep])
        ids = f.window_ids[keep]
        keys.append(np.where(ids >= 0, ids + offset, OUTSIDE))
        offset += int(f.window_ids.max(initial=-1)) + 1
    all_scores = np.concatenate(scores)
    all_weights = np.concatenate(weights)
    all_keys = np.concatenate(keys)
    order = np.argsort(-all_scores, kind="stable")
    best: dict[int, float] = {}
    fp_sum = 0.0
    n_windows = sum(f.n_windows for f in files)
    result: list[tuple[float, float]] = []
    s_sorted = all_scores[order]
    w_sorted = all_weights[order]
    k_sorted = all_keys[order]
    i = 0
    n = len(order)
    while i < n:
        threshold = float(s_sorted[i])
        while i < n and s_sorted[i] == threshold:
            key = int(k_sorted[i])
            if key == OUTSIDE:
                fp_sum += float(w_sorted[i])
            else:
                weight = float(w_sorted[i])
                if key not in best or weight > best[key]:
                    best[key] = weight
            i += 1
        raw = fp_sum + sum(best.values()) - a_fn * (n_windows - len(best))
        result.append((threshold, raw))
    return result


def optimise(files: Sequence[FileScoring], *, profile: str = "standard") -> tuple[float, float]:
    """Best (threshold, normalised score) over one threshold shared by all files."""
    null, _ = null_and_perfect(files, profile=profile)
    candidates = [(1.1, null), *sweep(files, profile=profile)]
    threshold, raw = max(candidates, key=lambda tr: tr[1])
    return threshold, normalise(raw, files, profile=profile)


# --------------------------------------------------------------------------------------------- I/O


def parse_windows(labels: dict[str, list[list[str]]]) -> dict[str, list[tuple[datetime, datetime]]]:
    """Windows as NAB's label files give them (``{"group/file.csv": [[start, end], ...]}``), parsed."""
    return {key: [(parse_ts(a), parse_ts(b)) for a, b in spans] for key, spans in labels.items()}


def load_windows(labels: Path) -> dict[str, list[tuple[datetime, datetime]]]:
    return parse_windows(json.loads(labels.read_text(encoding="utf-8")))


def _read_text(path: Path) -> str:
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return fh.read()
    return path.read_text(encoding="utf-8")


def read_results(path: Path) -> tuple[list[datetime], list[float]]:
    reader = csv.DictReader(io.StringIO(_read_text(path)))
    stamps: list[datetime] = []
    scores: list[float] = []
    for row in reader:
        stamps.append(parse_ts(row["timestamp"]))
        scores.append(float(row["anomaly_score"]))
    return stamps, scores


def _data_name(result_file: Path) -> str:
    name = result_file.name.removesuffix(".gz")
    return name


def load_results_dir(
    results: Path, windows: dict[str, list[tuple[datetime, datetime]]], *, profile: str = "standard"
) -> list[FileScoring]:
    """Every result file under ``results`` whose name ends with a labelled file's name."""
    by_base = {key.rsplit("/", 1)[-1]: key for key in windows}
    files: list[FileScoring] = []
    for path in sorted(p for p in results.rglob("*") if p.suffix in {".csv", ".gz"}):
        name = _data_name(path)
        matches = [base for base in by_base if name.endswith("_" + base) or name == base]
        if not matches:
            continue
        key = by_base[max(matches, key=len)]
        stamps, scores = read_results(path)
        files.append(prepare_file(key, stamps, scores, windows[key], profile=profile))
    if not files:
        raise SystemExit(f"no result file under {results} matches a labelled data file")
    return files


def score_dir(
    results: Path, labels: Path, *, threshold: float | None, profile: str = "standard"
) -> dict[str, float]:
    files = load_results_dir(results, load_windows(labels), profile=profile)
    best_t, best_score = optimise(files, profile=profile)
    out = {"files": float(len(files)), "best_threshold": best_t, "best_score": best_score}
    if threshold is not None:
        out["threshold"] = threshold
        out["score"] = normalise(raw_score_at(files, threshold, profile=profile), files, profile=profile)
    return out


def check(dataset: Path) -> bool:
    """Reproduce the published realTweets figures from the published detector outputs."""
    labels = dataset / "labels" / "combined_windows.json"
    published = dataset / "published-results"
    expected = [
        ("ARTime", 0.317486, 81.84, 83.17),
        ("contextOSE", 0.76552734375, 74.48, 74.48),
        ("windowedGaussian", 1.0, 51.41, 51.41),
    ]
    ok = True
    for name, threshold, at_t, best in expected:
        got = score_dir(published / name, labels, threshold=threshold)
        good = abs(got["score"] - at_t) < 0.005 and abs(got["best_score"] - best) < 0.005
        ok &= good
        print(
            f"{name:17s} threshold {threshold:<14} score {got['score']:6.2f} (published {at_t:.2f}); "
            f"re-optimised {got['best_score']:6.2f} at {got['best_threshold']:.6g} (published {best:.2f})"
            f"  {'OK' if good else 'MISMATCH'}"
        )
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("results", nargs="?", type=Path, help="folder of <name>_<data file>.csv results")
    parser.add_argument("--labels", type=Path, default=DEFAULT_DATASET / "labels" / "combined_windows.json")
    parser.add_argument("--threshold", type=float, default=None, help="also score at this fixed threshold")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="standard")
    parser.add_argument("--check", action="store_true", help="check against the published figures")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.check:
        return 0 if check(args.dataset) else 1
    if args.results is None:
        parser.error("give RESULTS_DIR or --check")
    out = score_dir(args.results, args.labels, threshold=args.threshold, profile=args.profile)
    if args.json:
        print(json.dumps(out))
    else:
        if "score" in out:
            print(f"score {out['score']:.2f} at threshold {out['threshold']:g}")
        print(
            f"best score {out['best_score']:.2f} at threshold {out['best_threshold']:g} ({out['files']:.0f} files)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

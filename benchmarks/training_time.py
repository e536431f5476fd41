"""Wall time of ``train_classifier`` (what `vigie train` runs) on a real set and on a large one.

    nice .venv/bin/python benchmarks/training_time.py [--workers N] [--proxy-rows 45000] [--skip-proxy]

Sets, from ../shared/datasets (or $VIGIE_DATASETS):

- real: TweetEval offensive train (EN, ~12k rows, toxicity: 5-fold CV, liblinear, threshold search);
- proxy: sentiment rows of twitter-airline-sentiment and UMSAB-fr train, repeated with a numbered suffix
  up to --proxy-rows (45,000: the size of TweetEval sentiment train). It stands in for a large set's
  cost only (3-fold CV from ``LARGE_DATA_ROWS`` rows, lbfgs over three labels); its scores mean nothing.

Each step is printed with the time since the start of training (features, each C's CV score, the final
fit), then the total wall time. Sets whose files are absent are skipped with a message.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import DEFAULT_DATASETS, Rows, tweeteval_offensive, umsab_fr  # noqa: E402

from vigie.analysis.classifiers import train_classifier  # noqa: E402

AIRLINE = Path("twitter-airline-sentiment") / "Tweets.csv"
UMSAB_FR = Path("umsab-fr-sentiment")


def proxy_rows(base: Path, n_rows: int) -> Rows:
    """Airline and French sentiment rows, repeated with a numbered suffix up to ``n_rows``."""
    rows: Rows = []
    with (base / AIRLINE).open(encoding="utf-8", newline="") as handle:
        rows.extend((record["text"], record["airline_sentiment"]) for record in csv.DictReader(handle))
    rows.extend(umsab_fr(base).train)
    out: Rows = []
    copy = 0
    while len(out) < n_rows:
        suffix = "" if copy == 0 else f" #{copy}"
        out.extend((text + suffix, label) for text, label in rows[: n_rows - len(out)])
        copy += 1
    return out


def time_training(name: str, task: str, rows: Rows, workers: int | None) -> None:
    print(f"\n{name}: {task}, {len(rows)} rows", flush=True)
    started = time.perf_counter()
    model = train_classifier(
        task,
        [text for text, _ in rows],
        [label for _, label in rows],
        workers=workers,
        progress=lambda line: print(f"  {line}", flush=True),
    )
    seconds = time.perf_counter() - started
    meta = model.metadata or {}
    print(f"  total {seconds:.1f} s wall; C={meta.get('C')}, model {model.version}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument(
        "--workers", type=int, default=None, help="default: $VIGIE_TRAIN_WORKERS or all cores"
    )
    parser.add_argument("--proxy-rows", type=int, default=45_000)
    parser.add_argument("--skip-proxy", action="store_true")
    args = parser.parse_args()
    base: Path = args.datasets
    if (base / "tweeteval" / "offensive" / "train_text.txt").is_file():
        split = tweeteval_offensive(base)
        time_training("TweetEval offensive train", split.task, split.train, args.workers)
    else:
        print(f"Skipped the real set: no tweeteval/offensive under {base}.")
    if args.skip_proxy:
        return
    if (base / AIRLINE).is_file() and (base / UMSAB_FR / "train_text.txt").is_file():
        time_training(
            "Proxy (airline + UMSAB-fr, repeated)",
            "sentiment",
            proxy_rows(base, args.proxy_rows),
            args.workers,
        )
    else:
        print(f"Skipped the proxy set: no {AIRLINE} or {UMSAB_FR} under {base}.")


if __name__ == "__main__":
    main()

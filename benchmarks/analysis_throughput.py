"""Throughput and memory of the whole analysis vs VADER's sentiment alone, same texts, same run, one core.

    .venv/bin/python benchmarks/analysis_throughput.py [--repeats 5] [--batch 500] [--with-json]

Texts: TweetEval sentiment (validation, EN) + UMSAB-fr (train + validation, FR) from ../shared/datasets
(or $VIGIE_DATASETS). The two contenders alternate, each repeat timing CPU time (``time.process_time``)
so other processes on the machine disturb the figures less; the best repeat of each is reported.
Memory: tracemalloc peak while analysing everything once (after models are loaded), and the process RSS.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

DATASETS = Path(os.environ.get("VIGIE_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
SOURCES = [
    ("tweeteval/sentiment/val_text.txt", "en"),
    ("umsab-fr-sentiment/train_text.txt", "fr"),
    ("umsab-fr-sentiment/val_text.txt", "fr"),
]


def load_texts() -> list[str]:
    texts: list[str] = []
    for relative, _lang in SOURCES:
        path = DATASETS / relative
        if not path.is_file():
            print(f"skipped: {path} not found (set VIGIE_DATASETS to ../shared/datasets)")
            continue
        texts.extend(line for line in path.read_text(encoding="utf-8").split("\n") if line.strip())
    return texts


def best_time(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def peak_bytes(run: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--with-json", action="store_true", help="include Analysis.to_dict() (what is stored)"
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        print(f"pinned to CPU {cpu}")
    texts = load_texts()
    if not texts:
        print("no dataset found: nothing to measure")
        return 0

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from vigie.analysis.pipeline import Pipeline, TextItem
    from vigie.analysis.schemas import Task

    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    vader = SentimentIntensityAnalyzer()
    topics = [
        {"key": "delivery", "keywords": {"fr": ["livraison", "colis", "pas reçu", "retard"], "en": ["delivery", "parcel", "late"]}},
        {"key": "refund", "keywords": {"fr": ["remboursement", "rembourser"], "en": ["refund", "money back"]}},
        {"key": "app_bug", "keywords": {"fr": ["appli", "bug", "mise à jour"], "en": ["app", "bug", "crash", "update"]}},
        {"key": "sustainability", "keywords": {"fr": ["écologie", "climat", "recyclage"], "en": ["climate", "recycling"]}},
    ]  # fmt: skip
    pipeline = Pipeline.build(topics=topics)
    pipeline.analysers[Task.LANGUAGE].detector._langid()  # type: ignore[attr-defined]  # load before timing
    items = [TextItem(t) for t in texts]
    batch = args.batch

    def run_vader() -> None:
        for text in texts:
            vader.polarity_scores(text)

    def run_vigie() -> None:
        for start in range(0, len(items), batch):
            analyses = pipeline.analyse_batch(items[start : start + batch])
            if args.with_json:
                for analysis in analyses:
                    analysis.to_dict()

    run_vader()
    run_vigie()  # warm caches
    vader_best = vigie_best = float("inf")
    for _ in range(args.repeats):
        vader_best = min(vader_best, best_time(run_vader, 1))
        vigie_best = min(vigie_best, best_time(run_vigie, 1))
    vader_peak = peak_bytes(run_vader)
    vigie_peak = peak_bytes(run_vigie)
    rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    n = len(texts)
    print(f"texts: {n} (TweetEval sentiment val EN + UMSAB-fr train+val FR)")
    print(f"analysers: {pipeline.describe()}")
    print(f"{'':<34}{'texts/s':>10}{'us/text':>10}{'peak alloc':>12}")
    print(
        f"{'VADER polarity_scores alone':<34}{n / vader_best:>10.0f}{vader_best / n * 1e6:>10.1f}{vader_peak / 1e6:>10.1f}MB"
    )
    label = "Vigie whole analysis" + (" + to_dict" if args.with_json else "")
    print(f"{label:<34}{n / vigie_best:>10.0f}{vigie_best / n * 1e6:>10.1f}{vigie_peak / 1e6:>10.1f}MB")
    print(f"ratio Vigie/VADER throughput: {vader_best / vigie_best:.2f}")
    print(
        f"process max RSS: {rss_end / 1024:.0f} MB (at start {rss_start / 1024:.0f} MB; py3langid model ~100 MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput and memory of the whole analysis vs VADER's sentiment alone, same texts, same run, one core.

    .venv/bin/python benchmarks/analysis_throughput.py [--repeats 5] [--batch 500] [--with-json] [--breakdown]

Texts: TweetEval sentiment (validation, EN) + UMSAB-fr (train + validation, FR) from ../shared/datasets
(or $VIGIE_DATASETS). The two contenders alternate, each repeat timing CPU time (``time.process_time``)
so other processes on the machine disturb the figures less; the best repeat of each is reported.
Memory: tracemalloc peak while analysing everything once (after models are loaded), and the process RSS.
``--breakdown`` then times each task's analyser separately (CPU time per text, best of the repeats), to
see where the time goes; it runs after the main measurement and does not change it.
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
from typing import Any

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
    parser.add_argument("--breakdown", action="store_true", help="also time each task's analyser")
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
    lexicon_only = {"sentiment": "vigie-lexicon", "toxicity": "vigie-lexicon", "intents": "vigie-rules"}
    pipelines = {
        "default (shipped models)": Pipeline.build(topics=topics),
        "lexicons and rules only": Pipeline.build(topics=topics, selection=lexicon_only),
    }
    for pipeline in pipelines.values():
        pipeline.analysers[Task.LANGUAGE].detector._langid()  # type: ignore[attr-defined]  # load before timing
    items = [TextItem(t) for t in texts]
    batch = args.batch

    def run_vader() -> None:
        for text in texts:
            vader.polarity_scores(text)

    def runner(pipeline: Pipeline) -> Callable[[], None]:
        def run() -> None:
            for start in range(0, len(items), batch):
                analyses = pipeline.analyse_batch(items[start : start + batch])
                if args.with_json:
                    for analysis in analyses:
                        analysis.to_dict()

        return run

    runs = {name: runner(p) for name, p in pipelines.items()}
    run_vader()
    for run in runs.values():
        run()  # warm caches
    vader_best = float("inf")
    bests = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeats):
        vader_best = min(vader_best, best_time(run_vader, 1))
        for name, run in runs.items():
            bests[name] = min(bests[name], best_time(run, 1))
    vader_peak = peak_bytes(run_vader)
    peaks = {name: peak_bytes(run) for name, run in runs.items()}
    rss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    n = len(texts)
    print(f"texts: {n} (TweetEval sentiment val EN + UMSAB-fr train+val FR), batches of {batch}")
    print(f"{'':<50}{'texts/s':>10}{'us/text':>10}{'peak alloc':>12}{'vs VADER':>10}")
    row = f"{'VADER polarity_scores alone':<50}{n / vader_best:>10.0f}{vader_best / n * 1e6:>10.1f}"
    print(row + f"{vader_peak / 1e6:>10.1f}MB{1:>10.2f}")
    for name, best in bests.items():
        label = f"Vigie whole analysis, {name}" + (" + to_dict" if args.with_json else "")
        row = f"{label:<50}{n / best:>10.0f}{best / n * 1e6:>10.1f}"
        print(row + f"{peaks[name] / 1e6:>10.1f}MB{vader_best / best:>10.2f}")
    for name, pipeline in pipelines.items():
        print(f"analysers, {name}: " + ", ".join(f"{k}={v['name']}" for k, v in pipeline.describe().items()))
    print(
        f"process max RSS: {rss_end / 1024:.0f} MB (at start {rss_start / 1024:.0f} MB; py3langid model ~100 MB)"
    )
    if args.breakdown:
        for name, pipeline in pipelines.items():
            print_breakdown(name, pipeline, runs[name], args.repeats, n)
    return 0


def print_breakdown(name: str, pipeline: Any, run: Callable[[], None], repeats: int, n: int) -> None:
    """CPU time per text of each task's analyser (best of ``repeats``), the rest being preparation
    (folding, tokens), author influence and priority."""
    spent: dict[str, float] = {}
    for task, analyser in pipeline.analysers.items():
        original = analyser.run

        def timed(docs: Any, original: Any = original, key: str = task.value) -> Any:
            start = time.process_time()
            try:
                return original(docs)
            finally:
                spent[key] = spent.get(key, 0.0) + time.process_time() - start

        analyser.run = timed
    best: dict[str, float] = {}
    try:
        for _ in range(repeats):
            spent.clear()
            gc.collect()
            start = time.process_time()
            run()
            spent["whole analysis"] = time.process_time() - start
            spent["rest (preparation, priority, glue)"] = spent["whole analysis"] - sum(
                v for k, v in spent.items() if k != "whole analysis"
            )
            for key, value in spent.items():
                best[key] = min(best.get(key, float("inf")), value)
    finally:
        for analyser in pipeline.analysers.values():
            del analyser.run  # back to the class's method
    print(f"breakdown, {name} (us/text, best of {repeats}; parts are best-of each, so need not add up):")
    for key, value in best.items():
        print(f"  {key:<40}{value / n * 1e6:>8.1f}")


if __name__ == "__main__":
    sys.exit(main())

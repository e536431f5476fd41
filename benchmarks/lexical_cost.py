"""CPU cost per text of the classifiers' lexicon block, next to VADER's sentiment alone, same texts.

    .venv/bin/python benchmarks/lexical_cost.py [--repeats 3]

Texts: TweetEval offensive validation (EN) and UMSAB-fr validation (FR) from ../shared/datasets (or
$VIGIE_DATASETS). Each contender is timed with ``time.process_time`` (less disturbed by other processes);
the best repeat is reported, in microseconds per text. Also timed: the sparse TF-IDF features and the
whole built-in toxicity model (sparse + lexicon block + dot products), in batch as the pipeline calls it.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vigie.analysis.classifiers.builtin import load_builtin
from vigie.analysis.classifiers.lexical import raw_features, raw_matrix

DATASETS = Path(os.environ.get("VIGIE_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
SOURCES = ("tweeteval/offensive/val_text.txt", "umsab-fr-sentiment/val_text.txt")


def best_per_text(job: Callable[[], object], n_texts: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        job()
        best = min(best, time.process_time() - started)
    return best / n_texts * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    texts: list[str] = []
    for source in SOURCES:
        path = DATASETS / source
        if not path.is_file():
            print(f"skip {source}: not found under {DATASETS} (set VIGIE_DATASETS)")
            continue
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not texts:
        print("no texts; nothing measured")
        return
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    model = load_builtin("toxicity")
    raw_features("warm up the lexicon caches")

    def each(function: Callable[[str], object]) -> Callable[[], object]:
        return lambda: [function(t) for t in texts]

    rows: list[tuple[str, Callable[[], object]]] = [
        ("VADER polarity_scores", each(vader.polarity_scores)),
    ]
    batch: Sequence[str] = texts
    # The block is computed for a batch at once (numpy over all its tokens), as training and the model do.
    rows.append(("lexicon block (lexical.raw_matrix, batch)", lambda: raw_matrix(batch)))
    if model is not None:
        rows.append(("sparse TF-IDF features (batch)", lambda: model.featuriser.transform(list(batch))))
        rows.append((f"built-in toxicity model {model.version} (batch)", lambda: model.probabilities(batch)))
    print(f"{len(texts)} texts, best of {args.repeats}, CPU microseconds per text")
    for name, job in rows:
        print(f"{name:48} {best_per_text(job, len(texts), args.repeats):8.1f}")


if __name__ == "__main__":
    main()

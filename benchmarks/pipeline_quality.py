"""Quality of the SHIPPED analysers (what `vigie analyze` gives, no --model) and of the peers, same rows, one run.

    .venv/bin/python benchmarks/pipeline_quality.py [--part test|dev|both] [--datasets DIR] [--json]

The lexicons, rules and cut-offs were developed on the ``dev`` rows only; report the ``test`` rows:

* sentiment EN, TweetEval: only the validation split is shared (2,000 rows), so it is cut in two halves
  (seed 7, stratified): ``dev`` is the half used for tuning, ``test`` the other half;
* sentiment FR, UMSAB-fr: dev = train, test = val (official);
* toxicity EN, TweetEval offensive: dev = train, test = val (official);
* complaint EN and toxicity FR: dev = the 70 % shared part, test = the 30 % set aside, exactly as
  ``benchmarks/quality.py`` splits them (stratified, seed 7).

For sentiment the pipeline's label is also shown before ``make_coherent`` (the step that turns a
message with an unhappy intent negative), read back from ``SentimentResult.adjusted``.
Datasets are read from ../shared/datasets (or VIGIE_DATASETS); a missing one is skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import (  # noqa: E402  # sibling benchmark module
    DEFAULT_DATASETS,
    Rows,
    _fr_toxic_files,
    complaints,
    profanity_predict,
    score,
    set_aside,
    textblob_fr_predict,
    tweeteval_offensive,
    tweeteval_sentiment_val,
    umsab_fr,
    vader_predict,
)

from vigie.analysis.pipeline import Pipeline, TextAnalysis, TextItem  # noqa: E402

Predict = Callable[[Sequence[str]], list[str]]
OFFICIAL = {"macro_recall": "mRec", "macro_f1": "mF1", "accuracy": "acc"}


@dataclass
class Case:
    task: str
    dataset: str
    dev: Rows
    test: Rows
    metric: str
    note: str
    peers: dict[str, Predict | None]


def _before_coherence(result: TextAnalysis) -> str:
    adjusted = result.sentiment.adjusted
    return adjusted.split(" -> ", 1)[0] if adjusted else result.sentiment.label


def pipeline_systems(task: str, results: Sequence[TextAnalysis]) -> dict[str, list[str]]:
    if task == "sentiment":
        return {
            "vigie pipeline": [r.sentiment.label for r in results],
            "vigie sentiment before make_coherent": [_before_coherence(r) for r in results],
        }
    if task == "toxicity":
        return {"vigie pipeline": ["toxic" if r.toxicity.toxic else "non_toxic" for r in results]}
    return {
        "vigie pipeline": [
            "complaint" if "complaint" in r.intents.labels else "not_complaint" for r in results
        ]
    }


def vader_complaint() -> Predict | None:
    """A naive peer for complaints: VADER's negative label."""
    vader = vader_predict()
    if vader is None:
        return None

    def predict(texts: Sequence[str]) -> list[str]:
        return ["complaint" if label == "negative" else "not_complaint" for label in vader(texts)]

    return predict


def cases(base: Path) -> list[Case]:
    vader, textblob, profanity = vader_predict(), textblob_fr_predict(), profanity_predict()
    out: list[Case] = []

    def attempt(name: str, build: Callable[[], list[Case]]) -> None:
        try:
            out.extend(build())
        except FileNotFoundError as error:
            print(f"skip {name}: {error}", file=sys.stderr)

    def en_sentiment() -> list[Case]:
        rows = tweeteval_sentiment_val(base)
        dev, test = set_aside(rows, [label for _, label in rows], fraction=0.5)
        note = "val halves (seed 7): tuned on dev half, test = other half"
        return [Case("sentiment", "tweeteval (EN)", dev, test, "macro_recall", note, {"VADER": vader})]

    def fr_sentiment() -> list[Case]:
        split = umsab_fr(base)
        return [
            Case(
                "sentiment",
                "umsab-fr (FR)",
                split.train,
                split.test,
                "macro_f1",
                split.note,
                {"TextBlob-fr": textblob},
            )
        ]

    def en_offensive() -> list[Case]:
        split = tweeteval_offensive(base)
        peers = {"better-profanity": profanity}
        return [
            Case(
                "toxicity", "tweeteval-offensive (EN)", split.train, split.test, "macro_f1", split.note, peers
            )
        ]

    def complaint() -> list[Case]:
        split = complaints(base)
        peers = {"VADER negative": vader_complaint()}
        return [Case("complaint", "complaints (EN)", split.train, split.test, "macro_f1", split.note, peers)]

    def fr_toxicity() -> list[Case]:
        found = []
        for name, rows in _fr_toxic_files(base).items():
            dev, test = set_aside(rows, [label for _, label in rows])
            note = "70% shared / 30% set aside (seed 7)"
            peers = {"better-profanity": profanity}
            found.append(Case("toxicity", f"{name} (FR)", dev, test, "accuracy", note, peers))
        return found

    attempt("tweeteval sentiment", en_sentiment)
    attempt("umsab-fr", fr_sentiment)
    attempt("tweeteval offensive", en_offensive)
    attempt("complaints", complaint)
    attempt("french toxicity", fr_toxicity)
    return out


def measure(case: Case, part: str, pipeline: Pipeline) -> list[dict[str, Any]]:
    rows = case.dev if part == "dev" else case.test
    texts = [text for text, _ in rows]
    results = pipeline.analyse_texts([TextItem(t) for t in texts])
    systems = pipeline_systems(case.task, results)
    if part == "test":  # peers on the dev rows would only cost time (better-profanity: ~1 ms a text)
        for name, peer in case.peers.items():
            if peer is not None:
                systems[name] = peer(texts)
    return [
        {
            "task": case.task,
            "dataset": case.dataset,
            "part": part,
            "system": name,
            "metric": case.metric,
            "split": case.note,
            **score(case.task, rows, predicted),
        }
        for name, predicted in systems.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--part", choices=("test", "dev", "both"), default="test")
    parser.add_argument("--only", default="", help="keep datasets whose name contains this text")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.datasets.exists():
        print(f"datasets not found at {args.datasets}; nothing measured (set VIGIE_DATASETS)")
        return 0
    pipeline = Pipeline.build()
    parts = ("dev", "test") if args.part == "both" else (args.part,)
    results = [
        row
        for case in cases(args.datasets)
        if args.only in case.dataset
        for part in parts
        for row in measure(case, part, pipeline)
    ]
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    header = f"{'task':10} {'dataset':25} {'part':4} {'system':37} {'n':>5} {'acc':>6} {'mF1':>6} {'mRec':>6}  official"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['task']:10} {r['dataset']:25} {r['part']:4} {r['system']:37} {r['n']:>5} "
            f"{100 * r['accuracy']:6.1f} {100 * r['macro_f1']:6.1f} {100 * r['macro_recall']:6.1f}  "
            f"{OFFICIAL[r['metric']]} = {100 * r[r['metric']]:.1f}"
        )
    print()
    for case_note in sorted({f"{r['dataset']}: {r['split']}" for r in results}):
        print(case_note)
    return 0


if __name__ == "__main__":
    sys.exit(main())

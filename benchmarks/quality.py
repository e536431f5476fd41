"""Quality of Vigie's classifiers on the shared datasets, with peers on the same split, in one run.

Usage: .venv/bin/python benchmarks/quality.py [--datasets DIR] [--json] [--lexical-weight W]
       .venv/bin/python benchmarks/quality.py --learning-curve   (English sentiment only, ~3 min)
       .venv/bin/python benchmarks/quality.py --fr-toxicity      (one model per French toxicity set)

Every figure is measured on rows the model did not train on: the official validation split where the
dataset has one, otherwise a part set aside here (stratified, seed 7, 30 %), or k-fold
cross-validation (each row predicted by a model that did not see it). Datasets are read from
../shared/datasets (or VIGIE_DATASETS); a missing dataset is skipped with a message.
Label mappings from each dataset to Vigie's tasks live here, not in the product.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigie.analysis.classifiers import evaluate, train_classifier
from vigie.analysis.classifiers.builtin import load_builtin
from vigie.analysis.classifiers.training import DEFAULT_LEXICAL_WEIGHT

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASETS = Path(os.environ.get("VIGIE_DATASETS", ROOT.parent / "shared" / "datasets"))
csv.field_size_limit(10_000_000)

Rows = list[tuple[str, str]]
# --lexical-weight changes it (0: the model without the lexicon block, as before format v2).
TRAINING = {"lexical_weight": DEFAULT_LEXICAL_WEIGHT}


def train(task: str, rows: Rows) -> Any:
    return train_classifier(
        task, [t for t, _ in rows], [label for _, label in rows], lexical_weight=TRAINING["lexical_weight"]
    )


@dataclass
class Split:
    task: str
    name: str
    train: Rows
    test: Rows
    metric: str  # the official metric of the dataset
    note: str


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").split("\n")


def _line_aligned(folder: Path, part: str, mapping: dict[str, str]) -> Rows:
    texts = _lines(folder / f"{part}_text.txt")
    labels = _lines(folder / f"{part}_labels.txt")
    rows = []
    for text, label in zip(texts, labels, strict=False):
        if label.strip():
            rows.append((text, mapping[label.strip()]))
    return rows


def set_aside(rows: Rows, strata: Sequence[str], fraction: float = 0.3, seed: int = 7) -> tuple[Rows, Rows]:
    """Stratified random split of the shared part: (train, test)."""
    rng = random.Random(seed)
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(strata):
        groups.setdefault(key, []).append(i)
    test_idx: set[int] = set()
    for key in sorted(groups):
        idx = groups[key]
        rng.shuffle(idx)
        test_idx.update(idx[: round(fraction * len(idx))])
    train = [r for i, r in enumerate(rows) if i not in test_idx]
    test = [r for i, r in enumerate(rows) if i in test_idx]
    return train, test


SENT = {"0": "negative", "1": "neutral", "2": "positive"}


def tweeteval_sentiment_val(base: Path) -> Rows:
    return _line_aligned(base / "tweeteval" / "sentiment", "val", SENT)


def tweeteval_offensive(base: Path) -> Split:
    folder = base / "tweeteval" / "offensive"
    mapping = {"0": "non_toxic", "1": "toxic"}
    return Split(
        "toxicity",
        "tweeteval-offensive (EN)",
        _line_aligned(folder, "train", mapping),
        _line_aligned(folder, "val", mapping),
        "macro_f1",
        "train -> val (official)",
    )


def umsab_fr(base: Path) -> Split:
    folder = base / "umsab-fr-sentiment"
    return Split(
        "sentiment",
        "umsab-fr (FR)",
        _line_aligned(folder, "train", SENT),
        _line_aligned(folder, "val", SENT),
        "macro_f1",
        "train -> val (official)",
    )


def complaints(base: Path) -> Split:
    rows: Rows = []
    strata: list[str] = []
    with (base / "complaints" / "complaints-data.csv").open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle):
            label = "complaint" if record[2].strip() == "1" else "not_complaint"
            rows.append((record[1], label))
            strata.append(f"{label}|{record[3]}")
    train, test = set_aside(rows, strata)
    return Split(
        "complaint",
        "complaints (EN)",
        train,
        test,
        "macro_f1",
        "shared, 30% set aside (label x domain, seed 7)",
    )


def _fr_toxic_files(base: Path) -> dict[str, Rows]:
    out: dict[str, Rows] = {}
    with (base / "mlma-fr" / "fr_dataset.csv").open(encoding="utf-8", newline="") as handle:
        out["mlma-fr"] = [
            (r["tweet"], "non_toxic" if r["sentiment"].strip() == "normal" else "toxic")
            for r in csv.DictReader(handle)
        ]
    with (base / "ftr-fr-racism" / "FTR_new_labels.csv").open(
        encoding="utf-8", errors="replace", newline=""
    ) as handle:
        out["ftr-fr-racism"] = [
            (r["tweet"], "toxic" if r["label"].strip() == "1" else "non_toxic")
            for r in csv.DictReader(handle)
        ]
    for name, file in (("toxifrench", "ToxiFrenchBalanced.csv"), ("hateday-fr", "HateDay-french.csv")):
        with (base / "toxifrench-bench" / file).open(encoding="utf-8", newline="") as handle:
            out[name] = [
                (r["content"], "toxic" if r["label"].strip() == "1" else "non_toxic")
                for r in csv.DictReader(handle)
            ]
    return out


def _fr_toxic_parts(base: Path) -> dict[str, tuple[Rows, Rows]]:
    """Each French file's training part and the 30 % set aside from it."""
    return {
        name: set_aside(rows, [label for _, label in rows]) for name, rows in _fr_toxic_files(base).items()
    }


def fr_toxicity(base: Path) -> list[Split]:
    """One model trained on the set-aside-free parts of all four French files; scored on each."""
    parts = _fr_toxic_parts(base)
    train = [row for tr, _ in parts.values() for row in tr]
    return [
        Split(
            "toxicity",
            f"{name} (FR)",
            train,
            te,
            "accuracy",
            "train parts of the 4 FR sets; 30% of this set aside",
        )
        for name, (_, te) in parts.items()
    ]


# ---------------------------------------------------------------- peers


def vader_predict() -> Callable[[Sequence[str]], list[str]] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyser = SentimentIntensityAnalyzer()

    def predict(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            c = analyser.polarity_scores(text)["compound"]
            out.append("positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral")
        return out

    return predict


def textblob_fr_predict() -> Callable[[Sequence[str]], list[str]] | None:
    try:
        from textblob import Blobber
        from textblob_fr import PatternAnalyzer, PatternTagger
    except ImportError:
        return None
    blobber = Blobber(pos_tagger=PatternTagger(), analyzer=PatternAnalyzer())

    def predict(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            polarity = blobber(text).sentiment[0]
            out.append("positive" if polarity > 0.05 else "negative" if polarity < -0.05 else "neutral")
        return out

    return predict


def profanity_predict() -> Callable[[Sequence[str]], list[str]] | None:
    try:
        from better_profanity import profanity
    except ImportError:
        return None
    profanity.load_censor_words()

    def predict(texts: Sequence[str]) -> list[str]:
        return ["toxic" if profanity.contains_profanity(t) else "non_toxic" for t in texts]

    return predict


# ---------------------------------------------------------------- runs


def score(task: str, rows: Rows, predicted: Sequence[str]) -> dict[str, Any]:
    from vigie.analysis.classifiers import task_labels

    report = evaluate([label for _, label in rows], list(predicted), task_labels(task))
    return {
        "n": report.n,
        "accuracy": report.accuracy,
        "macro_f1": report.macro_f1,
        "macro_recall": report.macro_recall,
    }


def run_split(
    split: Split, peers: dict[str, Callable[[Sequence[str]], list[str]] | None]
) -> list[dict[str, Any]]:
    results = []
    texts = [t for t, _ in split.test]
    started = time.perf_counter()
    model = train(split.task, split.train)
    train_s = time.perf_counter() - started
    row = {"system": "vigie train", **score(split.task, split.test, model.predict(texts))}
    row["train_s"] = round(train_s, 1)
    row["C"] = model.metadata.get("C") if model.metadata else None
    results.append(row)
    builtin = load_builtin(split.task)
    if builtin is not None:
        results.append(
            {"system": f"built-in {builtin.name}", **score(split.task, split.test, builtin.predict(texts))}
        )
    for name, peer in peers.items():
        if peer is not None:
            results.append({"system": name, **score(split.task, split.test, peer(texts))})
    for r in results:
        r.update(
            task=split.task,
            dataset=split.name,
            split=split.note,
            n_train=len(split.train),
            metric=split.metric,
        )
    return results


def kfold_rows(
    task: str, rows: Rows, folds: int = 5, seed: int = 7, train_fraction: float = 1.0
) -> list[str]:
    """Out-of-fold predictions: every row is predicted by a model trained on the other folds.

    ``train_fraction`` < 1 trains each fold's model on a random part of its training rows (learning
    curve); the rows predicted stay the same, so figures are comparable across fractions.
    """
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    predicted = [""] * len(rows)
    for k in range(folds):
        test_idx = set(order[k::folds])
        fold_train = [rows[i] for i in range(len(rows)) if i not in test_idx]
        if train_fraction < 1.0:
            fold_train = random.Random(k).sample(fold_train, round(train_fraction * len(fold_train)))
        model = train(task, fold_train)
        idx = sorted(test_idx)
        for i, label in zip(idx, model.predict([rows[i][0] for i in idx]), strict=True):
            predicted[i] = label
    return predicted


def run(base: Path) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    vader, tb_fr, prof = vader_predict(), textblob_fr_predict(), profanity_predict()

    def attempt(name: str, job: Callable[[], list[dict[str, Any]]]) -> None:
        try:
            results.extend(job())
        except FileNotFoundError as error:
            print(f"skip {name}: {error}", file=sys.stderr)

    def tweeteval_sentiment() -> list[dict[str, Any]]:
        rows = tweeteval_sentiment_val(base)
        out = [
            {"system": "vigie train (5-fold CV)", **score("sentiment", rows, kfold_rows("sentiment", rows))},
        ]
        builtin = load_builtin("sentiment")
        texts = [t for t, _ in rows]
        if builtin is not None:
            out.append(
                {"system": f"built-in {builtin.name}", **score("sentiment", rows, builtin.predict(texts))}
            )
        if vader is not None:
            out.append({"system": "VADER", **score("sentiment", rows, vader(texts))})
        for r in out:
            r.update(
                task="sentiment",
                dataset="tweeteval-sentiment (EN)",
                split="val only (train text absent): 5-fold CV on val",
                n_train=len(rows) * 4 // 5,
                metric="macro_recall",
            )
        return out

    attempt("tweeteval sentiment", tweeteval_sentiment)
    attempt("umsab-fr", lambda: run_split(umsab_fr(base), {"TextBlob-fr": tb_fr}))
    attempt("tweeteval offensive", lambda: run_split(tweeteval_offensive(base), {"better-profanity": prof}))
    attempt("complaints", lambda: run_split(complaints(base), {}))

    def fr_tox() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        splits = fr_toxicity(base)
        model = train("toxicity", splits[0].train)
        builtin = load_builtin("toxicity")
        for split in splits:
            texts = [t for t, _ in split.test]
            rows = [{"system": "vigie train", **score("toxicity", split.test, model.predict(texts))}]
            if builtin is not None:
                rows.append(
                    {
                        "system": f"built-in {builtin.name}",
                        **score("toxicity", split.test, builtin.predict(texts)),
                    }
                )
            if prof is not None:
                rows.append({"system": "better-profanity", **score("toxicity", split.test, prof(texts))})
            for r in rows:
                r.update(
                    task="toxicity",
                    dataset=split.name,
                    split=split.note,
                    n_train=len(split.train),
                    metric=split.metric,
                )
            out.extend(rows)
        return out

    attempt("french toxicity", fr_tox)
    return results


def fr_toxicity_per_set(base: Path) -> list[dict[str, Any]]:
    """One model per French set, trained on its 70 % part and scored on its 30 %: what
    `vigie train toxicity --data SET` then `vigie eval toxicity --model` measure on one file."""
    out = []
    for name, (train_rows, test) in _fr_toxic_parts(base).items():
        model = train("toxicity", train_rows)
        meta = model.metadata or {}
        threshold = (meta.get("threshold") or {}).get("p")
        out.append(
            {
                "system": f"vigie train C={meta.get('C')} t={threshold}",
                **score("toxicity", test, model.predict([t for t, _ in test])),
                "task": "toxicity",
                "dataset": f"{name} (FR)",
                "split": "this set's 70% -> its 30% (seed 7)",
                "n_train": len(train_rows),
                "metric": "accuracy",
            }
        )
        print(f"{name}: accuracy {100 * out[-1]['accuracy']:.1f}", file=sys.stderr)
    return out


def learning_curve(base: Path, fractions: Sequence[float] = (0.25, 0.5, 1.0)) -> list[dict[str, Any]]:
    """English sentiment macro-recall (5-fold CV on val) when each fold trains on part of its rows."""
    rows = tweeteval_sentiment_val(base)
    out = []
    for fraction in fractions:
        result = score("sentiment", rows, kfold_rows("sentiment", rows, train_fraction=fraction))
        out.append(
            {
                "system": f"vigie train (lexical weight {TRAINING['lexical_weight']})",
                **result,
                "task": "sentiment",
                "dataset": "tweeteval-sentiment (EN)",
                "split": f"5-fold CV on val, {100 * fraction:.0f} % of each training fold",
                "n_train": round(len(rows) * 4 / 5 * fraction),
                "metric": "macro_recall",
            }
        )
        print(f"{fraction:.2f}: macro-recall {100 * result['macro_recall']:.1f}", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--lexical-weight", type=float, default=DEFAULT_LEXICAL_WEIGHT)
    parser.add_argument("--learning-curve", action="store_true")
    parser.add_argument(
        "--fr-toxicity", action="store_true", help="only French toxicity, one model per set (~2 min)"
    )
    args = parser.parse_args()
    TRAINING["lexical_weight"] = args.lexical_weight
    if not args.datasets.exists():
        print(f"datasets not found at {args.datasets}; nothing measured (set VIGIE_DATASETS)")
        return
    if args.learning_curve:
        results = learning_curve(args.datasets)
    elif args.fr_toxicity:
        results = fr_toxicity_per_set(args.datasets)
    else:
        results = run(args.datasets)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    header = f"{'task':10} {'dataset':26} {'system':34} {'n':>5} {'n_tr':>6} {'acc':>6} {'mF1':>6} {'mRec':>6}  split"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['task']:10} {r['dataset']:26} {r['system']:34} {r['n']:>5} {r['n_train']:>6} "
            f"{100 * r['accuracy']:6.1f} "
            f"{100 * r['macro_f1']:6.1f} {100 * r['macro_recall']:6.1f}  {r['split']}"
        )


if __name__ == "__main__":
    main()

"""Fit a ``TextClassifier`` from labelled texts, with the regularisation chosen by cross-validation.

C is chosen on the training rows only, for the task's official metric: macro-recall for sentiment
(TweetEval's), macro-F1 otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from vigie.analysis.classifiers.features import FeatureConfig, Featuriser
from vigie.analysis.classifiers.lexical import LexicalBlock, lexicon_fingerprint, raw_matrix
from vigie.analysis.classifiers.model import TextClassifier
from vigie.analysis.classifiers.tasks import check_label, task_labels
from vigie.core.errors import ValidationFailedError

DEFAULT_C_GRID: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
# Measured on the shared datasets (docs/models.md): 0.3 adds 10 points of macro-recall on English
# sentiment and 3 of macro-F1 on English offensive, and is neutral on the French sets; 0 turns it off.
DEFAULT_LEXICAL_WEIGHT = 0.3
CV_METRIC = {"sentiment": "macro_recall"}  # any other task: macro_f1


def _fit_linear(
    matrix: sparse.csr_matrix,
    y: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    n_labels: int,
    c: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    from sklearn.linear_model import LogisticRegression

    # Balanced classes: each label weighs the same in total, on top of the per-row weights.
    totals = np.bincount(y, weights=weights, minlength=n_labels)
    totals[totals == 0] = 1.0
    balanced = weights * (weights.sum() / (n_labels * totals[y]))
    if n_labels == 2:
        model = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    else:
        model = LogisticRegression(C=c, solver="lbfgs", max_iter=2000)
    model.fit(matrix, y, sample_weight=balanced)
    return np.asarray(model.coef_, dtype=np.float64), np.asarray(model.intercept_, dtype=np.float64)


def _macro_f1(y: npt.NDArray[np.int64], pred: npt.NDArray[np.int64], n_labels: int) -> float:
    scores = []
    for k in range(n_labels):
        tp = float(np.sum((pred == k) & (y == k)))
        fp = float(np.sum((pred == k) & (y != k)))
        fn = float(np.sum((pred != k) & (y == k)))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def _macro_recall(y: npt.NDArray[np.int64], pred: npt.NDArray[np.int64], n_labels: int) -> float:
    recalls = [float(np.mean(pred[y == k] == k)) for k in range(n_labels) if np.any(y == k)]
    return float(np.mean(recalls))


_METRICS = {"macro_f1": _macro_f1, "macro_recall": _macro_recall}


def _predict_index(
    matrix: sparse.csr_matrix, coef: npt.NDArray[np.float64], icpt: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    scores = np.asarray(matrix @ coef.T) + icpt
    if scores.shape[1] == 1:
        return (scores[:, 0] > 0).astype(np.int64)
    return np.asarray(scores.argmax(axis=1), dtype=np.int64)


def choose_c(
    matrix: sparse.csr_matrix,
    y: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    n_labels: int,
    *,
    grid: Sequence[float] = DEFAULT_C_GRID,
    folds: int = 5,
    seed: int = 13,
    metric: str = "macro_f1",
) -> tuple[float, dict[float, float]]:
    """Stratified k-fold cross-validation on the training rows only; the best C for ``metric``."""
    from sklearn.model_selection import StratifiedKFold

    measure = _METRICS[metric]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    results: dict[float, float] = {}
    splits = list(splitter.split(np.zeros(len(y)), y))
    for c in grid:
        fold_scores = []
        for train_idx, test_idx in splits:
            coef, icpt = _fit_linear(matrix[train_idx], y[train_idx], weights[train_idx], n_labels, c)
            pred = _predict_index(matrix[test_idx], coef, icpt)
            fold_scores.append(measure(y[test_idx], pred, n_labels))
        results[c] = float(np.mean(fold_scores))
    best = max(results, key=lambda k: (results[k], -k))
    return best, results


def train_classifier(
    task: str,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    weights: Sequence[float] | None = None,
    c: float | None = None,
    config: FeatureConfig | None = None,
    name: str | None = None,
    metadata: dict[str, Any] | None = None,
    folds: int = 5,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
) -> TextClassifier:
    """Train a classifier for ``task``. ``weights`` lets some rows (e.g. corrections) count more.

    Without ``c`` the regularisation is chosen by stratified cross-validation on these rows.
    ``lexical_weight`` scales the dense lexicon block (``lexical.py``) against the sparse features; 0
    leaves it out.
    """
    label_set = task_labels(task)
    if len(texts) != len(labels):
        raise ValidationFailedError(f"{len(texts)} texts but {len(labels)} labels; give one label per text.")
    clean = [check_label(task, label, where=f"row {i + 1}") for i, label in enumerate(labels)]
    counts = Counter(clean)
    missing = [label for label in label_set if counts[label] == 0]
    if missing:
        raise ValidationFailedError(
            f"No training example for label(s) {', '.join(missing)} of task '{task}'; "
            "every label needs examples."
        )
    row_weights = np.ones(len(texts)) if weights is None else np.asarray(weights, dtype=np.float64)
    if row_weights.shape[0] != len(texts) or np.any(row_weights <= 0):
        raise ValidationFailedError("weights must be positive, one per text.")
    if not np.isfinite(lexical_weight) or lexical_weight < 0:
        raise ValidationFailedError("lexical_weight must be 0 (no lexical block) or a positive number.")
    config = config or FeatureConfig()
    featuriser = Featuriser.fit(texts, config)
    matrix = featuriser.transform(texts)
    lexical: LexicalBlock | None = None
    if lexical_weight > 0:
        raw = raw_matrix(texts)
        lexical = LexicalBlock.fit(raw, lexical_weight)
        matrix = sparse.csr_matrix(
            sparse.hstack([matrix, sparse.csr_matrix(lexical.scaled(raw))], format="csr")
        )
    y = np.array([label_set.index(label) for label in clean], dtype=np.int64)
    n_labels = len(label_set)
    cv_scores: dict[float, float] = {}
    metric = CV_METRIC.get(task, "macro_f1")
    if c is None:
        smallest = min(counts.values())
        k = min(folds, smallest)
        if k >= 2 and len(texts) >= 20:
            c, cv_scores = choose_c(matrix, y, row_weights, n_labels, folds=k, metric=metric)
        else:
            c = 1.0
    coef, icpt = _fit_linear(matrix, y, row_weights, n_labels, c)
    info: dict[str, Any] = {
        "n_train": len(texts),
        "label_counts": {label: counts[label] for label in label_set},
        "C": c,
        "cv_metric": metric,
        "cv_scores": {str(k): round(v, 4) for k, v in cv_scores.items()},
        "lexical_weight": lexical_weight,
    }
    if lexical is not None:
        info["lexicons"] = lexicon_fingerprint()
    info.update(metadata or {})
    return TextClassifier(
        task=task,
        labels=label_set,
        featuriser=featuriser,
        coef=coef.astype(np.float32),
        intercept=icpt.astype(np.float32),
        name=name or f"vigie-linear-{task}",
        metadata=info,
        lexical=lexical,
    )

"""Classification metrics: accuracy, macro-F1, macro-recall, per-class scores, confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vigie.core.errors import ValidationFailedError


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvalReport:
    labels: tuple[str, ...]
    n: int
    accuracy: float
    macro_f1: float
    macro_recall: float
    macro_precision: float
    per_class: dict[str, ClassScores]
    confusion: list[list[int]]  # rows = true label, columns = predicted label, in ``labels`` order
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "macro_recall": self.macro_recall,
            "macro_precision": self.macro_precision,
            "per_class": {k: v.__dict__ for k, v in self.per_class.items()},
            "labels": list(self.labels),
            "confusion_matrix": self.confusion,
            **self.extra,
        }


def evaluate(true: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> EvalReport:
    """Scores of ``predicted`` against ``true``; a label neither present nor predicted is left out of macro means."""
    if len(true) != len(predicted):
        raise ValidationFailedError(f"{len(true)} true labels but {len(predicted)} predictions.")
    if not true:
        raise ValidationFailedError("Nothing to evaluate: the data has no rows.")
    order = tuple(labels)
    index = {label: i for i, label in enumerate(order)}
    for label in (*true, *predicted):
        if label not in index:
            raise ValidationFailedError(f"label '{label}' is not one of {', '.join(order)}.")
    k = len(order)
    confusion = [[0] * k for _ in range(k)]
    for t, p in zip(true, predicted, strict=True):
        confusion[index[t]][index[p]] += 1
    per_class: dict[str, ClassScores] = {}
    for i, label in enumerate(order):
        tp = confusion[i][i]
        predicted_i = sum(confusion[r][i] for r in range(k))
        actual_i = sum(confusion[i])
        precision = tp / predicted_i if predicted_i else 0.0
        recall = tp / actual_i if actual_i else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = ClassScores(precision, recall, f1, actual_i)
    n = len(true)
    # Macro averages run over the labels present in the data or the predictions (as scikit-learn does).
    seen = [label for i, label in enumerate(order) if sum(confusion[i]) or sum(row[i] for row in confusion)]
    k = len(seen)
    return EvalReport(
        labels=order,
        n=n,
        accuracy=sum(confusion[i][i] for i in range(len(order))) / n,
        macro_f1=sum(per_class[label].f1 for label in seen) / k,
        macro_recall=sum(per_class[label].recall for label in seen) / k,
        macro_precision=sum(per_class[label].precision for label in seen) / k,
        per_class=per_class,
        confusion=confusion,
    )

"""A linear text classifier over TF-IDF word and character features, stored as one NPZ file."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.features import FeatureConfig, Featuriser
from vigie.analysis.classifiers.tasks import task_labels
from vigie.core.errors import ValidationFailedError

FORMAT = "vigie-linear-text-classifier"
FORMAT_VERSION = 1


@dataclass
class TextClassifier:
    """Task, labels, featuriser and linear weights; ``predict_proba`` needs only numpy and scipy."""

    task: str
    labels: tuple[str, ...]
    featuriser: Featuriser
    coef: npt.NDArray[np.float32]  # (n_labels, n_features), or (1, n_features) for two labels
    intercept: npt.NDArray[np.float32]
    name: str = "vigie-linear"
    metadata: dict[str, Any] | None = None

    @property
    def version(self) -> str:
        """A content hash: two models with the same weights have the same version."""
        digest = hashlib.sha256()
        digest.update(self.coef.tobytes())
        digest.update(self.intercept.tobytes())
        digest.update(self.featuriser.char_hashes.tobytes())
        digest.update("\n".join(self.featuriser.words).encode("utf-8"))
        return f"{FORMAT_VERSION}.{digest.hexdigest()[:12]}"

    def decision_function(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        matrix = self.featuriser.transform(list(texts))
        scores = matrix @ self.coef.T.astype(np.float64)
        return np.asarray(scores, dtype=np.float64) + self.intercept.astype(np.float64)

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Matrix (n_texts, n_labels) of probabilities, columns in ``labels`` order."""
        if isinstance(texts, str):
            raise TypeError("predict_proba expects a sequence of texts, not a single string")
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        scores = self.decision_function(texts)
        if scores.shape[1] == 1:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.stack([1.0 - positive, positive], axis=1)
        shifted = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        probs = self.probabilities(texts)
        return [dict(zip(self.labels, (float(p) for p in row), strict=True)) for row in probs]

    def predict(self, texts: Sequence[str]) -> list[str]:
        probs = self.probabilities(texts)
        return [self.labels[int(i)] for i in probs.argmax(axis=1)]

    def save(self, path: str | Path) -> Path:
        """Write one ``.npz`` file (arrays + JSON metadata; loadable with ``allow_pickle=False``)."""
        target = Path(path)
        meta = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "task": self.task,
            "labels": list(self.labels),
            "name": self.name,
            "features": self.featuriser.config.to_dict(),
            "metadata": self.metadata or {},
        }
        arrays = self.featuriser.to_arrays()
        arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
        arrays["coef"] = self.coef.astype(np.float32)
        arrays["intercept"] = self.intercept.astype(np.float32)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=False, **arrays)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(buffer.getvalue())
        return target


def load_model(path: str | Path) -> TextClassifier:
    """Load a model written by ``TextClassifier.save``; a clear error if the file is not one."""
    source = Path(path)
    if not source.is_file():
        raise ValidationFailedError(
            f"Model file '{source}' does not exist; give the path written by `vigie train --out`."
        )
    try:
        with np.load(source, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as error:
        raise ValidationFailedError(f"'{source}' is not a Vigie model file (.npz): {error}") from None
    try:
        meta = json.loads(arrays.pop("meta").astype(np.uint8).tobytes().decode("utf-8"))
    except (KeyError, ValueError):
        raise ValidationFailedError(
            f"'{source}' has no Vigie model metadata; retrain it with `vigie train`."
        ) from None
    if meta.get("format") != FORMAT or int(meta.get("format_version", 0)) > FORMAT_VERSION:
        raise ValidationFailedError(
            f"'{source}' is a model format this Vigie cannot read ({meta.get('format')} "
            f"v{meta.get('format_version')}); retrain it with `vigie train`."
        )
    task = str(meta["task"])
    labels = tuple(str(x) for x in meta["labels"])
    if set(labels) != set(task_labels(task)):
        raise ValidationFailedError(f"'{source}' has labels {labels} that do not match task '{task}'.")
    featuriser = Featuriser.from_arrays(FeatureConfig.from_dict(meta["features"]), arrays)
    return TextClassifier(
        task=task,
        labels=labels,
        featuriser=featuriser,
        coef=arrays["coef"].astype(np.float32),
        intercept=arrays["intercept"].astype(np.float32),
        name=str(meta.get("name", "vigie-linear")),
        metadata=dict(meta.get("metadata", {})),
    )

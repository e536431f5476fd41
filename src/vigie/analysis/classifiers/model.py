"""A linear text classifier over TF-IDF word and character features, stored as one NPZ file.

Format v2 adds an optional dense block of lexicon and style features (``lexical.py``) after the sparse
columns; v1 files (no such block) still load and predict as before.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from vigie.analysis.classifiers.features import FeatureConfig, Featuriser
from vigie.analysis.classifiers.lexical import FEATURE_NAMES, READABLE_LEXICAL_VERSIONS, LexicalBlock
from vigie.analysis.classifiers.scoring import LinearScorer
from vigie.analysis.classifiers.tasks import task_labels
from vigie.analysis.text import Document
from vigie.core.errors import ValidationFailedError

FORMAT = "vigie-linear-text-classifier"
FORMAT_VERSION = 2  # the newest this Vigie reads; a model without a lexical block is still written as v1


@dataclass(frozen=True)
class _Weights64:
    """The float32 weights as float64, and the scorer of the featuriser's part, made once per model
    (sources kept to notice a change)."""

    coef_source: npt.NDArray[np.float32]
    intercept_source: npt.NDArray[np.float32]
    coef: npt.NDArray[np.float64]
    intercept: npt.NDArray[np.float64]
    sparse_scorer: LinearScorer


@dataclass
class TextClassifier:
    """Task, labels, featuriser and linear weights; predicting needs numpy and numba, not scikit-learn."""

    task: str
    labels: tuple[str, ...]
    featuriser: Featuriser
    coef: npt.NDArray[np.float32]  # (n_labels, n_features), or (1, n_features) for two labels
    intercept: npt.NDArray[np.float32]
    name: str = "vigie-linear"
    metadata: dict[str, Any] | None = None
    lexical: LexicalBlock | None = None  # its columns come after the featuriser's
    _weights64: _Weights64 | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_features(self) -> int:
        return self.featuriser.n_features + (self.lexical.n_features if self.lexical else 0)

    @property
    def version(self) -> str:
        """A content hash: two models with the same weights have the same version."""
        digest = hashlib.sha256()
        digest.update(self.coef.tobytes())
        digest.update(self.intercept.tobytes())
        digest.update(self.featuriser.char_hashes.tobytes())
        digest.update("\n".join(self.featuriser.words).encode("utf-8"))
        if self.lexical is not None:
            digest.update(self.lexical.mean.tobytes())
            digest.update(self.lexical.scale.tobytes())
            digest.update(repr(self.lexical.weight).encode("ascii"))
        return f"{self.format_version}.{digest.hexdigest()[:12]}"

    @property
    def format_version(self) -> int:
        return 1 if self.lexical is None else 2

    def _float64_weights(self) -> _Weights64:
        cached = self._weights64
        if (
            cached is None
            or cached.coef_source is not self.coef
            or cached.intercept_source is not self.intercept
            or not cached.sparse_scorer.reads(self.featuriser)
        ):
            coef = self.coef.astype(np.float64)
            cached = _Weights64(
                coef_source=self.coef,
                intercept_source=self.intercept,
                coef=coef,
                intercept=self.intercept.astype(np.float64),
                sparse_scorer=LinearScorer(self.featuriser, coef[:, : self.featuriser.n_features]),
            )
            self._weights64 = cached
        return cached

    def decision_function(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return self._scores(list(texts), None)

    def _scores(self, texts: list[str], docs: Sequence[Document] | None) -> npt.NDArray[np.float64]:
        """Linear scores of the texts; the lexical block reads ``docs`` (the same texts, prepared) if given."""
        weights = self._float64_weights()
        coef = weights.coef
        n_sparse = self.featuriser.n_features
        scores = weights.sparse_scorer.scores(texts)
        if self.lexical is not None:
            dense = self.lexical.transform(texts) if docs is None else self.lexical.transform_documents(docs)
            scores += dense @ coef[:, n_sparse:].T
        return scores + weights.intercept

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Matrix (n_texts, n_labels) of probabilities, columns in ``labels`` order."""
        if isinstance(texts, str):
            raise TypeError("predict_proba expects a sequence of texts, not a single string")
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        return self._probabilities_of(self.decision_function(texts))

    def document_probabilities(self, docs: Sequence[Document]) -> npt.NDArray[np.float64]:
        """``probabilities`` of the documents' texts, reusing what preparing them computed."""
        if len(docs) == 0:
            return np.zeros((0, len(self.labels)))
        return self._probabilities_of(self._scores([doc.text for doc in docs], docs))

    @staticmethod
    def _probabilities_of(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
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
            "format_version": self.format_version,
            "task": self.task,
            "labels": list(self.labels),
            "name": self.name,
            "features": self.featuriser.config.to_dict(),
            "metadata": self.metadata or {},
            "lexical": None
            if self.lexical is None
            else {
                "version": self.lexical.version,
                "features": list(FEATURE_NAMES),
                "weight": self.lexical.weight,
            },
        }
        arrays = self.featuriser.to_arrays()
        if self.lexical is not None:
            arrays["lexical_mean"] = self.lexical.mean
            arrays["lexical_scale"] = self.lexical.scale
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
    model = TextClassifier(
        task=task,
        labels=labels,
        featuriser=featuriser,
        coef=arrays["coef"].astype(np.float32),
        intercept=arrays["intercept"].astype(np.float32),
        name=str(meta.get("name", "vigie-linear")),
        metadata=dict(meta.get("metadata", {})),
        lexical=_load_lexical(source, meta.get("lexical"), arrays),
    )
    if model.coef.ndim != 2 or model.coef.shape[1] != model.n_features:
        raise ValidationFailedError(
            f"'{source}' is damaged: {model.coef.shape} weights for {model.n_features} features; "
            "retrain it with `vigie train`."
        )
    return model


def _load_lexical(
    source: Path, described: dict[str, Any] | None, arrays: dict[str, npt.NDArray[Any]]
) -> LexicalBlock | None:
    """The dense block of a v2 file, or ``None`` (v1 files and models trained without it)."""
    if not described:
        return None
    version = int(described.get("version", 0))
    if version not in READABLE_LEXICAL_VERSIONS or list(described.get("features", [])) != list(FEATURE_NAMES):
        raise ValidationFailedError(
            f"'{source}' uses lexical features v{described.get('version')} "
            f"({', '.join(described.get('features', []))}) that this Vigie does not compute; "
            "retrain it with `vigie train`."
        )
    try:
        mean, scale = arrays["lexical_mean"], arrays["lexical_scale"]
    except KeyError:
        raise ValidationFailedError(
            f"'{source}' describes a lexical block but lacks its arrays; retrain it with `vigie train`."
        ) from None
    return LexicalBlock(
        mean=mean.astype(np.float64),
        scale=scale.astype(np.float64),
        weight=float(described["weight"]),
        version=version,
    )

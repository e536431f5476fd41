"""The analyser interface every plugin implements, and Vigie's built-in analysers.

An analyser handles one ``Task`` for a batch of prepared ``Document`` objects and returns one result per
document, of the task's result type. The pipeline runs the tasks in ``Task`` order and stores each
result on the documents, so later analysers can read earlier ones (``doc.language``, ``doc.sentiment``).
Built-ins are registered through the same plugin hook as third-party analysers
(``vigie.plugins.builtin``); a workspace picks one per task in ``workspace.yaml`` (``analysers:``).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeGuard, TypeVar

import numpy as np
import numpy.typing as npt

from vigie.analysis.intents import rule_intents
from vigie.analysis.language import LanguageDetector
from vigie.analysis.pii import detect_pii_all
from vigie.analysis.schemas import (
    AnalyserRef,
    Intent,
    IntentsResult,
    LanguageResult,
    PiiResult,
    SentimentResult,
    Task,
    TopicsResult,
    ToxicityResult,
)
from vigie.analysis.sentiment import lexicon_sentiment
from vigie.analysis.text import Document
from vigie.analysis.topics import TopicDef, TopicMatcher
from vigie.analysis.toxicity import detect_toxicity

R = TypeVar("R")

RESULT_TYPES: dict[Task, type] = {
    Task.LANGUAGE: LanguageResult,
    Task.SENTIMENT: SentimentResult,
    Task.TOXICITY: ToxicityResult,
    Task.INTENTS: IntentsResult,
    Task.TOPICS: TopicsResult,
    Task.PII: PiiResult,
}


@dataclass(frozen=True)
class AnalysisConfig:
    """What a workspace tells its analysers: its topics and languages."""

    topics: tuple[TopicDef, ...] = ()
    languages: tuple[str, ...] = ("fr", "en")
    options: dict[str, Any] = field(default_factory=dict)


class Analyser(abc.ABC, Generic[R]):
    """One task, one name, one version. Subclasses set ``task``, ``name`` and ``version``."""

    task: ClassVar[Task]
    # Built-in analysers build their results with the right type; the pipeline checks everyone else's.
    trusted: ClassVar[bool] = False
    name: str = ""
    version: str = ""

    @property
    def ref(self) -> AnalyserRef:
        return AnalyserRef(self.name, self.version)

    def configure(self, config: AnalysisConfig) -> Analyser[R]:
        """Return an analyser ready for one workspace (the same one when there is nothing to set)."""
        return self

    @abc.abstractmethod
    def run(self, docs: Sequence[Document]) -> list[R]:
        """One result per document, in order."""


class Classifier(Protocol):
    """What ``vigie.analysis.classifiers`` provides for a trained model."""

    name: str

    @property
    def version(self) -> str: ...

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]: ...


class DocumentClassifier(Classifier, Protocol):
    """A classifier that also reads the pipeline's prepared documents, as Vigie's trained models do: its
    features then reuse their folding and tokens instead of preparing every text again."""

    labels: tuple[str, ...]

    def document_probabilities(self, docs: Sequence[Document]) -> npt.NDArray[np.float64]:
        """Matrix (n_docs, n_labels) of probabilities, columns in ``labels`` order."""
        ...


def reads_documents(model: Classifier) -> TypeGuard[DocumentClassifier]:
    """Whether the model is a ``DocumentClassifier``. Not ``isinstance`` with a runtime-checkable protocol:
    that evaluates every member, and a trained model's ``version`` hashes all its weights."""
    return callable(getattr(model, "document_probabilities", None)) and isinstance(
        getattr(model, "labels", None), tuple
    )


def model_languages(model: Classifier) -> frozenset[str] | None:
    """Languages a trained model is meant for: ``metadata["languages"]`` (or ``"language"``), else a
    ``-fr``/``-en`` suffix of its name; None means every language."""
    metadata = getattr(model, "metadata", None) or {}
    declared = metadata.get("languages") or metadata.get("language")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list | tuple):
        return frozenset(str(x) for x in declared)
    head, _, suffix = model.name.rpartition("-")
    if head and len(suffix) == 2 and suffix.isalpha() and suffix.islower():
        return frozenset({suffix})
    return None


def _meant_for(languages: frozenset[str] | None, docs: Sequence[Document]) -> list[int]:
    """Indices of the documents in a model's languages."""
    return [i for i, doc in enumerate(docs) if languages is None or doc.lang in languages]


def predict_where_meant(
    model: Classifier, languages: frozenset[str] | None, docs: Sequence[Document]
) -> list[dict[str, float] | None]:
    """The model's probabilities for the documents in its languages (one batch call), None elsewhere."""
    chosen = _meant_for(languages, docs)
    if not chosen:
        return [None] * len(docs)
    if reads_documents(model):
        matrix = model.document_probabilities([docs[i] for i in chosen])
        predicted = [dict(zip(model.labels, row, strict=True)) for row in matrix.tolist()]
    else:
        predicted = model.predict_proba([docs[i].text for i in chosen])
    return _placed(len(docs), chosen, predicted)


def probability_where_meant(
    model: Classifier, languages: frozenset[str] | None, docs: Sequence[Document], label: str
) -> list[float | None]:
    """p(label) for the documents in the model's languages, None elsewhere; from the model's matrix of
    probabilities when it reads documents (no dictionary per text), else from ``predict_proba``."""
    chosen = _meant_for(languages, docs)
    if not chosen:
        return [None] * len(docs)
    column: list[float]
    if reads_documents(model) and label in model.labels:
        probabilities = model.document_probabilities([docs[i] for i in chosen])
        column = probabilities[:, model.labels.index(label)].tolist()
    else:
        column = [probs.get(label, 0.0) for probs in model.predict_proba([docs[i].text for i in chosen])]
    return _placed(len(docs), chosen, column)


def _placed(size: int, chosen: list[int], values: Sequence[R]) -> list[R | None]:
    """A list of ``size`` Nones with ``values`` put at the ``chosen`` indices."""
    out: list[R | None] = [None] * size
    for index, value in zip(chosen, values, strict=True):
        out[index] = value
    return out


class _ModelAnalyser(Analyser[R]):
    """A built-in backed by a trained model; ``version`` names the model after ``version_prefix``."""

    trusted = True
    name = "vigie-model"
    version_prefix: ClassVar[str] = ""

    def __init__(self, model: Classifier) -> None:
        self.model = model
        self.languages = model_languages(model)
        self.version = f"{self.version_prefix}{model.name}/{model.version}"

    def predictions(self, docs: Sequence[Document]) -> list[dict[str, float] | None]:
        return predict_where_meant(self.model, self.languages, docs)

    def probability(self, label: str, docs: Sequence[Document]) -> list[float | None]:
        return probability_where_meant(self.model, self.languages, docs, label)


# --- built-in analysers -------------------------------------------------------------------------


class LanguageAnalyser(Analyser[LanguageResult]):
    task = Task.LANGUAGE
    trusted = True
    name = "vigie-langid"
    version = "1"

    def __init__(self) -> None:
        self.detector = LanguageDetector()

    def run(self, docs: Sequence[Document]) -> list[LanguageResult]:
        detect = self.detector.detect
        return [detect(doc) for doc in docs]


class LexiconSentimentAnalyser(Analyser[SentimentResult]):
    task = Task.SENTIMENT
    trusted = True
    name = "vigie-lexicon"
    version = "3"

    def run(self, docs: Sequence[Document]) -> list[SentimentResult]:
        return [lexicon_sentiment(doc) for doc in docs]


class ModelSentimentAnalyser(_ModelAnalyser[SentimentResult]):
    """A trained sentiment model; the label is the most probable class, the score p(pos) - p(neg)."""

    task = Task.SENTIMENT

    def run(self, docs: Sequence[Document]) -> list[SentimentResult]:
        if not docs:
            return []
        out: list[SentimentResult] = []
        for doc, probs in zip(docs, self.predictions(docs), strict=True):
            if probs is None:  # a language the model was not trained for: the lexicon answers
                out.append(lexicon_sentiment(doc))
                continue
            label = max(probs, key=probs.__getitem__)
            score = probs.get("positive", 0.0) - probs.get("negative", 0.0)
            out.append(SentimentResult(label=label, score=score, probabilities=probs))
        return out


class LexiconToxicityAnalyser(Analyser[ToxicityResult]):
    task = Task.TOXICITY
    trusted = True
    name = "vigie-lexicon"
    version = "4"

    def run(self, docs: Sequence[Document]) -> list[ToxicityResult]:
        return [detect_toxicity(doc) for doc in docs]


class ModelToxicityAnalyser(_ModelAnalyser[ToxicityResult]):
    """The lexicon names the kinds; the score is the higher of the lexicon's and the model's p(toxic)."""

    task = Task.TOXICITY
    version_prefix = "lexicon-4+"

    def run(self, docs: Sequence[Document]) -> list[ToxicityResult]:
        if not docs:
            return []
        results = [detect_toxicity(doc) for doc in docs]
        for result, toxic in zip(results, self.probability("toxic", docs), strict=True):
            if toxic is not None:
                result.score = max(result.score, toxic)
        return results


class RuleIntentsAnalyser(Analyser[IntentsResult]):
    task = Task.INTENTS
    trusted = True
    name = "vigie-rules"
    version = "3"

    def run(self, docs: Sequence[Document]) -> list[IntentsResult]:
        return [rule_intents(doc) for doc in docs]


class ModelIntentsAnalyser(_ModelAnalyser[IntentsResult]):
    """Rules, plus a complaint whenever the trained complaint model gives p(complaint) >= threshold."""

    task = Task.INTENTS
    name = "vigie-rules-model"
    version_prefix = "rules-3+"
    threshold = 0.5

    def run(self, docs: Sequence[Document]) -> list[IntentsResult]:
        if not docs:
            return []
        results = [rule_intents(doc) for doc in docs]
        for result, p in zip(results, self.probability("complaint", docs), strict=True):
            if p is None:
                continue
            if p >= self.threshold and "complaint" not in result.labels:
                result.evidence["complaint"] = [f"complaint model p={p:.2f}"]
                result.labels = [i for i in _INTENT_ORDER if i in result.evidence]
                result.evidence = {k: result.evidence[k] for k in result.labels}
        return results


class KeywordTopicsAnalyser(Analyser[TopicsResult]):
    task = Task.TOPICS
    trusted = True
    name = "vigie-keywords"
    version = "1"

    def __init__(self, topics: Sequence[TopicDef] = ()) -> None:
        self.matcher = TopicMatcher(list(topics))

    def configure(self, config: AnalysisConfig) -> KeywordTopicsAnalyser:
        return KeywordTopicsAnalyser(config.topics)

    def run(self, docs: Sequence[Document]) -> list[TopicsResult]:
        match = self.matcher.match
        return [match(doc) for doc in docs]


class PatternPiiAnalyser(Analyser[PiiResult]):
    task = Task.PII
    trusted = True
    name = "vigie-patterns"
    version = "1"

    def run(self, docs: Sequence[Document]) -> list[PiiResult]:
        return detect_pii_all(docs)


_INTENT_ORDER = tuple(i.value for i in Intent)

"""The analysis pipeline: pure functions from text (and what we know of the author) to an ``Analysis``.

``Pipeline`` holds one analyser per task (resolved from the plugin registry and the workspace's
selection) and analyses batches: each task runs over the whole batch, so trained models predict in one
call. ``analyse()`` is the one-text convenience used by tests and the CLI.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from vigie.analysis.analysers import RESULT_TYPES, Analyser, AnalysisConfig
from vigie.analysis.priority import author_influence, prioritise
from vigie.analysis.schemas import (
    Analysis,
    AuthorContext,
    IntentsResult,
    LanguageResult,
    PiiResult,
    SentimentResult,
    Task,
    TopicsResult,
    ToxicityResult,
)
from vigie.analysis.text import Document, prepare_all
from vigie.analysis.topics import TopicDef, topics_from_spec
from vigie.core.errors import ValidationFailedError
from vigie.plugins.manager import AnalyserRegistry, PluginError, default_registry

# Intents that mean the author is unhappy with us: a message showing one cannot be positive or neutral.
UNHAPPY_INTENTS = ("legal_threat", "churn_threat", "manager_demand", "complaint")
ADJUSTED_SCORE = -0.3


def make_coherent(sentiment: SentimentResult, intents: IntentsResult) -> None:
    """Sentiment models trained on general tweets miss customer-service anger ("3 weeks waiting for my
    refund, I want a manager"). When rules or the complaint model found an unhappy intent and no praise,
    the sentiment becomes negative, and ``adjusted`` says why."""
    found = intents.evidence
    if not found or sentiment.label == "negative" or "praise" in intents.labels:
        return
    for intent in UNHAPPY_INTENTS:
        evidence = found.get(intent)
        if evidence and not evidence[0].startswith("sentiment "):
            sentiment.adjusted = f"{sentiment.label} -> negative: {intent} ({evidence[0]})"
            sentiment.label = "negative"
            sentiment.score = min(sentiment.score, ADJUSTED_SCORE)
            return


@dataclass(frozen=True, slots=True)
class TextItem:
    text: str
    lang_hint: str | None = None
    author: AuthorContext | None = None


@dataclass(slots=True)
class TextAnalysis:
    """Everything that depends on the text alone (author influence and priority come after)."""

    language: LanguageResult
    sentiment: SentimentResult
    toxicity: ToxicityResult
    intents: IntentsResult
    topics: TopicsResult
    pii: PiiResult


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one batch, then restore it (left off if it was off).

    A batch keeps about 25 container objects per text alive until it ends (documents, token sets,
    results), so the collector passes over them again and again while they are built, for nothing: the
    analysis makes no reference cycles, and refcounting frees it all. Those passes cost about 1.5 us per
    text (5% of the lexicon analysis, benchmarks/analysis_throughput.py); after the batch, one ordinary
    collection sees it all once. Another thread's batch finding the collector paused leaves it to the
    thread that paused it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Pipeline:
    def __init__(self, analysers: Mapping[Task, Analyser[Any]], config: AnalysisConfig | None = None) -> None:
        missing = [t.value for t in Task if t not in analysers]
        if missing:
            raise PluginError(f"The pipeline has no analyser for: {', '.join(missing)}.")
        self.config = config or AnalysisConfig()
        self.analysers: dict[Task, Analyser[Any]] = {t: analysers[t].configure(self.config) for t in Task}

    @classmethod
    def build(
        cls,
        *,
        registry: AnalyserRegistry | None = None,
        selection: Mapping[str, str] | None = None,
        topics: Sequence[TopicDef] | Sequence[Mapping[str, Any]] | None = None,
        languages: Sequence[str] = ("fr", "en"),
    ) -> Pipeline:
        chosen = (registry or default_registry()).select(selection)
        return cls(chosen, AnalysisConfig(topics=tuple(_topic_defs(topics)), languages=tuple(languages)))

    @classmethod
    def for_workspace(cls, spec: Mapping[str, Any], *, registry: AnalyserRegistry | None = None) -> Pipeline:
        """From the validated content of workspace.yaml (``Workspace.spec``): topics, languages, analysers."""
        selection = spec.get("analysers") or {}
        if not isinstance(selection, Mapping):
            raise ValidationFailedError("workspace.yaml: `analysers` must map a task to a plugin name.")
        return cls.build(
            registry=registry,
            selection={str(k): str(v) for k, v in selection.items()},
            topics=spec.get("topics") or [],
            languages=tuple(spec.get("languages") or ("fr", "en")),
        )

    def describe(self) -> dict[str, dict[str, str]]:
        """Which analyser runs each task, with its version."""
        return {task.value: analyser.ref.to_dict() for task, analyser in self.analysers.items()}

    def _run(self, task: Task, docs: Sequence[Document]) -> list[Any]:
        analyser = self.analysers[task]
        results = analyser.run(docs)
        expected = RESULT_TYPES[task]
        if len(results) != len(docs):
            raise PluginError(
                f"Analyser '{analyser.name}' ({task}) returned {len(results)} results for {len(docs)} texts."
            )
        ref = analyser.ref
        if analyser.trusted:
            for result in results:
                result.analyser = ref
            return results
        for result in results:
            if result.__class__ is not expected and not isinstance(result, expected):
                raise PluginError(
                    f"Analyser '{analyser.name}' ({task}) returned {type(result).__name__}; "
                    f"expected {expected.__name__}."
                )
            result.analyser = ref  # type: ignore[attr-defined]  # every result type has it
        return results

    def _task_results(self, items: Sequence[TextItem]) -> tuple[list[Any], ...]:
        """Each task's results for the batch, in ``TextAnalysis`` field order."""
        texts = [item.text for item in items]
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise ValidationFailedError(f"text #{index + 1} is {type(text).__name__}; give a string.")
        docs = prepare_all(texts, [item.lang_hint for item in items])
        languages = self._run(Task.LANGUAGE, docs)
        for doc, language in zip(docs, languages, strict=True):
            doc.language = language
        sentiments = self._run(Task.SENTIMENT, docs)
        for doc, sentiment in zip(docs, sentiments, strict=True):
            doc.sentiment = sentiment
        toxicities = self._run(Task.TOXICITY, docs)
        for doc, toxicity in zip(docs, toxicities, strict=True):
            doc.toxicity = toxicity
        intents = self._run(Task.INTENTS, docs)
        for sentiment, found in zip(sentiments, intents, strict=True):
            make_coherent(sentiment, found)
        topics = self._run(Task.TOPICS, docs)
        pii = self._run(Task.PII, docs)
        return languages, sentiments, toxicities, intents, topics, pii

    def analyse_texts(self, items: Sequence[TextItem]) -> list[TextAnalysis]:
        with _collector_paused():
            return [TextAnalysis(*parts) for parts in zip(*self._task_results(items), strict=True)]

    @staticmethod
    def finish(partial: TextAnalysis, author: AuthorContext | None) -> Analysis:
        """Add author influence and the priority to a text analysis."""
        return _complete(
            partial.language,
            partial.sentiment,
            partial.toxicity,
            partial.intents,
            partial.topics,
            partial.pii,
            author,
        )

    def analyse_batch(self, items: Sequence[TextItem]) -> list[Analysis]:
        # Straight from the task results to each Analysis: no TextAnalysis in between.
        authors = [item.author for item in items]
        with _collector_paused():
            return [_complete(*parts) for parts in zip(*self._task_results(items), authors, strict=True)]


def _complete(
    language: LanguageResult,
    sentiment: SentimentResult,
    toxicity: ToxicityResult,
    intents: IntentsResult,
    topics: TopicsResult,
    pii: PiiResult,
    author: AuthorContext | None,
) -> Analysis:
    """The ``Analysis`` of one text's task results, with author influence and the priority added."""
    influence = None if author is None else author_influence(author)
    priority = prioritise(
        sentiment=sentiment,
        toxicity=toxicity,
        intents=intents,
        pii=pii,
        influence=influence,
        topic_keys=topics.keys,
    )
    return Analysis(language, sentiment, toxicity, intents, topics, pii, influence, priority)


def _topic_defs(topics: Sequence[TopicDef] | Sequence[Mapping[str, Any]] | None) -> list[TopicDef]:
    if not topics:
        return []
    if all(isinstance(t, TopicDef) for t in topics):
        return [t for t in topics if isinstance(t, TopicDef)]
    return topics_from_spec([t for t in topics if isinstance(t, Mapping)])


def analyse(
    text: str,
    *,
    author: AuthorContext | None = None,
    topics: Sequence[TopicDef] | Sequence[Mapping[str, Any]] | None = None,
    lang_hint: str | None = None,
    pipeline: Pipeline | None = None,
) -> Analysis:
    """Analyse one text. Pass a ``pipeline`` (built once) when analysing many texts."""
    if not isinstance(text, str):
        raise ValidationFailedError(f"text must be a string, got {type(text).__name__}.")
    if not text.strip():
        raise ValidationFailedError("text is empty; give the message to analyse.")
    runner = pipeline or Pipeline.build(topics=topics)
    return runner.analyse_batch([TextItem(text, lang_hint, author)])[0]

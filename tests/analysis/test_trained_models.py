"""When the classifiers package ships trained models, they become the default analysers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from vigie.analysis.analysers import predict_where_meant, probability_where_meant
from vigie.analysis.classifiers import train_classifier
from vigie.analysis.pipeline import Pipeline, TextItem, analyse
from vigie.analysis.text import Document, prepare_all
from vigie.plugins.builtin import analysers as builtin
from vigie.plugins.manager import AnalyserRegistry, make_plugin_manager


class FakeModel:
    name = "fake-linear"

    def __init__(self, task: str, probs: dict[str, float]) -> None:
        self.task = task
        self.probs = probs
        self.calls = 0

    @property
    def version(self) -> str:
        return "1.abc"

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        self.calls += 1  # one call per batch, not per text
        return [dict(self.probs) for _ in texts]


def test_trained_models_are_used_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    models = {
        "sentiment": FakeModel("sentiment", {"negative": 0.1, "neutral": 0.2, "positive": 0.7}),
        "toxicity": FakeModel("toxicity", {"toxic": 0.9, "non_toxic": 0.1}),
        "complaint": FakeModel("complaint", {"complaint": 0.8, "not_complaint": 0.2}),
    }
    monkeypatch.setattr(builtin, "load_builtin_model", models.get)
    registry = AnalyserRegistry.from_plugin_manager(make_plugin_manager(load_entry_points=False))
    pipeline = Pipeline.build(registry=registry)
    result = analyse("Le colis est arrivé", pipeline=pipeline)
    assert result.sentiment.label == "positive" and result.sentiment.probabilities is not None
    assert result.sentiment.analyser is not None and result.sentiment.analyser.name == "vigie-model"
    assert "fake-linear/1.abc" in result.sentiment.analyser.version
    assert result.toxicity.score == pytest.approx(0.9)
    assert "complaint" in result.intents.labels
    assert result.intents.evidence["complaint"] == ["complaint model p=0.80"]
    pipeline.analyse_batch([])  # empty batches do not call the models
    assert models["sentiment"].calls == 1


def test_without_models_the_lexicons_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builtin, "load_builtin_model", lambda task: None)
    registry = AnalyserRegistry.from_plugin_manager(make_plugin_manager(load_entry_points=False))
    described = Pipeline.build(registry=registry).describe()
    assert described["sentiment"]["name"] == "vigie-lexicon"
    assert described["intents"]["name"] == "vigie-rules"


def test_unhappy_intents_make_a_positive_model_answer_negative(monkeypatch: pytest.MonkeyPatch) -> None:
    # A general-purpose model reading the must-show example as positive (as a model trained on tweets did).
    positive = FakeModel("sentiment", {"negative": 0.3, "neutral": 0.27, "positive": 0.43})
    monkeypatch.setattr(builtin, "load_builtin_model", {"sentiment": positive}.get)
    registry = AnalyserRegistry.from_plugin_manager(make_plugin_manager(load_entry_points=False))
    pipeline = Pipeline.build(registry=registry)
    text = "Ça fait 3 semaines que j'attends mon remboursement, je veux parler à un responsable !"
    result = analyse(text, pipeline=pipeline)
    assert result.sentiment.label == "negative" and result.sentiment.score <= -0.3
    assert result.sentiment.adjusted is not None and "positive -> negative" in result.sentiment.adjusted
    assert analyse("Merci, livraison parfaite", pipeline=pipeline).sentiment.label == "positive"


def test_a_french_model_is_only_used_on_french(monkeypatch: pytest.MonkeyPatch) -> None:
    model = FakeModel("toxicity", {"toxic": 0.9, "non_toxic": 0.1})
    model.name = "fake-toxicity-fr"
    monkeypatch.setattr(builtin, "load_builtin_model", {"toxicity": model}.get)
    registry = AnalyserRegistry.from_plugin_manager(make_plugin_manager(load_entry_points=False))
    pipeline = Pipeline.build(registry=registry)
    french, english = pipeline.analyse_batch(
        [TextItem("Je ne suis pas content de la livraison"), TextItem("I am not happy with the delivery")]
    )
    assert french.toxicity.score == pytest.approx(0.9)
    assert english.toxicity.score == 0.0


def test_a_trained_model_reads_the_pipeline_documents_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = ["I love it, great", "awful, I hate it 😡", "le colis part demain", "merci, génial !"] * 5
    model = train_classifier("sentiment", texts, ["positive", "negative", "neutral", "positive"] * 5, c=1.0)
    assert model.lexical is not None
    seen: list[int] = []
    read_documents = model.document_probabilities

    def spy(docs: Sequence[Document]) -> np.ndarray:
        seen.append(len(docs))
        return read_documents(docs)

    monkeypatch.setattr(model, "document_probabilities", spy)
    probe = ["what a wonderful day", "", "c'est NUL 😡 !!", "ok"]
    docs = prepare_all(probe, [None] * len(probe))
    assert predict_where_meant(model, None, docs) == model.predict_proba(probe)
    positive = probability_where_meant(model, None, docs, "positive")
    assert positive == model.probabilities(probe)[:, model.labels.index("positive")].tolist()
    assert seen == [len(probe), len(probe)]

"""When the classifiers package ships trained models, they become the default analysers."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from vigie.analysis.pipeline import Pipeline, TextItem, analyse
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

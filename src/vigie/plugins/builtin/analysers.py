"""Built-in analysers: lexicons and rules always, trained models when ``vigie.analysis.classifiers``
ships one for the task (then they are the default for that task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vigie.analysis.analysers import (
    Analyser,
    Classifier,
    KeywordTopicsAnalyser,
    LanguageAnalyser,
    LexiconSentimentAnalyser,
    LexiconToxicityAnalyser,
    ModelIntentsAnalyser,
    ModelSentimentAnalyser,
    ModelToxicityAnalyser,
    PatternPiiAnalyser,
    RuleIntentsAnalyser,
)
from vigie.plugins.hookspecs import hookimpl


def load_builtin_model(task: str) -> Classifier | None:
    """The trained model shipped for ``task``, or None when the package ships none (tests replace it)."""
    # Imported on first use, not with the plugin: numpy and scipy take about a second to import.
    from vigie.analysis.classifiers import load_builtin

    return load_builtin(task)


MODEL_ANALYSERS: tuple[tuple[str, Callable[[Classifier], Analyser[Any]]], ...] = (
    ("sentiment", ModelSentimentAnalyser),
    ("toxicity", ModelToxicityAnalyser),
    ("complaint", ModelIntentsAnalyser),
)


@hookimpl
def vigie_analysers() -> list[Analyser[Any]]:
    analysers: list[Analyser[Any]] = [
        LanguageAnalyser(),
        LexiconSentimentAnalyser(),
        LexiconToxicityAnalyser(),
        RuleIntentsAnalyser(),
        KeywordTopicsAnalyser(),
        PatternPiiAnalyser(),
    ]
    for task, analyser in MODEL_ANALYSERS:
        model = load_builtin_model(task)
        if model is not None:
            analysers.append(analyser(model))
    return analysers

"""Built-in analysers: lexicons and rules always, trained models when ``vigie.analysis.classifiers``
ships one for the task (then they are the default for that task)."""

from __future__ import annotations

import importlib
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
    """The trained model shipped for ``task``, or None when the classifiers package has none."""
    try:
        classifiers = importlib.import_module("vigie.analysis.classifiers")
    except ImportError:
        return None
    loader = getattr(classifiers, "load_builtin", None)
    if loader is None:
        return None
    model: Classifier | None = loader(task)
    return model


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
    sentiment = load_builtin_model("sentiment")
    if sentiment is not None:
        analysers.append(ModelSentimentAnalyser(sentiment))
    toxicity = load_builtin_model("toxicity")
    if toxicity is not None:
        analysers.append(ModelToxicityAnalyser(toxicity))
    complaint = load_builtin_model("complaint")
    if complaint is not None:
        analysers.append(ModelIntentsAnalyser(complaint))
    return analysers

"""Plugins: a third-party analyser registered through the pluggy hook replaces a built-in per workspace."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

import pytest

from vigie.analysis.analysers import Analyser
from vigie.analysis.pipeline import Pipeline, TextItem, analyse
from vigie.analysis.schemas import SentimentResult, Task
from vigie.analysis.text import Document
from vigie.plugins.hookspecs import hookimpl
from vigie.plugins.manager import AnalyserRegistry, PluginError, make_plugin_manager


class AlwaysPositive(Analyser[SentimentResult]):
    task = Task.SENTIMENT
    name = "always-positive"
    version = "0.1"

    def run(self, docs: Sequence[Document]) -> list[SentimentResult]:
        return [SentimentResult(label="positive", score=1.0) for _ in docs]


class Broken(Analyser[SentimentResult]):
    task = Task.SENTIMENT
    name = "broken"
    version = "0"

    def run(self, docs: Sequence[Document]) -> list[SentimentResult]:
        return []


class FakePlugin:
    @hookimpl
    def vigie_analysers(self) -> list[Analyser[Any]]:
        return [AlwaysPositive(), Broken()]


@pytest.fixture
def registry() -> AnalyserRegistry:
    return AnalyserRegistry.from_plugin_manager(
        make_plugin_manager(load_entry_points=False, extra_plugins=[FakePlugin()])
    )


def test_builtins_come_through_the_hook(registry: AnalyserRegistry) -> None:
    assert "vigie-lexicon" in registry.names(Task.SENTIMENT)
    assert "always-positive" in registry.names(Task.SENTIMENT)
    assert registry.default(Task.SENTIMENT).name in ("vigie-lexicon", "vigie-model")


def test_workspace_selects_plugin_per_task(registry: AnalyserRegistry) -> None:
    spec = {"topics": [], "analysers": {"sentiment": "always-positive"}}
    pipeline = Pipeline.for_workspace(spec, registry=registry)
    result = analyse("Le colis arrive demain", pipeline=pipeline)
    assert result.sentiment.label == "positive"
    assert result.sentiment.analyser is not None and result.sentiment.analyser.name == "always-positive"
    assert result.sentiment.analyser.version == "0.1"
    # the other tasks keep the built-ins
    assert result.intents.analyser is not None and result.intents.analyser.name.startswith("vigie-rules")
    default = Pipeline.for_workspace({"topics": []}, registry=registry)
    assert analyse("Le colis arrive demain", pipeline=default).sentiment.label == "neutral"


def test_unknown_plugin_or_task_is_a_clear_error(registry: AnalyserRegistry) -> None:
    with pytest.raises(PluginError, match="Available for sentiment"):
        Pipeline.for_workspace({"analysers": {"sentiment": "nope"}}, registry=registry)
    with pytest.raises(PluginError, match="known tasks"):
        Pipeline.for_workspace({"analysers": {"mood": "always-positive"}}, registry=registry)


def test_misbehaving_plugin_is_named(registry: AnalyserRegistry) -> None:
    pipeline = Pipeline.for_workspace({"analysers": {"sentiment": "broken"}}, registry=registry)
    with pytest.raises(PluginError, match="'broken'"):
        analyse("bonjour", pipeline=pipeline)


class CollectorWatcher(Analyser[SentimentResult]):
    """Notes whether the cyclic garbage collector runs while the pipeline analyses a batch."""

    task = Task.SENTIMENT
    name = "collector-watcher"
    version = "0"

    def __init__(self) -> None:
        self.seen: list[bool] = []

    def run(self, docs: Sequence[Document]) -> list[SentimentResult]:
        self.seen.append(gc.isenabled())
        return [SentimentResult(label="neutral", score=0.0) for _ in docs]


def test_collector_paused_during_a_batch_and_restored_after() -> None:
    watcher = CollectorWatcher()
    builtin = Pipeline.build()
    pipeline = Pipeline({**builtin.analysers, Task.SENTIMENT: watcher})
    assert gc.isenabled()
    pipeline.analyse_batch([TextItem("bonjour")])
    pipeline.analyse_texts([TextItem("hello")])
    assert watcher.seen == [False, False]
    assert gc.isenabled()
    gc.disable()
    try:
        pipeline.analyse_batch([TextItem("bonjour")])
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_collector_restored_when_an_analyser_fails(registry: AnalyserRegistry) -> None:
    pipeline = Pipeline.for_workspace({"analysers": {"sentiment": "broken"}}, registry=registry)
    with pytest.raises(PluginError):
        pipeline.analyse_batch([TextItem("bonjour")])
    assert gc.isenabled()

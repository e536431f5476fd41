"""The share and pile-on defaults on real data (benchmarks/crisis_signals.py holds the loaders and the
reference definitions; the figures are in docs/crisis.md). Skipped when the shared datasets are absent."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

import pytest

from tests.conftest import dataset_dir, load_benchmark
from vigie.crisis.detectors import PileOnConfig, ShareConfig
from vigie.crisis.grading import Grade


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("crisis_signals")


def test_the_american_airlines_collection_artefact_raises_nothing(bench: ModuleType) -> None:
    streams = bench.airline_streams(dataset_dir("twitter-airline-sentiment") / "Tweets.csv")
    signals, top = bench.run_airline(streams["American"], ShareConfig())
    assert signals == [] and top == Grade.NORMAL
    # The trap is real: without waiting for its own history the new airline looks like a shift.
    early, _ = bench.run_airline(streams["American"], replace(ShareConfig(), min_history=0))
    assert early and early[0].details["cold_start"] is True
    # ...and waiting does not blind the detector to a real shift day (Delta, 2015-02-22).
    delta, _ = bench.run_airline(streams["Delta"], ShareConfig())
    assert "02-22" in bench.shift_days(streams["Delta"])
    assert any(f"{s.at:%m-%d}" == "02-22" for s in delta)


def test_pile_on_defaults_on_rumour_threads(bench: ModuleType) -> None:
    threads = bench.pheme_threads(dataset_dir("rumoureval2017-pheme"))
    report = [t for t in threads if t.half == "report"]
    score = bench.score_pile_on(report, bench.pile_on_onsets(report, PileOnConfig()))
    assert score.reference >= 10
    assert score.precision >= 0.6 and score.recall >= 0.5
    before = bench.score_pile_on(
        report, bench.pile_on_onsets(report, replace(PileOnConfig(), window=bench.timedelta(minutes=30)))
    )
    assert before.recall < score.recall

"""Training on large data: parallel CV fits, the fold-count rule and progress reports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from vigie.analysis.classifiers import train_classifier, training
from vigie.analysis.classifiers.features import FeatureConfig, Featuriser
from vigie.analysis.classifiers.training import choose_c, cv_folds, training_workers
from vigie.cli.main import app
from vigie.core.errors import ValidationFailedError

WORDS = {
    "positive": ["love", "great", "thanks", "merci", "super", "perfect"],
    "negative": ["hate", "awful", "worst", "nul", "broken", "furious"],
    "neutral": ["parcel", "hours", "page", "demain", "order", "address"],
}


def _rows(n_per_label: int = 30, seed: int = 3) -> tuple[list[str], list[str]]:
    """Noisy synthetic rows: each text mixes words of its label with words of the others."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    every = [w for words in WORDS.values() for w in words]
    for i in range(n_per_label):
        for label, words in WORDS.items():
            picked = list(rng.choice(words, size=2)) + list(rng.choice(every, size=3))
            texts.append(" ".join(picked) + f" {i}")
            labels.append(label)
    return texts, labels


def _toxicity_rows() -> tuple[list[str], list[str]]:
    texts, labels = _rows()
    return texts, ["toxic" if label == "negative" else "non_toxic" for label in labels]


@pytest.mark.parametrize("task", ["sentiment", "toxicity"])
def test_parallel_fits_train_the_same_model_as_serial_ones(task: str) -> None:
    texts, labels = _rows() if task == "sentiment" else _toxicity_rows()
    serial = train_classifier(task, texts, labels, workers=1)
    parallel = train_classifier(task, texts, labels, workers=2)
    assert serial.metadata is not None and parallel.metadata is not None
    assert parallel.metadata["cv_scores"] == serial.metadata["cv_scores"]
    assert parallel.version == serial.version


def test_each_c_is_reported_once_with_its_score() -> None:
    texts, labels = _rows()
    featuriser = Featuriser.fit(texts, FeatureConfig())
    matrix = featuriser.transform(texts)
    y = np.array([sorted(WORDS).index(label) for label in labels], dtype=np.int64)
    reported: list[tuple[float, float]] = []
    grid = (0.5, 2.0, 8.0)
    choice = choose_c(
        matrix,
        y,
        np.ones(len(y)),
        3,
        grid=grid,
        folds=3,
        workers=2,
        on_c_scored=lambda c, score: reported.append((c, score)),
    )
    assert [c for c, _ in reported] == list(grid)
    assert dict(reported) == choice.scores


def test_large_sets_use_three_folds_and_small_ones_five() -> None:
    assert cv_folds(training.LARGE_DATA_ROWS - 1) == 5
    assert cv_folds(training.LARGE_DATA_ROWS) == 3
    assert cv_folds(training.LARGE_DATA_ROWS * 10, folds=4) == 4


def test_training_reports_its_steps_and_uses_the_fold_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    texts, labels = _rows()
    lines: list[str] = []
    train_classifier("sentiment", texts, labels, workers=1, progress=lines.append)
    assert any("5-fold" in line for line in lines)
    assert sum("C=" in line and "macro_recall" in line for line in lines) == len(training.DEFAULT_C_GRID)
    assert "final model" in lines[-2] and lines[-1].endswith("Done.")
    monkeypatch.setattr(training, "LARGE_DATA_ROWS", len(texts))
    lines.clear()
    train_classifier("sentiment", texts, labels, workers=1, progress=lines.append)
    assert any("3-fold" in line for line in lines)


def test_worker_count_comes_from_the_argument_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(training.WORKERS_ENV, "3")
    assert training_workers(1) == 1
    assert training_workers() == 3
    monkeypatch.delenv(training.WORKERS_ENV)
    assert training_workers() >= 1
    monkeypatch.setenv(training.WORKERS_ENV, "many")
    with pytest.raises(ValidationFailedError, match=training.WORKERS_ENV):
        training_workers()
    with pytest.raises(ValidationFailedError, match="at least 1"):
        training_workers(0)


def test_cli_train_reports_progress_on_stderr_and_keeps_json_on_stdout(tmp_path: Path) -> None:
    texts, labels = _rows(n_per_label=10)
    data = tmp_path / "train.csv"
    data.write_text(
        "text,label\n" + "\n".join(f"{t},{label}" for t, label in zip(texts, labels, strict=True))
    )
    out = tmp_path / "model.npz"
    args = ["train", "sentiment", "--data", str(data), "--out", str(out), "--workers", "1", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n_train"] == len(texts)
    assert f"Read {len(texts)} rows" in result.stderr
    assert "C=16:" in result.stderr and "Trained in" in result.stderr
    result = CliRunner().invoke(app, [*args[:-3], "--workers", "0"])
    assert result.exit_code != 0 and "at least 1" in result.output

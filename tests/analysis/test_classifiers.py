"""Trainable classifiers: round trip, metrics, label validation, and the train/eval CLI end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from vigie.analysis.classifiers import (
    evaluate,
    load_builtin,
    load_model,
    read_labelled,
    train_classifier,
    training,
)
from vigie.analysis.classifiers.features import FeatureConfig, Featuriser, char_ngram_hashes
from vigie.cli.main import app
from vigie.core.errors import ValidationFailedError

POSITIVE = [
    "I love this, thank you so much",
    "great service, really happy",
    "awesome, works perfectly",
    "merci, super",
]
NEGATIVE = [
    "I hate this, terrible",
    "awful service, never again",
    "worst experience ever",
    "nul, je suis furieux",
]
NEUTRAL = [
    "the parcel is on its way",
    "opening hours are 9 to 5",
    "the app has a settings page",
    "le colis part demain",
]


def _sentiment_rows(repeat: int = 4) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for i in range(repeat):
        for group, label in ((POSITIVE, "positive"), (NEGATIVE, "negative"), (NEUTRAL, "neutral")):
            for text in group:
                texts.append(f"{text} {i}")
                labels.append(label)
    return texts, labels


def test_round_trip_gives_identical_predictions(tmp_path: Path) -> None:
    texts, labels = _sentiment_rows()
    model = train_classifier("sentiment", texts, labels)
    probe = ["I really love it", "terrible, I hate it", "the page is on the app", "", "🙂 ok"]
    path = model.save(tmp_path / "m.npz")
    loaded = load_model(path)
    assert loaded.task == "sentiment" and loaded.labels == ("negative", "neutral", "positive")
    assert loaded.version == model.version
    assert loaded.predict(probe) == model.predict(probe)
    np.testing.assert_allclose(loaded.probabilities(probe), model.probabilities(probe), rtol=1e-6)
    for row in loaded.predict_proba(probe):
        assert set(row) == {"negative", "neutral", "positive"}
        assert abs(sum(row.values()) - 1.0) < 1e-9


def test_model_learns_the_training_signal() -> None:
    texts, labels = _sentiment_rows()
    model = train_classifier("sentiment", texts, labels, c=10.0)
    assert model.predict(["awful, I hate it", "thank you, I love it"]) == ["negative", "positive"]


def test_new_weights_replace_the_converted_ones() -> None:
    texts, labels = _sentiment_rows()
    model = train_classifier("sentiment", texts, labels, c=10.0)
    probe = ["awful, I hate it", "thank you, I love it"]
    before = model.decision_function(probe)
    model.coef = -model.coef
    model.intercept = -model.intercept
    np.testing.assert_allclose(model.decision_function(probe), -before, rtol=1e-12)


def test_binary_task_and_weights_change_the_model() -> None:
    texts = ["you idiot", "thanks a lot", "stupid moron", "have a nice day"] * 3
    labels = ["toxic", "non_toxic", "toxic", "non_toxic"] * 3
    base = train_classifier("toxicity", texts, labels, c=1.0)
    probe = "nice idiot"
    # A heavily weighted correction saying the probe is clean must lower its toxic probability.
    corrected = train_classifier(
        "toxicity", [*texts, probe], [*labels, "non_toxic"], weights=[1.0] * len(texts) + [20.0], c=1.0
    )
    assert corrected.predict_proba([probe])[0]["toxic"] < base.predict_proba([probe])[0]["toxic"]
    assert corrected.predict([probe]) == ["non_toxic"]


def test_training_refuses_bad_input() -> None:
    with pytest.raises(ValidationFailedError, match="row 2: label 'happy'"):
        train_classifier("sentiment", ["a", "b"], ["positive", "happy"])
    with pytest.raises(ValidationFailedError, match="No training example for label"):
        train_classifier("complaint", ["a", "b"], ["complaint", "complaint"])
    with pytest.raises(ValidationFailedError, match="Unknown task 'spam'"):
        train_classifier("spam", ["a"], ["x"])


def test_metrics_on_a_hand_computed_example() -> None:
    # true:  p p p n n u ; predicted: p p n n p u
    true = ["positive", "positive", "positive", "negative", "negative", "neutral"]
    pred = ["positive", "positive", "negative", "negative", "positive", "neutral"]
    report = evaluate(true, pred, ("negative", "neutral", "positive"))
    assert report.n == 6
    assert report.accuracy == pytest.approx(4 / 6)
    # positive: P=2/3 R=2/3 F1=2/3; negative: P=1/2 R=1/2 F1=1/2; neutral: 1,1,1
    assert report.per_class["positive"].precision == pytest.approx(2 / 3)
    assert report.per_class["negative"].recall == pytest.approx(1 / 2)
    assert report.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    assert report.macro_recall == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    assert report.confusion == [[1, 0, 1], [0, 1, 0], [1, 0, 2]]


def test_char_hashes_never_span_two_texts() -> None:
    docs, hashes = char_ngram_hashes(["ab", "ab"], 2, 3)
    # " ab " -> 3 bigrams + 2 trigrams per text, same hashes for both texts.
    assert docs.tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 1, 1]
    assert hashes[:3].tolist() == hashes[3:6].tolist()
    featuriser = Featuriser.fit(["abc def", "abc xyz"], FeatureConfig(min_df=1))
    assert featuriser.transform(["abc"]).nnz > 0 and featuriser.transform(["qqq"]).nnz == 0


def test_read_labelled_names_the_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "d.jsonl"
    good.write_text('{"text": "hi", "label": "Positive"}\n\n{"text": "bad", "label": "negative"}\n')
    assert [r.label for r in read_labelled(good, "sentiment")] == ["positive", "negative"]
    bad = tmp_path / "b.csv"
    bad.write_text('text,label\n"ok, fine",neutral\n"multi\nline",positive\nthird,angry\n')
    with pytest.raises(ValidationFailedError, match=r"b\.csv:5: label 'angry'"):
        read_labelled(bad, "sentiment")
    nojson = tmp_path / "n.jsonl"
    nojson.write_text('{"text": "a", "label": "toxic"}\n{oops\n')
    with pytest.raises(ValidationFailedError, match=r"n\.jsonl:2: not valid JSON"):
        read_labelled(nojson, "toxicity")
    header = tmp_path / "h.csv"
    header.write_text("message,class\nx,toxic\n")
    with pytest.raises(ValidationFailedError, match="must name the columns 'text' and 'label'"):
        read_labelled(header, "toxicity")


def test_load_model_refuses_other_files(tmp_path: Path) -> None:
    other = tmp_path / "x.npz"
    np.savez(other, a=np.zeros(3))
    with pytest.raises(ValidationFailedError, match="no Vigie model metadata"):
        load_model(other)
    with pytest.raises(ValidationFailedError, match="does not exist"):
        load_model(tmp_path / "missing.npz")


def test_builtin_toxicity_if_shipped() -> None:
    model = load_builtin("toxicity")
    if model is None:
        pytest.skip("no built-in toxicity model in this checkout")
    assert model.task == "toxicity"
    assert load_builtin("toxicity") is model  # loaded once
    toxic, clean = model.predict_proba(
        ["ferme ta gueule espèce de connard", "merci beaucoup pour votre aide"]
    )
    assert toxic["toxic"] > clean["toxic"]


def test_cli_train_and_eval_end_to_end(tmp_path: Path) -> None:
    texts, labels = _sentiment_rows()
    data = tmp_path / "train.csv"
    lines = ["text,label"] + [f'"{t}",{label}' for t, label in zip(texts, labels, strict=True)]
    data.write_text("\n".join(lines) + "\n")
    held = tmp_path / "held.jsonl"
    held.write_text(
        "\n".join(
            json.dumps({"text": t, "label": label})
            for t, label in [("I love it, thank you", "positive"), ("terrible, I hate it", "negative")]
        )
    )
    out = tmp_path / "model.npz"
    runner = CliRunner()
    result = runner.invoke(app, ["train", "sentiment", "--data", str(data), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["n_train"] == len(texts) and out.is_file()
    result = runner.invoke(app, ["eval", "sentiment", "--data", str(held), "--model", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 2 and report["accuracy"] == 1.0
    assert report["confusion_matrix"] == [[1, 0, 0], [0, 0, 0], [0, 0, 1]]
    result = runner.invoke(app, ["eval", "sentiment", "--data", str(held), "--model", str(out)])
    assert "macro-F1: 1.0000" in result.stdout and "confusion matrix" in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nfine,neutral\nwhat,happy\n")
    result = runner.invoke(app, ["train", "sentiment", "--data", str(bad), "--out", str(tmp_path / "x.npz")])
    assert result.exit_code != 0
    assert "bad.csv:3" in result.output and "happy" in result.output
    result = runner.invoke(app, ["eval", "toxicity", "--data", str(held), "--model", str(out)])
    assert result.exit_code != 0


def test_macro_means_skip_labels_absent_from_data_and_predictions() -> None:
    report = evaluate(["positive", "negative"], ["positive", "positive"], ("negative", "neutral", "positive"))
    assert report.accuracy == pytest.approx(0.5)
    # negative: P 0 R 0 F1 0; positive: P 1/2 R 1 F1 2/3; neutral absent everywhere -> left out.
    assert report.macro_f1 == pytest.approx((0 + 2 / 3) / 2)
    assert report.macro_recall == pytest.approx(0.5)


def _skewed_toxicity_rows() -> tuple[list[str], list[str]]:
    """An ambiguous text that is toxic 60 % of the time, among clear examples mostly toxic."""
    texts = (
        ["bof bof"] * 40
        + [f"espece d'idiot {i}" for i in range(24)]
        + [f"merci beaucoup {i}" for i in range(4)]
    )
    labels = ["toxic"] * 24 + ["non_toxic"] * 16 + ["toxic"] * 24 + ["non_toxic"] * 4
    return texts, labels


def test_toxicity_threshold_is_chosen_for_accuracy() -> None:
    texts, labels = _skewed_toxicity_rows()
    model = train_classifier("toxicity", texts, labels)
    assert model.metadata is not None and model.metadata["cv_metric"] == "macro_f1"
    # Balanced class weights lean the ambiguous text to the rarer label; accuracy wants the majority.
    plain = train_classifier("toxicity", texts, labels, c=model.metadata["C"])
    assert plain.predict(["bof bof"]) == ["non_toxic"]
    assert model.predict(["bof bof"]) == ["toxic"]
    assert model.metadata["threshold"]["label"] == "non_toxic"
    assert model.metadata["threshold"]["p"] > 0.5
    scores = model.metadata["threshold"]["cv_scores"]
    assert scores[str(model.metadata["threshold"]["p"])] >= scores["0.5"] + training.MIN_THRESHOLD_GAIN


def test_a_threshold_worth_less_than_the_minimum_gain_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training, "MIN_THRESHOLD_GAIN", 0.5)  # more than any threshold can add here
    texts, labels = _skewed_toxicity_rows()
    model = train_classifier("toxicity", texts, labels)
    assert model.metadata is not None and model.metadata["threshold"]["p"] == 0.5
    assert model.predict(["bof bof"]) == ["non_toxic"]


def test_a_given_threshold_is_kept() -> None:
    texts, labels = _skewed_toxicity_rows()
    model = train_classifier("toxicity", texts, labels, threshold=0.5)
    assert model.metadata is not None and model.metadata["threshold"]["p"] == 0.5
    assert model.predict(["bof bof"]) == ["non_toxic"]
    with pytest.raises(ValidationFailedError, match="threshold"):
        train_classifier("sentiment", *_sentiment_rows(), threshold=0.4)


def test_cv_metric_replaces_the_tasks_metric() -> None:
    texts, labels = _skewed_toxicity_rows()
    model = train_classifier("toxicity", texts, labels, cv_metric="accuracy")
    assert model.metadata is not None and model.metadata["cv_metric"] == "accuracy"
    with pytest.raises(ValidationFailedError, match="cv_metric"):
        train_classifier("toxicity", texts, labels, cv_metric="auc")


def test_macro_f1_tasks_keep_the_even_threshold() -> None:
    texts, labels = _skewed_toxicity_rows()
    complaint_labels = ["complaint" if label == "toxic" else "not_complaint" for label in labels]
    model = train_classifier("complaint", texts, complaint_labels)
    assert model.metadata is not None and model.metadata["cv_metric"] == "macro_f1"
    assert model.metadata["threshold"]["p"] == 0.5
    assert model.predict(["bof bof"]) == ["not_complaint"]


def test_cv_can_choose_a_strong_regularisation_below_the_old_grid() -> None:
    # One feature agrees with the label on 70 % of rows, 400 are noise: the smaller C, the better.
    from scipy import sparse

    rng = np.random.default_rng(0)
    n = 300
    y = rng.integers(0, 2, n).astype(np.int64)
    signal = (y + (rng.random(n) < 0.3)) % 2
    noise = (rng.random((n, 400)) < 0.05).astype(float)
    matrix = sparse.csr_matrix(np.hstack([signal[:, None].astype(float), noise]))
    choice = training.choose_c(matrix, y, np.ones(n), 2, workers=1)
    assert min(training.DEFAULT_C_GRID) < 0.5
    assert choice.c < 0.5
    assert choice.scores[choice.c] > choice.scores[0.5]

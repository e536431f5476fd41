"""The dense lexicon block: what it measures, model format v2 with it, and v1 files without it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import dataset_dir
from vigie.analysis.classifiers import load_model, train_classifier
from vigie.analysis.classifiers.lexical import (
    _CAPS_WORD,
    FEATURE_NAMES,
    _caps_words,
    _elongations,
    _joined_code_points,
    document_matrix,
    lexicon_fingerprint,
    raw_features,
    raw_matrix,
)
from vigie.analysis.text import TRIPLED_LETTER, prepare_all
from vigie.cli.main import app
from vigie.core.errors import ValidationFailedError

TEXTS = ["I love it, great", "awful, I hate it", "the shop opens at 9", "merci, génial"] * 6
LABELS = ["positive", "negative", "neutral", "positive"] * 6


def _feature(text: str, name: str) -> float:
    return raw_features(text)[FEATURE_NAMES.index(name)]


def test_lexicon_features_read_polarity_negation_and_toxicity() -> None:
    assert _feature("I love this, great job", "en_positive") > 0
    assert _feature("I love this, great job", "en_negative") == 0
    # A negation turns a positive word into a (weaker) negative one.
    assert (
        _feature("this is not good", "en_negative") > 0 and _feature("this is not good", "en_positive") == 0
    )
    assert _feature("c'est nul, je suis déçu", "fr_negative") > 0
    assert _feature("t'es qu'un connard", "toxicity_score") > 0.5
    assert _feature("the parcel left today", "toxicity_score") == 0
    # A noisy-or over distinct words: repeating one adds nothing, a second one adds to the score.
    assert _feature("connard connard", "toxicity_score") == _feature("connard", "toxicity_score")
    assert _feature("connard et abruti", "toxicity_score") > _feature("connard", "toxicity_score")
    assert _feature("vous", "second_person") == 1 and _feature("nous", "second_person") == 0
    assert _feature("WHY is it LATE?!", "caps_words_share") == pytest.approx(2 / 4)
    assert _feature("why is it late", "caps_words_share") == 0
    assert _feature("sooooo good 😍", "emoji_positive") > 0 and _feature("sooooo good", "elongated_words") > 0
    assert len(raw_features("")) == len(FEATURE_NAMES)


def test_toxicity_score_follows_the_detectors_rules_for_words() -> None:
    # An insult or a swear word weighs more in a message aimed at someone, as in the detector.
    assert _feature("you are a jerk", "toxicity_score") > _feature("what a jerk", "toxicity_score")
    assert _feature("he is a jerk", "toxicity_score") == _feature("you are a jerk", "toxicity_score")
    # A swear word inside a longer word or a hashtag counts; a missed shot does not.
    assert _feature("#fucktrump today", "toxicity_score") == _feature("fuck today", "toxicity_score") > 0
    assert _feature("I mishit the ball", "toxicity_score") == 0
    # The batch path gives each text the values it gets alone.
    texts = ["you are a jerk", "#fucktrump", "fine thanks", "what a jerk", "shitposting again"]
    np.testing.assert_array_equal(raw_matrix(texts), np.array([raw_features(text) for text in texts]))


def test_model_with_lexical_block_round_trips_as_format_2(tmp_path: Path) -> None:
    model = train_classifier("sentiment", TEXTS, LABELS, c=1.0)
    assert model.lexical is not None and model.n_features == model.featuriser.n_features + len(FEATURE_NAMES)
    assert model.metadata is not None and model.metadata["lexicons"] == lexicon_fingerprint()
    path = model.save(tmp_path / "m.npz")
    loaded = load_model(path)
    probe = ["what a wonderful day", "terrible, never again", "", "ok"]
    assert loaded.version == model.version and loaded.version.startswith("2.")
    np.testing.assert_allclose(loaded.probabilities(probe), model.probabilities(probe), rtol=1e-6)
    # The lexicon knows words the training rows never contained.
    assert loaded.predict(["wonderful, brilliant, fantastic"]) == ["positive"]


def test_model_without_lexical_block_stays_format_1(tmp_path: Path) -> None:
    model = train_classifier("sentiment", TEXTS, LABELS, c=1.0, lexical_weight=0.0)
    path = model.save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(data["meta"].tobytes().decode("utf-8"))
        assert "lexical_mean" not in data.files
    assert meta["format_version"] == 1 and meta["lexical"] is None
    loaded = load_model(path)
    assert loaded.lexical is None and loaded.version.startswith("1.")
    assert loaded.predict(["I love it"]) == model.predict(["I love it"])


def _rewrite_meta(path: Path, change: dict[str, object]) -> Path:
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    meta.update(change)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    target = path.with_name("changed.npz")
    target.write_bytes(buffer.getvalue())
    return target


def test_a_model_saved_with_block_v1_keeps_computing_v1(tmp_path: Path) -> None:
    # Block v1 scored whole words with their plain weights: no aimed bonus, no swear word inside a word.
    aimed = ["you are a jerk", "#fucktrump today"]
    toxic = FEATURE_NAMES.index("toxicity_score")
    v1, v2 = raw_matrix(aimed, version=1)[:, toxic], raw_matrix(aimed)[:, toxic]
    assert v1[0] == _feature("what a jerk", "toxicity_score") < v2[0]
    assert v1[1] == 0 < v2[1]
    model = train_classifier("sentiment", TEXTS, LABELS, c=1.0)
    assert model.lexical is not None
    model.lexical.version = 1
    path = model.save(tmp_path / "v1.npz")
    with np.load(path, allow_pickle=False) as data:
        assert json.loads(data["meta"].tobytes().decode("utf-8"))["lexical"]["version"] == 1
    loaded = load_model(path)
    assert loaded.lexical is not None and loaded.lexical.version == 1
    probe = [*aimed, "I love it", ""]
    np.testing.assert_allclose(loaded.probabilities(probe), model.probabilities(probe), rtol=1e-6)
    np.testing.assert_array_equal(
        loaded.lexical.transform(aimed), model.lexical.scaled(raw_matrix(aimed, version=1))
    )


def test_unknown_lexical_features_or_missing_block_give_clear_errors(tmp_path: Path) -> None:
    path = train_classifier("sentiment", TEXTS, LABELS, c=1.0).save(tmp_path / "m.npz")
    future = _rewrite_meta(path, {"lexical": {"version": 99, "features": ["x"], "weight": 0.3}})
    with pytest.raises(ValidationFailedError, match="lexical features v99"):
        load_model(future)
    # Metadata saying "no block" while the weights have its columns: the file is inconsistent.
    stripped = _rewrite_meta(path, {"lexical": None})
    with pytest.raises(ValidationFailedError, match="damaged"):
        load_model(stripped)
    with pytest.raises(ValidationFailedError, match="lexical_weight"):
        train_classifier("sentiment", TEXTS, LABELS, lexical_weight=-1.0)


def test_cli_lexical_weight_zero_trains_a_format_1_model_and_negative_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    rows = [f'"{text}",{label}' for text, label in zip(TEXTS, LABELS, strict=True)]
    data.write_text("text,label\n" + "\n".join(rows) + "\n")
    out = tmp_path / "plain.npz"
    runner = CliRunner()
    args = ["train", "sentiment", "--data", str(data), "--out", str(out), "--json"]
    result = runner.invoke(app, [*args, "--lexical-weight", "0"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lexical_weight"] == 0.0
    assert load_model(out).lexical is None
    result = runner.invoke(app, [*args, "--lexical-weight", "-0.5"])
    assert result.exit_code != 0 and "--lexical-weight must be 0" in result.output


def test_the_block_of_prepared_documents_equals_the_block_of_their_texts() -> None:
    # Training reads texts, the pipeline hands over its documents: the model must see the same values.
    texts = [
        "",
        "   ",
        "I love it 😍😍 :) but NOT the delivery!!! sooooo slow",
        "T'es qu'un CONNARD, je te déteste :( 😡",
        "Ça ne marche jamais… rien, aucune réponse ?? https://t.co/x @sav_fr #colère",
        "ΟΔΟΣ ok Русский 中文 ❤ ☹ :/ http://x",
        "C'EST NUL nul nulllll, pas génial du tout",
        "merci " * 200,
    ]
    docs = prepare_all(texts, [None] * len(texts))
    assert np.array_equal(document_matrix(docs), raw_matrix(texts))
    assert document_matrix([]).shape == raw_matrix([]).shape == (0, len(FEATURE_NAMES))


def test_a_batch_gives_each_text_the_values_it_has_alone() -> None:
    # The batch code scans the texts joined: nothing may carry over from one text to the next.
    texts = [
        "NOT",
        "BAD at all",
        "cool",
        "looool",
        "aa",
        "aaah",
        "pas",
        "bien 😍",
        "😡",
        "",
        "x\x1eYES\x1eNO",
    ]
    texts += ["sooo", "NUL", ":", ")", "tu", "es nul"]
    batch = raw_matrix(texts)
    for row, text in zip(batch.tolist(), texts, strict=True):
        assert row == raw_features(text), text
    assert _feature("aaah", "elongated_words") > 0 and _feature("aa", "elongated_words") == 0


def test_caps_words_and_elongations_count_what_their_patterns_find() -> None:
    texts = [
        "", "A", "AB", "ABC def", "xAB", "ABx", "AB_", "_AB", "AB1", "1AB", "ÉCOLE", "ÀBC DÉF", "ABÇ",
        "😡NUL😡", "NUL!NUL", "A B CD", "OK\x1eOK", "ΑΒΓ ABC", "aaa", "aaaaaa", "aaaaaaa", "abc aa aaaa",
        "zzz\nzzz", "ééé", "AAA", "__aaa__", "looool", "xxxxx yyy",
    ]  # fmt: skip
    texts += (
        (dataset_dir("umsab-fr-sentiment") / "val_text.txt").read_text(encoding="utf-8").split("\n")[:500]
    )
    assert _caps_words(*_joined_code_points(texts)).tolist() == [len(_CAPS_WORD.findall(t)) for t in texts]
    assert _elongations(texts).tolist() == [len(TRIPLED_LETTER.findall(text)) for text in texts]
    lowered = [text.lower() for text in texts]
    assert _elongations(lowered).tolist() == [len(TRIPLED_LETTER.findall(text)) for text in lowered]
    assert _caps_words(*_joined_code_points([])).shape == _elongations([]).shape == (0,)

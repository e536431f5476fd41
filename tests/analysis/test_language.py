"""Language identification: py3langid's best guess is read with ``classify``, the head of ``rank``."""

from __future__ import annotations

import pytest

from vigie.analysis.language import LanguageDetector
from vigie.analysis.text import prepare


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    "text",
    [
        "",  # no feature at all: every language ties, the first listed wins both ways
        "😀😀",
        "ok",
        "merci",
        "Hola, todavía no he recibido mi pedido",
        "Hallo, ich habe meine Bestellung nicht erhalten",
        "中文字符",
        "Ça fait 3 semaines que j’attends",
    ],
)
def test_classify_is_the_head_of_rank(detector: LanguageDetector, text: str) -> None:
    identifier = detector._langid()
    assert identifier.classify(text) == identifier.rank(text)[0]


@pytest.mark.parametrize(
    ("text", "hint", "code", "confidence"),
    [
        ("Hola amigos de la casa", None, "es", None),  # another language, long enough to keep
        ("ok ok", "en", "en", 0.5),  # short and unsure: the hint
        ("ok ok", None, None, 0.4),  # short and unsure, no hint: French or English by the model's scores
    ],
)
def test_langid_cases(
    detector: LanguageDetector, text: str, hint: str | None, code: str | None, confidence: float | None
) -> None:
    result = detector.detect(prepare(text, hint))
    if code is not None:
        assert result.code == code
    if confidence is not None:
        assert result.confidence == confidence
    if code is None:
        scores = dict(detector._langid().rank(text))
        assert result.code == ("fr" if scores["fr"] >= scores["en"] else "en")


def test_the_contiguous_model_ranks_as_py3langid_does(detector: LanguageDetector) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    own = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    own.set_languages(list(detector.languages))
    ours = detector._langid()
    assert ours.nb_ptc.flags["C_CONTIGUOUS"]
    texts = ["Ça fait 3 semaines que j’attends", "ok", "Hola amigos", "", "😀 lol", "merci beaucoup !!"]
    for text in texts:
        assert ours.rank(text) == own.rank(text)

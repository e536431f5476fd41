"""The lexicon sentiment: inflected French forms, the neutral band, negation."""

from __future__ import annotations

import pytest

from vigie.analysis.schemas import LanguageResult, SentimentResult
from vigie.analysis.sentiment import lexicon, lexicon_sentiment, raw_valence
from vigie.analysis.text import prepare


def _sentiment(text: str, lang: str) -> SentimentResult:
    doc = prepare(text)
    doc.language = LanguageResult(code=lang, confidence=1.0)
    return lexicon_sentiment(doc)


def test_french_inflected_forms_share_the_valence_of_their_entry() -> None:
    words = lexicon("fr").words
    assert words["menacees"] == words["menace"] < 0
    assert words["furieuses"] == words["furieux"] < 0
    assert words["abusives"] == words["abusif"] < 0


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("Des espèces menacées de disparition", "fr", "negative"),
        ("Une innovation prometteuse, bravo à l'équipe", "fr", "positive"),
        ("La réunion a lieu jeudi à 14 h", "fr", "neutral"),
        ("The meeting is on Thursday at 2 pm", "en", "neutral"),
        ("I love this, best support ever", "en", "positive"),
        ("This is not good at all", "en", "negative"),
        ("Ce n'est pas bien du tout", "fr", "negative"),
    ],
)
def test_labels(text: str, lang: str, label: str) -> None:
    assert _sentiment(text, lang).label == label


def test_one_mild_english_word_stays_neutral() -> None:
    # The neutral band is wider than VADER's +-0.05: one mildly positive word is not enough.
    result = _sentiment("ok see you tomorrow", "en")
    assert result.label == "neutral" and result.score > 0


@pytest.mark.parametrize(
    ("text", "emoji_valence"),
    [
        ("Réunion jeudi 😡", -3.0),  # accented text with an emoji from the astral planes
        ("Réunion jeudi ☹", -1.5),  # the lowest emoji, in the basic plane
        ("Réunion jeudi ☸", 0.0),  # just below it: not an emoji of the table
        ("Réunion jeudi", 0.0),
        ("Meeting on Thursday", 0.0),
    ],
)
def test_emoji_count_in_accented_and_ascii_text(text: str, emoji_valence: float) -> None:
    doc = prepare(text)
    doc.language = LanguageResult(code="fr", confidence=1.0)
    assert raw_valence(doc, lexicon("fr")) == emoji_valence

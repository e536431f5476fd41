"""The lexicon sentiment: inflected French forms, the neutral band, negation."""

from __future__ import annotations

from importlib.resources import files

import pytest

from vigie.analysis.lexicon import parse_valences, read_rows, valence_table
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
        # Spoken French: the negation after the verb, without "ne".
        ("J'aime pas ce nouveau forfait", "fr", "negative"),
        ("Je suis pas contente du service", "fr", "negative"),
        # ... but "pas de" opens a phrase of its own: "merci" keeps its valence.
        ("Merci pas de souci", "fr", "positive"),
        # Stretched words are read as the word they stretch.
        ("C'est trooop geniaaal", "fr", "positive"),
        ("Nuuuul", "fr", "negative"),
        ("soooo gooood", "en", "positive"),
        # Everyday opinion words and insults.
        ("Un accueil chaleureux et un conseiller attentionné", "fr", "positive"),
        ("Quelle bande d'abrutis, c'est pathétique", "fr", "negative"),
    ],
)
def test_labels(text: str, lang: str, label: str) -> None:
    assert _sentiment(text, lang).label == label


def test_french_negation_after_the_verb_flips_only_the_word_before_it() -> None:
    negated = _sentiment("J'aime pas", "fr").score
    assert negated < 0
    # Not a word two tokens before "pas", and not a word after it.
    assert _sentiment("J'aime, et toi pas", "fr").score > 0
    assert _sentiment("Merci pas de souci", "fr").score > _sentiment("Pas de souci", "fr").score


def test_a_stretched_token_unknown_even_unstretched_stays_unknown() -> None:
    assert _sentiment("Rendez-vous jeudiiii", "fr").score == 0.0
    assert _sentiment("Meeeeting", "en").score == 0.0


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


def test_valence_rows_are_folded_and_kept() -> None:
    table = parse_valences("x.tsv", [(3, ("Génial", "3.0")), (7, ("pas top", "-1.5"))])
    assert table == {"genial": 3.0, "pas top": -1.5}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("rien a", "0.0"), r"x\.tsv:12 \('rien a'\): give a non-zero valence, or remove the row"),
        (("nul", "nan"), r"x\.tsv:12 \('nul'\): give a non-zero valence"),
        (("nul", "bad"), r"x\.tsv:12 \('nul'\): valence 'bad' is not a number"),
        (("nul",), r"x\.tsv:12: give 2 tab-separated fields, got 1"),
    ],
)
def test_valence_rows_that_would_do_nothing_are_refused(row: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_valences("x.tsv", [(12, row)])  # the file's line 12


def test_shipped_lexicons_have_no_idle_row() -> None:
    for name in ("sentiment_fr.tsv", "sentiment_en_extra.tsv"):
        assert len(valence_table(name)) > 30  # raises on a zero, malformed or non-numeric row


def test_data_rows_carry_their_line_in_the_file() -> None:
    lines = (files("vigie.analysis") / "data" / "sentiment_fr.tsv").read_text(encoding="utf-8").splitlines()
    for number, fields in read_rows("sentiment_fr.tsv")[:50]:
        assert lines[number - 1].split("\t")[0].strip() == fields[0]
    assert read_rows("sentiment_fr.tsv")[0][0] > 1  # the file opens with comment lines

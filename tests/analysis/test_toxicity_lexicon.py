"""The toxicity lexicon: English coverage, obfuscations, kinds, threats and language-specific words."""

from __future__ import annotations

import pytest

from vigie.analysis.lexicon import number_field
from vigie.analysis.schemas import LanguageResult, SentimentResult, ToxicityResult
from vigie.analysis.text import prepare
from vigie.analysis.toxicity import detect_toxicity, toxic_lexicon


def _toxicity(text: str, lang: str | None = None) -> ToxicityResult:
    doc = prepare(text)
    if lang is not None:
        doc.language = LanguageResult(code=lang, confidence=1.0)
    return detect_toxicity(doc)


@pytest.mark.parametrize(
    ("text", "kind", "term"),
    [
        ("what a f*ck up", "obscenity", "fuck"),
        ("this sh1t again", "obscenity", "shit"),
        ("get your a$$ over here", "obscenity", "ass"),
        ("she is a b!tch", "insult", "bitch"),
        ("total a**hole", "insult", "asshole"),
        ("you are an id10t", "insult", "idiot"),
        ("fuuuuuck this", "obscenity", "fuck"),
        ("you absolute dumbass", "insult", "dumbass"),
        ("he is such a liar", "insult", "liar"),
        ("bunch of morons", "insult", "morons"),
        ("idiots everywhere", "insult", "idiots"),
        ("what a tosser", "insult", "tosser"),
        ("you absolute jerk", "insult", "jerk"),
        ("bugger off mate", "insult", "bugger off"),
        ("an ignoramus with a microphone", "insult", "ignoramus"),
        ("you are scum of the earth", "insult", "scum of the earth"),
        ("what a waste of skin", "insult", "waste of skin"),
        ("typical leftard logic", "hate", "leftard"),
        ("you grifter and bootlicker", "insult", "bootlicker"),
    ],
)
def test_english_toxic_words_and_obfuscations(text: str, kind: str, term: str) -> None:
    result = _toxicity(text, "en")
    assert result.toxic, (text, result)
    assert kind in result.kinds
    assert term in result.terms


@pytest.mark.parametrize(
    "text",
    [
        "I hope you die",
        "he should be shot",
        "I'll find you",
        "j'espère que tu crèves",
        "ils méritent de crever",
    ],
)
def test_threats(text: str) -> None:
    result = _toxicity(text)
    assert "threat" in result.kinds, (text, result)
    assert result.toxic


@pytest.mark.parametrize(
    "text",
    [
        "I hope you enjoy the new version",
        "You should be proud of the team",
        "Great!Thanks for the help",
        "I paid $20 for it in 2024",
        "The class was assessed last week",
        "pros and cons of the premium plan",
        "Can I take a bite of the cake?",
    ],
)
def test_ordinary_english_is_not_toxic(text: str) -> None:
    result = _toxicity(text, "en")
    assert not result.toxic and result.kinds == [], (text, result)


@pytest.mark.parametrize("text", ["Je crève de faim", "Grosse journée... Crevé...", "il crève l'écran"])
def test_french_crever_is_not_always_a_threat(text: str) -> None:
    assert "threat" not in _toxicity(text, "fr").kinds


@pytest.mark.parametrize("text", ["Qu'il crève ce pourri !", "va crever", "Crève !"])
def test_french_death_wishes_are_threats(text: str) -> None:
    assert "threat" in _toxicity(text, "fr").kinds


def test_french_only_words_do_not_fire_in_english_but_do_in_french() -> None:
    assert _toxicity("bite", "en").kinds == []
    assert _toxicity("quel con", "en").kinds == []
    assert "insult" in _toxicity("quel con", "fr").kinds


def test_weak_words_only_count_together() -> None:
    assert not _toxicity("that is crazy", "en").toxic
    assert _toxicity("crazy corrupt evil hypocrites", "en").toxic


def test_aimed_insult_weighs_more() -> None:
    assert _toxicity("you are clueless", "en").score > _toxicity("clueless", "en").score


def test_plural_forms_are_matched() -> None:
    lexicon = toxic_lexicon()
    assert lexicon.words["buffoons"].term == "buffoons"
    assert lexicon.words["dimwits"].term == "dimwit"
    assert _toxicity("a pack of dimwits", "en").toxic


def test_a_derogatory_word_weighs_more_in_a_hostile_message() -> None:
    hostile, friendly = prepare("what a corrupt system"), prepare("what a corrupt system")
    hostile.sentiment = SentimentResult(label="negative", score=-0.6)
    friendly.sentiment = SentimentResult(label="positive", score=0.6)
    assert detect_toxicity(hostile).toxic
    assert not detect_toxicity(friendly).toxic


def test_hostile_tone_alone_or_with_mild_swearing_is_not_toxic() -> None:
    doc = prepare("damn, the train is late again")
    doc.sentiment = SentimentResult(label="negative", score=-0.6)
    assert not detect_toxicity(doc).toxic


def test_a_swear_word_aimed_at_someone_weighs_more() -> None:
    assert _toxicity("damn you and your lies", "en").toxic
    assert not _toxicity("damn, what a long day", "en").toxic
    assert _toxicity("get your ass over here", "en").score > _toxicity("the ass was eating hay", "en").score


@pytest.mark.parametrize("text", ["what a fucknut", "#fucktrump", "shitposting all day again"])
def test_swear_words_inside_longer_words_and_hashtags(text: str) -> None:
    result = _toxicity(text, "en")
    assert result.toxic, (text, result)
    assert "obscenity" in result.kinds


@pytest.mark.parametrize("text", ["I mishit the ball twice", "shitake mushrooms on toast"])
def test_innocent_words_holding_a_swear_word(text: str) -> None:
    assert _toxicity(text, "en").kinds == [], text


@pytest.mark.parametrize(
    "text",
    [
        "She has a BS in biology",
        "My butt hurts after the long ride",
        "Deplorable working conditions at the port",
        "a lazy Sunday on the sofa",
        "smug grin in the photo",
        "the fight against corruption in the city council",
        "drop the dead batteries at the store",
    ],
)
def test_mild_ambiguous_or_weak_words_alone_are_not_toxic(text: str) -> None:
    assert not _toxicity(text, "en").toxic, text


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("what a knucklehead", "knucklehead"),
        ("shut up you half-wit", "half wit"),
        ("he is a con artist and a charlatan", "charlatan"),
        ("total asshat move", "asshat"),
        ("that sicko again", "sicko"),
        ("you two faced snake", "two faced"),
        ("he can drop dead", "drop dead"),
        ("go die in a fire", "die in a fire"),
        ("this fkn app", "fkn"),
        ("she is smug and inept", "inept"),
        ("you are so smug", "smug"),
    ],
)
def test_more_english_insults(text: str, term: str) -> None:
    result = _toxicity(text, "en")
    assert result.toxic, (text, result)
    assert term in result.terms


def test_an_accusation_of_lying_alone_is_not_toxic() -> None:
    assert not _toxicity("she is lying about the date", "en").toxic
    assert _toxicity("you lying piece of garbage", "en").toxic


def test_talking_about_nazis_alone_is_not_toxic() -> None:
    assert not _toxicity("they fought the nazis in 1944", "en").toxic
    assert _toxicity("you nazis and fascists", "en").toxic


def test_a_data_row_whose_number_is_not_one_is_named_by_its_line() -> None:
    with pytest.raises(ValueError, match=r"toxicity\.tsv:40 \('idiot'\): weight 'high' is not a number"):
        number_field("toxicity.tsv", 40, "idiot", "weight", "high")
    assert number_field("toxicity.tsv", 40, "idiot", "weight", "0.8") == 0.8

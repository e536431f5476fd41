"""Complaint rules: the customer-care ways of saying something is wrong, and what is not a complaint."""

from __future__ import annotations

import pytest

from vigie.analysis.intents import rule_intents
from vigie.analysis.schemas import LanguageResult
from vigie.analysis.sentiment import lexicon_sentiment
from vigie.analysis.text import prepare


def _labels(text: str, lang: str) -> list[str]:
    doc = prepare(text)
    doc.language = LanguageResult(code=lang, confidence=1.0)
    doc.sentiment = lexicon_sentiment(doc)
    return rule_intents(doc).labels


@pytest.mark.parametrize(
    "text",
    [
        "@Brand my app keeps crashing since the update",
        "@Brand why is my flight delayed again?",
        "@Brand been 3 weeks and my order has yet to arrive",
        "@Brand where is my parcel?!",
        "@Brand it's not letting me log in",
        "@Brand having issues with the router, nothing works",
        "@Brand what an absolute joke, 40 minutes on hold",
        "@Brand broadband gone off again",
        "@Brand I sent my details 3 times and you never replied",
        "@Brand you are ripping us off with these fees",
        "@Brand what's going on with the 20:52 service?",
        "@Brand days late AND smashed",
        "@Brand still can't claim my account",
    ],
)
def test_english_complaints(text: str) -> None:
    assert "complaint" in _labels(text, "en"), text


@pytest.mark.parametrize(
    "text",
    [
        "@Brand do you have this jacket in medium?",
        "@Brand thanks, the new app works great",
        "What time does the store open on Sunday?",
    ],
)
def test_not_complaints(text: str) -> None:
    assert "complaint" not in _labels(text, "en"), text


def test_a_bug_report_is_also_a_complaint() -> None:
    labels = _labels("The checkout page is broken", "en")
    assert {"bug_report", "complaint"} <= set(labels)


def test_french_why_complaint() -> None:
    assert "complaint" in _labels("Pourquoi mon colis n'est toujours pas là ?", "fr")


@pytest.mark.parametrize(
    "text",
    ["J'ai un problème avec ma box depuis hier", "Conseiller très désagréable au téléphone", "Box en panne"],
)
def test_french_single_word_complaints(text: str) -> None:
    assert "complaint" in _labels(text, "fr"), text


def test_french_question_without_complaint_word() -> None:
    assert "complaint" not in _labels("Vous livrez en Belgique ?", "fr")


def test_a_negative_message_is_a_complaint_only_when_addressed_to_someone() -> None:
    assert "complaint" not in _labels("Terrible weather again, so sad today", "en")
    assert "complaint" in _labels("@Brand terrible weather again and your trains are a sad mess", "en")


@pytest.mark.parametrize(
    "text",
    [
        "@HPSupport my printer won't print in colour",
        "@Brand the app did not load all evening",
        "@Brand the pizza arrived cold and half the toppings were gone",
        "@Brand I have called you three times this week about my bill",
        "@Brand no one has dealt with the ticket I opened on Monday",
        "@Brand my new phone was supposed to arrive on Monday",
        "Thanks @Brand for losing my suitcase",
        "@Brand no hot water in the gym showers again",
        "@Brand the 8:15 was packed and dirty, not good enough",
        "@Brand the box is ripped and the lid cracked",
        "@Brand no call back and no explanation",
    ],
)
def test_english_breaches_of_expectation(text: str) -> None:
    assert "complaint" in _labels(text, "en"), text


@pytest.mark.parametrize(
    "text",
    [
        "J'ai appelé trois fois le service client cette semaine",
        "Le colis est arrivé abîmé",
        "Personne ne m'a rappelé depuis lundi",
        "Toujours pas d'eau chaude dans l'immeuble",
        "Ma commande devait arriver hier",
        "Merci pour rien, vraiment",
        "Aucun geste commercial après deux semaines de panne",
    ],
)
def test_french_breaches_of_expectation(text: str) -> None:
    assert "complaint" in _labels(text, "fr"), text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I don't print much these days, so ink lasts forever", "en"),
        ("Thanks for not giving up on me, coach!", "en"),
        ("The soup arrived hot and the bread was fresh", "en"),
        ("@Brand what time does the new store open?", "en"),
        ("Merci, de rien, à bientôt", "fr"),
        ("Le colis est arrivé en parfait état, merci", "fr"),
    ],
)
def test_look_alikes_are_not_complaints(text: str, lang: str) -> None:
    assert "complaint" not in _labels(text, lang), text


def test_a_hostile_remark_about_someone_else_is_not_a_complaint() -> None:
    # Strongly negative and addressed, but neither the author's own trouble nor about something bought.
    assert "complaint" not in _labels("@someone You're an idiot, a total disgrace.", "en")
    assert "complaint" in _labels("@Brand my experience was a total disgrace, awful.", "en")
    assert "complaint" in _labels("@BrandSupport awful, just awful.", "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@Brand no problem, I'll try again tomorrow", "en"),
        ("@BrandHelp I'm not having the same issues today, thanks", "en"),
        ("@Brand thanks for resolving my issue so quickly, great team!", "en"),
        ("Pas de souci, je repasserai demain", "fr"),
        ("Merci pour la résolution rapide de mon problème, super équipe !", "fr"),
    ],
)
def test_a_settled_or_polite_problem_is_not_a_complaint(text: str, lang: str) -> None:
    assert "complaint" not in _labels(text, lang), text


def test_a_problem_still_not_settled_is_a_complaint() -> None:
    assert "complaint" in _labels("@Brand the issue has still not been resolved, great job guys", "en")
    assert "complaint" in _labels("@Brand my issue is not fixed yet", "en")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@Brand my headphones died after two weeks", "en"),
        ("@Brand the phone keeps turning off by itself", "en"),
        ("@Brand when will the blue one be back in stock?", "en"),
        ("@Brand the voucher code is not valid at checkout", "en"),
        ("@Brand I'm locked out of my account since Friday", "en"),
        ("@Brand please look into this, order 1234", "en"),
        ("@Brand just give me my money back", "en"),
        ("@Brand still no progress on my claim", "en"),
        ("@Brand I didn't receive my parcel yet", "en"),
        ("@Brand is this your idea of customer service?", "en"),
        ("@Brand subpar service at the airport desk", "en"),
        ("C'est quoi ce service ? Remboursez-moi", "fr"),
        ("Mon compte est bloqué depuis hier", "fr"),
        ("La batterie est morte au bout de deux mois", "fr"),
        ("Encore en rupture de stock", "fr"),
    ],
)
def test_failures_and_unmet_requests_are_complaints(text: str, lang: str) -> None:
    assert "complaint" in _labels(text, lang), text


@pytest.mark.parametrize(
    "text",
    [
        "I'll never get tired of this song",
        "The party was dead until the band came on",
        "The new colours are available in store now",
    ],
)
def test_failure_look_alikes_are_not_complaints(text: str) -> None:
    assert "complaint" not in _labels(text, "en"), text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("@Brand the speaker is not connecting to my phone", "en"),
        ("@Brand the link doesn't seem to be working", "en"),
        ("@Brand they do not reply to emails", "en"),
        ("@Brand my account has been suspended for no reason", "en"),
        ("@Brand it should have been delivered on Friday", "en"),
        ("@Brand when will I get my refund?", "en"),
        ("@Brand I sent you three emails about this", "en"),
        ("@Brand I can't return the shoes in store", "en"),
        ("@Brand my router is constantly offline", "en"),
        ("Impossible de retourner l'article en magasin", "fr"),
        ("L'imprimante ne se connecte plus depuis la mise à jour", "fr"),
        ("Mon compte a été suspendu sans raison", "fr"),
        ("Le colis aurait dû être livré lundi", "fr"),
        ("J'ai envoyé trois mails sans réponse", "fr"),
    ],
)
def test_more_failures_are_complaints(text: str, lang: str) -> None:
    assert "complaint" in _labels(text, lang), text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("You should have been there, what a show", "en"),
        ("When will I see you again?", "en"),
        ("I created a new account for the club", "en"),
        ("Mon compte est à jour, merci", "fr"),
    ],
)
def test_more_look_alikes_are_not_complaints(text: str, lang: str) -> None:
    assert "complaint" not in _labels(text, lang), text


def test_crashing_or_freezing_is_a_bug_only_when_something_running_software_is_named() -> None:
    assert "bug_report" in _labels("@Brand the app keeps freezing on the login page", "en")
    assert "bug_report" in _labels("@Brand my laptop crashed twice today", "en")
    assert "bug_report" not in _labels("It's freezing this morning, wrap up warm", "en")
    assert "bug_report" not in _labels("Gonna crash on the sofa after this shift", "en")

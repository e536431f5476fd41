"""Complaint rules: the customer-care ways of saying something is wrong, and what is not a complaint."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import dataset_dir
from vigie.analysis import intents
from vigie.analysis.intents import rule_intents
from vigie.analysis.schemas import LanguageResult
from vigie.analysis.sentiment import lexicon_sentiment
from vigie.analysis.text import prepare


def _labels(text: str, lang: str) -> list[str]:
    doc = prepare(text)
    doc.language = LanguageResult(code=lang, confidence=1.0)
    doc.sentiment = lexicon_sentiment(doc)
    return rule_intents(doc).labels


COMPLAINTS = [
    # what customer care hears every day
    ("@Brand my app keeps crashing since the update", "en"),
    ("@Brand why is my flight delayed again?", "en"),
    ("@Brand been 3 weeks and my order has yet to arrive", "en"),
    ("@Brand where is my parcel?!", "en"),
    ("@Brand it's not letting me log in", "en"),
    ("@Brand having issues with the router, nothing works", "en"),
    ("@Brand what an absolute joke, 40 minutes on hold", "en"),
    ("@Brand broadband gone off again", "en"),
    ("@Brand I sent my details 3 times and you never replied", "en"),
    ("@Brand you are ripping us off with these fees", "en"),
    ("@Brand what's going on with the 20:52 service?", "en"),
    ("@Brand days late AND smashed", "en"),
    ("@Brand still can't claim my account", "en"),
    # a single word is enough
    ("J'ai un problème avec ma box depuis hier", "fr"),
    ("Conseiller très désagréable au téléphone", "fr"),
    ("Box en panne", "fr"),
    ("Pourquoi mon colis n'est toujours pas là ?", "fr"),
    # breaches of expectation
    ("@HPSupport my printer won't print in colour", "en"),
    ("@Brand the app did not load all evening", "en"),
    ("@Brand the pizza arrived cold and half the toppings were gone", "en"),
    ("@Brand I have called you three times this week about my bill", "en"),
    ("@Brand no one has dealt with the ticket I opened on Monday", "en"),
    ("@Brand my new phone was supposed to arrive on Monday", "en"),
    ("Thanks @Brand for losing my suitcase", "en"),
    ("@Brand no hot water in the gym showers again", "en"),
    ("@Brand the 8:15 was packed and dirty, not good enough", "en"),
    ("@Brand the box is ripped and the lid cracked", "en"),
    ("@Brand no call back and no explanation", "en"),
    ("J'ai appelé trois fois le service client cette semaine", "fr"),
    ("Le colis est arrivé abîmé", "fr"),
    ("Personne ne m'a rappelé depuis lundi", "fr"),
    ("Toujours pas d'eau chaude dans l'immeuble", "fr"),
    ("Ma commande devait arriver hier", "fr"),
    ("Merci pour rien, vraiment", "fr"),
    ("Aucun geste commercial après deux semaines de panne", "fr"),
    # failures and unmet requests
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
]

NOT_COMPLAINTS = [
    # questions and thanks
    ("@Brand do you have this jacket in medium?", "en"),
    ("@Brand thanks, the new app works great", "en"),
    ("What time does the store open on Sunday?", "en"),
    ("Vous livrez en Belgique ?", "fr"),
    # look-alikes
    ("I don't print much these days, so ink lasts forever", "en"),
    ("Thanks for not giving up on me, coach!", "en"),
    ("The soup arrived hot and the bread was fresh", "en"),
    ("@Brand what time does the new store open?", "en"),
    ("Merci, de rien, à bientôt", "fr"),
    ("Le colis est arrivé en parfait état, merci", "fr"),
    ("I'll never get tired of this song", "en"),
    ("The party was dead until the band came on", "en"),
    ("The new colours are available in store now", "en"),
    ("You should have been there, what a show", "en"),
    ("When will I see you again?", "en"),
    ("I created a new account for the club", "en"),
    ("Mon compte est à jour, merci", "fr"),
    # a settled or polite problem
    ("@Brand no problem, I'll try again tomorrow", "en"),
    ("@BrandHelp I'm not having the same issues today, thanks", "en"),
    ("@Brand thanks for resolving my issue so quickly, great team!", "en"),
    ("Pas de souci, je repasserai demain", "fr"),
    ("Merci pour la résolution rapide de mon problème, super équipe !", "fr"),
]


@pytest.mark.parametrize(("text", "lang"), COMPLAINTS)
def test_complaints(text: str, lang: str) -> None:
    assert "complaint" in _labels(text, lang), text


@pytest.mark.parametrize(("text", "lang"), NOT_COMPLAINTS)
def test_not_complaints(text: str, lang: str) -> None:
    assert "complaint" not in _labels(text, lang), text


def test_a_bug_report_is_also_a_complaint() -> None:
    labels = _labels("The checkout page is broken", "en")
    assert {"bug_report", "complaint"} <= set(labels)


def test_a_negative_message_is_a_complaint_only_when_addressed_to_someone() -> None:
    assert "complaint" not in _labels("Terrible weather again, so sad today", "en")
    assert "complaint" in _labels("@Brand terrible weather again and your trains are a sad mess", "en")


def test_a_hostile_remark_about_someone_else_is_not_a_complaint() -> None:
    # Strongly negative and addressed, but neither the author's own trouble nor about something bought.
    assert "complaint" not in _labels("@someone You're an idiot, a total disgrace.", "en")
    assert "complaint" in _labels("@Brand my experience was a total disgrace, awful.", "en")
    assert "complaint" in _labels("@BrandSupport awful, just awful.", "en")


def test_a_problem_still_not_settled_is_a_complaint() -> None:
    assert "complaint" in _labels("@Brand the issue has still not been resolved, great job guys", "en")
    assert "complaint" in _labels("@Brand my issue is not fixed yet", "en")


def test_crashing_or_freezing_is_a_bug_only_when_something_running_software_is_named() -> None:
    assert "bug_report" in _labels("@Brand the app keeps freezing on the login page", "en")
    assert "bug_report" in _labels("@Brand my laptop crashed twice today", "en")
    assert "bug_report" not in _labels("It's freezing this morning, wrap up warm", "en")
    assert "bug_report" not in _labels("Gonna crash on the sofa after this shift", "en")


# Messages written for the rules that have ``needs``, one or more per way of matching.
NEEDS_EXAMPLES = [
    "ça fait 3 semaines, toujours rien", "depuis 2 semaines rien", "on attend toujours", "j'attends mon colis",
    "personne ne répond", "aucune réponse à mes mails", "sans réponse depuis lundi", "vous ne répondez jamais",
    "service injoignable", "still haven't received my order", "I have not received my parcel",
    "never got my refund", "didn't receive my order", "haven't got an answer", "so disappointed", "fed up",
    "not satisfied", "wifi not working", "it isn't working", "keeps crashing", "kept freezing", "the site is down",
    "down again", "outage in my area", "you don't reply", "they never answer", "does not respond",
    "my account was suspended", "account hacked", "should've been delivered", "should have been shipped",
    "this should never have happened", "aurait dû être livré", "auraient dû arriver", "when will i get my refund",
    "when can i expect a response", "still can't log in", "still no answer", "still waiting", "still broken",
    "any update?", "eta on my order", "please help", "really?", "was supposed to arrive", "is meant to be fixed",
    "it would be nice if", "please add dark mode", "could you add a timer", "feature request", "I wish you had",
    "you should offer", "would love to see", "add an option", "suggestion: more colours", "want to buy",
    "where can i buy", "how much is it", "in stock?", "is it available", "do you ship to Canada",
    "take my money", "added to cart", "can i order",
]  # fmt: skip


def test_every_match_of_a_rule_holds_one_of_its_needs() -> None:
    # ``Rule.needs`` is written by hand next to each pattern, to skip the pattern when no need is in the
    # text; a pattern that can match without one would silently lose those matches.
    texts = NEEDS_EXAMPLES + [text for text, _ in COMPLAINTS]
    for name, path in (("complaints", "complaints-data.csv"), ("umsab-fr-sentiment", "train_text.txt")):
        try:
            folder = dataset_dir(name)
        except pytest.skip.Exception:
            continue  # the written examples still run
        with (folder / path).open(encoding="utf-8", newline="") as handle:
            texts += (
                [row[1] for row in csv.reader(handle)]
                if path.endswith(".csv")
                else handle.read().splitlines()
            )
    folded = [prepare(text).folded for text in texts]
    ruled = [rule for rule in intents.RULES if rule.needs]
    assert len(ruled) >= 10
    matched: set[str] = set()
    for rule in ruled:
        for text in folded:
            if rule.pattern.search(text) is not None:
                matched.add(text)
                assert any(need in text for need in rule.needs), (rule.key, rule.pattern.pattern[:60], text)
    assert {prepare(text).folded for text in NEEDS_EXAMPLES} <= matched  # each example reaches a rule

"""The pure pipeline: the must-show example, intents, toxicity, PII, topics, language, influence."""

from __future__ import annotations

import json

import pytest

from vigie.analysis.pii import iban_valid, luhn_valid
from vigie.analysis.pipeline import Pipeline, TextItem, analyse
from vigie.analysis.schemas import AuthorContext
from vigie.analysis.topics import emerging_topics
from vigie.core.errors import ValidationFailedError

MUST_SHOW = "Ça fait 3 semaines que j'attends mon remboursement, je veux parler à un responsable !"

TOPICS = [
    {"key": "delivery", "name": {"fr": "Livraison"}, "keywords": {"fr": ["livraison", "colis", "pas reçu"], "en": ["delivery", "parcel", "not received"]}},
    {"key": "refund", "name": {"fr": "Remboursement"}, "keywords": {"fr": ["remboursement", "rembourser"], "en": ["refund", "money back"]}},
    {"key": "app_bug", "name": {"fr": "Appli"}, "keywords": {"fr": ["appli", "mise à jour"], "en": ["app", "crash"]}},
]  # fmt: skip


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.build(topics=TOPICS)


def test_must_show_example() -> None:
    result = analyse(MUST_SHOW).to_dict()
    assert result["language"]["code"] == "fr"
    assert result["sentiment"]["label"] == "negative"
    assert "complaint" in result["intents"]["labels"]
    assert "manager_demand" in result["intents"]["labels"]
    assert result["priority"]["level"] in ("high", "urgent")
    json.dumps(result)  # JSON-serialisable
    for task in ("language", "sentiment", "toxicity", "intents", "topics", "pii"):
        assert result[task]["analyser"]["name"] and result[task]["analyser"]["version"]


INTENT_CASES = [
    ("question", "fr", "Comment je fais pour suivre mon colis"),
    ("question", "en", "How can I track my parcel"),
    ("complaint", "fr", "Toujours pas reçu ma commande, c'est inadmissible"),
    ("complaint", "en", "I still haven't received my order, this is unacceptable"),
    ("praise", "fr", "Bravo à toute l'équipe, livraison au top !"),
    ("praise", "en", "Thank you so much, great service as always"),
    ("bug_report", "fr", "L'appli plante à chaque fois que j'ouvre mon panier"),
    ("bug_report", "en", "The app keeps crashing when I open my cart"),
    ("feature_request", "fr", "Ce serait bien de pouvoir choisir un créneau de livraison"),
    ("feature_request", "en", "It would be great if you could add a dark mode to the app"),
    ("manager_demand", "fr", "Je veux parler à votre directeur immédiatement"),
    ("manager_demand", "en", "I want to speak to a manager right now"),
    ("legal_threat", "fr", "Je vais porter plainte et contacter mon avocat"),
    ("legal_threat", "en", "I will sue you, my lawyer will be in touch"),
    ("churn_threat", "fr", "C'est la dernière fois que je commande chez vous, je passe chez la concurrence"),
    ("churn_threat", "en", "I'm cancelling my subscription, never ordering from you again"),
    ("purchase_intent", "fr", "Je voudrais commander la bouilloire rouge, elle est disponible ?"),
    ("purchase_intent", "en", "I want to buy the red kettle, is it in stock?"),
]


@pytest.mark.parametrize(("intent", "lang", "text"), INTENT_CASES)
def test_intents_fr_en(pipeline: Pipeline, intent: str, lang: str, text: str) -> None:
    result = analyse(text, pipeline=pipeline)
    assert result.language.code == lang
    assert intent in result.intents.labels, result.intents.evidence


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("legal_threat", "Je ne vais pas porter plainte, je veux juste mon colis"),
        ("legal_threat", "Don't worry, I won't sue anyone, just send my parcel"),
        ("churn_threat", "Je ne vais pas résilier mon abonnement pour si peu"),
        ("praise", "Pas bravo du tout pour ce retard"),
        ("manager_demand", "Pas besoin de parler à un responsable, merci"),
    ],
)
def test_negated_intents_do_not_count(pipeline: Pipeline, intent: str, text: str) -> None:
    assert intent not in analyse(text, pipeline=pipeline).intents.labels


def test_several_intents_at_once(pipeline: Pipeline) -> None:
    labels = analyse(
        "Colis jamais reçu, je vais porter plainte. Pourquoi personne ne répond ?", pipeline=pipeline
    ).intents.labels
    assert {"complaint", "legal_threat", "question"} <= set(labels)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Espèce de connard, vous êtes des incapables", "insult"),
        ("c*nnard va", "insult"),
        ("t'es qu'un c0nnard", "insult"),
        ("CONNNNNARD", "insult"),
        ("You stupid asshole", "insult"),
        ("what a f**king joke", "obscenity"),
        ("Je vais te retrouver et te buter", "threat"),
        ("I know where you live, watch your back", "threat"),
        ("sale arabe dégage", "hate"),
        ("Putain de merde", "obscenity"),
        ("this is bullshit", "obscenity"),
    ],
)
def test_toxicity_kinds(pipeline: Pipeline, text: str, kind: str) -> None:
    toxicity = analyse(text, pipeline=pipeline).toxicity
    assert kind in toxicity.kinds, (text, toxicity)
    assert toxicity.score > 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Merci pour votre réponse rapide",
        "Thanks, the parcel arrived today",
        "Le concombre est arrivé en bon état",
        "Class of 2015",
    ],
)
def test_clean_texts_are_not_toxic(pipeline: Pipeline, text: str) -> None:
    toxicity = analyse(text, pipeline=pipeline).toxicity
    assert not toxicity.toxic and toxicity.kinds == []  # a shipped model may add a small score


def test_threat_makes_priority_urgent(pipeline: Pipeline) -> None:
    assert analyse("Je vais te retrouver et te buter", pipeline=pipeline).priority.level == "urgent"


def test_luhn_and_iban_checks() -> None:
    assert luhn_valid("4539578763621486")
    assert not luhn_valid("4539578763621487")
    assert iban_valid("FR76 3000 6000 0112 3456 7890 189")
    assert not iban_valid("FR76 3000 6000 0112 3456 7890 188")
    assert iban_valid("GB82WEST12345698765432")


def test_pii_found_and_masked(pipeline: Pipeline) -> None:
    text = (
        "Mon mail jean.dupont@example.fr, tel 06 12 34 56 78, carte 4539 5787 6362 1486, "
        "IBAN FR76 3000 6000 0112 3456 7890 189, j'habite 12 rue des Lilas 75011 Paris"
    )
    pii = analyse(text, pipeline=pipeline).pii
    assert pii.kinds == ["address", "card", "email", "iban", "phone"]
    dumped = json.dumps(pii.to_dict())
    assert "jean.dupont" not in dumped and "4539578763621486" not in dumped and "3456 7890" not in dumped


def test_pii_invalid_numbers_ignored(pipeline: Pipeline) -> None:
    pii = analyse(
        "carte 4539 5787 6362 1487 et IBAN FR76 3000 6000 0112 3456 7890 188", pipeline=pipeline
    ).pii
    assert "card" not in pii.kinds and "iban" not in pii.kinds
    assert analyse("+44 20 7946 0958 call me", pipeline=pipeline).pii.kinds == ["phone"]


def test_topics_accent_case_and_plural_insensitive(pipeline: Pipeline) -> None:
    result = analyse(
        "LIVRAISONS en retard et colis PAS RECU, je veux être remboursé... le remboursement !",
        pipeline=pipeline,
    )
    assert result.topics.keys == ["delivery", "refund"]
    assert "pas reçu" in result.topics.matches["delivery"]
    assert analyse("The new app update crashes", pipeline=pipeline).topics.keys == ["app_bug"]
    assert analyse("Bonne journée à tous", pipeline=pipeline).topics.keys == []


def test_emerging_topics_find_new_frequent_terms() -> None:
    window = [f"Rappel produit: la bouilloire Zephyr fuit encore, message {i}" for i in range(4)] + [
        "Ma livraison est en retard",
        "Bonne journée",
    ]
    baseline = ["Ma livraison est en retard", "Merci beaucoup", "Super produit"] * 5
    from vigie.analysis.topics import TopicMatcher, topics_from_spec

    matcher = TopicMatcher(topics_from_spec(TOPICS))
    terms = [t.term for t in emerging_topics(window, matcher=matcher, baseline=baseline, min_messages=3)]
    assert any("zephyr" in t for t in terms)
    assert not any("livraison" in t for t in terms)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("merci !", "fr"),
        ("Bonjour, je n'ai pas reçu ma commande", "fr"),
        ("Hello, I did not get my order", "en"),
        ("Hola, todavía no he recibido mi pedido y estoy muy enfadado con el servicio", "es"),
        ("Hallo, ich habe meine Bestellung immer noch nicht erhalten, das ist nicht gut", "de"),
    ],
)
def test_language(pipeline: Pipeline, text: str, lang: str) -> None:
    assert analyse(text, pipeline=pipeline).language.code == lang


def test_sentiment_both_languages(pipeline: Pipeline) -> None:
    assert (
        analyse("Service impeccable, livreur très sympa, merci !", pipeline=pipeline).sentiment.label
        == "positive"
    )
    assert (
        analyse("Je ne suis pas content du tout, produit cassé", pipeline=pipeline).sentiment.label
        == "negative"
    )
    assert analyse("I love this kettle, amazing quality", pipeline=pipeline).sentiment.label == "positive"
    assert (
        analyse("This is not good at all, terrible experience", pipeline=pipeline).sentiment.label
        == "negative"
    )
    assert analyse("Mon colis arrive demain", pipeline=pipeline).sentiment.label == "neutral"


def test_author_influence_raises_priority(pipeline: Pipeline) -> None:
    text = "Toujours pas reçu ma commande"
    plain = analyse(text, pipeline=pipeline)
    journalist = AuthorContext(handle="@presse", followers=250_000, labels=("journalist",), complaints=4)
    loud = analyse(text, pipeline=pipeline, author=journalist)
    assert loud.author is not None and loud.author.score > 0.6
    assert loud.priority.score > plain.priority.score
    assert any("journalist" in r for r in loud.priority.reasons)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValidationFailedError, match="empty"):
        analyse("   ")
    with pytest.raises(ValidationFailedError, match="string"):
        analyse(42)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailedError, match="keywords"):
        Pipeline.build(topics=[{"key": "x", "keywords": "colis"}])


def test_analyse_batch_equals_finishing_each_text_analysis(pipeline: Pipeline) -> None:
    journalist = AuthorContext(handle="@presse", followers=250_000, labels=("journalist",), complaints=4)
    items = [
        TextItem(MUST_SHOW, "fr", journalist),
        TextItem("I love this kettle, amazing quality", None, None),
        TextItem(
            "Je vais porter plainte, mon mail jean.dupont@example.fr", "fr", AuthorContext(followers=12)
        ),
        TextItem("😡😡", None, journalist),
        TextItem("", None, None),
        TextItem("a\x1eb", None, None),  # the batch separator inside a text
        TextItem(("Livraison ratée, cœur brisé 😭 but the refund came fast! " * 300).strip(), None, None),
    ]
    batch = [analysis.to_dict() for analysis in pipeline.analyse_batch(items)]
    one_by_one = [
        pipeline.finish(partial, item.author).to_dict()
        for partial, item in zip(pipeline.analyse_texts(items), items, strict=True)
    ]
    assert batch == one_by_one
    assert batch[0]["author"] is not None and batch[1]["author"] is None

"""The charter check: behaviour on the cases the issue names, plus the hard ones."""

from __future__ import annotations

from datetime import date

import pytest

from vigie.governance.charter import CharterConfig, CheckContext, check_text
from vigie.governance.findings import Category, Finding, Severity, Unit

COLIBRI = CharterConfig.from_workspace_spec(
    {
        "slug": "colibri",
        "name": "Colibri",
        "contacts": {
            "emails": ["service-client@colibri.fr", "presse@colibri.fr"],
            "phones": ["+33 4 72 00 00 00", "0 800 00 00 00"],
            "addresses": ["12 rue des Artisans, 69002 Lyon"],
            "urls": ["https://www.colibri.fr"],
            "handles": ["@colibri"],
        },
    },
    {
        "competitors": ["Maison Plus"],
        "brand_terms": {"forbidden": [{"term": "low cost", "lang": "fr", "suggestion": "petits prix"}]},
        "spelling": {"ignore": ["Colibrix"]},
    },
)
CTX = CheckContext(today=date(2026, 11, 20))


def run(text: str, lang: str | None = None, context: CheckContext = CTX) -> list[Finding]:
    return check_text(text, lang=lang, config=COLIBRI, context=context)


def cats(text: str, lang: str | None = None) -> set[str]:
    return {f.category.value for f in run(text, lang)}


def test_must_show_refund_and_deadline_with_spans() -> None:
    text = "Nous vous remboursons 80 € d'ici vendredi"
    findings = run(text, "fr")
    refund = [f for f in findings if f.category == Category.COMMITMENT_REFUND]
    deadline = [f for f in findings if f.category == Category.COMMITMENT_DEADLINE]
    assert len(refund) == 1 and len(deadline) == 1
    assert refund[0].amount is not None
    assert (refund[0].amount.value, refund[0].amount.unit) == (80.0, Unit.EUR)
    assert "rembours" in text[refund[0].start : refund[0].end]
    assert "80 €" in text[refund[0].start : refund[0].end]
    assert text[deadline[0].start : deadline[0].end] == "d'ici vendredi"
    assert deadline[0].date == "d'ici vendredi"
    assert refund[0].severity == Severity.NEEDS_APPROVAL
    assert [f.start for f in findings] == sorted(f.start for f in findings)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Nous vous remboursons 80€.", 80.0, Unit.EUR),
        ("We'll refund €80 today.", 80.0, Unit.EUR),
        ("Vous serez remboursé de 80,50 € rapidement.", 80.5, Unit.EUR),
        ("Vous serez remboursé de 1 234,56 € rapidement.", 1234.56, Unit.EUR),
        ("We will refund you EUR 80.", 80.0, Unit.EUR),
        ("We'll refund $20.", 20.0, Unit.USD),
        ("We'll refund you 20 dollars.", 20.0, Unit.USD),
        ("We'll refund £15 to your card.", 15.0, Unit.GBP),
        ("We'll refund you 15 pounds.", 15.0, Unit.GBP),
        ("Nous vous remboursons dix euros.", 10.0, Unit.EUR),
        ("We'll refund ten euros.", 10.0, Unit.EUR),
    ],
)
def test_refund_amount_in_every_format(text: str, value: float, unit: Unit) -> None:
    refunds = [f for f in run(text) if f.category == Category.COMMITMENT_REFUND]
    assert len(refunds) == 1
    assert refunds[0].amount is not None
    assert (refunds[0].amount.value, refunds[0].amount.unit) == (value, unit)


@pytest.mark.parametrize("text", ["Nous vous offrons 10 % de réduction.", "We'd like to offer you 10% off."])
def test_discount_percent(text: str) -> None:
    found = [f for f in run(text) if f.category == Category.COMMITMENT_DISCOUNT]
    assert found and found[0].amount is not None
    assert (found[0].amount.value, found[0].amount.unit) == (10.0, Unit.PERCENT)


@pytest.mark.parametrize(
    "text",
    [
        "We cannot refund opened items.",
        "Nous ne pouvons pas vous rembourser cet article.",
        "Aucun remboursement n'est possible après 30 jours.",
        "Un remboursement n'est pas possible pour cet article.",
        "Vous pouvez demander un remboursement depuis votre espace client.",
    ],
)
def test_negated_or_requested_refund_is_not_a_commitment(text: str) -> None:
    assert "commitment.refund" not in cats(text)


@pytest.mark.parametrize(
    "text", ["If it is lost we will refund you.", "Si le colis est perdu, nous vous rembourserons."]
)
def test_conditional_refund_is_a_commitment(text: str) -> None:
    assert "commitment.refund" in cats(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sorry to hear that.", False),
        ("Désolés d'apprendre ce souci.", False),
        ("Je comprends votre frustration.", False),
        ("We apologise for the delay.", True),
        ("Nous vous présentons nos excuses.", True),
        ("Toutes nos excuses pour ce retard.", True),
        ("We're sorry for our mistake.", True),
        ("Navrés pour ce désagrément.", True),
    ],
)
def test_empathy_is_not_an_apology(text: str, expected: bool) -> None:
    assert ("commitment.apology" in cats(text)) is expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Votre colis partira avant le 12 mars.", "2027-03-12"),
        ("We'll ship it by 12 March.", "2027-03-12"),
        ("Réponse sous 48 h.", "sous 48 h"),
        ("It will arrive within 48 hours.", "within 48 hours"),
        ("Vous le recevrez dans 3 jours.", "dans 3 jours"),
        ("It will arrive tomorrow.", "tomorrow"),
        ("Le colis arrivera demain.", "demain"),
        ("We'll send it by Friday.", "by Friday"),
    ],
)
def test_deadline_gives_iso_or_expression(text: str, value: str) -> None:
    found = [f for f in run(text) if f.category == Category.COMMITMENT_DEADLINE]
    assert [f.date for f in found] == [value]
    assert text[found[0].start : found[0].end]


def test_past_date_is_not_a_deadline() -> None:
    assert "commitment.deadline" not in cats("Votre colis a été livré le 3 mars d'après le suivi.")


def test_org_contacts_are_not_personal_data_but_customer_data_is() -> None:
    text = (
        "Écrivez à service-client@colibri.fr ou au 04 72 00 00 00, ou au 12 rue des Artisans, 69002 Lyon. "
        "Nous avons noté jean.dupont@gmail.com et le 06 12 34 56 78."
    )
    found = {(f.category.value, text[f.start : f.end]) for f in run(text)}
    assert ("personal_data.email", "jean.dupont@gmail.com") in found
    assert ("personal_data.phone", "06 12 34 56 78") in found
    assert not any("colibri.fr" in ev or "04 72" in ev or "Artisans" in ev for _, ev in found)


@pytest.mark.parametrize(
    "text",
    [
        "Nous voyons la carte finissant par 4242.",
        "We can see the card ending in 4242.",
        "Votre IBAN FR76 3000 6000 0112 3456 7890 189 est enregistré.",
        "La carte 4111 1111 1111 1111 a été refusée.",
    ],
)
def test_payment_data_even_partial(text: str) -> None:
    found = [f for f in run(text) if f.category == Category.PERSONAL_DATA_PAYMENT]
    assert found and found[0].severity == Severity.BLOCK


def test_personal_data_in_a_private_reply_is_only_a_warning() -> None:
    found = run("Nous avons noté jean.dupont@gmail.com.", context=CheckContext(public=False))
    assert [f.severity for f in found if f.category == Category.PERSONAL_DATA_EMAIL] == [Severity.WARN]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Comme déjà expliqué, lisez les CGV.", "tone.aggressive"),
        ("Merci pour ce magnifique commentaire 🙄", "tone.aggressive"),
        ("As we already told you, read the terms.", "tone.aggressive"),
        ("Bravo pour votre patience... not", "tone.aggressive"),
        ("Shut up, you moron.", "tone.insult"),
        ("C'est de notre faute.", "legal.liability"),
        ("UPS lost it.", "legal.liability"),
        ("La faute à Chronopost.", "legal.liability"),
        ("This pan is totally safe.", "legal.health_safety"),
        ("Ce produit est sans danger.", "legal.health_safety"),
        ("Le meilleur du marché.", "legal.absolute_claim"),
        ("Garanti à vie.", "legal.absolute_claim"),
        ("Unlike Amazon, we don't scam you.", "legal.competitor"),
        ("Contrairement à Maison Plus, nous livrons vite.", "legal.competitor"),
    ],
)
def test_legal_and_tone(text: str, category: str) -> None:
    assert category in cats(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nous entendons votre colère et restons disponibles en message privé pour trouver une solution.",
        "Thanks for the feedback, even if it's harsh. We'll pass it on to the team.",
        "Votre retard de livraison est dû à la météo, le colis repart demain matin.",
        "Best regards, the Colibri team. We always do our best.",
    ],
)
def test_polite_answers_stay_clean(text: str) -> None:
    assert not {c for c in cats(text) if c.startswith(("tone.", "legal."))}


def test_spelling_flags_mistakes_not_handles_links_or_brand() -> None:
    text = "Bonjour, votre comande est partie. Suivez @colibri_fr, #Colibri et https://www.colibri.fr/aide ; le SAV et Colibrix aussi."
    found = [f for f in run(text, "fr") if f.category == Category.SPELLING]
    assert [text[f.start : f.end] for f in found] == ["comande"]
    assert found[0].suggestion == "commande"


def test_brand_term_channel_length_and_language_mismatch() -> None:
    ctx = CheckContext(channel="x", max_length=40, in_reply_to_lang="en", today=date(2026, 11, 20))
    text = "Bonjour, nos prix low cost sont là pour vous et votre famille."
    found = run(text, "fr", ctx)
    by_cat = {f.category: f for f in found}
    assert by_cat[Category.BRAND_TERM].suggestion == "petits prix"
    assert (by_cat[Category.CHANNEL_LENGTH].start, by_cat[Category.CHANNEL_LENGTH].end) == (40, len(text))
    assert (by_cat[Category.LANGUAGE_MISMATCH].start, by_cat[Category.LANGUAGE_MISMATCH].end) == (
        0,
        len(text),
    )
    assert "anglais" in by_cat[Category.LANGUAGE_MISMATCH].message


def test_charter_rules_override_severity_and_disable() -> None:
    config = CharterConfig.from_workspace_spec(
        {"name": "Colibri"},
        {
            "rules": [
                {"category": "commitment.apology", "severity": "warn"},
                {"category": "spelling", "severity": "warn", "enabled": False},
            ]
        },
    )
    found = check_text("We apologise, our comande is late.", lang="en", config=config, context=CTX)
    assert [(f.category, f.severity) for f in found] == [(Category.COMMITMENT_APOLOGY, Severity.WARN)]


def test_messages_follow_the_writer_language() -> None:
    fr = run("Nous vous remboursons 80 €.", "fr")[0].message
    en = run("Nous vous remboursons 80 €.", "en")[0].message
    assert "remboursement" in fr and "Refund" in en


def test_example_workspace_builds_a_config() -> None:
    from vigie.workspace.loader import example_workspace_dir, load_workspace_dir

    spec = load_workspace_dir(example_workspace_dir())
    config = CharterConfig.from_workspace_spec(spec.workspace, spec.charter)
    found = check_text("Bonjour, votre opérateur vous rappelle.", lang="fr", config=config, context=CTX)
    assert [(f.category, f.suggestion) for f in found] == [(Category.BRAND_TERM, "conseiller")]


def test_labelled_set_is_large_and_consistent() -> None:
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "replies_labelled.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 250
    assert {r["split"] for r in records} == {"dev", "holdout", "fresh", "fresh2"}
    for rec in records:
        for exp in rec["expected"]:
            assert 0 <= exp["start"] < exp["end"] <= len(rec["text"])

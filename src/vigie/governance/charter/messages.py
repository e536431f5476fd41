"""Explanations shown to the writer, in French or English."""

from __future__ import annotations

from vigie.governance.findings import Category

_MESSAGES: dict[Category, tuple[str, str]] = {
    Category.COMMITMENT_APOLOGY: (
        "Excuses au nom de l'organisation : « {evidence} ».",
        'Apology on the organisation\'s behalf: "{evidence}".',
    ),
    Category.COMMITMENT_REFUND: (
        "Engagement de remboursement{amount_fr} : « {evidence} ».",
        'Refund commitment{amount_en}: "{evidence}".',
    ),
    Category.COMMITMENT_COMPENSATION: (
        "Engagement de compensation{amount_fr} : « {evidence} ».",
        'Compensation commitment{amount_en}: "{evidence}".',
    ),
    Category.COMMITMENT_DISCOUNT: (
        "Réduction promise{amount_fr} : « {evidence} ».",
        'Discount promised{amount_en}: "{evidence}".',
    ),
    Category.COMMITMENT_DEADLINE: (
        "Promesse de délai ({date}) : « {evidence} ».",
        'Deadline promised ({date}): "{evidence}".',
    ),
    Category.LEGAL_LIABILITY: (
        "Reconnaissance de responsabilité ou mise en cause d'un partenaire : « {evidence} ».",
        'Admits liability or blames a partner: "{evidence}".',
    ),
    Category.LEGAL_HEALTH_SAFETY: (
        "Affirmation sur la santé ou la sécurité, à faire valider : « {evidence} ».",
        'Health or safety statement, needs validation: "{evidence}".',
    ),
    Category.LEGAL_ABSOLUTE_CLAIM: (
        "Affirmation absolue ou garantie difficile à prouver : « {evidence} ».",
        'Absolute claim or guarantee that is hard to prove: "{evidence}".',
    ),
    Category.LEGAL_COMPETITOR: (
        "Propos dénigrant un concurrent : « {evidence} ».",
        'Disparages a competitor: "{evidence}".',
    ),
    Category.PERSONAL_DATA_EMAIL: (
        "Adresse e-mail personnelle dans la réponse : « {evidence} ».",
        'Personal e-mail address in the reply: "{evidence}".',
    ),
    Category.PERSONAL_DATA_PHONE: (
        "Numéro de téléphone personnel dans la réponse : « {evidence} ».",
        'Personal phone number in the reply: "{evidence}".',
    ),
    Category.PERSONAL_DATA_PAYMENT: (
        "Donnée de paiement (carte, IBAN) dans la réponse : « {evidence} ».",
        'Payment data (card, IBAN) in the reply: "{evidence}".',
    ),
    Category.PERSONAL_DATA_ADDRESS: (
        "Adresse postale personnelle dans la réponse : « {evidence} ».",
        'Personal postal address in the reply: "{evidence}".',
    ),
    Category.TONE_INSULT: (
        "Terme insultant ou grossier : « {evidence} ».",
        'Insulting or offensive word: "{evidence}".',
    ),
    Category.TONE_AGGRESSIVE: (
        "Ton agressif, condescendant ou sarcastique : « {evidence} ».",
        'Aggressive, condescending or sarcastic tone: "{evidence}".',
    ),
    Category.SPELLING: (
        "Mot inconnu, faute probable : « {evidence} ».",
        'Unknown word, probable misspelling: "{evidence}".',
    ),
    Category.BRAND_TERM: (
        "Vocabulaire à éviter selon la charte : « {evidence} »{reason_fr}.",
        'Wording the charter asks to avoid: "{evidence}"{reason_en}.',
    ),
    Category.CHANNEL_LENGTH: (
        "Texte trop long pour {channel} : {length} caractères pour {limit} autorisés.",
        "Text too long for {channel}: {length} characters, {limit} allowed.",
    ),
    Category.LANGUAGE_MISMATCH: (
        "Réponse en {draft_lang_fr} à un message en {customer_lang_fr}.",
        "Reply in {draft_lang_en} to a message in {customer_lang_en}.",
    ),
}

_LANG_NAMES = {"fr": ("français", "French"), "en": ("anglais", "English")}


def lang_name(code: str, writer_lang: str) -> str:
    names = _LANG_NAMES.get(code)
    if names is None:
        return code
    return names[0] if writer_lang == "fr" else names[1]


def message(category: Category, writer_lang: str, **values: str) -> str:
    fr, en = _MESSAGES[category]
    template = fr if writer_lang == "fr" else en
    defaults = {
        "evidence": "",
        "amount_fr": "",
        "amount_en": "",
        "date": "",
        "reason_fr": "",
        "reason_en": "",
        "channel": "",
        "length": "",
        "limit": "",
        "draft_lang_fr": "",
        "draft_lang_en": "",
        "customer_lang_fr": "",
        "customer_lang_en": "",
    }
    defaults.update(values)
    return template.format(**defaults)

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

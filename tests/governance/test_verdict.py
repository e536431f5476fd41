"""The verdict rules, from findings and a mandate. Pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from vigie.governance.findings import Amount, Category, Finding, Severity, Unit
from vigie.governance.mandates import MandateBook, ScopeContext
from vigie.governance.verdict import Verdict, VerdictResult, decide
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir

TODAY = date(2026, 11, 18)  # a Wednesday: "vendredi" is 2 days ahead


@pytest.fixture(scope="module")
def book() -> MandateBook:
    spec = load_workspace_dir(example_workspace_dir())
    return MandateBook(spec.mandates.roles, {m.key: tuple(m.roles) for m in spec.team.members}, today=TODAY)


def f(category: Category, severity: Severity = Severity.NEEDS_APPROVAL, **kw: object) -> Finding:
    return Finding(category, severity, 0, 4, category.value, **kw)  # type: ignore[arg-type]


def verdict_for(
    book: MandateBook, writer: str, findings: list[Finding], **ctx: object
) -> tuple[Verdict, VerdictResult]:
    context = ScopeContext(**{"channel": "x", "lang": "fr", **ctx})  # type: ignore[arg-type]
    result = decide(findings, book.for_actor(writer), context=context, today=TODAY, book=book, writer=writer)
    return result.verdict, result


def test_block_finding_blocks_even_a_spokesperson(book: MandateBook) -> None:
    v, result = verdict_for(book, "marc", [f(Category.PERSONAL_DATA_EMAIL, Severity.BLOCK)])
    assert v is Verdict.BLOCKED
    assert "personal_data.email" in result.reasons[0]


def test_commitment_within_limits_publishes(book: MandateBook) -> None:
    findings = [
        f(Category.COMMITMENT_REFUND, amount=Amount(50, Unit.EUR)),
        f(Category.COMMITMENT_DEADLINE, date="vendredi"),
        f(Category.COMMITMENT_APOLOGY, Severity.WARN),
    ]
    assert verdict_for(book, "camille", findings)[0] is Verdict.PUBLISH


def test_commitment_beyond_limits_needs_approval_whatever_its_severity(book: MandateBook) -> None:
    v, result = verdict_for(
        book, "camille", [f(Category.COMMITMENT_REFUND, Severity.WARN, amount=Amount(80, Unit.EUR))]
    )
    assert v is Verdict.NEEDS_APPROVAL
    assert result.approvers.members == ("hugo", "marc", "nadia", "sarah")
    assert "80 EUR exceeds your limit of 50 EUR" in result.reasons[0]


def test_discount_not_allowed_for_junior(book: MandateBook) -> None:
    v, result = verdict_for(book, "lucas", [f(Category.COMMITMENT_DISCOUNT, amount=Amount(10, Unit.PERCENT))])
    assert v is Verdict.NEEDS_APPROVAL
    assert result.approvers.roles == ("community-lead", "senior-cm", "spokesperson")


def test_legal_warn_is_only_a_warning_but_needs_approval_is_judged(book: MandateBook) -> None:
    assert (
        verdict_for(book, "camille", [f(Category.LEGAL_ABSOLUTE_CLAIM, Severity.WARN)])[0] is Verdict.PUBLISH
    )
    v, result = verdict_for(book, "camille", [f(Category.LEGAL_LIABILITY)], channel="email")
    assert v is Verdict.NEEDS_APPROVAL
    assert result.approvers.members == ("claire",)
    # Legal itself holds legal_position.
    assert verdict_for(book, "claire", [f(Category.LEGAL_LIABILITY)], channel="email")[0] is Verdict.PUBLISH


def test_review_findings_need_someone_with_official_statement(book: MandateBook) -> None:
    v, result = verdict_for(book, "marc", [f(Category.TONE_AGGRESSIVE)])
    # Even the spokesperson needs a second pair of eyes; nobody else holds official_statement.
    assert v is Verdict.NEEDS_APPROVAL
    assert result.approvers.empty
    assert "nobody else" in result.reasons[-1]
    v, result = verdict_for(book, "sarah", [f(Category.TONE_AGGRESSIVE)])
    assert result.approvers.members == ("marc",)
    reviewer = decide(
        [f(Category.TONE_AGGRESSIVE)],
        book.for_member("marc"),
        context=ScopeContext(channel="x", lang="fr"),
        today=TODAY,
        as_reviewer=True,
    )
    assert reviewer.verdict is Verdict.PUBLISH


def test_scope_outside_the_mandate_needs_approval(book: MandateBook) -> None:
    v, result = verdict_for(book, "ines", [], channel="x", topics=("app_bug",))
    assert v is Verdict.NEEDS_APPROVAL
    assert "channel 'x'" in result.reasons[0]
    assert verdict_for(book, "ines", [], channel="forum", topics=("app_bug",))[0] is Verdict.PUBLISH
    v, result = verdict_for(book, "camille", [], topics=("product_safety",))
    assert v is Verdict.NEEDS_APPROVAL and "topic 'product_safety'" in result.reasons[0]
    v, _ = verdict_for(book, "claire", [], channel="email", lang="en")
    assert v is Verdict.NEEDS_APPROVAL


def test_holding_statement_needs_official_statement(book: MandateBook) -> None:
    v, result = verdict_for(book, "sarah", [], kind="holding_statement")
    assert v is Verdict.NEEDS_APPROVAL
    assert result.approvers.members == ("marc",)
    assert verdict_for(book, "marc", [], kind="holding_statement")[0] is Verdict.PUBLISH


def test_warnings_are_reported_not_decisive(book: MandateBook) -> None:
    v, result = verdict_for(book, "camille", [f(Category.SPELLING, Severity.WARN)])
    assert v is Verdict.PUBLISH
    assert [w.category for w in result.warnings] == [Category.SPELLING]

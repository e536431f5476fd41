"""Mandates: inheritance, validity, union, limits, approvers. Pure, no database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from vigie.governance.findings import Amount, Category, Finding, Severity, Unit
from vigie.governance.mandates import (
    Excess,
    MandateBook,
    MandateError,
    ScopeContext,
    ScopeKind,
    commitment_excess,
    deadline_days,
)
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.schemas import CommitmentKind, RoleMandate

TODAY = date(2026, 11, 18)  # a Wednesday


def role(**spec: Any) -> RoleMandate:
    spec.setdefault("name", {"en": "r"})
    return RoleMandate.model_validate(spec)


def refund(value: float, unit: Unit = Unit.EUR) -> Finding:
    return Finding(
        Category.COMMITMENT_REFUND, Severity.NEEDS_APPROVAL, 0, 5, "refund", amount=Amount(value, unit)
    )


@pytest.fixture(scope="module")
def colibri() -> MandateBook:
    spec = load_workspace_dir(example_workspace_dir())
    return MandateBook(spec.mandates.roles, {m.key: tuple(m.roles) for m in spec.team.members}, today=TODAY)


def test_inherited_limits_take_the_most_generous() -> None:
    book = MandateBook(
        {
            "base": role(
                topics=["delivery"],
                commitments={"refund": {"allowed": True, "max_amount": 50}, "apology": True},
            ),
            "plus": role(
                inherits=["base"],
                topics=["payment"],
                commitments={"refund": {"allowed": True, "max_amount": 30, "currency": "USD"}},
            ),
        },
        {},
        today=TODAY,
    )
    plus = book.for_role("plus")
    assert plus.topics == frozenset({"delivery", "payment"})
    assert plus.allows(CommitmentKind.APOLOGY)
    assert dict(plus.commitments[CommitmentKind.REFUND].max_amounts) == {"EUR": 50, "USD": 30}
    assert commitment_excess(plus, refund(50), CommitmentKind.REFUND, today=TODAY) is None
    assert commitment_excess(plus, refund(31, Unit.USD), CommitmentKind.REFUND, today=TODAY) is not None
    # No conversion: a currency without a limit is beyond the mandate.
    why = commitment_excess(plus, refund(1, Unit.GBP), CommitmentKind.REFUND, today=TODAY)
    assert why is not None and "GBP" in why


def test_inheritance_cycle_is_named() -> None:
    with pytest.raises(MandateError, match="a -> b -> c -> a"):
        MandateBook(
            {"a": role(inherits=["b"]), "b": role(inherits=["c"]), "c": role(inherits=["a"])}, {}, today=TODAY
        )


def test_unknown_parent_and_unknown_member_role_are_errors() -> None:
    with pytest.raises(MandateError, match="inherits unknown role 'ghost'"):
        MandateBook({"a": role(inherits=["ghost"])}, {}, today=TODAY)
    with pytest.raises(MandateError, match="member 'zoe' has role 'ghost'"):
        MandateBook({"a": role()}, {"zoe": ["ghost"]}, today=TODAY)


def test_validity_dates_switch_a_role_and_what_it_passes_on() -> None:
    roles = {
        "temp": role(
            valid_from=date(2026, 11, 1),
            valid_until=date(2026, 11, 17),
            commitments={"official_statement": True},
        ),
        "child": role(inherits=["temp"]),
    }
    before = MandateBook(roles, {"zoe": ["child"]}, today=date(2026, 11, 17))
    after = MandateBook(roles, {"zoe": ["child"]}, today=TODAY)
    assert before.for_member("zoe").allows(CommitmentKind.OFFICIAL_STATEMENT)
    assert not after.for_role("temp").allows(CommitmentKind.ANSWER)
    assert not after.for_member("zoe").allows(CommitmentKind.OFFICIAL_STATEMENT)
    # child's own right to answer stays.
    assert after.for_member("zoe").allows(CommitmentKind.ANSWER)


def test_member_mandate_is_union_of_roles() -> None:
    book = MandateBook(
        {
            "fr-only": role(languages=["fr"], channels=["forum"], commitments={"apology": True}),
            "legal": role(languages=["en"], channels=["email"], commitments={"legal_position": True}),
        },
        {"zoe": ["fr-only", "legal"]},
        today=TODAY,
    )
    zoe = book.for_member("zoe")
    assert zoe.languages == frozenset({"fr", "en"})
    assert zoe.channels == frozenset({"forum", "email"})
    assert zoe.allows(CommitmentKind.APOLOGY) and zoe.allows(CommitmentKind.LEGAL_POSITION)
    assert zoe.roles == ("fr-only", "legal")


def test_limits_fail_closed() -> None:
    book = MandateBook(
        {
            "r": role(
                commitments={
                    "refund": {"allowed": True, "max_amount": 50},
                    "discount": {"allowed": True, "max_percent": 10},
                    "compensation": {"allowed": True, "kinds": ["voucher"], "max_amount": 20},
                    "deadline": {"allowed": True, "max_days": 3},
                }
            ),
            "free": role(commitments={"refund": {"allowed": True}}),
        },
        {},
        today=TODAY,
    )
    r = book.for_role("r")
    unstated = Finding(Category.COMMITMENT_REFUND, Severity.NEEDS_APPROVAL, 0, 1, "refund")
    assert "no stated amount" in (commitment_excess(r, unstated, CommitmentKind.REFUND, today=TODAY) or "")
    assert commitment_excess(book.for_role("free"), unstated, CommitmentKind.REFUND, today=TODAY) is None
    assert (
        commitment_excess(book.for_role("free"), refund(10_000), CommitmentKind.REFUND, today=TODAY) is None
    )
    pct = Finding(
        Category.COMMITMENT_DISCOUNT, Severity.NEEDS_APPROVAL, 0, 1, "d", amount=Amount(10, Unit.PERCENT)
    )
    assert commitment_excess(r, pct, CommitmentKind.DISCOUNT, today=TODAY) is None
    eur = Finding(
        Category.COMMITMENT_DISCOUNT, Severity.NEEDS_APPROVAL, 0, 1, "d", amount=Amount(5, Unit.EUR)
    )
    assert commitment_excess(r, eur, CommitmentKind.DISCOUNT, today=TODAY) is not None
    gift = Finding(
        Category.COMMITMENT_COMPENSATION,
        Severity.NEEDS_APPROVAL,
        0,
        1,
        "c",
        amount=Amount(10, Unit.EUR),
        details={"kind": "gift"},
    )
    assert "gift" in (commitment_excess(r, gift, CommitmentKind.COMPENSATION, today=TODAY) or "")
    friday = Finding(Category.COMMITMENT_DEADLINE, Severity.NEEDS_APPROVAL, 0, 1, "d", date="vendredi")
    assert commitment_excess(r, friday, CommitmentKind.DEADLINE, today=TODAY) is None  # 2 days
    in_ten = Finding(Category.COMMITMENT_DEADLINE, Severity.NEEDS_APPROVAL, 0, 1, "d", date="2026-11-28")
    assert "10 days" in (commitment_excess(r, in_ten, CommitmentKind.DEADLINE, today=TODAY) or "")


@pytest.mark.parametrize(
    ("expression", "days"),
    [
        ("demain", 1),
        ("tomorrow", 1),
        ("vendredi", 2),
        ("Monday", 5),
        ("mercredi", 7),
        ("2026-11-20", 2),
        ("sous 48h", 2),
        ("within 3 days", 3),
        ("dans deux semaines", 14),
        ("un jour", 1),
        ("bientôt", None),
    ],
)
def test_deadline_days(expression: str, days: int | None) -> None:
    finding = Finding(Category.COMMITMENT_DEADLINE, Severity.NEEDS_APPROVAL, 0, 1, "d", date=expression)
    assert deadline_days(finding, TODAY) == days


def test_colibri_junior_refund_approvers(colibri: MandateBook) -> None:
    excess = Excess(ScopeKind.COMMITMENT, CommitmentKind.REFUND, "refund of 80 EUR", finding=refund(80))
    who = colibri.approvers_for([excess], writer="camille", context=ScopeContext(channel="x"))
    # junior-cm names senior-cm; roles inheriting senior-cm count; lucas (junior) and camille do not.
    assert who.roles == ("community-lead", "senior-cm", "spokesperson")
    assert who.members == ("hugo", "marc", "nadia", "sarah")
    big = Excess(ScopeKind.COMMITMENT, CommitmentKind.REFUND, "refund of 500 EUR", finding=refund(500))
    assert colibri.approvers_for([big], writer="camille", context=ScopeContext()).members == ("marc", "nadia")


def test_named_approver_without_the_mandate_is_not_named(colibri: MandateBook) -> None:
    # senior-cm names [claire, marc] for health_safety; marc's spokesperson mandate has no health_safety.
    finding = Finding(Category.LEGAL_HEALTH_SAFETY, Severity.NEEDS_APPROVAL, 0, 1, "safe")
    excess = Excess(ScopeKind.COMMITMENT, CommitmentKind.HEALTH_SAFETY, "health", finding=finding)
    who = colibri.approvers_for([excess], writer="sarah", context=ScopeContext(channel="email", lang="fr"))
    assert who.members == ("claire",)

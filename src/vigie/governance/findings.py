"""What the charter check reports about an outgoing text. Shared by the checker, the verdict and the gate."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCK = "block"
    NEEDS_APPROVAL = "needs_approval"
    WARN = "warn"


class Category(StrEnum):
    COMMITMENT_APOLOGY = "commitment.apology"
    COMMITMENT_REFUND = "commitment.refund"
    COMMITMENT_COMPENSATION = "commitment.compensation"
    COMMITMENT_DISCOUNT = "commitment.discount"
    COMMITMENT_DEADLINE = "commitment.deadline"
    LEGAL_LIABILITY = "legal.liability"
    LEGAL_HEALTH_SAFETY = "legal.health_safety"
    LEGAL_ABSOLUTE_CLAIM = "legal.absolute_claim"
    LEGAL_COMPETITOR = "legal.competitor"
    PERSONAL_DATA_EMAIL = "personal_data.email"
    PERSONAL_DATA_PHONE = "personal_data.phone"
    PERSONAL_DATA_PAYMENT = "personal_data.payment"
    PERSONAL_DATA_ADDRESS = "personal_data.address"
    TONE_INSULT = "tone.insult"
    TONE_AGGRESSIVE = "tone.aggressive"
    SPELLING = "spelling"
    BRAND_TERM = "brand.term"
    CHANNEL_LENGTH = "channel.length"
    LANGUAGE_MISMATCH = "language.mismatch"


class Unit(StrEnum):
    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"
    PERCENT = "percent"


@dataclass(frozen=True)
class Amount:
    value: float
    unit: Unit

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit.value}


@dataclass(frozen=True)
class Finding:
    """One problem found in a text; ``start``/``end`` are character offsets (end exclusive)."""

    category: Category
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str | None = None
    amount: Amount | None = None
    # ISO date (YYYY-MM-DD) or a relative expression such as "vendredi", for deadlines.
    date: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
            "amount": None if self.amount is None else self.amount.to_dict(),
            "date": self.date,
            "details": self.details,
        }

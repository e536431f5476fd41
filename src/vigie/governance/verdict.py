"""The verdict on a text for one writer: publish, needs_approval (naming who may approve) or blocked.

Pure: findings of the charter check + the writer's mandate + where the text goes -> a verdict.

Rules, in order:

1. Any finding of severity ``block`` blocks the text (nobody may approve it; it must be rewritten).
2. Commitments (apology, refund, compensation, discount, deadline) are always judged against the
   mandate, whatever their charter severity: within its limits they are allowed, beyond them they need
   approval.
3. Legal findings of severity ``needs_approval`` need approval unless the mandate holds the matching
   right (legal_position, health_safety, official_statement for competitors).
4. Other findings of severity ``needs_approval`` (tone, brand, ...) always need a second person's
   review; a reviewer must hold ``official_statement``.
5. The kind of text, its topics, channel and language must be inside the mandate, else approval.
6. ``warn`` findings never change the verdict; they are reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from vigie.governance.findings import Finding, Severity
from vigie.governance.mandates import (
    CATEGORY_COMMITMENT,
    REVIEW_CAPABILITY,
    Approvers,
    EffectiveMandate,
    Excess,
    MandateBook,
    ScopeContext,
    ScopeKind,
    commitment_excess,
    scope_excesses,
)


class Verdict(StrEnum):
    PUBLISH = "publish"
    NEEDS_APPROVAL = "needs_approval"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class VerdictResult:
    verdict: Verdict
    reasons: tuple[str, ...]
    excesses: tuple[Excess, ...] = ()
    blocking: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    approvers: Approvers = field(default_factory=Approvers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "reasons": list(self.reasons),
            "excesses": [e.to_dict() for e in self.excesses],
            "approvers": self.approvers.to_dict(),
        }


def finding_excesses(mandate: EffectiveMandate, findings: Sequence[Finding], *, today: date) -> list[Excess]:
    """What in the findings lies beyond the mandate (block findings are not excesses: they block)."""
    result: list[Excess] = []
    for finding in findings:
        if finding.severity is Severity.BLOCK:
            continue
        capability = CATEGORY_COMMITMENT.get(finding.category)
        is_commitment = finding.category.value.startswith("commitment.")
        if capability is not None and (is_commitment or finding.severity is Severity.NEEDS_APPROVAL):
            why = commitment_excess(mandate, finding, capability, today=today)
            if why is not None:
                result.append(Excess(ScopeKind.COMMITMENT, capability, why, finding=finding))
        elif capability is None and finding.severity is Severity.NEEDS_APPROVAL:
            result.append(
                Excess(
                    ScopeKind.REVIEW,
                    REVIEW_CAPABILITY,
                    f"{finding.category.value} needs a second person's review: {finding.message}",
                    finding=finding,
                )
            )
    return result


def decide(
    findings: Sequence[Finding],
    mandate: EffectiveMandate,
    *,
    context: ScopeContext,
    today: date,
    book: MandateBook | None = None,
    writer: str | None = None,
    as_reviewer: bool = False,
) -> VerdictResult:
    """The verdict for a writer holding ``mandate``.

    With ``book`` and ``writer``, a ``needs_approval`` verdict names the roles and members (other than
    the writer) whose mandate covers every excess. ``as_reviewer`` is set when the mandate is an
    approver's: then review excesses are covered by ``official_statement``.
    """
    blocking = tuple(f for f in findings if f.severity is Severity.BLOCK)
    warnings = tuple(
        f for f in findings if f.severity is Severity.WARN and f.category not in CATEGORY_COMMITMENT
    )
    if blocking:
        blocked_reasons = tuple(
            f"blocked: {f.category.value} at {f.start}-{f.end}: {f.message}"
            + (f" ({f.suggestion})" if f.suggestion else "")
            for f in blocking
        )
        return VerdictResult(Verdict.BLOCKED, blocked_reasons, blocking=blocking, warnings=warnings)
    excesses = [*scope_excesses(mandate, context), *finding_excesses(mandate, findings, today=today)]
    if as_reviewer:
        excesses = [
            e for e in excesses if not (e.scope is ScopeKind.REVIEW and mandate.allows(REVIEW_CAPABILITY))
        ]
    if not excesses:
        return VerdictResult(Verdict.PUBLISH, ("within the mandate",), warnings=warnings)
    approvers = Approvers()
    reasons = [e.reason for e in excesses]
    if book is not None and writer is not None:
        approvers = book.approvers_for(excesses, writer=writer, context=context, today=today)
        if approvers.empty:
            reasons.append(
                "nobody else holds a mandate covering all of this: split the text or ask the community "
                "lead to change the mandates"
            )
    return VerdictResult(
        Verdict.NEEDS_APPROVAL,
        tuple(reasons),
        excesses=tuple(excesses),
        warnings=warnings,
        approvers=approvers,
    )

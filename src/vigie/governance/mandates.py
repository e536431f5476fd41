"""Who may say what in the organisation's name. Pure: role specs in, effective mandates out.

Semantics (see docs/governance.md):

* A role's **effective mandate** is the union of its own ``mandates.yaml`` entry and the effective
  mandates of the roles it ``inherits``: inheriting never removes a right, and where two limits meet the
  most generous wins. Cycles in ``inherits`` and unknown parents are errors naming the path.
* A role applies only between ``valid_from`` and ``valid_until`` (both inclusive days). An inactive role
  grants nothing, neither its own rights nor those it inherits.
* A **member's** mandate is the union of the effective mandates of their roles.
* Limits: a commitment allowed with no limit is unlimited. Once a limit is given, only what it names is
  covered: an amount in another currency (no conversion), a percent discount when only ``max_amount`` is
  given, or a commitment whose amount or date is not stated, all lie beyond the mandate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from vigie.core.errors import ValidationFailedError
from vigie.governance.findings import Amount, Category, Finding, Unit
from vigie.workspace.schemas import ALL, CommitmentKind, RoleMandate


class MandateError(ValidationFailedError):
    code = "mandate_invalid"


class ScopeKind(StrEnum):
    """What part of a mandate an excess is about."""

    COMMITMENT = "commitment"
    TOPIC = "topic"
    CHANNEL = "channel"
    LANGUAGE = "language"
    REVIEW = "review"


# Which capability of a mandate covers each finding category. Categories not listed here (personal
# data, tone, spelling, brand, length, language mismatch) are not something a mandate can grant: when
# the charter asks for approval on them, they need a second person's review (ScopeKind.REVIEW), and a
# reviewer must hold ``official_statement``.
CATEGORY_COMMITMENT: dict[Category, CommitmentKind] = {
    Category.COMMITMENT_APOLOGY: CommitmentKind.APOLOGY,
    Category.COMMITMENT_REFUND: CommitmentKind.REFUND,
    Category.COMMITMENT_COMPENSATION: CommitmentKind.COMPENSATION,
    Category.COMMITMENT_DISCOUNT: CommitmentKind.DISCOUNT,
    Category.COMMITMENT_DEADLINE: CommitmentKind.DEADLINE,
    Category.LEGAL_LIABILITY: CommitmentKind.LEGAL_POSITION,
    Category.LEGAL_ABSOLUTE_CLAIM: CommitmentKind.LEGAL_POSITION,
    Category.LEGAL_COMPETITOR: CommitmentKind.OFFICIAL_STATEMENT,
    Category.LEGAL_HEALTH_SAFETY: CommitmentKind.HEALTH_SAFETY,
}
REVIEW_CAPABILITY = CommitmentKind.OFFICIAL_STATEMENT


@dataclass(frozen=True)
class Limit:
    """The effective limit on one kind of commitment. Absent from a mandate = not allowed."""

    unlimited: bool = False
    max_amounts: Mapping[str, float] = field(default_factory=dict)  # currency -> largest amount
    max_percent: float | None = None
    max_days: int | None = None
    kinds: frozenset[str] | None = None  # compensation kinds; None = any kind

    def join(self, other: Limit) -> Limit:
        """The most generous of two limits."""
        if self.unlimited or other.unlimited:
            kinds = None if self.kinds is None or other.kinds is None else self.kinds | other.kinds
            return Limit(unlimited=True, kinds=kinds)
        amounts = dict(self.max_amounts)
        for currency, value in other.max_amounts.items():
            amounts[currency] = max(value, amounts.get(currency, value))
        return Limit(
            max_amounts=amounts,
            max_percent=_max_opt(self.max_percent, other.max_percent),
            max_days=_max_opt(self.max_days, other.max_days),
            kinds=None if self.kinds is None or other.kinds is None else self.kinds | other.kinds,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "unlimited": self.unlimited,
            "max_amounts": dict(sorted(self.max_amounts.items())),
            "max_percent": self.max_percent,
            "max_days": self.max_days,
            "kinds": None if self.kinds is None else sorted(self.kinds),
        }


def _max_opt(a: float | int | None, b: float | int | None) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _union_scope(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """None means 'any'."""
    if a is None or b is None:
        return None
    return a | b


@dataclass(frozen=True)
class EffectiveMandate:
    """An effective mandate: what a role (or a member, through their roles) may say."""

    roles: tuple[str, ...] = ()
    topics: frozenset[str] | None = frozenset()
    channels: frozenset[str] | None = frozenset()
    languages: frozenset[str] | None = frozenset()
    commitments: Mapping[CommitmentKind, Limit] = field(default_factory=dict)

    def join(self, other: EffectiveMandate) -> EffectiveMandate:
        commitments = dict(self.commitments)
        for kind, limit in other.commitments.items():
            commitments[kind] = commitments[kind].join(limit) if kind in commitments else limit
        return EffectiveMandate(
            roles=tuple(dict.fromkeys(self.roles + other.roles)),
            topics=_union_scope(self.topics, other.topics),
            channels=_union_scope(self.channels, other.channels),
            languages=_union_scope(self.languages, other.languages),
            commitments=commitments,
        )

    def allows(self, kind: CommitmentKind) -> bool:
        return kind in self.commitments

    def to_dict(self) -> dict[str, Any]:
        def scope(value: frozenset[str] | None) -> list[str]:
            return [ALL] if value is None else sorted(value)

        return {
            "roles": list(self.roles),
            "topics": scope(self.topics),
            "channels": scope(self.channels),
            "languages": scope(self.languages),
            "commitments": {k.value: v.to_dict() for k, v in sorted(self.commitments.items())},
        }


EMPTY_MANDATE = EffectiveMandate()


@dataclass(frozen=True)
class Excess:
    """One thing in a text (or its context) that lies beyond a mandate."""

    scope: ScopeKind
    capability: CommitmentKind  # the capability an approver needs for it
    reason: str
    finding: Finding | None = None
    value: str | None = None  # the topic, channel or language outside the mandate

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope.value,
            "capability": self.capability.value,
            "reason": self.reason,
            "category": None if self.finding is None else self.finding.category.value,
            "start": None if self.finding is None else self.finding.start,
            "end": None if self.finding is None else self.finding.end,
            "value": self.value,
        }


def _own_mandate(key: str, spec: RoleMandate) -> EffectiveMandate:
    c = spec.commitments
    commitments: dict[CommitmentKind, Limit] = {}
    for kind, flag in (
        (CommitmentKind.ANSWER, c.answer),
        (CommitmentKind.APOLOGY, c.apology),
        (CommitmentKind.OFFICIAL_STATEMENT, c.official_statement),
        (CommitmentKind.LEGAL_POSITION, c.legal_position),
        (CommitmentKind.HEALTH_SAFETY, c.health_safety),
    ):
        if flag:
            commitments[kind] = Limit(unlimited=True)
    if c.refund.allowed:
        commitments[CommitmentKind.REFUND] = (
            Limit(unlimited=True)
            if c.refund.max_amount is None
            else Limit(max_amounts={c.refund.currency: c.refund.max_amount})
        )
    if c.compensation.allowed:
        kinds = frozenset(k.value for k in c.compensation.kinds) or None
        commitments[CommitmentKind.COMPENSATION] = (
            Limit(unlimited=True, kinds=kinds)
            if c.compensation.max_amount is None
            else Limit(max_amounts={c.compensation.currency: c.compensation.max_amount}, kinds=kinds)
        )
    if c.discount.allowed:
        if c.discount.max_amount is None and c.discount.max_percent is None:
            commitments[CommitmentKind.DISCOUNT] = Limit(unlimited=True)
        else:
            commitments[CommitmentKind.DISCOUNT] = Limit(
                max_amounts={}
                if c.discount.max_amount is None
                else {c.discount.currency: c.discount.max_amount},
                max_percent=c.discount.max_percent,
            )
    if c.deadline.allowed:
        commitments[CommitmentKind.DEADLINE] = (
            Limit(unlimited=True) if c.deadline.max_days is None else Limit(max_days=c.deadline.max_days)
        )

    def scope(values: Sequence[str]) -> frozenset[str] | None:
        return None if ALL in values else frozenset(values)

    return EffectiveMandate(
        roles=(key,),
        topics=scope(spec.topics),
        channels=scope(spec.channels),
        languages=scope(spec.languages),
        commitments=commitments,
    )


def is_active(spec: RoleMandate, today: date) -> bool:
    if spec.valid_from is not None and today < spec.valid_from:
        return False
    return not (spec.valid_until is not None and today > spec.valid_until)


@dataclass(frozen=True)
class Approvers:
    roles: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, list[str]]:
        return {"roles": list(self.roles), "members": list(self.members)}

    @property
    def empty(self) -> bool:
        return not self.roles and not self.members


class MandateBook:
    """Every role and member of one workspace, resolved for one day.

    ``roles``: role key -> its mandates.yaml entry; ``members``: member key -> role keys.
    """

    def __init__(
        self,
        roles: Mapping[str, RoleMandate],
        members: Mapping[str, Sequence[str]],
        *,
        today: date,
    ) -> None:
        self.specs = dict(roles)
        self.members = {k: tuple(v) for k, v in members.items()}
        self.today = today
        for member, member_roles in self.members.items():
            for role in member_roles:
                if role not in self.specs:
                    raise MandateError(
                        f"member '{member}' has role '{role}', which mandates.yaml does not define "
                        f"(defined: {', '.join(sorted(self.specs)) or 'none'})",
                        member=member,
                        role=role,
                    )
        clash = sorted(set(self.specs) & set(self.members))
        if clash:
            raise MandateError(
                f"'{clash[0]}' is both a role key and a member key; rename one so approvers are unambiguous"
            )
        self._resolved: dict[str, EffectiveMandate] = {}
        for key in self.specs:
            self._resolve(key, ())
        self._approvers_config: dict[str, dict[CommitmentKind, tuple[str, ...]]] = {}
        for key in self.specs:
            self._approvers_config[key] = self._collect_approvers(key)

    # --- resolution -------------------------------------------------------------------------

    def _resolve(self, key: str, path: tuple[str, ...]) -> EffectiveMandate:
        if key in path:
            cycle = " -> ".join((*path[path.index(key) :], key))
            raise MandateError(f"mandates.yaml: inheritance cycle {cycle}; remove one 'inherits' link")
        if key in self._resolved:
            return self._resolved[key]
        spec = self.specs.get(key)
        if spec is None:
            raise MandateError(
                f"mandates.yaml: role '{path[-1]}' inherits unknown role '{key}' "
                f"(defined: {', '.join(sorted(self.specs))})"
            )
        mandate = EMPTY_MANDATE
        if is_active(spec, self.today):
            mandate = _own_mandate(key, spec)
            for parent in spec.inherits:
                mandate = mandate.join(self._resolve(parent, (*path, key)))
        else:
            # Still walk the parents so that a cycle or an unknown parent is reported even when inactive.
            for parent in spec.inherits:
                self._resolve(parent, (*path, key))
        self._resolved[key] = mandate
        return mandate

    def _collect_approvers(self, key: str) -> dict[CommitmentKind, tuple[str, ...]]:
        spec = self.specs[key]
        result: dict[CommitmentKind, tuple[str, ...]] = {}
        for parent in spec.inherits:
            inherited = self._approvers_config.get(parent) or self._collect_approvers(parent)
            for kind, names in inherited.items():
                result[kind] = tuple(dict.fromkeys(result.get(kind, ()) + names))
        for kind, own in spec.approvers.items():
            # The role's own list replaces what it inherits for that commitment.
            result[kind] = tuple(own)
        for names in result.values():
            for name in names:
                if name not in self.specs and name not in self.members:
                    raise MandateError(
                        f"mandates.yaml: role '{key}' names approver '{name}', which is neither a role "
                        "nor a team member"
                    )
        return result

    # --- lookups ----------------------------------------------------------------------------

    def for_role(self, key: str) -> EffectiveMandate:
        if key not in self.specs:
            raise MandateError(f"unknown role '{key}' (roles: {', '.join(sorted(self.specs))})")
        return self._resolved[key]

    def for_member(self, key: str) -> EffectiveMandate:
        if key not in self.members:
            raise MandateError(f"unknown team member '{key}' (members: {', '.join(sorted(self.members))})")
        mandate = EffectiveMandate(roles=())
        for role in self.members[key]:
            mandate = mandate.join(self._resolved[role])
        return mandate

    def for_actor(self, name: str) -> EffectiveMandate:
        """A member key or a role key (members win if both existed; the constructor refuses that)."""
        if name in self.members:
            return self.for_member(name)
        if name in self.specs:
            return self.for_role(name)
        raise MandateError(
            f"'{name}' is neither a team member nor a role; use one of the members "
            f"({', '.join(sorted(self.members)) or 'none'}) or roles ({', '.join(sorted(self.specs))})"
        )

    def roles_of(self, name: str) -> tuple[str, ...]:
        return self.members[name] if name in self.members else (name,)

    def lineage(self, name: str) -> frozenset[str]:
        """The roles a member or role holds, with every role they inherit (a spokesperson inheriting
        senior-cm counts as a senior-cm when approvers name senior-cm)."""
        seen: set[str] = set()
        stack = list(self.roles_of(name))
        while stack:
            role = stack.pop()
            if role in seen or role not in self.specs:
                continue
            seen.add(role)
            stack.extend(self.specs[role].inherits)
        return frozenset(seen)

    # --- approvers --------------------------------------------------------------------------

    def approvers_for(
        self, excesses: Sequence[Excess], *, writer: str, context: ScopeContext, today: date | None = None
    ) -> Approvers:
        """The roles and people whose mandate covers every excess, writer excluded.

        When the writer's roles name approvers for a capability, only those are candidates (and only
        if their own mandate covers the excess); otherwise any role or member whose mandate covers it.
        """
        if not excesses:
            return Approvers()
        day = today or self.today
        configured: dict[CommitmentKind, set[str]] = {}
        for role in self.roles_of(writer):
            for kind, names in self._approvers_config.get(role, {}).items():
                configured.setdefault(kind, set()).update(names)

        def candidate_ok(name: str) -> bool:
            for excess in excesses:
                allowed = configured.get(excess.capability)
                if allowed is not None:
                    # Named directly, or holding a named role.
                    if name not in allowed and not (self.lineage(name) & allowed):
                        return False
            mandate = self.for_actor(name)
            return not excess_of(mandate, excesses, context=context, today=day, as_reviewer=True)

        roles = tuple(r for r in sorted(self.specs) if candidate_ok(r))
        members = tuple(m for m in sorted(self.members) if m != writer and candidate_ok(m))
        if self.members:
            # Name a role only when someone other than the writer holds it.
            held = {r for m in members for r in self.members[m]}
            roles = tuple(r for r in roles if r in held)
        return Approvers(roles=roles, members=members)


@dataclass(frozen=True)
class ScopeContext:
    """Where a text goes: checked against the mandate's topics, channels and languages."""

    kind: str = "reply"
    channel: str | None = None
    lang: str | None = None
    topics: tuple[str, ...] = ()


# What each kind of outgoing text requires beyond its content.
KIND_REQUIRES: dict[str, CommitmentKind | None] = {
    "reply": CommitmentKind.ANSWER,
    "post": CommitmentKind.ANSWER,
    "advocacy_post": None,
    "holding_statement": CommitmentKind.OFFICIAL_STATEMENT,
}

_DAY_WORDS = {
    "aujourd'hui": 0,
    "aujourd’hui": 0,
    "ce soir": 0,
    "today": 0,
    "tonight": 0,
    "demain": 1,
    "tomorrow": 1,
    "après-demain": 2,
    "apres-demain": 2,
    "semaine prochaine": 7,
    "next week": 7,
    "fin de semaine": 7,
    "end of the week": 7,
    "mois prochain": 31,
    "next month": 31,
    "fin du mois": 31,
    "end of the month": 31,
}
_WEEKDAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "dix": 10,
    "quinze": 15,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "ten": 10,
}
_DURATION = re.compile(
    r"(\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")\s*(?:-\s*)?(h\b|heures?|hours?|jours?|days?|semaines?|weeks?|mois|months?)",
    re.IGNORECASE,
)


def deadline_days(finding: Finding, today: date) -> int | None:
    """How many days from ``today`` a deadline finding promises, or None when it cannot be told."""
    raw = finding.details.get("days")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return max(0, int(raw))
    expression = (finding.date or str(finding.details.get("text") or "")).strip().lower()
    if not expression:
        return None
    try:
        return max(0, (date.fromisoformat(expression[:10]) - today).days)
    except ValueError:
        pass
    for word, days in _DAY_WORDS.items():
        if word in expression:
            return days
    for word, weekday in _WEEKDAYS.items():
        if re.search(rf"\b{word}\b", expression):
            return (weekday - today.weekday()) % 7 or 7
    match = _DURATION.search(expression)
    if match:
        count_text = match.group(1).lower()
        count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS[count_text]
        unit = match.group(2).lower()
        if unit.startswith("h"):
            return -(-count // 24)
        if unit.startswith(("jour", "day")):
            return count
        if unit.startswith(("semaine", "week")):
            return count * 7
        return count * 31
    return None


def _amount_excess(limit: Limit, amount: Amount | None, *, what: str) -> str | None:
    """Why an amount is beyond a limit, or None when it is covered."""
    if limit.unlimited:
        return None
    if amount is None:
        return f"{what} with no stated amount, and your limit is {_describe(limit)}: state the amount"
    if amount.unit is Unit.PERCENT:
        if limit.max_percent is None:
            return f"{what} of {amount.value:g}% but your mandate only allows {_describe(limit)}"
        if amount.value > limit.max_percent:
            return f"{what} of {amount.value:g}% exceeds your limit of {limit.max_percent:g}%"
        return None
    maximum = limit.max_amounts.get(amount.unit.value)
    if maximum is None:
        return f"{what} of {amount.value:g} {amount.unit.value}: your mandate has no limit in {amount.unit.value} ({_describe(limit)})"
    if amount.value > maximum:
        return f"{what} of {amount.value:g} {amount.unit.value} exceeds your limit of {maximum:g} {amount.unit.value}"
    return None


def _describe(limit: Limit) -> str:
    parts = [f"{v:g} {c}" for c, v in sorted(limit.max_amounts.items())]
    if limit.max_percent is not None:
        parts.append(f"{limit.max_percent:g}%")
    if limit.max_days is not None:
        parts.append(f"{limit.max_days} days")
    return " or ".join(parts) or "none"


def commitment_excess(
    mandate: EffectiveMandate, finding: Finding, kind: CommitmentKind, *, today: date
) -> str | None:
    """Why one finding lies beyond the mandate, or None when the mandate covers it."""
    label = kind.value.replace("_", " ")
    limit = mandate.commitments.get(kind)
    if limit is None:
        return f"your mandate does not allow: {label}"
    if kind in (CommitmentKind.REFUND, CommitmentKind.DISCOUNT):
        return _amount_excess(limit, finding.amount, what=label)
    if kind is CommitmentKind.COMPENSATION:
        comp_kind = finding.details.get("kind")
        if limit.kinds is not None and isinstance(comp_kind, str) and comp_kind not in limit.kinds:
            return f"compensation by {comp_kind} is not in your mandate ({', '.join(sorted(limit.kinds))})"
        return _amount_excess(limit, finding.amount, what=label)
    if kind is CommitmentKind.DEADLINE:
        if limit.unlimited or limit.max_days is None:
            return None
        days = deadline_days(finding, today)
        if days is None:
            return f"a promised date that cannot be dated, and your limit is {limit.max_days} days: state the date"
        if days > limit.max_days:
            return f"a promise {days} days ahead exceeds your limit of {limit.max_days} days"
        return None
    return None


def excess_of(
    mandate: EffectiveMandate,
    items: Iterable[Excess],
    *,
    context: ScopeContext,
    today: date,
    as_reviewer: bool = False,
) -> list[Excess]:
    """The excesses (found against another mandate) that this mandate does not cover either."""
    remaining: list[Excess] = []
    for item in items:
        if item.scope is ScopeKind.REVIEW:
            covered = as_reviewer and mandate.allows(REVIEW_CAPABILITY)
        elif item.scope is ScopeKind.COMMITMENT and item.finding is not None:
            covered = commitment_excess(mandate, item.finding, item.capability, today=today) is None
        elif item.scope is ScopeKind.COMMITMENT:
            covered = mandate.allows(item.capability)
        else:
            allowed = {
                ScopeKind.TOPIC: mandate.topics,
                ScopeKind.CHANNEL: mandate.channels,
                ScopeKind.LANGUAGE: mandate.languages,
            }[item.scope]
            covered = mandate.allows(CommitmentKind.ANSWER) and (allowed is None or item.value in allowed)
        if not covered:
            remaining.append(item)
    return remaining


def scope_excesses(mandate: EffectiveMandate, context: ScopeContext) -> list[Excess]:
    """Topics, channel, language and kind of text outside the mandate."""
    result: list[Excess] = []
    required = KIND_REQUIRES.get(context.kind, CommitmentKind.ANSWER)
    if required is not None and not mandate.allows(required):
        result.append(
            Excess(
                ScopeKind.COMMITMENT,
                required,
                f"a {context.kind.replace('_', ' ')} needs the '{required.value}' right, which your mandate lacks",
            )
        )
    checks: list[tuple[ScopeKind, frozenset[str] | None, Iterable[str | None], str]] = [
        (ScopeKind.TOPIC, mandate.topics, context.topics, "topic"),
        (ScopeKind.CHANNEL, mandate.channels, [context.channel], "channel"),
        (ScopeKind.LANGUAGE, mandate.languages, [context.lang], "language"),
    ]
    for scope, allowed, values, label in checks:
        for value in values:
            if value is None or allowed is None or value in allowed:
                continue
            result.append(
                Excess(
                    scope,
                    CommitmentKind.ANSWER,
                    f"{label} '{value}' is outside your mandate ({', '.join(sorted(allowed)) or 'none'})",
                    value=value,
                )
            )
    return result

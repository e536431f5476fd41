"""Case statuses, the transitions allowed between them, and priority levels (pure)."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from vigie.core.errors import ValidationFailedError


class CaseStatus(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    WAITING = "waiting"  # waiting for the customer (or a colleague)
    ANSWERED = "answered"
    CLOSED = "closed"


OPEN_STATUSES: frozenset[str] = frozenset({CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.WAITING})

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset({CaseStatus.ASSIGNED, CaseStatus.ANSWERED, CaseStatus.CLOSED}),
    CaseStatus.ASSIGNED: frozenset(
        {CaseStatus.NEW, CaseStatus.WAITING, CaseStatus.ANSWERED, CaseStatus.CLOSED}
    ),
    CaseStatus.WAITING: frozenset({CaseStatus.ASSIGNED, CaseStatus.ANSWERED, CaseStatus.CLOSED}),
    # A new message in an answered or closed thread reopens it (to assigned or new).
    CaseStatus.ANSWERED: frozenset({CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.NEW, CaseStatus.ASSIGNED}),
}


class CasePriority(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | int) -> CasePriority:
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValidationFailedError(
                f"Unknown priority {value!r}: expected one of low, normal, high, urgent."
            ) from None


def parse_status(value: str) -> CaseStatus:
    try:
        return CaseStatus(value)
    except ValueError:
        raise ValidationFailedError(
            f"Unknown case status {value!r}: expected one of {', '.join(s.value for s in CaseStatus)}."
        ) from None


def check_transition(current: str, target: str) -> CaseStatus:
    """Return the target status, or raise with the statuses reachable from ``current``."""
    source = parse_status(current)
    wanted = parse_status(target)
    if wanted == source:
        return wanted
    allowed = TRANSITIONS[source]
    if wanted not in allowed:
        choices = ", ".join(sorted(s.value for s in allowed))
        raise ValidationFailedError(
            f"A case cannot go from {source.value!r} to {wanted.value!r}; from {source.value!r} it may go to: {choices}."
        )
    return wanted

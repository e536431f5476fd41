"""Who should answer this case, and why (pure: plain data in, an ``Assignment`` out; no session).

The caller builds a ``RoutingRequest`` from the case's analyses and ``MemberProfile`` rows from the
team roster and the mandate book (``vigie.routing.actions`` does it for stored cases).

Hard requirements, in order (each kept as long as someone meets it; when nobody does, it is relaxed and
the explanation says so):

1. what the answer will likely need: a refund or compensation (``refund`` mandate), an official answer
   (``official_statement``: manager demands, legal threats, influential activists or journalists);
2. the message's language;
3. the case's topic (member topics and mandate topics);
4. availability: working day and hours in the member's time zone, no absence, open cases under the cap.

Among those left, the score prefers expertise on the topic (strongly when the message is a technical
question or a bug report, so the expert gets it even without a community-manager role), spare
capacity, no over-qualification (a spokesperson's time is kept for what needs one), and penalises a
member who handed back cases of the same topic or intent before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigie.core.errors import ValidationFailedError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REFUND_TOPICS = frozenset({"refund", "compensation", "reimbursement"})
REFUND_INTENTS = frozenset({"refund_request", "compensation_request"})
OFFICIAL_INTENTS = frozenset({"manager_demand", "legal_threat"})
TECHNICAL_INTENTS = frozenset({"question", "bug_report"})
ACTIVIST_LABELS = frozenset({"activist", "journalist"})
HIGH_INFLUENCE = 0.6
EXPERT_LEVEL = 4


@dataclass(frozen=True, slots=True)
class Absence:
    start: date
    end: date  # inclusive


@dataclass(frozen=True, slots=True)
class MemberProfile:
    id: int
    key: str
    name: str
    roles: tuple[str, ...]
    languages: frozenset[str]
    topics: frozenset[str] | None  # None: every topic ("*")
    expertise: Mapping[str, int]
    days: frozenset[str] = frozenset(WEEKDAYS[:5])
    start: time = time(9, 0)
    end: time = time(18, 0)
    timezone: str = "UTC"
    absences: tuple[Absence, ...] = ()
    max_open_cases: int = 20
    open_cases: int = 0
    # Commitments the member's mandate allows (answer, apology, refund, compensation, official_statement, ...).
    capabilities: frozenset[str] = frozenset({"answer"})
    mandate_topics: frozenset[str] | None = None  # None: every topic
    mandate_languages: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class RoutingRequest:
    language: str | None
    topics: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    priority: str = "normal"
    author_labels: tuple[str, ...] = ()
    author_influence: float = 0.0
    exclude: frozenset[str] = frozenset()  # member keys that must not get it (e.g. who handed it back)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    fr: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "fr": self.fr, "en": self.en}


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    score: float
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "member": self.key,
            "score": round(self.score, 2),
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class Assignment:
    member_key: str | None
    member_id: int | None
    score: float
    needs: tuple[str, ...]
    reasons: tuple[Reason, ...]  # why this person (or why nobody)
    relaxed: tuple[str, ...] = ()  # requirements dropped because nobody met them
    runners_up: tuple[Candidate, ...] = field(default_factory=tuple)

    def explain(self, lang: str = "en") -> str:
        if lang not in ("fr", "en"):
            raise ValidationFailedError(f"Explanations exist in 'fr' and 'en', not {lang!r}.")
        parts = [r.fr if lang == "fr" else r.en for r in self.reasons]
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "member": self.member_key,
            "score": round(self.score, 2),
            "needs": list(self.needs),
            "relaxed": list(self.relaxed),
            "reasons": [r.to_dict() for r in self.reasons],
            "why": {"fr": self.explain("fr"), "en": self.explain("en")},
            "runners_up": [c.to_dict() for c in self.runners_up],
        }


def parse_hhmm(value: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValidationFailedError(f"Working hours must be 'HH:MM', got {value!r}.") from None


def needs_of(request: RoutingRequest) -> tuple[str, ...]:
    """The commitments the answer will likely need, from the intents, topics and author."""
    needs: list[str] = []
    if REFUND_TOPICS & set(request.topics) or REFUND_INTENTS & set(request.intents):
        needs.append("refund")
    official = bool(OFFICIAL_INTENTS & set(request.intents))
    if ACTIVIST_LABELS & set(request.author_labels) and request.author_influence >= HIGH_INFLUENCE:
        official = True
    if official:
        needs.append("official_statement")
    return tuple(needs)


def is_technical(request: RoutingRequest) -> bool:
    return bool(TECHNICAL_INTENTS & set(request.intents)) and bool(request.topics)


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def availability(member: MemberProfile, now: datetime) -> str | None:
    """None when the member can take a case now, else why not (English, for the explanation)."""
    try:
        local = now.astimezone(_zone(member.timezone))
    except ZoneInfoNotFoundError:
        raise ValidationFailedError(
            f"Member '{member.key}' has an unknown time zone {member.timezone!r}; use an IANA name such as Europe/Paris."
        ) from None
    today = local.date()
    for absence in member.absences:
        if absence.start <= today <= absence.end:
            return "absent"
    if WEEKDAYS[local.weekday()] not in member.days:
        return "not a working day"
    if not (member.start <= local.time() < member.end):
        return "outside working hours"
    if member.open_cases >= member.max_open_cases:
        return "at the load cap"
    return None


def _covers(scope: frozenset[str] | None, value: str) -> bool:
    return scope is None or value in scope


def _speaks(member: MemberProfile, language: str | None) -> bool:
    if not language or language == "und":
        return True
    return language in member.languages and _covers(member.mandate_languages, language)


def _covers_topics(member: MemberProfile, topics: Sequence[str]) -> bool:
    """At least one of the case's topics is the member's and inside their mandate (no topic: anyone)."""
    if not topics:
        return True
    return any(_covers(member.topics, t) and _covers(member.mandate_topics, t) for t in topics)


NEED_TEXT = {
    "refund": ("peut rembourser (mandat)", "may refund (mandate)"),
    "official_statement": (
        "détient le mandat de porte-parole (déclaration officielle)",
        "holds the spokesperson mandate (official statement)",
    ),
}


def route(
    request: RoutingRequest,
    members: Sequence[MemberProfile],
    *,
    now: datetime,
    penalties: Mapping[tuple[str, str], int] | None = None,
) -> Assignment:
    """Pick the best member for ``request``; see the module docstring for the rules."""
    if now.tzinfo is None:
        raise ValidationFailedError("route() needs a timezone-aware 'now' (use vigie.core.clock.utcnow()).")
    penalties = penalties or {}
    needs = needs_of(request)
    technical = is_technical(request)
    pool = [m for m in members if m.key not in request.exclude]
    relaxed: list[str] = []

    def keep(label: str, test: Any) -> None:
        nonlocal pool
        kept = [m for m in pool if test(m)]
        if kept:
            pool = kept
        elif pool:
            relaxed.append(label)

    for need in needs:
        keep(need, lambda m, need=need: need in m.capabilities)
    keep("language", lambda m: _speaks(m, request.language))
    keep("topic", lambda m: _covers_topics(m, request.topics))
    why_not = {m.key: availability(m, now) for m in pool}
    keep("availability", lambda m: why_not[m.key] is None)

    if not pool:
        nobody = Reason(
            "nobody", "personne dans l'équipe ne peut prendre ce cas", "nobody in the team can take this case"
        )
        return Assignment(None, None, 0.0, needs, (nobody,), tuple(relaxed))

    available = "availability" not in relaxed
    quick = sorted(
        (_score(m, request, needs, technical, penalties, available, explain=False) for m in pool),
        key=lambda c: (-c.score, c.key),
    )
    # Explanations (bilingual texts) only for the chosen member and the runners-up shown.
    by_key = {m.key: m for m in pool}
    scored = [_score(by_key[c.key], request, needs, technical, penalties, available) for c in quick[:4]]
    best = scored[0]
    chosen = next(m for m in pool if m.key == best.key)
    reasons = list(best.reasons)
    for label in relaxed:
        reasons.append(
            Reason(
                f"relaxed:{label}",
                f"exigence assouplie faute de candidat : {_FR_LABEL.get(label, label)}",
                f"requirement relaxed, nobody met it: {label}",
            )
        )
    return Assignment(
        chosen.key, chosen.id, best.score, needs, tuple(reasons), tuple(relaxed), tuple(scored[1:4])
    )


_FR_LABEL = {
    "refund": "mandat de remboursement",
    "official_statement": "mandat de porte-parole",
    "language": "langue",
    "topic": "sujet",
    "availability": "disponibilité",
}


def _score(
    m: MemberProfile,
    request: RoutingRequest,
    needs: tuple[str, ...],
    technical: bool,
    penalties: Mapping[tuple[str, str], int],
    available: bool,
    explain: bool = True,
) -> Candidate:
    """The member's score; with ``explain`` also the reasons (texts cost time, so only for the few shown)."""
    score = 0.0
    reasons: list[Reason] = []
    # The case's topics come main topic first: expertise and membership count fully on it, half on others.
    best_topic, level, weighted = None, 0, 0.0
    for rank, topic in enumerate(request.topics):
        value = m.expertise.get(topic, 0) * (1.0 if rank == 0 else 0.5)
        if value > weighted:
            best_topic, level, weighted = topic, m.expertise.get(topic, 0), value
    score += (25.0 if technical else 6.0) * weighted
    if m.topics is not None:
        for rank, topic in enumerate(request.topics):
            if topic in m.topics:
                score += 4.0 if rank == 0 else 2.0
                break
    elif not request.topics:
        score += 3.0  # nothing specific: a generalist rather than a specialist
    # Keep scarce authority for what needs it.
    if "official_statement" not in needs and "official_statement" in m.capabilities:
        score -= 20.0
    # Experts are for technical questions; a non-technical case prefers people whose job is the inbox.
    if not technical and m.topics is not None and request.topics and "apology" not in m.capabilities:
        score -= 10.0
    load = m.open_cases / m.max_open_cases if m.max_open_cases else 1.0
    score -= 20.0 * load
    handbacks = 0
    for key in (*(f"topic:{t}" for t in request.topics), *(f"intent:{i}" for i in request.intents)):
        handbacks = max(handbacks, penalties.get((m.key, key), 0))
    score -= 30.0 * handbacks
    if not explain:
        return Candidate(m.key, score, ())

    for need in needs:
        if need in m.capabilities:
            fr, en = NEED_TEXT[need]
            reasons.append(Reason(f"mandate:{need}", fr, en))
    if request.language and request.language != "und" and request.language in m.languages:
        reasons.append(Reason("language", f"parle {request.language}", f"speaks {request.language}"))
    if best_topic is not None and technical and level >= EXPERT_LEVEL:
        reasons.append(
            Reason(
                "expert",
                f"experte/expert de « {best_topic} » (niveau {level}/5) pour une question technique",
                f"expert on '{best_topic}' (level {level}/5) for a technical question",
            )
        )
    elif best_topic is not None:
        reasons.append(
            Reason(
                "expertise", f"expertise « {best_topic} » {level}/5", f"expertise on '{best_topic}' {level}/5"
            )
        )
    cases_fr = f"{m.open_cases}/{m.max_open_cases} cas ouverts"
    cases_en = f"{m.open_cases}/{m.max_open_cases} open cases"
    if available:
        reasons.append(Reason("load", f"disponible maintenant, {cases_fr}", f"available now, {cases_en}"))
    else:
        reasons.append(Reason("load", cases_fr, cases_en))
    if handbacks:
        reasons.append(
            Reason(
                "handbacks",
                f"a rendu {handbacks} cas semblable(s) (pénalité apprise)",
                f"handed back {handbacks} similar case(s) before (learnt penalty)",
            )
        )
    return Candidate(m.key, score, tuple(reasons))

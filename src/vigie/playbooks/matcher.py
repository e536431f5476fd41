"""Which playbooks fit a message: a pure matcher over triggers, with a score and the reasons.

Each trigger a playbook sets (intents, sentiment, toxicity, topics, author type, crisis grade) is a
condition with a weight. A met condition adds its weight, a missed one subtracts half of it
(a met condition that accepts many values weighs less, see ``UNIVERSE``); an
empty trigger list means "any" and counts for nothing. Playbooks with no met condition, or with a
missed hard condition (minimum toxicity, crisis grade), are not suggested. The score is the sum,
so a playbook whose several specific triggers all hold beats a generic one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

WEIGHTS: dict[str, float] = {
    "intents": 3.0,
    "crisis_grades": 6.0,
    "toxicity_min": 3.0,
    "author_types": 2.0,
    "topics": 2.0,
    "sentiment": 1.0,
}
# A missed hard condition rules the playbook out (a holding statement outside a crisis, say).
HARD = frozenset({"toxicity_min", "crisis_grades"})
MISS_PENALTY = 0.5
# How many values each trigger can take: a condition accepting few of them is more telling, so a
# met condition weighs between half (accepts nearly everything) and all of its weight.
UNIVERSE = {"intents": 9, "sentiment": 3, "author_types": 7, "crisis_grades": 4}
# Author labels of the analysis history mapped to playbook author types, most specific first.
_LABEL_TYPES = ("activist", "journalist", "influencer", "employee", "troll")


@dataclass(frozen=True)
class MessageFacts:
    """What the matcher needs to know about a message, from its analysis and context."""

    language: str = "en"
    intents: tuple[str, ...] = ()
    sentiment: str | None = None
    toxicity: float = 0.0
    topics: tuple[str, ...] = ()
    author_type: str = "unknown"
    crisis_grade: str = "normal"


@dataclass(frozen=True)
class Suggestion:
    key: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "score": round(self.score, 3), "reasons": self.reasons}


def author_type(
    labels: Iterable[str] = (), *, toxic_messages: int = 0, messages: int = 0, is_customer: bool = False
) -> str:
    """The playbook author type from an author's history labels and counters."""
    label_set = {label.lower() for label in labels}
    for kind in _LABEL_TYPES:
        if kind in label_set:
            return kind
    if toxic_messages >= 2:
        return "troll"
    if is_customer or "customer" in label_set or messages > 0:
        return "customer"
    return "unknown"


def facts_from_analysis(
    analysis: Mapping[str, Any] | None,
    *,
    author_type: str = "unknown",
    crisis_grade: str = "normal",
    language: str | None = None,
) -> MessageFacts:
    """Read the fields of a ``Message.analysis`` JSON (missing parts count as unknown)."""
    data = analysis or {}
    lang = language or str((data.get("language") or {}).get("code") or "en")
    return MessageFacts(
        language=lang,
        intents=tuple(str(i) for i in (data.get("intents") or {}).get("labels", [])),
        sentiment=(data.get("sentiment") or {}).get("label"),
        toxicity=float((data.get("toxicity") or {}).get("score") or 0.0),
        topics=tuple(str(t) for t in (data.get("topics") or {}).get("keys", [])),
        author_type=author_type,
        crisis_grade=crisis_grade,
    )


def _score(
    triggers: Mapping[str, Any], facts: MessageFacts, topic_count: int
) -> tuple[float, list[str], bool]:
    score = 0.0
    reasons: list[str] = []
    met_any = False
    universe = {**UNIVERSE, "topics": max(topic_count, 1)}

    def judge(name: str, met: bool, why: str) -> bool:
        nonlocal score, met_any
        weight = WEIGHTS[name]
        if met:
            accepted = len(triggers.get(name) or []) if name in universe else 1
            share = min(accepted / universe[name], 1.0) if name in universe else 0.0
            if name == "crisis_grades" and facts.crisis_grade == "normal":
                # The everyday state tells nothing: it only keeps crisis-only playbooks out.
                weight = 0.0
            score += weight * (1.0 - 0.5 * share)
            met_any = met_any or weight > 0
            reasons.append(why)
            return True
        score -= weight * MISS_PENALTY
        return name not in HARD

    intents = list(triggers.get("intents") or [])
    if intents:
        common = [i for i in facts.intents if i in intents]
        judge("intents", bool(common), f"intent {', '.join(common)}")
    sentiments = list(triggers.get("sentiment") or [])
    if sentiments and facts.sentiment is not None:
        judge("sentiment", facts.sentiment in sentiments, f"sentiment {facts.sentiment}")
    toxicity_min = triggers.get("toxicity_min")
    if toxicity_min is not None and not judge(
        "toxicity_min",
        facts.toxicity >= float(toxicity_min),
        f"toxicity {facts.toxicity:.2f} ≥ {toxicity_min}",
    ):
        return score, reasons, False
    topics = list(triggers.get("topics") or [])
    if topics and "*" not in topics:
        common = [t for t in facts.topics if t in topics]
        judge("topics", bool(common), f"topic {', '.join(common)}")
    authors = list(triggers.get("author_types") or [])
    if authors:
        judge("author_types", facts.author_type in authors, f"author is {facts.author_type}")
    grades = list(triggers.get("crisis_grades") or [])
    if grades and not judge(
        "crisis_grades", facts.crisis_grade in grades, f"crisis grade {facts.crisis_grade}"
    ):
        return score, reasons, False
    return score, reasons, met_any


def suggest(
    playbooks: Sequence[Mapping[str, Any]], facts: MessageFacts, *, limit: int = 3, topic_count: int = 12
) -> list[Suggestion]:
    """Rank playbook specs (``playbooks/<key>.yaml`` as dicts) for a message, best first.

    ``topic_count`` is the number of topics of the workspace (how telling a topic list is).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    ranked: list[Suggestion] = []
    for spec in playbooks:
        score, reasons, eligible = _score(spec.get("triggers") or {}, facts, topic_count)
        if eligible and score > 0:
            ranked.append(Suggestion(str(spec["key"]), score, reasons))
    ranked.sort(key=lambda s: (-s.score, s.key))
    return ranked[:limit]

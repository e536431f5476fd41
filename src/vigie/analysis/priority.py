"""Author influence and message priority: pure functions over analysis results, with readable reasons."""

from __future__ import annotations

import math

from vigie.analysis.schemas import (
    AuthorContext,
    InfluenceResult,
    Intent,
    IntentsResult,
    PiiResult,
    PriorityLevel,
    PriorityResult,
    SentimentResult,
    ToxicityKind,
    ToxicityResult,
)

# Labels that make an author someone whose words travel, with the influence they add.
LABEL_WEIGHTS = {"journalist": 0.35, "activist": 0.3, "influencer": 0.3, "elected": 0.3, "politician": 0.3}
FOLLOWERS_FOR_FULL_REACH = 1_000_000  # log-scale: 1M followers gives the whole reach part

LEVEL_THRESHOLDS = ((PriorityLevel.URGENT, 70.0), (PriorityLevel.HIGH, 45.0), (PriorityLevel.NORMAL, 20.0))
INTENT_POINTS = {
    Intent.LEGAL_THREAT.value: (30.0, "legal threat"),
    Intent.MANAGER_DEMAND.value: (25.0, "asks for a manager or an official answer"),
    Intent.CHURN_THREAT.value: (15.0, "threatens to leave"),
    Intent.COMPLAINT.value: (15.0, "complaint"),
    Intent.BUG_REPORT.value: (10.0, "bug report"),
    Intent.QUESTION.value: (8.0, "question waiting for an answer"),
    Intent.PURCHASE_INTENT.value: (8.0, "wants to buy"),
    Intent.FEATURE_REQUEST.value: (3.0, "feature request"),
}


def author_influence(author: AuthorContext) -> InfluenceResult:
    """0..1: reach (followers, log-scaled, 0.6 at most) plus labels and history with us."""
    reasons: list[str] = []
    score = 0.0
    followers = author.followers or 0
    if followers > 0:
        reach = min(1.0, math.log10(1 + followers) / math.log10(1 + FOLLOWERS_FOR_FULL_REACH))
        score += 0.6 * reach
        if followers >= 10_000:
            reasons.append(f"{followers:,} followers")
    for label in author.labels:
        weight = LABEL_WEIGHTS.get(label)
        if weight is not None:
            score += weight
            reasons.append(label)
    history = 0.0
    if author.complaints >= 3:
        history += 0.05 * min(author.complaints, 10) / 2
        reasons.append(f"{author.complaints} past complaints")
    if author.manager_demands:
        history += 0.1
        reasons.append(f"asked for a manager {author.manager_demands} time(s) before")
    if author.legal_threats:
        history += 0.1
        reasons.append(f"{author.legal_threats} past legal threat(s)")
    if author.toxic_messages >= 2:
        reasons.append(f"{author.toxic_messages} past toxic messages")
    score += min(history, 0.3)
    return InfluenceResult(score=min(score, 1.0), reasons=reasons)


# Enum members' ``.value`` is a property lookup; the hot path reads plain strings.
_PRAISE = Intent.PRAISE.value
_TOPIC_INTENTS = frozenset({Intent.COMPLAINT.value, Intent.QUESTION.value})
_LEVELS = tuple((level.value, threshold) for level, threshold in LEVEL_THRESHOLDS)
_LOW = PriorityLevel.LOW.value
_THREAT = ToxicityKind.THREAT.value


def prioritise(
    *,
    sentiment: SentimentResult,
    toxicity: ToxicityResult,
    intents: IntentsResult,
    pii: PiiResult,
    influence: InfluenceResult | None,
    topic_keys: list[str],
) -> PriorityResult:
    """A 0..100 score and a level (urgent >= 70, high >= 45, normal >= 20, else low), with reasons."""
    score = 10.0
    reasons: list[str] = []
    labels = intents.labels
    for intent in labels:
        found = INTENT_POINTS.get(intent)
        if found is not None:
            score += found[0]
            reasons.append(found[1])
    if _PRAISE in labels and len(set(labels)) == 1:
        score -= 5.0
    if sentiment.label == "negative":
        points = 10.0 + 10.0 * min(1.0, max(0.0, -sentiment.score))
        score += points
        reasons.append(f"negative tone ({sentiment.score:+.2f})")
    if _THREAT in toxicity.kinds:
        score += 60.0  # a threat of harm is always urgent
        reasons.append("threat of harm")
    elif toxicity.toxic:
        score += 10.0
        reasons.append(f"toxic ({', '.join(toxicity.kinds)})")
    if pii.findings:
        score += 15.0
        reasons.append(f"personal data exposed in public ({', '.join(pii.kinds)})")
    if influence is not None and influence.score > 0:
        points = 30.0 * influence.score
        score += points
        if influence.score >= 0.3:
            reasons.append(
                "influential author" + (f": {', '.join(influence.reasons)}" if influence.reasons else "")
            )
    if topic_keys and not _TOPIC_INTENTS.isdisjoint(labels):
        reasons.append(f"topic: {', '.join(topic_keys)}")
    if score > 100.0:
        score = 100.0
    elif score < 0.0:
        score = 0.0
    level = _LOW
    for candidate, threshold in _LEVELS:
        if score >= threshold:
            level = candidate
            break
    if not reasons:
        reasons.append("nothing that needs attention")
    return PriorityResult(level, score, reasons)

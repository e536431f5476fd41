"""What the analysis produces: one result type per task and the whole ``Analysis``, all JSON-ready.

``Analysis.to_dict()`` is what is stored in ``Message.analysis`` and printed by ``vigie analyze --json``.
Every task result names the analyser that produced it and its version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ANALYSIS_FORMAT = 1


class Task(StrEnum):
    """The pluggable analysis tasks, in the order the pipeline runs them."""

    LANGUAGE = "language"
    SENTIMENT = "sentiment"
    TOXICITY = "toxicity"
    INTENTS = "intents"
    TOPICS = "topics"
    PII = "pii"


class Intent(StrEnum):
    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    BUG_REPORT = "bug_report"
    FEATURE_REQUEST = "feature_request"
    MANAGER_DEMAND = "manager_demand"
    LEGAL_THREAT = "legal_threat"
    CHURN_THREAT = "churn_threat"
    PURCHASE_INTENT = "purchase_intent"


class ToxicityKind(StrEnum):
    INSULT = "insult"
    THREAT = "threat"
    HATE = "hate"
    OBSCENITY = "obscenity"


class PiiKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CARD = "card"
    IBAN = "iban"
    ADDRESS = "address"


class PriorityLevel(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class AnalyserRef:
    name: str
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass(slots=True)
class LanguageResult:
    code: str  # ISO 639-1, or "und" when nothing can be said
    confidence: float
    analyser: AnalyserRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "confidence": round(self.confidence, 3), "analyser": _ref(self.analyser)}


@dataclass(slots=True)
class SentimentResult:
    label: str  # negative / neutral / positive
    score: float  # from -1 (very negative) to +1 (very positive)
    probabilities: dict[str, float] | None = None
    analyser: AnalyserRef | None = None
    adjusted: str | None = None  # why the pipeline changed the analyser's label, if it did

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "score": round(self.score, 3)}
        if self.probabilities is not None:
            out["probabilities"] = {k: round(v, 3) for k, v in self.probabilities.items()}
        if self.adjusted is not None:
            out["adjusted"] = self.adjusted
        out["analyser"] = _ref(self.analyser)
        return out


@dataclass(slots=True)
class ToxicityResult:
    score: float  # 0 (clean) to 1 (certainly toxic)
    kinds: list[str] = field(default_factory=list)  # ToxicityKind values
    terms: list[str] = field(default_factory=list)  # what was matched, for the person reviewing
    analyser: AnalyserRef | None = None

    @property
    def toxic(self) -> bool:
        return self.score >= 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 3),
            "toxic": self.toxic,
            "kinds": self.kinds,
            "terms": self.terms,
            "analyser": _ref(self.analyser),
        }


@dataclass(slots=True)
class IntentsResult:
    labels: list[str] = field(default_factory=list)  # Intent values, several at once
    evidence: dict[str, list[str]] = field(default_factory=dict)  # intent -> matched phrases
    analyser: AnalyserRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"labels": self.labels, "evidence": self.evidence, "analyser": _ref(self.analyser)}


@dataclass(slots=True)
class TopicsResult:
    keys: list[str] = field(default_factory=list)
    matches: dict[str, list[str]] = field(default_factory=dict)  # topic key -> matched keywords
    analyser: AnalyserRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"keys": self.keys, "matches": self.matches, "analyser": _ref(self.analyser)}


@dataclass(slots=True)
class PiiFinding:
    kind: str  # PiiKind value
    start: int
    end: int
    masked: str  # never the full value: personal data must not spread through logs and exports

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "masked": self.masked}


@dataclass(slots=True)
class PiiResult:
    findings: list[PiiFinding] = field(default_factory=list)
    analyser: AnalyserRef | None = None

    @property
    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        findings = self.findings
        if not findings:  # most messages: no set to sort, no list to walk
            return {"present": False, "kinds": [], "findings": [], "analyser": _ref(self.analyser)}
        return {
            "present": True,
            "kinds": self.kinds,
            "findings": [f.to_dict() for f in findings],
            "analyser": _ref(self.analyser),
        }


@dataclass(frozen=True, slots=True)
class AuthorContext:
    """What we know of the author when the message is analysed (from ``Author`` and its history)."""

    handle: str | None = None
    followers: int | None = None
    complaints: int = 0
    toxic_messages: int = 0
    manager_demands: int = 0
    legal_threats: int = 0
    messages: int = 0
    labels: tuple[str, ...] = ()  # e.g. "journalist", "activist", "influencer"

    @classmethod
    def from_history(
        cls, *, handle: str | None, followers: int | None, history: dict[str, Any] | None
    ) -> AuthorContext:
        data = history or {}
        labels = data.get("labels") or ()
        return cls(
            handle=handle,
            followers=followers,
            complaints=int(data.get("complaints", 0)),
            toxic_messages=int(data.get("toxic_messages", 0)),
            manager_demands=int(data.get("manager_demands", 0)),
            legal_threats=int(data.get("legal_threats", 0)),
            messages=int(data.get("messages_analysed", 0)),
            labels=tuple(str(x).lower() for x in labels),
        )


@dataclass(slots=True)
class InfluenceResult:
    score: float  # 0..1
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"influence": round(self.score, 3), "reasons": self.reasons}


@dataclass(slots=True)
class PriorityResult:
    level: str  # PriorityLevel value
    score: float  # 0..100
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "score": round(self.score, 1), "reasons": self.reasons}


@dataclass(slots=True)
class Analysis:
    language: LanguageResult
    sentiment: SentimentResult
    toxicity: ToxicityResult
    intents: IntentsResult
    topics: TopicsResult
    pii: PiiResult
    author: InfluenceResult | None
    priority: PriorityResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": ANALYSIS_FORMAT,
            "language": self.language.to_dict(),
            "sentiment": self.sentiment.to_dict(),
            "toxicity": self.toxicity.to_dict(),
            "intents": self.intents.to_dict(),
            "topics": self.topics.to_dict(),
            "pii": self.pii.to_dict(),
            "author": None if self.author is None else self.author.to_dict(),
            "priority": self.priority.to_dict(),
        }


def _ref(ref: AnalyserRef | None) -> dict[str, str] | None:
    # ``ref.to_dict()`` written out: six of these per analysis, and the call costs as much as the dict.
    return None if ref is None else {"name": ref.name, "version": ref.version}

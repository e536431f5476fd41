"""Aggregates over messages, cases, drafts and alerts (read-only; portable across SQLite and PostgreSQL).

Counting is done in Python over a time window so the JSON analysis needs no database-specific operator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vigie.cases.models import Case, CaseMessage
from vigie.crisis.models import Alert, Crisis
from vigie.governance.models import Draft
from vigie.ingest.models import Message
from vigie.workspace.models import Workspace


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Bucket:
    start: datetime
    volume: int
    sentiment: float  # mean score in [-1, 1]; 0 when no analysed message

    def to_dict(self) -> dict[str, Any]:
        return {
            "t": self.start.strftime("%H:%M"),
            "at": self.start.isoformat(),
            "volume": self.volume,
            "sentiment": round(self.sentiment, 3),
        }


def volume_series(
    session: Session, workspace: Workspace, *, since: datetime, until: datetime, bucket: timedelta
) -> list[Bucket]:
    """Messages per bucket and their mean sentiment score, from ``since`` to ``until``."""
    rows = session.execute(
        select(Message.created_at, Message.analysis).where(
            Message.workspace_id == workspace.id,
            Message.created_at >= since,
            Message.created_at <= until,
            Message.drill.is_(False),
        )
    ).all()
    size = bucket.total_seconds()
    count = max(1, int((until - since).total_seconds() // size) + 1)
    volumes = [0] * count
    scores: list[list[float]] = [[] for _ in range(count)]
    for created_at, analysis in rows:
        index = int((_aware(created_at) - _aware(since)).total_seconds() // size)
        if 0 <= index < count:
            volumes[index] += 1
            score = ((analysis or {}).get("sentiment") or {}).get("score")
            if isinstance(score, int | float):
                scores[index].append(float(score))
    return [
        Bucket(
            start=since + bucket * i,
            volume=volumes[i],
            sentiment=sum(scores[i]) / len(scores[i]) if scores[i] else 0.0,
        )
        for i in range(count)
    ]


def latest_message_time(session: Session, workspace: Workspace) -> datetime | None:
    value = session.scalar(select(func.max(Message.created_at)).where(Message.workspace_id == workspace.id))
    return None if value is None else _aware(value)


def messages_by_ids(session: Session, workspace: Workspace, ids: Sequence[int]) -> list[Message]:
    if not ids:
        return []
    return list(
        session.scalars(
            select(Message)
            .where(Message.workspace_id == workspace.id, Message.id.in_(list(ids)[:200]))
            .order_by(Message.created_at)
        )
    )


def list_crises(session: Session, workspace: Workspace) -> list[Crisis]:
    return list(
        session.scalars(select(Crisis).where(Crisis.workspace_id == workspace.id).order_by(Crisis.id.desc()))
    )


@dataclass
class Dashboard:
    messages: int = 0
    sentiment: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    cases_by_status: Counter[str] = field(default_factory=Counter)
    escalated: int = 0
    overdue: int = 0
    response_minutes_median: float | None = None
    response_minutes_p90: float | None = None
    drafts_by_verdict: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    alerts_by_grade: Counter[str] = field(default_factory=Counter)
    volume: list[Bucket] = field(default_factory=list)


def dashboard(session: Session, workspace: Workspace, *, since: datetime, until: datetime) -> Dashboard:
    """Everything the dashboards page draws, over one time window."""
    board = Dashboard()
    for (analysis,) in session.execute(
        select(Message.analysis).where(
            Message.workspace_id == workspace.id,
            Message.created_at >= since,
            Message.created_at <= until,
            Message.drill.is_(False),
        )
    ):
        board.messages += 1
        data = analysis or {}
        board.sentiment[str((data.get("sentiment") or {}).get("label", "unknown"))] += 1
        board.intents.update(str(x) for x in (data.get("intents") or {}).get("labels", []))
        board.topics.update(str(x) for x in (data.get("topics") or {}).get("keys", []))
        board.languages[str((data.get("language") or {}).get("code", "und"))] += 1
    response: list[float] = []
    now = until
    for case in session.scalars(
        select(Case).where(Case.workspace_id == workspace.id, Case.created_at >= since)
    ):
        board.cases_by_status[case.status] += 1
        if case.escalated_at is not None:
            board.escalated += 1
        if case.sla_due_at is not None and case.first_response_at is None and _aware(case.sla_due_at) < now:
            board.overdue += 1
        if case.first_response_at is not None:
            delta = _aware(case.first_response_at) - _aware(case.created_at)
            response.append(delta.total_seconds() / 60)
    if response:
        response.sort()
        board.response_minutes_median = median(response)
        board.response_minutes_p90 = response[min(len(response) - 1, int(0.9 * len(response)))]
    for verdict, findings in session.execute(
        select(Draft.verdict, Draft.findings).where(Draft.workspace_id == workspace.id)
    ):
        board.drafts_by_verdict[verdict or "none"] += 1
        board.findings.update(str(f.get("category", "?")) for f in (findings or []))
    for grade, count in session.execute(
        select(Alert.grade, func.count())
        .where(Alert.workspace_id == workspace.id)
        .group_by(Alert.grade)
        .order_by(func.min(Alert.id))
    ):
        board.alerts_by_grade[grade] = int(count)
    span = until - since
    board.volume = volume_series(
        session, workspace, since=since, until=until, bucket=max(timedelta(minutes=10), span / 48)
    )
    return board


@dataclass(frozen=True)
class CaseSummary:
    count: int
    last: Message | None


def case_summaries(session: Session, workspace: Workspace, case_ids: Sequence[int]) -> dict[int, CaseSummary]:
    """Message count and latest message of each case, in two queries (the inbox's rows)."""
    if not case_ids:
        return {}
    stats = session.execute(
        select(CaseMessage.case_id, func.count(), func.max(CaseMessage.message_id))
        .where(CaseMessage.case_id.in_(list(case_ids)))
        .group_by(CaseMessage.case_id)
    ).all()
    last_ids = [int(row[2]) for row in stats]
    messages = {
        m.id: m
        for m in session.scalars(
            select(Message).where(Message.workspace_id == workspace.id, Message.id.in_(last_ids))
        )
    }
    return {
        int(case_id): CaseSummary(count=int(count), last=messages.get(int(last)))
        for case_id, count, last in stats
    }

"""Use cases that write: analyse the messages stored without an analysis, record a correction,
and turn corrections into training rows. The caller owns the transaction (nothing here commits)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.analysis.classifiers.tasks import check_label, task_labels
from vigie.analysis.models import AnalysisCorrection
from vigie.analysis.pipeline import Pipeline, TextItem
from vigie.analysis.priority import author_influence
from vigie.analysis.schemas import Analysis, AuthorContext, Intent
from vigie.analysis.topics import EmergingTerm, TopicMatcher, emerging_topics, topics_from_spec
from vigie.core.clock import utcnow
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.ingest.models import Author, Message
from vigie.workspace.models import Workspace

DEFAULT_BATCH = 500


@dataclass(slots=True)
class AnalyseSummary:
    analysed: int = 0
    authors_updated: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"analysed": self.analysed, "authors_updated": self.authors_updated}


def pipeline_for(workspace: Workspace) -> Pipeline:
    """The pipeline a workspace asks for (its topics, languages and `analysers:` selection)."""
    return Pipeline.for_workspace(workspace.spec or {})


def _count(history: dict[str, Any], key: str) -> None:
    history[key] = int(history.get(key, 0)) + 1


def _update_author(author: Author, analysis: Analysis) -> None:
    history = dict(author.history or {})
    _count(history, "messages_analysed")
    labels = set(analysis.intents.labels)
    if Intent.COMPLAINT.value in labels:
        _count(history, "complaints")
    if Intent.MANAGER_DEMAND.value in labels:
        _count(history, "manager_demands")
    if Intent.LEGAL_THREAT.value in labels:
        _count(history, "legal_threats")
    if analysis.toxicity.toxic:
        _count(history, "toxic_messages")
    author.history = history  # a new dict, so the JSON column is marked changed
    context = AuthorContext.from_history(handle=author.handle, followers=author.followers, history=history)
    author.influence = author_influence(context).score


def analyse_pending(
    *,
    session: Session,
    workspace: Workspace,
    pipeline: Pipeline | None = None,
    message_ids: Sequence[int] | None = None,
    batch_size: int = DEFAULT_BATCH,
    limit: int | None = None,
) -> AnalyseSummary:
    """Analyse the workspace's messages whose ``analysis`` is null (only ``message_ids`` when given),
    oldest first, in batches; store ``Message.analysis`` and update each author's history and influence.

    The author context of a message is the history as it was before that message, so a message is
    never counted in its own author's history.
    """
    if batch_size < 1:
        raise ValidationFailedError("batch_size must be at least 1.")
    runner = pipeline or pipeline_for(workspace)
    summary = AnalyseSummary()
    touched: set[int] = set()
    last_id = 0
    while limit is None or summary.analysed < limit:
        size = batch_size if limit is None else min(batch_size, limit - summary.analysed)
        query = (
            select(Message)
            .where(Message.workspace_id == workspace.id, Message.analysis.is_(None), Message.id > last_id)
            .order_by(Message.id)
            .limit(size)
        )
        if message_ids is not None:
            query = query.where(Message.id.in_(list(message_ids)))
        messages = list(session.scalars(query))
        if not messages:
            break
        last_id = messages[-1].id
        author_ids = {m.author_id for m in messages if m.author_id is not None}
        authors = (
            {a.id: a for a in session.scalars(select(Author).where(Author.id.in_(author_ids)))}
            if author_ids
            else {}
        )
        partials = runner.analyse_texts([TextItem(m.text, m.lang) for m in messages])
        for message, partial in zip(messages, partials, strict=True):
            author = authors.get(message.author_id) if message.author_id is not None else None
            context = (
                None
                if author is None
                else AuthorContext.from_history(
                    handle=author.handle, followers=author.followers, history=author.history
                )
            )
            analysis = runner.finish(partial, context)
            message.analysis = {**analysis.to_dict(), "analysed_at": utcnow().isoformat()}
            if author is not None:
                _update_author(author, analysis)
                touched.add(author.id)
        summary.analysed += len(messages)
        session.flush()
    summary.authors_updated = len(touched)
    return summary


# --- corrections ------------------------------------------------------------------------------


def _current_label(analysis: dict[str, Any] | None, task: str) -> str | None:
    if not analysis:
        return None
    if task == "sentiment":
        return str((analysis.get("sentiment") or {}).get("label") or "") or None
    if task == "toxicity":
        toxic = (analysis.get("toxicity") or {}).get("toxic")
        return None if toxic is None else ("toxic" if toxic else "non_toxic")
    if task == "complaint":
        labels = (analysis.get("intents") or {}).get("labels") or []
        return "complaint" if "complaint" in labels else "not_complaint"
    return None


def record_correction(
    *, session: Session, workspace: Workspace, message_id: int, task: str, label: str, corrected_by: str
) -> AnalysisCorrection:
    """Store a person's correction of one task on one message, and show it on the message's analysis."""
    value = check_label(task, label)
    if not corrected_by.strip():
        raise ValidationFailedError("Say who corrects the analysis (--by NAME).")
    message = session.get(Message, message_id)
    if message is None or message.workspace_id != workspace.id:
        raise NotFoundError(f"Message {message_id} does not exist in workspace '{workspace.slug}'.")
    correction = AnalysisCorrection(
        workspace_id=workspace.id,
        message_id=message.id,
        task=task,
        label=value,
        previous_label=_current_label(message.analysis, task),
        corrected_by=corrected_by.strip(),
        created_at=utcnow(),
    )
    session.add(correction)
    if message.analysis is not None:
        corrections = dict(message.analysis.get("corrections") or {})
        corrections[task] = {
            "label": value,
            "by": correction.corrected_by,
            "at": correction.created_at.isoformat(),
        }
        message.analysis = {**message.analysis, "corrections": corrections}
    session.flush()
    return correction


def corrections_as_training_rows(
    session: Session, workspace: Workspace | int, task: str
) -> list[dict[str, str]]:
    """``{"text", "label"}`` rows for ``task`` from the workspace's corrections (the latest per message)."""
    task_labels(task)
    workspace_id = workspace if isinstance(workspace, int) else workspace.id
    rows = session.execute(
        select(AnalysisCorrection.message_id, AnalysisCorrection.label, Message.text)
        .join(Message, Message.id == AnalysisCorrection.message_id)
        .where(AnalysisCorrection.workspace_id == workspace_id, AnalysisCorrection.task == task)
        .order_by(AnalysisCorrection.created_at, AnalysisCorrection.id)
    ).all()
    latest: dict[int, dict[str, str]] = {}
    for message_id, label, text in rows:
        latest[message_id] = {"text": text, "label": label}
    return list(latest.values())


# --- emerging topics --------------------------------------------------------------------------


def emerging_for_workspace(
    *,
    session: Session,
    workspace: Workspace,
    window_hours: float = 24.0,
    baseline_hours: float = 24.0 * 7,
    min_messages: int = 3,
    limit: int = 10,
    now: datetime | None = None,
    max_messages: int = 50_000,
) -> list[EmergingTerm]:
    """Emerging terms in the workspace's recent messages, compared with the period just before."""
    if window_hours <= 0 or baseline_hours < 0:
        raise ValidationFailedError("window_hours must be > 0 and baseline_hours >= 0.")
    end = now or utcnow()
    start = end - timedelta(hours=window_hours)
    base_start = start - timedelta(hours=baseline_hours)

    def texts(since: datetime, until: datetime) -> list[str]:
        return list(
            session.scalars(
                select(Message.text)
                .where(
                    Message.workspace_id == workspace.id,
                    Message.created_at >= since,
                    Message.created_at < until,
                )
                .order_by(Message.created_at.desc())
                .limit(max_messages)
            )
        )

    matcher = TopicMatcher(topics_from_spec((workspace.spec or {}).get("topics") or []))
    baseline = texts(base_start, start) if baseline_hours > 0 else None
    return emerging_topics(
        texts(start, end), matcher=matcher, baseline=baseline, min_messages=min_messages, limit=limit
    )

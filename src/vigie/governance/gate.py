"""The one gate: every text that leaves in the organisation's name passes through :func:`pass_gate`.

Replies to a case or a message, posts, employee advocacy posts and crisis holding statements (the
``kind``) all enter here, either as a new text (:class:`NewText`) or as an approval of a pending one
(:class:`ApprovalDecision`). The gate checks the text (charter + mandate), decides, writes the decision
and any publication to the audit log (exact text, author, mandate, findings, approver) in the caller's
transaction, and only then hands the text to the channel's publisher.

Publishers are private to this module: they are registered with :func:`register_publisher` (the
plugin hook) but only the gate ever calls them. ``tests/governance/test_gate_is_the_only_path.py``
fails if any other module writes to a channel.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.core.clock import utcnow
from vigie.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailedError
from vigie.core.settings import get_settings
from vigie.governance.checking import ChannelInfo, CheckOutcome, GovernanceData, check_for_writer
from vigie.governance.models import ApprovalRequest, Draft, OutboxItem, Publication
from vigie.governance.verdict import Verdict
from vigie.workspace.models import Workspace


class OutgoingKind(StrEnum):
    REPLY = "reply"
    POST = "post"
    ADVOCACY_POST = "advocacy_post"
    HOLDING_STATEMENT = "holding_statement"


class DraftStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    PUBLISHED = "published"
    BLOCKED = "blocked"
    REJECTED = "rejected"


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class NewText:
    """A text someone wants to send. ``author`` is a team member key."""

    kind: OutgoingKind
    author: str
    channel: str
    text: str
    lang: str | None = None
    in_reply_to_lang: str | None = None
    topics: tuple[str, ...] = ()
    case_id: int | None = None
    refs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApprovalDecision:
    """An approver releasing a pending draft, possibly with an edited text (checked again)."""

    approval_id: int
    approver: str
    edited_text: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class GateResult:
    draft: Draft
    outcome: CheckOutcome
    publication: Publication | None = None
    approval: ApprovalRequest | None = None

    @property
    def verdict(self) -> Verdict:
        return self.outcome.result.verdict


# --- publishers (private: only pass_gate calls them) ------------------------------------------


@dataclass(frozen=True)
class _Delivery:
    workspace: Workspace
    publication: Publication
    channel: ChannelInfo


# A publisher hands the text to the channel and returns an external reference when there is one.
_Publisher = Callable[[Session, _Delivery], str | None]


def _outbox_publisher(session: Session, delivery: _Delivery) -> str | None:
    """The demo/test channel: one row per publication, in the same transaction."""
    pub = delivery.publication
    item = OutboxItem(
        workspace_id=delivery.workspace.id,
        publication_id=pub.id,
        channel=pub.channel,
        kind=pub.kind,
        text=pub.text,
        payload={"author": pub.author, "approved_by": pub.approved_by, "draft_id": pub.draft_id},
    )
    session.add(item)
    session.flush()
    return f"outbox:{item.id}"


def jsonl_path(workspace_slug: str, channel: str, spec: dict[str, Any] | None = None) -> Path:
    """Where the JSONL publisher writes: the channel's ``path`` or ``<data_dir>/outbox/<ws>/<ch>.jsonl``."""
    configured = (spec or {}).get("path")
    if configured:
        return Path(str(configured))
    return get_settings().data_dir / "outbox" / workspace_slug / f"{channel}.jsonl"


def _jsonl_publisher(session: Session, delivery: _Delivery) -> str | None:
    """Appends one JSON line per publication, once the transaction has committed (never a text that
    the audit log does not hold)."""
    pub = delivery.publication
    path = jsonl_path(delivery.workspace.slug, pub.channel, dict(delivery.channel.spec))
    line = json.dumps(
        {
            "publication_id": pub.id,
            "workspace": delivery.workspace.slug,
            "channel": pub.channel,
            "kind": pub.kind,
            "author": pub.author,
            "approved_by": pub.approved_by,
            "text": pub.text,
            "published_at": pub.published_at.isoformat(),
        },
        ensure_ascii=False,
    )

    def write(_session: Session) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    event.listen(session, "after_commit", write, once=True)
    return f"jsonl:{path}"


_PUBLISHERS: dict[str, _Publisher] = {"outbox": _outbox_publisher, "jsonl": _jsonl_publisher}


def register_publisher(name: str, publisher: Callable[[Session, Any], str | None]) -> None:
    """Plugin hook: make a channel publisher available under ``name`` (a channel's ``publisher``).

    The callable receives the session and a delivery (``.workspace``, ``.publication``, ``.channel``);
    the gate alone calls it, after the decision and the publication are in the audit log.
    """
    if not name or name in _PUBLISHERS:
        raise ConflictError(f"a publisher named '{name}' is already registered; choose another name")
    _PUBLISHERS[name] = publisher


def publisher_names() -> list[str]:
    return sorted(_PUBLISHERS)


# --- the gate ---------------------------------------------------------------------------------


def pass_gate(
    session: Session,
    *,
    workspace: Workspace,
    data: GovernanceData,
    request: NewText | ApprovalDecision,
    today: date | None = None,
) -> GateResult:
    """Check, decide, audit, and publish when allowed. The caller owns the transaction.

    * ``NewText``: verdict for the author's mandate. ``publish`` -> published now; ``needs_approval``
      -> an approval request naming who may approve; ``blocked`` -> stored as blocked, nothing leaves.
    * ``ApprovalDecision``: the approver may not be the author and must hold a mandate covering the
      (possibly edited, re-checked) text; otherwise ``PermissionDeniedError`` and nothing changes.
    """
    day = today or data.book.today  # the day the mandates were resolved for
    if isinstance(request, NewText):
        return _new_text(session, workspace=workspace, data=data, request=request, today=day)
    return _approval(session, workspace=workspace, data=data, request=request, today=day)


def _require_member(data: GovernanceData, key: str, what: str) -> None:
    if key not in data.book.members:
        known = ", ".join(sorted(data.book.members)) or "none"
        raise ValidationFailedError(
            f"{what} '{key}' is not a team member of '{data.workspace_slug}' (members: {known}); "
            "texts are sent by people, not roles"
        )


def _new_text(
    session: Session, *, workspace: Workspace, data: GovernanceData, request: NewText, today: date
) -> GateResult:
    _require_member(data, request.author, "author")
    try:
        kind = OutgoingKind(request.kind)
    except ValueError as error:
        raise ValidationFailedError(
            f"unknown kind '{request.kind}'; use one of: {', '.join(k.value for k in OutgoingKind)}"
        ) from error
    data.channel(request.channel)
    outcome = check_for_writer(
        request.text,
        data=data,
        writer=request.author,
        today=today,
        kind=kind.value,
        lang=request.lang,
        channel=request.channel,
        in_reply_to_lang=request.in_reply_to_lang,
        topics=request.topics,
    )
    verdict = outcome.result.verdict
    status = {
        Verdict.PUBLISH: DraftStatus.PUBLISHED,
        Verdict.NEEDS_APPROVAL: DraftStatus.PENDING_APPROVAL,
        Verdict.BLOCKED: DraftStatus.BLOCKED,
    }[verdict]
    now = utcnow()
    draft = Draft(
        workspace_id=workspace.id,
        kind=kind.value,
        author=request.author,
        channel=request.channel,
        text=request.text,
        lang=outcome.lang,
        in_reply_to_lang=request.in_reply_to_lang,
        topics=list(request.topics),
        case_id=request.case_id,
        refs=dict(request.refs),
        status=status.value,
        verdict=verdict.value,
        findings=[f.to_dict() for f in outcome.findings],
        reasons=list(outcome.result.reasons),
        approvers=outcome.result.approvers.to_dict(),
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    session.flush()
    _audit_decision(session, workspace, draft, outcome, actor=request.author, approver=None)
    approval: ApprovalRequest | None = None
    publication: Publication | None = None
    if verdict is Verdict.NEEDS_APPROVAL:
        approval = ApprovalRequest(
            workspace_id=workspace.id,
            draft_id=draft.id,
            requested_by=request.author,
            requested_at=now,
            status=ApprovalStatus.PENDING.value,
            approvers=outcome.result.approvers.to_dict(),
            reasons=list(outcome.result.reasons),
        )
        session.add(approval)
        session.flush()
        append_audit(
            session,
            workspace=workspace,
            actor=request.author,
            action="governance.approval_requested",
            object_type="approval_request",
            object_key=str(approval.id),
            payload={
                "draft_id": draft.id,
                "approvers": approval.approvers,
                "reasons": approval.reasons,
            },
        )
    elif verdict is Verdict.PUBLISH:
        publication = _publish(session, workspace, data, draft, outcome, approver=None)
    return GateResult(draft=draft, outcome=outcome, publication=publication, approval=approval)


def _approval(
    session: Session, *, workspace: Workspace, data: GovernanceData, request: ApprovalDecision, today: date
) -> GateResult:
    approval = session.scalar(
        select(ApprovalRequest)
        .where(ApprovalRequest.workspace_id == workspace.id, ApprovalRequest.id == request.approval_id)
        .with_for_update()
    )
    if approval is None:
        raise NotFoundError(f"no approval request #{request.approval_id} in workspace '{workspace.slug}'")
    if approval.status != ApprovalStatus.PENDING.value:
        raise ConflictError(
            f"approval request #{approval.id} is already {approval.status} "
            f"(by {approval.decided_by}); nothing to approve"
        )
    draft = session.get(Draft, approval.draft_id)
    if draft is None:  # pragma: no cover - foreign key guarantees it
        raise NotFoundError(f"draft #{approval.draft_id} not found")
    _require_member(data, request.approver, "approver")
    if request.approver == draft.author:
        raise PermissionDeniedError(
            f"{request.approver} wrote draft #{draft.id} and cannot approve it; "
            f"ask one of: {', '.join(approval.approvers.get('members', [])) or 'nobody available'}"
        )
    text = draft.text if request.edited_text is None else request.edited_text
    edited = request.edited_text is not None and request.edited_text != draft.text
    outcome = check_for_writer(
        text,
        data=data,
        writer=request.approver,
        today=today,
        kind=draft.kind,
        lang=draft.lang,
        channel=draft.channel,
        in_reply_to_lang=draft.in_reply_to_lang,
        topics=tuple(str(t) for t in draft.topics),
        as_reviewer=True,
    )
    verdict = outcome.result.verdict
    if verdict is Verdict.BLOCKED:
        raise ValidationFailedError(
            ("the edited text" if edited else "the text")
            + " is blocked and cannot be approved: "
            + "; ".join(outcome.result.reasons)
        )
    if verdict is Verdict.NEEDS_APPROVAL:
        who = outcome.result.approvers
        names = ", ".join(m for m in who.members if m != draft.author) or "nobody else"
        raise PermissionDeniedError(
            f"{request.approver}'s mandate does not cover this text: "
            + "; ".join(outcome.result.reasons)
            + f". Who may approve it: {names}"
        )
    now = utcnow()
    draft.text = text
    draft.findings = [f.to_dict() for f in outcome.findings]
    draft.reasons = list(outcome.result.reasons)
    draft.status = DraftStatus.PUBLISHED.value
    draft.verdict = Verdict.PUBLISH.value
    draft.updated_at = now
    approval.status = ApprovalStatus.APPROVED.value
    approval.decided_by = request.approver
    approval.decided_at = now
    approval.comment = request.comment
    approval.edited = edited
    session.flush()
    _audit_decision(
        session,
        workspace,
        draft,
        outcome,
        actor=request.approver,
        approver=request.approver,
        extra={"approval_id": approval.id, "edited": edited, "comment": request.comment},
    )
    publication = _publish(session, workspace, data, draft, outcome, approver=request.approver)
    return GateResult(draft=draft, outcome=outcome, publication=publication, approval=approval)


def _audit_decision(
    session: Session,
    workspace: Workspace,
    draft: Draft,
    outcome: CheckOutcome,
    *,
    actor: str,
    approver: str | None,
    extra: dict[str, Any] | None = None,
) -> None:
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action="governance.decision",
        object_type="draft",
        object_key=str(draft.id),
        payload={
            "kind": draft.kind,
            "channel": draft.channel,
            "lang": draft.lang,
            "text": outcome.text,
            "author": draft.author,
            "decided_for": outcome.writer,
            "mandate": outcome.mandate.to_dict(),
            "verdict": outcome.result.verdict.value,
            "reasons": list(outcome.result.reasons),
            "approvers": outcome.result.approvers.to_dict(),
            "findings": [f.to_dict() for f in outcome.findings],
            "approver": approver,
            **(extra or {}),
        },
    )


def _publish(
    session: Session,
    workspace: Workspace,
    data: GovernanceData,
    draft: Draft,
    outcome: CheckOutcome,
    *,
    approver: str | None,
) -> Publication:
    channel = data.channel(draft.channel)
    publisher = _PUBLISHERS.get(channel.publisher)
    if publisher is None:
        raise ValidationFailedError(
            f"channel '{channel.name}' uses publisher '{channel.publisher}', which is not installed "
            f"(installed: {', '.join(publisher_names())})"
        )
    publication = Publication(
        workspace_id=workspace.id,
        draft_id=draft.id,
        kind=draft.kind,
        channel=draft.channel,
        publisher=channel.publisher,
        text=draft.text,
        author=draft.author,
        approved_by=approver,
        published_at=utcnow(),
    )
    session.add(publication)
    session.flush()
    entry = append_audit(
        session,
        workspace=workspace,
        actor=approver or draft.author,
        action="governance.publication",
        object_type="publication",
        object_key=str(publication.id),
        payload={
            "draft_id": draft.id,
            "kind": draft.kind,
            "channel": draft.channel,
            "publisher": channel.publisher,
            "text": draft.text,
            "author": draft.author,
            "approver": approver,
            "mandate": outcome.mandate.to_dict(),
            "findings": [f.to_dict() for f in outcome.findings],
        },
    )
    publication.audit_seq = entry.seq
    publication.external_ref = publisher(session, _Delivery(workspace, publication, channel))
    session.flush()
    return publication

"""Case use cases: open/update cases from messages, status changes, hand-backs, SLA checks, merge, split.

Every function takes the caller's session and never commits. Assignments, hand-backs, status changes,
escalations, merges and splits are recorded as case events and in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.cases.events import record_event
from vigie.cases.models import Case, CaseMessage
from vigie.cases.service import case_for_message, get_case, member_by_key
from vigie.cases.states import OPEN_STATUSES, CasePriority, CaseStatus, check_transition
from vigie.core.clock import ensure_utc, utcnow
from vigie.core.errors import ValidationFailedError
from vigie.ingest.models import Author, Message
from vigie.routing.actions import (
    Roster,
    assign,
    build_roster,
    learn_from_handback,
    load_spec,
    request_for,
    route_case,
)
from vigie.routing.rules import Assignment, needs_of
from vigie.workspace.models import Workspace
from vigie.workspace.schemas import WorkspaceSpec

MAX_THREAD_DEPTH = 500
# Asking for money back (fr/en): the answer will need someone whose mandate allows a refund. Routing reads
# it as the pseudo-intent ``refund_request`` next to the analysis intents.
REFUND_WORDS = re.compile(
    r"\b(rembours\w*|dédommag\w*|indemnis\w*|refund\w*|reimburs\w*|money back|compensat\w*)",
    re.IGNORECASE,
)


def _priority_of(message: Message) -> tuple[CasePriority, list[str]]:
    analysis = message.analysis or {}
    priority = analysis.get("priority") or {}
    level = priority.get("level")
    if not level:
        return CasePriority.NORMAL, ["not analysed yet: normal priority by default"]
    return CasePriority.parse(str(level)), [str(r) for r in priority.get("reasons", [])]


def sla_due(spec: WorkspaceSpec, priority: CasePriority, start: datetime) -> datetime:
    target = getattr(spec.workspace.sla, priority.label)
    return ensure_utc(start) + timedelta(minutes=int(target.first_response_minutes))


def _root_of(session: Session, message: Message, local: dict[int, Case]) -> tuple[str, Case | None]:
    """Follow in_reply_to on the same channel: the thread's root external id and the first case met."""
    current = message
    seen = {current.external_id}
    for _ in range(MAX_THREAD_DEPTH):
        if current.in_reply_to is None:
            return current.external_id, None
        parent = session.scalar(
            select(Message).where(
                Message.workspace_id == message.workspace_id,
                Message.channel_id == message.channel_id,
                Message.external_id == current.in_reply_to,
            )
        )
        if parent is None or parent.external_id in seen:
            # The parent is not stored (yet): the thread is known by the id it answers.
            return current.in_reply_to, None
        case = local.get(parent.id) or case_for_message(session, parent.id)
        if case is not None:
            return case.thread_key, case
        seen.add(parent.external_id)
        current = parent
    return current.external_id, None


def _absorb(case: Case, message: Message, author: Author | None) -> None:
    """Fold the message's analysis into the case's topics, intents, language and author profile."""
    data: dict[str, Any] = dict(case.data or {})
    analysis = message.analysis or {}
    topics = list(data.get("topics", []))
    found = analysis.get("topics") or {}
    matches = found.get("matches") or {}
    # Main topic first: the one with the most matched keywords (stable on ties).
    for key in sorted(found.get("keys", []), key=lambda k: -len(matches.get(k, []))):
        if key not in topics:
            topics.append(key)
    intents = list(data.get("intents", []))
    for label in (analysis.get("intents") or {}).get("labels", []):
        if label not in intents:
            intents.append(label)
    if "refund_request" not in intents and REFUND_WORDS.search(message.text):
        intents.append("refund_request")
    data["topics"], data["intents"] = topics, intents
    language = (analysis.get("language") or {}).get("code") or message.lang
    if language and language != "und" and not data.get("language"):
        data["language"] = language
    if author is not None:
        labels = list(data.get("author_labels", []))
        for label in (author.history or {}).get("labels", []):
            if label not in labels:
                labels.append(str(label))
        data["author_labels"] = labels
        data["author_influence"] = max(
            float(data.get("author_influence", 0.0)), float(author.influence or 0.0)
        )
        data.setdefault("author", author.handle)
    case.data = data


def _raise_priority(case: Case, priority: CasePriority, reasons: list[str], spec: WorkspaceSpec) -> bool:
    """Raise the case's priority (never lower it) and bring its deadline forward if still unanswered."""
    if priority <= case.priority:
        return False
    case.priority = int(priority)
    case.priority_reasons = reasons
    due = sla_due(spec, priority, case.created_at)
    if case.first_response_at is None and (case.sla_due_at is None or due < case.sla_due_at):
        case.sla_due_at = due
    return True


def file_messages(
    session: Session,
    *,
    workspace: Workspace,
    message_ids: Sequence[int],
    now: datetime | None = None,
    route: bool = True,
    actor: str = "vigie",
) -> list[Case]:
    """Put each message in its thread's case (opening one for a new post) and route the cases still new.

    Run after analysis so that the priority, topics and intents are known. Idempotent: a message already
    in a case is skipped. Returns the cases touched. The automatic assignments of one call are audited
    in one ``case.route`` entry (each case also gets its ``assigned`` event).
    """
    when = now or utcnow()
    spec = load_spec(session, workspace)
    messages = session.scalars(
        select(Message)
        .where(Message.workspace_id == workspace.id, Message.id.in_(list(message_ids)))
        .order_by(Message.created_at, Message.id)
    ).all()
    batch = _Batch(spec=spec, when=when, own={h.casefold() for h in spec.workspace.contacts.handles})
    filed = set(
        session.scalars(
            select(CaseMessage.message_id).where(CaseMessage.message_id.in_([m.id for m in messages]))
        )
    )
    # No autoflush per lookup: cases filed in this call are found through batch.local instead.
    with session.no_autoflush:
        for message in messages:
            if message.id not in filed:
                case = _file_one(session, workspace, message, batch)
                if case is not None:
                    batch.local[message.id] = case
    session.flush()
    assignments: list[dict[str, Any]] = []
    if route:
        roster: Roster | None = None
        for case in batch.touched.values():
            chosen: Assignment | None = None
            if case.status == CaseStatus.NEW and case.assignee_id is None:
                roster = roster or build_roster(session, workspace, now=when, spec=spec)
                chosen = route_case(
                    session, workspace=workspace, case=case, now=when, actor=actor, roster=roster, audit=False
                )
            elif case.status in OPEN_STATUSES and case.assignee_id is not None:
                roster = roster or build_roster(session, workspace, now=when, spec=spec)
                chosen = _reroute_if_needs_grew(
                    session, workspace, case, batch.needs_before.get(case.id, ()), when, actor, roster
                )
            if roster is not None and chosen is not None and chosen.member_id is not None:
                roster = roster.with_assignment(chosen.member_id)
                assignments.append(
                    {"case": case.id, "member": chosen.member_key, "why": chosen.explain("en")}
                )
    if assignments:
        append_audit(
            session,
            workspace=workspace,
            actor=actor,
            action="case.route",
            object_type="case",
            object_key=",".join(str(a["case"]) for a in assignments)[:200],
            payload={"assignments": assignments},
        )
    return list(batch.touched.values())


@dataclass
class _Batch:
    spec: WorkspaceSpec
    when: datetime
    own: set[str]
    local: dict[int, Case] = field(default_factory=dict)  # message id -> case, for this call
    touched: dict[int, Case] = field(default_factory=dict)
    needs_before: dict[int, tuple[str, ...]] = field(default_factory=dict)


def _file_one(session: Session, workspace: Workspace, message: Message, batch: _Batch) -> Case | None:
    """File one message; returns its case (None for our own message outside any case)."""
    spec, when, touched = batch.spec, batch.when, batch.touched
    thread_key, case = _root_of(session, message, batch.local)
    if case is None:
        case = session.scalar(
            select(Case).where(
                Case.workspace_id == workspace.id,
                Case.channel_id == message.channel_id,
                Case.thread_key == thread_key,
                Case.data["merged_into"].as_string().is_(None),
            )
        )
    if case is not None and case.data.get("merged_into"):
        case = session.get(Case, int(case.data["merged_into"])) or case
    author = session.get(Author, message.author_id) if message.author_id else None
    if _is_ours(message, author, batch.own):
        if case is not None:
            _answered_by_us(session, case, message, when)
            touched[case.id] = case
        return case
    priority, reasons = _priority_of(message)
    if case is None:
        created = ensure_utc(message.created_at)
        case = Case(
            workspace_id=workspace.id,
            channel_id=message.channel_id,
            thread_key=thread_key,
            status=CaseStatus.NEW,
            priority=int(priority),
            priority_reasons=reasons,
            sla_due_at=sla_due(spec, priority, created),
            created_at=created,
            updated_at=when,
            data={},
        )
        session.add(case)
        _absorb(case, message, author)
        session.flush()
        record_event(
            session,
            case=case,
            kind="opened",
            data={"message_id": message.id, "priority": priority.label, "reasons": reasons},
            at=when,
        )
    else:
        batch.needs_before.setdefault(case.id, needs_of(request_for(case)))
        _absorb(case, message, author)
        if _raise_priority(case, priority, reasons, spec):
            record_event(
                session,
                case=case,
                kind="priority",
                data={"priority": priority.label, "reasons": reasons},
                at=when,
            )
        if case.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED):
            target = CaseStatus.ASSIGNED if case.assignee_id is not None else CaseStatus.NEW
            record_event(
                session,
                case=case,
                kind="status",
                data={"from": case.status, "to": target.value, "reason": "the customer wrote again"},
                at=when,
            )
            case.status = target
        case.updated_at = when
    session.add(CaseMessage(case_id=case.id, message_id=message.id, added_at=when))
    record_event(session, case=case, kind="message_added", data={"message_id": message.id}, at=when)
    touched[case.id] = case
    return case


def _is_ours(message: Message, author: Author | None, own_handles: set[str]) -> bool:
    """A message the organisation itself posted (its own accounts): it answers, it opens no case."""
    if (message.raw or {}).get("from_brand") is True:
        return True
    return author is not None and author.handle.casefold() in own_handles


def _answered_by_us(session: Session, case: Case, message: Message, when: datetime) -> None:
    session.add(CaseMessage(case_id=case.id, message_id=message.id, added_at=when))
    if case.first_response_at is None:
        case.first_response_at = ensure_utc(message.created_at)
    if case.status in OPEN_STATUSES:
        record_event(
            session,
            case=case,
            kind="status",
            data={"from": case.status, "to": CaseStatus.ANSWERED.value, "reason": "our account replied"},
            at=when,
        )
        case.status = CaseStatus.ANSWERED
    case.updated_at = when


def _reroute_if_needs_grew(
    session: Session,
    workspace: Workspace,
    case: Case,
    before: tuple[str, ...],
    when: datetime,
    actor: str,
    roster: Roster,
) -> Assignment | None:
    """A new message asking for more (a manager, a refund) than the assignee's mandate covers: route again."""
    grown = [n for n in needs_of(request_for(case)) if n not in before]
    if not grown:
        return None
    current = next((m for m in roster.members if m.id == case.assignee_id), None)
    if current is not None and all(n in current.capabilities for n in grown):
        return None
    record_event(
        session,
        case=case,
        kind="reroute",
        actor=actor,
        data={"needs": grown, "reason": f"the conversation now needs: {', '.join(grown)}"},
        at=when,
    )
    return route_case(
        session, workspace=workspace, case=case, now=when, actor=actor, roster=roster, audit=False
    )


def set_status(
    session: Session,
    *,
    workspace: Workspace,
    case_id: int,
    status: str,
    actor: str,
    now: datetime | None = None,
) -> Case:
    when = now or utcnow()
    case = get_case(session, workspace, case_id)
    target = check_transition(case.status, status)
    if target == CaseStatus.ASSIGNED and case.assignee_id is None:
        raise ValidationFailedError(
            f"Case {case_id} has no assignee: use `vigie cases assign {case_id} MEMBER` or `vigie cases route {case_id}`."
        )
    previous = case.status
    if target == previous:
        return case
    case.status = target
    case.updated_at = when
    if target == CaseStatus.ANSWERED and case.first_response_at is None:
        case.first_response_at = when
    if target == CaseStatus.NEW:
        case.assignee_id = None
    record_event(
        session, case=case, kind="status", actor=actor, data={"from": previous, "to": target.value}, at=when
    )
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action="case.status",
        object_type="case",
        object_key=str(case.id),
        payload={"from": previous, "to": target.value},
    )
    return case


def handback(
    session: Session,
    *,
    workspace: Workspace,
    case_id: int,
    member_key: str,
    reason: str,
    now: datetime | None = None,
    reroute: bool = True,
) -> tuple[Case, Assignment | None]:
    """The assignee gives the case back with a reason; routing learns it and routes the case again."""
    when = now or utcnow()
    if not reason.strip():
        raise ValidationFailedError("A hand-back needs a reason (e.g. --reason 'not my topic: payments').")
    case = get_case(session, workspace, case_id)
    member = member_by_key(session, workspace, member_key)
    if case.assignee_id != member.id:
        raise ValidationFailedError(
            f"Case {case_id} is not assigned to '{member_key}'; only its assignee can hand it back."
        )
    keys = learn_from_handback(
        session, workspace=workspace, case=case, member=member, reason=reason, now=when
    )
    data = dict(case.data or {})
    data["handed_back_by"] = sorted({*data.get("handed_back_by", []), member.key})
    case.data = data
    case.assignee_id = None
    case.status = CaseStatus.NEW
    case.updated_at = when
    record_event(
        session,
        case=case,
        kind="handback",
        actor=member.key,
        member_id=member.id,
        data={"reason": reason, "learnt": keys},
        at=when,
    )
    append_audit(
        session,
        workspace=workspace,
        actor=member.key,
        action="case.handback",
        object_type="case",
        object_key=str(case.id),
        payload={"reason": reason, "learnt": keys},
    )
    assignment = route_case(session, workspace=workspace, case=case, now=when) if reroute else None
    return case, assignment


def check_sla(session: Session, *, workspace: Workspace, now: datetime | None = None) -> list[Case]:
    """Escalate every open, unanswered case whose deadline has passed (once per case) to the SLA's role."""
    when = now or utcnow()
    spec = load_spec(session, workspace)
    overdue = session.scalars(
        select(Case)
        .where(
            Case.workspace_id == workspace.id,
            Case.status.in_(sorted(OPEN_STATUSES)),
            Case.first_response_at.is_(None),
            Case.escalated_at.is_(None),
            Case.sla_due_at.is_not(None),
            Case.sla_due_at < when,
        )
        .order_by(Case.sla_due_at, Case.id)
    ).all()
    members_by_role: dict[str, list[str]] = {}
    for m in spec.team.members:
        for role in m.roles:
            members_by_role.setdefault(role, []).append(m.key)
    for case in overdue:
        label = CasePriority(case.priority).label
        role = getattr(spec.workspace.sla, label).escalate_to
        due = case.sla_due_at
        assert due is not None
        late = int((when - ensure_utc(due)).total_seconds() // 60)
        payload = {
            "priority": label,
            "due_at": ensure_utc(due).isoformat(),
            "minutes_late": late,
            "escalate_to": role,
            "notified": members_by_role.get(role, []) if role else [],
        }
        case.escalated_at = when
        case.updated_at = when
        case.data = {**(case.data or {}), "escalated_to": role}
        record_event(
            session, case=case, kind="sla_escalated" if role else "sla_breached", data=payload, at=when
        )
        append_audit(
            session,
            workspace=workspace,
            actor="vigie",
            action="case.sla_escalate",
            object_type="case",
            object_key=str(case.id),
            payload=payload,
        )
    return list(overdue)


def merge_cases(
    session: Session,
    *,
    workspace: Workspace,
    target_id: int,
    source_id: int,
    actor: str,
    now: datetime | None = None,
) -> Case:
    """Move every message of ``source`` into ``target``; ``source`` is closed and points to ``target``."""
    when = now or utcnow()
    if target_id == source_id:
        raise ValidationFailedError("Cannot merge a case into itself: give two different case ids.")
    target = get_case(session, workspace, target_id)
    source = get_case(session, workspace, source_id)
    if source.data.get("merged_into"):
        raise ValidationFailedError(
            f"Case {source_id} was already merged into case {source.data['merged_into']}."
        )
    links = session.scalars(select(CaseMessage).where(CaseMessage.case_id == source.id)).all()
    for link in links:
        link.case_id = target.id
    data = dict(target.data or {})
    for key in ("topics", "intents", "author_labels"):
        data[key] = list(dict.fromkeys([*data.get(key, []), *source.data.get(key, [])]))
    data["author_influence"] = max(
        float(data.get("author_influence", 0)), float(source.data.get("author_influence", 0))
    )
    data["merged_from"] = [*data.get("merged_from", []), source.id]
    target.data = data
    if source.priority > target.priority:
        target.priority, target.priority_reasons = source.priority, list(source.priority_reasons)
    if source.sla_due_at and (target.sla_due_at is None or source.sla_due_at < target.sla_due_at):
        target.sla_due_at = source.sla_due_at
    if target.status == CaseStatus.CLOSED:
        target.status = CaseStatus.ASSIGNED if target.assignee_id else CaseStatus.NEW
    source.data = {**source.data, "merged_into": target.id}
    source.status = CaseStatus.CLOSED
    target.updated_at = source.updated_at = when
    moved = [link.message_id for link in links]
    record_event(
        session, case=target, kind="merged", actor=actor, data={"from": source.id, "messages": moved}, at=when
    )
    record_event(session, case=source, kind="merged_into", actor=actor, data={"into": target.id}, at=when)
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action="case.merge",
        object_type="case",
        object_key=str(target.id),
        payload={"from": source.id, "messages": moved},
    )
    return target


def split_case(
    session: Session,
    *,
    workspace: Workspace,
    case_id: int,
    message_ids: Sequence[int],
    actor: str,
    now: datetime | None = None,
    route: bool = True,
) -> Case:
    """Move ``message_ids`` out of case ``case_id`` into a new case (routed like a new one)."""
    when = now or utcnow()
    source = get_case(session, workspace, case_id)
    if not message_ids:
        raise ValidationFailedError("Name the messages to split off (e.g. --message 12 --message 13).")
    links = session.scalars(select(CaseMessage).where(CaseMessage.case_id == source.id)).all()
    by_message = {link.message_id: link for link in links}
    missing = [m for m in message_ids if m not in by_message]
    if missing:
        raise ValidationFailedError(
            f"Messages {missing} are not in case {case_id}; its messages are {sorted(by_message)}."
        )
    if len(set(message_ids)) == len(by_message):
        raise ValidationFailedError(
            f"Splitting every message of case {case_id} would leave it empty; keep at least one."
        )
    spec = load_spec(session, workspace)
    moved = session.scalars(
        select(Message).where(Message.id.in_(list(message_ids))).order_by(Message.created_at, Message.id)
    ).all()
    first = moved[0]
    priority, reasons = _priority_of(first)
    new = Case(
        workspace_id=workspace.id,
        channel_id=first.channel_id,
        thread_key=first.external_id,
        status=CaseStatus.NEW,
        priority=int(priority),
        priority_reasons=reasons,
        sla_due_at=sla_due(spec, priority, ensure_utc(first.created_at)),
        created_at=ensure_utc(first.created_at),
        updated_at=when,
        data={"split_from": source.id},
    )
    session.add(new)
    for message in moved:
        author = session.get(Author, message.author_id) if message.author_id else None
        _absorb(new, message, author)
        p, r = _priority_of(message)
        _raise_priority(new, p, r, spec)
    session.flush()
    for message in moved:
        by_message[message.id].case_id = new.id
    record_event(
        session,
        case=new,
        kind="split_from",
        actor=actor,
        data={"from": source.id, "messages": list(message_ids)},
        at=when,
    )
    record_event(
        session,
        case=source,
        kind="split",
        actor=actor,
        data={"into": new.id, "messages": list(message_ids)},
        at=when,
    )
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action="case.split",
        object_type="case",
        object_key=str(source.id),
        payload={"into": new.id, "messages": list(message_ids)},
    )
    if route:
        roster = build_roster(session, workspace, now=when, spec=spec)
        route_case(session, workspace=workspace, case=new, now=when, actor=actor, roster=roster)
    return new


def assign_by_key(
    session: Session,
    *,
    workspace: Workspace,
    case_id: int,
    member_key: str,
    actor: str,
    now: datetime | None = None,
) -> Case:

    case = get_case(session, workspace, case_id)
    member = member_by_key(session, workspace, member_key)
    return assign(session, workspace=workspace, case=case, member=member, actor=actor, now=now)

"""Playbooks in the database: list them, suggest them for a stored message, pre-fill a draft."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.cases.service import case_messages, get_case
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.crisis.models import Situation
from vigie.ingest.models import Author, Message
from vigie.playbooks.drafts import Draft, extract_order_number, fill
from vigie.playbooks.matcher import MessageFacts, Suggestion, author_type, facts_from_analysis, suggest
from vigie.playbooks.models import Playbook
from vigie.workspace.models import TeamMember, Workspace

GRADE_ORDER = ("normal", "watch", "alert", "crisis")


def list_playbooks(session: Session, *, workspace: Workspace) -> list[Playbook]:
    return list(
        session.scalars(select(Playbook).where(Playbook.workspace_id == workspace.id).order_by(Playbook.key))
    )


def get_playbook(session: Session, *, workspace: Workspace, key: str) -> Playbook:
    row = session.scalar(select(Playbook).where(Playbook.workspace_id == workspace.id, Playbook.key == key))
    if row is None:
        known = ", ".join(p.key for p in list_playbooks(session, workspace=workspace)) or "none"
        raise NotFoundError(
            f"playbook {key!r} does not exist in workspace {workspace.slug!r}; known: {known}"
        )
    return row


def get_message(session: Session, *, workspace: Workspace, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None or message.workspace_id != workspace.id:
        raise NotFoundError(f"message #{message_id} does not exist in workspace {workspace.slug!r}")
    return message


def current_grade(session: Session, *, workspace: Workspace, topics: tuple[str, ...] = ()) -> str:
    """The worst crisis grade among the workspace-wide situation and those of the given topics."""
    scopes = ["*", *topics]
    grades = session.scalars(
        select(Situation.grade).where(Situation.workspace_id == workspace.id, Situation.scope.in_(scopes))
    ).all()
    known = [g for g in grades if g in GRADE_ORDER]
    return max(known, key=GRADE_ORDER.index) if known else "normal"


def message_facts(session: Session, *, workspace: Workspace, message: Message) -> MessageFacts:
    author = None if message.author_id is None else session.get(Author, message.author_id)
    history = (author.history if author is not None else {}) or {}
    kind = author_type(
        history.get("labels") or (),
        toxic_messages=int(history.get("toxic_messages", 0)),
        messages=int(history.get("messages", 0)),
    )
    base = facts_from_analysis(message.analysis, author_type=kind, language=message.lang or None)
    grade = current_grade(session, workspace=workspace, topics=base.topics)
    return facts_from_analysis(message.analysis, author_type=kind, crisis_grade=grade, language=base.language)


def _topic_count(workspace: Workspace) -> int:
    return len(workspace.spec.get("topics", [])) or 12


def suggest_for_facts(
    session: Session, *, workspace: Workspace, facts: MessageFacts, limit: int = 3
) -> list[Suggestion]:
    specs = [p.spec for p in list_playbooks(session, workspace=workspace)]
    return suggest(specs, facts, limit=limit, topic_count=_topic_count(workspace))


def suggest_for_message(
    session: Session, *, workspace: Workspace, message_id: int, limit: int = 3
) -> tuple[MessageFacts, list[Suggestion]]:
    message = get_message(session, workspace=workspace, message_id=message_id)
    if message.analysis is None:
        raise ValidationFailedError(
            f"message #{message_id} is not analysed yet: run `vigie analysis run` (or pass the text) first"
        )
    facts = message_facts(session, workspace=workspace, message=message)
    return facts, suggest_for_facts(session, workspace=workspace, facts=facts, limit=limit)


def signature(member: TeamMember) -> str:
    """How a member signs a public reply: their handle, else their first name."""
    handle = member.spec.get("handle")
    return str(handle) if handle else member.name.split()[0]


@dataclass(frozen=True)
class DraftRequest:
    playbook_key: str
    language: str | None = None
    message_id: int | None = None
    member_key: str | None = None
    customer_name: str | None = None
    order_number: str | None = None


def prefill_draft(session: Session, *, workspace: Workspace, request: DraftRequest) -> Draft:
    """The playbook's template in the message's language, variables filled from what is known."""
    playbook = get_playbook(session, workspace=workspace, key=request.playbook_key)
    values: dict[str, str | None] = {
        "brand_name": workspace.name,
        "support_email": _contact(workspace, "email"),
        "support_phone": _contact(workspace, "phone"),
    }
    language = request.language
    if request.message_id is not None:
        message = get_message(session, workspace=workspace, message_id=request.message_id)
        author = None if message.author_id is None else session.get(Author, message.author_id)
        if author is not None:
            values["customer_name"] = author.name or author.handle
        values["order_number"] = extract_order_number(message.text)
        analysed = ((message.analysis or {}).get("language") or {}).get("code")
        language = language or message.lang or analysed
    if request.member_key is not None:
        member = session.scalar(
            select(TeamMember).where(
                TeamMember.workspace_id == workspace.id, TeamMember.key == request.member_key
            )
        )
        if member is None:
            raise NotFoundError(
                f"team member {request.member_key!r} does not exist in workspace {workspace.slug!r}"
            )
        values["agent_signature"] = signature(member)
    if request.customer_name:
        values["customer_name"] = request.customer_name
    if request.order_number:
        values["order_number"] = request.order_number
    templates: dict[str, Any] = playbook.spec.get("templates") or {}
    return fill(
        playbook=playbook.key,
        templates={str(k): str(v) for k, v in templates.items()},
        language=language or workspace.default_language,
        values=values,
    )


def _contact(workspace: Workspace, kind: str) -> str | None:
    """The first public e-mail or phone of workspace.yaml's ``contacts``."""
    contacts = workspace.spec.get("contacts") or {}
    values = contacts.get(f"{kind}s") if isinstance(contacts, dict) else None
    return str(values[0]) if values else None


def case_facts(session: Session, *, workspace: Workspace, case_id: int) -> tuple[MessageFacts, int | None]:
    """Facts of a case: its latest analysed message, with the topics and intents seen on the whole case.

    Returns the facts and the id of the message they were read from (None if the case has none).
    """
    get_case(session, workspace, case_id)
    messages = [m for m in case_messages(session, workspace, case_id) if m.analysis is not None]
    if not messages:
        raise ValidationFailedError(
            f"case #{case_id} has no analysed message yet: run `vigie analysis run` first"
        )
    latest = messages[-1]
    facts = message_facts(session, workspace=workspace, message=latest)
    seen_topics = [str(t) for m in messages for t in ((m.analysis or {}).get("topics") or {}).get("keys", [])]
    seen_intents = [
        str(i) for m in messages for i in ((m.analysis or {}).get("intents") or {}).get("labels", [])
    ]
    topics = tuple(dict.fromkeys([*facts.topics, *seen_topics]))
    intents = tuple(dict.fromkeys([*facts.intents, *seen_intents]))
    return replace(facts, topics=topics, intents=intents), latest.id


def suggest_for_case(
    session: Session, *, workspace: Workspace, case_id: int, limit: int = 3
) -> tuple[MessageFacts, list[Suggestion], int | None]:
    facts, message_id = case_facts(session, workspace=workspace, case_id=case_id)
    return facts, suggest_for_facts(session, workspace=workspace, facts=facts, limit=limit), message_id

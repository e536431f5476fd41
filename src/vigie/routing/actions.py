"""Route stored cases: build the roster from the workspace spec and mandates, call the pure rules, record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.audit.service import append_audit
from vigie.cases.events import record_event
from vigie.cases.models import Case, RoutingFeedback
from vigie.cases.service import open_load
from vigie.cases.states import CasePriority, CaseStatus
from vigie.core.clock import utcnow
from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.governance.mandates import MandateBook
from vigie.routing.rules import Absence, Assignment, MemberProfile, RoutingRequest, parse_hhmm, route
from vigie.workspace.models import TeamMember, Workspace
from vigie.workspace.schemas import WorkspaceSpec
from vigie.workspace.service import workspace_day, workspace_spec


@dataclass(frozen=True, slots=True)
class Roster:
    spec: WorkspaceSpec
    members: tuple[MemberProfile, ...]
    penalties: dict[tuple[str, str], int]

    def with_assignment(self, member_id: int) -> Roster:
        """The roster after one more open case for ``member_id`` (no need to query the load again)."""
        members = tuple(
            replace(m, open_cases=m.open_cases + 1) if m.id == member_id else m for m in self.members
        )
        return Roster(self.spec, members, self.penalties)


def load_spec(session: Session, workspace: Workspace) -> WorkspaceSpec:
    spec = workspace_spec(session, workspace.slug)
    if spec is None:
        raise NotFoundError(
            f"Workspace '{workspace.slug}' has no applied spec; run `vigie workspace apply DIR`."
        )
    return spec


def build_roster(
    session: Session, workspace: Workspace, *, now: datetime, spec: WorkspaceSpec | None = None
) -> Roster:
    """The members as routing sees them now: skills, availability, load, mandate, learnt penalties.

    Pass ``spec`` when the caller already loaded it (loading it reads every workspace table).
    """
    spec = spec or load_spec(session, workspace)
    ids = {
        k: v
        for k, v in session.execute(
            select(TeamMember.key, TeamMember.id).where(TeamMember.workspace_id == workspace.id)
        )
    }
    load = open_load(session, workspace)
    book = MandateBook(
        spec.mandates.roles,
        {m.key: m.roles for m in spec.team.members},
        today=workspace_day(workspace, now),
    )
    profiles: list[MemberProfile] = []
    for m in spec.team.members:
        if m.key not in ids:
            continue
        mandate = book.for_member(m.key)
        hours = m.working_hours
        profiles.append(
            MemberProfile(
                id=ids[m.key],
                key=m.key,
                name=m.name,
                roles=tuple(m.roles),
                languages=frozenset(m.languages),
                topics=None if "*" in m.topics else frozenset(m.topics),
                expertise=dict(m.expertise),
                days=frozenset(str(d) for d in hours.days),
                start=parse_hhmm(hours.start),
                end=parse_hhmm(hours.end),
                timezone=hours.timezone or spec.workspace.timezone,
                absences=tuple(Absence(a.start, a.end) for a in m.absences),
                max_open_cases=m.max_open_cases,
                open_cases=load.get(ids[m.key], 0),
                capabilities=frozenset(str(k.value) for k in mandate.commitments),
                mandate_topics=mandate.topics,
                mandate_languages=mandate.languages,
            )
        )
    penalties: dict[tuple[str, str], int] = {}
    keys = {v: k for k, v in ids.items()}
    for row in session.scalars(select(RoutingFeedback).where(RoutingFeedback.workspace_id == workspace.id)):
        if row.member_id in keys:
            penalties[(keys[row.member_id], row.key)] = row.handbacks
    return Roster(spec, tuple(profiles), penalties)


def request_for(case: Case, *, exclude: frozenset[str] = frozenset()) -> RoutingRequest:
    data = case.data or {}
    return RoutingRequest(
        language=data.get("language"),
        topics=tuple(data.get("topics", [])),
        intents=tuple(data.get("intents", [])),
        priority=CasePriority(case.priority).label,
        author_labels=tuple(data.get("author_labels", [])),
        author_influence=float(data.get("author_influence", 0.0)),
        exclude=exclude | frozenset(data.get("handed_back_by", [])),
    )


def assign(
    session: Session,
    *,
    workspace: Workspace,
    case: Case,
    member: TeamMember,
    actor: str,
    assignment: Assignment | None = None,
    now: datetime | None = None,
    audit: bool = True,
) -> Case:
    """Give ``case`` to ``member`` (by hand when ``assignment`` is None), with an event and an audit entry."""
    if member.workspace_id != workspace.id:
        raise ValidationFailedError(f"Member '{member.key}' is not in workspace '{workspace.slug}'.")
    if case.status == CaseStatus.CLOSED:
        raise ValidationFailedError(
            f"Case {case.id} is closed; reopen it with `vigie cases status {case.id} new`."
        )
    when = now or utcnow()
    previous = case.assignee_id
    case.assignee_id = member.id
    if case.status in (CaseStatus.NEW, CaseStatus.ANSWERED):
        case.status = CaseStatus.ASSIGNED
    case.updated_at = when
    explanation = assignment.to_dict() if assignment else {"manual": True, "by": actor}
    case.data = {**(case.data or {}), "routing": explanation}
    record_event(
        session,
        case=case,
        kind="assigned",
        actor=actor,
        member_id=member.id,
        data={"previous_assignee_id": previous, "routing": explanation},
        at=when,
    )
    if not audit:
        return case  # the caller audits (one entry per filing batch)
    append_audit(
        session,
        workspace=workspace,
        actor=actor,
        action="case.assign",
        object_type="case",
        object_key=str(case.id),
        payload={"member": member.key, "why": explanation.get("why"), "manual": assignment is None},
    )
    return case


def route_case(
    session: Session,
    *,
    workspace: Workspace,
    case: Case,
    now: datetime | None = None,
    actor: str = "vigie",
    roster: Roster | None = None,
    apply: bool = True,
    audit: bool = True,
) -> Assignment:
    """Choose the assignee of ``case``; with ``apply`` (default) record the assignment."""
    when = now or utcnow()
    current = roster or build_roster(session, workspace, now=when)
    assignment = route(request_for(case), current.members, now=when, penalties=current.penalties)
    if apply and assignment.member_id is not None:
        member = session.get(TeamMember, assignment.member_id)
        if member is None:
            raise NotFoundError(f"Member {assignment.member_key} vanished while routing case {case.id}.")
        assign(
            session,
            workspace=workspace,
            case=case,
            member=member,
            actor=actor,
            assignment=assignment,
            now=when,
            audit=audit,
        )
    return assignment


def learn_from_handback(
    session: Session, *, workspace: Workspace, case: Case, member: TeamMember, reason: str, now: datetime
) -> list[str]:
    """Count a hand-back against the member for each topic and intent of the case; returns the keys."""
    data = case.data or {}
    keys = [f"topic:{t}" for t in data.get("topics", [])] + [f"intent:{i}" for i in data.get("intents", [])]
    for key in keys:
        row = session.scalar(
            select(RoutingFeedback).where(
                RoutingFeedback.workspace_id == workspace.id,
                RoutingFeedback.member_id == member.id,
                RoutingFeedback.key == key,
            )
        )
        if row is None:
            row = RoutingFeedback(workspace_id=workspace.id, member_id=member.id, key=key, handbacks=0)
            session.add(row)
        row.handbacks += 1
        row.last_reason = reason[:1000]
        row.updated_at = now
    session.flush()
    return keys

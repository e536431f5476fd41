"""The inbox step of `vigie demo`: every conversation of the day is a case, routed within mandate with
the reason; the activist goes to the spokesperson, a refund to someone who may refund, a technical
question to the expert; the cases nobody answered in time are escalated."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.markup import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.analysis.actions import analyse_pending
from vigie.cases.actions import check_sla, file_messages
from vigie.cases.models import Case, CaseEvent, CaseMessage
from vigie.cases.service import case_for_message, member_keys, unfiled_message_ids
from vigie.core.clock import utcnow
from vigie.ingest.models import Message
from vigie.routing.actions import build_roster
from vigie.routing.rules import availability
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace

if TYPE_CHECKING:
    from vigie.demo.steps import DemoContext

# The demo stream's messages that show routing (external ids of data/stream.jsonl).
SHOWCASE = (
    ("x-1160", "The activist asking for someone in charge"),
    ("email-5001", "A refund request"),
    ("x-1003", "A technical question (app crash)"),
)


def _case_of(session: Session, workspace: Workspace, external_id: str) -> Case | None:
    message = session.scalar(
        select(Message).where(Message.workspace_id == workspace.id, Message.external_id == external_id)
    )
    return None if message is None else case_for_message(session, message.id)


def shift_summary(session: Session, workspace: Workspace, now: datetime) -> str:
    """Who works at ``now`` (hours, days, absences; load aside): routing prefers them, so the day's
    assignees depend on when the demo runs."""
    members = [replace(m, open_cases=0) for m in build_roster(session, workspace, now=now).members]
    if not members:
        return "No team member to route to."
    zone = members[0].timezone
    local = now.astimezone(ZoneInfo(zone))
    why_not = {m.key: availability(m, now) for m in members}
    working = [key for key, why in why_not.items() if why is None]
    away = [f"{key} ({why})" for key, why in why_not.items() if why is not None]
    line = f"Routing at {local:%a %d %b %Y %H:%M} ({zone}): working {', '.join(working) or 'nobody'}"
    if away:
        line += f"; not working {', '.join(away)}"
    return line + ". Someone not working gets a case only when nobody working can take it."


def run_demo_step(ctx: DemoContext) -> None:
    console = ctx.console
    now = utcnow()
    with transaction(ctx.factory()) as session:
        workspace = session.scalar(select(Workspace).where(Workspace.slug == ctx.workspace_slug))
        assert workspace is not None
        # Without the ingest hooks in this process, analyse and file what the stream stored.
        analyse_pending(session=session, workspace=workspace)
        console.print(escape(shift_summary(session, workspace, now)))
        file_messages(
            session, workspace=workspace, message_ids=unfiled_message_ids(session, workspace), now=now
        )
        keys = member_keys(session, workspace)
        cases = session.scalars(select(Case).where(Case.workspace_id == workspace.id)).all()
        filed = session.query(CaseMessage).join(Case).filter(Case.workspace_id == workspace.id).count()
        console.print(
            f"{len(filed_cases := cases)} cases opened from {filed} messages (one per conversation)."
        )
        showcase: dict[str, dict[str, object]] = {}
        for external_id, title in SHOWCASE:
            case = _case_of(session, workspace, external_id)
            if case is None:
                console.print(f"  {title}: no case (message {external_id} missing)")
                continue
            who = keys.get(case.assignee_id or 0, "nobody")
            why = (case.data.get("routing") or {}).get("why") or {}
            showcase[external_id] = {"case": case.id, "assignee": who, "why": why}
            console.print(
                f"[bold]{escape(title)}[/] ({external_id}) → case #{case.id}, assigned to [bold]{who}[/]"
            )
            console.print(f"    why: {escape(str(why.get('en', '')))}")
            console.print(f"    pourquoi : {escape(str(why.get('fr', '')))}")
        escalated = check_sla(session, workspace=workspace, now=now)
        console.print(
            f"SLA check at the end of the day: {len(escalated)} open cases past their first-response deadline "
            "escalated (case event + audit entry each)."
        )
        if escalated:
            first = escalated[0]
            event = session.scalar(
                select(CaseEvent).where(
                    CaseEvent.case_id == first.id, CaseEvent.kind.in_(["sla_escalated", "sla_breached"])
                )
            )
            if event is not None:
                console.print(
                    f"  e.g. case #{first.id}: {event.data['minutes_late']} min late, escalated to "
                    f"{event.data['escalate_to']} ({', '.join(event.data['notified']) or 'nobody'})"
                )
        ctx.results["cases"] = {
            "cases": len(filed_cases),
            "showcase": showcase,
            "escalated": [c.id for c in escalated],
        }

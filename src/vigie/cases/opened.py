"""Which cases a batch of messages opened (the ``case.created`` webhook). Storage-level, no HTTP."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from vigie.cases.models import Case, CaseEvent, CaseMessage
from vigie.workspace.models import Workspace


def cases_opened_by(session: Session, workspace: Workspace, message_ids: Sequence[int]) -> list[Case]:
    """The cases whose first ``opened`` event names one of ``message_ids``, in batch order; two queries."""
    if not message_ids:
        return []
    ids = set(message_ids)
    case_of: dict[int, Case] = {
        int(message_id): case
        for message_id, case in session.execute(
            select(CaseMessage.message_id, Case)
            .join(Case, Case.id == CaseMessage.case_id)
            .where(CaseMessage.message_id.in_(ids))
        )
    }
    first_opened: dict[int, CaseEvent] = {}
    for event in session.scalars(
        select(CaseEvent)
        .where(
            CaseEvent.workspace_id == workspace.id,
            CaseEvent.kind == "opened",
            CaseEvent.case_id.in_({case.id for case in case_of.values()}),
        )
        .order_by(CaseEvent.created_at, CaseEvent.id)
    ):
        first_opened.setdefault(event.case_id, event)
    opened: list[Case] = []
    seen: set[int] = set()
    for message_id in message_ids:
        case = case_of.get(message_id)
        if case is None or case.id in seen:
            continue
        seen.add(case.id)
        first = first_opened.get(case.id)
        if first is not None and first.data.get("message_id") in ids:
            opened.append(case)
    return opened

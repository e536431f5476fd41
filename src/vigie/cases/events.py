"""Writing a case's history (one helper, used by every case action)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from vigie.cases.models import Case, CaseEvent
from vigie.core.clock import utcnow


def record_event(
    session: Session,
    *,
    case: Case,
    kind: str,
    actor: str = "vigie",
    member_id: int | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    if case.id is None:
        session.flush()  # the case needs its id
    event = CaseEvent(
        workspace_id=case.workspace_id,
        case_id=case.id,
        kind=kind,
        actor=actor,
        member_id=member_id,
        data=data or {},
        created_at=at or utcnow(),
    )
    session.add(event)
    return event

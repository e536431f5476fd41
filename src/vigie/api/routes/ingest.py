"""The ingest webhook: channels (or their bridges) POST messages of the documented schema (docs/ingest.md)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel

from vigie.accounts.access import ADMIN_ROLES, require_roles
from vigie.api.deps import DbSession, WorkspaceDep, get_state
from vigie.core.errors import ValidationFailedError
from vigie.ingest.actions import IngestTarget, ingest_records
from vigie.ingest.reader import RawRecord
from vigie.ingest.schemas import IngestSummary
from vigie.ingest.service import channel_ids
from vigie.webhooks import hooks as webhook_hooks

# The analysis, the cases (filing and routing), then case.created webhooks run as post-ingest hooks.
webhook_hooks.register()

router = APIRouter(tags=["ingest"])

# Who may push messages: admins, and accounts given the "integration" role (for a channel's bridge).
INGEST_ROLES = ADMIN_ROLES | {"integration"}
MAX_RECORDS = 1000


class IngestOut(BaseModel):
    read: int
    accepted: int
    duplicates: int
    quarantined: int
    hook_errors: list[str]


def _records(items: list[Any], source: str) -> list[RawRecord]:
    out = []
    for line, item in enumerate(items, start=1):
        content = json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)
        fingerprint = hashlib.sha256(content.encode()).hexdigest()
        if isinstance(item, dict):
            out.append(RawRecord(source, line, content, fingerprint, fields=item))
        else:
            out.append(RawRecord(source, line, content, fingerprint, error="a message must be a JSON object"))
    return out


@router.post("/workspaces/{slug}/ingest", response_model=IngestOut)
def ingest(
    access: WorkspaceDep,
    session: DbSession,
    request: Request,
    payload: list[Any] | dict[str, Any] = Body(
        ..., description="One message object or an array of them (schema in docs/ingest.md)."
    ),
) -> IngestOut:
    """Store new messages (deduplicated by channel and external id), quarantine invalid ones with the
    reason, and run the post-ingest hooks (analysis) on the new ones. Each batch is committed."""
    require_roles(access, INGEST_ROLES)
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise ValidationFailedError("The body is an empty array; send one message or an array of messages.")
    if len(items) > MAX_RECORDS:
        raise ValidationFailedError(f"At most {MAX_RECORDS} messages per request; got {len(items)}.")
    state = get_state(request)
    workspace = access.workspace
    channels = channel_ids(session, workspace_id=workspace.id)
    # Ingest commits batch by batch in its own transactions: end the request's one first (it may hold
    # a write, e.g. a token's last use, which would lock SQLite against the batches).
    session.commit()
    summary = ingest_records(
        state.session_factory,
        target=IngestTarget(workspace.id, workspace.slug, channels),
        records=_records(items, f"api:{access.actor.user.email}"),
        summary=IngestSummary(),
        max_text_length=state.settings.max_text_length,
        batch_size=state.settings.ingest_batch_size,
    )
    totals = summary.totals
    return IngestOut(
        read=totals.read,
        accepted=totals.accepted,
        duplicates=totals.duplicates,
        quarantined=totals.quarantined,
        hook_errors=summary.hook_errors,
    )

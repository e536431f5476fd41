"""Messages with their analysis, and corrections of the analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from vigie.analysis.actions import record_correction
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.ingest.messages import MessageFilters, MessageRow, get_message, list_messages

router = APIRouter(tags=["messages"])


class AuthorOut(BaseModel):
    handle: str
    name: str | None
    followers: int | None
    influence: float


class MessageOut(BaseModel):
    id: int
    external_id: str
    channel: str
    author: AuthorOut | None
    text: str = Field(description="Written by a stranger: always render it as text, never as HTML.")
    created_at: datetime
    in_reply_to: str | None
    url: str | None
    lang: str | None
    analysis: dict[str, Any] | None


class MessagePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[MessageOut]


class CorrectionIn(BaseModel):
    task: str = Field(min_length=1, max_length=40, description="sentiment, intent, toxicity, topic…")
    label: str = Field(min_length=1, max_length=100)


class CorrectionOut(BaseModel):
    id: int
    message_id: int
    task: str
    label: str
    previous_label: str | None
    corrected_by: str
    created_at: datetime


def _out(row: MessageRow) -> MessageOut:
    m, a = row.message, row.author
    return MessageOut(
        id=m.id,
        external_id=m.external_id,
        channel=row.channel,
        author=None
        if a is None
        else AuthorOut(handle=a.handle, name=a.name, followers=a.followers, influence=a.influence),
        text=m.text,
        created_at=m.created_at,
        in_reply_to=m.in_reply_to,
        url=m.url,
        lang=m.lang,
        analysis=m.analysis,
    )


@router.get("/workspaces/{slug}/messages", response_model=MessagePage)
def messages(
    access: WorkspaceDep,
    session: DbSession,
    channel: str | None = Query(None, max_length=100),
    lang: str | None = Query(None, max_length=16),
    author: str | None = Query(None, max_length=200, description="Author handle."),
    since: datetime | None = Query(None),
    until: datetime | None = Query(None),
    analysed: bool | None = Query(None),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> MessagePage:
    filters = MessageFilters(
        channel=channel, lang=lang, author=author, since=since, until=until, analysed=analysed
    )
    rows, total = list_messages(session, access.workspace, filters=filters, limit=limit, offset=offset)
    return MessagePage(total=total, limit=limit, offset=offset, items=[_out(r) for r in rows])


@router.get("/workspaces/{slug}/messages/{message_id}", response_model=MessageOut)
def message(message_id: int, access: WorkspaceDep, session: DbSession) -> MessageOut:
    return _out(get_message(session, access.workspace, message_id))


@router.post(
    "/workspaces/{slug}/messages/{message_id}/corrections", response_model=CorrectionOut, status_code=201
)
def correct(message_id: int, body: CorrectionIn, access: WorkspaceDep, session: DbSession) -> CorrectionOut:
    """Correct one task of the analysis; the correction is shown on the message and used for training."""
    correction = record_correction(
        session=session,
        workspace=access.workspace,
        message_id=message_id,
        task=body.task,
        label=body.label,
        corrected_by=access.name,
    )
    return CorrectionOut.model_validate(correction, from_attributes=True)

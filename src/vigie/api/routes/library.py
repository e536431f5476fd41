"""Playbooks (read, suggestions, pre-filled drafts) and the case library (search, entries, lessons)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from vigie.accounts.access import writer_key
from vigie.api.deps import DbSession, WorkspaceDep
from vigie.library.service import (
    add_entry,
    entry_dict,
    get_entry,
    mark_case_as_lesson,
    search,
    suggest_for_case,
)
from vigie.playbooks.models import Playbook
from vigie.playbooks.service import (
    DraftRequest,
    get_playbook,
    list_playbooks,
    prefill_draft,
    suggest_for_message,
)

router = APIRouter(tags=["playbooks and library"])


class PrefillIn(BaseModel):
    message_id: int | None = None
    lang: str | None = Field(default=None, min_length=2, max_length=8)
    customer_name: str | None = Field(default=None, max_length=200)
    order_number: str | None = Field(default=None, max_length=100)


class EntryIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    summary: str = Field(min_length=1, max_length=20_000)
    lessons: list[str] = Field(min_length=1, max_length=50)
    lang: str = Field(default="fr", min_length=2, max_length=8)
    tags: list[str] = Field(default_factory=list, max_length=30)
    playbooks: list[str] = Field(default_factory=list, max_length=30)


class LessonIn(BaseModel):
    lessons: list[str] = Field(min_length=1, max_length=50)
    title: str | None = Field(default=None, max_length=300)
    summary: str | None = Field(default=None, max_length=20_000)
    tags: list[str] = Field(default_factory=list, max_length=30)


def _playbook(row: Playbook) -> dict[str, Any]:
    return {"key": row.key, "spec": row.spec}


@router.get("/workspaces/{slug}/playbooks", response_model=list[dict[str, Any]])
def playbooks(access: WorkspaceDep, session: DbSession) -> list[dict[str, Any]]:
    return [_playbook(p) for p in list_playbooks(session, workspace=access.workspace)]


@router.get("/workspaces/{slug}/playbooks/{key}", response_model=dict[str, Any])
def playbook(key: str, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    return _playbook(get_playbook(session, workspace=access.workspace, key=key))


@router.get(
    "/workspaces/{slug}/messages/{message_id}/playbook-suggestions", response_model=list[dict[str, Any]]
)
def playbook_suggestions(
    message_id: int, access: WorkspaceDep, session: DbSession, limit: int = Query(3, ge=1, le=20)
) -> list[dict[str, Any]]:
    """The playbooks that fit a message, best first, with the reasons."""
    _facts, found = suggest_for_message(
        session, workspace=access.workspace, message_id=message_id, limit=limit
    )
    return [s.to_dict() for s in found]


@router.post("/workspaces/{slug}/playbooks/{key}/draft", response_model=dict[str, Any])
def playbook_draft(key: str, body: PrefillIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    """The playbook's template filled in for you (nothing is sent: submit it to /drafts)."""
    draft = prefill_draft(
        session,
        workspace=access.workspace,
        request=DraftRequest(
            playbook_key=key,
            language=body.lang,
            message_id=body.message_id,
            member_key=writer_key(access),
            customer_name=body.customer_name,
            order_number=body.order_number,
        ),
    )
    return draft.to_dict()


@router.get("/workspaces/{slug}/library", response_model=list[dict[str, Any]])
def library_search(
    access: WorkspaceDep,
    session: DbSession,
    q: str = Query(..., min_length=1, max_length=500, description="Words to search for."),
    any_word: bool = Query(False, description="Match any word instead of all of them."),
    limit: int = Query(10, ge=1, le=100),
) -> list[dict[str, Any]]:
    results = search(session, workspace=access.workspace, query=q, limit=limit, match_all=not any_word)
    return [r.to_dict() for r in results]


@router.post("/workspaces/{slug}/library", response_model=dict[str, Any], status_code=201)
def library_add(body: EntryIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    entry = add_entry(
        session,
        workspace=access.workspace,
        title=body.title,
        summary=body.summary,
        lessons=body.lessons,
        language=body.lang,
        by=access.name,
        tags=body.tags,
        playbook_keys=body.playbooks,
    )
    return entry_dict(entry)


@router.get("/workspaces/{slug}/library/{id}", response_model=dict[str, Any])
def library_entry(id: int, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:  # noqa: A002
    return entry_dict(get_entry(session, workspace=access.workspace, entry_id=id))


@router.post("/workspaces/{slug}/cases/{case_id}/lesson", response_model=dict[str, Any], status_code=201)
def case_lesson(case_id: int, body: LessonIn, access: WorkspaceDep, session: DbSession) -> dict[str, Any]:
    """Keep a case in the library, with its lessons."""
    entry = mark_case_as_lesson(
        session,
        workspace=access.workspace,
        case_id=case_id,
        by=access.name,
        lessons=body.lessons,
        title=body.title,
        summary=body.summary,
        tags=body.tags,
    )
    return entry_dict(entry)


@router.get("/workspaces/{slug}/cases/{case_id}/library-suggestions", response_model=list[dict[str, Any]])
def case_library_suggestions(
    case_id: int, access: WorkspaceDep, session: DbSession, limit: int = Query(3, ge=1, le=20)
) -> list[dict[str, Any]]:
    return [
        r.to_dict()
        for r in suggest_for_case(session, workspace=access.workspace, case_id=case_id, limit=limit)
    ]

"""FastAPI dependencies: the request's unit of work and the authenticated actor.

Authentication is by session cookie (browser; unsafe methods also need the CSRF token) or by a
personal API token in ``Authorization: Bearer``. Nothing else is accepted: every endpoint that uses
``CurrentActor`` answers 401 without one of them.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from vigie.accounts.access import Actor, WorkspaceAccess, access_workspace
from vigie.accounts.service import resolve_api_token, resolve_session
from vigie.api.state import AppState

SESSION_COOKIE = "vigie_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.vigie
    return state


def get_db(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent."""
    session = get_state(request).session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def _unauthorised() -> HTTPException:
    return HTTPException(
        status_code=401,
        detail={"code": "not_authenticated", "message": "Log in or send a personal API token."},
        headers={"WWW-Authenticate": "Bearer"},
    )


async def _form_csrf(request: Request) -> str | None:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


async def get_actor(request: Request, session: DbSession) -> Actor:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        user = resolve_api_token(session, authorization[7:].strip())
        if user is None:
            raise _unauthorised()
        return Actor(user=user, via_token=True)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise _unauthorised()
    resolved = resolve_session(session, cookie)
    if resolved is None:
        raise _unauthorised()
    user, login = resolved
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER) or await _form_csrf(request)
        if not sent or not hmac.compare_digest(sent, login.csrf_token):
            raise HTTPException(
                status_code=403,
                detail={"code": "csrf_failed", "message": "Missing or wrong CSRF token; reload the page."},
            )
    return Actor(user=user, via_token=False, csrf_token=login.csrf_token)


CurrentActor = Annotated[Actor, Depends(get_actor)]


def get_workspace_access(slug: str, actor: CurrentActor, session: DbSession) -> WorkspaceAccess:
    return access_workspace(session, actor, slug)


WorkspaceDep = Annotated[WorkspaceAccess, Depends(get_workspace_access)]

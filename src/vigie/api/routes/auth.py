"""Login, logout, who am I, and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from vigie.accounts.service import (
    InvalidCredentialsError,
    authenticate,
    close_session,
    create_api_token,
    list_api_tokens,
    memberships_of,
    open_session,
    revoke_api_token,
)
from vigie.api.deps import SESSION_COOKIE, CurrentActor, DbSession, get_state

router = APIRouter(tags=["auth"])


class LoginIn(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1000)


class MembershipOut(BaseModel):
    workspace: str
    workspace_name: str
    roles: list[str]


class MeOut(BaseModel):
    email: str
    display_name: str
    locale: str
    workspaces: list[MembershipOut]
    csrf_token: str | None = None


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(BaseModel):
    id: int
    name: str
    token: str = Field(description="Shown once; only its hash is stored.")


class TokenInfo(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    settings = get_state(request).settings
    response.set_cookie(
        SESSION_COOKIE,
        value,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        max_age=12 * 3600,
        path="/",
    )


@router.post("/auth/login", response_model=MeOut)
def login(body: LoginIn, request: Request, response: Response, session: DbSession) -> MeOut:
    try:
        user = authenticate(session, email=body.email, password=body.password, client=client_address(request))
    except InvalidCredentialsError:
        # Keep the record of the failure for rate limiting, although the request fails.
        session.commit()
        raise
    opened = open_session(session, user=user)
    set_session_cookie(request, response, opened.cookie_value)
    return MeOut(
        email=user.email,
        display_name=user.display_name,
        locale=user.locale,
        workspaces=[
            MembershipOut(workspace=ws.slug, workspace_name=ws.name, roles=list(m.roles))
            for m, ws in memberships_of(session, user)
        ],
        csrf_token=opened.csrf_token,
    )


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, actor: CurrentActor, session: DbSession) -> None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        close_session(session, cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=MeOut)
def me(actor: CurrentActor, session: DbSession) -> MeOut:
    return MeOut(
        email=actor.user.email,
        display_name=actor.user.display_name,
        locale=actor.user.locale,
        workspaces=[
            MembershipOut(workspace=ws.slug, workspace_name=ws.name, roles=list(m.roles))
            for m, ws in memberships_of(session, actor.user)
        ],
        csrf_token=actor.csrf_token,
    )


@router.post("/tokens", response_model=TokenOut, status_code=201)
def new_token(body: TokenIn, actor: CurrentActor, session: DbSession) -> TokenOut:
    created = create_api_token(session, user=actor.user, name=body.name)
    return TokenOut(id=created.record.id, name=created.record.name, token=created.secret)


@router.get("/tokens", response_model=list[TokenInfo])
def tokens(actor: CurrentActor, session: DbSession) -> list[TokenInfo]:
    return [TokenInfo.model_validate(t, from_attributes=True) for t in list_api_tokens(session, actor.user)]


@router.delete("/tokens/{id}", response_model=TokenInfo)
def revoke_token(id: int, actor: CurrentActor, session: DbSession) -> TokenInfo:  # noqa: A002
    """Revoke one of your tokens: it stops working at once."""
    return TokenInfo.model_validate(
        revoke_api_token(session, user=actor.user, token_id=id), from_attributes=True
    )

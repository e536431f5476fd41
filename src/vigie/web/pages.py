"""Server-rendered pages: login, workspaces, audit log. Domain pages live in their own modules."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from vigie.accounts.access import require_admin
from vigie.accounts.service import (
    InvalidCredentialsError,
    TooManyAttemptsError,
    authenticate,
    close_session,
    memberships_of,
    open_session,
)
from vigie.api.deps import SESSION_COOKIE, DbSession
from vigie.api.routes.auth import client_address, set_session_cookie
from vigie.audit.service import list_audit, verify_workspace_audit
from vigie.web import admin, approvals, crisis, dashboard, inbox, library
from vigie.web.deps import LOCALE_COOKIE, PageActor, PageWorkspace, request_locale
from vigie.web.i18n import translate
from vigie.web.templating import render

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "vigie_login_csrf"


def _safe_next(next_url: str | None) -> str:
    # Only same-site paths: never an absolute URL or a protocol-relative one.
    if next_url and next_url.startswith("/") and not next_url.startswith("//") and "\\\\" not in next_url:
        return next_url
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", locale=request_locale(request), csrf_token=token, next=_safe_next(next)
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login")
def login_submit(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    locale = request_locale(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return RedirectResponse("/login", status_code=303)
    try:
        user = authenticate(session, email=email, password=password, client=client_address(request))
    except (InvalidCredentialsError, TooManyAttemptsError) as error:
        session.commit()
        key = "login.throttled" if isinstance(error, TooManyAttemptsError) else "login.failed"
        return render(
            request,
            "login.html",
            locale=locale,
            status_code=error.http_status,
            csrf_token=expected,
            next=_safe_next(next),
            email=email,
            error=translate(key, locale),
        )
    opened = open_session(session, user=user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, opened.cookie_value)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, actor: PageActor, session: DbSession) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        close_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/locale")
def switch_locale(request: Request, locale: Annotated[str, Form(pattern="^(fr|en)$")]) -> Response:
    referer = request.headers.get("referer", "/")
    target = "/"
    host = request.headers.get("host", "")
    if host and f"//{host}/" in referer:
        target = _safe_next("/" + referer.split(f"//{host}/", 1)[1])
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LOCALE_COOKIE, locale, httponly=True, samesite="lax", max_age=365 * 86400, path="/")
    return response


@router.get("/")
def home(request: Request, actor: PageActor, session: DbSession) -> Response:
    workspaces = memberships_of(session, actor.user)
    if len(workspaces) == 1:
        return RedirectResponse(f"/w/{workspaces[0][1].slug}/inbox", status_code=303)
    return render(
        request,
        "home.html",
        locale=request_locale(request, actor),
        user=actor.user,
        csrf_token=actor.csrf_token,
        workspaces=workspaces,
    )


@router.get("/w/{slug}/audit")
def audit_page(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    require_admin(access)
    return _render_audit(request, access, session, verify=None)


@router.post("/w/{slug}/audit/verify")
def audit_verify_page(request: Request, access: PageWorkspace, session: DbSession) -> Response:
    require_admin(access)
    return _render_audit(request, access, session, verify=verify_workspace_audit(session, access.workspace))


def _render_audit(request: Request, access: PageWorkspace, session: DbSession, verify: object) -> Response:
    return render(
        request,
        "audit.html",
        locale=request_locale(request, access.actor),
        user=access.actor.user,
        csrf_token=access.actor.csrf_token,
        access=access,
        entries=list_audit(session, access.workspace, limit=200),
        verify=verify,
    )


# Each area's pages live in their own module and are mounted here.
for _area in (approvals, inbox, crisis, dashboard, admin, library):
    router.include_router(_area.router)

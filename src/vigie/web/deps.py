"""Page dependencies: the same access layer as the API; a missing session redirects to the login page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigie.accounts.access import Actor, WorkspaceAccess, access_workspace
from vigie.api.deps import DbSession, get_actor
from vigie.api.errors import error_response
from vigie.core.errors import VigieError
from vigie.web.i18n import pick_locale, translate
from vigie.web.templating import render

LOCALE_COOKIE = "vigie_locale"


class LoginRequiredError(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


async def page_actor(request: Request, session: DbSession) -> Actor:
    try:
        return await get_actor(request, session)
    except HTTPException as error:
        if error.status_code == 401:
            raise LoginRequiredError(request.url.path) from error
        raise


PageActor = Annotated[Actor, Depends(page_actor)]


def page_workspace(slug: str, actor: PageActor, session: DbSession) -> WorkspaceAccess:
    return access_workspace(session, actor, slug)


PageWorkspace = Annotated[WorkspaceAccess, Depends(page_workspace)]


def request_locale(request: Request, actor: Actor | None = None) -> str:
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in ("fr", "en"):
        return cookie
    preferred = actor.user.locale if actor is not None else None
    return pick_locale(preferred, request.headers.get("accept-language"))


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def install_page_handlers(app: FastAPI) -> None:
    """Pages get HTML errors and a redirect to the login page; ``/api/`` keeps its JSON errors."""

    @app.exception_handler(LoginRequiredError)
    async def _login_required(_request: Request, error: LoginRequiredError) -> Response:
        return RedirectResponse(f"/login?next={quote(error.next_url)}", status_code=303)

    @app.exception_handler(VigieError)
    async def _domain_error(request: Request, error: VigieError) -> Response:
        if not _wants_html(request):
            return error_response(error)
        locale = request_locale(request)
        key = {404: "error.not_found", 403: "error.forbidden"}.get(error.http_status)
        message = translate(key, locale) if key else error.message
        return render(request, "error.html", locale=locale, status_code=error.http_status, message=message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        if not _wants_html(request):
            return await http_exception_handler(request, error)
        locale = request_locale(request)
        return render(
            request, "error.html", locale=locale, status_code=error.status_code, message=str(error.detail)
        )

"""Helpers shared by the domain pages: the common template context and the writer's member key."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from vigie.accounts.access import WorkspaceAccess
from vigie.web.deps import request_locale
from vigie.web.templating import render


def render_page(request: Request, access: WorkspaceAccess, template: str, **context: Any) -> HTMLResponse:
    """Render a workspace page with the navigation, the user, the locale and the CSRF token."""
    status_code = int(context.pop("status_code", 200))
    return render(
        request,
        template,
        locale=request_locale(request, access.actor),
        status_code=status_code,
        user=access.actor.user,
        csrf_token=access.actor.csrf_token,
        access=access,
        **context,
    )

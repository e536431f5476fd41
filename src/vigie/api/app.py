"""The ASGI application: ``create_app(settings)`` builds it; nothing is configured at import time."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from vigie import __version__
from vigie.api.errors import install_error_handlers
from vigie.api.routes import (
    audit,
    auth,
    cases,
    crisis,
    governance,
    ingest,
    library,
    messages,
    workspace_spec,
    workspaces,
)
from vigie.api.security import SecurityHeadersMiddleware
from vigie.api.state import AppState
from vigie.core.settings import Settings
from vigie.storage.db import make_engine, make_session_factory
from vigie.web import pages
from vigie.web.deps import install_page_handlers
from vigie.web.templating import STATIC_DIR

API_PREFIX = "/api/v1"

# Domain routers are added here as the domains grow an HTTP face.
API_ROUTERS: list[APIRouter] = [
    auth.router,
    workspaces.router,
    audit.router,
    ingest.router,
    messages.router,
    governance.router,
    crisis.router,
    workspace_spec.router,
    cases.router,
    library.router,
]

# Server-rendered pages, added here as the domains grow a face.
PAGE_ROUTERS: list[APIRouter] = [pages.router]


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="Vigie",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.vigie = AppState(settings=settings, engine=engine, session_factory=make_session_factory(engine))
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app)
    install_page_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    return app

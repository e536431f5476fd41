"""The ASGI application: ``create_app(settings)`` builds it; nothing is configured at import time."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from vigie import __version__
from vigie.api.errors import install_error_handlers
from vigie.api.routes import audit, auth, workspaces
from vigie.api.security import SecurityHeadersMiddleware
from vigie.api.state import AppState
from vigie.core.settings import Settings
from vigie.storage.db import make_engine, make_session_factory

API_PREFIX = "/api/v1"

# Domain routers are added here as the domains grow an HTTP face.
API_ROUTERS: list[APIRouter] = [auth.router, workspaces.router, audit.router]


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
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    return app

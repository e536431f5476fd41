"""Domain errors become JSON responses with their stable code, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from vigie.core.errors import VigieError


def error_response(error: VigieError) -> JSONResponse:
    """The JSON body and status of a domain error; the page handler answers ``/api/`` with it too."""
    return JSONResponse(status_code=error.http_status, content={"detail": error.to_dict()})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(VigieError)
    async def _vigie_error(_request: Request, error: VigieError) -> JSONResponse:
        return error_response(error)

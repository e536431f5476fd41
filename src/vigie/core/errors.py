"""Typed domain errors with stable machine codes; the API and the CLI turn them into responses."""

from __future__ import annotations

from typing import Any


class VigieError(Exception):
    code: str = "vigie_error"
    http_status: int = 400

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.fields}


class NotFoundError(VigieError):
    code = "not_found"
    http_status = 404


class PermissionDeniedError(VigieError):
    code = "permission_denied"
    http_status = 403


class ValidationFailedError(VigieError):
    code = "validation_failed"
    http_status = 422


class ConflictError(VigieError):
    code = "conflict"
    http_status = 409

"""Helpers for the API tests on the Colibri example (fixtures in ``tests.api.colibri_fixtures``)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD

MEMBERS = ("camille", "lucas", "sarah", "marc", "nadia")


def email(member: str, slug: str = "colibri") -> str:
    return f"{member}@{slug}.example"


def log_in(client: TestClient, member: str, slug: str = "colibri") -> dict[str, str]:
    """Log in as a member; returns the CSRF header to send with unsafe requests."""
    client.cookies.clear()
    response = client.post("/api/v1/auth/login", json={"email": email(member, slug), "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import TwoWorkspaces, login


def test_tokens_are_listed_without_secret_and_revocable(
    client: TestClient, two_workspaces: TwoWorkspaces
) -> None:
    csrf = {"X-CSRF-Token": login(client, "lead@alpha.example")}
    created = client.post("/api/v1/tokens", json={"name": "ci"}, headers=csrf).json()
    listed = client.get("/api/v1/tokens").json()
    assert [(t["id"], t["name"], t["revoked"]) for t in listed] == [(created["id"], "ci", False)]
    assert created["token"] not in str(listed) and created["token"].startswith(listed[0]["prefix"])
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    # Another user's token does not exist for them.
    other = {"X-CSRF-Token": login(client, "lead@beta.example")}
    assert client.delete(f"/api/v1/tokens/{created['id']}", headers=other).status_code == 404
    csrf = {"X-CSRF-Token": login(client, "lead@alpha.example")}
    revoked = client.delete(f"/api/v1/tokens/{created['id']}", headers=csrf)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_token_name_is_validated(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    csrf = {"X-CSRF-Token": login(client, "lead@alpha.example")}
    response = client.post("/api/v1/tokens", json={"name": ""}, headers=csrf)
    assert response.status_code == 422 and "name" in response.text

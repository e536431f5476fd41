from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import TwoWorkspaces, login


def test_every_api_endpoint_needs_authentication(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    public = {("/api/v1/auth/login", "post")}
    checked = 0
    for path, operations in schema["paths"].items():
        for method in operations:
            if (path, method) in public:
                continue
            url = path.replace("{slug}", "alpha")
            for name in ("id", "case_id", "draft_id", "crisis_id", "alert_id", "message_id", "key"):
                url = url.replace("{" + name + "}", "1")
            response = client.request(method.upper(), url, json={})
            assert response.status_code == 401, f"{method.upper()} {path} answered {response.status_code}"
            checked += 1
    assert checked >= 5


def test_login_and_scoping(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    login(client, "lead@alpha.example")
    assert client.get("/api/v1/workspaces/alpha").status_code == 200
    assert client.get("/api/v1/workspaces/beta").status_code == 404
    assert client.get("/api/v1/workspaces/beta/audit").status_code == 404
    assert [w["slug"] for w in client.get("/api/v1/workspaces").json()] == ["alpha"]


def test_roles_are_checked(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    login(client, "junior@alpha.example")
    assert client.get("/api/v1/workspaces/alpha").status_code == 200
    assert client.get("/api/v1/workspaces/alpha/audit").status_code == 403


def test_unsafe_methods_need_the_csrf_token(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    csrf = login(client, "lead@alpha.example")
    assert client.post("/api/v1/workspaces/alpha/audit/verify").status_code == 403
    response = client.post("/api/v1/workspaces/alpha/audit/verify", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_api_token_works_without_cookie_or_csrf(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    csrf = login(client, "lead@alpha.example")
    token = client.post("/api/v1/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf}).json()["token"]
    client.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/workspaces/alpha/audit/verify", headers=headers).status_code == 200
    assert client.get("/api/v1/workspaces/beta", headers=headers).status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer vgt_wrong"}).status_code == 401


def test_login_is_rate_limited(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    for _ in range(5):
        response = client.post("/api/v1/auth/login", json={"email": "lead@alpha.example", "password": "nope"})
        assert response.status_code == 401
    blocked = client.post(
        "/api/v1/auth/login", json={"email": "lead@alpha.example", "password": "correct horse battery"}
    )
    assert blocked.status_code == 429


def test_session_cookie_is_http_only_and_headers_are_strict(
    client: TestClient, two_workspaces: TwoWorkspaces
) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"email": "lead@alpha.example", "password": "correct horse battery"}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.pages_fixtures import DEMO_PASSWORD, setup_colibri


def _login(client: TestClient, who: str) -> str:
    client.cookies.clear()
    response = client.post(
        "/api/v1/auth/login", json={"email": f"{who}@colibri.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    token: str = response.json()["csrf_token"]
    return token


def test_admin_edits_team_yaml_with_plan_then_audited_apply(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    slug = setup_colibri(session_factory)
    _login(client, "camille")
    assert client.get(f"/w/{slug}/admin").status_code == 403
    token = _login(client, "nadia")
    page = client.get(f"/w/{slug}/admin?file=team.yaml")
    assert page.status_code == 200 and "camille" in page.text
    found = re.search(r'<textarea id="admin-yaml"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert found
    text = html.unescape(found.group(1))
    assert "Camille" in text
    edited = text.replace("Camille", "Camille R.", 1)
    broken = client.post(
        f"/w/{slug}/admin",
        data={"csrf_token": token, "file": "team.yaml", "text": "team: [", "action": "plan"},
    )
    assert broken.status_code == 422 and 'id="admin-errors"' in broken.text
    plan = client.post(
        f"/w/{slug}/admin", data={"csrf_token": token, "file": "team.yaml", "text": edited, "action": "plan"}
    )
    assert plan.status_code == 200 and "camille" in plan.text and 'id="admin-plan"' in plan.text
    applied = client.post(
        f"/w/{slug}/admin", data={"csrf_token": token, "file": "team.yaml", "text": edited, "action": "apply"}
    )
    assert applied.status_code == 200 and "Camille R." in applied.text
    audit = client.get(f"/w/{slug}/audit")
    assert "nadia" in audit.text and "Camille R." in audit.text


def test_every_area_page_is_404_in_another_workspace_and_needs_a_session(
    client: TestClient, two_workspaces: object
) -> None:
    paths = [
        "inbox",
        "inbox.json",
        "cases/1",
        "approvals",
        "compose",
        "crisis",
        "crisis.json",
        "dashboard",
        "admin",
        "library",
    ]
    for path in paths:
        anonymous = client.get(f"/w/beta/{path}", follow_redirects=False)
        assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"], path
    client.post(
        "/api/v1/auth/login", json={"email": "lead@alpha.example", "password": "correct horse battery"}
    )
    for path in paths:
        assert client.get(f"/w/beta/{path}").status_code == 404, path
    assert client.post("/w/beta/check.json", json={"text": "x"}).status_code in (403, 404)

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import PASSWORD, TwoWorkspaces
from vigie.audit.service import append_audit
from vigie.workspace.models import Workspace


def _page_login(client: TestClient, email: str, password: str = PASSWORD, next_url: str = "/") -> None:
    page = client.get(f"/login?next={next_url}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1), "next": next_url},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == next_url


def test_pages_redirect_to_login_without_a_session(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    response = client.get("/w/alpha/audit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/w/alpha/audit")


def test_login_rejects_a_foreign_next_url(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    page = client.get("/login?next=//evil.example/x")
    assert 'value="/"' in page.text


def test_audit_page_escapes_hostile_text_and_verifies(
    client: TestClient, two_workspaces: TwoWorkspaces, session_factory: sessionmaker[Session]
) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">\u202egnp.exe'
    with session_factory.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slug == "alpha")).one()
        append_audit(
            session,
            workspace=workspace,
            actor=payload,
            action="draft.publish",
            object_type="reply",
            object_key="1",
            payload={"text": payload},
        )
    _page_login(client, "lead@alpha.example", next_url="/w/alpha/audit")
    page = client.get("/w/alpha/audit")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert 'onerror="alert' not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "\u202e" not in page.text and "[U+202E]gnp.exe" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    verified = client.post("/w/alpha/audit/verify", data={"csrf_token": token.group(1)})
    assert 'id="verify-result"' in verified.text and "1" in verified.text
    assert client.post("/w/alpha/audit/verify", data={"csrf_token": "wrong"}).status_code == 403


def test_member_of_alpha_gets_404_on_beta_pages(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    _page_login(client, "lead@alpha.example")
    assert client.get("/w/beta/audit").status_code == 404


def test_junior_cannot_open_the_audit_page(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    _page_login(client, "junior@alpha.example")
    assert client.get("/w/alpha/audit").status_code == 403


def test_locale_switch(client: TestClient, two_workspaces: TwoWorkspaces) -> None:
    assert "Connexion" in client.get("/login").text
    client.post("/locale", data={"locale": "en"})
    assert "Log in" in client.get("/login").text

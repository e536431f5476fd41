from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.pages_fixtures import DEMO_PASSWORD, setup_colibri


def _login(client: TestClient, who: str) -> str:
    client.cookies.clear()
    response = client.post(
        "/api/v1/auth/login", json={"email": f"{who}@colibri.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def test_check_submit_approve_through_the_gate(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    slug = setup_colibri(session_factory)
    token = _login(client, "camille")
    text = "Bonjour, nous vous remboursons 120 € dès aujourd'hui."
    # No CSRF header: refused.
    assert client.post(f"/w/{slug}/check.json", json={"text": text}).status_code == 403
    checked = client.post(f"/w/{slug}/check.json", json={"text": text}, headers={"X-CSRF-Token": token})
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["verdict"] == "needs_approval"
    refund = [f for f in body["findings"] if f["category"] == "commitment.refund"]
    assert refund and text[refund[0]["start"] : refund[0]["end"]].count("120")
    page = client.get(f"/w/{slug}/compose")
    assert page.status_code == 200 and 'data-check-url="/w/colibri/check.json"' in page.text
    submitted = client.post(f"/w/{slug}/drafts", data={"text": text, "channel": "x", "csrf_token": token})
    assert submitted.status_code == 200 and 'id="submit-result"' in submitted.text
    assert "sarah" in submitted.text or "hugo" in submitted.text
    # The author cannot approve their own draft; a senior can.
    queue = client.get(f"/w/{slug}/approvals")
    found = re.search(r'id="approval-(\d+)"', queue.text)
    assert found
    approval_id = found.group(1)
    token = _login(client, "sarah")
    decided = client.post(
        f"/w/{slug}/approvals/{approval_id}/approve",
        data={"csrf_token": token, "edited_text": text, "comment": ""},
        follow_redirects=False,
    )
    assert decided.status_code == 303, decided.text
    queue = client.get(f"/w/{slug}/approvals")
    assert f'id="approval-{approval_id}"' not in queue.text
    token = _login(client, "nadia")
    audit = client.get(f"/w/{slug}/audit")
    assert "publication" in audit.text or "publish" in audit.text


def test_reject_needs_a_comment_and_other_workspace_is_404(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    slug = setup_colibri(session_factory)
    token = _login(client, "camille")
    client.post(
        f"/w/{slug}/drafts",
        data={"text": "Nous vous remboursons 150 euros.", "channel": "x", "csrf_token": token},
    )
    queue = client.get(f"/w/{slug}/approvals")
    approval_id = re.search(r'id="approval-(\d+)"', queue.text).group(1)  # type: ignore[union-attr]
    token = _login(client, "hugo")
    refused = client.post(
        f"/w/{slug}/approvals/{approval_id}/reject", data={"csrf_token": token, "comment": ""}
    )
    assert refused.status_code == 422
    assert client.get("/w/nowhere/approvals").status_code == 404

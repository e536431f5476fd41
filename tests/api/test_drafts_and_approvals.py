from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.colibri import log_in

pytest_plugins = ["tests.api.colibri_fixtures"]

REFUND_80 = "Nous vous remboursons 80 € d'ici vendredi."
BASE = "/api/v1/workspaces/colibri"


def test_check_gives_findings_and_verdict_for_the_member(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    response = api.post(f"{BASE}/check", json={"text": REFUND_80, "lang": "fr", "channel": "x"}, headers=csrf)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verdict"] == "needs_approval"
    assert body["findings"] and all(0 <= f["start"] < f["end"] for f in body["findings"])
    assert "80" in str(body["findings"])
    assert "senior-cm" in str(body["approvers"])
    # The same text is within a senior's mandate.
    csrf = log_in(api, "sarah")
    senior = api.post(f"{BASE}/check", json={"text": REFUND_80, "lang": "fr", "channel": "x"}, headers=csrf)
    assert senior.json()["verdict"] != "needs_approval"


def test_check_validation_errors_are_clear(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    empty = api.post(f"{BASE}/check", json={"text": ""}, headers=csrf)
    assert empty.status_code == 422
    assert "text" in empty.text
    channel = api.post(f"{BASE}/check", json={"text": "Bonjour", "channel": "fax"}, headers=csrf)
    assert channel.status_code == 422
    assert "unknown channel 'fax'" in channel.json()["detail"]["message"]
    lang = api.post(f"{BASE}/check", json={"text": "Bonjour", "lang": "xx"}, headers=csrf)
    assert lang.status_code == 422
    assert "not supported" in lang.json()["detail"]["message"]


def test_submit_approve_and_publish(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    submitted = api.post(
        f"{BASE}/drafts", json={"text": REFUND_80, "lang": "fr", "channel": "x"}, headers=csrf
    )
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert body["published"] is False and body["approval"] is not None
    approval_id = body["approval"]["id"]
    assert [d["id"] for d in api.get(f"{BASE}/drafts?mine=true").json()] == [body["draft"]["id"]]
    # A junior is not among the approvers: refused by governance.
    csrf = log_in(api, "lucas")
    assert api.get(f"{BASE}/approvals").json() == []
    refused = api.post(f"{BASE}/approvals/{approval_id}/approve", json={}, headers=csrf)
    assert refused.status_code == 403
    assert "mandate does not cover this text" in refused.json()["detail"]["message"]
    csrf = log_in(api, "sarah")
    assert [a["id"] for a in api.get(f"{BASE}/approvals").json()] == [approval_id]
    approved = api.post(f"{BASE}/approvals/{approval_id}/approve", json={}, headers=csrf)
    assert approved.status_code == 200, approved.text
    assert approved.json()["published"] is True
    assert api.get(f"{BASE}/drafts/{body['draft']['id']}").json()["status"] == "published"
    again = api.post(f"{BASE}/approvals/{approval_id}/approve", json={}, headers=csrf)
    assert again.status_code == 409


def test_reject_needs_a_comment(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    approval_id = api.post(
        f"{BASE}/drafts", json={"text": REFUND_80, "lang": "fr", "channel": "x"}, headers=csrf
    ).json()["approval"]["id"]
    csrf = log_in(api, "sarah")
    missing = api.post(f"{BASE}/approvals/{approval_id}/reject", json={}, headers=csrf)
    assert missing.status_code == 422
    assert "comment" in missing.text
    rejected = api.post(
        f"{BASE}/approvals/{approval_id}/reject", json={"comment": "Propose 50 € maximum."}, headers=csrf
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"


def test_other_workspace_objects_are_404(api: TestClient) -> None:
    csrf = log_in(api, "camille", "other")
    other = api.post(
        "/api/v1/workspaces/other/drafts",
        json={"text": REFUND_80, "lang": "fr", "channel": "x"},
        headers=csrf,
    ).json()
    csrf = log_in(api, "sarah")
    assert api.get(f"{BASE}/drafts/{other['draft']['id']}").status_code == 404
    assert (
        api.post(f"{BASE}/approvals/{other['approval']['id']}/approve", json={}, headers=csrf).status_code
        == 404
    )
    assert api.get("/api/v1/workspaces/other/drafts").status_code == 404
    assert (
        api.post("/api/v1/workspaces/other/check", json={"text": "Bonjour"}, headers=csrf).status_code == 404
    )


def test_an_edited_text_is_checked_again_for_the_approver(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    approval_id = api.post(
        f"{BASE}/drafts", json={"text": REFUND_80, "lang": "fr", "channel": "x"}, headers=csrf
    ).json()["approval"]["id"]
    csrf = log_in(api, "sarah")
    beyond = api.post(
        f"{BASE}/approvals/{approval_id}/approve",
        json={"edited_text": "Nous vous remboursons 500 € d'ici vendredi."},
        headers=csrf,
    )
    assert beyond.status_code == 403, beyond.text
    assert "500" in beyond.json()["detail"]["message"]
    within = api.post(
        f"{BASE}/approvals/{approval_id}/approve",
        json={"edited_text": "Nous vous remboursons 60 € d'ici vendredi."},
        headers=csrf,
    )
    assert within.status_code == 200, within.text
    assert within.json()["published"] is True and "60 €" in within.json()["draft"]["text"]

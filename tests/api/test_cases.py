from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.colibri import log_in

pytest_plugins = ["tests.api.colibri_fixtures"]

BASE = "/api/v1/workspaces/colibri"


def ingest_one(api: TestClient, slug: str = "colibri") -> int:
    csrf = log_in(api, "nadia", slug)
    message = {
        "id": "c1",
        "channel": "x",
        "author": {"handle": "@cliente"},
        "text": "Ma commande n'est toujours pas arrivée, je veux être remboursée !",
        "created_at": "2026-11-20T09:00:00+00:00",
    }
    assert api.post(f"/api/v1/workspaces/{slug}/ingest", json=message, headers=csrf).json()["accepted"] == 1
    cases = api.get(f"/api/v1/workspaces/{slug}/cases").json()
    assert len(cases) == 1, cases
    case_id: int = cases[0]["id"]
    return case_id


def test_a_case_is_filed_on_ingest_and_worked(api: TestClient) -> None:
    case_id = ingest_one(api)
    csrf = log_in(api, "camille")
    case = api.get(f"{BASE}/cases/{case_id}").json()
    assert case["messages"][0]["text"].startswith("Ma commande")
    assert case["events"]
    taken = api.post(f"{BASE}/cases/{case_id}/assign", json={}, headers=csrf)
    assert taken.status_code == 200, taken.text
    assert taken.json()["assignee"] == "camille"
    assert [c["id"] for c in api.get(f"{BASE}/cases?assignee=me").json()] == [case_id]
    waiting = api.post(f"{BASE}/cases/{case_id}/status", json={"status": "waiting"}, headers=csrf)
    assert waiting.status_code == 200 and waiting.json()["status"] == "waiting"
    back = api.post(
        f"{BASE}/cases/{case_id}/handback", json={"reason": "not my topic: payments"}, headers=csrf
    )
    assert back.status_code == 200, back.text
    assert back.json()["assignee"] != "camille"


def test_case_rights_validation_and_scoping(api: TestClient) -> None:
    other_id = ingest_one(api, "other")
    case_id = ingest_one(api)
    csrf = log_in(api, "camille")
    assert api.get(f"{BASE}/cases/{other_id}").status_code == 404
    assert api.post(f"{BASE}/cases/{other_id}/assign", json={}, headers=csrf).status_code == 404
    refused = api.post(f"{BASE}/cases/{case_id}/assign", json={"member": "lucas"}, headers=csrf)
    assert refused.status_code == 403
    bad = api.post(f"{BASE}/cases/{case_id}/status", json={"status": "teleported"}, headers=csrf)
    assert bad.status_code == 422 and "teleported" in bad.json()["detail"]["message"]
    csrf = log_in(api, "sarah")
    assigned = api.post(f"{BASE}/cases/{case_id}/assign", json={"member": "lucas"}, headers=csrf)
    assert assigned.status_code == 200 and assigned.json()["assignee"] == "lucas"
    nobody = api.post(f"{BASE}/cases/{case_id}/assign", json={"member": "zorro"}, headers=csrf)
    assert nobody.status_code == 404 and "zorro" in nobody.json()["detail"]["message"]

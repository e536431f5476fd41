from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.colibri import log_in
from tests.api.test_cases import ingest_one

pytest_plugins = ["tests.api.colibri_fixtures"]

BASE = "/api/v1/workspaces/colibri"


def test_playbooks_suggestions_and_prefilled_draft(api: TestClient) -> None:
    case_id = ingest_one(api)
    csrf = log_in(api, "camille")
    keys = [p["key"] for p in api.get(f"{BASE}/playbooks").json()]
    assert "delivery-complaint" in keys
    assert api.get(f"{BASE}/playbooks/delivery-complaint").json()["key"] == "delivery-complaint"
    assert api.get(f"{BASE}/playbooks/nope").status_code == 404
    message_id = api.get(f"{BASE}/cases/{case_id}").json()["messages"][0]["id"]
    suggestions = api.get(f"{BASE}/messages/{message_id}/playbook-suggestions").json()
    assert suggestions and all(s["reasons"] for s in suggestions)
    draft = api.post(
        f"{BASE}/playbooks/{suggestions[0]['key']}/draft", json={"message_id": message_id}, headers=csrf
    )
    assert draft.status_code == 200, draft.text
    assert draft.json()["text"]


def test_library_entries_lessons_and_search(api: TestClient) -> None:
    case_id = ingest_one(api)
    csrf = log_in(api, "sarah")
    lesson = api.post(
        f"{BASE}/cases/{case_id}/lesson",
        json={"lessons": ["Rembourser vite les colis perdus."]},
        headers=csrf,
    )
    assert lesson.status_code == 201, lesson.text
    added = api.post(
        f"{BASE}/library",
        json={
            "title": "Panne de paiement",
            "summary": "Le paiement par carte a échoué.",
            "lessons": ["Prévenir"],
        },
        headers=csrf,
    )
    assert added.status_code == 201
    found = api.get(f"{BASE}/library", params={"q": "paiement"}).json()
    assert [e["id"] for e in found] == [added.json()["id"]]
    assert api.get(f"{BASE}/library/{lesson.json()['id']}").json()["source"] == {
        "kind": "case",
        "id": case_id,
    }
    empty = api.post(f"{BASE}/library", json={"title": "t", "summary": "s", "lessons": []}, headers=csrf)
    assert empty.status_code == 422 and "lessons" in empty.text
    assert api.get(f"{BASE}/library").status_code == 422
    csrf_other = log_in(api, "sarah", "other")
    other = api.post(
        "/api/v1/workspaces/other/library",
        json={"title": "Ailleurs", "summary": "s", "lessons": ["l"]},
        headers=csrf_other,
    ).json()
    log_in(api, "sarah")
    assert api.get(f"{BASE}/library/{other['id']}").status_code == 404
    assert api.get(f"{BASE}/library", params={"q": "Ailleurs"}).json() == []

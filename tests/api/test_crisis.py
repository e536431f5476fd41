from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.colibri import log_in

pytest_plugins = ["tests.api.colibri_fixtures"]

BASE = "/api/v1/workspaces/colibri"
HOLDING = "Nous avons connaissance de la situation et nous enquêtons. Nous revenons vers vous très vite."


def test_crisis_room_end_to_end(api: TestClient) -> None:
    csrf = log_in(api, "nadia")
    declared = api.post(
        f"{BASE}/crises", json={"title": "Rappel produit", "roles": {"spokesperson": "marc"}}, headers=csrf
    )
    assert declared.status_code == 201, declared.text
    crisis = declared.json()
    assert crisis["status"] == "open" and crisis["roles"]["spokesperson"] == "marc"
    cid = crisis["id"]
    assert api.get(f"{BASE}/crises/{cid}").json()["title"] == "Rappel produit"
    csrf = log_in(api, "marc")
    statement = api.post(
        f"{BASE}/crises/{cid}/holding-statements",
        json={"channel": "x", "lang": "fr", "text": HOLDING},
        headers=csrf,
    )
    assert statement.status_code == 200, statement.text
    assert statement.json()["status"] in {"published", "pending_approval", "blocked"}
    update = api.post(f"{BASE}/crises/{cid}/status-updates", json={"text": "Volume stable."}, headers=csrf)
    assert update.status_code == 200, update.text
    kinds = [e["kind"] for e in api.get(f"{BASE}/crises/{cid}/timeline").json()]
    assert len(kinds) >= 2
    early = api.post(
        f"{BASE}/crises/{cid}/post-mortem", json={"summary": "s", "lessons": ["l"]}, headers=csrf
    )
    assert early.status_code == 409 and "resolve it" in early.json()["detail"]["message"]
    assert (
        api.post(f"{BASE}/crises/{cid}/resolve", json={"resolution": "Lot retiré."}, headers=csrf).json()[
            "status"
        ]
        == "resolved"
    )
    empty = api.post(f"{BASE}/crises/{cid}/post-mortem", json={"summary": "s", "lessons": []}, headers=csrf)
    assert empty.status_code == 422 and "lessons" in empty.text
    written = api.post(
        f"{BASE}/crises/{cid}/post-mortem",
        json={"summary": "Un lot défectueux.", "lessons": ["Prévenir la qualité plus tôt."]},
        headers=csrf,
    )
    assert written.status_code == 201, written.text
    assert written.json()["lessons"] == ["Prévenir la qualité plus tôt."]


def test_crisis_roles_validation_and_scoping(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    assert api.post(f"{BASE}/crises", json={"title": "Panique"}, headers=csrf).status_code == 403
    csrf = log_in(api, "nadia")
    untitled = api.post(f"{BASE}/crises", json={}, headers=csrf)
    assert untitled.status_code == 422 and "title" in untitled.json()["detail"]["message"]
    bad_role = api.post(f"{BASE}/crises", json={"title": "T", "roles": {"chef": "marc"}}, headers=csrf)
    assert bad_role.status_code == 422
    csrf_other = log_in(api, "nadia", "other")
    other = api.post("/api/v1/workspaces/other/crises", json={"title": "Ailleurs"}, headers=csrf_other).json()
    csrf = log_in(api, "nadia")
    assert api.get(f"{BASE}/crises/{other['id']}").status_code == 404
    assert api.get(f"{BASE}/crises/{other['id']}/timeline").status_code == 404
    assert (
        api.post(f"{BASE}/crises/{other['id']}/resolve", json={"resolution": "x"}, headers=csrf).status_code
        == 404
    )
    assert api.post(f"{BASE}/alerts/999/ack", json={}, headers=csrf).status_code == 404
    assert api.get(f"{BASE}/alerts").json() == []
    assert api.get(f"{BASE}/signals").json() == []
    assert api.get(f"{BASE}/grades").json()["changes"] == []

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.api.colibri import log_in
from tests.api.conftest import PASSWORD
from vigie.accounts.service import create_api_token, create_user, grant_membership
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace

pytest_plugins = ["tests.api.colibri_fixtures"]

BASE = "/api/v1/workspaces/colibri"


def message(external_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": external_id,
        "channel": "x",
        "author": {"handle": "@client"},
        "text": text,
        "created_at": "2026-11-20T09:00:00+00:00",
        **extra,
    }


def test_ingest_webhook_accepts_deduplicates_and_quarantines(api: TestClient) -> None:
    csrf = log_in(api, "nadia")
    batch = [
        message("1", "Ma commande n'est toujours pas arrivée, c'est inadmissible !"),
        message("2", "<script>alert(1)</script> merci pour votre aide"),
        {"id": "3", "channel": "x", "text": "no date"},
    ]
    first = api.post(f"{BASE}/ingest", json=batch, headers=csrf)
    assert first.status_code == 200, first.text
    assert first.json() | {"hook_errors": []} == {
        "read": 3,
        "accepted": 2,
        "duplicates": 0,
        "quarantined": 1,
        "hook_errors": [],
    }
    again = api.post(f"{BASE}/ingest", json=message("1", "same id"), headers=csrf).json()
    assert (again["accepted"], again["duplicates"]) == (0, 1)
    page = api.get(f"{BASE}/messages?limit=1").json()
    assert page["total"] == 2 and len(page["items"]) == 1
    one = api.get(f"{BASE}/messages/{page['items'][0]['id']}").json()
    assert one["channel"] == "x" and one["author"]["handle"] == "@client"
    # The post-ingest hooks ran: the messages are analysed.
    assert one["analysis"] is not None
    assert api.get(f"{BASE}/messages?analysed=false").json()["total"] == 0
    assert api.get(f"{BASE}/messages?channel=email").json()["total"] == 0


def test_ingest_needs_a_role_and_a_valid_body(api: TestClient) -> None:
    csrf = log_in(api, "camille")
    assert api.post(f"{BASE}/ingest", json=message("1", "Bonjour"), headers=csrf).status_code == 403
    csrf = log_in(api, "nadia")
    empty = api.post(f"{BASE}/ingest", json=[], headers=csrf)
    assert empty.status_code == 422 and "empty array" in empty.json()["detail"]["message"]
    scalar = api.post(f"{BASE}/ingest", json="hello", headers=csrf)
    assert scalar.status_code == 422
    assert (
        api.post("/api/v1/workspaces/other/ingest", json=message("1", "x"), headers=csrf).status_code == 404
    )


def test_corrections_and_scoping(api: TestClient) -> None:
    csrf = log_in(api, "nadia", "other")
    api.post("/api/v1/workspaces/other/ingest", json=message("9", "Livraison en retard"), headers=csrf)
    other_id = api.get("/api/v1/workspaces/other/messages").json()["items"][0]["id"]
    csrf = log_in(api, "nadia")
    api.post(f"{BASE}/ingest", json=message("1", "Livraison en retard, colis perdu"), headers=csrf)
    mine = api.get(f"{BASE}/messages").json()["items"][0]["id"]
    assert api.get(f"{BASE}/messages/{other_id}").status_code == 404
    refused = api.post(
        f"{BASE}/messages/{other_id}/corrections",
        json={"task": "sentiment", "label": "negative"},
        headers=csrf,
    )
    assert refused.status_code == 404
    bad = api.post(
        f"{BASE}/messages/{mine}/corrections", json={"task": "sentiment", "label": "furious"}, headers=csrf
    )
    assert bad.status_code == 422
    assert "furious" in bad.json()["detail"]["message"]
    ok = api.post(
        f"{BASE}/messages/{mine}/corrections", json={"task": "sentiment", "label": "negative"}, headers=csrf
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["corrected_by"] == "nadia"
    shown = api.get(f"{BASE}/messages/{mine}").json()["analysis"]["corrections"]["sentiment"]
    assert shown["label"] == "negative"


def test_a_channel_bridge_ingests_with_a_token_and_the_integration_role(
    api: TestClient, colibri: sessionmaker[Session]
) -> None:
    with transaction(colibri) as session:
        ws = session.scalars(select(Workspace).where(Workspace.slug == "colibri")).one()
        bot = create_user(session, email="bridge@colibri.example", password=PASSWORD)
        grant_membership(session, user=bot, workspace=ws, roles=["integration"])
        token = create_api_token(session, user=bot, name="x-bridge").secret
    api.cookies.clear()
    headers = {"Authorization": f"Bearer {token}"}
    response = api.post(
        f"{BASE}/ingest", json=message("b1", "Bonjour, une question sur ma commande"), headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    # The integration role gives no right to draft (no team member, no mandate).
    refused = api.post(f"{BASE}/check", json={"text": "Bonjour"}, headers=headers)
    assert refused.status_code == 403 and "not linked to a team member" in refused.json()["detail"]["message"]

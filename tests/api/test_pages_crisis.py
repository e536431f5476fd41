from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.pages_fixtures import DEMO_PASSWORD, demo_database
from vigie.api.app import create_app
from vigie.core.settings import Settings


@pytest.fixture(scope="module")
def crisis_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = demo_database(Path(tmp_path_factory.mktemp("demo")), steps=4)
    with TestClient(create_app(Settings(database_url=url, cookie_secure=False))) as client:
        response = client.post(
            "/api/v1/auth/login", json={"email": "nadia@colibri.example", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client


def test_crisis_json_has_the_grade_alerts_and_a_volume_series(crisis_client: TestClient) -> None:
    data = crisis_client.get("/w/colibri/crisis.json").json()
    assert data["grade"] in ("watch", "alert", "crisis")
    assert data["alerts"], "the demo's pile-on raises an alert"
    assert len(data["points"]) >= 30 and sum(p["volume"] for p in data["points"]) > 0
    assert all(-1 <= p["sentiment"] <= 1 for p in data["points"])


def test_crisis_room_declare_status_update_and_timeline(crisis_client: TestClient) -> None:
    page = crisis_client.get("/w/colibri/crisis")
    assert page.status_code == 200 and 'data-renderer="crisisChart"' in page.text
    alert_id = crisis_client.get("/w/colibri/crisis.json").json()["alerts"][0]["id"]
    declared = crisis_client.post(
        "/w/colibri/crisis/declare", data={"alert_id": str(alert_id)}, follow_redirects=False
    )
    assert declared.status_code == 303, declared.text
    page = crisis_client.get("/w/colibri/crisis")
    assert 'id="crisis-room"' in page.text
    found = re.search(r"/w/colibri/crisis/(\d+)/status", page.text)
    assert found
    crisis_id = found.group(1)
    done = crisis_client.post(
        f"/w/colibri/crisis/{crisis_id}/status",
        data={"text": "Nous enquêtons, point suivant dans une heure."},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = crisis_client.get("/w/colibri/crisis")
    assert "Nous enquêtons" in page.text


def test_dashboard_draws_every_chart(crisis_client: TestClient) -> None:
    page = crisis_client.get("/w/colibri/dashboard")
    assert page.status_code == 200
    for chart in ("volume", "sentiment", "intents", "topics", "cases", "alerts", "drafts", "findings"):
        assert f'id="chart-{chart}"' in page.text
    assert page.text.count('class="bar"') > 20
    assert "style=" not in page.text

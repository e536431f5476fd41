from __future__ import annotations

import copy

from fastapi.testclient import TestClient

from tests.api.colibri import log_in

pytest_plugins = ["tests.api.colibri_fixtures"]

BASE = "/api/v1/workspaces/colibri"


def test_plan_and_apply_are_admin_only_and_audited(api: TestClient) -> None:
    csrf = log_in(api, "nadia")
    spec = api.get(f"{BASE}/spec").json()
    assert spec["workspace"]["slug"] == "colibri"
    assert api.post(f"{BASE}/spec/plan", json=spec, headers=csrf).json()["no_change"] is True
    changed = copy.deepcopy(spec)
    changed["workspace"]["name"] = "Colibri SAS"
    plan = api.post(f"{BASE}/spec/plan", json=changed, headers=csrf).json()
    assert plan["counts"]["update"] == 1 and plan["no_change"] is False
    # A plan writes nothing.
    assert api.get(f"{BASE}/spec").json()["workspace"]["name"] == "Colibri"
    applied = api.put(f"{BASE}/spec", json=changed, headers=csrf)
    assert applied.status_code == 200, applied.text
    assert api.get(f"{BASE}/spec").json()["workspace"]["name"] == "Colibri SAS"
    entries = api.get(f"{BASE}/audit").json()
    assert any(e["actor"] == "nadia" and e["object_type"] == "workspace" for e in entries)
    csrf = log_in(api, "sarah")
    assert api.get(f"{BASE}/spec").status_code == 200
    assert api.post(f"{BASE}/spec/plan", json=spec, headers=csrf).status_code == 403
    assert api.put(f"{BASE}/spec", json=spec, headers=csrf).status_code == 403


def test_invalid_specs_are_refused_with_the_reason(api: TestClient) -> None:
    csrf = log_in(api, "nadia")
    spec = api.get(f"{BASE}/spec").json()
    broken = copy.deepcopy(spec)
    broken["team"]["members"][0]["roles"] = ["astronaut"]
    response = api.put(f"{BASE}/spec", json=broken, headers=csrf)
    assert response.status_code == 422
    assert "astronaut" in response.json()["detail"]["message"]
    missing = {k: v for k, v in spec.items() if k != "charter"}
    response = api.post(f"{BASE}/spec/plan", json=missing, headers=csrf)
    assert response.status_code == 422 and "charter" in response.json()["detail"]["message"]
    other = copy.deepcopy(spec)
    other["workspace"]["slug"] = "other"
    response = api.put(f"{BASE}/spec", json=other, headers=csrf)
    assert response.status_code == 422 and "cannot be changed" in response.json()["detail"]["message"]
    assert api.put("/api/v1/workspaces/other/spec", json=spec, headers=csrf).status_code == 404

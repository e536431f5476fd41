"""Outgoing webhooks: a real HTTP server on 127.0.0.1 receives the event and verifies its signature."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.colibri import log_in
from vigie.webhooks.events import WebhookTarget, event_body, send, target_for
from vigie.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify_signature

pytest_plugins = ["tests.api.colibri_fixtures"]

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.event = threading.Event()


@pytest.fixture
def receiver() -> Iterator[tuple[str, Receiver]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = verify_signature(
                body,
                secret=SECRET,
                timestamp=self.headers[TIMESTAMP_HEADER],
                signature=self.headers[SIGNATURE_HEADER],
            )
            state.received.append({"verified": ok, "body": json.loads(body)})
            self.send_response(204 if ok else 401)
            self.end_headers()
            state.event.set()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", state
    server.shutdown()
    server.server_close()


def test_signature_helper() -> None:
    body = b'{"event": "alert.opened"}'
    now = int(time.time())
    signature = sign(body, secret=SECRET, timestamp=now)
    assert verify_signature(body, secret=SECRET, timestamp=str(now), signature=signature)
    assert not verify_signature(body + b" ", secret=SECRET, timestamp=str(now), signature=signature)
    assert not verify_signature(body, secret="other", timestamp=str(now), signature=signature)
    assert not verify_signature(body, secret=SECRET, timestamp=str(now - 3600), signature=signature)
    assert not verify_signature(body, secret=SECRET, timestamp="soon", signature=signature)


def test_receiver_verifies_a_sent_event(receiver: tuple[str, Receiver]) -> None:
    url, state = receiver
    status = send(WebhookTarget(url, SECRET), event_body(workspace="w", event="alert.opened", data={"id": 1}))
    assert status == 204
    assert state.received[0]["verified"] is True
    assert state.received[0]["body"]["data"] == {"id": 1}
    forged = send(WebhookTarget(url, "wrong"), event_body(workspace="w", event="alert.opened", data={}))
    assert forged == 401 and state.received[-1]["verified"] is False


def test_approval_needed_is_sent_after_a_draft_needs_approval(
    api: TestClient, receiver: tuple[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, state = receiver
    monkeypatch.setenv("VIGIE_WEBHOOK_URL_COLIBRI", url)
    monkeypatch.setenv("VIGIE_WEBHOOK_SECRET_COLIBRI", SECRET)
    assert target_for("colibri") == WebhookTarget(url, SECRET)
    assert target_for("other") is None
    csrf = log_in(api, "camille")
    response = api.post(
        "/api/v1/workspaces/colibri/drafts",
        json={"text": "Nous vous remboursons 80 € d'ici vendredi.", "lang": "fr", "channel": "x"},
        headers=csrf,
    )
    assert response.status_code == 201
    assert state.event.wait(5)
    event = state.received[0]
    assert event["verified"] is True
    assert event["body"]["event"] == "approval.needed" and event["body"]["workspace"] == "colibri"
    assert event["body"]["data"]["approval"]["id"] == response.json()["approval"]["id"]


def test_case_created_is_sent_after_ingest(
    api: TestClient, receiver: tuple[str, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, state = receiver
    monkeypatch.setenv("VIGIE_WEBHOOK_URL_COLIBRI", url)
    monkeypatch.setenv("VIGIE_WEBHOOK_SECRET_COLIBRI", SECRET)
    csrf = log_in(api, "nadia")
    message = {
        "id": "w1",
        "channel": "x",
        "author": {"handle": "@cliente"},
        "text": "Colis perdu, je veux un remboursement.",
        "created_at": "2026-11-20T09:00:00+00:00",
    }
    assert api.post("/api/v1/workspaces/colibri/ingest", json=message, headers=csrf).json()["accepted"] == 1
    assert state.event.wait(5)
    events = [r for r in state.received if r["body"]["event"] == "case.created"]
    assert len(events) == 1 and events[0]["verified"] is True
    case_id = api.get("/api/v1/workspaces/colibri/cases").json()[0]["id"]
    assert events[0]["body"]["data"]["id"] == case_id
    # A duplicate opens no case and sends nothing.
    api.post("/api/v1/workspaces/colibri/ingest", json=message, headers=csrf)
    assert len(state.received) == 1

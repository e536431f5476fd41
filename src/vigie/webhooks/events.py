"""Sending events to a workspace's webhook receiver.

Configuration is per workspace, by environment variables (secrets never live in the database):
``VIGIE_WEBHOOK_URL_<SLUG>`` (the receiver's URL) and ``VIGIE_WEBHOOK_SECRET_<SLUG>`` (the shared HMAC
secret), where ``<SLUG>`` is the workspace slug in upper case with ``-`` replaced by ``_``. Without
both, no event is sent. Events are sent after the request's transaction has committed (FastAPI
background task), with a short timeout; a failed delivery is logged and not retried.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import BackgroundTasks

from vigie.core.clock import utcnow
from vigie.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

EVENTS = frozenset({"case.created", "alert.opened", "approval.needed"})


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str


def _suffix(slug: str) -> str:
    return slug.upper().replace("-", "_")


def target_for(slug: str, environ: Mapping[str, str] | None = None) -> WebhookTarget | None:
    env = os.environ if environ is None else environ
    url = env.get(f"VIGIE_WEBHOOK_URL_{_suffix(slug)}", "").strip()
    secret = env.get(f"VIGIE_WEBHOOK_SECRET_{_suffix(slug)}", "").strip()
    if not url or not secret or not url.startswith(("http://", "https://")):
        return None
    return WebhookTarget(url=url, secret=secret)


def event_body(*, workspace: str, event: str, data: dict[str, Any]) -> bytes:
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; one of {', '.join(sorted(EVENTS))}")
    payload = {"event": event, "workspace": workspace, "sent_at": utcnow().isoformat(), "data": data}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()


def send(target: WebhookTarget, body: bytes, *, timeout: float = 5.0) -> int:
    """POST the signed body; returns the receiver's HTTP status (raises on network errors)."""
    request = urllib.request.Request(  # noqa: S310 - the URL scheme is checked in target_for
        target.url, data=body, headers=signed_headers(body, secret=target.secret), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def deliver(target: WebhookTarget, body: bytes) -> None:
    try:
        status = send(target, body)
        if not 200 <= status < 300:
            log.warning("webhook receiver %s answered %s", target.url, status)
    except Exception as error:  # noqa: BLE001 - a receiver being down must not break the app
        log.warning("webhook delivery to %s failed: %r", target.url, error)


def queue_event(background: BackgroundTasks, *, workspace: str, event: str, data: dict[str, Any]) -> bool:
    """Schedule the event for after the response (hence after the commit); False when not configured."""
    target = target_for(workspace)
    if target is None:
        return False
    background.add_task(deliver, target, event_body(workspace=workspace, event=event, data=data))
    return True

"""Crisis fixtures: the Colibri example applied, a real SMTP server, a real HTTP webhook receiver."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.core.settings import Settings
from vigie.ingest.models import Author, Message
from vigie.storage.db import transaction
from vigie.workspace.actions import apply_workspace
from vigie.workspace.loader import example_workspace_dir, load_workspace_dir
from vigie.workspace.models import Channel, Workspace

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def colibri(session_factory: sessionmaker[Session]) -> str:
    with transaction(session_factory) as session:
        apply_workspace(session, load_workspace_dir(example_workspace_dir()), "test")
    return "colibri"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Collect:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Settings, list[EmailMessage]]]:
    handler = _Collect()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield (
            Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="vigie@colibri.test"),
            handler.messages,
        )
    finally:
        controller.stop()


class WebhookReceiver:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.received_at: list[float] = []
        self.status = 200
        self.event = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server hook
                length = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(length)
                receiver.received_at.append(time.perf_counter())
                receiver.bodies.append(json.loads(data))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")
                receiver.event.set()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


def negative(topic: str = "delivery") -> dict[str, Any]:
    return {
        "sentiment": {"label": "negative", "score": -0.7},
        "toxicity": {"score": 0.1, "kinds": []},
        "topics": {"keys": [topic]},
    }


def add_message(
    session: Session,
    workspace: Workspace,
    *,
    external_id: str,
    author: str,
    at: datetime,
    text: str,
    channel: str = "facebook",
    in_reply_to: str | None = None,
    analysis: dict[str, Any] | None = None,
    followers: int = 100,
    labels: list[str] | None = None,
) -> Message:
    channel_id = session.scalar(
        select(Channel.id).where(Channel.workspace_id == workspace.id, Channel.name == channel)
    )
    assert channel_id is not None
    row = session.scalar(select(Author).where(Author.workspace_id == workspace.id, Author.handle == author))
    if row is None:
        row = Author(
            workspace_id=workspace.id, handle=author, followers=followers, history={"labels": labels or []}
        )
        session.add(row)
        session.flush()
    message = Message(
        workspace_id=workspace.id,
        channel_id=channel_id,
        external_id=external_id,
        author_id=row.id,
        text=text,
        created_at=at,
        in_reply_to=in_reply_to,
        analysis=analysis,
    )
    session.add(message)
    session.flush()
    return message


def seed_pile_on(factory: sessionmaker[Session], *, crowd: int = 14, start: datetime = T0) -> dict[str, int]:
    """A brand post on facebook, a first complainer, then an accelerating crowd of new authors."""
    with transaction(factory) as session:
        ws = session.scalar(select(Workspace).where(Workspace.slug == "colibri"))
        assert ws is not None
        post = add_message(
            session, ws, external_id="post-1", author="colibri_fr", at=start,
            text="Nouvelle collection de cocottes en fonte !", analysis={"sentiment": {"label": "positive"}},
        )  # fmt: skip
        first = add_message(
            session, ws, external_id="c-1", author="lea_r", at=start + timedelta(minutes=3), in_reply_to="post-1",
            text="Et ma commande d'il y a 3 semaines ? Toujours pas livrée.", analysis=negative(),
        )  # fmt: skip
        t = start + timedelta(minutes=5)
        for i in range(crowd):
            t += timedelta(seconds=max(15, 90 - 6 * i))
            add_message(
                session, ws, external_id=f"r-{i}", author=f"crowd_{i}", at=t,
                in_reply_to="c-1" if i % 3 else "post-1",
                text=f"Pareil pour moi, livraison en retard depuis {i + 2} semaines, honteux.", analysis=negative(),
            )  # fmt: skip
        return {"post": post.id, "first": first.id}

"""Sending notifications: e-mail over SMTP, chat webhooks over HTTP, off the hot path.

Rows are written (status ``pending``) in the transaction that changes the grade; once it commits,
their ids go to :class:`Dispatcher`, a background thread that sends them and records the outcome
(``sent`` or ``failed`` with the error) in its own short transaction. :func:`deliver_pending` does the
same synchronously (for the escalation tick, the CLI and tests).
"""

from __future__ import annotations

import json
import os
import queue
import smtplib
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from email.message import EmailMessage
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.core.clock import utcnow
from vigie.core.settings import Settings
from vigie.crisis.models import Notification
from vigie.storage.db import transaction

MAX_ATTEMPTS = 3


class DeliveryError(Exception):
    pass


def send_email(*, settings: Settings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(
            f"SMTP server {settings.smtp_host}:{settings.smtp_port} refused or unreachable ({error}); "
            "check VIGIE_SMTP_HOST / VIGIE_SMTP_PORT"
        ) from error


def webhook_url(env_name: str, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    url = env.get(env_name, "").strip()
    if not url:
        raise DeliveryError(f"environment variable {env_name} is not set: set it to the webhook URL")
    if urlparse(url).scheme not in ("http", "https"):
        raise DeliveryError(f"environment variable {env_name} must hold an http:// or https:// URL")
    return url


def post_webhook(url: str, payload: dict[str, object], *, timeout: float = 10.0) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by webhook_url
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"webhook answered HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(f"webhook unreachable ({error})") from error


def send_notification(
    notification: Notification, *, settings: Settings, environ: Mapping[str, str] | None = None
) -> None:
    if notification.via == "email":
        if not notification.address:
            raise DeliveryError(f"member {notification.recipient} has no e-mail in team.yaml")
        send_email(
            settings=settings, to=notification.address, subject=notification.subject, body=notification.body
        )
    elif notification.via == "webhook":
        if not notification.address:
            raise DeliveryError("webhook without url_env")
        post_webhook(
            webhook_url(notification.address, environ), notification.payload or {"text": notification.body}
        )
    else:
        raise DeliveryError(f"nothing to send for via={notification.via}")


def deliver(
    session: Session,
    notifications: Iterable[Notification],
    *,
    settings: Settings,
    environ: Mapping[str, str] | None = None,
) -> tuple[int, int]:
    """Send the given pending notifications; record each outcome on its row. Returns (sent, failed)."""
    sent = failed = 0
    # Chat webhooks first: they are the fastest way to reach people; e-mail follows.
    for notification in sorted(notifications, key=lambda n: (n.via != "webhook", n.id)):
        if notification.status != "pending":
            continue
        notification.attempts += 1
        try:
            send_notification(notification, settings=settings, environ=environ)
        except DeliveryError as error:
            notification.error = str(error)
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = "failed"
            failed += 1
        else:
            notification.status = "sent"
            notification.sent_at = utcnow()
            notification.error = None
            sent += 1
    session.flush()
    return sent, failed


def deliver_pending(
    session: Session, *, workspace_id: int, settings: Settings, environ: Mapping[str, str] | None = None
) -> tuple[int, int]:
    rows = session.scalars(
        select(Notification)
        .where(Notification.workspace_id == workspace_id, Notification.status == "pending")
        .order_by(Notification.id)
    ).all()
    return deliver(session, rows, settings=settings, environ=environ)


class Dispatcher:
    """A background thread sending committed notifications, so the watch never waits on the network."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        settings: Settings,
        environ: Mapping[str, str] | None = None,
        on_done: Callable[[int, int], None] | None = None,
    ) -> None:
        self._factory = factory
        self._settings = settings
        self._environ = environ
        self._on_done = on_done
        self._queue: queue.Queue[list[int] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="vigie-notify", daemon=True)
        self.sent = 0
        self.failed = 0
        self.last_error: str | None = None
        self._thread.start()

    def submit(self, notification_ids: list[int]) -> None:
        if notification_ids:
            self._queue.put(list(notification_ids))

    def _run(self) -> None:
        while True:
            ids = self._queue.get()
            try:
                if ids is None:
                    return
                with transaction(self._factory) as session:
                    rows = session.scalars(
                        select(Notification).where(Notification.id.in_(ids)).order_by(Notification.id)
                    ).all()
                    sent, failed = deliver(session, rows, settings=self._settings, environ=self._environ)
                self.sent += sent
                self.failed += failed
                if self._on_done is not None:
                    self._on_done(sent, failed)
            except Exception as error:  # noqa: BLE001 - the thread must survive; rows stay pending
                self.failed += len(ids or [])
                self.last_error = repr(error)
            finally:
                self._queue.task_done()

    def join(self) -> None:
        """Wait until everything submitted so far has been attempted."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

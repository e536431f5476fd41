"""Queue name → consumer: the domain function a worker runs on a batch of payloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True, slots=True)
class WorkerContext:
    """What a consumer may use: it opens its own transaction with ``session_factory``."""

    session_factory: sessionmaker[Session] | None


Consumer = Callable[[Sequence[dict[str, Any]], WorkerContext], None]

consumers: dict[str, Consumer] = {}


def register_consumer(queue: str) -> Callable[[Consumer], Consumer]:
    """Decorator: ``@register_consumer("message.ingested")``. One consumer per queue."""

    def decorate(fn: Consumer) -> Consumer:
        existing = consumers.get(queue)
        if existing is not None and existing is not fn:
            raise ValueError(f"Queue {queue!r} already has a consumer ({existing.__qualname__}).")
        consumers[queue] = fn
        return fn

    return decorate


def consumer_for(queue: str) -> Consumer:
    try:
        return consumers[queue]
    except KeyError:
        known = ", ".join(sorted(consumers)) or "none"
        raise KeyError(f"No consumer registered for queue {queue!r} (known: {known}).") from None

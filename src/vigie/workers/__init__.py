"""Background workers on Redis Streams (see docs/workers.md)."""

from __future__ import annotations

from vigie.core.settings import get_settings
from vigie.workers.bus import Bus, Event, connect
from vigie.workers.loop import WorkerStats, run_worker
from vigie.workers.registry import WorkerContext, register_consumer

__all__ = [
    "Bus",
    "Event",
    "WorkerContext",
    "WorkerStats",
    "connect",
    "publish",
    "register_consumer",
    "run_worker",
]


def publish(queue: str, payload: dict[str, object]) -> str:
    """Publish on the Redis of the settings (``VIGIE_REDIS_URL``); returns the stream message id."""
    with connect(get_settings().redis_url) as client:
        return Bus(client).publish(queue, payload)

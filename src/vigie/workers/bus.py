"""A small event bus on Redis Streams: one stream per queue, one consumer group, dead letters.

- ``publish(queue, payload)`` appends a JSON payload to the stream ``vigie:<queue>``.
- Workers read with ``XREADGROUP`` in the group ``vigie-workers`` (created on demand with ``MKSTREAM``).
- A message is acknowledged (``XACK``) only after its consumer succeeded.
- A message that failed stays pending; once idle longer than ``claim_idle_ms`` any worker reclaims it
  (``XPENDING`` + ``XCLAIM``, which counts deliveries). After ``max_attempts`` deliveries it is copied to
  ``vigie:<queue>:dead`` with its last error, *then* acknowledged: a message is never lost.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import redis

PREFIX = "vigie:"
GROUP = "vigie-workers"
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_CLAIM_IDLE_MS = 60_000


def stream_key(queue: str) -> str:
    return f"{PREFIX}{queue}"


def dead_key(queue: str) -> str:
    return f"{PREFIX}{queue}:dead"


def errors_key(queue: str) -> str:
    """Hash: message id → last error, kept while the message is pending."""
    return f"{PREFIX}{queue}:errors"


@dataclass(frozen=True, slots=True)
class Event:
    queue: str
    id: str
    payload: dict[str, Any]
    deliveries: int


@dataclass(frozen=True, slots=True)
class DeadLetter:
    id: str
    original_id: str
    payload: dict[str, Any] | None
    error: str
    attempts: int
    dead_at: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "original_id": self.original_id,
            "payload": self.payload,
            "error": self.error,
            "attempts": self.attempts,
            "dead_at": self.dead_at,
        }


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, decode_responses=True)


def _decode(fields: Mapping[str, str]) -> dict[str, Any]:
    value = json.loads(fields.get("data", "null"))
    return value if isinstance(value, dict) else {"value": value}


class Bus:
    """Redis Streams with one consumer group per queue (the group is created on first use)."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        group: str = GROUP,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        claim_idle_ms: int = DEFAULT_CLAIM_IDLE_MS,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1.")
        self.client = client
        self.group = group
        self.max_attempts = max_attempts
        self.claim_idle_ms = claim_idle_ms
        self._groups: set[str] = set()

    def ensure_group(self, queue: str) -> None:
        if queue in self._groups:
            return
        try:
            self.client.xgroup_create(stream_key(queue), self.group, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self._groups.add(queue)

    def publish(self, queue: str, payload: Mapping[str, Any]) -> str:
        """Append ``payload`` (JSON-serialisable) to the queue's stream; returns the message id."""
        self.ensure_group(queue)
        data = json.dumps(dict(payload), ensure_ascii=False, separators=(",", ":"))
        return str(self.client.xadd(stream_key(queue), {"data": data}))

    def read_new(
        self, queues: Sequence[str], consumer: str, *, count: int, block_ms: int | None
    ) -> list[Event]:
        """New messages for this consumer (``XREADGROUP >``); blocks up to ``block_ms`` when given."""
        for queue in queues:
            self.ensure_group(queue)
        streams: dict[Any, Any] = {stream_key(q): ">" for q in queues}
        response = self.client.xreadgroup(self.group, consumer, streams, count=count, block=block_ms)
        events: list[Event] = []
        for stream, entries in cast(list[tuple[str, list[tuple[str, dict[str, str]]]]], response or []):
            queue = stream[len(PREFIX) :]
            events.extend(Event(queue, mid, _decode(fields), 1) for mid, fields in entries)
        return events

    def reclaim(self, queue: str, consumer: str, *, count: int) -> list[Event]:
        """Claim messages idle longer than ``claim_idle_ms`` (a crashed or failed consumer's).

        Messages already delivered ``max_attempts`` times go to the dead-letter stream instead.
        """
        self.ensure_group(queue)
        stream = stream_key(queue)
        pending = self.client.xpending_range(
            stream, self.group, min="-", max="+", count=count, idle=self.claim_idle_ms
        )
        events: list[Event] = []
        for entry in cast(list[dict[str, Any]], pending):
            mid = str(entry["message_id"])
            delivered = int(entry["times_delivered"])
            if delivered >= self.max_attempts:
                claimed = self._claim(queue, consumer, mid)
                if claimed is not None:
                    self.dead_letter(claimed, self._last_error(queue, mid, delivered), attempts=delivered)
                continue
            claimed = self._claim(queue, consumer, mid)
            if claimed is not None:
                events.append(Event(queue, mid, claimed.payload, delivered + 1))
        return events

    def _claim(self, queue: str, consumer: str, mid: str) -> Event | None:
        result = self.client.xclaim(stream_key(queue), self.group, consumer, self.claim_idle_ms, [mid])
        entries = cast(list[tuple[str, dict[str, str] | None]], result)
        if not entries or entries[0][1] is None:
            # Claimed by another worker meanwhile, or the entry was trimmed: nothing left to run.
            if not entries:
                return None
            self.ack(queue, mid)
            return None
        return Event(queue, mid, _decode(entries[0][1]), 0)

    def _last_error(self, queue: str, mid: str, delivered: int) -> str:
        error = self.client.hget(errors_key(queue), mid)
        if error:
            return str(error)
        return f"delivered {delivered} times without being acknowledged (consumer crashed or timed out)"

    def ack(self, queue: str, *mids: str) -> None:
        """Acknowledge messages and forget their recorded errors (two round trips for any number)."""
        if not mids:
            return
        self.client.xack(stream_key(queue), self.group, *mids)
        self.client.hdel(errors_key(queue), *mids)

    def record_failure(self, event: Event, error: str) -> bool:
        """Count a failed attempt; dead-letter the message when it has used its attempts.

        Returns True when the message was dead-lettered.
        """
        if event.deliveries >= self.max_attempts:
            self.dead_letter(event, error, attempts=event.deliveries)
            return True
        self.client.hset(errors_key(event.queue), event.id, error)
        return False

    def dead_letter(self, event: Event, error: str, *, attempts: int) -> str:
        """Copy to ``<queue>:dead`` first, then acknowledge: at worst a duplicate, never a loss."""
        dead_id = self.client.xadd(
            dead_key(event.queue),
            {
                "original_id": event.id,
                "data": json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")),
                "error": error[:4000],
                "attempts": str(attempts),
                "dead_at": f"{time.time():.3f}",
            },
        )
        self.ack(event.queue, event.id)
        return str(dead_id)

    def dead_letters(self, queue: str, *, count: int = 100) -> list[DeadLetter]:
        entries = cast(list[tuple[str, dict[str, str]]], self.client.xrange(dead_key(queue), count=count))
        letters: list[DeadLetter] = []
        for mid, fields in entries:
            try:
                payload: dict[str, Any] | None = _decode(fields)
            except json.JSONDecodeError:
                payload = None
            letters.append(
                DeadLetter(
                    id=mid,
                    original_id=fields.get("original_id", ""),
                    payload=payload,
                    error=fields.get("error", ""),
                    attempts=int(fields.get("attempts", "0")),
                    dead_at=float(fields.get("dead_at", "0")),
                )
            )
        return letters

    def pending_count(self, queue: str) -> int:
        self.ensure_group(queue)
        summary = self.client.xpending(stream_key(queue), self.group)
        return int(summary["pending"])

"""The bus against a real Redis: ack on success, dead letters after N failures, reclaiming a crashed consumer's work."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import redis

from vigie.workers.bus import Bus, dead_key, stream_key
from vigie.workers.loop import run_worker
from vigie.workers.registry import WorkerContext, consumers, register_consumer

CONTEXT = WorkerContext(session_factory=None)


@pytest.fixture
def queue() -> Iterator[str]:
    name = f"test.{uuid.uuid4().hex[:8]}"
    yield name
    consumers.pop(name, None)


def _drain(bus: Bus, queue: str, consumer: str = "w1", batch_size: int = 10) -> Any:
    return run_worker(
        [queue],
        consumer,
        bus=bus,
        context=CONTEXT,
        stop_event=threading.Event(),
        batch_size=batch_size,
        once=True,
    )


def test_publish_then_worker_consumes_and_acks(redis_client: redis.Redis, queue: str) -> None:
    seen: list[dict[str, Any]] = []
    batches: list[int] = []

    @register_consumer(queue)
    def consume(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
        batches.append(len(payloads))
        seen.extend(payloads)

    bus = Bus(redis_client)
    for n in range(5):
        bus.publish(queue, {"n": n, "text": "é"})
    stats = _drain(bus, queue, batch_size=3)

    assert [p["n"] for p in seen] == [0, 1, 2, 3, 4]
    assert seen[0]["text"] == "é"
    assert batches == [3, 2]  # read in batches
    assert stats.processed == 5 and stats.failed == 0
    assert bus.pending_count(queue) == 0  # every message acknowledged
    assert redis_client.xlen(stream_key(queue)) == 5
    assert redis_client.exists(dead_key(queue)) == 0


def test_failing_message_is_dead_lettered_after_max_attempts(redis_client: redis.Redis, queue: str) -> None:
    good: list[int] = []
    attempts: list[int] = []

    @register_consumer(queue)
    def consume(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
        for payload in payloads:
            if payload["n"] == 1:
                attempts.append(1)
                raise ValueError(f"boom on {payload['n']}")
        good.extend(p["n"] for p in payloads)

    bus = Bus(redis_client, max_attempts=3, claim_idle_ms=0)
    for n in range(3):
        bus.publish(queue, {"n": n})
    stats = _drain(bus, queue)

    assert sorted(good) == [0, 2]  # the batch was split: the good messages were not held back
    assert len(attempts) == 1 + 3  # once in the whole batch, then three deliveries of its own
    assert stats.failed == 3 and stats.dead_lettered == 1
    letters = bus.dead_letters(queue)
    assert len(letters) == 1
    assert letters[0].payload == {"n": 1}
    assert letters[0].attempts == 3
    assert "ValueError: boom on 1" in letters[0].error
    assert bus.pending_count(queue) == 0  # acknowledged only once it is safe in the dead-letter stream


def test_failure_is_retried_and_can_succeed(redis_client: redis.Redis, queue: str) -> None:
    calls: list[int] = []

    @register_consumer(queue)
    def consume(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
        calls.append(len(payloads))
        if len(calls) == 1:
            raise ConnectionError("database briefly away")

    bus = Bus(redis_client, max_attempts=3, claim_idle_ms=0)
    bus.publish(queue, {"n": 1})
    stats = _drain(bus, queue)
    assert calls == [1, 1]
    assert stats.processed == 1 and stats.failed == 1 and stats.dead_lettered == 0
    assert bus.dead_letters(queue) == []
    assert redis_client.hlen(f"{stream_key(queue)}:errors") == 0  # the error record is cleared on ack


def test_crashed_consumer_message_is_reclaimed_by_another(redis_client: redis.Redis, queue: str) -> None:
    seen: list[dict[str, Any]] = []

    @register_consumer(queue)
    def consume(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
        seen.extend(payloads)

    bus = Bus(redis_client, claim_idle_ms=50)
    bus.publish(queue, {"n": 7})
    # Worker "a" reads the message and dies before acknowledging it.
    taken = bus.read_new([queue], "a", count=10, block_ms=None)
    assert [e.payload for e in taken] == [{"n": 7}]
    assert _drain(bus, queue, consumer="b").processed == 0  # not idle long enough yet: still a's
    time.sleep(0.1)
    stats = _drain(bus, queue, consumer="b")
    assert seen == [{"n": 7}]
    assert stats.processed == 1
    assert bus.pending_count(queue) == 0


def test_message_that_keeps_crashing_workers_is_dead_lettered(redis_client: redis.Redis, queue: str) -> None:
    @register_consumer(queue)
    def consume(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
        raise AssertionError("never reached: the message already used its deliveries")

    bus = Bus(redis_client, max_attempts=2, claim_idle_ms=0)
    bus.publish(queue, {"n": 9})
    bus.read_new([queue], "a", count=1, block_ms=None)  # delivery 1, crash
    assert len(bus.reclaim(queue, "b", count=1)) == 1  # delivery 2, crash
    stats = _drain(bus, queue, consumer="c")
    assert stats.processed == 0
    letters = bus.dead_letters(queue)
    assert [letter.payload for letter in letters] == [{"n": 9}]
    assert "without being acknowledged" in letters[0].error
    assert bus.pending_count(queue) == 0


def test_stop_event_ends_a_blocking_worker(redis_client: redis.Redis, queue: str) -> None:
    seen: list[dict[str, Any]] = []

    @register_consumer(queue)
    def consume(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
        seen.extend(payloads)

    bus = Bus(redis_client)
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        args=([queue], "w"),
        kwargs={"bus": Bus(redis_client), "context": CONTEXT, "stop_event": stop, "block_ms": 50},
    )
    thread.start()
    bus.publish(queue, {"n": 1})
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert seen == [{"n": 1}]


def test_unknown_queue_is_refused(redis_client: redis.Redis) -> None:
    with pytest.raises(KeyError, match="No consumer registered"):
        run_worker(["nope"], "w", bus=Bus(redis_client), context=CONTEXT, stop_event=threading.Event())

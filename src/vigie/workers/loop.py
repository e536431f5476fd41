"""The worker loop: read a batch, run the queue's consumer, ack on success, count and dead-letter failures."""

from __future__ import annotations

import logging
import threading
import traceback
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from vigie.workers.bus import Bus, Event
from vigie.workers.registry import WorkerContext, consumer_for

log = logging.getLogger(__name__)


@dataclass(slots=True)
class WorkerStats:
    processed: int = 0
    failed: int = 0
    dead_lettered: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: WorkerStats) -> None:
        self.processed += other.processed
        self.failed += other.failed
        self.dead_lettered += other.dead_lettered
        self.batches += other.batches
        self.errors.extend(other.errors)


def _run_batch(
    bus: Bus, queue: str, events: Sequence[Event], context: WorkerContext, stats: WorkerStats
) -> None:
    consumer = consumer_for(queue)
    stats.batches += 1
    try:
        consumer([e.payload for e in events], context)
    except Exception:  # noqa: BLE001 - retried one by one below to find the failing message
        if len(events) > 1:
            for event in events:
                _run_batch(bus, queue, [event], context, stats)
            return
        event = events[0]
        error = traceback.format_exc(limit=5)
        stats.failed += 1
        stats.errors.append(f"{queue} {event.id}: {error.strip().splitlines()[-1]}")
        log.warning("consumer for %s failed on %s (delivery %d)", queue, event.id, event.deliveries)
        if bus.record_failure(event, error):
            stats.dead_lettered += 1
        return
    bus.ack(queue, *(event.id for event in events))
    stats.processed += len(events)


def run_once(
    bus: Bus,
    queues: Sequence[str],
    consumer_name: str,
    context: WorkerContext,
    *,
    batch_size: int,
    block_ms: int | None,
) -> WorkerStats:
    """One round: reclaim idle pending messages, then read new ones; returns what was done."""
    stats = WorkerStats()
    for queue in queues:
        reclaimed = bus.reclaim(queue, consumer_name, count=batch_size)
        if reclaimed:
            _run_batch(bus, queue, reclaimed, context, stats)
    by_queue: dict[str, list[Event]] = defaultdict(list)
    for event in bus.read_new(queues, consumer_name, count=batch_size, block_ms=block_ms):
        by_queue[event.queue].append(event)
    for queue, events in by_queue.items():
        _run_batch(bus, queue, events, context, stats)
    return stats


def run_worker(
    queues: Sequence[str],
    consumer_name: str,
    *,
    bus: Bus,
    context: WorkerContext,
    stop_event: threading.Event,
    batch_size: int = 100,
    block_ms: int = 2000,
    once: bool = False,
) -> WorkerStats:
    """Consume ``queues`` until ``stop_event`` is set (or, with ``once``, until nothing is left to do)."""
    if not queues:
        raise ValueError("Give at least one queue.")
    for queue in queues:
        consumer_for(queue)  # fail fast on an unknown queue
    total = WorkerStats()
    while not stop_event.is_set():
        stats = run_once(
            bus, queues, consumer_name, context, batch_size=batch_size, block_ms=None if once else block_ms
        )
        total.add(stats)
        if once and stats.batches == 0:
            break
    return total

"""Analysis of every ingested batch, as a post-ingest hook (see ``vigie.ingest.hooks``)."""

from __future__ import annotations

from vigie.core.settings import get_settings
from vigie.ingest.hooks import IngestedBatch, register_post_ingest_hook
from vigie.workers import Bus, WorkerContext, connect
from vigie.workers.analysis import analyse_ingested, ingested_payload, publish_ingested_batch


def analyse_ingested_batch(batch: IngestedBatch) -> None:
    """Analyse the messages of a committed ingest batch, in a transaction of its own.

    It runs the ``message.ingested`` consumer inline; with ``VIGIE_ANALYSIS_MODE=queue`` the event
    goes to the Redis stream instead and ``vigie worker`` analyses it (docs/workers.md).
    """
    settings = get_settings()
    if settings.analysis_mode == "queue":
        with connect(settings.redis_url) as client:
            publish_ingested_batch(batch, bus=Bus(client))
        return
    analyse_ingested([ingested_payload(batch)], WorkerContext(session_factory=batch.session_factory))


def register() -> None:
    """Make every ingest run in this process analyse what it stores (idempotent)."""
    register_post_ingest_hook(analyse_ingested_batch)

"""Analysis of every ingested batch, as a post-ingest hook (see ``vigie.ingest.hooks``)."""

from __future__ import annotations

from vigie.analysis.actions import analyse_pending
from vigie.core.errors import NotFoundError
from vigie.core.settings import get_settings
from vigie.ingest.hooks import IngestedBatch, register_post_ingest_hook
from vigie.storage.db import transaction
from vigie.workers import Bus, connect
from vigie.workers.analysis import publish_ingested_batch
from vigie.workspace.models import Workspace


def analyse_ingested_batch(batch: IngestedBatch) -> None:
    """Analyse the messages of a committed ingest batch, in a transaction of its own.

    With ``VIGIE_ANALYSIS_MODE=queue`` the ids go to the ``message.ingested`` Redis stream instead and
    ``vigie worker`` analyses them (docs/workers.md).
    """
    settings = get_settings()
    if settings.analysis_mode == "queue":
        with connect(settings.redis_url) as client:
            publish_ingested_batch(batch, bus=Bus(client))
        return
    with transaction(batch.session_factory) as session:
        workspace = session.get(Workspace, batch.workspace_id)
        if workspace is None:
            raise NotFoundError(f"Workspace {batch.workspace_id} vanished during ingest.")
        analyse_pending(session=session, workspace=workspace, message_ids=batch.message_ids)


def register() -> None:
    """Make every ingest run in this process analyse what it stores (idempotent)."""
    register_post_ingest_hook(analyse_ingested_batch)

"""The ``message.ingested`` queue: analysis of ingested batches by workers (``VIGIE_ANALYSIS_MODE=queue``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from vigie.analysis.actions import analyse_pending
from vigie.core.errors import NotFoundError
from vigie.ingest.hooks import IngestedBatch
from vigie.storage.db import transaction
from vigie.workers.bus import Bus
from vigie.workers.registry import WorkerContext, register_consumer
from vigie.workspace.models import Workspace

MESSAGE_INGESTED = "message.ingested"


def ingested_payload(batch: IngestedBatch) -> dict[str, Any]:
    return {
        "workspace_id": batch.workspace_id,
        "workspace_slug": batch.workspace_slug,
        "message_ids": list(batch.message_ids),
        "drill": batch.drill,
    }


def publish_ingested_batch(batch: IngestedBatch, *, bus: Bus) -> str:
    """What the post-ingest hook does in queue mode: hand the new message ids to the workers."""
    return bus.publish(MESSAGE_INGESTED, ingested_payload(batch))


@register_consumer(MESSAGE_INGESTED)
def analyse_ingested(payloads: Sequence[dict[str, Any]], context: WorkerContext) -> None:
    """Analyse the messages of a batch of ``message.ingested`` events, in one transaction.

    Idempotent: only messages whose analysis is still null are analysed, so a redelivery is harmless.
    """
    if context.session_factory is None:
        raise RuntimeError("The message.ingested consumer needs a database (session_factory).")
    ids_by_workspace: dict[int, set[int]] = defaultdict(set)
    for payload in payloads:
        ids_by_workspace[int(payload["workspace_id"])].update(int(i) for i in payload["message_ids"])
    with transaction(context.session_factory) as session:
        for workspace_id, ids in sorted(ids_by_workspace.items()):
            workspace = session.get(Workspace, workspace_id)
            if workspace is None:
                raise NotFoundError(f"Workspace {workspace_id} does not exist (message.ingested event).")
            analyse_pending(session=session, workspace=workspace, message_ids=sorted(ids))

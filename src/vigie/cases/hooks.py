"""Cases as a post-ingest hook, always after the analysis hook (priority, topics and intents come from it)."""

from __future__ import annotations

from vigie.analysis import hooks as analysis_hooks
from vigie.cases.actions import file_messages
from vigie.core.errors import NotFoundError
from vigie.ingest.hooks import IngestedBatch, post_ingest_hooks, register_post_ingest_hook
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace


def file_ingested_batch(batch: IngestedBatch) -> None:
    """Open or update the cases of a committed, analysed batch and route the new ones."""
    with transaction(batch.session_factory) as session:
        workspace = session.get(Workspace, batch.workspace_id)
        if workspace is None:
            raise NotFoundError(f"Workspace {batch.workspace_id} vanished during ingest.")
        if not (workspace.spec or {}).get("sla"):
            # No workspace.yaml applied (no SLA, no team): nothing to route to; `vigie cases file` catches up.
            return
        file_messages(session, workspace=workspace, message_ids=batch.message_ids)


def register() -> None:
    """Register analysis first, then cases (idempotent; the order is checked)."""
    analysis_hooks.register()
    register_post_ingest_hook(file_ingested_batch)
    order = post_ingest_hooks.index(analysis_hooks.analyse_ingested_batch)
    if order > post_ingest_hooks.index(file_ingested_batch):
        post_ingest_hooks.remove(file_ingested_batch)
        post_ingest_hooks.append(file_ingested_batch)

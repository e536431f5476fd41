"""``case.created`` events: a post-ingest hook, after the cases hook, for the cases a batch opened.

Hooks run after the batch is committed, so a receiver never hears of a case that does not exist.
"""

from __future__ import annotations

from vigie.cases import hooks as case_hooks
from vigie.cases.opened import cases_opened_by
from vigie.cases.service import case_to_dict, member_keys
from vigie.ingest.hooks import IngestedBatch, post_ingest_hooks, register_post_ingest_hook
from vigie.webhooks.events import deliver, event_body, target_for
from vigie.workspace.models import Workspace


def notify_new_cases(batch: IngestedBatch) -> None:
    if batch.drill:
        return
    target = target_for(batch.workspace_slug)
    if target is None:
        return
    with batch.session_factory() as session:
        workspace = session.get(Workspace, batch.workspace_id)
        if workspace is None:
            return
        members = member_keys(session, workspace)
        bodies = [
            event_body(workspace=workspace.slug, event="case.created", data=case_to_dict(case, members))
            for case in cases_opened_by(session, workspace, batch.message_ids)
        ]
    for body in bodies:
        deliver(target, body)


def register() -> None:
    """Analysis, then cases, then this hook (idempotent)."""
    case_hooks.register()
    if notify_new_cases in post_ingest_hooks:
        post_ingest_hooks.remove(notify_new_cases)
    register_post_ingest_hook(notify_new_cases)

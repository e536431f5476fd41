"""Post-ingest hooks: how later stages (analysis, crisis watch, routing, the Redis bus) learn of new messages.

After each batch is **committed**, the ingest run calls every hook with an ``IngestedBatch`` holding the
ids of the messages that batch stored for the first time (duplicates are not included). Hooks run in
the ingesting process, in registration order, outside the ingest transaction: a hook opens its own
transaction with ``batch.session_factory`` if it writes.

Registering a hook (e.g. in the analysis package)::

    from vigie.ingest.hooks import IngestedBatch, register_post_ingest_hook

    def analyse_new_messages(batch: IngestedBatch) -> None:
        with transaction(batch.session_factory) as session:
            ...  # load Message rows whose id is in batch.message_ids, annotate them

    register_post_ingest_hook(analyse_new_messages)

A hook that raises does not undo the ingest (the messages are committed already). The error is counted
and reported in the run summary (``hook_errors``), and the other hooks still run; a stage that must not
miss messages should also be able to catch up from the database (e.g. messages whose ``analysis`` is
null). Tests and callers can pass an explicit ``hooks=[...]`` list to the ingest functions instead of
the global registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True, slots=True)
class IngestedBatch:
    workspace_id: int
    workspace_slug: str
    message_ids: tuple[int, ...]
    session_factory: sessionmaker[Session]
    drill: bool = False


PostIngestHook = Callable[[IngestedBatch], None]

# The global registry. Append with ``register_post_ingest_hook``; order is call order.
post_ingest_hooks: list[PostIngestHook] = []


def register_post_ingest_hook(hook: PostIngestHook) -> PostIngestHook:
    """Add ``hook`` once (registering the same function twice is a no-op); usable as a decorator."""
    if hook not in post_ingest_hooks:
        post_ingest_hooks.append(hook)
    return hook


def unregister_post_ingest_hook(hook: PostIngestHook) -> None:
    if hook in post_ingest_hooks:
        post_ingest_hooks.remove(hook)


def run_hooks(hooks: Sequence[PostIngestHook], batch: IngestedBatch) -> list[str]:
    """Call each hook; returns one message per hook that failed."""
    errors: list[str] = []
    if not batch.message_ids:
        return errors
    for hook in hooks:
        try:
            hook(batch)
        except Exception as error:  # noqa: BLE001 - reported to the caller, never swallowed silently
            name = getattr(hook, "__qualname__", repr(hook))
            errors.append(f"post-ingest hook {name} failed on {len(batch.message_ids)} messages: {error!r}")
    return errors

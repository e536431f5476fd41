"""The ingest use case: read records, normalise them, write them batch by batch, call the hooks.

Unlike single-entity service code, an ingest run owns its transactions on purpose: it commits once per
batch (``settings.ingest_batch_size`` records), so an interrupted run (Ctrl-C, kill -9) loses at most
the batch in flight, and every message already accepted is on disk. Running the same input again
stores nothing twice (``INSERT … ON CONFLICT DO NOTHING``), which completes an interrupted file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from vigie.core.errors import NotFoundError, ValidationFailedError
from vigie.ingest.hooks import IngestedBatch, PostIngestHook, post_ingest_hooks, run_hooks
from vigie.ingest.normalise import NewMessage, Rejection, known_channels_hint, normalise_record
from vigie.ingest.reader import InputFormat, RawRecord, detect_format, max_record_bytes, read_records
from vigie.ingest.schemas import IngestCounts, IngestSummary
from vigie.ingest.service import channel_ids, write_batch
from vigie.storage.db import transaction
from vigie.workspace.models import Workspace

ProgressCallback = Callable[[str, int], None]  # (source, bytes consumed so far in it)


@dataclass(frozen=True, slots=True)
class IngestTarget:
    """Where records go: a workspace and its channels (name -> id), read once per run."""

    workspace_id: int
    workspace_slug: str
    channels: dict[str, int]


def load_target(session: Session, *, workspace_slug: str, default_channel: str | None = None) -> IngestTarget:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == workspace_slug))
    if workspace is None:
        raise NotFoundError(f"Workspace '{workspace_slug}' does not exist.")
    channels = channel_ids(session, workspace_id=workspace.id)
    if default_channel is not None and default_channel not in channels:
        raise ValidationFailedError(
            f"--channel '{default_channel}' is not a channel of workspace '{workspace_slug}': "
            f"use one of {known_channels_hint(channels)}."
        )
    return IngestTarget(workspace.id, workspace.slug, channels)


def ingest_records(
    session_factory: sessionmaker[Session],
    *,
    target: IngestTarget,
    records: Iterable[RawRecord],
    summary: IngestSummary,
    default_channel: str | None = None,
    max_text_length: int,
    batch_size: int,
    hooks: Sequence[PostIngestHook] | None = None,
    progress: ProgressCallback | None = None,
    drill: bool = False,
) -> IngestSummary:
    """Ingest a stream of records (from a file, the demo feed, a drill…), committing per batch."""
    active_hooks = post_ingest_hooks if hooks is None else hooks
    messages: list[NewMessage] = []
    rejections: list[Rejection] = []
    read_by_source: dict[str, int] = {}
    last: RawRecord | None = None

    def flush() -> None:
        if not messages and not rejections:
            return
        with transaction(session_factory) as session:
            result = write_batch(
                session,
                workspace_id=target.workspace_id,
                messages=messages,
                rejections=rejections,
                drill=drill,
            )
        # Committed: count it, then tell the later stages. A batch from one source (always the case
        # for files) is counted exactly; a mixed batch has its accepted/duplicates on its first source.
        for index, (source, read) in enumerate(read_by_source.items()):
            counts = IngestCounts(read=read, quarantined=sum(1 for r in rejections if r.source == source))
            if index == 0:
                counts = counts + IngestCounts(
                    accepted=len(result.new_message_ids), duplicates=result.duplicates
                )
            summary.add(source, counts)
        messages.clear()
        rejections.clear()
        read_by_source.clear()
        if last is not None and progress is not None:
            progress(last.source, last.offset)
        summary.hook_errors.extend(
            run_hooks(
                active_hooks,
                IngestedBatch(
                    target.workspace_id, target.workspace_slug, result.new_message_ids, session_factory, drill
                ),
            )
        )

    for record in records:
        last = record
        read_by_source[record.source] = read_by_source.get(record.source, 0) + 1
        outcome = normalise_record(
            record, channels=target.channels, default_channel=default_channel, max_text_length=max_text_length
        )
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
        else:
            messages.append(outcome)
        if len(messages) + len(rejections) >= batch_size:
            flush()
    flush()
    return summary


def ingest_files(
    session_factory: sessionmaker[Session],
    *,
    workspace_slug: str,
    paths: Sequence[Path],
    fmt: InputFormat | None = None,
    default_channel: str | None = None,
    max_text_length: int,
    batch_size: int,
    hooks: Sequence[PostIngestHook] | None = None,
    progress: ProgressCallback | None = None,
    summary: IngestSummary | None = None,
) -> IngestSummary:
    """Ingest files (JSONL or CSV) into a workspace; see ``ingest_records``.

    Raises ``NotFoundError`` / ``ValidationFailedError`` before reading anything when the workspace,
    the ``--channel``, a file or its format is wrong. Bad records never raise: they are quarantined.
    """
    for path in paths:
        if not path.is_file():
            raise ValidationFailedError(f"{path}: no such file (give the path of a .jsonl or .csv file).")
    formats = [detect_format(path, fmt) for path in paths]
    with transaction(session_factory) as session:
        target = load_target(session, workspace_slug=workspace_slug, default_channel=default_channel)
    result = summary if summary is not None else IngestSummary()
    for path, path_format in zip(paths, formats, strict=True):
        source = str(path.resolve())
        result.per_source.setdefault(source, IngestCounts())
        ingest_records(
            session_factory,
            target=target,
            records=read_records(
                path, path_format, source=source, max_bytes=max_record_bytes(max_text_length)
            ),
            summary=result,
            default_channel=default_channel,
            max_text_length=max_text_length,
            batch_size=batch_size,
            hooks=hooks,
            progress=progress,
        )
    return result

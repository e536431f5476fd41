"""Pure: turn one ``RawRecord`` into a message ready to store, or a reason to quarantine it.

No session, no I/O: the channels of the workspace come in as a plain mapping (name -> id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from vigie.ingest.reader import RawRecord
from vigie.ingest.schemas import MessageIn, describe_validation_error


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A validated message with its channel resolved, in the shape of the ``message`` table."""

    channel_id: int
    external_id: str
    text: str
    created_at: datetime
    in_reply_to: str | None
    url: str | None
    lang: str | None
    raw: dict[str, Any]
    author_handle: str | None
    author_name: str | None
    author_followers: int | None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that goes to the quarantine, and why."""

    source: str
    line: int
    reason: str
    content: str
    fingerprint: str


def known_channels_hint(channels: Mapping[str, int]) -> str:
    return ", ".join(sorted(channels)) if channels else "none (add channels to workspace.yaml)"


def normalise_record(
    record: RawRecord,
    *,
    channels: Mapping[str, int],
    default_channel: str | None,
    max_text_length: int,
) -> NewMessage | Rejection:
    """Validate ``record`` against the ingest schema and resolve its channel in ``channels``."""

    def reject(reason: str) -> Rejection:
        return Rejection(record.source, record.line, reason, record.content, record.fingerprint)

    if record.fields is None:
        return reject(record.error or "unreadable record")
    try:
        message = MessageIn.model_validate(record.fields, context={"max_text_length": max_text_length})
    except ValidationError as error:
        return reject(describe_validation_error(error))
    channel_name = message.channel or default_channel
    if channel_name is None:
        return reject(
            "no channel: add a 'channel' field to the record or pass --channel NAME "
            f"(channels of this workspace: {known_channels_hint(channels)})"
        )
    channel_id = channels.get(channel_name)
    if channel_id is None:
        return reject(f"unknown channel '{channel_name}': this workspace has {known_channels_hint(channels)}")
    author = message.author
    return NewMessage(
        channel_id=channel_id,
        external_id=message.id,
        text=message.text,
        created_at=message.created_at,
        in_reply_to=message.in_reply_to,
        url=message.url,
        lang=message.lang,
        raw=message.raw_extra(),
        author_handle=None if author is None else author.handle,
        author_name=None if author is None else author.name,
        author_followers=None if author is None else author.followers,
    )

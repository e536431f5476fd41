"""The demo stream: a day at Colibri, written by hand, stored in ``data/stream.jsonl``.

Each line is an ingest record (docs/ingest.md) whose time is relative: ``t`` is ``HH:MM:SS`` elapsed
since the start of the stream, and ``author`` is a handle looked up in ``data/authors.json`` (name,
followers and extra profile fields such as ``bio``). ``demo_records(start)`` rebases the stream on a
real start time and yields the records the ingest pipeline reads.

The day: an ordinary morning and afternoon of questions, complaints (late deliveries, refunds waited
for, app bugs, payment errors) and praise on five channels, in French and English; then (at 08:00
elapsed) a Colibri promo post on ``x`` derailed by one angry reply and a pile-on of dozens of mostly new
authors within minutes; a troll; an activist with ~42k followers demanding to speak to someone in
charge; a journalist asking for an official statement (on ``x`` and by e-mail); messages carrying
personal data (phone numbers, e-mail and postal addresses, order numbers).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from vigie.ingest.reader import RawRecord

STREAM_SOURCE = "demo:stream.jsonl"


@dataclass(frozen=True, slots=True)
class DemoMessage:
    offset: timedelta
    fields: dict[str, Any]  # ingest schema, without created_at


def _parse_offset(value: str) -> timedelta:
    hours, minutes, seconds = (int(part) for part in value.split(":"))
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


@cache
def demo_messages() -> tuple[DemoMessage, ...]:
    """The stream, in time order, with authors expanded."""
    data = resources.files("vigie.demo") / "data"
    authors: dict[str, dict[str, Any]] = json.loads((data / "authors.json").read_text(encoding="utf-8"))
    out: list[DemoMessage] = []
    for line in (data / "stream.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item: dict[str, Any] = json.loads(line)
        offset = _parse_offset(item.pop("t"))
        handle = item.pop("author")
        profile = {key: value for key, value in authors[handle].items() if value is not None}
        item["author"] = {"handle": handle, **profile}
        out.append(DemoMessage(offset, item))
    out.sort(key=lambda m: m.offset)
    return tuple(out)


def stream_duration() -> timedelta:
    messages = demo_messages()
    return messages[-1].offset if messages else timedelta()


def demo_record(message: DemoMessage, created_at: datetime, line: int) -> RawRecord:
    """One stream message as the ingest reader would have read it, dated ``created_at``."""
    fields = {**message.fields, "created_at": created_at.isoformat()}
    content = json.dumps(fields, ensure_ascii=False)
    return RawRecord(
        source=STREAM_SOURCE,
        line=line,
        content=content,
        fingerprint=hashlib.sha256(content.encode()).hexdigest(),
        fields=fields,
    )


def demo_records(start: datetime) -> Iterator[RawRecord]:
    """The whole stream rebased on ``start`` (an aware datetime), in time order."""
    for line, message in enumerate(demo_messages(), start=1):
        yield demo_record(message, start + message.offset, line)

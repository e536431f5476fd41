"""JSON snapshots of the watch's in-memory state: times as ISO strings, signals as plain dicts.

The crisis watch saves its detectors' state in the database (``crisis_watch_state``) so that a restarted
watch resumes where it stopped instead of cold-starting. Every detector's ``state_dict`` must survive a JSON round trip.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class SnapshotError(ValueError):
    """A saved watch state that cannot be restored (wrong version or shape): the watch cold-starts."""


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def when(value: Any) -> datetime:
    if not isinstance(value, str):
        raise SnapshotError(f"expected an ISO time, got {value!r}")
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise SnapshotError(f"saved time {value!r} has no time zone")
    return at


def maybe_when(value: Any) -> datetime | None:
    return None if value is None else when(value)

"""One place that tells the time, always in UTC.

``running_from(moment)`` moves this clock for the whole process (every thread): within it, ``utcnow()``
starts at ``moment`` and ticks in real time. `vigie demo --at` uses it to replay the demo day at a chosen
moment, since routing, SLA deadlines and escalations depend on the weekday and the hour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from vigie.core.errors import ValidationFailedError


class _Shift:
    """How far the process clock runs ahead of (or behind) the system clock."""

    offset = timedelta(0)


def utcnow() -> datetime:
    return datetime.now(UTC) + _Shift.offset


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (naive values are taken as UTC, as SQLite returns them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_date(zone: str, moment: datetime | None = None) -> date:
    """The calendar day at ``moment`` (default: now) in the IANA time zone ``zone``.

    A workspace's dates (a mandate valid until 2026-12-31, "livraison le 12 mars") are days of its own
    calendar: at 00:30 in Paris on 1 January the mandate has ended, although it is still 31 December in UTC.
    """
    return (moment or utcnow()).astimezone(ZoneInfo(zone)).date()


@contextmanager
def running_from(moment: datetime) -> Iterator[None]:
    """Within the block, ``utcnow()`` reads ``moment`` plus the real time elapsed since the block began."""
    if moment.tzinfo is None:
        raise ValidationFailedError(
            f"The clock needs a date-time with its UTC offset, not {moment.isoformat()!r}; "
            "write e.g. 2026-11-18T16:00+01:00."
        )
    previous = _Shift.offset
    _Shift.offset = moment.astimezone(UTC) - datetime.now(UTC)
    try:
        yield
    finally:
        _Shift.offset = previous

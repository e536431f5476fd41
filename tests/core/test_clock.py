"""The process clock that `vigie demo --at` moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from vigie.core import clock
from vigie.core.errors import ValidationFailedError


def test_running_from_starts_at_the_moment_ticks_and_restores() -> None:
    paris_winter = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 18, 14, 0, tzinfo=paris_winter)
    before = clock.utcnow()
    with clock.running_from(moment):
        inside = clock.utcnow()
        later = clock.utcnow()
    after = clock.utcnow()
    assert inside.tzinfo is UTC
    assert timedelta(0) <= inside - moment < timedelta(seconds=5)
    assert later >= inside
    assert timedelta(0) <= after - before < timedelta(seconds=5)


def test_running_from_nests_and_restores_the_outer_moment() -> None:
    outer = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with clock.running_from(outer):
        with clock.running_from(datetime(2030, 6, 1, tzinfo=UTC)):
            assert clock.utcnow().year == 2030
        assert timedelta(0) <= clock.utcnow() - outer < timedelta(seconds=5)


def test_running_from_refuses_a_moment_without_offset() -> None:
    before = clock.utcnow()
    with pytest.raises(ValidationFailedError, match="with its UTC offset"):
        with clock.running_from(datetime(2026, 11, 18, 14, 0)):  # noqa: DTZ001
            pass
    assert timedelta(0) <= clock.utcnow() - before < timedelta(seconds=5)

"""Grades normal → watch → alert → crisis per scope, with hysteresis and a cool-down. Pure.

Active signals combine by noisy-or: ``pressure = 1 - Π(1 - score)`` over the strongest live signal of
each independent group (tone: negative share, toxic share, pile-on; volume; reach: influencers;
spread), a signal staying live for ``signal_ttl``. One group alone tops out at alert; crisis takes
independent evidence. A grade is entered when the pressure reaches its
``enter`` threshold, at once and possibly skipping grades. It is left only when the pressure has stayed
below its lower ``leave`` threshold (hysteresis) and the grade has been held for ``cooldown`` — then it
goes down one grade at a time, each step again waiting ``cooldown``. So an alert does not flap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

from vigie.crisis.detectors import SignalEvent, SignalKind
from vigie.crisis.snapshot import iso, maybe_when


class Grade(IntEnum):
    NORMAL = 0
    WATCH = 1
    ALERT = 2
    CRISIS = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Grade:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown grade {value!r}: expected normal, watch, alert or crisis") from None


# Signals that measure the same thing (the crowd turning negative) count once, by their strongest;
# independent evidence (volume, reach, spread) adds up.
SIGNAL_GROUPS = {
    SignalKind.NEGATIVE_SHARE: "tone",
    SignalKind.TOXIC_SHARE: "tone",
    SignalKind.PILE_ON: "tone",
    SignalKind.VOLUME: "volume",
    SignalKind.INFLUENCER: "reach",
    SignalKind.SPREAD: "spread",
}


@dataclass(frozen=True)
class GradeThresholds:
    enter: tuple[float, float, float] = (0.3, 0.6, 0.85)  # watch, alert, crisis
    leave: tuple[float, float, float] = (0.15, 0.4, 0.7)
    signal_ttl: timedelta = timedelta(minutes=30)
    cooldown: timedelta = timedelta(minutes=30)

    def __post_init__(self) -> None:
        for enter, leave in zip(self.enter, self.leave, strict=True):
            if not 0 <= leave < enter <= 1:
                raise ValueError("each leave threshold must be below its enter threshold, both in [0, 1]")
        if list(self.enter) != sorted(self.enter):
            raise ValueError("enter thresholds must rise from watch to crisis")


@dataclass(frozen=True)
class GradeChangeEvent:
    scope: str
    at: datetime
    from_grade: Grade
    to_grade: Grade
    pressure: float
    reason: str
    signals: tuple[SignalEvent, ...]


@dataclass
class _ScopeState:
    grade: Grade = Grade.NORMAL
    changed_at: datetime | None = None
    live: dict[SignalKind, SignalEvent] = field(default_factory=dict)


class Grader:
    def __init__(self, thresholds: GradeThresholds | None = None) -> None:
        self.thresholds = thresholds or GradeThresholds()
        self._scopes: dict[str, _ScopeState] = {}

    def grade(self, scope: str) -> Grade:
        state = self._scopes.get(scope)
        return Grade.NORMAL if state is None else state.grade

    def scopes(self) -> dict[str, Grade]:
        return {scope: state.grade for scope, state in self._scopes.items()}

    def state_dict(self) -> dict[str, Any]:
        return {
            scope: {
                "grade": state.grade.label,
                "changed_at": iso(state.changed_at),
                "live": [signal.to_dict() for signal in state.live.values()],
            }
            for scope, state in self._scopes.items()
        }

    def load_state_dict(self, data: dict[str, Any]) -> None:
        scopes = {}
        for scope, item in data.items():
            live = [SignalEvent.from_dict(signal) for signal in item["live"]]
            scopes[str(scope)] = _ScopeState(
                grade=Grade.parse(item["grade"]),
                changed_at=maybe_when(item["changed_at"]),
                live={signal.kind: signal for signal in live},
            )
        self._scopes = scopes

    def _prune(self, state: _ScopeState, now: datetime) -> None:
        ttl = self.thresholds.signal_ttl
        for kind in [k for k, s in state.live.items() if now - s.at >= ttl]:
            del state.live[kind]

    @staticmethod
    def _pressure(state: _ScopeState) -> float:
        strongest: dict[str, float] = {}
        for kind, signal in state.live.items():
            group = SIGNAL_GROUPS[kind]
            strongest[group] = max(strongest.get(group, 0.0), signal.score)
        quiet = 1.0
        for score in strongest.values():
            quiet *= 1.0 - score
        return 1.0 - quiet

    def observe(self, scope: str, signals: list[SignalEvent], now: datetime) -> GradeChangeEvent | None:
        """Take this scope's new signals (possibly none) at time ``now``; return the grade change, if any."""
        state = self._scopes.setdefault(scope, _ScopeState())
        self._prune(state, now)
        for signal in signals:
            held = state.live.get(signal.kind)
            if held is None or signal.score >= held.score or now - held.at >= self.thresholds.signal_ttl / 2:
                state.live[signal.kind] = signal
        pressure = self._pressure(state)
        enter, leave = self.thresholds.enter, self.thresholds.leave
        target = Grade.NORMAL
        for index, threshold in enumerate(enter):
            if pressure >= threshold:
                target = Grade(index + 1)
        previous = state.grade
        if target > previous:
            state.grade = target
            state.changed_at = now
            kinds = ", ".join(sorted(k.value for k in state.live))
            return GradeChangeEvent(
                scope=scope,
                at=now,
                from_grade=previous,
                to_grade=target,
                pressure=pressure,
                reason=f"pressure {pressure:.2f} reached {target.label} (>= {enter[target - 1]:.2f}) from {kinds}",
                signals=tuple(state.live.values()),
            )
        if previous == Grade.NORMAL:
            return None
        held_long_enough = state.changed_at is None or now - state.changed_at >= self.thresholds.cooldown
        if pressure < leave[previous - 1] and held_long_enough:
            state.grade = Grade(previous - 1)
            state.changed_at = now
            return GradeChangeEvent(
                scope=scope,
                at=now,
                from_grade=previous,
                to_grade=state.grade,
                pressure=pressure,
                reason=(
                    f"pressure {pressure:.2f} stayed below {leave[previous - 1]:.2f} for "
                    f"{int(self.thresholds.cooldown.total_seconds() // 60)} min: down to {state.grade.label}"
                ),
                signals=tuple(state.live.values()),
            )
        return None

    def tick(self, now: datetime) -> list[GradeChangeEvent]:
        """Let time pass with no message: grades may come down."""
        changes = []
        for scope in list(self._scopes):
            change = self.observe(scope, [], now)
            if change is not None:
                changes.append(change)
        return changes

"""Who to ask: members with more experience than the asker on the topic (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Roles asked when nobody knows the topic better than the asker.
SENIOR_ROLES = ("senior-cm", "community-lead")


@dataclass(frozen=True)
class Colleague:
    key: str
    roles: tuple[str, ...]
    expertise: Mapping[str, int]


@dataclass(frozen=True)
class Pick:
    key: str
    reason: str


def colleague(key: str, roles: Sequence[Any], spec: Mapping[str, Any]) -> Colleague:
    expertise = {str(k): int(v) for k, v in (spec.get("expertise") or {}).items()}
    return Colleague(key=key, roles=tuple(str(r) for r in roles), expertise=expertise)


def pick_seniors(
    members: Sequence[Colleague], *, asker: str, topic: str | None, limit: int = 3
) -> list[Pick]:
    """The colleagues with more experience on ``topic`` than the asker, most experienced first.

    Falls back to the senior roles when nobody knows the topic better (or no topic is known).
    """
    by_key = {m.key: m for m in members}
    own = by_key[asker].expertise.get(topic, 0) if topic is not None and asker in by_key else 0
    picks: list[Pick] = []
    if topic is not None:
        better = sorted(
            (m for m in members if m.key != asker and m.expertise.get(topic, 0) > own),
            key=lambda m: (-m.expertise[topic], m.key),
        )
        picks = [Pick(m.key, f"{topic} level {m.expertise[topic]} (asker: {own})") for m in better[:limit]]
    if picks:
        return picks
    seniors = [m for m in members if m.key != asker and set(m.roles) & set(SENIOR_ROLES)]
    seniors.sort(key=lambda m: (min(SENIOR_ROLES.index(r) for r in m.roles if r in SENIOR_ROLES), m.key))
    what = f"no one knows {topic} better" if topic is not None else "the case has no topic"
    return [
        Pick(m.key, f"{what}; senior role {', '.join(r for r in m.roles if r in SENIOR_ROLES)}")
        for m in seniors[:limit]
    ]

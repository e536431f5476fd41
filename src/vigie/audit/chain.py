"""Pure hash-chain logic: how an entry's hash is computed and how a chain is verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainLink:
    seq: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_key: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(
    *,
    workspace_slug: str,
    seq: int,
    created_at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_key: str,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    body = canonical_json(
        {
            "workspace": workspace_slug,
            "seq": seq,
            # Microseconds are kept: both SQLite and PostgreSQL store them exactly.
            "created_at": created_at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "object_type": object_type,
            "object_key": object_key,
            "payload": payload,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(workspace_slug: str, links: Iterable[ChainLink]) -> ChainProblem | None:
    """Return the first broken link, or None when the chain is intact.

    ``links`` must be ordered by ``seq``. An edited entry fails its own hash; a removed entry leaves a
    gap in ``seq`` and a ``prev_hash`` that points to nothing; a reordering breaks ``prev_hash``.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return ChainProblem(
                link.seq, f"expected entry #{expected_seq} here, found #{link.seq} (removed entry)"
            )
        if link.prev_hash != expected_prev:
            return ChainProblem(link.seq, "does not point to the previous entry (removed or reordered)")
        recomputed = entry_hash(
            workspace_slug=workspace_slug,
            seq=link.seq,
            created_at=link.created_at,
            actor=link.actor,
            action=link.action,
            object_type=link.object_type,
            object_key=link.object_key,
            payload=link.payload,
            prev_hash=link.prev_hash,
        )
        if recomputed != link.hash:
            return ChainProblem(link.seq, "content does not match its hash (edited entry)")
        expected_prev = link.hash
        expected_seq += 1
    return None

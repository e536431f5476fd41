"""Ingest fixtures: the Colibri workspace rows, created directly (no workspace-as-code needed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy.orm import Session, sessionmaker

from vigie.ingest import hooks
from vigie.storage.db import transaction
from vigie.storage.migrate import alembic_config
from vigie.workspace.models import Channel, Workspace

CHANNELS = {"x": 280, "mastodon": 500, "facebook": None, "forum": None, "email": None}


@pytest.fixture
def colibri(session_factory: sessionmaker[Session]) -> int:
    """The example workspace with its five channels; returns its id."""
    with transaction(session_factory) as session:
        workspace = Workspace(slug="colibri", name="Colibri", default_language="fr")
        session.add(workspace)
        session.flush()
        for name, max_length in CHANNELS.items():
            session.add(Channel(workspace_id=workspace.id, name=name, kind=name, max_length=max_length))
        return workspace.id


def record(n: int, **overrides: Any) -> dict[str, Any]:
    """One valid record of the ingest schema."""
    value: dict[str, Any] = {
        "id": f"m{n}",
        "channel": "x",
        "author": {"handle": f"@user{n % 50}", "name": f"User {n % 50}", "followers": n},
        "text": f"Ma commande n°{n} n'est toujours pas arrivée",
        "created_at": f"2026-11-20T{8 + n // 3600 % 12:02d}:{n // 60 % 60:02d}:{n % 60:02d}+01:00",
        "lang": "fr",
    }
    value.update(overrides)
    return value


def write_jsonl(path: Path, records: list[dict[str, Any] | bytes]) -> Path:
    with path.open("wb") as handle:
        for item in records:
            data = item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode()
            handle.write(data + b"\n")
    return path


@pytest.fixture
def cli(cli_env: str, colibri: int) -> str:
    """The CLI pointed at the test database holding the Colibri workspace.

    The SQLite test database is built by ``create_all``; stamping it at the head revision stops the
    CLI's automatic SQLite upgrade from creating the tables a second time.
    """
    if cli_env.startswith("sqlite"):
        command.stamp(alembic_config(cli_env), "head")
    return cli_env


@pytest.fixture(autouse=True)
def _no_other_hooks() -> Iterator[None]:
    """Ingest tests test ingest: hooks other domains registered (analysis…) are set aside, then restored."""
    saved = list(hooks.post_ingest_hooks)
    hooks.post_ingest_hooks.clear()
    yield
    hooks.post_ingest_hooks[:] = saved
